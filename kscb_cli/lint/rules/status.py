"""Q rules: fields that a status (or a response, or a decision) makes necessary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from kscb_cli.base.paths import field_of
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import ActionPlan, Notification, Review

Fields = tuple[str, ...]  # a field and its subfields: ("publication", "published")

# For each kind: (field location, the statuses that need it, what it is).
MILESTONES: dict[str, list[tuple[Fields, set[str], str]]] = {
    "notification": [(("sent",), {"sent"}, "the date it was sent")],
    "rapid_review": [
        (("completed",), {"completed", "sent_to_panel", "closed"}, "the date it was completed"),
        (("sent_to_panel",), {"sent_to_panel"}, "the date it was sent to the Panel"),
    ],
    "review": [
        (
            ("commissioned",),
            {"commissioned", "in_progress", "draft_report", "final_report", "awaiting_publication", "published"},
            "the date it was commissioned",
        ),
        (("final_report",), {"final_report", "awaiting_publication", "published"}, "the date of the final report"),
        (
            ("publication",),
            {"awaiting_publication", "published"},
            "the publication block (decision, legal_clearance, ...)",
        ),
        (("publication", "published"), {"published"}, "the publication date"),
    ],
    "audit": [
        (("reported",), {"reported", "qa_approved", "actions_open"}, "the date it reported"),
        (("qa_approved",), {"qa_approved", "actions_open"}, "the date it was quality assured"),
    ],
    "section11": [
        (("submitted",), {"submitted", "challenged"}, "the date it was submitted"),
        (("challenge",), {"challenged"}, "the challenge event (date, young_people, outcome)"),
    ],
    "action_plan": [(("approved",), {"approved", "in_progress", "complete", "closed"}, "the date it was approved")],
    "briefing": [
        (("approved",), {"approved", "published"}, "the date it was approved"),
        (("published",), {"published"}, "the date it was published"),
    ],
    "training": [(("evaluation",), {"evaluated"}, "the aggregated evaluation")],
    "child_death": [
        (("reviewed",), {"reviewed", "closed"}, "the panel meeting date"),
        (("category",), {"reviewed", "closed"}, "the CDOP category"),
        (("modifiable",), {"reviewed", "closed"}, "whether modifiable factors were identified"),
    ],
    # the rest of Table Two (issue #14)
    "performance_return": [(("received",), {"received", "queried", "accepted"}, "the date the return was received")],
    "inspection": [(("reported",), {"reported", "actions_open", "closed"}, "the date the report was received")],
    "voice": [
        (("participants",), {"reported", "responded", "closed"}, "how many took part"),
        (("reported",), {"reported", "responded", "closed"}, "the date what they said was reported"),
        (("responded",), {"responded", "closed"}, "the date the partnership fed back what it did"),
    ],
    "meeting": [(("minutes_approved",), {"minutes_approved"}, "the date the minutes were approved")],
    "challenge_event": [(("reported",), {"reported", "closed"}, "the date the event's report went to the board")],
}

LCSPR_REGULATIONS = date(2019, 10, 1)  # the 2018 regulations took effect


def _get(record: Any, loc: Fields) -> Any:
    value = record
    for part in loc:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


@rule("Q001", "action-completion", kinds=["action_plan"])
def action_completion(record: ActionPlan, ctx: Context) -> Iterator[Finding]:
    """A complete or embedded action lacks its evidence, its completion date, or (embedded) its impact.
    Why: "complete" means done with evidence; "embedded" means its impact is evidenced (DOMAIN.md).
    Fails: ``status: complete`` with no ``evidence`` list or no ``completed`` date; ``status: embedded`` with no ``impact``.
    Passes: a complete action with evidence and ``completed``; an embedded one with its impact too.
    Fix: add the evidence entry (date, text), ``completed: YYYY-MM-DD`` and, once embedded, the impact — or correct the status.
    """
    for i, action in enumerate(record.actions):
        if action.status not in ("complete", "embedded"):
            continue
        if not action.evidence:
            yield Finding(
                ("actions", i, "status"),
                f"action {action.id} is {action.status} but has no evidence; add an evidence entry (date, text) showing it was done",
            )
        if action.completed is None:
            yield Finding(
                ("actions", i, "status"),
                f"action {action.id} is {action.status} but has no completed date; add completed: YYYY-MM-DD",
            )
        if action.status == "embedded" and not action.impact:
            yield Finding(
                ("actions", i, "status"),
                f"action {action.id} is embedded but has no impact; say what changed for children and how we know",
            )


@rule("Q002", "status-milestones")
def status_milestones(record: Any, ctx: Context) -> Iterator[Finding]:
    """A status is set but the milestone it implies is missing.
    For example a review ``published`` needs ``publication.published``; an audit ``reported``
    needs ``reported``; a Section 11 return ``challenged`` needs its ``challenge`` block; a
    briefing ``published`` needs ``published``; a child death ``reviewed`` needs the date,
    category and modifiable finding.
    Why: the clocks and reports count from the milestone's date, not from the status.
    Fails: ``status: sent`` on a notification without ``sent``.
    Passes: a published review with ``publication.published``.
    Fix: add the field the message names, or correct the status.
    """
    for loc, statuses, what in MILESTONES.get(record.kind, ()):
        if record.status in statuses and _get(record, loc) is None:
            yield Finding(
                ("status",), f"status {record.status!r} needs {'.'.join(loc)} ({what}); add it or correct the status"
            )


@rule("Q003", "rationale-required")
def rationale_required(record: Any, ctx: Context) -> Iterator[Finding]:
    """A decision that needs its reasons recorded has none.
    A recommendation ``partially_accepted`` or ``not_accepted``, a rapid review's decision once
    made, and a publication decision of ``improvements_only`` or ``not_published`` each need a ``rationale``.
    Why: these decisions are open to challenge by the Panel and the board; the reasons must be on record.
    Fails: ``response: not_accepted`` with no ``rationale``.
    Passes: the same with a ``rationale``; a rapid review still ``undecided`` needs none.
    Fix: add ``rationale`` with the reasons for the decision.
    """
    for i, rec in enumerate(field_of(record, "recommendations") or ()):
        if rec.response in ("partially_accepted", "not_accepted") and not rec.rationale:
            yield Finding(
                ("recommendations", i, "response"),
                f"recommendation {rec.id} is {rec.response} but has no rationale; add the reasons",
            )
    if record.kind == "rapid_review" and record.decision != "undecided" and not record.rationale:
        yield Finding(("decision",), f"decision {record.decision!r} needs a rationale; add why it was decided")
    publication = field_of(record, "publication")
    if (
        publication is not None
        and publication.decision in ("improvements_only", "not_published")
        and not publication.rationale
    ):
        yield Finding(
            ("publication", "decision"), f"publication decision {publication.decision!r} needs a rationale; add why"
        )


@rule("Q004", "withdrawn-reason", kinds=["notification"])
def withdrawn_reason(record: Notification, ctx: Context) -> Iterator[Finding]:
    """A withdrawn notification does not say why it was withdrawn.
    Why: a withdrawn notification leaves the statutory count; the reason is what shows it was right to withdraw it.
    Fails: ``status: withdrawn`` without ``withdrawn_reason``.
    Passes: ``status: withdrawn`` with ``withdrawn_reason``.
    Fix: add ``withdrawn_reason`` saying why it was withdrawn.
    """
    if record.status == "withdrawn" and not record.withdrawn_reason:
        yield Finding(("status",), "a withdrawn notification needs withdrawn_reason; add why it was withdrawn")


@rule("Q005", "review-regulations", kinds=["review"])
def review_regulations(record: Review, ctx: Context) -> Iterator[Finding]:
    """A review does not fit the regulations in force when it was decided.
    A review decided on or after 2019-10-01 (the 2018 regulations) is an LCSPR, not an SCR; an
    LCSPR decided under them follows a rapid review, so it needs ``rapid_review``.
    Why: the review type decides which clocks and which Panel duties apply.
    Fails: ``review_type: scr`` with ``decided: 2024-02-01``; an LCSPR decided in 2024 with no ``rapid_review``.
    Passes: an SCR decided before 2019-10-01; an LCSPR that names its rapid review.
    Fix: correct ``review_type``, or add ``rapid_review: RR-...``.
    """
    if record.decided >= LCSPR_REGULATIONS and record.review_type == "scr":
        yield Finding(
            ("review_type",),
            f"a review decided on {record.decided} is an lcspr, not an scr (2018 regulations); correct review_type",
        )
    if record.review_type == "lcspr" and record.decided >= LCSPR_REGULATIONS and not record.rapid_review:
        yield Finding(
            ("review_type",),
            "an LCSPR decided under the 2018 regulations follows a rapid review; add rapid_review: RR-...",
        )
