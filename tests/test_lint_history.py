"""kscb lint --history: lifecycle jumps recorded in git are reported as warnings beside the lint."""

from __future__ import annotations

import json

from conftest import AGENCY, git

PLAN = """\
kind: action_plan
id: AP-WYP-1
title: Action plan
status: draft
source: AUD-1
actions:
  - id: A1
    action: Run the survey.
    lead_agency: WYP
    lead_role: Head of Public Protection
    due: 2026-03-31
    status: {status}
    success_measure: 50 responses a year.
{extra}"""
DONE = """\
    evidence:
      - {date: 2026-03-12, text: Survey live.}
    completed: 2026-03-12
    impact: Children now get a written note of next steps.
"""
AUDIT = """\
kind: audit
id: AUD-1
title: Audit
status: planned
audit_type: thematic
period: {from: 2025-01-01, to: 2025-06-30}
sample: {cases: 8, selection: random}
planned: 2025-06-01
"""


def test_a_jump_recorded_in_git_is_a_warning(git_store, cli):
    root = git_store(
        {
            "records/agencies/WYP.yaml": AGENCY,
            "records/audits/AUD-1.yaml": AUDIT,
            "records/action-plans/AP-WYP-1.yaml": PLAN.format(status="not_started", extra=""),
        }
    )
    (root / "records/action-plans/AP-WYP-1.yaml").write_text(PLAN.format(status="embedded", extra=DONE))
    git(root, "commit", "-qam", "Survey embedded")
    plain = cli("lint", "--as-of", "2026-04-01", "--format", "json", cwd=root)
    assert all(d["code"] != "H001" for d in json.loads(plain.out)["diagnostics"])
    result = cli("lint", "--history", "--as-of", "2026-04-01", "--format", "json", cwd=root)
    found = [d for d in json.loads(result.out)["diagnostics"] if d["code"] == "H001"]
    assert result.code == 0 and len(found) == 1
    assert found[0]["path"] == "records/action-plans/AP-WYP-1.yaml" and found[0]["severity"] == "warning"
    assert "Survey embedded" in found[0]["message"] and "not_started" in found[0]["message"]
    assert cli("lint", "--history", "--strict", "--as-of", "2026-04-01", cwd=root).code == 1
    # limited to a path elsewhere, the jump is not reported
    other = cli("lint", "--history", "--as-of", "2026-04-01", "--format", "json", "records/agencies", cwd=root)
    assert all(d["code"] != "H001" for d in json.loads(other.out)["diagnostics"])


def test_history_needs_git(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    result = cli("lint", "--history", cwd=root)
    assert result.code == 2 and "git" in result.err
