"""Allowed status transitions: one table per kind (RECORDS.md lifecycles), plus actions.

Each table maps a status to the statuses it may move to. The forward steps follow the
lifecycle in RECORDS.md; the backward moves are the ones that happen in practice and
are worth allowing without ceremony:

- reopening: a closed record goes back to the status before closing (a new
  action arrives, a challenge is revisited, the Panel asks for more);
- sending back: a draft or report goes back one step for rework (QA rejects an
  audit report, the reviewer reopens a draft, a briefing is unapproved);
- reinstating: a withdrawn action or cancelled event comes back.

Everything else (``not_started`` straight to ``embedded``, ``decided`` straight to
``published``) is a jump: ``kscb set`` refuses it unless ``--force --reason TEXT``,
and ``kscb history --check`` reports commits that made one (H001). A commit made
with ``--force`` carries a ``Kscb-Forced:`` trailer with the reason and is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FORCED_TRAILER = "Kscb-Forced:"

# kind -> {status: statuses it may move to}. Staying put is always allowed.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "agency": {
        "active": ("inactive",),
        "inactive": ("active",),  # an agency rejoins the partnership
    },
    "notification": {
        "draft": ("sent", "withdrawn"),
        "sent": ("withdrawn",),  # the Panel agrees the notification was not needed
        "withdrawn": (),
    },
    "rapid_review": {
        "open": ("completed",),
        "completed": ("sent_to_panel", "open"),  # reopen: the meeting reconvenes
        "sent_to_panel": ("closed", "completed"),  # the Panel asks for more before it closes
        "closed": ("sent_to_panel",),  # reopen
    },
    "review": {
        "decided": ("commissioned",),
        "commissioned": ("in_progress", "decided"),
        "in_progress": ("draft_report", "commissioned"),
        "draft_report": ("final_report", "in_progress"),
        "final_report": ("awaiting_publication", "published", "closed", "draft_report"),
        # closed straight from final_report: publication decision not_published
        "awaiting_publication": ("published", "final_report"),
        "published": ("closed",),
        "closed": ("published", "final_report"),  # reopen
    },
    "audit": {
        "planned": ("in_progress",),
        "in_progress": ("reported", "planned"),
        "reported": ("qa_approved", "in_progress"),  # QA sends the report back
        "qa_approved": ("actions_open", "closed", "reported"),  # closed: no actions needed
        "actions_open": ("closed", "qa_approved"),
        "closed": ("actions_open",),  # reopen
    },
    "section11": {
        "issued": ("submitted",),
        "submitted": ("challenged", "closed", "issued"),  # issued: returned for more evidence
        "challenged": ("closed", "submitted"),
        "closed": ("challenged",),  # reopen
    },
    "action_plan": {
        "draft": ("approved",),
        "approved": ("in_progress", "draft"),
        "in_progress": ("complete", "approved"),
        "complete": ("closed", "in_progress"),  # reopen: an action was not done after all
        "closed": ("complete", "in_progress"),  # reopen
    },
    "training": {
        "planned": ("delivered", "cancelled"),
        "delivered": ("evaluated", "planned"),
        "evaluated": ("delivered",),  # the evaluation is withdrawn for correction
        "cancelled": ("planned",),  # rescheduled
    },
    "briefing": {
        "draft": ("approved", "retired"),  # retired: abandoned before approval
        "approved": ("published", "draft", "retired"),
        "published": ("retired",),
        "retired": ("published",),  # re-published
    },
    "child_death": {
        "notified": ("under_review",),
        "under_review": ("reviewed", "notified"),
        "reviewed": ("closed", "under_review"),
        "closed": ("reviewed",),  # reopen: new information
    },
    # the rest of Table Two (issue #14)
    "performance_return": {
        "requested": ("received",),
        "received": ("accepted", "queried"),  # queried: the figures do not add up
        "queried": ("received", "accepted"),  # resubmitted, or the query is answered
        "accepted": ("queried",),  # a later check finds a problem
    },
    "inspection": {
        "announced": ("fieldwork",),
        "fieldwork": ("reported", "announced"),
        "reported": ("actions_open", "closed"),  # closed: no recommendations for the partnership
        "actions_open": ("closed", "reported"),
        "closed": ("actions_open",),  # reopen: a monitoring visit finds more to do
    },
    "voice": {
        "planned": ("gathering",),
        "gathering": ("reported", "planned"),
        "reported": ("responded", "gathering"),
        "responded": ("closed", "reported"),
        "closed": ("responded",),  # reopen
    },
    "guidance": {
        "identified": ("assessed",),
        "assessed": ("consulting", "implementing", "closed", "identified"),  # closed: nothing to change locally
        "consulting": ("implementing", "assessed"),
        "implementing": ("compliant", "consulting"),
        "compliant": ("closed", "implementing"),  # implementing: compliance lapses
        "closed": ("implementing",),  # reopen: the guidance is revised
    },
    "meeting": {
        "scheduled": ("held", "cancelled"),
        "held": ("minutes_approved",),
        "minutes_approved": ("held",),  # minutes corrected
        "cancelled": ("scheduled",),  # rearranged
    },
    "challenge_event": {
        "planned": ("held",),
        "held": ("reported", "planned"),
        "reported": ("closed", "held"),
        "closed": ("reported",),  # reopen
    },
}

# Actions inside an action plan.
ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "not_started": ("in_progress", "complete", "withdrawn"),  # complete: done in one step, with evidence
    "in_progress": ("complete", "withdrawn", "not_started"),
    "complete": ("embedded", "in_progress"),  # reopen: the evidence did not hold
    "embedded": ("complete",),  # the impact is not sustained
    "withdrawn": ("not_started", "in_progress"),  # reinstated
}


def table(kind: str, item: bool = False) -> dict[str, tuple[str, ...]] | None:
    """The transition table for a record kind, or (item=True) for the items of that kind."""
    if item:
        return ACTION_TRANSITIONS if kind == "action_plan" else None
    return TRANSITIONS.get(kind)


def allowed(kind: str, old: Any, new: Any, *, item: bool = False) -> bool:
    """Whether a status may move from `old` to `new`. Unknown or missing states are not judged here (the schema is)."""
    steps = table(kind, item)
    if steps is None or old == new or old is None or new is None or old not in steps or new not in steps:
        return True
    return new in steps[old]


def explain(kind: str, old: Any, new: Any, *, item: bool = False) -> str:
    """'from X it may move to A, B' for a refused transition."""
    steps = table(kind, item) or {}
    nxt = steps.get(old, ())
    return f"from {old} it may move to {', '.join(nxt)}" if nxt else f"{old} is final"


@dataclass(frozen=True)
class Transition:
    """A status change between two versions of a record."""

    kind: str
    record_id: str
    item: str | None  # the action id, for an action's status
    loc: tuple[Any, ...]  # location of the status in the newer version
    old: Any
    new: Any

    @property
    def ok(self) -> bool:
        return allowed(self.kind, self.old, self.new, item=self.item is not None)

    @property
    def label(self) -> str:
        return f"{self.record_id}#{self.item}" if self.item else self.record_id

    def message(self) -> str:
        what = f"action {self.item}" if self.item else self.record_id
        return f"{what} moved from {self.old} to {self.new}, which is not an allowed step ({explain(self.kind, self.old, self.new, item=self.item is not None)})"


def transitions(old: Any, new: Any) -> Iterator[Transition]:
    """Status changes from data `old` to data `new` (plain dicts of one record): the record's and each action's."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    kind = new.get("kind")
    if not isinstance(kind, str) or old.get("kind") != kind:
        return
    rid = str(new.get("id") or "")
    if old.get("status") != new.get("status") and _hashable(old.get("status")) and _hashable(new.get("status")):
        yield Transition(kind, rid, None, ("status",), old.get("status"), new.get("status"))
    if kind != "action_plan":
        return
    before = (
        {a.get("id"): a for a in old.get("actions") or () if isinstance(a, dict)}
        if isinstance(old.get("actions"), list)
        else {}
    )
    listed = new.get("actions")
    after: list[Any] = listed if isinstance(listed, list) else []
    for i, action in enumerate(after):
        if not isinstance(action, dict) or action.get("id") not in before:
            continue
        was = before[action.get("id")].get("status")
        now = action.get("status")
        if was != now and _hashable(was) and _hashable(now):
            yield Transition(kind, rid, str(action.get("id")), ("actions", i, "status"), was, now)


def _hashable(value: Any) -> bool:
    return isinstance(value, str)


def markdown() -> str:
    """The tables as Markdown, for the docs."""
    out = []
    for kind, steps in [*TRANSITIONS.items(), ("action (in an action plan)", ACTION_TRANSITIONS)]:
        out += [f"## {kind}", "", "| from | may move to |", "| --- | --- |"]
        out += [f"| {old} | {', '.join(new) or '—'} |" for old, new in steps.items()]
        out.append("")
    return "\n".join(out)


__all__ = [
    "ACTION_TRANSITIONS",
    "FORCED_TRAILER",
    "TRANSITIONS",
    "Transition",
    "allowed",
    "explain",
    "markdown",
    "table",
    "transitions",
]
