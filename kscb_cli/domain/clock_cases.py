"""The clocks of a case: a notification, its rapid review, and the review that follows.

The Panel's process in order (DOMAIN.md, "Statutory and local clocks"): notify the Panel
and, for a looked-after child's death, Ofsted; send the rapid review; then the review's
final report, the publication notice and the partners' progress checks — or, for a
learning, practice or single-agency review, the local expectations in
``clocks.local_reviews``. Each function adds a record's clocks to a ``ClockBuilder``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kscb_cli.domain.calendar import add_months
from kscb_cli.domain.clock_base import ClockBuilder, regime_of
from kscb_cli.domain.clock_table import BY_NAME, Regime

if TYPE_CHECKING:
    from kscb_cli.model.kinds import Notification

NOT_CLOCKED_REVIEWS = ("dhr", "national_review")  # the community safety partnership / the Panel runs these
STATUTORY_REVIEWS = ("lcspr", "scr")
REVIEW_IN_PROGRESS = ("commissioned", "in_progress", "draft_report")


def _rr_start(b: ClockBuilder, notification: Notification) -> date | None:
    return notification.aware if b.c.rapid_review_start == "aware" else notification.sent


def _notification(b: ClockBuilder, record: Any) -> None:
    regime = regime_of(record, b.store)
    assert regime is not None, "a notification is always under a regime"
    if record.status == "withdrawn" or not regime.panel:
        return
    if record.status == "sent" and record.sent is None:
        return
    c = b.c
    n = c.notification_working_days
    b.add(
        record,
        "notification",
        record.aware,
        b.stat.add_working_days(record.aware, n),
        record.sent,
        ("sent",) if record.sent else ("status",),
        f"notify the Panel within {n} working days of becoming aware ({record.aware})",
        regime=regime,
    )
    if record.looked_after and record.harm == "death":
        n = c.ofsted_notice_working_days
        b.add(
            record,
            "ofsted_notice",
            record.aware,
            b.stat.add_working_days(record.aware, n),
            record.ofsted_notified,
            ("ofsted_notified",) if record.ofsted_notified else ("looked_after",),
            f"report a looked-after child's death to Ofsted and the Secretary of State within {n} working days of becoming aware ({record.aware})",
            regime=regime,
        )
    start = _rr_start(b, record)
    if start is not None and not b.links.rapid_reviews_of.get(record.id):
        n = c.rapid_review_working_days
        b.add(
            record,
            "rapid_review",
            start,
            b.stat.add_working_days(start, n),
            None,
            ("sent",) if record.sent else ("aware",),
            f"rapid review to the Panel within {n} working days of the notification being {'sent' if c.rapid_review_start == 'sent' else 'made'} ({start}); no rapid review record yet",
            regime=regime,
        )


def _rapid_review(b: ClockBuilder, record: Any) -> None:
    notification = b.store.get(record.notification)
    if notification is None or notification.kind != "notification" or notification.status == "withdrawn":
        return
    regime = regime_of(record, b.store)
    if regime is None or not regime.panel:
        return
    start = _rr_start(b, notification)
    if start is None or (record.status in ("sent_to_panel", "closed") and record.sent_to_panel is None):
        return
    n = b.c.rapid_review_working_days
    done = record.sent_to_panel
    b.add(
        record,
        "rapid_review",
        start,
        b.stat.add_working_days(start, n),
        done,
        ("sent_to_panel",) if done else ("status",),
        f"send the rapid review to the Panel within {n} working days of {notification.id} being {'sent' if b.c.rapid_review_start == 'sent' else 'made'} ({start})",
        regime=regime,
    )


@dataclass(frozen=True)
class _ReviewFacts:
    """What a review's clocks count from: its last progress check (or commissioning, or the decision)."""

    closed_unreported: bool  # closed without a final report: no report clock
    in_progress: bool  # commissioned, in progress or at draft report: progress checks run
    last: date  # the last progress check, else commissioning, else the decision
    what: str  # ``last`` in words
    check_loc: tuple[str, ...]
    report_loc: tuple[str, ...]

    @classmethod
    def of(cls, record: Any) -> _ReviewFacts:
        checks = record.progress_checks
        return cls(
            closed_unreported=record.status == "closed" and record.final_report is None,
            in_progress=record.status in REVIEW_IN_PROGRESS,
            last=max(checks) if checks else (record.commissioned or record.decided),
            what="the last progress check" if checks else ("commissioning" if record.commissioned else "the decision"),
            check_loc=("progress_checks",) if checks else (("commissioned",) if record.commissioned else ("decided",)),
            report_loc=("final_report",) if record.final_report else ("status",),
        )


def _review(b: ClockBuilder, record: Any) -> None:
    rt = record.review_type
    if rt in NOT_CLOCKED_REVIEWS:
        return
    regime = regime_of(record, b.store)
    assert regime is not None, "a review is always under a regime"
    facts = _ReviewFacts.of(record)
    if rt not in STATUTORY_REVIEWS:
        _local_review(b, record, regime, facts)
        return
    scr = rt == "scr"
    if not facts.closed_unreported:
        _final_report(b, record, regime, facts, scr=scr)
    _publication_notice(b, record, regime, scr=scr)
    if not scr and facts.in_progress and regime.id in BY_NAME["progress_check"].regimes:
        days = b.c.progress_check_days
        b.add(
            record,
            "progress_check",
            facts.last,
            facts.last + timedelta(days=days),
            None,
            facts.check_loc,
            f"partners' progress check due within {days} days of {facts.what} ({facts.last})",
            regime=regime,
        )


def _local_review(b: ClockBuilder, record: Any, regime: Regime, facts: _ReviewFacts) -> None:
    """A learning, practice or single-agency review: only the expectations of ``clocks.local_reviews``."""
    rt = record.review_type
    local = b.c.local_reviews.get(rt)
    if local is None:
        return
    words = rt.replace("_", " ")
    if local.report_months and not facts.closed_unreported:
        m = local.report_months
        b.add(
            record,
            "local_report",
            record.decided,
            add_months(record.decided, m),
            record.final_report,
            facts.report_loc,
            f"final report of the {words} within {m} months of the decision (local expectation; {record.decided})",
            regime=regime,
        )
    if local.progress_check_days and facts.in_progress:
        days = local.progress_check_days
        b.add(
            record,
            "local_progress_check",
            facts.last,
            facts.last + timedelta(days=days),
            None,
            facts.check_loc,
            f"progress check of the {words} due within {days} days of {facts.what} (local expectation; {facts.last})",
            regime=regime,
        )


def _final_report(b: ClockBuilder, record: Any, regime: Regime, facts: _ReviewFacts, *, scr: bool) -> None:
    m = b.c.review_months
    b.add(
        record,
        "final_report",
        record.decided,
        add_months(record.decided, m),
        record.final_report,
        facts.report_loc,
        f"final report within {m} months of the decision to review ({record.decided})"
        + ("; the 2006 regime's expectation for an SCR" if scr else ""),
        regime=regime,
    )


def _publication_notice(b: ClockBuilder, record: Any, regime: Regime, *, scr: bool) -> None:
    """The report to the Panel (an SCR: Ofsted, the DfE and the panel) before publication, counted back from it."""
    pub = record.publication
    on = (pub.published or pub.planned) if pub is not None else None
    notice = "scr_publication_notice" if scr else "publication_notice"
    if on is None or pub.decision == "not_published" or regime.id not in BY_NAME[notice].regimes:
        return
    c = b.c
    sent = pub.sent_to_panel
    when = "publication" if pub.published else "the planned publication"
    if scr:
        n = c.scr_publication_notice_days
        due = on - timedelta(days=n)
        what_notice = f"send the SCR report to Ofsted, the Department for Education and the national panel at least {n} days before {when} ({on})"
    else:
        n = c.publication_notice_working_days
        due = b.stat.add_working_days(on, -n)
        what_notice = (
            f"send the report to the Panel and the Secretary of State at least {n} working days before {when} ({on})"
        )
    b.add(
        record,
        notice,
        record.final_report or record.decided,
        due,
        sent,
        ("publication", "sent_to_panel") if sent else ("publication", "published" if pub.published else "planned"),
        what_notice,
        "missed" if sent is None and pub.published else None,
        regime=regime,
    )


# the clocks each kind of record starts
BUILDERS = {
    "notification": _notification,
    "rapid_review": _rapid_review,
    "review": _review,
}
