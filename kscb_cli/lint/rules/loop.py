"""L rules: gaps in the learning loop and the action tracker (warnings: the work is behind).

The store-wide indexes these rules need (recommendation → actions, finding →
recommendations, agency → Section 11 returns) are built once per lint run
(``kscb_cli.domain.links.links_for``), so every rule is a dictionary read per record.
"""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.domain.links import LIVE_ACTION, links_for
from kscb_cli.domain.loop import REPORTED
from kscb_cli.lint.rules.registry import Hit, rule
from kscb_cli.store.refs import LEARNING

WEAK_RATINGS = ("partially_met", "not_met")


@rule("L001", "finding-without-recommendation", "warning", kinds=LEARNING)
def finding_without_recommendation(record, ctx) -> Iterator[Hit]:
    """A finding (other than good practice) has no recommendation answering it.

    Checked once the record has reported (review ``final_report`` or later, audit
    ``reported`` or later, rapid review ``completed`` or later, Section 11 ``challenged``,
    child death ``reviewed``). A recommendation in any record may answer it by citing it in
    full (``findings: [RR-2025-003#F1]``); a rapid review's findings are answered by the
    review that carries its learning (a review whose ``rapid_review`` names it).
    Passes: ``F1`` cited by ``R1: {findings: [F1], ...}``; or ``F3`` with ``type: good_practice``.
    Fails: an audit ``reported`` with a ``practice_issue`` finding ``F1`` that no
    recommendation cites.
    """
    if record.status not in REPORTED[record.kind]:
        return
    links = links_for(ctx)
    if record.kind == "rapid_review" and links.continued_in.get(record.id):
        return
    for i, f in enumerate(record.findings):
        if f.type != "good_practice" and not links.recs_for_finding.get(f"{record.id}#{f.id}"):
            yield (
                ("findings", i, "id"),
                f"finding {f.id} ({f.type.replace('_', ' ')}) has no recommendation; add one that cites it (findings: [{f.id}]), or mark it good_practice",
            )


@rule("L002", "recommendation-without-action", "warning", kinds=LEARNING)
def recommendation_without_action(record, ctx) -> Iterator[Hit]:
    """An accepted (or partially accepted) recommendation has no action in any action plan.

    An action answers it by naming it: ``recommendation: MACA-2025-002#R1`` in an action
    plan's ``actions``. Pending and not accepted recommendations need no action.
    Passes: ``R1`` accepted and ``AP-MACA-2025-002`` has an action with
    ``recommendation: MACA-2025-002#R1``.
    Fails: ``R1`` accepted and no action names it.
    """
    actions = links_for(ctx).actions_for_rec
    for i, rec in enumerate(record.recommendations):
        if rec.response in ("accepted", "partially_accepted") and not actions.get(f"{record.id}#{rec.id}"):
            yield (
                ("recommendations", i, "response"),
                f"recommendation {rec.id} is {rec.response.replace('_', ' ')} but no action answers it; add an action with recommendation: {record.id}#{rec.id} to an action plan",
            )


@rule("L003", "action-overdue", "warning", kinds=["action_plan"])
def action_overdue(record, ctx) -> Iterator[Hit]:
    """An action is overdue: not complete or embedded, and past its due date (red on the tracker).

    The due date is the approved ``revised_due.date`` where there is one, else ``due``.
    Passes: ``due: 2027-01-29``, ``status: not_started``, linted as of 2026-11-26.
    Fails: ``due: 2026-09-30``, ``status: in_progress``, linted as of 2026-11-26.
    """
    from kscb_cli.domain.tracker import effective_due

    for i, action in enumerate(record.actions):
        if action.status not in LIVE_ACTION:
            continue
        due = effective_due(action)
        if ctx.today > due:
            loc = ("actions", i, "revised_due", "date") if action.revised_due else ("actions", i, "due")
            days = (ctx.today - due).days
            yield (
                loc,
                f"action {action.id} is overdue: due {due}, {days} day{'s' * (days != 1)} ago, and {action.status.replace('_', ' ')}; complete it (evidence, completed) or agree a revised_due (date, reason, approved)",
            )


@rule("L004", "action-stale", "warning", kinds=["action_plan"])
def action_stale(record, ctx) -> Iterator[Hit]:
    """An action still to be done has had no update for ``tracker.stale_days`` (default 90) days.

    The last update is the latest ``updates`` or ``evidence`` date; an action with neither
    counts from the plan's ``approved`` date (a plan not yet approved is not checked).
    Passes: an action in progress with an update 30 days ago.
    Fails: an action in progress whose last update was 177 days ago.
    """
    from kscb_cli.domain.tracker import last_update

    limit = ctx.config.tracker.stale_days
    for i, action in enumerate(record.actions):
        if action.status not in LIVE_ACTION:
            continue
        last = last_update(action)
        since = "its last update" if last else "the plan was approved"
        last = last or record.approved
        if last is None:
            continue
        days = (ctx.today - last).days
        if days > limit:
            yield (
                ("actions", i, "status"),
                f"action {action.id} has had no update for {days} days (since {since} on {last}; limit {limit}); add an update (date, text) saying where it stands",
            )


@rule("L005", "section11-standard-unanswered", "warning", kinds=["section11"])
def section11_standard_unanswered(record, ctx) -> Iterator[Hit]:
    """A Section 11 standard rated partially met or not met has no recommendation mentioning it.

    Checked once the return is ``challenged`` or ``closed``. A recommendation mentions a
    standard when its text, or the summary or detail of a finding it answers, names the
    standard by item id (``S4``), standard id (``service_development_informed_by_children``)
    or that id in words ("service development informed by children").
    Passes: ``S4`` partially met and finding ``F1`` "... (standard S4 partially met)" answered
    by recommendation ``R1``. Fails: ``S4`` partially met and no finding or recommendation
    names it.
    """
    from kscb_cli.domain.loop import recommendations_for_standard

    if record.status not in REPORTED["section11"]:
        return
    for i, s in enumerate(record.standards):
        if s.rating in WEAK_RATINGS and not recommendations_for_standard(record, s):
            yield (
                ("standards", i, "rating"),
                f"standard {s.id} ({s.standard}) is {s.rating.replace('_', ' ')} but no recommendation mentions it; add a finding and a recommendation that name {s.id}",
            )


@rule("L006", "section11-return-missing", "warning", kinds=["agency"])
def section11_return_missing(record, ctx) -> Iterator[Hit]:
    """An active agency with a Section 11 duty has no return for the current cycle.

    The current cycle is the latest ``cycle`` of any Section 11 return in the store ("2026"
    and "2025-26" both come after "2025"), so a store that does not keep Section 11 returns
    is not flooded with warnings, and a new cycle starts when its first return is recorded.
    Passes: ``section11_duty: true`` and a return with ``agency: WYP, cycle: "2025"`` when
    2025 is the latest cycle. Fails: the same agency when another agency's return is for "2026".
    """
    if record.status != "active" or not record.section11_duty:
        return
    links = links_for(ctx)
    cycle = links.current_cycle()
    if cycle is not None and cycle not in links.section11.get(record.id, {}):
        yield (
            ("section11_duty",),
            f"{record.id} has a Section 11 duty but no return for the current cycle {cycle!r}; add records/section11/S11-{cycle}-{record.id}.yaml (status: issued) or set section11_duty: false",
        )


@rule("L007", "action-inactive-agency", "warning", kinds=["action_plan"])
def action_inactive_agency(record, ctx) -> Iterator[Hit]:
    """An action still to be done is led by an agency that is inactive.

    An agency that has ceased cannot deliver; the action needs a new lead (often the
    agency's ``successor``). Passes: ``lead_agency: ICB-WY`` (active).
    Fails: ``lead_agency: CCG-GH`` where CCG-GH is ``status: inactive``.
    """
    store = ctx.store
    for i, action in enumerate(record.actions):
        if action.status not in LIVE_ACTION:
            continue
        agency = store.get(action.lead_agency)
        if agency is not None and agency.kind == "agency" and agency.status == "inactive":
            fix = (
                f"reassign lead_agency to its successor {agency.successor}"
                if agency.successor
                else "reassign lead_agency to an active agency"
            )
            yield ("actions", i, "lead_agency"), f"action {action.id} is led by {agency.id}, which is inactive; {fix}"
