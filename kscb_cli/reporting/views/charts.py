"""The reports' charts as data (``charts.Chart``), built for the audience: none that would show a suppressed figure.

Each builder returns a Chart or None (nothing to draw, or ``public`` and a figure under the
small-number threshold). Templates place one with ``{{ m.chart(doc.x) }}``: Mermaid in
Markdown, a picture in html, docx and pdf.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.reporting.charts import Chart, chart_of
from kscb_cli.reporting.views.common import BRAG_LABELS, RATINGS, Ctx, label

BRAG_SERIES = ("red", "amber", "green", "blue")


def _ok(ctx: Ctx, table: dict[str, dict[str, int]]) -> bool:
    return ctx.chartable([v for row in table.values() for v in row.values() if v is not None])


def brag_by_agency(ctx: Ctx, rows: list[Any], title: str = "Actions by lead agency and BRAG colour") -> Chart | None:
    """Stacked bars: each lead agency's actions by colour (withdrawn actions and a draft plan's left out)."""
    table: dict[Any, dict[str, int]] = {}  # agency names stay Text, so the public checks see them
    for r in sorted(rows, key=lambda r: str(ctx.agency(r.lead_agency)).lower()):
        if r.brag not in BRAG_SERIES:
            continue
        row = table.setdefault(ctx.agency(r.lead_agency), {BRAG_LABELS[b]: 0 for b in BRAG_SERIES})
        row[BRAG_LABELS[r.brag]] += 1
    if len(table) < 1 or not _ok(ctx, table):
        return None
    return chart_of(title, "stacked", table, [BRAG_LABELS[b] for b in BRAG_SERIES], axis="Actions", horizontal=True)


def quarter(day: date) -> str:
    """The financial quarter a date falls in: 2026-27 Q1 is April to June 2026."""
    start = day.year if day.month >= 4 else day.year - 1
    q = (day.month - 4) % 12 // 3 + 1
    return f"{start}-{(start + 1) % 100:02d} Q{q}"


def clocks_by_quarter(ctx: Ctx, clocks: list[Any], title: str = "Clocks met and missed, by quarter") -> Chart | None:
    """Grouped bars: clocks met and missed in each financial quarter (by the date each was due)."""
    table: dict[str, dict[str, int]] = {}
    for c in sorted((c for c in clocks if c.state in ("met", "missed")), key=lambda c: c.due):
        row = table.setdefault(quarter(c.due), {"Met": 0, "Missed": 0})
        row["Met" if c.state == "met" else "Missed"] += 1
    if not table or not _ok(ctx, table):
        return None
    return chart_of(
        title,
        "grouped",
        table,
        ["Met", "Missed"],
        axis="Clocks",
        note="Quarters of the financial year (Q1 is April to June), by the date each clock was due.",
    )


def s11_by_standard(ctx: Ctx, cycle: str, raw: list[tuple[str, dict[str, int]]]) -> Chart | None:
    """Stacked bars: the cycle's ratings for each standard."""
    table = {name: {label(k): v for k, v in counts.items()} for name, counts in raw}
    if not table or not _ok(ctx, table):
        return None
    return chart_of(
        f"Ratings by standard, cycle {cycle}",
        "stacked",
        table,
        [label(k) for k in RATINGS],
        axis="Returns",
        horizontal=True,
    )


def s11_change(ctx: Ctx, cycle: str, previous: str | None, raw: dict[str, dict[str, int]]) -> Chart | None:
    """Stacked bars: for each standard, how many agencies' ratings improved, stayed the same or declined since the previous cycle."""
    if not previous or not raw or not _ok(ctx, raw):
        return None
    return chart_of(
        f"Change in ratings since cycle {previous}, by standard",
        "stacked",
        raw,
        ["Improved", "Same", "Declined"],
        axis="Agencies",
        horizontal=True,
    )


def training_attendance(ctx: Ctx, per_agency: dict[str, list[int]]) -> Chart | None:
    """Stacked bars: each agency's places booked, split into attended and not attended."""
    table = {
        ctx.agency(k): {"Attended": n, "Did not attend": max(b - n, 0)}
        for k, (b, n) in sorted(per_agency.items(), key=lambda kv: str(ctx.agency(kv[0])).lower())
    }
    if not table or not _ok(ctx, table):
        return None
    return chart_of(
        "Training places booked and attended, by agency",
        "stacked",
        table,
        ["Attended", "Did not attend"],
        axis="Places booked",
        horizontal=True,
    )


def training_evaluation(ctx: Ctx, levels: dict[str, int]) -> Chart | None:
    """Bars: how many events were evaluated at each Kirkpatrick level."""
    table = {k: {"Events": v} for k, v in levels.items()}
    if not any(levels.values()) or not _ok(ctx, table):
        return None
    return chart_of("Training events evaluated, by Kirkpatrick level", "bar", table, ["Events"], axis="Events")


def themes_by_year(ctx: Ctx, limit: int = 6) -> Chart | None:
    """Lines: the most frequent themes across reviews and audits, by year (as ``kscb stats`` counts them)."""
    from kscb_cli.reporting.stats import themes

    years, rows = themes(ctx.store)
    if len(years) < 1 or not rows:
        return None
    top = rows[:limit]
    table = {y: {ctx.theme(r["theme"]): r[y] for r in top} for y in years}
    if not _ok(ctx, table):
        return None
    mark = "line" if len(years) > 1 else "grouped"
    return chart_of(
        "Themes in reviews and audits, by year",
        mark,
        table,
        [ctx.theme(r["theme"]) for r in top],
        axis="Records",
        note="A review counts in the year it was decided, an audit in the year it reported; the six most frequent themes.",
    )
