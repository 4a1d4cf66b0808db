"""The statutory and local clocks (DOMAIN.md, "Statutory and local clocks"), as data.

``clocks(store, today)`` returns one ``Clock`` per deadline that applies to a record,
sorted by due date, then record id, then clock name. Every length and start comes from
``kscb.yaml`` ``clocks``; working-day clocks use the store's calendar (bank holidays of
its division plus ``calendar.closures``).

| name | on | start | due | done |
| --- | --- | --- | --- | --- |
| ``notification`` | notification (not withdrawn) | ``aware`` | ``notification_working_days`` working days after | ``sent`` |
| ``rapid_review`` | rapid review | its notification's ``sent`` (or ``aware`` when ``clocks.rapid_review_start: aware``) | ``rapid_review_working_days`` working days after | ``completed`` |
| ``rapid_review`` | notification that no rapid review follows yet | the same | the same | — (still to do) |
| ``final_report`` | review (not a DHR or national review, which other bodies run) | ``decided`` | ``review_months`` calendar months after | ``final_report`` |
| ``publication_notice`` | review published, or with a ``publication.planned`` date | its ``final_report`` (else ``decided``) | ``publication_notice_working_days`` working days before ``publication.published`` (else before ``publication.planned``) | ``publication.sent_to_panel`` |
| ``progress_check`` | review commissioned, in progress or at draft report | the last ``progress_checks`` date (else ``commissioned``, else ``decided``) | ``progress_check_days`` days after | — (the next check) |
| ``section11`` | Section 11 return | its ``due`` | its ``due`` | ``submitted`` |
| ``performance_return`` | performance return (issue #14: data must be timely) | its ``due`` | its ``due`` | ``received`` |

States: ``met`` (done on or before due), ``missed`` (done after due; also a published
review whose report never went to the Panel), ``overdue`` (not done and today is after
due), ``due_soon`` (not done and due within the "soon" window), ``running`` otherwise.

The "soon" window: for working-day clocks (notification, rapid review, publication
notice) 5 working days — so a notification is due soon from the day it starts, which is
how urgent it is; for calendar clocks (final report, progress check, Section 11)
``tracker.amber_days`` calendar days, the same window that turns an action amber.

Not clocked: withdrawn notifications (and rapid reviews of them); closed reviews and
Section 11 returns that never recorded the milestone (nothing more will happen); the
publication notice of a review with neither ``publication.published`` nor
``publication.planned`` (nothing to count back from), or whose decision is
``not_published``. Once published, a notice never sent is ``missed``. A date the lint rules already
require (``sent`` on a notification whose status is ``sent``) is not guessed at: a record
missing it gets no clock until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

NAMES = ("notification", "rapid_review", "final_report", "publication_notice", "progress_check", "section11", "performance_return")
STATES = ("overdue", "due_soon", "running", "missed", "met")
WORKING_DAY_CLOCKS = ("notification", "rapid_review", "publication_notice")
SOON_WORKING_DAYS = 5
NOT_CLOCKED_REVIEWS = ("dhr", "national_review")  # the community safety partnership / the Panel runs these
REVIEW_IN_PROGRESS = ("commissioned", "in_progress", "draft_report")


@dataclass(frozen=True)
class Clock:
    record_id: str
    name: str  # notification | rapid_review | final_report | publication_notice | progress_check | section11
    start: date
    due: date
    state: str  # running | due_soon | overdue | met | missed
    done: date | None
    loc: tuple  # field path in the record, for diagnostics
    label: str

    @property
    def open(self) -> bool:
        """Still to do (running, due soon or overdue)."""
        return self.done is None and self.state not in ("met", "missed")


def calendar_for(config: Any):
    """The working-day calendar of a store's ``kscb.yaml``."""
    from .calendar import WorkingCalendar

    return WorkingCalendar(config.calendar.division, config.calendar.closures)


def state(name: str, due: date, done: date | None, today: date, *, calendar: Any, amber_days: int) -> str:
    """The state of a clock (see the module docstring)."""
    if done is not None:
        return "met" if done <= due else "missed"
    if today > due:
        return "overdue"
    if name in WORKING_DAY_CLOCKS:
        soon = calendar.working_days_between(today, due) <= SOON_WORKING_DAYS
    else:
        soon = (due - today).days <= amber_days
    return "due_soon" if soon else "running"


def clocks(store: Any, today: date, *, calendar: Any = None, links: Any = None, records: Any = None) -> list[Clock]:
    """Every clock of every record in the store (or of ``records`` only), sorted by due, record id and name."""
    from .calendar import add_months
    from .links import Links

    config = store.config
    c = config.clocks
    cal = calendar if calendar is not None else calendar_for(config)
    links = links if links is not None else Links(store)
    amber = config.tracker.amber_days
    out: list[Clock] = []

    def add(record_id: str, name: str, start: date, due: date, done: date | None, loc: tuple, label: str, st: str | None = None) -> None:
        st = st or state(name, due, done, today, calendar=cal, amber_days=amber)
        out.append(Clock(record_id, name, start, due, st, done, loc, label))

    def rr_start(notification: Any) -> date | None:
        return notification.aware if c.rapid_review_start == "aware" else notification.sent

    for record in store.records if records is None else records:
        kind = record.kind
        if kind == "notification":
            if record.status == "withdrawn" or (record.status == "sent" and record.sent is None):
                continue
            n = c.notification_working_days
            due = cal.add_working_days(record.aware, n)
            add(record.id, "notification", record.aware, due, record.sent, ("sent",) if record.sent else ("status",),
                f"notify the Panel within {n} working days of becoming aware ({record.aware})")
            start = rr_start(record)
            if start is not None and not links.rapid_reviews_of.get(record.id):
                n = c.rapid_review_working_days
                add(record.id, "rapid_review", start, cal.add_working_days(start, n), None, ("sent",) if record.sent else ("aware",),
                    f"rapid review within {n} working days of the notification being {'sent' if c.rapid_review_start == 'sent' else 'made'} ({start}); no rapid review record yet")
        elif kind == "rapid_review":
            notification = store.get(record.notification)
            if notification is None or notification.kind != "notification" or notification.status == "withdrawn":
                continue
            start = rr_start(notification)
            if start is None or (record.status in ("completed", "sent_to_panel", "closed") and record.completed is None):
                continue
            n = c.rapid_review_working_days
            add(record.id, "rapid_review", start, cal.add_working_days(start, n), record.completed,
                ("completed",) if record.completed else ("status",),
                f"complete the rapid review within {n} working days of {notification.id} being {'sent' if c.rapid_review_start == 'sent' else 'made'} ({start})")
        elif kind == "review":
            _review_clocks(record, c, cal, add, add_months)
        elif kind == "section11":
            if record.status == "closed" and record.submitted is None:
                continue
            add(record.id, "section11", record.due, record.due, record.submitted, ("submitted",) if record.submitted else ("due",),
                f"Section 11 return for {record.agency}, cycle {record.cycle}, due {record.due}")
        elif kind == "performance_return":
            if record.status != "requested" and record.received is None:
                continue  # Q002 asks for the date; not guessed at
            add(record.id, "performance_return", record.due, record.due, record.received, ("received",) if record.received else ("due",),
                f"performance return from {record.agency} for {record.period.from_} to {record.period.to}, due {record.due}")
    out.sort(key=lambda k: (k.due, k.record_id, k.name))
    return out


def _review_clocks(record: Any, c: Any, cal: Any, add: Any, add_months: Any) -> None:
    if record.review_type not in NOT_CLOCKED_REVIEWS and not (record.status == "closed" and record.final_report is None):
        m = c.review_months
        add(record.id, "final_report", record.decided, add_months(record.decided, m), record.final_report,
            ("final_report",) if record.final_report else ("status",),
            f"final report within {m} months of the decision to review ({record.decided})")
    pub = record.publication
    on = (pub.published or pub.planned) if pub is not None else None
    if on is not None and pub.decision != "not_published":
        n = c.publication_notice_working_days
        due = cal.add_working_days(on, -n)
        sent = pub.sent_to_panel
        when = "publication" if pub.published else "the planned publication"
        add(record.id, "publication_notice", record.final_report or record.decided, due, sent,
            ("publication", "sent_to_panel") if sent else ("publication", "published" if pub.published else "planned"),
            f"send the report to the Panel and the Secretary of State at least {n} working days before {when} ({on})",
            "missed" if sent is None and pub.published else None)
    if record.status in REVIEW_IN_PROGRESS:
        checks = record.progress_checks
        last = max(checks) if checks else (record.commissioned or record.decided)
        days = c.progress_check_days
        what = "the last progress check" if checks else ("commissioning" if record.commissioned else "the decision")
        add(record.id, "progress_check", last, last + timedelta(days=days), None,
            ("progress_checks",) if checks else (("commissioned",) if record.commissioned else ("decided",)),
            f"partners' progress check due within {days} days of {what} ({last})")
