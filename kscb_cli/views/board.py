"""The board report: decisions for the board, clocks, reviews, audits, Section 11, action plans, what changed since a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .audience import Count, Text
from .changes import Changes, changes_since
from .common import BRAG_ORDER, CLOCK_LABELS, CLOCK_STATES, ActionView, BragTotals, Ctx, _rid, action_view, brag_totals, label, words
from .rows import AuditRow, ClockSummary, ReviewRow, S11Status, _audit_row, _review_row, s11_status


@dataclass(frozen=True)
class ClockView:
    record_id: str
    title: Text | None
    name: str
    start: date
    due: date
    done: date | None
    state: str
    state_label: str
    detail: str


@dataclass(frozen=True)
class RecView:
    ref: str
    record_title: Text
    to: str
    text: Text
    response: str


@dataclass(frozen=True)
class RapidRow:
    id: str
    title: Text
    status: str
    decision: str
    meeting: date | None
    completed: date | None
    due: date | None
    state: str
    sent_to_panel: date | None


@dataclass(frozen=True)
class PlanRow:
    id: str
    title: Text
    source: str
    workstream: str
    status: str
    counts: dict[str, Count]
    total: Count


@dataclass(frozen=True)
class Board:
    since: date
    pending_recommendations: list[RecView]
    pending_hidden: Count
    undecided_rapid_reviews: list[RapidRow]
    undecided_hidden: Count
    publication_decisions: list[ReviewRow]
    publication_decisions_hidden: Count
    awaiting_publication: list[ReviewRow]
    awaiting_hidden: Count
    open_clocks: list[ClockView]
    open_clocks_hidden: Count
    clock_summary: list[ClockSummary]
    reviews: list[ReviewRow]
    reviews_hidden: Count
    rapid_reviews: list[RapidRow]
    rapid_hidden: Count
    rapid_decisions: dict[str, Count]
    audits: list[AuditRow]
    audits_hidden: Count
    section11: S11Status
    plans: list[PlanRow]
    plans_hidden: Count
    brag: BragTotals
    red: list[ActionView]
    red_hidden: Count
    changes: Changes


def _clock_view(ctx: Ctx, c: Any) -> ClockView:
    record = ctx.store.get(c.record_id)
    return ClockView(c.record_id, ctx.title(record), CLOCK_LABELS.get(c.name, label(c.name)), c.start, c.due, c.done, c.state,
                     label(c.state), c.label)


def _rapid_row(ctx: Ctx, r: Any) -> RapidRow:
    clock = ctx.clock(r.id, "rapid_review")
    return RapidRow(r.id, ctx.text(r, "title", r.title), words(r.status), label(r.decision), r.meeting, r.completed,
                    clock.due if clock else None, label(clock.state) if clock else "—", r.sent_to_panel)


def board_report(ctx: Ctx, since: date) -> dict:
    store = ctx.store
    learning = [r for r in store.records if r.kind in ("review", "rapid_review", "audit", "section11", "child_death")]
    pending, pending_hidden = [], 0
    for r in sorted(learning, key=_rid):
        for i, rec in enumerate(r.recommendations):
            if rec.response != "pending":
                continue
            if ctx.sees(r):
                pending.append(RecView(f"{r.id}#{rec.id}", ctx.text(r, "title", r.title), ctx.to(rec.to),
                                       ctx.text(r, f"recommendations[{i}].text", rec.text), words(rec.response)))
            else:
                pending_hidden += 1
    rapid = sorted(store.of_kind("rapid_review"), key=_rid)
    undecided = [_rapid_row(ctx, r) for r in rapid if r.decision == "undecided" and ctx.sees(r)]
    undecided_hidden = sum(1 for r in rapid if r.decision == "undecided" and not ctx.sees(r))
    reviews = sorted(store.of_kind("review"), key=_rid)
    pub_decisions, awaiting, decisions_hidden, awaiting_hidden = [], [], 0, 0
    for r in reviews:
        pub = r.publication
        needs_decision = r.status in ("draft_report", "final_report", "awaiting_publication") and (pub is None or pub.decision == "undecided")
        waiting = (r.status == "awaiting_publication" or (r.status == "final_report" and pub is not None
                   and pub.decision in ("full_report", "executive_summary", "improvements_only"))) and (pub is None or pub.published is None)
        if not (needs_decision or waiting):
            continue
        if not ctx.sees(r):
            decisions_hidden += needs_decision
            awaiting_hidden += not needs_decision
            continue
        (pub_decisions if needs_decision else awaiting).append(_review_row(ctx, r))
    clocks = ctx.clocks()
    open_clocks = [c for c in clocks if c.state in ("overdue", "due_soon")]
    shown_clocks = [_clock_view(ctx, c) for c in open_clocks if ctx.sees(store.get(c.record_id))]
    shown_clocks.sort(key=lambda c: (CLOCK_STATES.index(c.state), c.due, c.record_id))
    summary = []
    for name in CLOCK_LABELS:
        mine = [c for c in clocks if c.name == name]
        if mine:
            raw = {label(s): sum(1 for c in mine if c.state == s) for s in CLOCK_STATES}
            summary.append(ClockSummary(CLOCK_LABELS[name], ctx.counts(raw)))
    rapid_raw: dict[str, int] = {}
    for r in rapid:
        rapid_raw[label(r.decision)] = rapid_raw.get(label(r.decision), 0) + 1
    audits = sorted(store.of_kind("audit"), key=_rid)
    rows = ctx.action_rows()
    plan_rows, plans_hidden = [], 0
    for plan in sorted(store.of_kind("action_plan"), key=_rid):
        if not ctx.sees(plan):
            plans_hidden += 1
            continue
        mine = ctx.rows_by("plan_id").get(plan.id, [])
        raw = {c: sum(1 for r in mine if r.brag == c) for c in BRAG_ORDER}
        ws = plan.workstream or getattr(store.get(plan.source), "workstream", None)
        plan_rows.append(PlanRow(plan.id, ctx.text(plan, "title", plan.title), plan.source, ctx.workstream(ws), words(plan.status),
                                 ctx.counts(raw), ctx.count(len(mine))))
    visible_rows = [r for r in rows if ctx.sees(store.get(r.plan_id))]
    red = sorted((action_view(ctx, r) for r in visible_rows if r.brag == "red"), key=lambda v: (v.days or 0, v.ref))
    links = ctx.links
    view = Board(
        since=since,
        pending_recommendations=pending, pending_hidden=ctx.count(pending_hidden),
        undecided_rapid_reviews=undecided, undecided_hidden=ctx.count(undecided_hidden),
        publication_decisions=pub_decisions, publication_decisions_hidden=ctx.count(decisions_hidden),
        awaiting_publication=awaiting, awaiting_hidden=ctx.count(awaiting_hidden),
        open_clocks=shown_clocks, open_clocks_hidden=ctx.count(len(open_clocks) - len(shown_clocks)), clock_summary=summary,
        reviews=[_review_row(ctx, r) for r in reviews if ctx.sees(r)], reviews_hidden=ctx.count(sum(1 for r in reviews if not ctx.sees(r))),
        rapid_reviews=[_rapid_row(ctx, r) for r in rapid if ctx.sees(r)], rapid_hidden=ctx.count(sum(1 for r in rapid if not ctx.sees(r))),
        rapid_decisions=ctx.counts(dict(sorted(rapid_raw.items()))),
        audits=[_audit_row(ctx, a) for a in audits if ctx.sees(a)], audits_hidden=ctx.count(sum(1 for a in audits if not ctx.sees(a))),
        section11=s11_status(ctx, links.current_cycle()),
        plans=plan_rows, plans_hidden=ctx.count(plans_hidden), brag=brag_totals(ctx, rows),
        red=red, red_hidden=ctx.count(sum(1 for r in rows if r.brag == "red") - len(red)),
        changes=changes_since(ctx, since),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: board report"), "doc": view}
