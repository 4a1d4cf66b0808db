"""The action tracker: actions by plan with their BRAG colours, those needing attention, and a Gantt chart of open actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.charts import brag_by_agency
from kscb_cli.reporting.views.common import (
    ActionView,
    BragTotals,
    Ctx,
    RefView,
    action_view,
    brag_totals,
    find_record,
    must_see,
    ref_view,
    words,
)

GANTT_LIMIT = 40  # a chart people can read; the table below it has every action


@dataclass(frozen=True)
class GanttTask:
    label: str
    tag: str  # crit | active | done | "" (mermaid task tags)
    start: date
    end: date


@dataclass(frozen=True)
class Gantt:
    title: str
    as_of: date
    sections: list[tuple[str, list[GanttTask]]]
    shown: int
    total: int


def gantt(ctx: Ctx, views: list[ActionView], title: str) -> Gantt | None:
    """Open actions from their plan's approval to their due date; the soonest due when there are many."""
    open_ = [v for v in views if v.brag in ("red", "amber", "green")]
    if not open_:
        return None
    chosen = sorted(open_, key=lambda v: (v.due, v.ref))[:GANTT_LIMIT]
    sections: dict[str, list[GanttTask]] = {}
    for v in sorted(chosen, key=lambda v: (v.plan_id, v.due, v.action_id)):
        plan = ctx.store.get(v.plan_id)
        start = min(plan.approved or (v.original_due - timedelta(days=90)), v.due)
        tag = {"red": "crit", "amber": "active"}.get(v.brag, "")
        sections.setdefault(v.plan_id, []).append(GanttTask(f"{v.action_id} {v.lead_agency_id}", tag, start, v.due))
    return Gantt(title, ctx.today, sorted(sections.items()), len(chosen), len(open_))


@dataclass(frozen=True)
class PlanBlock:
    id: str
    title: Text
    source: RefView
    workstream: str
    status: str
    approved: date | None
    actions: list[ActionView]
    brag: BragTotals
    last_reviewed: str = (
        ""  # the standing item: the latest meeting that reviewed the plan ("" where the store records no meetings)
    )


def _last_reviewed(ctx: Ctx, plan_id: str) -> str:
    """When the plan was last reviewed as the standing item of a held meeting (issue #14), as the tracker shows it."""
    has = ctx.__dict__.get("_has_meetings")
    if has is None:
        has = ctx.__dict__["_has_meetings"] = any(r.kind == "meeting" for r in ctx.store.records)
    if not has:
        return ""
    found = ctx.links.last_review(plan_id)
    if found is None:
        return "not reviewed at any meeting recorded"
    day, meeting_id = found
    meeting = ctx.store.get(meeting_id)
    return f"{day.day} {day:%B %Y}, {meeting_id}" if ctx.sees(meeting) else f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Tracker:
    scope: str
    workstream: str | None
    source: str | None
    brag: BragTotals
    attention: list[ActionView]
    stale: list[ActionView]
    stale_days: int
    amber_days: int
    plans: list[PlanBlock]
    hidden: Count
    gantt: Gantt | None
    attention_withheld: Count = None  # type: ignore[assignment]  # red or amber actions this audience may not see
    brag_by_agency: Any = None  # charts.Chart or None


def action_tracker(ctx: Ctx, workstream: str | None, source: str | None) -> dict[str, Any]:
    store = ctx.store
    if workstream and source:
        raise KscbError("give --workstream or --source, not both")
    rows = ctx.action_rows()
    scope = "all action plans"
    if workstream:
        if workstream not in ctx.config.workstreams:
            from kscb_cli.store.validate import suggest

            have = ", ".join(sorted(ctx.config.workstreams)) or "none"
            raise KscbError(
                f"--workstream {workstream!r} is not a workstream in kscb.yaml{suggest(workstream, ctx.config.workstreams)} (workstreams: {have})"
            )
        rows = [r for r in rows if r.workstream == workstream]
        scope = ctx.config.workstreams[workstream]
    elif source:
        record = find_record(ctx, source, "a source of learning or an action plan")
        if record.kind == "action_plan":
            rows = [r for r in rows if r.plan_id == source]
        else:
            rows = [r for r in rows if r.source == source or (r.recommendation or "").partition("#")[0] == source]
        must_see(ctx, record)
        scope = f"{source}: {record.title}"
    visible = [r for r in rows if ctx.sees_action(r)]
    wanted = {id(r) for r in visible}
    views = [action_view(ctx, r) for r in visible]
    by_plan: dict[str, list[ActionView]] = {}
    for v in views:
        by_plan.setdefault(v.plan_id, []).append(v)
    blocks = []
    for plan_id in sorted(by_plan):
        plan = store.get(plan_id)
        mine = [r for r in ctx.rows_by("plan_id").get(plan_id, []) if id(r) in wanted]
        blocks.append(
            PlanBlock(
                plan.id,
                ctx.text(plan, "title", plan.title),
                ref_view(ctx, plan.source),
                ctx.plan_workstream(plan),
                words(plan.status),
                plan.approved,
                by_plan[plan_id],
                brag_totals(ctx, mine, f"{plan.id} by BRAG colour"),
                _last_reviewed(ctx, plan.id),
            )
        )
    attention = sorted(
        (v for v in views if v.brag in ("red", "amber")), key=lambda v: (v.days if v.days is not None else 0, v.ref)
    )
    stale = sorted((v for v in views if v.stale), key=lambda v: (v.last_update or date.min, v.ref))
    title = f"Action tracker: {scope}"
    view = Tracker(
        scope,
        workstream,
        source,
        brag_totals(ctx, rows),
        attention,
        stale,
        ctx.config.tracker.stale_days,
        ctx.config.tracker.amber_days,
        blocks,
        ctx.count(len(rows) - len(visible), of="actions"),
        gantt(ctx, views, "Open actions by due date"),
        ctx.count(sum(1 for r in rows if r.brag in ("red", "amber") and id(r) not in wanted), of="actions"),
        brag_by_agency(ctx, rows),
    )
    return {"meta": ctx.meta(title), "doc": view}
