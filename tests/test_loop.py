"""The learning loop measured (kscb_cli.domain.loop): stages, fraction, evaluation, dissemination in parallel, rapid reviews carried on."""

from __future__ import annotations

from kscb_cli.domain.links import Links
from kscb_cli.domain.loop import loops, summary
from kscb_cli.store.store import Store

AUDIT = """\
kind: audit
id: AUD-2026-001
title: Audit of assessments
status: reported
audit_type: dip_sample
period: {{from: 2026-01-01, to: 2026-03-31}}
sample: {{cases: 10, selection: random}}
planned: 2026-04-01
reported: 2026-05-01
{body}
"""

POL = """\
kind: agency
id: POL
title: Police
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""


def _plan(*actions: str) -> str:
    body = "\n".join(actions)
    return f"""\
kind: action_plan
id: AP-AUD-2026-001
title: Plan
status: in_progress
source: AUD-2026-001
approved: 2026-06-01
actions:
{body}
"""


def _action(id: str, rec: str, status: str, extra: str = "") -> str:
    done = (
        "\n    evidence: [{date: 2026-09-01, text: Done.}]\n    completed: 2026-09-01"
        if status in ("complete", "embedded")
        else ""
    )
    impact = "\n    impact: Fewer missed appointments, shown by re-audit." if status == "embedded" else ""
    return f"""\
  - id: {id}
    recommendation: AUD-2026-001#{rec}
    action: Do it.
    lead_agency: POL
    lead_role: Inspector
    due: 2027-01-31
    status: {status}
    success_measure: Measured.{done}{impact}{extra}"""


FINDINGS = """\
findings:
  - {id: F1, type: practice_issue, summary: Chronologies missing.}
  - {id: F2, type: good_practice, summary: Early help was quick.}
recommendations:
  - {id: R1, findings: [F1], to: partnership, text: Agree a standard., response: accepted}
  - {id: R2, findings: [F1], to: partnership, text: Train everyone., response: not_accepted, rationale: Covered already.}
"""


def _briefing(status: str, sources: str = "[AUD-2026-001#F1]") -> str:
    approved = "approved: 2026-10-01\n" if status in ("approved", "published") else ""
    published = "published: 2026-10-05\n" if status == "published" else ""
    return f"""\
kind: briefing
id: LS-2026-001
title: Learning summary
status: {status}
format: learning_summary
sources: {sources}
{approved}{published}"""


def _loop(make_store, records: dict[str, str], record_id: str = "AUD-2026-001"):
    store = Store.open(make_store({"records/agencies/POL.yaml": POL, **records}))
    return loops(store, Links(store))[record_id]


def _stages(lp):
    return [(s.name, s.done, s.total, s.met) for s in lp.stages]


def test_examples(examples):
    found = loops(Store.open(examples))
    got = {k: (lp.stage, lp.fraction, lp.next) for k, lp in found.items()}
    assert got == {
        # CDOP: its empty evidence and impact stages earn nothing (they used to score as met): 2 of 5 stages with work
        "CDOP-2025-017": ("recommendations", 0.4, "actions"),
        "LCSPR-2025-001": ("actions", 0.76, "evidence"),
        "MACA-2025-002": ("actions", 0.43, "evidence"),
        "RR-2025-003": ("actions", 0.76, "evidence"),
        "S11-2025-WYP": ("impact", 0.71, "evaluation"),
    }
    assert _stages(found["LCSPR-2025-001"]) == [
        ("findings", 1, 1, True),
        ("recommendations", 2, 2, True),
        ("actions", 2, 2, True),
        ("evidence", 1, 3, False),
        ("impact", 0, 3, False),
        ("evaluation", 1, 1, True),
        ("dissemination", 1, 1, True),
    ]
    assert found["LCSPR-2025-001"].evaluated_by == ("TRN-2026-002",)  # evaluated training disseminating it
    rr = found["RR-2025-003"]
    assert rr.continued_in == ("LCSPR-2025-001",)
    assert rr.disseminated_by == ("7MB-2025-004", "TRN-2026-002")
    assert found["S11-2025-WYP"].label == "impact 71%"
    s = summary(found)
    assert s["all"] == {
        "sources": 5,
        "closed": 0,
        "mean_fraction": 0.61,
        "by_stage": {
            "none": 0,
            "findings": 0,
            "recommendations": 1,
            "actions": 3,
            "evidence": 0,
            "impact": 1,
            "evaluation": 0,
        },
    }
    assert s["by_kind"]["section11"]["mean_fraction"] == 0.71


def test_no_findings_is_not_round_the_loop(make_store):
    in_progress = AUDIT.replace("status: reported", "status: in_progress").replace("reported: 2026-05-01\n", "")
    lp = _loop(make_store, {"records/audits/AUD-2026-001.yaml": in_progress.format(body="")})
    assert (lp.stage, lp.fraction, lp.next) == ("none", 0.0, "findings")
    assert all(not s.met for s in lp.stages)


def test_reported_with_no_findings_has_nothing_to_act_on(make_store):
    """An audit (or an assured Section 11 return) that reported no findings only needs sharing — and earns nothing for the rest."""
    records = {"records/audits/AUD-2026-001.yaml": AUDIT.format(body="")}
    lp = _loop(make_store, records)
    assert _stages(lp)[0] == ("findings", 0, 0, True)
    assert _stages(lp)[5] == ("evaluation", 0, 0, True)  # nothing asked for change: nothing to evaluate
    assert (lp.stage, lp.fraction, lp.next) == ("evaluation", 0.0, "dissemination")  # was 0.83 before issue #9
    records["records/briefings/LS-2026-001.yaml"] = _briefing("published", "[AUD-2026-001]")
    lp = _loop(make_store, records)
    assert lp.closed and lp.fraction == 1.0


def test_good_practice_only_needs_dissemination(make_store):
    body = "findings:\n  - {id: F1, type: good_practice, summary: Early help was quick.}\n"
    records = {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=body)}
    lp = _loop(make_store, records)
    assert (lp.stage, lp.fraction, lp.next) == ("evaluation", 0.5, "dissemination")  # findings 1/1, dissemination 0/1
    records["records/briefings/LS-2026-001.yaml"] = _briefing("published", "[AUD-2026-001#F1]")
    lp = _loop(make_store, records)
    assert (lp.stage, lp.fraction, lp.next, lp.closed) == ("evaluation", 1.0, None, True)


def test_pending_and_unanswered(make_store):
    body = """\
findings:
  - {id: F1, type: practice_issue, summary: Chronologies missing.}
  - {id: F2, type: systemic, summary: Separate systems.}
recommendations:
  - {id: R1, findings: [F1], to: partnership, text: Agree a standard., response: pending}
"""
    lp = _loop(make_store, {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=body)})
    assert _stages(lp)[:3] == [("findings", 1, 1, True), ("recommendations", 1, 2, False), ("actions", 0, 1, False)]
    # empty later stages do not count once the chain is broken
    assert _stages(lp)[3:5] == [("evidence", 0, 0, False), ("impact", 0, 0, False)]
    # findings 1, recommendations 0.5, actions 0, evaluation 0, dissemination 0: the empty stages are left out
    assert (lp.stage, lp.fraction) == ("findings", round((1 + 0.5) / 5, 2))


def test_actions_evidence_impact_and_withdrawn(make_store):
    records = {
        "records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS),
        "records/action-plans/AP-AUD-2026-001.yaml": _plan(
            _action("A1", "R1", "embedded"),
            _action("A2", "R1", "in_progress"),
            _action("A3", "R1", "withdrawn"),
        ),
    }
    lp = _loop(make_store, records)
    # R2 not accepted needs no action; A3 withdrawn is not counted
    assert _stages(lp) == [
        ("findings", 1, 1, True),
        ("recommendations", 1, 1, True),
        ("actions", 2, 2, True),
        ("evidence", 1, 2, False),
        ("impact", 1, 2, False),
        ("evaluation", 0, 1, False),
        ("dissemination", 0, 1, False),
    ]
    assert (lp.stage, lp.next, lp.fraction) == ("actions", "evidence", round((3 + 0.5 + 0.5) / 7, 2))


def test_dissemination_counts_only_published_briefings_and_delivered_training(make_store):
    records = {
        "records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS),
        "records/briefings/LS-2026-001.yaml": _briefing("draft"),
    }
    assert _loop(make_store, records).stages[-1].met is False
    records["records/briefings/LS-2026-001.yaml"] = _briefing("approved", "[AUD-2026-001]")
    assert _loop(make_store, records).stages[-1].met is False  # approved is not yet shared (issue #9)
    records["records/briefings/LS-2026-001.yaml"] = _briefing("published", "[AUD-2026-001]")
    lp = _loop(make_store, records)
    assert lp.stages[-1].met and lp.disseminated_by == ("LS-2026-001",)
    del records["records/briefings/LS-2026-001.yaml"]
    training = """\
kind: training
id: TRN-2026-001
title: Chronologies
status: {status}
format: two_hour
date: 2026-10-01
learning_from: [AUD-2026-001#R1]
"""
    records["records/training/TRN-2026-001.yaml"] = training.format(status="planned")
    assert _loop(make_store, records).stages[-1].met is False
    records["records/training/TRN-2026-001.yaml"] = training.format(status="delivered")
    assert _loop(make_store, records).disseminated_by == ("TRN-2026-001",)


def test_finding_answered_by_another_records_recommendation(make_store):
    body = "findings:\n  - {id: F1, type: practice_issue, summary: Chronologies missing.}\n"
    other = AUDIT.replace("AUD-2026-001", "AUD-2026-002").format(
        body="""\
findings:
  - {id: F1, type: good_practice, summary: Better now.}
recommendations:
  - {id: R1, findings: [F1, AUD-2026-001#F1], to: partnership, text: Keep it up., response: pending}
"""
    )
    lp = _loop(
        make_store,
        {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=body), "records/audits/AUD-2026-002.yaml": other},
    )
    assert _stages(lp)[1] == ("recommendations", 1, 1, True)


def test_dissemination_runs_alongside_the_actions(make_store):
    """Sharing the learning before the actions are done counts at once; it does not wait for them, nor hold up the chain."""
    records = {
        "records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS),
        "records/briefings/LS-2026-001.yaml": _briefing("published", "[AUD-2026-001#F1]"),
    }
    lp = _loop(make_store, records)
    assert _stages(lp)[2] == ("actions", 1, 2, False)  # R1 accepted has no action yet; R2 not accepted needs none
    assert lp.stages[-1].met and lp.next == "actions"
    # findings 1, recommendations 1, actions 1/2, evaluation 0/1, dissemination 1: empty evidence and impact left out
    assert lp.fraction == round((1 + 1 + 0.5 + 0 + 1) / 5, 2)


def test_evaluation_by_re_audit(make_store):
    records = {
        "records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS),
        "records/action-plans/AP-AUD-2026-001.yaml": _plan(_action("A1", "R1", "embedded")),
        "records/briefings/LS-2026-001.yaml": _briefing("published", "[AUD-2026-001]"),
    }
    lp = _loop(make_store, records)
    assert (lp.stage, lp.next, lp.closed) == ("impact", "evaluation", False)
    reaudit = (
        AUDIT.replace("AUD-2026-001", "AUD-2027-001")
        .replace("2026-", "2027-")
        .format(
            body="findings:\n  - {id: F1, type: good_practice, summary: Chronologies now kept.}\nrecommendations:\n"
            "  - {id: R1, findings: [F1, AUD-2026-001#F1], to: partnership, text: Keep the standard., response: not_accepted, rationale: Already embedded.}\n"
        )
    )
    records["records/audits/AUD-2027-001.yaml"] = reaudit
    lp = _loop(make_store, records)
    assert lp.evaluated_by == ("AUD-2027-001",)
    assert (lp.stage, lp.fraction, lp.closed) == ("evaluation", 1.0, True)


def test_alternative_learning_route_of_a_rapid_review(make_store):
    """A rapid review that chose alternative learning goes round the loop through the audit that carries it."""
    notification = """\
kind: notification
id: SIN-2026-001
title: Notification
status: sent
classification: restricted
subject: Child H
harm: serious_harm
abuse: suspected
looked_after: false
incident: 2026-01-05
aware: 2026-01-06
sent: 2026-01-08
"""
    rapid = """\
kind: rapid_review
id: RR-2026-001
title: Rapid review
status: closed
classification: restricted
notification: SIN-2026-001
subject: Child H
completed: 2026-01-28
decision: alternative_learning
rationale: A thematic audit will look at the same practice across many cases.
findings:
  - {id: F1, type: practice_issue, summary: Chronologies missing.}
"""
    carrier = AUDIT.format(
        body=FINDINGS.replace(
            "findings: [F1], to: partnership, text: Agree",
            "findings: [F1, RR-2026-001#F1], to: partnership, text: Agree",
        )
    )
    records = {
        "records/notifications/SIN-2026-001.yaml": notification,
        "records/rapid-reviews/RR-2026-001.yaml": rapid,
        "records/audits/AUD-2026-001.yaml": carrier,
    }
    lp = _loop(make_store, records, "RR-2026-001")
    assert lp.continued_in == ("AUD-2026-001",)
    # its F1 answered by the audit's R1; the audit's recommendations and actions count for it: R1 has no action yet
    assert _stages(lp)[1:3] == [("recommendations", 2, 2, True), ("actions", 1, 2, False)]
    records["records/action-plans/AP-AUD-2026-001.yaml"] = _plan(_action("A1", "R1", "in_progress"))
    lp = _loop(make_store, records, "RR-2026-001")
    assert _stages(lp)[1:4] == [("recommendations", 2, 2, True), ("actions", 2, 2, True), ("evidence", 0, 1, False)]
    assert (lp.stage, lp.next) == ("actions", "evidence")
    # without the alternative learning decision the route is not followed: nothing after the recommendation counts for it
    records["records/rapid-reviews/RR-2026-001.yaml"] = rapid.replace(
        "decision: alternative_learning", "decision: no_further_review"
    )
    lp = _loop(make_store, records, "RR-2026-001")
    assert lp.continued_in == () and _stages(lp)[2:4] == [("actions", 0, 0, True), ("evidence", 0, 0, True)]
