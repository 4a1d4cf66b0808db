"""E rules: the kinds for the rest of Table Two (issue #14) — performance returns, inspections,
voice, guidance, meetings, challenge events, audits of single-agency training — and the
evaluation of learning (``evaluates:`` links and success criteria).

The performance rules are the seed's "relevant, timely, accurate": accuracy is a figure in
its unit's range (E002), every indicator reported (E003, E004) and figures that agree with
each other (E005); relevance is the indicator's board priority (E007); timeliness is the
``performance_return`` clock (kscb_cli.domain.clocks).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kscb_cli.domain.links import DONE_ACTION, links_for
from kscb_cli.domain.tabletwo import off_target
from kscb_cli.lint.rules.registry import Hit, rule
from kscb_cli.store.refs import LEARNING

REPORTED_RETURN = ("received", "queried", "accepted")
CASE_AUDITS = ("multi_agency_case", "thematic", "single_agency", "dip_sample")
AUDIT_REPORTED = ("reported", "qa_approved", "actions_open", "closed")


def _of_kind(ctx, kind: str) -> list:
    """The store's records of one kind, listed once per lint run (rules must not scan the store per record)."""
    key = f"table_two:{kind}"
    found = ctx.extra.get(key)
    if found is None:
        found = ctx.extra[key] = ctx.store.of_kind(kind)
    return found


def _indicator(ctx, indicator_id: str) -> Any:
    return ctx.config.indicators.get(indicator_id)


# --- performance returns ----------------------------------------------------------


@rule("E001", "unknown-indicator", kinds=["performance_return"])
def unknown_indicator(record, ctx) -> Iterator[Hit]:
    """A performance return reports an indicator that ``kscb.yaml`` ``indicators`` does not define.

    Indicators are defined once (title, unit, polarity, target, source, agencies, priority) so
    every return means the same thing by the same id. Fails: ``indicator: cp_plans_2nd`` when
    kscb.yaml defines ``cp_second_time``.
    """
    from kscb_cli.store.validate import suggest

    known = ctx.config.indicators
    for name, items in (("values", record.values), ("exceptions", record.exceptions)):
        for i, v in enumerate(items):
            if v.indicator not in known:
                have = ", ".join(sorted(known)) or "none defined"
                yield (
                    (name, i, "indicator"),
                    f"indicator {v.indicator!r} is not defined in kscb.yaml indicators{suggest(v.indicator, known)} (defined: {have}); define it once there or correct the id",
                )


def _out_of_range(unit: str, value: float) -> str | None:
    if unit == "percent" and not 0 <= value <= 100:
        return "a percentage must be between 0 and 100"
    if unit == "count" and (value < 0 or value != int(value)):
        return "a count must be a whole number, 0 or more"
    if unit in ("rate", "days") and value < 0:
        return f"a figure in {unit} cannot be negative"
    return None


@rule("E002", "value-out-of-range", kinds=["performance_return"])
def value_out_of_range(record, ctx) -> Iterator[Hit]:
    """A figure is outside what its indicator's unit allows (accuracy).

    percent is 0–100, count a whole number of 0 or more, rate and days 0 or more. Fails:
    ``value: 104`` for a percent indicator (often a count typed into the wrong row).
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None or v.value is None:
            continue
        problem = _out_of_range(ind.unit, v.value)
        if problem:
            yield (
                ("values", i, "value"),
                f"{v.indicator} is {_num(v.value)}, but {problem}; check the figure with {record.agency}",
            )


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _reports(ind: Any, agency: str) -> bool:
    return not ind.agencies or agency in ind.agencies


@rule("E003", "missing-indicator", "warning", kinds=["performance_return"])
def missing_indicator(record, ctx) -> Iterator[Hit]:
    """A received return leaves out an indicator its agency reports (accuracy: completeness).

    An indicator in kscb.yaml applies to the agencies it lists (every agency when it lists none).
    Once the return is received each of them needs a row in ``values`` — with a ``reason`` where
    there is no figure. Fails: a received police return without ``missing_episodes``.
    """
    if record.status not in REPORTED_RETURN:
        return
    have = {v.indicator for v in record.values}
    for name, ind in sorted(ctx.config.indicators.items()):
        if _reports(ind, record.agency) and name not in have:
            yield (
                ("values",),
                f"no figure for {name} ({ind.title}), which {record.agency} reports; add it, or a row with a reason for no figure",
            )


@rule("E004", "missing-value-reason", kinds=["performance_return"])
def missing_value_reason(record, ctx) -> Iterator[Hit]:
    """A row in ``values`` has no figure and no ``reason`` why.

    A gap must say why (not collected this quarter, system change, ...), so a missing figure is
    never read as zero. Fails: ``- {indicator: ehas_started}`` with neither value nor reason.
    """
    for i, v in enumerate(record.values):
        if v.value is None and not v.reason:
            yield ("values", i), f"{v.indicator} has no value and no reason; give the figure or say why there is none"


@rule("E005", "contradicting-figures", kinds=["performance_return"])
def contradicting_figures(record, ctx) -> Iterator[Hit]:
    """A figure is larger than another figure it is part of (accuracy: figures that contradict).

    An indicator with ``at_most: OTHER`` in kscb.yaml can never exceed OTHER in the same return:
    children on a plan for a second time are some of the children on a plan. Fails:
    ``cp_second_time: 40`` with ``cp_plans_started: 31``.
    """
    by = {v.indicator: v.value for v in record.values}
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None or ind.at_most is None or v.value is None:
            continue
        other = by.get(ind.at_most)
        if other is not None and v.value > other:
            yield (
                ("values", i, "value"),
                f"{v.indicator} ({_num(v.value)}) is more than {ind.at_most} ({_num(other)}), which it is part of; one of the figures is wrong",
            )


@rule("E006", "exception-narrative-missing", "warning", kinds=["performance_return"])
def exception_narrative_missing(record, ctx) -> Iterator[Hit]:
    """A figure is off target but the return has no exception narrative for it.

    The workstream considers "quantitative and qualitative data including exceptions": a figure
    worse than target (by the indicator's polarity) needs a narrative in ``exceptions``. Fails:
    a timeliness of 71% against a target of 85% with no exception for it.
    """
    explained = {e.indicator for e in record.exceptions}
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is not None and off_target(ind, v.value) and v.indicator not in explained:
            yield (
                ("values", i, "value"),
                f"{v.indicator} is {_num(v.value)} against a target of {_num(ind.target)}; add an exception narrative for it",
            )


@rule("E007", "indicator-relevance", "warning", kinds=["performance_return"])
def indicator_relevance(record, ctx) -> Iterator[Hit]:
    """A reported indicator names no board priority, or one kscb.yaml does not define (relevance).

    Data is collected because it evidences a board priority; give the indicator
    ``priority:`` in kscb.yaml. Fails: an indicator with no ``priority``.
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None:
            continue
        if ind.priority is None:
            yield (
                ("values", i, "indicator"),
                f"indicator {v.indicator} names no board priority; give it priority: in kscb.yaml so its relevance is recorded",
            )
        elif ind.priority not in ctx.config.priorities:
            yield (
                ("values", i, "indicator"),
                f"indicator {v.indicator} names priority {ind.priority!r}, which kscb.yaml priorities does not define; correct it",
            )


@rule("E008", "indicator-not-for-agency", "warning", kinds=["performance_return"])
def indicator_not_for_agency(record, ctx) -> Iterator[Hit]:
    """A return reports an indicator that kscb.yaml says another agency reports.

    Fails: a health return giving ``missing_episodes`` when the indicator lists only the police.
    Fix: add the agency to the indicator's ``agencies``, or move the figure to the right return.
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is not None and not _reports(ind, record.agency):
            yield (
                ("values", i, "indicator"),
                f"{v.indicator} is reported by {', '.join(ind.agencies)}, not {record.agency}; add {record.agency} to its agencies in kscb.yaml or move the figure",
            )


# --- inspections ------------------------------------------------------------------


@rule("E010", "ungraded-inspection", "warning", kinds=["inspection"])
def ungraded_inspection(record, ctx) -> Iterator[Hit]:
    """A reported ILACS, CQC or HMICFRS inspection has no judgements.

    Those inspectorates grade what they inspect, and the grade is what the board tracks between
    inspections. (JTAIs, peer reviews and others need none.) Fails: ``inspection_type: ilacs``,
    ``status: reported`` and no ``judgements``.
    """
    if (
        record.inspection_type in ("ilacs", "cqc", "hmicfrs")
        and record.status in ("reported", "actions_open", "closed")
        and not record.judgements
    ):
        yield (
            ("judgements",) if "judgements" in ctx.store.entry(record.id).doc.data else ("status",),
            f"a reported {record.inspection_type} inspection has graded judgements; add them (area, grade)",
        )


# --- evaluation of learning -------------------------------------------------------


@rule("E011", "evaluates-target", kinds=["audit", "voice", "inspection"])
def evaluates_target(record, ctx) -> Iterator[Hit]:
    """``evaluates`` names something other than a recommendation or an action.

    An evaluation is of a recommendation (``LCSPR-2025-001#R2``) or of an action
    (``AP-LCSPR-2025-001#A1``): that link is what the loop's evaluation stage and the yearly
    report's impact section count. Fails: ``evaluates: [LCSPR-2025-001#F1]`` (a finding), or a
    bare record id.
    """
    store = ctx.store
    for i, ref in enumerate(record.evaluates):
        target, _, item_id = ref.partition("#")
        found = store.get(target)
        if found is None:
            continue  # R002
        if not item_id:
            yield (
                ("evaluates", i),
                f"{ref!r} is a whole record; name the recommendation or action evaluated, e.g. {ref}#R1",
            )
            continue
        item = store.items(target).get(item_id)
        if item is None:
            continue  # R003
        want = "actions" if found.kind == "action_plan" else "recommendations"
        if item.list_name != want:
            yield (
                ("evaluates", i),
                f"{ref!r} is one of {target}'s {item.list_name}; an evaluation is of a recommendation or an action",
            )


@rule("E012", "unevaluated-recommendation", "warning", kinds=LEARNING)
def unevaluated_recommendation(record, ctx) -> Iterator[Hit]:
    """A recommendation with success criteria has had every action done, but nothing evaluates it.

    ``success_criteria`` say how the partnership will know the change worked; once its actions
    are complete the next step is an audit, survey (voice) or inspection recording
    ``evaluates: ID#R1`` (or one of its actions). Fails: criteria, actions all complete, and no
    record evaluating it.
    """
    links = links_for(ctx)
    for i, rec in enumerate(record.recommendations):
        if not rec.success_criteria:
            continue
        ref = f"{record.id}#{rec.id}"
        actions = [a for a in links.actions_for_rec.get(ref, ()) if a.action.status != "withdrawn"]
        if not actions or any(a.action.status not in DONE_ACTION for a in actions):
            continue
        if links.evaluations_of.get(ref) or any(links.evaluations_of.get(a.ref) for a in actions):
            continue
        yield (
            ("recommendations", i, "success_criteria"),
            f"recommendation {rec.id}'s actions are done but nothing evaluates it; record an audit, survey or inspection with evaluates: {ref}",
        )


# --- audits: the voice of the child, single-agency training -------------------------


@rule("E013", "audit-without-voice", "warning", kinds=["audit"])
def audit_without_voice(record, ctx) -> Iterator[Hit]:
    """A reported case audit records neither ``voice_questions`` nor ``voice_of_child``.

    Every audit of cases asks the framework's standard voice-of-the-child questions (child seen,
    seen alone, wishes and feelings, lived experience, views influenced the plan, feedback to the
    child). Fails: a reported multi-agency case audit with neither block.
    """
    if (
        record.audit_type in CASE_AUDITS
        and record.status in AUDIT_REPORTED
        and not record.voice_questions
        and record.voice_of_child is None
    ):
        from kscb_cli.model.vocab import VOICE_QUESTIONS

        yield (
            ("audit_type",),
            f"a case audit asks the voice-of-the-child questions; add voice_questions ({', '.join(VOICE_QUESTIONS)}) or voice_of_child counts",
        )


@rule("E014", "voice-question", kinds=["audit"])
def voice_question(record, ctx) -> Iterator[Hit]:
    """A voice-of-the-child question is not one of the standard questions, or counts more cases than were audited.

    Fails: ``question: child_heard`` (not a standard id), or 9 cases answered of a sample of 8.
    """
    from kscb_cli.model.vocab import VOICE_QUESTIONS
    from kscb_cli.store.validate import suggest

    for i, q in enumerate(record.voice_questions):
        if q.question not in VOICE_QUESTIONS:
            yield (
                ("voice_questions", i, "question"),
                f"{q.question!r} is not a standard voice-of-the-child question{suggest(q.question, VOICE_QUESTIONS)}; use one of {', '.join(VOICE_QUESTIONS)}",
            )
        total = q.evidenced + q.partly + q.not_evidenced
        if total > record.sample.cases:
            yield (
                ("voice_questions", i),
                f"{q.question} counts {total} cases but the sample is {record.sample.cases}; correct the counts",
            )


@rule("E015", "training-audit", kinds=["audit"])
def training_audit(record, ctx) -> Iterator[Hit]:
    """An audit of single-agency training lacks its ``training_review``, or its figures do not add up.

    Table Two's evidence for this audit is the quality and quantity of training, compliance with
    partnership standards, learning outcomes and training needs. Fails: a reported
    ``single_agency_training`` audit with no ``training_review``; ``staff_trained`` above
    ``staff_in_scope``; an unknown training standard.
    """
    from kscb_cli.model.vocab import TRAINING_STANDARDS

    review = record.training_review
    if record.audit_type == "single_agency_training" and record.status in AUDIT_REPORTED and review is None:
        yield (
            ("audit_type",),
            "a reported audit of single-agency training needs training_review (agency, staff_in_scope, staff_trained, quality, compliance, learning_outcomes)",
        )
    if review is None:
        return
    if review.staff_trained > review.staff_in_scope:
        yield (
            ("training_review", "staff_trained"),
            f"staff_trained ({review.staff_trained}) is more than staff_in_scope ({review.staff_in_scope}); correct the figures",
        )
    for i, c in enumerate(review.compliance):
        if c.standard not in TRAINING_STANDARDS:
            yield (
                ("training_review", "compliance", i, "standard"),
                f"{c.standard!r} is not a partnership training standard; use one of {', '.join(TRAINING_STANDARDS)}",
            )


# --- voice ------------------------------------------------------------------------


@rule("E016", "voice-without-findings", "warning", kinds=["voice"])
def voice_without_findings(record, ctx) -> Iterator[Hit]:
    """A reported voice record has no findings: what children and families said is not recorded.

    The findings are "you said"; the recommendations and the actions answering them are "we did".
    Fails: ``status: reported`` with no ``findings``.
    """
    if record.status in ("reported", "responded", "closed") and not record.findings:
        yield (
            ("status",),
            'write what children and families said as findings (one each); they are the "you said" of you-said-we-did',
        )


@rule("E017", "voice-small-group", "warning", kinds=["voice"])
def voice_small_group(record, ctx) -> Iterator[Hit]:
    """A public voice record describes fewer participants than the small-number threshold.

    What a handful of children said can identify them; public outputs will show "fewer than 5"
    but the findings themselves may still point at them. Fails: ``classification: public`` with
    ``participants: 3``. Fix: classify it partnership, or combine with other feedback.
    """
    limit = ctx.config.publication.small_numbers
    if record.classification == "public" and record.participants is not None and 0 < record.participants < limit:
        yield (
            ("participants",),
            f"{record.participants} participants is under the small-number threshold ({limit}) for a public record; their words may identify them — classify it partnership or combine it with other feedback",
        )


# --- guidance ---------------------------------------------------------------------


@rule("E018", "guidance-who-must-comply", "warning", kinds=["guidance"])
def guidance_who_must_comply(record, ctx) -> Iterator[Hit]:
    """Guidance being implemented does not say who must comply.

    Fails: ``status: implementing`` with an empty ``applies_to``.
    """
    if record.status in ("consulting", "implementing", "compliant") and not record.applies_to:
        yield ("status",), "say which agencies must comply: add applies_to: [AGENCY, ...]"


@rule("E019", "compliance-evidence", kinds=["guidance"])
def compliance_evidence(record, ctx) -> Iterator[Hit]:
    """An agency is recorded as compliant with guidance without evidence.

    Fails: ``- {agency: NDFT, status: compliant}`` with no ``evidence``.
    """
    for i, c in enumerate(record.compliance):
        if c.status == "compliant" and not c.evidence:
            yield (
                ("compliance", i, "status"),
                f"{c.agency} is compliant but no evidence is recorded; add evidence (what shows it)",
            )


@rule("E020", "guidance-compliance-incomplete", kinds=["guidance"])
def guidance_compliance_incomplete(record, ctx) -> Iterator[Hit]:
    """Guidance is ``compliant`` but not every agency that must comply is shown compliant.

    Fails: ``status: compliant`` with ``applies_to: [NDFT, PVP]`` and PVP partly compliant.
    """
    if record.status != "compliant":
        return
    ok = {c.agency for c in record.compliance if c.status == "compliant"}
    missing = [a for a in record.applies_to if a not in ok]
    if missing:
        yield (
            ("status",),
            f"status compliant, but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not shown compliant; record their compliance or correct the status",
        )


# --- meetings ---------------------------------------------------------------------


@rule("E021", "meeting-workstream", kinds=["meeting"])
def meeting_workstream(record, ctx) -> Iterator[Hit]:
    """A workstream meeting does not say which workstream met.

    The standing review of action plans is counted per workstream. Fails:
    ``meeting_type: workstream`` with no ``workstream``.
    """
    if record.meeting_type == "workstream" and not record.workstream:
        yield ("meeting_type",), "a workstream meeting needs workstream: (the id from kscb.yaml workstreams)"


@rule("E022", "meeting-representation", "warning", kinds=["meeting"])
def meeting_representation(record, ctx) -> Iterator[Hit]:
    """A held meeting records no attendance, or a board meeting lacks a statutory safeguarding partner.

    The safeguarding partners (local authority, ICB, police) share the duty to be represented.
    Fails: a held board meeting where the police are absent or not listed.
    """
    if record.status not in ("held", "minutes_approved"):
        return
    if not record.attendance:
        yield (
            ("status",),
            "a held meeting records attendance by agency; add attendance (agency, present | apologies | absent)",
        )
        return
    if record.meeting_type != "board":
        return
    present = {a.agency for a in record.attendance if a.attendance == "present"}
    for agency in _of_kind(ctx, "agency"):
        if agency.safeguarding_partner and agency.status == "active" and agency.id not in present:
            yield (
                ("attendance",),
                f"{agency.id} is a statutory safeguarding partner but was not represented; record it present (or a deputy) or note the escalation",
            )


# --- challenge events -------------------------------------------------------------


@rule("E024", "challenge-outcome-missing", "warning", kinds=["challenge_event"])
def challenge_outcome_missing(record, ctx) -> Iterator[Hit]:
    """A challenge event that was held has no outcome for an agency that presented.

    Fails: ``presenting: [NDFT, PVP]`` with an outcome only for NDFT.
    """
    if record.status == "planned":
        return
    have = {o.agency for o in record.outcomes}
    for i, agency in enumerate(record.presenting):
        if agency not in have:
            yield (
                ("presenting", i),
                f"{agency} presented but has no outcome; add it to outcomes (assured | assured_with_actions | not_assured)",
            )


@rule("E025", "challenge-outcome-return", kinds=["challenge_event"])
def challenge_outcome_return(record, ctx) -> Iterator[Hit]:
    """An outcome names a Section 11 return of another agency or another cycle.

    Fails: the outcome for NDFT naming ``S11-2025-PVP``, or a 2024 return at the 2025 event.
    """
    for i, o in enumerate(record.outcomes):
        ret = ctx.store.get(o.section11) if o.section11 else None
        if ret is None or ret.kind != "section11":
            continue
        if ret.agency != o.agency:
            yield ("outcomes", i, "section11"), f"{o.section11} is {ret.agency}'s return, not {o.agency}'s; correct it"
        elif ret.cycle != record.cycle:
            yield (
                ("outcomes", i, "section11"),
                f"{o.section11} is for cycle {ret.cycle}, but this event is for cycle {record.cycle}; correct it",
            )


@rule("E026", "challenge-young-people", "warning", kinds=["challenge_event"])
def challenge_young_people(record, ctx) -> Iterator[Hit]:
    """A challenge event that was held records no young people taking part.

    Appendix A: the partnership engages children's views "through the Section 11 process, e.g.
    involving young people in the challenge event". Fails: a held event with no ``young_people``
    (or ``participants: 0``). Record why in ``notes`` and ignore the rule for the file if none could.
    """
    if record.status != "planned" and (record.young_people is None or record.young_people.participants == 0):
        yield (
            ("status",),
            "no young people took part in this challenge event; record young_people (participants, what they said)",
        )
