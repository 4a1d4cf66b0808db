"""D rules: dates in an order that can have happened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import Notification

Fields = tuple[str, ...]  # a field and its subfields: ("publication", "published")

# Each chain lists fields (as locations) whose dates must not go backwards, in order.
CHAINS: dict[str, list[tuple[Fields, ...]]] = {
    "notification": [(("incident",), ("aware",), ("sent",))],
    "rapid_review": [(("meeting",), ("completed",), ("sent_to_panel",), ("panel_response",))],
    "review": [
        (
            ("decided",),
            ("commissioned",),
            ("final_report",),
            ("publication", "sent_to_panel"),
            ("publication", "published"),
        ),
    ],
    "audit": [(("period", "from"), ("period", "to")), (("planned",), ("reported",), ("qa_approved",))],
    "section11": [(("submitted",), ("challenge", "date"))],
    "briefing": [(("approved",), ("published",))],
    "child_death": [(("notified",), ("reviewed",))],
    # the rest of Table Two (issue #14)
    "performance_return": [(("period", "from"), ("period", "to"), ("received",)), (("period", "from"), ("due",))],
    "inspection": [(("date",), ("reported",), ("published",))],
    "voice": [(("start",), ("reported",), ("responded",))],
    "guidance": [(("issued",), ("consultation", "opened"), ("consultation", "closed"))],
    "meeting": [(("date",), ("minutes_approved",))],
    "challenge_event": [(("date",), ("reported",))],
}


def _get(record: Any, loc: Fields) -> Any:
    value = record
    for part in loc:
        value = getattr(value, "from_" if part == "from" else part, None)
        if value is None:
            return None
    return value


def _month(value: Any) -> str:
    return value.isoformat()[:7] if isinstance(value, date) else str(value)


def _name(loc: Fields) -> str:
    return ".".join(str(p) for p in loc)


@rule("D001", "date-order")
def date_order(record: Any, ctx: Context) -> Iterator[Finding]:
    """Milestone dates go backwards, which cannot have happened.
    Orders checked: notification incident ≤ aware ≤ sent; rapid review meeting ≤ completed ≤
    sent_to_panel ≤ panel_response, and its meeting on or after its notification's incident; review
    decided ≤ commissioned ≤ final_report ≤ publication.sent_to_panel ≤ publication.published, and
    every progress check on or after the decision; audit period from ≤ to and planned ≤ reported ≤
    qa_approved; Section 11 submitted ≤ challenge date; briefing approved ≤ published; child death
    notified ≤ reviewed (by month); performance return period from ≤ to ≤ received, from ≤ due;
    inspection date ≤ reported ≤ published; voice start ≤ reported ≤ responded; guidance issued ≤
    consultation opened ≤ closed; meeting date ≤ minutes approved; challenge event date ≤ reported;
    an action's revised due date approved on or before the date it sets.
    Why: a date out of order is a typing slip, and every clock and report built on it is wrong.
    Fails: ``aware: 2025-01-13`` with ``sent: 2025-01-10``.
    Passes: dates in order; equal dates are allowed.
    Fix: check both dates the message names against the source and correct the wrong one.
    """
    for chain in CHAINS.get(record.kind, ()):
        latest: Fields | None = None
        for loc in chain:
            value = _get(record, loc)
            if value is None:
                continue
            if latest is not None:
                before = _get(record, latest)
                if record.kind == "child_death":
                    value_cmp, before_cmp = _month(value), _month(before)
                else:
                    value_cmp, before_cmp = value, before
                if value_cmp < before_cmp:
                    order = " ≤ ".join(_name(c) for c in chain)
                    yield Finding(
                        loc,
                        f"{_name(loc)} ({value}) is before {_name(latest)} ({before}); the order must be {order} — check both dates",
                    )
                    continue
            latest = loc
    if record.kind == "review":
        for i, check in enumerate(record.progress_checks):
            if check < record.decided:
                yield Finding(
                    ("progress_checks", i),
                    f"progress check {check} is before the review was decided ({record.decided}); check the date",
                )
    if record.kind == "rapid_review":
        notification = ctx.store.get(record.notification)
        if isinstance(notification, Notification) and record.meeting and record.meeting < notification.incident:
            yield Finding(
                ("meeting",),
                f"meeting ({record.meeting}) is before the incident of {notification.id} ({notification.incident}); check the date",
            )
    if record.kind == "action_plan":
        for i, action in enumerate(record.actions):
            rd = action.revised_due
            if rd is not None and rd.approved > rd.date:
                yield Finding(
                    ("actions", i, "revised_due", "approved"),
                    f"revision approved on {rd.approved}, after the revised date it sets ({rd.date}); check the dates",
                )
