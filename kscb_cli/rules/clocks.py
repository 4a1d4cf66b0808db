"""K rules: statutory and local clocks that were missed or are overdue (warnings: the work is behind).

The clocks themselves are computed once per lint run by ``kscb_cli.clocks`` (see its
docstring for every clock, its start, length and states) and cached on the Context.
"""

from __future__ import annotations

from typing import Any, Iterator

from .registry import Hit, rule

CLOCKED = ("notification", "rapid_review", "review", "section11", "performance_return")

# What to do about a clock that is still open, by clock name.
FIX = {
    "notification": "send it to the Panel and add sent: YYYY-MM-DD",
    "rapid_review": "add completed: YYYY-MM-DD once the rapid review is completed",
    "final_report": "add final_report: YYYY-MM-DD when the report is received, and note any agreed extension in notes",
    "progress_check": "hold the partners' check and add its date to progress_checks",
    "section11": "chase the return and add submitted: YYYY-MM-DD when it arrives",
    "performance_return": "chase the data return and add received: YYYY-MM-DD when it arrives",
    "publication_notice": "send the report to the Panel and the Secretary of State now and add publication.sent_to_panel, or move publication.planned later",
}


def clocks_by_record(ctx: Any) -> dict[str, list]:
    """Every clock of the store, by record id: computed once per lint run."""
    found = ctx.extra.get("clocks")
    if found is None:
        from ..clocks import clocks
        from ..links import links_for

        found = {}
        for c in clocks(ctx.store, ctx.today, calendar=ctx.calendar, links=links_for(ctx)):
            found.setdefault(c.record_id, []).append(c)
        ctx.extra["clocks"] = found
    return found


def _late(c: Any, ctx: Any, until: Any) -> str:
    from ..clocks import WORKING_DAY_CLOCKS

    if c.name in WORKING_DAY_CLOCKS:
        n = ctx.calendar.working_days_between(c.due, until)
        return f"{n} working day{'s' * (n != 1)}"
    n = (until - c.due).days
    return f"{n} day{'s' * (n != 1)}"


@rule("K001", "clock-missed", "warning", kinds=CLOCKED)
def clock_missed(record, ctx) -> Iterator[Hit]:
    """A statutory or local clock was missed: the milestone came after its deadline.

    Clocks: notification within 5 working days of ``aware``; rapid review completed within
    15 working days of the notification being sent; a review's final report within 6 months
    of ``decided``; the report sent to the Panel at least 7 working days before
    ``publication.published``; a Section 11 return ``submitted`` by its ``due`` date
    (lengths from kscb.yaml ``clocks``). A missed clock cannot be fixed, only explained: the
    warning stays until the record is ignored for it (``lint.per_file_ignores``).
    Passes: ``aware: 2025-01-13`` and ``sent: 2025-01-17`` (due 2025-01-20).
    Fails: ``aware: 2025-01-13`` and ``sent: 2025-01-22``.
    """
    for c in clocks_by_record(ctx).get(record.id, ()):
        if c.state != "missed":
            continue
        if c.done is None:
            yield c.loc, f"{c.name.replace('_', ' ')} clock missed: {c.label}; the latest date was {c.due} and no date is recorded"
        else:
            yield c.loc, f"{c.name.replace('_', ' ')} clock missed: {c.label}; done {c.done}, {_late(c, ctx, c.done)} after the deadline of {c.due}"


@rule("K002", "clock-overdue", "warning", kinds=CLOCKED)
def clock_overdue(record, ctx) -> Iterator[Hit]:
    """A statutory or local clock is overdue: its deadline has passed and the milestone is not recorded.

    Also covers a notification with no rapid review record once the rapid review was due,
    a review in progress whose partners' progress check (every ``progress_check_days``,
    default 60) is overdue, and a review with a ``publication.planned`` date whose report has
    not gone to the Panel 7 working days before it. "Today" is ``--as-of`` or ``KSCB_TODAY``.
    Passes: a draft notification aware on 2025-01-13, linted as of 2025-01-20.
    Fails: the same notification linted as of 2025-01-21; add ``sent`` once it is sent.
    """
    for c in clocks_by_record(ctx).get(record.id, ()):
        if c.state != "overdue":
            continue
        fix = FIX[c.name]
        if c.name == "rapid_review" and record.kind == "notification":
            fix = "add the rapid review record (it names this notification) with its meeting and completed dates"
        yield c.loc, f"{c.name.replace('_', ' ')} clock overdue: {c.label}; due {c.due}, {_late(c, ctx, ctx.today)} ago — {fix}"
