"""The Section 11 summary: one cycle's returns, ratings by agency and standard, changes since the last cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.charts import s11_by_standard, s11_change
from kscb_cli.reporting.views.common import RATINGS, BragTotals, Ctx, Pie, brag_totals, label, words
from kscb_cli.reporting.views.rows import S11Status, cycle_returns, s11_status

RATING_SHORT = {"fully_met": "Fully", "mostly_met": "Mostly", "partially_met": "Partly", "not_met": "Not"}


@dataclass(frozen=True)
class RatingChange:
    agency: str
    standard: str
    before: str
    after: str
    change: str
    basis: str


@dataclass(frozen=True)
class ReturnDetail:
    id: str
    agency: str
    findings: list[tuple[str, Text]]
    recommendations: list[tuple[str, Text, str]]
    brag: BragTotals | None


@dataclass(frozen=True)
class EventRow:
    """One challenge event of the cycle (a challenge_event record, or a challenge date of the returns where none is kept)."""

    id: str | None
    date: object
    theme: Text | None
    presenting: list[str]
    young_people: Count | None  # None where only the returns are known (they say whether, not how many)
    outcomes: str


@dataclass(frozen=True)
class Section11Summary:
    cycle: str
    previous: str | None
    standards: list[tuple[int, str, str]]  # (column number, standard id, label)
    status: S11Status
    matrix: list[tuple[str, list[str]]]  # agency, one cell per standard
    by_standard: list[tuple[str, dict[str, Count]]]
    totals: dict[str, Count]
    chart: Pie | None
    changes: list[RatingChange]
    unchanged: Count
    details: list[ReturnDetail]
    standards_chart: Any = None  # charts.Chart or None
    change_chart: Any = None
    events: list[EventRow] | None = None
    events_basis: str = ""
    events_count: Count | None = None


def section11_summary(ctx: Ctx, cycle: str | None) -> dict[str, Any]:
    store = ctx.store
    cycle = _known_cycle(store, cycle)
    previous = ctx.links.previous_cycle(cycle)
    returns = cycle_returns(ctx, cycle)
    seen = [r for r in returns if ctx.sees(r)]
    order = _standard_order(returns)
    standards = [(i + 1, s, ctx.standard(s)) for i, s in enumerate(order)]
    matrix = []
    for r in seen:
        by = {s.standard: s.rating for s in r.standards}
        matrix.append((ctx.agency(r.agency), [RATING_SHORT[by[s]] if s in by else "—" for s in order]))
    by_standard, raw_by_standard, totals_raw = _ratings_by_standard(ctx, order, returns)
    values = [v for v in totals_raw.values() if v]
    chart = (
        Pie(f"Ratings, cycle {cycle}", [(label(k), v) for k, v in totals_raw.items() if v])
        if values and ctx.chartable(values)
        else None
    )
    changes, unchanged, moved = _rating_changes(ctx, seen, previous)
    details = [_return_detail(ctx, r) for r in seen]
    events, basis = _events(ctx, cycle, returns)
    view = Section11Summary(
        cycle,
        previous,
        standards,
        s11_status(ctx, cycle),
        matrix,
        by_standard,
        {label(k): v for k, v in ctx.counts(totals_raw, of="agencies").items()},
        chart,
        changes,
        ctx.count(unchanged, of="agencies"),
        details,
        s11_by_standard(ctx, cycle, raw_by_standard),
        s11_change(ctx, cycle, previous, {name: moved[name] for _, _, name in standards if name in moved}),
        events,
        basis,
        ctx.count(len(events)),
    )
    return {"meta": ctx.meta(f"Section 11 summary, cycle {cycle}"), "doc": view}


def _known_cycle(store: Any, cycle: str | None) -> str:
    """The cycle asked for, refused when missing or when the store has no returns for it."""
    from kscb_cli.domain.links import cycle_key

    all_cycles = sorted({r.cycle for r in store.of_kind("section11")}, key=cycle_key)
    if not cycle:
        raise KscbError(
            f"section11-summary needs the cycle: kscb render section11-summary {all_cycles[-1] if all_cycles else '2025'}"
        )
    if cycle not in all_cycles:
        have = ", ".join(all_cycles) or "none"
        raise KscbError(f"no Section 11 returns for cycle {cycle!r} (cycles in the store: {have}); give one of those")
    return cycle


def _standard_order(returns: list[Any]) -> list[str]:
    """The standards the returns rate: the framework's order, then any others by name."""
    from kscb_cli.model.vocab import SECTION11_STANDARDS

    used = {s.standard for r in returns for s in r.standards}
    return [s for s in SECTION11_STANDARDS if s in used] + sorted(used - set(SECTION11_STANDARDS))


def _ratings_by_standard(
    ctx: Ctx, order: list[str], returns: list[Any]
) -> tuple[list[tuple[str, Any]], list[tuple[str, dict[str, int]]], dict[str, int]]:
    """Ratings counted per standard (for the audience, and raw for the chart) and in total."""
    by_standard = []
    raw_by_standard: list[tuple[str, dict[str, int]]] = []
    totals_raw = {k: 0 for k in RATINGS}
    for s in order:
        raw = {k: 0 for k in RATINGS}
        for r in returns:
            for st in r.standards:
                if st.standard == s:
                    raw[st.rating] += 1
                    totals_raw[st.rating] += 1
        by_standard.append((ctx.standard(s), ctx.counts(raw, of="agencies")))
        raw_by_standard.append((ctx.standard(s), raw))
    return by_standard, raw_by_standard, totals_raw


_CHANGE_ORDER = ("declined", "improved", "new", "not stated")


def _rating_changes(
    ctx: Ctx, seen: list[Any], previous: str | None
) -> tuple[list[RatingChange], int, dict[str, dict[str, int]]]:
    """Each rating that moved (against the previous cycle, else as the agency stated it), how many did not, and the moves per standard."""
    prev_by: dict[tuple[str, str], str] = {}
    if previous:
        for r in ctx.store.of_kind("section11"):
            if r.cycle == previous:
                for st in r.standards:
                    prev_by[(r.agency, st.standard)] = st.rating
    moved: dict[str, dict[str, int]] = {}
    changes, unchanged = [], 0
    for r in seen:
        for st in r.standards:
            before = prev_by.get((r.agency, st.standard))
            if before is not None:
                diff = RATINGS.index(before) - RATINGS.index(st.rating)
                change = "improved" if diff > 0 else ("declined" if diff < 0 else "same")
                row = moved.setdefault(ctx.standard(st.standard), {"Improved": 0, "Same": 0, "Declined": 0})
                row[change.capitalize()] += 1
                basis = f"compared with cycle {previous}"
            else:
                change = st.change or "not stated"
                basis = "as the agency assessed it"
            if change == "same":
                unchanged += 1
                continue
            changes.append(
                RatingChange(
                    ctx.agency(r.agency),
                    ctx.standard(st.standard),
                    label(before) if before else "—",
                    label(st.rating),
                    change,
                    basis,
                )
            )
    changes.sort(
        key=lambda c: (
            _CHANGE_ORDER.index(c.change) if c.change in _CHANGE_ORDER else 9,
            str(c.agency),
            c.standard,
        )
    )
    return changes, unchanged, moved


def _return_detail(ctx: Ctx, r: Any) -> ReturnDetail:
    """One return's findings, recommendations and the BRAG of the actions answering it."""
    plan_rows = [x for x in ctx.rows_by("source").get(r.id, []) if ctx.sees_action(x)]
    return ReturnDetail(
        r.id,
        ctx.agency(r.agency),
        [(f.id, ctx.text(r, f"findings[{i}].summary", f.summary)) for i, f in enumerate(r.findings)],
        [
            (rec.id, ctx.text(r, f"recommendations[{i}].text", rec.text), words(rec.response))
            for i, rec in enumerate(r.recommendations)
        ],
        brag_totals(ctx, plan_rows) if plan_rows else None,
    )


def _outcomes(ctx: Ctx, outcomes: list[str]) -> str:
    counts = {k: outcomes.count(k) for k in ("assured", "assured_with_actions", "not_assured") if k in outcomes}
    return ", ".join(f"{ctx.count(n)} {words(k)}" for k, n in counts.items()) or "none recorded"


def _events(ctx: Ctx, cycle: str, returns: list[Any]) -> tuple[list[EventRow], str]:
    """The cycle's challenge events: events, not returns (issue #14)."""
    records = sorted(
        (e for e in ctx.store.of_kind("challenge_event") if e.cycle == cycle), key=lambda e: (e.date, e.id)
    )
    if records:
        rows = []
        for e in records:
            seen = ctx.sees(e)
            rows.append(
                EventRow(
                    e.id,
                    e.date,
                    ctx.text(e, "theme", e.theme) if seen else None,
                    [ctx.agency(a) for a in e.presenting] if seen else [],
                    ctx.count(e.young_people.participants) if e.young_people else ctx.count(0),
                    _outcomes(ctx, [o.outcome for o in e.outcomes]) if e.status != "planned" else "planned",
                )
            )
        return rows, "challenge event records"
    by_day: dict[str, Any] = {}
    for r in returns:
        if r.challenge is not None:
            by_day.setdefault(r.challenge.date, []).append(r)
    rows = [
        EventRow(
            None,
            day,
            None,
            [ctx.agency(r.agency) for r in rs if ctx.sees(r)],
            None,
            _outcomes(ctx, [r.challenge.outcome for r in rs]),
        )
        for day, rs in sorted(by_day.items())
    ]
    return rows, "the challenge dates of the returns"
