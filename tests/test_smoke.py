"""The contract examples lint without errors through the real CLI (warnings say where work is behind)."""

import json


def test_examples_lint_clean(examples, cli):
    result = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=examples)
    doc = json.loads(result.out)
    assert [d for d in doc["diagnostics"] if d["severity"] == "error"] == []
    assert {d["severity"] for d in doc["diagnostics"]} <= {"warning"}
    assert doc["summary"]["files"] == 18
    assert result.code == 0


def test_examples_warnings_are_the_work_behind(examples, cli):
    """The K and L warnings on the examples as of 2026-11-26, and --strict turns them into a failure."""
    result = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=examples)
    got = sorted((d["code"], d["record"]) for d in json.loads(result.out)["diagnostics"] if d["code"][0] in "KL")
    assert got == [
        ("K002", "AP-LCSPR-2025-001"),  # no `reviewed` date: not reviewed at its workstream for 90 days
        ("K002", "AP-MACA-2025-002"),
        ("K002", "AP-S11-2025-WYP"),
        ("L002", "CDOP-2025-017"),  # accepted recommendation, no action plan
        ("L003", "AP-LCSPR-2025-001"),  # A3 overdue
        ("L004", "AP-LCSPR-2025-001"),  # A2: no update since the plan was approved
        ("L004", "AP-LCSPR-2025-001"),  # A3: last update 2026-06-02
        ("L006", "CHFT"),  # no Section 11 return for cycle 2025
        ("L006", "ICB-WY"),
        ("L006", "KC-CSC"),
        ("L006", "LOCALA"),
    ]
    assert cli("lint", "--strict", "--as-of", "2026-11-26", cwd=examples).code == 1
