"""Rows and summaries several reports share: reviews, audits, Section 11 returns, clocks, rapid review decisions (board, yearly, Section 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.domain.clock_table import CLOCK_LABELS
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.common import RATINGS, Ctx, clock_state, label, words


@dataclass(frozen=True)
class ClockSummary:
    name: str
    counts: dict[str, Count]  # by state


@dataclass(frozen=True)
class ReviewRow:
    id: str
    title: Text
    review_type: str
    status: str
    decided: date
    final_report: date | None
    final_report_due: date | None
    final_report_state: str
    publication: str
    legal_clearance: str
    sent_to_panel: date | None
    planned: date | None
    published: date | None
    recommendations: str
    actions: str
    loop: str


@dataclass(frozen=True)
class AuditRow:
    id: str
    title: Text
    audit_type: str
    status: str
    period: str
    reported: date | None
    qa_approved: date | None
    cases: Count
    grades: str
    voice: str
    open_actions: Count


@dataclass(frozen=True)
class S11Row:
    id: str
    agency: str
    status: str
    due: date
    submitted: date | None
    state: str
    ratings: dict[str, Count]
    ratings_text: str
    challenge: date | None
    outcome: str
    young_people: str


@dataclass(frozen=True)
class S11Status:
    cycle: str | None
    rows: list[S11Row]
    hidden: Count
    missing: list[str]
    outcomes: dict[str, Count]


def review_row(ctx: Ctx, r: Any) -> ReviewRow:
    clock = ctx.clock(r.id, "final_report") or ctx.clock(r.id, "local_report")
    pub = r.publication
    responses: dict[str, int] = {}
    for rec in r.recommendations:
        responses[rec.response] = responses.get(rec.response, 0) + 1
    recs = ", ".join(f"{ctx.n(n)} {words(k)}" for k, n in sorted(responses.items())) or "none yet"
    actions = [a.action for a in ctx.links.actions_of_source.get(r.id, ())]
    done = sum(1 for a in actions if a.is_done)
    live = [a for a in actions if a.status != "withdrawn"]
    from kscb_cli.domain.loop import loop

    lp = loop(r, ctx.links)
    return ReviewRow(
        r.id,
        ctx.text(r, "title", r.title),
        label(r.review_type),
        words(r.status),
        r.decided,
        r.final_report,
        clock.due if clock else None,
        clock_state(clock),
        words(pub.decision) if pub else "not recorded",
        words(pub.legal_clearance) if pub else "—",
        pub.sent_to_panel if pub else None,
        getattr(pub, "planned", None) if pub else None,
        pub.published if pub else None,
        recs,
        f"{ctx.n(done)} of {ctx.n(len(live))} done" if live else "none yet",
        lp.label,
    )


def _grades(ctx: Ctx, g: Any) -> str:
    if g is None:
        return "—"
    parts = [
        (g.outstanding, "outstanding"),
        (g.good, "good"),
        (g.requires_improvement, "requires improvement"),
        (g.inadequate, "inadequate"),
    ]
    return ", ".join(f"{ctx.n(n)} {w}" for n, w in parts if n) or "—"


def _voice(ctx: Ctx, v: Any) -> str:
    if v is None:
        return "—"
    total = v.evidenced + v.partly + v.not_evidenced
    return f"{ctx.n(v.evidenced)} of {ctx.n(total)} evidenced, {ctx.n(v.partly)} partly" if total else "—"


def audit_row(ctx: Ctx, a: Any) -> AuditRow:
    actions = [x.action for x in ctx.links.actions_of_source.get(a.id, ())]
    open_ = sum(1 for x in actions if x.is_live)
    return AuditRow(
        a.id,
        ctx.text(a, "title", a.title),
        label(a.audit_type),
        words(a.status),
        f"{a.period.from_} to {a.period.to}",
        a.reported,
        a.qa_approved,
        ctx.count(a.sample.cases),
        _grades(ctx, a.grades),
        _voice(ctx, a.voice_of_child),
        ctx.count(open_),
    )


def _s11_row(ctx: Ctx, r: Any) -> S11Row:
    clock = ctx.clock(r.id, "section11")
    ratings = {k: 0 for k in RATINGS}
    for s in r.standards:
        ratings[s.rating] += 1
    text = ", ".join(f"{ctx.n(n)} {words(k)}" for k, n in ratings.items() if n) or "not yet rated"
    ch = r.challenge
    return S11Row(
        r.id,
        ctx.agency(r.agency),
        words(r.status),
        r.due,
        r.submitted,
        clock_state(clock),
        ctx.counts(ratings, of="agencies"),
        text,
        ch.date if ch else None,
        words(ch.outcome) if ch else "—",
        ("yes" if ch.young_people else "no") if ch else "—",
    )


def s11_status(ctx: Ctx, cycle: str | None) -> S11Status:
    if cycle is None:
        return S11Status(None, [], ctx.count(0, of="agencies"), [], {})
    returns = cycle_returns(ctx, cycle)
    rows, hidden = ctx.shown(returns, _s11_row)
    have = {r.agency for r in returns}
    missing = sorted(
        ctx.agency(a.id)
        for a in ctx.store.of_kind("agency")
        if a.section11_duty and a.status == "active" and a.id not in have and ctx.sees(a)
    )
    outcomes = {k: 0 for k in ("assured", "assured_with_actions", "not_assured")}
    outcomes["no_challenge_yet"] = 0
    for r in returns:
        outcomes[r.challenge.outcome if r.challenge else "no_challenge_yet"] += 1
    counted = ctx.counts({k: v for k, v in outcomes.items() if v}, of="agencies")
    return S11Status(cycle, rows, ctx.count(hidden, of="agencies"), missing, {label(k): v for k, v in counted.items()})


def cycle_returns(ctx: Ctx, cycle: str) -> list[Any]:
    """One cycle's Section 11 returns, by agency."""
    return sorted((r for r in ctx.store.of_kind("section11") if r.cycle == cycle), key=lambda r: (r.agency, r.id))


def clock_summaries(ctx: Ctx, clocks: list[Any], states: tuple[str, ...]) -> list[ClockSummary]:
    """For each kind of clock that has any in `clocks`, how many are in each of `states`."""
    out = []
    for name in CLOCK_LABELS:
        mine = [c for c in clocks if c.name == name]
        if mine:
            raw = {label(s): sum(1 for c in mine if c.state == s) for s in states}
            out.append(ClockSummary(CLOCK_LABELS[name], ctx.counts(raw)))
    return out


def rapid_decisions(ctx: Ctx, rapid: list[Any]) -> dict[str, Count]:
    """Rapid reviews by decision, in order of the decision's label."""
    raw: dict[str, int] = {}
    for r in rapid:
        raw[label(r.decision)] = raw.get(label(r.decision), 0) + 1
    return ctx.counts(dict(sorted(raw.items())))
