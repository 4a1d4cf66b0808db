"""K rules: statutory and local clocks that were missed or are overdue (warnings: the work is behind).

The clocks themselves are computed once per lint run by ``kscb_cli.domain.clocks`` (see its
docstring for every clock, its start, length and states) and cached on the Context
(``ctx.clocks_by_record``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from kscb_cli.domain.clock_table import CLOCKED_KINDS as CLOCKED
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import Notification, Training

if TYPE_CHECKING:
    from kscb_cli.domain.clocks import Clock

# What to do about a clock that is still open, by clock name.
FIX = {
    "notification": "send it to the Panel and add sent: YYYY-MM-DD",
    "ofsted_notice": "report the death to Ofsted and the Secretary of State and add ofsted_notified: YYYY-MM-DD",
    "rapid_review": "send the rapid review to the Panel and add sent_to_panel: YYYY-MM-DD",
    "final_report": "add final_report: YYYY-MM-DD when the report is received, or record an agreed extension (extensions: clock final_report, agreed, new_due, reason, agreed_by)",
    "local_report": "add final_report: YYYY-MM-DD when the report is received, or record an agreed extension",
    "progress_check": "hold the partners' check and add its date to progress_checks",
    "local_progress_check": "hold the check and add its date to progress_checks",
    "section11": "chase the return and add submitted: YYYY-MM-DD when it arrives, or record an agreed extension",
    "performance_return": "chase the data return and add received: YYYY-MM-DD when it arrives, or record an agreed extension",
    "section11_cycle": "issue the next cycle's Section 11 returns (records/section11/), or record an agreed extension on the agency",
    "publication_notice": "send the report to the Panel and the Secretary of State now and add publication.sent_to_panel, or move publication.planned later",
    "scr_publication_notice": "send the report to the national panel now and add publication.sent_to_panel, or move publication.planned later",
    "plan_review": "review the plan at its workstream and add the date to reviewed",
    "audit_qa": "take the report to the evaluation and effectiveness workstream and add qa_approved: YYYY-MM-DD",
    "training_follow_up": "run the follow-up survey and add evaluation.follow_up (responses, practice_changed, date)",
    "child_death_review": "hold the panel review and add reviewed: YYYY-MM-DD",
    "yearly_report": "publish the yearly report and add yearly_reports.YEAR.published to kscb.yaml",
    "yearly_report_sent": "send the report to the Panel and add yearly_reports.YEAR.sent to kscb.yaml",
}


def clocks_of(record: Any, ctx: Context) -> list[Clock]:
    """The clocks of this record (this file's record, when two files share its id)."""
    if len(ctx.store.by_id.get(record.id, ())) > 1:
        from kscb_cli.domain.clocks import clocks

        return clocks(ctx.store, ctx.today, calendar=ctx.calendar, links=ctx.links, records=[record])
    return ctx.clocks_by_record.get(record.id, [])


def _late(c: Clock, ctx: Context, until: date) -> str:
    from kscb_cli.domain.clocks import WORKING_DAY_CLOCKS

    if c.name in WORKING_DAY_CLOCKS:
        cal = ctx.statutory_calendar if c.statutory else ctx.calendar
        n = cal.working_days_between(c.due, until)
        return f"{n} working day{'s' * (n != 1)}"
    n = (until - c.due).days
    return f"{n} day{'s' * (n != 1)}"


@rule("K001", "clock-missed", "warning", kinds=CLOCKED)
def clock_missed(record: Any, ctx: Context) -> Iterator[Finding]:
    """A statutory or local clock was missed: the milestone came after its deadline.
    Every clock of docs/clocks.md: for example the notification within 5 working days of
    ``aware``; the rapid review sent to the Panel within 15 working days of the notification
    being sent; an LCSPR's final report within 6 months of ``decided``; the report sent to the
    Panel at least 7 working days before ``publication.published``; a Section 11 return
    ``submitted`` by its ``due`` date (lengths from kscb.yaml ``clocks``). An agreed extension
    (``extensions``: clock, agreed, new_due, reason, agreed_by) moves the deadline, and is shown beside it.
    Why: a missed statutory deadline is what the Panel, Ofsted and the board ask about; it must be seen and explained.
    Fails: ``aware: 2025-01-13`` and ``sent: 2025-01-22``.
    Passes: ``aware: 2025-01-13`` and ``sent: 2025-01-17`` (due 2025-01-20).
    Fix: a missed clock cannot be undone, only explained: record the agreed extension or the reason
    for delay on the record, or correct a wrong date; otherwise leave the warning as the record of it.
    """
    for c in clocks_of(record, ctx):
        if c.state != "missed":
            continue
        if c.done is None:
            yield Finding(
                c.loc,
                f"{c.name.replace('_', ' ')} clock missed: {c.label}; the latest date was {c.due} and no date is recorded",
            )
        else:
            ext = f" ({c.extension_text})" if c.extended else ""
            yield Finding(
                c.loc,
                f"{c.name.replace('_', ' ')} clock missed: {c.label}; done {c.done}, {_late(c, ctx, c.done)} after the deadline of {c.due}{ext}",
            )


@rule("K002", "clock-overdue", "warning", kinds=CLOCKED)
def clock_overdue(record: Any, ctx: Context) -> Iterator[Finding]:
    """A statutory or local clock is overdue: its deadline has passed and the milestone is not recorded.
    Also covers a notification with no rapid review record once the rapid review was due,
    a review in progress whose partners' progress check (every ``progress_check_days``,
    default 60) is overdue, a review with a ``publication.planned`` date whose report has
    not gone to the Panel 7 working days before it, an action plan not reviewed at its
    workstream for ``plan_review_days`` (default 90), an audit not quality assured, a
    training follow-up not done, and the rest of docs/clocks.md. "Today" is ``--as-of`` or ``KSCB_TODAY``.
    Why: work that is behind a deadline still running can be caught up; the warning says what to do next.
    Fails: a draft notification aware on 2025-01-13, linted as of 2025-01-21.
    Passes: the same notification linted as of 2025-01-20 (its last day); a withdrawn notification runs no clock.
    Fix: do the step and record its date (the message says which field), or record an agreed extension.
    """
    for c in clocks_of(record, ctx):
        if c.state != "overdue":
            continue
        fix = FIX.get(c.name, "record the milestone")
        if c.name == "rapid_review" and record.kind == "notification":
            fix = "add the rapid review record (it names this notification) with its meeting and completed dates"
        ext = f" ({c.extension_text})" if c.extended else ""
        yield Finding(
            c.loc,
            f"{c.name.replace('_', ' ')} clock overdue: {c.label}; due {c.due}{ext}, {_late(c, ctx, ctx.today)} ago — {fix}",
        )


def _kind_clocks(kind: str) -> list[str]:
    from kscb_cli.domain.clock_table import CLOCKS

    names = [c.name for c in CLOCKS if c.kind == kind]
    if kind == "notification":
        names.append("rapid_review")  # the rapid review still to come, clocked on the notification
    return names


@rule("K003", "notification-criteria", kinds=["notification"])
def notification_criteria(record: Notification, ctx: Context) -> Iterator[Finding]:
    """A notification says abuse or neglect is not suspected, but is not one of the incidents notifiable regardless.
    Why: Working Together 2023: a child's death or serious harm is notifiable where abuse or neglect
    is known or suspected; a looked-after child's death, and a death or serious harm in a
    regulated setting (``regulated_setting: true``), are notifiable whether or not it is.
    Fails: ``abuse: not_suspected`` with ``looked_after: false`` and no ``regulated_setting``.
    Passes: ``abuse: not_suspected`` with ``looked_after: true`` and ``harm: death``; or with ``regulated_setting: true``.
    Fix: correct ``abuse`` to known or suspected, add ``regulated_setting: true``, or withdraw the notification.
    """
    if record.abuse != "not_suspected":
        return
    if (record.looked_after and record.harm == "death") or record.regulated_setting:
        return
    yield Finding(
        ("abuse",),
        (
            "abuse: not_suspected fits only a looked-after child's death or a death or serious harm in a regulated setting "
            "(Working Together 2023); otherwise the incident is not notifiable — correct abuse to known or suspected, "
            "add regulated_setting: true, or withdraw the notification"
        ),
    )


@rule("K004", "extension-clock", kinds=CLOCKED)
def extension_clock(record: Any, ctx: Context) -> Iterator[Finding]:
    """An extension names a clock that does not exist, or that this kind of record does not have.
    ``extensions[].clock`` is a clock name of docs/clocks.md that runs on the record's kind:
    ``final_report`` on a review, ``section11`` on a Section 11 return, ``plan_review`` on an
    action plan, and so on.
    Why: an extension of a clock that is not there moves no deadline, so the agreed extension would silently count for nothing.
    Fails: ``clock: final_reprot`` (a typo, with a suggestion), or ``clock: section11`` on a review.
    Passes: ``clock: section11`` on a Section 11 return.
    Fix: use one of the clock names the message lists for the record's kind.
    """
    from kscb_cli.domain.clock_table import NAMES
    from kscb_cli.store.validate import suggest

    mine = _kind_clocks(record.kind)
    for i, e in enumerate(record.extensions):
        if e.clock in mine:
            continue
        if e.clock not in NAMES:
            yield Finding(
                ("extensions", i, "clock"),
                f"no clock is called {e.clock!r}{suggest(e.clock, mine)} (the clocks of a {record.kind}: {', '.join(mine)}; docs/clocks.md)",
            )
        else:
            yield Finding(
                ("extensions", i, "clock"),
                f"a {record.kind} has no {e.clock} clock; its clocks: {', '.join(mine)} (docs/clocks.md)",
            )


@rule("K005", "extension-no-effect", "warning", kinds=CLOCKED)
def extension_no_effect(record: Any, ctx: Context) -> Iterator[Finding]:
    """An extension changes nothing: its clock does not run on this record, or its new date is not later.
    Also warns when the extension is dated as agreed after the new deadline it sets, which cannot have happened.
    Why: an extension that moves nothing suggests a wrong date or clock, and the deadline it was meant to move still stands.
    Fails: ``new_due: 2025-07-01`` for a final report already due 2025-08-10; ``agreed`` after ``new_due``.
    Passes: an extension whose ``new_due`` is after the deadline it extends, agreed before that date.
    Fix: check the extension's clock and dates and correct them, or remove an extension that is not needed.
    """
    mine = _kind_clocks(record.kind)
    found = clocks_of(record, ctx)
    for i, e in enumerate(record.extensions):
        if e.clock not in mine:
            continue  # K004
        if e.agreed > e.new_due:
            yield Finding(
                ("extensions", i, "agreed"),
                f"agreed {e.agreed}, after the new deadline it sets ({e.new_due}); check the dates",
            )
        same = [c for c in found if c.name == e.clock]
        if not same:
            yield Finding(
                ("extensions", i, "clock"),
                f"no {e.clock} clock runs on this record (docs/clocks.md says whom it applies to); the extension has no effect",
            )
        elif all(c.extension is None for c in same):
            due = max(c.due for c in same)
            if e.new_due <= due:
                yield Finding(
                    ("extensions", i, "new_due"),
                    f"new_due {e.new_due} is not after the deadline {due}; the extension changes nothing — check the date",
                )


@rule("K006", "regime-dates", "warning", kinds=["notification", "rapid_review", "review"])
def regime_dates(record: Any, ctx: Context) -> Iterator[Finding]:
    """A record states a regime that its dates (or its review type) do not fit.
    The regimes of docs/clocks.md: ``lscb_2006`` before 2018-06-29, ``transition_2018`` to
    2019-09-30, ``csprp_2018`` from 2019-10-01; an SCR is a 2006-Regulations review and an
    LCSPR a 2018-Regulations one.
    Why: the stated regime decides the clocks, so a wrong one hides or invents deadlines.
    Fails: ``regime: lscb_2006`` on a notification with ``aware: 2025-01-13``; an SCR labelled ``csprp_2018``.
    Passes: a 2016 notification labelled ``lscb_2006``, or a record with no ``regime`` (it is derived from the dates).
    Fix: correct ``regime`` to the one the message names, or remove it.
    """
    from kscb_cli.domain.clocks import regime_of

    if not record.regime:
        return
    derived = regime_of(record.model_copy(update={"regime": None}), ctx.store)
    if derived is None or derived.id == record.regime:
        return
    if record.kind == "review" and record.review_type not in ("scr", "lcspr"):
        return  # a learning review's regime is only a label: no statutory clock depends on it
    if record.kind == "notification" and derived.panel and record.regime != "lscb_2006":
        return  # transition or 2018 Regulations: the same Panel clocks either way
    why = (
        f"review_type {record.review_type}"
        if record.kind == "review" and record.review_type in ("scr", "lcspr")
        else "its dates"
    )
    yield Finding(
        ("regime",),
        f"regime {record.regime} does not fit {why}, which put it under {derived.id} ({derived.label}); correct regime or remove it",
    )


@rule("K007", "training-follow-up-early", "warning", kinds=["training"])
def training_follow_up_early(record: Training, ctx: Context) -> Iterator[Finding]:
    """A training follow-up evaluation was held before practice could change (under 6 weeks after the event).
    Why: Kirkpatrick level 3 asks 6 to 8 weeks later whether practice has changed
    (``clocks.training_follow_up_earliest_days``, default 42); asked sooner, the answer shows little.
    Fails: an event on 2026-02-24 with ``follow_up.date: 2026-03-10``.
    Passes: a follow-up 7 weeks after the event.
    Fix: hold the follow-up at least the configured number of days after the event, or correct its date.
    """
    fu = record.evaluation.follow_up if record.evaluation is not None else None
    if fu is None or fu.date is None:
        return
    earliest = ctx.config.clocks.training_follow_up_earliest_days
    gap = (fu.date - record.date).days
    if gap < earliest:
        yield Finding(
            ("evaluation", "follow_up", "date"),
            f"follow-up {fu.date} is {gap} days after the event ({record.date}); hold it at least {earliest} days after, when a change in practice can show",
        )
