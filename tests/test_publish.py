"""kscb publish-check: the checklist that gates publication."""

from __future__ import annotations

import json

import yaml


def _checks(result) -> dict[str, bool]:
    return {c["name"]: c["ok"] for c in json.loads(result.out)["checks"]}


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_examples_review_is_held_only_for_the_family(examples, cli):
    result = cli("publish-check", "LCSPR-2025-001", "--format", "json", "--as-of", "2026-11-26", cwd=examples)
    checks = _checks(result)
    assert result.code == 1
    assert [name for name, ok in checks.items() if not ok] == ["family informed"]


def test_review_ready_when_every_check_passes(examples, cli):
    path = examples / "records/reviews/LCSPR-2025-001.yaml"
    _edit(path, lambda d: d["publication"].update(family_informed="2025-10-08"))
    result = cli("publish-check", "LCSPR-2025-001", "--as-of", "2026-11-26", cwd=examples)
    assert result.code == 0, result.out
    assert "ready to publish" in result.out


def test_late_notice_and_proceedings_block(examples, cli):
    path = examples / "records/reviews/LCSPR-2025-001.yaml"

    def change(d):
        d["publication"].update(
            sent_to_panel="2025-10-09", legal_clearance="awaiting_proceedings", family_informed="2025-10-08"
        )

    _edit(path, change)
    result = cli("publish-check", "LCSPR-2025-001", "--format", "json", cwd=examples)
    checks = _checks(result)
    assert result.code == 1
    assert checks["notice to the Panel"] is False and checks["legal clearance"] is False
    assert "2025-10-06" in result.out  # the latest day the notice could have gone


def test_briefing_with_identifying_data_is_blocked_without_echoing_it(examples, cli):
    path = examples / "records/briefings/7MB-2025-004.yaml"
    _edit(path, lambda d: d["sections"][0].update(body="The family lived at 14 Acacia Avenue."))
    result = cli("publish-check", "7MB-2025-004", "--format", "json", cwd=examples)
    assert result.code == 1
    assert _checks(result)["data protection"] is False
    assert "Acacia" not in result.out


def test_briefing_must_be_public_and_its_sources_cleared(examples, cli):
    _edit(examples / "records/briefings/7MB-2025-004.yaml", lambda d: d.update(classification="partnership"))
    _edit(
        examples / "records/reviews/LCSPR-2025-001.yaml",
        lambda d: d["publication"].update(legal_clearance="reporting_restriction"),
    )
    result = cli("publish-check", "7MB-2025-004", "--format", "json", cwd=examples)
    checks = _checks(result)
    assert checks["classification"] is False and checks["legal clearance of LCSPR-2025-001"] is False


def test_unknown_or_wrong_kind_is_a_usage_error(examples, cli):
    assert cli("publish-check", "LCSPR-2025-01", cwd=examples).code == 2
    wrong = cli("publish-check", "CHFT", cwd=examples)
    assert wrong.code == 2 and "not a review or briefing" in wrong.err
