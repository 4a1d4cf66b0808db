"""The learning loop measured (kscb_cli.loop): stages, fraction, dissemination, rapid reviews carried into reviews."""

from __future__ import annotations

from kscb_cli.links import Links
from kscb_cli.loop import loops, summary
from kscb_cli.store import Store

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
    done = "\n    evidence: [{date: 2026-09-01, text: Done.}]\n    completed: 2026-09-01" if status in ("complete", "embedded") else ""
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
        "CDOP-2025-017": ("recommendations", 0.33, "actions"),
        "LCSPR-2025-001": ("actions", 0.72, "evidence"),
        "MACA-2025-002": ("actions", 0.5, "evidence"),
        "RR-2025-003": ("actions", 0.72, "evidence"),
        "S11-2025-WYP": ("impact", 0.83, "dissemination"),
    }
    assert _stages(found["LCSPR-2025-001"]) == [
        ("findings", 1, 1, True), ("recommendations", 2, 2, True), ("actions", 2, 2, True),
        ("evidence", 1, 3, False), ("impact", 0, 3, False), ("dissemination", 1, 1, True),
    ]
    rr = found["RR-2025-003"]
    assert rr.continued_in == ("LCSPR-2025-001",)
    assert rr.disseminated_by == ("7MB-2025-004", "TRN-2026-002")
    assert found["S11-2025-WYP"].label == "impact 83%"
    s = summary(found)
    assert s["all"] == {"sources": 5, "closed": 0, "mean_fraction": 0.62, "by_stage": {
        "none": 0, "findings": 0, "recommendations": 1, "actions": 3, "evidence": 0, "impact": 1, "dissemination": 0}}
    assert s["by_kind"]["section11"]["mean_fraction"] == 0.83


def test_no_findings_is_not_round_the_loop(make_store):
    in_progress = AUDIT.replace("status: reported", "status: in_progress").replace("reported: 2026-05-01\n", "")
    lp = _loop(make_store, {"records/audits/AUD-2026-001.yaml": in_progress.format(body="")})
    assert (lp.stage, lp.fraction, lp.next) == ("none", 0.0, "findings")
    assert all(not s.met for s in lp.stages)


def test_reported_with_no_findings_has_nothing_to_act_on(make_store):
    """An audit (or an assured Section 11 return) that reported no findings only needs sharing."""
    records = {"records/audits/AUD-2026-001.yaml": AUDIT.format(body="")}
    lp = _loop(make_store, records)
    assert _stages(lp)[0] == ("findings", 0, 0, True)
    assert (lp.stage, lp.fraction, lp.next) == ("impact", 0.83, "dissemination")
    records["records/briefings/LS-2026-001.yaml"] = _briefing("published", "[AUD-2026-001]")
    assert _loop(make_store, records).closed


def test_good_practice_only_needs_dissemination(make_store):
    body = "findings:\n  - {id: F1, type: good_practice, summary: Early help was quick.}\n"
    records = {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=body)}
    lp = _loop(make_store, records)
    assert (lp.stage, lp.fraction, lp.next) == ("impact", 0.83, "dissemination")
    records["records/briefings/LS-2026-001.yaml"] = _briefing("published", "[AUD-2026-001#F1]")
    lp = _loop(make_store, records)
    assert (lp.stage, lp.fraction, lp.next, lp.closed) == ("dissemination", 1.0, None, True)


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
    assert (lp.stage, lp.fraction) == ("findings", round((1 + 0.5) / 6, 2))


def test_actions_evidence_impact_and_withdrawn(make_store):
    records = {
        "records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS),
        "records/action-plans/AP-AUD-2026-001.yaml": _plan(
            _action("A1", "R1", "embedded"), _action("A2", "R1", "in_progress"), _action("A3", "R1", "withdrawn"),
        ),
    }
    lp = _loop(make_store, records)
    # R2 not accepted needs no action; A3 withdrawn is not counted
    assert _stages(lp) == [
        ("findings", 1, 1, True), ("recommendations", 1, 1, True), ("actions", 2, 2, True),
        ("evidence", 1, 2, False), ("impact", 1, 2, False), ("dissemination", 0, 1, False),
    ]
    assert (lp.stage, lp.next, lp.fraction) == ("actions", "evidence", round((3 + 0.5 + 0.5) / 6, 2))


def test_dissemination_counts_only_approved_briefings_and_delivered_training(make_store):
    records = {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=FINDINGS), "records/briefings/LS-2026-001.yaml": _briefing("draft")}
    assert _loop(make_store, records).stages[-1].met is False
    records["records/briefings/LS-2026-001.yaml"] = _briefing("approved", "[AUD-2026-001]")
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
    other = AUDIT.replace("AUD-2026-001", "AUD-2026-002").format(body="""\
findings:
  - {id: F1, type: good_practice, summary: Better now.}
recommendations:
  - {id: R1, findings: [F1, AUD-2026-001#F1], to: partnership, text: Keep it up., response: pending}
""")
    lp = _loop(make_store, {"records/audits/AUD-2026-001.yaml": AUDIT.format(body=body), "records/audits/AUD-2026-002.yaml": other})
    assert _stages(lp)[1] == ("recommendations", 1, 1, True)
