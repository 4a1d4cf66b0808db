"""Where records point at each other: every reference field, with what it may point at.

Used by the reference rules and by back-links (what points at this record?).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from kscb_cli.base.paths import field_of

LEARNING = (
    "review",
    "audit",
    "section11",
    "rapid_review",
    "child_death",
    "inspection",
    "voice",
    "guidance",
    "challenge_event",
)
# Kinds that may record that they evaluate a recommendation or an action (``evaluates: ID#R2``).
EVALUATING = ("audit", "voice", "inspection")
EVALUATED = LEARNING + ("action_plan",)  # what an ``evaluates`` reference may point into
AGENCY_TARGETS = ("partnership", "national")  # recommendation.to may also name these


class Reference(NamedTuple):
    """One reference written in a record (a named tuple: made for every reference of every record, every run)."""

    loc: tuple[Any, ...]  # where the reference is written, inside the record
    ref: str  # as written: ID, ID#ITEM, or a bare ITEM of the same record
    kinds: tuple[str, ...] | None  # record kinds it may point at; None: any
    item_list: str | None  # the item list it must point into (e.g. "recommendations"); None: record or any item
    item_required: bool = False


def references(record: Any) -> Iterator[Reference]:
    """Every reference written in `record`."""
    kind = record.kind
    agency = ("agency",)
    if kind == "agency" and record.successor:
        yield Reference(("successor",), record.successor, agency, None)
    if kind in ("rapid_review", "review", "audit", "inspection", "voice"):
        for i, a in enumerate(record.agencies):
            yield Reference(("agencies", i), a, agency, None)
    if kind in EVALUATING:
        for i, ref in enumerate(record.evaluates):
            yield Reference(("evaluates", i), ref, EVALUATED, None, True)
    if kind in _TABLE_TWO:
        yield from _table_two(record)
    if kind == "rapid_review":
        yield Reference(("notification",), record.notification, ("notification",), None)
    if kind == "review" and record.rapid_review:
        yield Reference(("rapid_review",), record.rapid_review, ("rapid_review",), None)
    if kind == "child_death" and record.notification:
        yield Reference(("notification",), record.notification, ("notification",), None)
    if kind == "section11":
        yield Reference(("agency",), record.agency, agency, None)
    if kind == "action_plan":
        yield Reference(("source",), record.source, LEARNING, None)
        for i, action in enumerate(record.actions):
            if action.recommendation:
                yield Reference(
                    ("actions", i, "recommendation"), action.recommendation, LEARNING, "recommendations", True
                )
            yield Reference(("actions", i, "lead_agency"), action.lead_agency, agency, None)
    if kind == "training":
        for i, ref in enumerate(record.learning_from):
            yield Reference(("learning_from", i), ref, None, None)
        for i, row in enumerate(record.attendance):
            yield Reference(("attendance", i, "agency"), row.agency, agency, None)
    if kind == "briefing":
        for i, ref in enumerate(record.sources):
            yield Reference(("sources", i), ref, None, None)
    for loc, sign_off in sign_offs(record):
        if sign_off.agency:
            yield Reference((*loc, "agency"), sign_off.agency, agency, None)
    for r, rec in enumerate(field_of(record, "recommendations") or ()):
        for f, ref in enumerate(rec.findings):
            yield Reference(("recommendations", r, "findings", f), ref, LEARNING, "findings", True)
        if rec.to not in AGENCY_TARGETS:
            yield Reference(("recommendations", r, "to"), rec.to, agency, None)


_TABLE_TWO = ("performance_return", "audit", "guidance", "meeting", "challenge_event")


def _table_two(record: Any) -> Iterator[Reference]:
    """The references of the kinds added for the rest of Table Two (and of audits' training blocks)."""
    agency = ("agency",)
    kind = record.kind
    if kind == "performance_return":
        yield Reference(("agency",), record.agency, agency, None)
    elif kind == "audit":
        if record.training_review is not None:
            yield Reference(("training_review", "agency"), record.training_review.agency, agency, None)
        for i, need in enumerate(record.training_needs):
            for j, a in enumerate(need.agencies):
                yield Reference(("training_needs", i, "agencies", j), a, agency, None)
    elif kind == "guidance":
        for i, a in enumerate(record.applies_to):
            yield Reference(("applies_to", i), a, agency, None)
        if record.consultation is not None:
            for i, a in enumerate(record.consultation.agencies):
                yield Reference(("consultation", "agencies", i), a, agency, None)
        for i, row in enumerate(record.compliance):
            yield Reference(("compliance", i, "agency"), row.agency, agency, None)
    elif kind == "meeting":
        for i, row in enumerate(record.attendance):
            yield Reference(("attendance", i, "agency"), row.agency, agency, None)
        for i, row in enumerate(record.plans_reviewed):
            yield Reference(("plans_reviewed", i, "plan"), row.plan, ("action_plan",), None)
        for i, row in enumerate(record.concerns):
            yield Reference(("concerns", i, "agency"), row.agency, agency, None)
    elif kind == "challenge_event":
        for i, a in enumerate(record.presenting):
            yield Reference(("presenting", i), a, agency, None)
        for i, row in enumerate(record.outcomes):
            yield Reference(("outcomes", i, "agency"), row.agency, agency, None)
            if row.section11:
                yield Reference(("outcomes", i, "section11"), row.section11, ("section11",), None)
        if record.previous_event:
            yield Reference(("previous_event",), record.previous_event, ("challenge_event",), None)


def sign_offs(record: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every decision sign-off a record holds: (location, SignOff)."""
    kind = record.kind
    if kind == "rapid_review" and record.decision_signed_off is not None:
        yield ("decision_signed_off",), record.decision_signed_off
    if kind == "review":
        if record.commissioning_signed_off is not None:
            yield ("commissioning_signed_off",), record.commissioning_signed_off
        if record.publication is not None and record.publication.signed_off is not None:
            yield ("publication", "signed_off"), record.publication.signed_off
