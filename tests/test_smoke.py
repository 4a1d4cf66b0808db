"""The contract examples lint clean through the real CLI."""

import json


def test_examples_lint_clean(examples, cli):
    result = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=examples)
    doc = json.loads(result.out)
    assert doc["diagnostics"] == []
    assert doc["summary"]["files"] == 18
    assert result.code == 0
