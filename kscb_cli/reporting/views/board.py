"""The board report: decisions for the board, clocks, reviews, audits, Section 11, action plans, what changed since a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.domain.clock_table import CLOCK_LABELS
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.changes import Changes, changes_since
from kscb_cli.reporting.views.charts import brag_by_agency, clocks_by_quarter
from kscb_cli.reporting.views.common import (
    BRAG_ORDER,
    CLOCK_STATES,
    ActionView,
    BragTotals,
    Ctx,
    action_view,
    brag_totals,
    clock_state,
    label,
    rid,
    words,
)
from kscb_cli.reporting.views.rows import (
    AuditRow,
    ClockSummary,
    ReviewRow,
    S11Status,
    audit_row,
    clock_summaries,
    rapid_decisions,
    review_row,
    s11_status,
)


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
    original_due: date | None = None  # the deadline before an agreed extension
    extension: str = ""  # "extended from ... to ..., agreed ..." ("" if none)
    extension_by: Text | str | None = None  # who agreed it, by role
    extension_reason: Text | str | None = None


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
    extended_clocks: list[ClockView]
    extended_hidden: Count
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
    brag_by_agency: Any = None  # charts.Chart or None
    clocks_by_quarter: Any = None


def clock_view(ctx: Ctx, c: Any) -> ClockView:
    record = ctx.store.get(c.record_id)
    extension, by, reason = "", None, None
    if c.extension is not None:
        e = c.extension
        extension = f"extended from {c.original_due} to {e.new_due}, agreed {e.agreed}"
        i = next((i for i, x in enumerate(getattr(record, "extensions", None) or ()) if x is e), None)
        if record is not None and i is not None:
            by = ctx.text(record, f"extensions[{i}].agreed_by", e.agreed_by)
            reason = ctx.text(record, f"extensions[{i}].reason", e.reason)
        else:  # kscb.yaml (the yearly report): the partnership's own words, checked with the whole output
            by, reason = " ".join(e.agreed_by.split()), " ".join(e.reason.split())
    return ClockView(
        c.record_id,
        ctx.title(record) if record is not None else None,
        CLOCK_LABELS.get(c.name, label(c.name)),
        c.start,
        c.due,
        c.done,
        c.state,
        label(c.state),
        c.label,
        c.original_due,
        extension,
        by,
        reason,
    )


def sees_clock(ctx: Ctx, c: Any) -> bool:
    """A clock is seen with its record; a partnership clock (the yearly report) by every audience."""
    return c.kind == "partnership" or ctx.sees(ctx.store.get(c.record_id))


def _rapid_row(ctx: Ctx, r: Any) -> RapidRow:
    clock = ctx.clock(r.id, "rapid_review")
    return RapidRow(
        r.id,
        ctx.text(r, "title", r.title),
        words(r.status),
        label(r.decision),
        r.meeting,
        r.completed,
        clock.due if clock else None,
        clock_state(clock),
        r.sent_to_panel,
    )


def _plan_row(ctx: Ctx, plan: Any) -> PlanRow:
    mine = ctx.rows_by("plan_id").get(plan.id, [])
    raw = {c: sum(1 for r in mine if r.brag == c) for c in BRAG_ORDER}
    return PlanRow(
        plan.id,
        ctx.text(plan, "title", plan.title),
        plan.source,
        ctx.plan_workstream(plan),
        words(plan.status),
        ctx.counts(raw, of="actions"),
        ctx.count(len(mine), of="actions"),
    )


def _pending_recommendations(ctx: Ctx) -> tuple[list[RecView], int]:
    """Recommendations still awaiting the agency's response, and how many the audience may not see."""
    pending, pending_hidden = [], 0
    for r in sorted(ctx.learning(), key=rid):
        for i, rec in enumerate(r.recommendations):
            if rec.response != "pending":
                continue
            if ctx.sees(r):
                pending.append(
                    RecView(
                        f"{r.id}#{rec.id}",
                        ctx.text(r, "title", r.title),
                        ctx.to(rec.to),
                        ctx.text(r, f"recommendations[{i}].text", rec.text),
                        words(rec.response),
                    )
                )
            else:
                pending_hidden += 1
    return pending, pending_hidden


def _publication(ctx: Ctx, reviews: list[Any]) -> tuple[list[Any], list[Any], int, int]:
    """Reviews needing a publication decision, and those decided but not yet published (each with its hidden count)."""
    pub_decisions: list[Any] = []
    awaiting: list[Any] = []
    decisions_hidden, awaiting_hidden = 0, 0
    for r in reviews:
        pub = r.publication
        needs_decision = r.status in ("draft_report", "final_report", "awaiting_publication") and (
            pub is None or pub.decision == "undecided"
        )
        waiting = (
            r.status == "awaiting_publication"
            or (
                r.status == "final_report"
                and pub is not None
                and pub.decision in ("full_report", "executive_summary", "improvements_only")
            )
        ) and (pub is None or pub.published is None)
        if not (needs_decision or waiting):
            continue
        if not ctx.sees(r):
            decisions_hidden += needs_decision
            awaiting_hidden += not needs_decision
            continue
        (pub_decisions if needs_decision else awaiting).append(review_row(ctx, r))
    return pub_decisions, awaiting, decisions_hidden, awaiting_hidden


def board_report(ctx: Ctx, since: date) -> dict[str, Any]:
    store = ctx.store
    pending, pending_hidden = _pending_recommendations(ctx)
    rapid = sorted(store.of_kind("rapid_review"), key=rid)
    undecided, undecided_hidden = ctx.shown([r for r in rapid if r.decision == "undecided"], _rapid_row)
    reviews = sorted(store.of_kind("review"), key=rid)
    pub_decisions, awaiting, decisions_hidden, awaiting_hidden = _publication(ctx, reviews)
    clocks = ctx.clocks()
    open_clocks = [c for c in clocks if c.state in ("overdue", "due_soon")]
    shown_clocks, clocks_hidden = ctx.shown(open_clocks, clock_view, lambda c: sees_clock(ctx, c))
    extended, extended_hidden = ctx.shown([c for c in clocks if c.extended], clock_view, lambda c: sees_clock(ctx, c))
    shown_clocks.sort(key=lambda c: (CLOCK_STATES.index(c.state), c.due, c.record_id))
    review_rows, reviews_hidden = ctx.shown(reviews, review_row)
    rapid_rows, rapid_hidden = ctx.shown(rapid, _rapid_row)
    audit_rows, audits_hidden = ctx.shown(sorted(store.of_kind("audit"), key=rid), audit_row)
    plan_rows, plans_hidden = ctx.shown(sorted(store.of_kind("action_plan"), key=rid), _plan_row)
    rows = ctx.action_rows()
    red, red_hidden = ctx.shown([r for r in rows if r.brag == "red"], action_view, ctx.sees_action)
    red.sort(key=lambda v: (v.days or 0, v.ref))
    view = Board(
        since=since,
        pending_recommendations=pending,
        pending_hidden=ctx.count(pending_hidden),
        undecided_rapid_reviews=undecided,
        undecided_hidden=ctx.count(undecided_hidden),
        publication_decisions=pub_decisions,
        publication_decisions_hidden=ctx.count(decisions_hidden),
        awaiting_publication=awaiting,
        awaiting_hidden=ctx.count(awaiting_hidden),
        open_clocks=shown_clocks,
        open_clocks_hidden=ctx.count(clocks_hidden),
        extended_clocks=extended,
        extended_hidden=ctx.count(extended_hidden),
        clock_summary=clock_summaries(ctx, clocks, CLOCK_STATES),
        reviews=review_rows,
        reviews_hidden=ctx.count(reviews_hidden),
        rapid_reviews=rapid_rows,
        rapid_hidden=ctx.count(rapid_hidden),
        rapid_decisions=rapid_decisions(ctx, rapid),
        audits=audit_rows,
        audits_hidden=ctx.count(audits_hidden, of="audits"),
        section11=s11_status(ctx, ctx.links.current_cycle()),
        plans=plan_rows,
        plans_hidden=ctx.count(plans_hidden),
        brag=brag_totals(ctx, rows),
        red=red,
        red_hidden=ctx.count(red_hidden, of="actions"),
        changes=changes_since(ctx, since),
        brag_by_agency=brag_by_agency(ctx, rows),
        clocks_by_quarter=clocks_by_quarter(ctx, clocks),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: board report"), "doc": view}
