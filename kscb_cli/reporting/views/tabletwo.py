"""Views for the rest of Table Two (issue #14): the performance report and you-said-we-did.

Both follow the audience rules of ``audience.py``: a record the audience may not see adds
nothing but a count of what is not listed; in public, counts under the small-number
threshold are suppressed (a count-unit indicator's figure too) and charts whose figures
would be suppressed are left out; every piece of record text travels as ``Text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.common import Ctx, label, words

METHODS = {
    "cp_review_feedback": "Feedback from child protection reviews",
    "lac_review_feedback": "Feedback from looked-after children's reviews",
    "young_people_at_board": "Young people at the board",
    "complaints_themes": "Themes from complaints",
    "challenge_event": "Section 11 challenge event",
}
UNIT_SUFFIX = {"percent": "%", "count": "", "rate": " per 10,000", "days": " days"}


# --- performance-report -------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    title: str
    labels: list[str]  # periods
    series: list[
        tuple[str, list[str]]
    ]  # (name, one figure per period, as Mermaid reads it; only complete series are charted)
    top: int


@dataclass(frozen=True)
class AgencyTrend:
    agency: str
    cells: list[str]  # one per period of the report: the figure as shown, or "—"
    against: list[str]  # "on target", "off target" or "—", per period
    direction: str  # improving | worsening | steady | —  (last two periods, by polarity)


@dataclass(frozen=True)
class IndicatorView:
    id: str
    title: str
    unit: str
    polarity: str
    target: str
    source: str
    priority: str
    agencies: list[AgencyTrend]
    chart: Line | None
    chart_note: str
    exceptions: list[tuple[str, str, Text]]  # (agency, period, narrative)


@dataclass(frozen=True)
class TimelinessRow:
    agency: str
    returns: Count
    on_time: Count
    late: Count
    overdue: Count


@dataclass(frozen=True)
class PerformanceReport:
    periods: list[str]
    indicators: list[IndicatorView]
    timeliness: list[TimelinessRow]
    returns: Count
    hidden: Count
    queried: Count
    undefined: list[str]  # indicator ids reported but not defined in kscb.yaml


def _shown(ctx: Ctx, unit: str, value: float | None) -> str:
    from kscb_cli.domain.tabletwo import number

    if value is None:
        return "no figure"
    if unit == "count" and value == int(value):
        return ctx.count(int(value)).shown
    return number(value) + UNIT_SUFFIX[unit]


def _direction(ind: Any, values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return "—"
    a, b = known[-2], known[-1]
    if a == b or ind.polarity == "neutral":
        return "steady" if a == b else ("up" if b > a else "down")
    better = b > a if ind.polarity == "higher_is_better" else b < a
    return "improving" if better else "worsening"


def performance_report(ctx: Ctx) -> dict[str, Any]:
    store = ctx.store
    indicators = ctx.config.indicators
    returns = sorted(store.of_kind("performance_return"), key=lambda r: (r.period.from_, r.id))
    seen = [r for r in returns if ctx.sees(r)]
    periods = _periods(seen)
    views = [
        _indicator_view(ctx, ind_id, indicators[ind_id], seen, periods)
        for ind_id in sorted({v.indicator for r in seen for v in r.values if v.indicator in indicators})
    ]
    rows = _timeliness_rows(ctx, returns)
    undefined = sorted({v.indicator for r in seen for v in r.values if v.indicator not in indicators})
    view = PerformanceReport(
        periods,
        views,
        rows,
        ctx.count(len(seen)),
        ctx.count(len(returns) - len(seen)),
        ctx.count(sum(1 for r in seen if r.status == "queried")),
        undefined,
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: performance report"), "doc": view}


def _periods(seen: list[Any]) -> list[str]:
    """The periods the returns with figures cover, in date order, each named once."""
    from kscb_cli.domain.tabletwo import period_label

    spans = sorted({(r.period.from_, r.period.to) for r in seen if r.values})
    periods: list[str] = []
    for a, b in spans:
        name = period_label(next(r.period for r in seen if (r.period.from_, r.period.to) == (a, b)))
        if name not in periods:
            periods.append(name)
    return periods


def _indicator_view(ctx: Ctx, ind_id: str, ind: Any, seen: list[Any], periods: list[str]) -> IndicatorView:
    """One indicator: each agency's figures by period against target, its trend chart, the exceptions reported."""
    from kscb_cli.domain.tabletwo import period_label

    by_agency: dict[str, dict[str, float | None]] = {}
    exceptions = []
    for r in seen:
        p = period_label(r.period)
        for v in r.values:
            if v.indicator == ind_id:
                by_agency.setdefault(r.agency, {})[p] = v.value
        for i, e in enumerate(r.exceptions):
            if e.indicator == ind_id:
                exceptions.append((ctx.agency(r.agency), p, ctx.text(r, f"exceptions[{i}].narrative", e.narrative)))
    trends, series = _trends(ctx, ind, by_agency, periods)
    chart, note = _trend_chart(ctx, ind, periods, series)
    return IndicatorView(
        ind_id,
        ind.title,
        ind.unit,
        label(ind.polarity),
        _shown(ctx, ind.unit, ind.target) if ind.target is not None else "none set",
        label(ind.source),
        ctx.config.priorities.get(ind.priority, label(ind.priority)) if ind.priority else "none named",
        trends,
        chart,
        note,
        exceptions,
    )


def _trends(
    ctx: Ctx, ind: Any, by_agency: dict[str, dict[str, float | None]], periods: list[str]
) -> tuple[list[AgencyTrend], list[tuple[Any, list[float]]]]:
    """Each agency's row (figures, against target, direction), and the series of those with a figure every period."""
    from kscb_cli.domain.tabletwo import on_target

    trends = []
    series = []
    for agency in sorted(by_agency):
        vals = [by_agency[agency].get(p) for p in periods]
        trends.append(
            AgencyTrend(
                ctx.agency(agency),
                [_shown(ctx, ind.unit, v) if p in by_agency[agency] else "—" for p, v in zip(periods, vals)],
                [on_target(ind, v) if p in by_agency[agency] else "—" for p, v in zip(periods, vals)],
                _direction(ind, vals),
            )
        )
        if all(v is not None for v in vals):
            series.append((ctx.agency(agency), [float(v) for v in vals if v is not None]))
    return trends, series


def _trend_chart(ctx: Ctx, ind: Any, periods: list[str], series: list[tuple[Any, list[float]]]) -> tuple[Any, str]:
    """The indicator's line chart (with its target), or why there is none."""
    chart, note = None, ""
    values = [v for _, vs in series for v in vs]
    if len(periods) >= 2 and series:
        if ind.unit == "count" and not ctx.chartable([int(v) for v in values]):
            note = "The chart is left out: some of its figures are too small to publish."
        else:
            from kscb_cli.domain.tabletwo import number

            if ind.target is not None:
                series.append(("Target", [float(ind.target)] * len(periods)))
            top = max([*values, ind.target or 0])
            top = 100 if ind.unit == "percent" else int(top * 1.2) + 1
            chart = Line(f"{ind.title}", periods, [(name, [number(v) for v in vs]) for name, vs in series], top)
    elif len(periods) < 2:
        note = "One period so far: a trend chart needs two."
    return chart, note


def _timeliness_rows(ctx: Ctx, returns: list[Any]) -> list[TimelinessRow]:
    """Returns on time, late and overdue, for each agency the audience sees a return of."""
    from kscb_cli.domain.tabletwo import timeliness

    rows = []
    for row in timeliness(ctx.store, ctx.today):
        if not any(ctx.sees(r) for r in returns if r.agency == row["agency"]):
            continue
        rows.append(
            TimelinessRow(
                ctx.agency(row["agency"]),
                ctx.count(row["returns"]),
                ctx.count(row["on_time"]),
                ctx.count(row["late"]),
                ctx.count(row["overdue"]),
            )
        )
    return rows


# --- you-said-we-did ----------------------------------------------------------------


@dataclass(frozen=True)
class Did:
    id: str
    text: Text
    response: str
    actions: list[tuple[str, Text, str, bool]]  # (ref, action, status, done)
    hidden_actions: Count


@dataclass(frozen=True)
class Said:
    ref: str
    summary: Text
    good_practice: bool
    did: list[Did]


@dataclass(frozen=True)
class VoiceItem:
    id: str
    title: Text
    method: str
    who: str
    participants: Count
    reported: Any
    said: list[Said]
    evaluates: list[str]


@dataclass(frozen=True)
class YouSaidWeDid:
    items: list[VoiceItem]
    hidden: Count
    participants: Count
    said: Count
    changed: Count


def _who(values: list[str]) -> str:
    names = [words(v) for v in values]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def you_said_we_did(ctx: Ctx) -> dict[str, Any]:
    links = ctx.links
    records = sorted(ctx.store.of_kind("voice"), key=lambda r: (r.reported or r.start, r.id))
    changed = 0

    def item(ctx: Ctx, r: Any) -> VoiceItem:
        nonlocal changed
        said = []
        for i, f in enumerate(r.findings):
            ref = f"{r.id}#{f.id}"
            did = []
            for rec_ref in links.recs_for_finding.get(ref, ()):
                owner, rec_item, _ = ctx.store.resolve(rec_ref)
                if owner is None or rec_item is None or not ctx.sees(owner):
                    continue
                rec = rec_item.value
                acts, hidden = [], 0
                for a in links.actions_for_rec.get(rec_ref, ()):
                    if not ctx.sees(a.plan):
                        hidden += 1
                        continue
                    acts.append(
                        (
                            a.ref,
                            ctx.text(a.plan, f"actions[{a.index}].action", a.action.action),
                            words(a.action.status),
                            a.action.is_done,
                        )
                    )
                if any(done for *_, done in acts):
                    changed += 1
                did.append(
                    Did(
                        rec.id,
                        ctx.text(owner, f"recommendations[{rec_item.index}].text", rec.text),
                        words(rec.response),
                        acts,
                        ctx.count(hidden),
                    )
                )
            said.append(Said(ref, ctx.text(r, f"findings[{i}].summary", f.summary), f.type == "good_practice", did))
        return VoiceItem(
            r.id,
            ctx.text(r, "title", r.title),
            METHODS.get(r.method) or label(r.method),
            _who(r.who),
            ctx.count(r.participants or 0),
            r.reported,
            said,
            list(r.evaluates),
        )

    items, hidden = ctx.shown(records, item)
    view = YouSaidWeDid(
        items,
        ctx.count(hidden),
        ctx.count(sum(r.participants or 0 for r in records if ctx.sees(r))),
        ctx.count(sum(len(i.said) for i in items)),
        ctx.count(changed),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: you said, we did"), "doc": view}
