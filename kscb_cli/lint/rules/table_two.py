"""E rules: the kinds for the rest of Table Two (issue #14) — inspections, voice, guidance,
meetings, challenge events, audits of single-agency training — and the evaluation of learning
(``evaluates:`` links and success criteria). The performance-return rules are in performance.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import ActionPlan, Audit, ChallengeEvent, Guidance, Inspection, Meeting, Section11, Voice
from kscb_cli.store.refs import LEARNING

CASE_AUDITS = ("multi_agency_case", "thematic", "single_agency", "dip_sample")
AUDIT_REPORTED = ("reported", "qa_approved", "actions_open", "closed")


# --- inspections ------------------------------------------------------------------


def _data(ctx: Context, record: Any) -> Any:
    """The record's data as read from its file (the first file of its id)."""
    entry = ctx.store.entry(record.id)
    return entry.doc.data if entry is not None and entry.doc is not None else {}


@rule("E010", "ungraded-inspection", "warning", kinds=["inspection"])
def ungraded_inspection(record: Inspection, ctx: Context) -> Iterator[Finding]:
    """A reported ILACS, CQC or HMICFRS inspection has no judgements.
    Why: those inspectorates grade what they inspect, and the grade is what the board tracks between
    inspections. (JTAIs, peer reviews and others need none.)
    Fails: ``inspection_type: ilacs``, ``status: reported`` and no ``judgements``.
    Passes: a reported ILACS inspection with its judgements; a reported JTAI with none.
    Fix: add the judgements (area, grade) from the inspection report.
    """
    if (
        record.inspection_type in ("ilacs", "cqc", "hmicfrs")
        and record.status in ("reported", "actions_open", "closed")
        and not record.judgements
    ):
        yield Finding(
            ("judgements",) if "judgements" in _data(ctx, record) else ("status",),
            f"a reported {record.inspection_type} inspection has graded judgements; add them (area, grade)",
        )


# --- evaluation of learning -------------------------------------------------------


@rule("E011", "evaluates-target", kinds=["audit", "voice", "inspection"])
def evaluates_target(record: Any, ctx: Context) -> Iterator[Finding]:
    """``evaluates`` names something other than a recommendation or an action.
    Why: an evaluation is of a recommendation (``LCSPR-2025-001#R2``) or of an action
    (``AP-LCSPR-2025-001#A1``): that link is what the loop's evaluation stage and the yearly
    report's impact section count.
    Fails: ``evaluates: [LCSPR-2025-001#F1]`` (a finding), or a bare record id.
    Passes: ``evaluates: [LCSPR-2025-001#R2, AP-LCSPR-2025-001#A1]``.
    Fix: name the recommendation or action evaluated, e.g. ``ID#R1``.
    """
    store = ctx.store
    for i, ref in enumerate(record.evaluates):
        target, _, item_id = ref.partition("#")
        found = store.get(target)
        if found is None:
            continue  # R002
        if not item_id:
            yield Finding(
                ("evaluates", i),
                f"{ref!r} is a whole record; name the recommendation or action evaluated, e.g. {ref}#R1",
            )
            continue
        item = store.items(target).get(item_id)
        if item is None:
            continue  # R003
        want = "actions" if isinstance(found, ActionPlan) else "recommendations"
        if item.list_name != want:
            yield Finding(
                ("evaluates", i),
                f"{ref!r} is one of {target}'s {item.list_name}; an evaluation is of a recommendation or an action",
            )


@rule("E012", "unevaluated-recommendation", "warning", kinds=LEARNING)
def unevaluated_recommendation(record: Any, ctx: Context) -> Iterator[Finding]:
    """A recommendation with success criteria has had every action done, but nothing evaluates it.
    Why: ``success_criteria`` say how the partnership will know the change worked; once its actions
    are complete the next step is to find out whether it did.
    Fails: criteria, every action complete, and no record evaluating the recommendation or its actions.
    Passes: an audit with ``evaluates: AP-...#A1``; a recommendation with an action still in progress.
    Fix: record an audit, survey (voice) or inspection with ``evaluates: ID#R1`` (or one of its actions).
    """
    links = ctx.links
    for i, rec in enumerate(record.recommendations):
        if not rec.success_criteria:
            continue
        ref = f"{record.id}#{rec.id}"
        actions = [a for a in links.actions_for_rec.get(ref, ()) if a.action.status != "withdrawn"]
        if not actions or any(not a.action.is_done for a in actions):
            continue
        if links.evaluations_of.get(ref) or any(links.evaluations_of.get(a.ref) for a in actions):
            continue
        yield Finding(
            ("recommendations", i, "success_criteria"),
            f"recommendation {rec.id}'s actions are done but nothing evaluates it; record an audit, survey or inspection with evaluates: {ref}",
        )


# --- audits: the voice of the child, single-agency training -------------------------


@rule("E013", "audit-without-voice", "warning", kinds=["audit"])
def audit_without_voice(record: Audit, ctx: Context) -> Iterator[Finding]:
    """A reported case audit records neither ``voice_questions`` nor ``voice_of_child``.
    Why: every audit of cases asks the framework's standard voice-of-the-child questions (child seen,
    seen alone, wishes and feelings, lived experience, views influenced the plan, feedback to the child).
    Fails: a reported multi-agency case audit with neither block.
    Passes: a reported case audit with ``voice_questions``; a practitioner survey, which audits no cases.
    Fix: add ``voice_questions`` (the standard questions) or the ``voice_of_child`` counts.
    """
    if (
        record.audit_type in CASE_AUDITS
        and record.status in AUDIT_REPORTED
        and not record.voice_questions
        and record.voice_of_child is None
    ):
        from kscb_cli.model.vocab import VOICE_QUESTIONS

        yield Finding(
            ("audit_type",),
            f"a case audit asks the voice-of-the-child questions; add voice_questions ({', '.join(VOICE_QUESTIONS)}) or voice_of_child counts",
        )


@rule("E014", "voice-question", kinds=["audit"])
def voice_question(record: Audit, ctx: Context) -> Iterator[Finding]:
    """A voice-of-the-child question is not one of the standard questions, or counts more cases than were audited.
    Why: the answers are compared question by question across audits, and as shares of the sample.
    Fails: ``question: child_heard`` (not a standard id), or 9 cases answered of a sample of 8.
    Passes: standard questions whose counts are within the sample.
    Fix: use one of the standard question ids the message lists, and correct the counts.
    """
    from kscb_cli.model.vocab import VOICE_QUESTIONS
    from kscb_cli.store.validate import suggest

    for i, q in enumerate(record.voice_questions):
        if q.question not in VOICE_QUESTIONS:
            yield Finding(
                ("voice_questions", i, "question"),
                f"{q.question!r} is not a standard voice-of-the-child question{suggest(q.question, VOICE_QUESTIONS)}; use one of {', '.join(VOICE_QUESTIONS)}",
            )
        total = q.evidenced + q.partly + q.not_evidenced
        if total > record.sample.cases:
            yield Finding(
                ("voice_questions", i),
                f"{q.question} counts {total} cases but the sample is {record.sample.cases}; correct the counts",
            )


@rule("E015", "training-audit", kinds=["audit"])
def training_audit(record: Audit, ctx: Context) -> Iterator[Finding]:
    """An audit of single-agency training lacks its ``training_review``, or its figures do not add up.
    Why: Table Two's evidence for this audit is the quality and quantity of training, compliance with
    partnership standards, learning outcomes and training needs.
    Fails: a reported ``single_agency_training`` audit with no ``training_review``; ``staff_trained`` above
    ``staff_in_scope``; an unknown training standard.
    Passes: a reported training audit with its ``training_review``, figures within scope and known standards.
    Fix: add the ``training_review`` (agency, staff_in_scope, staff_trained, quality, compliance,
    learning_outcomes), correct the figures, or use a partnership training standard.
    """
    from kscb_cli.model.vocab import TRAINING_STANDARDS

    review = record.training_review
    if record.audit_type == "single_agency_training" and record.status in AUDIT_REPORTED and review is None:
        yield Finding(
            ("audit_type",),
            "a reported audit of single-agency training needs training_review (agency, staff_in_scope, staff_trained, quality, compliance, learning_outcomes)",
        )
    if review is None:
        return
    if review.staff_trained > review.staff_in_scope:
        yield Finding(
            ("training_review", "staff_trained"),
            f"staff_trained ({review.staff_trained}) is more than staff_in_scope ({review.staff_in_scope}); correct the figures",
        )
    for i, c in enumerate(review.compliance):
        if c.standard not in TRAINING_STANDARDS:
            yield Finding(
                ("training_review", "compliance", i, "standard"),
                f"{c.standard!r} is not a partnership training standard; use one of {', '.join(TRAINING_STANDARDS)}",
            )


# --- voice ------------------------------------------------------------------------


@rule("E016", "voice-without-findings", "warning", kinds=["voice"])
def voice_without_findings(record: Voice, ctx: Context) -> Iterator[Finding]:
    """A reported voice record has no findings: what children and families said is not recorded.
    Why: the findings are "you said"; the recommendations and the actions answering them are "we did".
    Fails: ``status: reported`` with no ``findings``.
    Passes: a reported voice record with a finding for each thing said.
    Fix: write what children and families said as findings, one each.
    """
    if record.status in ("reported", "responded", "closed") and not record.findings:
        yield Finding(
            ("status",),
            'write what children and families said as findings (one each); they are the "you said" of you-said-we-did',
        )


@rule("E017", "voice-small-group", "warning", kinds=["voice"])
def voice_small_group(record: Voice, ctx: Context) -> Iterator[Finding]:
    """A public voice record describes fewer participants than the small-number threshold.
    The threshold is kscb.yaml ``publication.small_numbers``.
    Why: what a handful of children said can identify them; public outputs will show "fewer than 5"
    but the findings themselves may still point at them.
    Fails: ``classification: public`` with ``participants: 3``.
    Passes: a public survey of 40; a partnership record of three.
    Fix: classify it partnership, or combine it with other feedback.
    """
    limit = ctx.config.publication.small_numbers
    if record.classification == "public" and record.participants is not None and 0 < record.participants < limit:
        yield Finding(
            ("participants",),
            f"{record.participants} participants is under the small-number threshold ({limit}) for a public record; their words may identify them — classify it partnership or combine it with other feedback",
        )


# --- guidance ---------------------------------------------------------------------


@rule("E018", "guidance-who-must-comply", "warning", kinds=["guidance"])
def guidance_who_must_comply(record: Guidance, ctx: Context) -> Iterator[Finding]:
    """Guidance being implemented does not say who must comply.
    Checked once the guidance is ``consulting``, ``implementing`` or ``compliant``.
    Why: compliance is tracked by agency; without ``applies_to`` no agency is asked to comply.
    Fails: ``status: implementing`` with an empty ``applies_to``.
    Passes: ``applies_to: [NDFT, PVP]``; a new entry (``identified``) need not say yet.
    Fix: add ``applies_to: [AGENCY, ...]``.
    """
    if record.status in ("consulting", "implementing", "compliant") and not record.applies_to:
        yield Finding(("status",), "say which agencies must comply: add applies_to: [AGENCY, ...]")


@rule("E019", "compliance-evidence", kinds=["guidance"])
def compliance_evidence(record: Guidance, ctx: Context) -> Iterator[Finding]:
    """An agency is recorded as compliant with guidance without evidence.
    Why: compliance the partnership cannot evidence is not assurance.
    Fails: ``- {agency: NDFT, status: compliant}`` with no ``evidence``.
    Passes: ``- {agency: NDFT, status: compliant, evidence: ...}``.
    Fix: add ``evidence`` saying what shows the agency complies.
    """
    for i, c in enumerate(record.compliance):
        if c.status == "compliant" and not c.evidence:
            yield Finding(
                ("compliance", i, "status"),
                f"{c.agency} is compliant but no evidence is recorded; add evidence (what shows it)",
            )


@rule("E020", "guidance-compliance-incomplete", kinds=["guidance"])
def guidance_compliance_incomplete(record: Guidance, ctx: Context) -> Iterator[Finding]:
    """Guidance is ``compliant`` but not every agency that must comply is shown compliant.
    Why: the guidance as a whole is compliant only when every agency in ``applies_to`` is.
    Fails: ``status: compliant`` with ``applies_to: [NDFT, PVP]`` and PVP partly compliant.
    Passes: every agency in ``applies_to`` has a ``compliance`` entry with ``status: compliant``.
    Fix: record the missing agencies' compliance, or correct the guidance's status.
    """
    if record.status != "compliant":
        return
    ok = {c.agency for c in record.compliance if c.status == "compliant"}
    missing = [a for a in record.applies_to if a not in ok]
    if missing:
        yield Finding(
            ("status",),
            f"status compliant, but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not shown compliant; record their compliance or correct the status",
        )


# --- meetings ---------------------------------------------------------------------


@rule("E021", "meeting-workstream", kinds=["meeting"])
def meeting_workstream(record: Meeting, ctx: Context) -> Iterator[Finding]:
    """A workstream meeting does not say which workstream met.
    Why: the standing review of action plans is counted per workstream.
    Fails: ``meeting_type: workstream`` with no ``workstream``.
    Passes: ``meeting_type: workstream`` with ``workstream: ee``; a board meeting needs none.
    Fix: add ``workstream:`` with the id from kscb.yaml ``workstreams``.
    """
    if record.meeting_type == "workstream" and not record.workstream:
        yield Finding(("meeting_type",), "a workstream meeting needs workstream: (the id from kscb.yaml workstreams)")


@rule("E022", "meeting-representation", "warning", kinds=["meeting"])
def meeting_representation(record: Meeting, ctx: Context) -> Iterator[Finding]:
    """A held meeting records no attendance, or a board meeting lacks a statutory safeguarding partner.
    Why: the safeguarding partners (local authority, ICB, police) share the duty to be represented,
    and attendance is the record that they were.
    Fails: a held board meeting where the police are absent or not listed; a held meeting with no ``attendance``.
    Passes: every active statutory partner present at the board; a scheduled meeting needs no attendance yet.
    Fix: record the attendance by agency (present, apologies, absent), a partner's deputy as present, or note the escalation.
    """
    if record.status not in ("held", "minutes_approved"):
        return
    if not record.attendance:
        yield Finding(
            ("status",),
            "a held meeting records attendance by agency; add attendance (agency, present | apologies | absent)",
        )
        return
    if record.meeting_type != "board":
        return
    present = {a.agency for a in record.attendance if a.attendance == "present"}
    for agency in ctx.agencies:
        if agency.safeguarding_partner and agency.status == "active" and agency.id not in present:
            yield Finding(
                ("attendance",),
                f"{agency.id} is a statutory safeguarding partner but was not represented; record it present (or a deputy) or note the escalation",
            )


# --- challenge events -------------------------------------------------------------


@rule("E024", "challenge-outcome-missing", "warning", kinds=["challenge_event"])
def challenge_outcome_missing(record: ChallengeEvent, ctx: Context) -> Iterator[Finding]:
    """A challenge event that was held has no outcome for an agency that presented.
    Why: the outcome (assured, assured with actions, not assured) is what the event is for.
    Fails: ``presenting: [NDFT, PVP]`` with an outcome only for NDFT.
    Passes: an outcome for each presenting agency; a planned event need not have any yet.
    Fix: add the agency's outcome to ``outcomes`` (assured | assured_with_actions | not_assured).
    """
    if record.status == "planned":
        return
    have = {o.agency for o in record.outcomes}
    for i, agency in enumerate(record.presenting):
        if agency not in have:
            yield Finding(
                ("presenting", i),
                f"{agency} presented but has no outcome; add it to outcomes (assured | assured_with_actions | not_assured)",
            )


@rule("E025", "challenge-outcome-return", kinds=["challenge_event"])
def challenge_outcome_return(record: ChallengeEvent, ctx: Context) -> Iterator[Finding]:
    """An outcome names a Section 11 return of another agency or another cycle.
    Why: the outcome assures the agency's own return for the event's cycle; another one links the assurance to the wrong return.
    Fails: the outcome for NDFT naming ``S11-2025-PVP``, or a 2024 return at the 2025 event.
    Passes: each outcome names its own agency's return for the event's cycle.
    Fix: correct ``section11`` to the agency's return for the cycle.
    """
    for i, o in enumerate(record.outcomes):
        ret = ctx.store.get(o.section11) if o.section11 else None
        if not isinstance(ret, Section11):
            continue
        if ret.agency != o.agency:
            yield Finding(
                ("outcomes", i, "section11"), f"{o.section11} is {ret.agency}'s return, not {o.agency}'s; correct it"
            )
        elif ret.cycle != record.cycle:
            yield Finding(
                ("outcomes", i, "section11"),
                f"{o.section11} is for cycle {ret.cycle}, but this event is for cycle {record.cycle}; correct it",
            )


@rule("E026", "challenge-young-people", "warning", kinds=["challenge_event"])
def challenge_young_people(record: ChallengeEvent, ctx: Context) -> Iterator[Finding]:
    """A challenge event that was held records no young people taking part.
    Why: Appendix A: the partnership engages children's views "through the Section 11 process, e.g.
    involving young people in the challenge event".
    Fails: a held event with no ``young_people`` (or ``participants: 0``).
    Passes: a held event with ``young_people`` who took part; a planned event need not say yet.
    Fix: record ``young_people`` (participants, what they said); if none could take part, say why in
    ``notes`` and ignore the rule for the file.
    """
    if record.status != "planned" and (record.young_people is None or record.young_people.participants == 0):
        yield Finding(
            ("status",),
            "no young people took part in this challenge event; record young_people (participants, what they said)",
        )
