"""Pydantic models for every record kind and for kscb.yaml."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .common import Finding, Recommendation, RecordBase
from .kinds import (
    Action, ActionPlan, Agency, Audit, Briefing, ChildDeath, Notification, RapidReview, Review, Section11,
    Standard, Training,
)

MODELS: dict[str, type[RecordBase]] = {
    "agency": Agency,
    "notification": Notification,
    "rapid_review": RapidReview,
    "review": Review,
    "audit": Audit,
    "section11": Section11,
    "action_plan": ActionPlan,
    "training": Training,
    "briefing": Briefing,
    "child_death": ChildDeath,
}

# Folder under records/ for each kind (RECORDS.md, "The store").
FOLDERS: dict[str, str] = {
    "agency": "agencies",
    "notification": "notifications",
    "rapid_review": "rapid-reviews",
    "review": "reviews",
    "audit": "audits",
    "section11": "section11",
    "action_plan": "action-plans",
    "training": "training",
    "briefing": "briefings",
    "child_death": "child-deaths",
}

# Item lists inside records that hold addressable items (ID#ITEM).
ITEM_LISTS = ("findings", "recommendations", "actions", "standards")

Record = Annotated[Union[tuple(MODELS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]

__all__ = [
    "Action", "ActionPlan", "Agency", "Audit", "Briefing", "ChildDeath", "FOLDERS", "Finding", "ITEM_LISTS",
    "MODELS", "Notification", "RapidReview", "Recommendation", "Record", "RecordBase", "Review", "Section11",
    "Standard", "Training",
]
