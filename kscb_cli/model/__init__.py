"""Pydantic models for every record kind and for kscb.yaml."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from kscb_cli.base.paths import ITEM_LISTS  # items addressable as ID#ITEM, named where no model is needed
from kscb_cli.model.common import Finding, Recommendation, RecordBase
from kscb_cli.model.kinds import (
    Action,
    ActionPlan,
    Agency,
    Audit,
    Briefing,
    ChildDeath,
    Notification,
    RapidReview,
    Review,
    Section11,
    Standard,
    Training,
)
from kscb_cli.model.table_two import ChallengeEvent, Guidance, Inspection, Meeting, PerformanceReturn, Voice

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
    # the rest of Table Two (issue #14): optional new kinds, docs/records.md
    "performance_return": PerformanceReturn,
    "inspection": Inspection,
    "voice": Voice,
    "guidance": Guidance,
    "meeting": Meeting,
    "challenge_event": ChallengeEvent,
}

# The kinds added after the contract (RECORDS.md, version 1) as optional additions: docs/records.md.
TABLE_TWO_KINDS = ("performance_return", "inspection", "voice", "guidance", "meeting", "challenge_event")

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
    "performance_return": "performance",
    "inspection": "inspections",
    "voice": "voice",
    "guidance": "guidance",
    "meeting": "meetings",
    "challenge_event": "section11",
}


Record = Annotated[Union[tuple(MODELS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007 (a runtime tuple of classes)

__all__ = [
    "Action",
    "ActionPlan",
    "Agency",
    "Audit",
    "Briefing",
    "ChildDeath",
    "FOLDERS",
    "Finding",
    "ITEM_LISTS",
    "MODELS",
    "ChallengeEvent",
    "Guidance",
    "Inspection",
    "Meeting",
    "PerformanceReturn",
    "Voice",
    "Notification",
    "RapidReview",
    "Recommendation",
    "Record",
    "RecordBase",
    "Review",
    "Section11",
    "Standard",
    "TABLE_TWO_KINDS",
    "Training",
]
