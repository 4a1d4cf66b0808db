"""The rest of Table Two as data for ``kscb stats``, ``kscb show`` and the reports (issue #14).

- ``performance(store)``: one row per indicator, agency and period with the figure, the
  target and whether it is on target (by the indicator's polarity); ``timeliness`` per
  agency: returns due, received on time, late, and overdue (from the ``performance_return``
  clock).
- ``inspections``, ``voice``, ``guidance``, ``meetings`` (attendance by agency, the
  representation duty), ``challenge_events`` (by cycle: events, not returns),
  ``training_needs`` (the training-needs analysis: every need from audits, with the delivered
  or planned training that answers it through ``learning_from: AUDIT#N1``) and
  ``evaluation`` (recommendations with success criteria, and how many are evaluated by an
  ``evaluates`` link).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.model.config import Indicator

GRADES = ("outstanding", "good", "requires_improvement", "inadequate", "not_graded")


def period_label(period: Any) -> str:
    """``Apr–Jun 2026`` (or ``Apr 2026``, or ``Dec 2025–Feb 2026``) for a return's period."""
    a, b = period.from_, period.to
    if (a.year, a.month) == (b.year, b.month):
        return f"{a:%b %Y}"
    if a.year == b.year:
        return f"{a:%b}–{b:%b %Y}"
    return f"{a:%b %Y}–{b:%b %Y}"


def off_target(ind: Indicator, value: float | None) -> bool:
    """Whether a figure is on the wrong side of its indicator's target."""
    if value is None or ind.target is None or ind.polarity == "neutral":
        return False
    return value < ind.target if ind.polarity == "higher_is_better" else value > ind.target


def on_target(ind: Any, value: float | None) -> str:
    """ "on target", "off target", or "—" (no target, neutral, or no figure)."""
    if value is None or ind is None or ind.target is None or ind.polarity == "neutral":
        return "—"
    return "off target" if off_target(ind, value) else "on target"


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if value == int(value) else f"{value:g}"


def performance(store: Any) -> list[dict[str, Any]]:
    indicators = store.config.indicators
    rows = []
    for r in store.of_kind("performance_return"):
        for v in r.values:
            ind = indicators.get(v.indicator)
            rows.append(
                {
                    "indicator": v.indicator,
                    "agency": r.agency,
                    "period": period_label(r.period),
                    "from": r.period.from_.isoformat(),
                    "value": v.value,
                    "target": ind.target if ind is not None else None,
                    "against_target": on_target(ind, v.value),
                    "return": r.id,
                    "status": r.status,
                    "reason": v.reason,
                }
            )
    rows.sort(key=lambda d: (d["indicator"], d["agency"], d["from"], d["return"]))
    return rows


def timeliness(store: Any, today: date) -> list[dict[str, Any]]:
    from kscb_cli.domain.clocks import clocks

    per: dict[str, dict[str, Any]] = {}
    returns = store.of_kind("performance_return")
    for c in clocks(store, today, records=returns):
        agency = store.get(c.record_id).agency
        row = per.setdefault(
            agency, {"agency": agency, "returns": 0, "on_time": 0, "late": 0, "overdue": 0, "not_yet_due": 0}
        )
        row["returns"] += 1
        key = {"met": "on_time", "missed": "late", "overdue": "overdue"}.get(c.state, "not_yet_due")
        row[key] += 1
    return [per[a] for a in sorted(per)]


def inspections(store: Any, links: Any) -> list[dict[str, Any]]:
    rows = []
    for r in sorted(store.of_kind("inspection"), key=lambda r: (r.date, r.id)):
        grades = [j.grade for j in r.judgements if j.grade != "not_graded"]
        overall = next((j.grade for j in r.judgements if j.area.lower().startswith("overall")), None)
        rows.append(
            {
                "inspection": r.id,
                "type": r.inspection_type,
                "date": r.date.isoformat(),
                "status": r.status,
                "overall": overall or (max(grades, key=GRADES.index) if grades else None),
                "findings": len(r.findings),
                "recommendations": len(r.recommendations),
                "evaluates": len(r.evaluates),
            }
        )
    return rows


def _changed(record: Any, links: Any) -> int:
    """How many of a record's recommendations have at least one action complete or embedded ("we did")."""
    done = 0
    for rec in record.recommendations:
        if any(a.action.is_done for a in links.actions_for_rec.get(f"{record.id}#{rec.id}", ())):
            done += 1
    return done


def voice(store: Any, links: Any) -> list[dict[str, Any]]:
    per: dict[str, dict[str, Any]] = {}
    for r in store.of_kind("voice"):
        row = per.setdefault(
            r.method,
            {"method": r.method, "records": 0, "participants": 0, "findings": 0, "recommendations": 0, "changed": 0},
        )
        row["records"] += 1
        row["participants"] += r.participants or 0
        row["findings"] += len(r.findings)
        row["recommendations"] += len(r.recommendations)
        row["changed"] += _changed(r, links)
    return [per[m] for m in sorted(per)]


def guidance(store: Any) -> list[dict[str, Any]]:
    rows = []
    for r in sorted(store.of_kind("guidance"), key=lambda r: (r.issued, r.id)):
        compliant = {c.agency for c in r.compliance if c.status == "compliant"}
        rows.append(
            {
                "guidance": r.id,
                "source_type": r.source_type,
                "issued": r.issued.isoformat(),
                "status": r.status,
                "must_comply": len(r.applies_to),
                "compliant": sum(1 for a in r.applies_to if a in compliant),
            }
        )
    return rows


def meetings(store: Any) -> list[dict[str, Any]]:
    per: dict[str, dict[str, Any]] = {}
    for m in store.of_kind("meeting"):
        if m.status not in ("held", "minutes_approved"):
            continue
        for a in m.attendance:
            row = per.setdefault(
                a.agency, {"agency": a.agency, "meetings": 0, "present": 0, "apologies": 0, "absent": 0}
            )
            row["meetings"] += 1
            row[a.attendance] += 1
    out = []
    for a in sorted(per):
        row = per[a]
        row["rate"] = round(row["present"] / row["meetings"], 2) if row["meetings"] else None
        out.append(row)
    return out


def challenge_events(store: Any) -> list[dict[str, Any]]:
    """By cycle: the challenge events (records), or — where a cycle has none — the distinct challenge dates of its returns."""
    from kscb_cli.domain.links import cycle_key

    per: dict[str, dict[str, Any]] = {}
    events = store.of_kind("challenge_event")
    for e in events:
        row = per.setdefault(e.cycle, _event_row(e.cycle, "challenge event records"))
        row["events"] += 1
        if e.status != "planned":
            row["held"] += 1
        row["presenting"] += len(e.presenting)
        row["young_people"] += e.young_people.participants if e.young_people else 0
        for o in e.outcomes:
            row[o.outcome] += 1
    recorded = set(per)
    for r in store.of_kind("section11"):
        if r.cycle in recorded or r.challenge is None:
            continue
        row = per.setdefault(r.cycle, {**_event_row(r.cycle, "Section 11 returns (challenge dates)"), "_dates": set()})
        row["_dates"].add(r.challenge.date)
        row["presenting"] += 1
        row[r.challenge.outcome] += 1
    out = []
    for cycle in sorted(per, key=cycle_key):
        row = per[cycle]
        dates = row.pop("_dates", None)
        if dates is not None:
            row["events"] = row["held"] = len(dates)
            row["young_people"] = None  # the returns say only whether young people took part
        out.append(row)
    return out


def _event_row(cycle: str, basis: str) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "events": 0,
        "held": 0,
        "presenting": 0,
        "assured": 0,
        "assured_with_actions": 0,
        "not_assured": 0,
        "young_people": 0,
        "basis": basis,
    }


def training_needs(store: Any, links: Any) -> list[dict[str, Any]]:
    """The training-needs analysis: every need an audit found, and the training that answers it."""
    rows = []
    for a in store.of_kind("audit"):
        for n in a.training_needs:
            ref = f"{a.id}#{n.id}"
            answered = sorted(
                {
                    l.source
                    for l in links.into.get(a.id, ())
                    if l.target == ref and (t := store.get(l.source)) is not None and t.kind == "training"
                }
            )
            statuses = [store.get(t).status for t in answered]
            rows.append(
                {
                    "need": ref,
                    "text": n.need,
                    "staff_group": n.staff_group,
                    "agencies": list(n.agencies),
                    "priority": n.priority,
                    "themes": list(n.themes),
                    "training": answered,
                    "state": "met"
                    if any(s in ("delivered", "evaluated") for s in statuses)
                    else ("planned" if "planned" in statuses else "open"),
                }
            )
    order = {"high": 0, "medium": 1, "low": 2}
    rows.sort(key=lambda d: (order[d["priority"]], d["need"]))
    return rows


def evaluation(store: Any, links: Any) -> list[dict[str, Any]]:
    """By kind of source: recommendations, those with success criteria, and those evaluated (directly or through an action)."""
    from kscb_cli.store.refs import LEARNING

    per: dict[str, dict[str, Any]] = {}
    for r in store.records:
        if r.kind not in LEARNING:
            continue
        evaluated = links.evaluations_for(r.id)
        for rec in r.recommendations:
            row = per.setdefault(r.kind, {"kind": r.kind, "recommendations": 0, "with_criteria": 0, "evaluated": 0})
            row["recommendations"] += 1
            row["with_criteria"] += 1 if rec.success_criteria else 0
            ref = f"{r.id}#{rec.id}"
            if ref in evaluated or any(a.ref in evaluated for a in links.actions_for_rec.get(ref, ())):
                row["evaluated"] += 1
    return [per[k] for k in sorted(per)]


def stats(store: Any, today: date, links: Any) -> dict[str, Any]:
    return {
        "performance": performance(store),
        "performance_timeliness": timeliness(store, today),
        "inspections": inspections(store, links),
        "voice": voice(store, links),
        "guidance": guidance(store),
        "meetings": meetings(store),
        "challenge_events": challenge_events(store),
        "training_needs": training_needs(store, links),
        "evaluation": evaluation(store, links),
    }
