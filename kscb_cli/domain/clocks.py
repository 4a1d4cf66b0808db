"""The statutory and local clocks (DOMAIN.md, "Statutory and local clocks"), computed from the clock table.

``clocks(store, today)`` returns one ``Clock`` per deadline that applies to a record (or,
for the yearly report, to the partnership), sorted by due date, then record id, then clock
name. Which clocks exist, whom they apply to, their start, length, what stops them and
their source are data in ``kscb_cli.domain.clock_table`` (docs/clocks.md is generated from it);
every length comes from ``kscb.yaml`` ``clocks``.

Calendars: a statutory working-day clock skips weekends and the bank holidays of the
store's division and nothing else; a local one also skips ``calendar.closures``.

Regimes: a notification or rapid review under the 2006 regime (before the Panel, 2018-06-29)
gets no Panel clock; an SCR gets the 2006 regime's own expectations (report within six
months, report to the national panel a week before publication); an LCSPR the 2018
Regulations' clocks; learning, practice and single-agency reviews only the local
expectations set in ``clocks.local_reviews``.

States: ``met`` (done on or before due), ``missed`` (done after due; also a published
review whose report never went to the Panel), ``overdue`` (not done and today is after
due), ``due_soon`` (not done and due within the "soon" window), ``running`` otherwise.
The "soon" window: 5 working days for working-day clocks (a notification is due soon
from the day it starts, which is how urgent it is); ``tracker.amber_days`` calendar days
for the others, the same window that turns an action amber.

Extensions: an entry of the record's ``extensions`` naming the clock (the latest agreed
wins) moves its deadline to ``new_due``; the clock keeps its original deadline and the
extension beside it, and a milestone met by the new date is ``met``. An extension that
does not move the deadline later is ignored here (lint rule K005 says so).

Not clocked: withdrawn notifications (and rapid reviews of them); closed records that
never recorded the milestone (nothing more will happen); the publication notice of a
review with neither ``publication.published`` nor ``publication.planned`` (nothing to
count back from), or whose decision is ``not_published``. A date the lint rules already
require (``sent`` on a notification whose status is ``sent``) is not guessed at: a record
missing it gets no clock until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kscb_cli.domain.calendar import WorkingCalendar
from kscb_cli.domain.clock_table import (
    BY_NAME,
    BY_REGIME,
    CLOCK_LABELS,
    NAMES,
    PANEL_FROM,
    WORKING_DAY_CLOCKS,
    Regime,
    regime_on,
)
from kscb_cli.model.kinds import Notification

__all__ = [
    "Clock",
    "NAMES",
    "STATES",
    "WORKING_DAY_CLOCKS",
    "CLOCK_LABELS",
    "calendars_for",
    "clocks",
    "regime_of",
    "state",
]

STATES = ("overdue", "due_soon", "running", "missed", "met")
SOON_WORKING_DAYS = 5
NOT_CLOCKED_REVIEWS = ("dhr", "national_review")  # the community safety partnership / the Panel runs these
STATUTORY_REVIEWS = ("lcspr", "scr")
REVIEW_IN_PROGRESS = ("commissioned", "in_progress", "draft_report")
PLAN_LIVE = ("approved", "in_progress")
TRAINING_HELD = ("delivered", "evaluated")


@dataclass(frozen=True)
class Clock:
    record_id: str
    name: str  # a clock of kscb_cli.domain.clock_table.CLOCKS
    start: date
    due: date  # the deadline in force: the extended one where an extension was agreed
    state: str  # running | due_soon | overdue | met | missed
    done: date | None
    loc: tuple[Any, ...]  # field path in the record, for diagnostics
    label: str
    kind: str = ""  # the record's kind; "partnership" for a kscb.yaml clock
    statutory: bool = True
    original_due: date | None = None  # the deadline before an extension
    extension: Any = None  # the extension applied (agreed, new_due, reason, agreed_by)
    regime: str | None = None

    @property
    def open(self) -> bool:
        """Still to do (running, due soon or overdue)."""
        return self.done is None and self.state not in ("met", "missed")

    @property
    def extended(self) -> bool:
        return self.extension is not None

    @property
    def extension_text(self) -> str:
        """The extension in words, for showing beside the clock ("" if none)."""
        e = self.extension
        if e is None:
            return ""
        return f"extended from {self.original_due} to {e.new_due}, agreed {e.agreed} by {e.agreed_by}: {' '.join(e.reason.split())}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        e = self.extension
        return {
            "clock": self.name,
            "state": self.state,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "label": self.label,
            "statutory": self.statutory,
            "original_due": self.original_due.isoformat() if self.original_due else None,
            "extension": None
            if e is None
            else {
                "agreed": e.agreed.isoformat(),
                "new_due": e.new_due.isoformat(),
                "reason": e.reason,
                "agreed_by": e.agreed_by,
            },
            "regime": self.regime,
        }


def calendars_for(config: Any) -> tuple[WorkingCalendar, WorkingCalendar]:
    """(statutory, local) working-day calendars of a store's ``kscb.yaml``: local ones skip closures too."""
    division = config.calendar.division
    return WorkingCalendar(division), WorkingCalendar(division, config.calendar.closures)


def calendar_for(config: Any) -> WorkingCalendar:
    """The local working-day calendar (bank holidays and closures)."""
    return calendars_for(config)[1]


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


def regime_of(record: Any, store: Any) -> Regime | None:
    """The statutory regime a notification, rapid review or review was under (None for other kinds).

    The record's own ``regime`` wins; else an SCR is a 2006-Regulations review (before the
    Panel, or in the transition), an LCSPR a 2018-Regulations one, and anything else is
    judged by its key date: a notification's ``aware``, a rapid review's notification's
    ``aware`` (else its meeting), a review's ``decided``.
    """
    stated = getattr(record, "regime", None)
    if stated:
        return BY_REGIME[stated]
    kind = record.kind
    if kind == "notification":
        return regime_on(record.aware)
    if kind == "rapid_review":
        n = store.get(record.notification)
        if n is not None and n.kind == "notification":
            return BY_REGIME[n.regime] if getattr(n, "regime", None) else regime_on(n.aware)
        day = record.meeting or record.completed or record.sent_to_panel
        return regime_on(day) if day else None
    if kind == "review":
        if record.review_type == "scr":
            return BY_REGIME["lscb_2006" if record.decided < PANEL_FROM else "transition_2018"]
        if record.review_type == "lcspr":
            return BY_REGIME["csprp_2018"]
        return regime_on(record.decided)
    return None


def _extension(record: Any, name: str) -> Any:
    found = [e for e in getattr(record, "extensions", None) or () if e.clock == name]
    return max(found, key=lambda e: (e.agreed, e.new_due)) if found else None


def _end_of_month(year: int, month: int) -> date:
    from kscb_cli.domain.calendar import add_months

    return add_months(date(year, month, 1), 1) - timedelta(days=1)


class _Builder:
    """Collects the clocks of one run: both calendars, the settings, and ``add``."""

    def __init__(self, store: Any, today: date, calendar: Any, links: Any):
        from kscb_cli.domain.links import Links

        self.store = store
        self.today = today
        self.c = store.config.clocks
        self.stat, local = calendars_for(store.config)
        self.local = calendar if calendar is not None else local
        self.links = links if links is not None else Links(store)
        self.amber = store.config.tracker.amber_days
        self.out: list[Clock] = []

    def add(
        self,
        record: Any,
        name: str,
        start: date,
        due: date,
        done: date | None,
        loc: tuple[Any, ...],
        label: str,
        st: str | None = None,
        *,
        regime: Regime | None = None,
        extension: Any = "record",
    ) -> None:
        spec = BY_NAME[name]
        cal = self.stat if spec.statutory else self.local
        ext = _extension(record, name) if extension == "record" else extension
        original = None
        if ext is not None and ext.new_due > due:
            original, due = due, ext.new_due
        else:
            ext = None
        if st == "missed" and ext is not None and self.today <= due:
            st = None  # published without the notice, but an extension is agreed: judge it by the new date
        st = st or state(name, due, done, self.today, calendar=cal, amber_days=self.amber)
        kind = getattr(record, "kind", "partnership")
        rid = getattr(record, "id", None) or str(record)
        self.out.append(
            Clock(
                rid,
                name,
                start,
                due,
                st,
                done,
                loc,
                label,
                kind,
                spec.statutory,
                original,
                ext,
                regime.id if regime else None,
            )
        )


def clocks(store: Any, today: date, *, calendar: Any = None, links: Any = None, records: Any = None) -> list[Clock]:
    """Every clock of every record in the store (or of ``records`` only), sorted by due, record id and name.

    ``calendar``, when given, is the local calendar (bank holidays and closures: a lint
    run's ``Context.calendar``); statutory clocks always use bank holidays only.
    The yearly report clocks (kscb.yaml ``yearly_reports``) are included when ``records`` is None.
    """
    b = _Builder(store, today, calendar, links)
    for record in store.records if records is None else records:
        build = _BUILDERS.get(record.kind)
        if build is not None:
            build(b, record)
    if records is None:
        _yearly(b)
    b.out.sort(key=lambda k: (k.due, k.record_id, k.name))
    return b.out


# --- one function per kind -----------------------------------------------------------


def _rr_start(b: _Builder, notification: Notification) -> date | None:
    return notification.aware if b.c.rapid_review_start == "aware" else notification.sent


def _notification(b: _Builder, record: Any) -> None:
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


def _rapid_review(b: _Builder, record: Any) -> None:
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


def _review(b: _Builder, record: Any) -> None:
    from kscb_cli.domain.calendar import add_months

    rt = record.review_type
    if rt in NOT_CLOCKED_REVIEWS:
        return
    regime = regime_of(record, b.store)
    assert regime is not None, "a review is always under a regime"
    c = b.c
    closed_unreported = record.status == "closed" and record.final_report is None
    in_progress = record.status in REVIEW_IN_PROGRESS
    checks = record.progress_checks
    last = max(checks) if checks else (record.commissioned or record.decided)
    what = "the last progress check" if checks else ("commissioning" if record.commissioned else "the decision")
    check_loc = ("progress_checks",) if checks else (("commissioned",) if record.commissioned else ("decided",))
    report_loc = ("final_report",) if record.final_report else ("status",)
    if rt not in STATUTORY_REVIEWS:
        local = c.local_reviews.get(rt)
        if local is None:
            return
        words = rt.replace("_", " ")
        if local.report_months and not closed_unreported:
            m = local.report_months
            b.add(
                record,
                "local_report",
                record.decided,
                add_months(record.decided, m),
                record.final_report,
                report_loc,
                f"final report of the {words} within {m} months of the decision (local expectation; {record.decided})",
                regime=regime,
            )
        if local.progress_check_days and in_progress:
            days = local.progress_check_days
            b.add(
                record,
                "local_progress_check",
                last,
                last + timedelta(days=days),
                None,
                check_loc,
                f"progress check of the {words} due within {days} days of {what} (local expectation; {last})",
                regime=regime,
            )
        return
    scr = rt == "scr"
    if not closed_unreported:
        m = c.review_months
        b.add(
            record,
            "final_report",
            record.decided,
            add_months(record.decided, m),
            record.final_report,
            report_loc,
            f"final report within {m} months of the decision to review ({record.decided})"
            + ("; the 2006 regime's expectation for an SCR" if scr else ""),
            regime=regime,
        )
    pub = record.publication
    on = (pub.published or pub.planned) if pub is not None else None
    notice = "scr_publication_notice" if scr else "publication_notice"
    if on is not None and pub.decision != "not_published" and regime.id in BY_NAME[notice].regimes:
        sent = pub.sent_to_panel
        when = "publication" if pub.published else "the planned publication"
        if scr:
            n = c.scr_publication_notice_days
            due = on - timedelta(days=n)
            what_notice = f"send the SCR report to Ofsted, the Department for Education and the national panel at least {n} days before {when} ({on})"
        else:
            n = c.publication_notice_working_days
            due = b.stat.add_working_days(on, -n)
            what_notice = f"send the report to the Panel and the Secretary of State at least {n} working days before {when} ({on})"
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
    if not scr and in_progress and regime.id in BY_NAME["progress_check"].regimes:
        days = c.progress_check_days
        b.add(
            record,
            "progress_check",
            last,
            last + timedelta(days=days),
            None,
            check_loc,
            f"partners' progress check due within {days} days of {what} ({last})",
            regime=regime,
        )


def _theme(b: _Builder, cycle: str) -> str:
    theme = b.store.config.section11_themes.get(cycle)
    if not theme:
        return ""
    return f"; the cycle's theme: {theme}"


def _section11(b: _Builder, record: Any) -> None:
    if record.status == "closed" and record.submitted is None:
        return
    b.add(
        record,
        "section11",
        record.due,
        record.due,
        record.submitted,
        ("submitted",) if record.submitted else ("due",),
        f"Section 11 return for {record.agency}, cycle {record.cycle}, due {record.due}{_theme(b, record.cycle)}",
    )


def _performance_return(b: _Builder, record: Any) -> None:
    """A partner's data return (issue #14): due by ``due``, stopped by ``received``."""
    if record.status != "requested" and record.received is None:
        return  # Q002 asks for the date; not guessed at
    b.add(
        record,
        "performance_return",
        record.due,
        record.due,
        record.received,
        ("received",) if record.received else ("due",),
        f"performance return from {record.agency} for {record.period.from_} to {record.period.to}, due {record.due}",
    )


def _section11_cycle(b: _Builder, agency: Any) -> None:
    from kscb_cli.domain.calendar import add_months

    if not agency.section11_duty:
        return
    per_cycle = b.links.section11.get(agency.id, {})
    # one return per cycle (the latest due, should a cycle hold two), in date order
    returns = sorted(
        (max(rs, key=lambda r: (r.due, r.id)) for rs in per_cycle.values() if rs), key=lambda r: (r.due, r.id)
    )
    if not returns:
        return  # no return at all: lint rule L006 says so
    years = b.c.section11_cycle_years
    for i, r in enumerate(returns):
        later = returns[i + 1] if i + 1 < len(returns) else None
        if later is None and agency.status != "active":
            return
        due = add_months(r.due, 12 * years)
        b.add(
            agency,
            "section11_cycle",
            r.due,
            due,
            later.due if later else None,
            ("section11_duty",),
            f"next Section 11 self-assessment for {agency.id} due within {years} years of cycle {r.cycle} ({r.due}){_theme(b, r.cycle)}"
            + (f"; cycle {later.cycle} due {later.due}" if later else ""),
        )


def _plan(b: _Builder, plan: Any) -> None:
    if plan.status not in PLAN_LIVE or plan.approved is None:
        return
    days = b.c.plan_review_days
    # a held meeting that reviewed the plan as its standing item counts as a review too (issue #14, meeting records)
    met = [d for d, _ in b.links.plan_reviews.get(plan.id, ())]
    last = max([plan.approved, *plan.reviewed, *met])
    what = "its last review" if (plan.reviewed or met) and last > plan.approved else "its approval"
    b.add(
        plan,
        "plan_review",
        last,
        last + timedelta(days=days),
        None,
        ("reviewed",) if plan.reviewed else ("approved",),
        f"review the plan at its workstream within {days} days of {what} ({last})",
    )


def _audit(b: _Builder, audit: Any) -> None:
    n = b.c.audit_qa_working_days
    if not n or audit.reported is None or (audit.status == "closed" and audit.qa_approved is None):
        return
    b.add(
        audit,
        "audit_qa",
        audit.reported,
        b.local.add_working_days(audit.reported, n),
        audit.qa_approved,
        ("qa_approved",) if audit.qa_approved else ("reported",),
        f"quality assure the audit report within {n} working days of reporting ({audit.reported}; local expectation)",
    )


def _training(b: _Builder, t: Any) -> None:
    days = b.c.training_follow_up_days
    if not days or t.status not in TRAINING_HELD:
        return
    fu = t.evaluation.follow_up if t.evaluation is not None else None
    earliest = b.c.training_follow_up_earliest_days
    label = f"follow-up evaluation (has practice changed?) {earliest}-{days} days after the event ({t.date})"
    loc = (
        ("evaluation", "follow_up")
        if fu is not None
        else (("evaluation",) if t.evaluation is not None else ("status",))
    )
    if fu is not None and fu.date is None:
        b.add(
            t,
            "training_follow_up",
            t.date,
            t.date + timedelta(days=days),
            None,
            loc,
            label + "; recorded without its date, so its timing is unknown",
            "met",
        )
        return
    b.add(
        t,
        "training_follow_up",
        t.date,
        t.date + timedelta(days=days),
        fu.date if fu else None,
        ("evaluation", "follow_up", "date") if fu else loc,
        label,
    )


def _child_death(b: _Builder, d: Any) -> None:
    from kscb_cli.domain.calendar import add_months

    n = b.c.child_death_review_months
    if not n or (d.status == "closed" and d.reviewed is None):
        return
    year, month = int(d.notified[:4]), int(d.notified[5:7])
    start = _end_of_month(year, month)
    end = add_months(date(year, month, 1), n)
    due = _end_of_month(end.year, end.month)
    b.add(
        d,
        "child_death_review",
        start,
        due,
        d.reviewed,
        ("reviewed",) if d.reviewed else ("notified",),
        f"panel review within {n} months of the month notified ({d.notified}; local milestone)",
    )


@dataclass(frozen=True)
class _Partnership:
    """Stands in for a record for the kscb.yaml clocks."""

    id: str
    kind: str = "partnership"
    extensions: tuple[Any, ...] = ()


def yearly_ids(config: Any, today: date) -> list[str]:
    """The reporting years clocked: those in ``yearly_reports`` and, once any is recorded, the last one ended."""
    years = set(config.yearly_reports)
    if not years:
        return []
    first = today.year - 1 if today > date(today.year, 3, 31) else today.year - 2
    years.add(f"{first}-{str(first + 1)[-2:]}")
    return sorted(years)


def _yearly(b: _Builder) -> None:
    from kscb_cli.domain.calendar import add_months

    config = b.store.config
    c = b.c
    for year in yearly_ids(config, b.today):
        entry = config.yearly_reports.get(year)
        first = int(year[:4])
        end = date(first + 1, 3, 31)
        rid = f"YEARLY-{year}"
        who = _Partnership(rid)
        m = c.yearly_report_months
        published = entry.published if entry else None
        b.add(
            who,
            "yearly_report",
            end,
            add_months(end, m),
            published,
            ("yearly_reports", year, "published"),
            f"publish the yearly report {year} within {m} months of the year's end ({end})",
            extension=entry.extension if entry else None,
        )
        if published is not None:
            days = c.yearly_report_sent_days
            b.add(
                who,
                "yearly_report_sent",
                published,
                published + timedelta(days=days),
                entry.sent,
                ("yearly_reports", year, "sent"),
                f"send the published yearly report {year} to the Panel within {days} days of publication ({published})",
                extension=None,
            )


# the clocks each kind of record starts (agencies: their Section 11 cycle)
_BUILDERS = {
    "notification": _notification,
    "rapid_review": _rapid_review,
    "review": _review,
    "section11": _section11,
    "performance_return": _performance_return,
    "agency": _section11_cycle,
    "action_plan": _plan,
    "audit": _audit,
    "training": _training,
    "child_death": _child_death,
}
