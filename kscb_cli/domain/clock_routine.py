"""The clocks of the partnership's routine work: Section 11, data returns, plans, audits, training, child deaths, yearly reports.

Each function adds a record's clocks to a ``ClockBuilder``; ``yearly_clocks`` adds the
yearly report clocks of ``kscb.yaml`` ``yearly_reports``, which belong to the partnership
rather than to a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kscb_cli.domain.calendar import add_months
from kscb_cli.domain.clock_base import ClockBuilder

PLAN_LIVE = ("approved", "in_progress")
TRAINING_HELD = ("delivered", "evaluated")


def _end_of_month(year: int, month: int) -> date:
    return add_months(date(year, month, 1), 1) - timedelta(days=1)


def _theme(b: ClockBuilder, cycle: str) -> str:
    theme = b.store.config.section11_themes.get(cycle)
    if not theme:
        return ""
    return f"; the cycle's theme: {theme}"


def _section11(b: ClockBuilder, record: Any) -> None:
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


def _performance_return(b: ClockBuilder, record: Any) -> None:
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


def _section11_cycle(b: ClockBuilder, agency: Any) -> None:
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


def _plan(b: ClockBuilder, plan: Any) -> None:
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


def _audit(b: ClockBuilder, audit: Any) -> None:
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


def _training(b: ClockBuilder, t: Any) -> None:
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


def _child_death(b: ClockBuilder, d: Any) -> None:
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


def yearly_clocks(b: ClockBuilder) -> None:
    """The yearly report clocks: publish within ``yearly_report_months`` of the year's end, then send to the Panel."""
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
BUILDERS = {
    "section11": _section11,
    "performance_return": _performance_return,
    "agency": _section11_cycle,
    "action_plan": _plan,
    "audit": _audit,
    "training": _training,
    "child_death": _child_death,
}
