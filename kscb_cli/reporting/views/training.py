"""The yearly report's training section: events held, attendance, and evaluation at Kirkpatrick levels 1 to 4."""

from __future__ import annotations

from dataclasses import dataclass
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


def training_summary(ctx: Ctx, start: date, end: date) -> TrainingSummary:
    events = [t for t in ctx.store.of_kind("training") if between(t.date, start, end)]
    held = sorted((t for t in events if t.status in ("delivered", "evaluated")), key=lambda t: (t.date, t.id))
    cancelled = sum(1 for t in events if t.status == "cancelled")
    booked = sum(a.booked for t in held for a in t.attendance)
    attended = sum(a.attended for t in held for a in t.attendance)
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
    rows = []
    levels_raw = {"Level 1 (reaction)": 0, "Level 2 (learning)": 0, "Level 3 (behaviour)": 0}
    l1: list[tuple[float, int]] = []
    before: list[tuple[float, int]] = []
    after: list[tuple[float, int]] = []
    follow_resp = follow_changed = 0
    for t in held:
        ev = t.evaluation
        level = "none"
        if ev is not None:
            if ev.reaction is not None:
                levels_raw["Level 1 (reaction)"] += 1
                l1.append((ev.reaction, ev.responses))
                level = "1"
            if ev.confidence_before is not None and ev.confidence_after is not None:
                levels_raw["Level 2 (learning)"] += 1
                before.append((ev.confidence_before, ev.responses))
                after.append((ev.confidence_after, ev.responses))
                level = "2"
            if ev.follow_up is not None and ev.follow_up.responses:
                levels_raw["Level 3 (behaviour)"] += 1
                follow_resp += ev.follow_up.responses
                follow_changed += ev.follow_up.practice_changed
                level = "3"
        b = sum(a.booked for a in t.attendance)
        n = sum(a.attended for a in t.attendance)
        if ctx.sees(t):
            rows.append(
                TrainingRow(
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
                    f"{ctx.n(ev.follow_up.practice_changed)} of {ctx.n(ev.follow_up.responses)}"
                    if ev and ev.follow_up
                    else "—",
                    level,
                )
            )
    m1, mb, ma = _mean(l1), _mean(before), _mean(after)
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
            f"{ctx.pct(follow_changed, follow_resp)} of follow-up respondents said their practice changed"
            if follow_resp and not ctx.count(follow_resp).suppressed
            else ("not measured" if not follow_resp else "too few follow-up responses to publish")
        ),
        level4=(
            f"{embedded} action{'s' * (embedded != 1)} showed evidenced impact for children this year (embedded)"
            if not ctx.count(embedded).suppressed
            else "fewer than 5 actions showed evidenced impact for children this year (embedded)"
        ),
        levels=ctx.counts(levels_raw),
        attendance_chart=training_attendance(ctx, per_agency),
        evaluation_chart=training_evaluation(ctx, levels_raw),
    )
