"""The yearly report's training section: events held, attendance, and evaluation at Kirkpatrick levels 1 to 4."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.charts import training_attendance, training_evaluation
from kscb_cli.reporting.views.common import Ctx, between, label


@dataclass(frozen=True)
class TrainingRow:
    id: str
    title: Text
    date: date
    format: str
    booked: Count
    attended: Count
    rate: str
    no_shows: Count
    reaction: float | None
    confidence: str
    practice_changed: str
    level: str


@dataclass(frozen=True)
class TrainingSummary:
    events: Count
    cancelled: Count
    booked: Count
    attended: Count
    rate: str
    no_shows: Count
    by_agency: list[tuple[str, Count, Count, str]]
    rows: list[TrainingRow]
    hidden: Count
    level1: str
    level2: str
    level3: str
    level4: str
    levels: dict[str, Count]
    attendance_chart: Any = None  # charts.Chart or None
    evaluation_chart: Any = None


def _mean(pairs: list[tuple[float, int]]) -> float | None:
    weight = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / weight, 1) if weight else None


@dataclass
class _Evaluation:
    """The Kirkpatrick levels measured across the events, added up one event at a time."""

    levels_raw: dict[str, int] = field(
        default_factory=lambda: {"Level 1 (reaction)": 0, "Level 2 (learning)": 0, "Level 3 (behaviour)": 0}
    )
    l1: list[tuple[float, int]] = field(default_factory=list)
    before: list[tuple[float, int]] = field(default_factory=list)
    after: list[tuple[float, int]] = field(default_factory=list)
    follow_resp: int = 0
    follow_changed: int = 0

    def add(self, ev: Any) -> str:
        """Count one event's evaluation; the highest level it measured ("none" without one)."""
        level = "none"
        if ev is None:
            return level
        if ev.reaction is not None:
            self.levels_raw["Level 1 (reaction)"] += 1
            self.l1.append((ev.reaction, ev.responses))
            level = "1"
        if ev.confidence_before is not None and ev.confidence_after is not None:
            self.levels_raw["Level 2 (learning)"] += 1
            self.before.append((ev.confidence_before, ev.responses))
            self.after.append((ev.confidence_after, ev.responses))
            level = "2"
        if ev.follow_up is not None and ev.follow_up.responses:
            self.levels_raw["Level 3 (behaviour)"] += 1
            self.follow_resp += ev.follow_up.responses
            self.follow_changed += ev.follow_up.practice_changed
            level = "3"
        return level


def training_summary(ctx: Ctx, start: date, end: date) -> TrainingSummary:
    events = [t for t in ctx.store.of_kind("training") if between(t.date, start, end)]
    held = sorted((t for t in events if t.status in ("delivered", "evaluated")), key=lambda t: (t.date, t.id))
    cancelled = sum(1 for t in events if t.status == "cancelled")
    booked = sum(a.booked for t in held for a in t.attendance)
    attended = sum(a.attended for t in held for a in t.attendance)
    per_agency, by_agency = _by_agency(ctx, held)
    tally = _Evaluation()
    rows = []
    for t in held:
        level = tally.add(t.evaluation)
        if ctx.sees(t):
            rows.append(_training_row(ctx, t, level))
    m1, mb, ma = _mean(tally.l1), _mean(tally.before), _mean(tally.after)
    embedded = sum(1 for r in ctx.action_rows() if r.status == "embedded" and between(r.completed, start, end))
    return TrainingSummary(
        events=ctx.count(len(held), of="training"),
        cancelled=ctx.count(cancelled, of="training"),
        booked=ctx.count(booked, of="practitioners"),
        attended=ctx.count(attended, of="practitioners"),
        rate=ctx.pct(attended, booked, of="practitioners"),
        no_shows=ctx.count(max(booked - attended, 0), of="practitioners"),
        by_agency=by_agency,
        rows=rows,
        hidden=ctx.count(len(held) - len(rows), of="training"),
        level1=f"mean reaction {m1:g} out of 5" if m1 is not None else "not measured",
        level2=f"mean confidence {mb:g} before and {ma:g} after, out of 5"
        if mb is not None and ma is not None
        else "not measured",
        level3=(
            f"{ctx.pct(tally.follow_changed, tally.follow_resp)} of follow-up respondents said their practice changed"
            if tally.follow_resp and not ctx.count(tally.follow_resp).suppressed
            else ("not measured" if not tally.follow_resp else "too few follow-up responses to publish")
        ),
        level4=(
            f"{embedded} action{'s' * (embedded != 1)} showed evidenced impact for children this year (embedded)"
            if not ctx.count(embedded).suppressed
            else "fewer than 5 actions showed evidenced impact for children this year (embedded)"
        ),
        levels=ctx.counts(tally.levels_raw),
        attendance_chart=training_attendance(ctx, per_agency),
        evaluation_chart=training_evaluation(ctx, tally.levels_raw),
    )


def _by_agency(ctx: Ctx, held: list[Any]) -> tuple[dict[str, list[int]], list[tuple[str, Count, Count, str]]]:
    """Booked and attended per agency (raw, for the chart) and as the audience may see them."""
    per_agency: dict[str, list[int]] = {}
    for t in held:
        for a in t.attendance:
            per_agency.setdefault(a.agency, [0, 0])
            per_agency[a.agency][0] += a.booked
            per_agency[a.agency][1] += a.attended
    # by agency only from events this audience may see: an agency row is a detail of those records
    per_agency = {} if ctx.public and any(not ctx.sees(t) for t in held) else per_agency
    by_agency = sorted(
        (
            (
                ctx.agency(k),
                ctx.count(b, of="practitioners"),
                ctx.count(n, of="practitioners"),
                ctx.pct(n, b, of="practitioners"),
            )
            for k, (b, n) in per_agency.items()
        ),
        key=lambda r: str(r[0]).lower(),
    )
    return per_agency, by_agency


def _training_row(ctx: Ctx, t: Any, level: str) -> TrainingRow:
    """One event the audience may see: attendance, and each evaluation level it measured."""
    ev = t.evaluation
    b = sum(a.booked for a in t.attendance)
    n = sum(a.attended for a in t.attendance)
    return TrainingRow(
        t.id,
        ctx.text(t, "title", t.title),
        t.date,
        label(t.format),
        ctx.count(b, of="practitioners"),
        ctx.count(n, of="practitioners"),
        ctx.pct(n, b, of="practitioners"),
        ctx.count(max(b - n, 0), of="practitioners"),
        ev.reaction if ev else None,
        f"{ev.confidence_before:.1f} → {ev.confidence_after:.1f}"
        if ev and ev.confidence_before is not None and ev.confidence_after is not None
        else "—",
        f"{ctx.n(ev.follow_up.practice_changed)} of {ctx.n(ev.follow_up.responses)}" if ev and ev.follow_up else "—",
        level,
    )
