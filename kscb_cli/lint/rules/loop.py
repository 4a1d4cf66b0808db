"""L rules: gaps in the learning loop and the action tracker (warnings: the work is behind).

The store-wide indexes these rules need (recommendation → actions, finding →
recommendations, agency → Section 11 returns) are built once per lint run
(``ctx.links``, a ``kscb_cli.domain.links.Links``), so every rule is a dictionary read per record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kscb_cli.domain.loop import REPORTED
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import ActionPlan, Agency, Section11
from kscb_cli.store.refs import LEARNING

WEAK_RATINGS = ("partially_met", "not_met")


@rule("L001", "finding-without-recommendation", "warning", kinds=LEARNING)
def finding_without_recommendation(record: Any, ctx: Context) -> Iterator[Finding]:
    """A finding (other than good practice) has no recommendation answering it.
    Checked once the record has reported (review ``final_report`` or later, audit
    ``reported`` or later, rapid review ``completed`` or later, Section 11 ``challenged``,
    child death ``reviewed``). A recommendation in any record may answer it by citing it in
    full (``findings: [RR-2025-003#F1]``); a rapid review's findings are answered by the
    review that carries its learning (a review whose ``rapid_review`` names it).
    Why: learning that no recommendation answers never reaches an action plan: the loop stops at the finding.
    Fails: an audit ``reported`` with a ``practice_issue`` finding ``F1`` that no recommendation cites.
    Passes: ``F1`` cited by ``R1: {findings: [F1], ...}``; or ``F3`` with ``type: good_practice``; an audit still in progress.
    Fix: add a recommendation that cites the finding (``findings: [F1]``), or mark it ``good_practice``.
    """
    if record.status not in REPORTED[record.kind]:
        return
    links = ctx.links
    if record.kind == "rapid_review" and links.continued_in.get(record.id):
        return
    for i, f in enumerate(record.findings):
        if f.type != "good_practice" and not links.recs_for_finding.get(f"{record.id}#{f.id}"):
            yield Finding(
                ("findings", i, "id"),
                f"finding {f.id} ({f.type.replace('_', ' ')}) has no recommendation; add one that cites it (findings: [{f.id}]), or mark it good_practice",
            )


@rule("L002", "recommendation-without-action", "warning", kinds=LEARNING)
def recommendation_without_action(record: Any, ctx: Context) -> Iterator[Finding]:
    """An accepted (or partially accepted) recommendation has no action in any action plan.
    An action answers it by naming it: ``recommendation: MACA-2025-002#R1`` in an action
    plan's ``actions``. Pending and not accepted recommendations need no action.
    Why: accepting a recommendation is a promise to act; without an action it is tracked nowhere.
    Fails: ``R1`` accepted and no action names it.
    Passes: ``R1`` accepted and ``AP-MACA-2025-002`` has an action with ``recommendation: MACA-2025-002#R1``.
    Fix: add an action to an action plan with ``recommendation: ID#R1``.
    """
    actions = ctx.links.actions_for_rec
    for i, rec in enumerate(record.recommendations):
        if rec.response in ("accepted", "partially_accepted") and not actions.get(f"{record.id}#{rec.id}"):
            yield Finding(
                ("recommendations", i, "response"),
                f"recommendation {rec.id} is {rec.response.replace('_', ' ')} but no action answers it; add an action with recommendation: {record.id}#{rec.id} to an action plan",
            )


@rule("L003", "action-overdue", "warning", kinds=["action_plan"])
def action_overdue(record: ActionPlan, ctx: Context) -> Iterator[Finding]:
    """An action is overdue: not complete or embedded, and past its due date (red on the tracker).
    The due date is the approved ``revised_due.date`` where there is one, else ``due``.
    Why: an overdue action is the board's first question about an action plan.
    Fails: ``due: 2026-09-30``, ``status: in_progress``, linted as of 2026-11-26.
    Passes: ``due: 2027-01-29``, ``status: not_started``, linted as of 2026-11-26; a complete action; one revised to a later date.
    Fix: complete it (evidence, completed), or agree a ``revised_due`` (date, reason, approved).
    """
    for i, action in enumerate(record.actions):
        if not action.is_live:
            continue
        due = action.effective_due
        if ctx.today > due:
            loc = ("actions", i, "revised_due", "date") if action.revised_due else ("actions", i, "due")
            days = (ctx.today - due).days
            yield Finding(
                loc,
                f"action {action.id} is overdue: due {due}, {days} day{'s' * (days != 1)} ago, and {action.status.replace('_', ' ')}; complete it (evidence, completed) or agree a revised_due (date, reason, approved)",
            )


@rule("L004", "action-stale", "warning", kinds=["action_plan"])
def action_stale(record: ActionPlan, ctx: Context) -> Iterator[Finding]:
    """An action still to be done has had no update for ``tracker.stale_days`` (default 90) days.
    The last update is the latest ``updates`` or ``evidence`` date; an action with neither
    counts from the plan's ``approved`` date (a plan not yet approved is not checked).
    Why: an action nobody has reported on for months may have stalled unseen.
    Fails: an action in progress whose last update was 177 days ago.
    Passes: an action in progress with an update 30 days ago; a newly approved plan with no update yet.
    Fix: add an update (date, text) saying where the action stands.
    """
    from kscb_cli.domain.tracker import last_update

    limit = ctx.config.tracker.stale_days
    for i, action in enumerate(record.actions):
        if not action.is_live:
            continue
        last = last_update(action)
        since = "its last update" if last else "the plan was approved"
        last = last or record.approved
        if last is None:
            continue
        days = (ctx.today - last).days
        if days > limit:
            yield Finding(
                ("actions", i, "status"),
                f"action {action.id} has had no update for {days} days (since {since} on {last}; limit {limit}); add an update (date, text) saying where it stands",
            )


@rule("L005", "section11-standard-unanswered", "warning", kinds=["section11"])
def section11_standard_unanswered(record: Section11, ctx: Context) -> Iterator[Finding]:
    """A Section 11 standard rated partially met or not met has no recommendation mentioning it.
    Checked once the return is ``challenged`` or ``closed``. A recommendation mentions a
    standard when its text, or the summary or detail of a finding it answers, names the
    standard by item id (``S4``), standard id (``service_development_informed_by_children``)
    or that id in words ("service development informed by children").
    Why: a weak standard is what the Section 11 process exists to find; without a recommendation nothing improves it.
    Fails: ``S4`` partially met and no finding or recommendation names it (``S14`` does not count as ``S1``).
    Passes: ``S4`` partially met and finding ``F1`` "... (standard S4 partially met)" answered by recommendation ``R1``.
    Fix: add a finding and a recommendation that name the standard's item id.
    """
    from kscb_cli.domain.loop import recommendations_for_standard

    if record.status not in REPORTED["section11"]:
        return
    for i, s in enumerate(record.standards):
        if s.rating in WEAK_RATINGS and not recommendations_for_standard(record, s):
            yield Finding(
                ("standards", i, "rating"),
                f"standard {s.id} ({s.standard}) is {s.rating.replace('_', ' ')} but no recommendation mentions it; add a finding and a recommendation that name {s.id}",
            )


@rule("L006", "section11-return-missing", "warning", kinds=["agency"])
def section11_return_missing(record: Agency, ctx: Context) -> Iterator[Finding]:
    """An active agency with a Section 11 duty has no return for the current cycle.
    The current cycle is the latest ``cycle`` of any Section 11 return in the store ("2026"
    and "2025-26" both come after "2025"), so a store that does not keep Section 11 returns
    is not flooded with warnings, and a new cycle starts when its first return is recorded.
    Why: every agency with the duty makes a return each cycle; a missing one is an agency the partnership has not assured.
    Fails: an agency with a return for "2025" when another agency's return is for "2026".
    Passes: ``section11_duty: true`` and a return with ``agency: WYP, cycle: "2025"`` when 2025 is the latest cycle.
    Fix: add the return (``records/section11/S11-CYCLE-AGENCY.yaml``, ``status: issued``), or set ``section11_duty: false``.
    """
    if record.status != "active" or not record.section11_duty:
        return
    links = ctx.links
    cycle = links.current_cycle()
    if cycle is not None and cycle not in links.section11.get(record.id, {}):
        yield Finding(
            ("section11_duty",),
            f"{record.id} has a Section 11 duty but no return for the current cycle {cycle!r}; add records/section11/S11-{cycle}-{record.id}.yaml (status: issued) or set section11_duty: false",
        )


@rule("L007", "action-inactive-agency", "warning", kinds=["action_plan"])
def action_inactive_agency(record: ActionPlan, ctx: Context) -> Iterator[Finding]:
    """An action still to be done is led by an agency that is inactive.
    Why: an agency that has ceased cannot deliver; the action needs a new lead.
    Fails: ``lead_agency: CCG-GH`` where CCG-GH is ``status: inactive`` and the action is in progress.
    Passes: ``lead_agency: ICB-WY`` (active); a finished action still naming the old CCG.
    Fix: reassign ``lead_agency`` to an active agency (often the old agency's ``successor``, which the message names).
    """
    store = ctx.store
    for i, action in enumerate(record.actions):
        if not action.is_live:
            continue
        agency = store.get(action.lead_agency)
        if isinstance(agency, Agency) and agency.status == "inactive":
            fix = (
                f"reassign lead_agency to its successor {agency.successor}"
                if agency.successor
                else "reassign lead_agency to an active agency"
            )
            yield Finding(
                ("actions", i, "lead_agency"), f"action {action.id} is led by {agency.id}, which is inactive; {fix}"
            )
