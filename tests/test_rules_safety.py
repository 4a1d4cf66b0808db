"""The T rules on records whose shape is wrong: a rule skips what the schema rule (S001)
already reports, so `kscb lint` ends with the schema diagnostic and exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

AUDIT = """\
kind: audit
id: MACA-2025-002
title: Multi-agency audit – neglect
status: reported
audit_type: multi_agency_case
period: {{from: 2025-01-01, to: 2025-06-30}}
sample: {{cases: 8, selection: random}}
planned: 2025-06-01
reported: 2025-09-12
{lists}
"""
REC = "records/audits/MACA-2025-002.yaml"
AS_OF = ("--as-of", "2026-11-26")


def test_an_item_list_that_is_a_number_through_the_real_command(make_store):
    root = make_store({REC: AUDIT.format(lists="findings: 5")})
    proc = subprocess.run(
        [sys.executable, "-m", "kscb_cli", "lint", *AS_OF],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stdout.splitlines()[0] == (
        f"{REC}:10:11: S001 findings must be a list, e.g. [A, B] or one '- item' per line, not int [schema]"
    )


@pytest.mark.parametrize(
    ("lists", "shown"),
    [
        ("training_needs: 3", "training_needs must be a list, e.g. [A, B] or one '- item' per line, not int"),
        ("recommendations: 2.5", "recommendations must be a list, e.g. [A, B] or one '- item' per line, not float"),
        ("findings: true", "findings must be a list, e.g. [A, B] or one '- item' per line, not bool"),
        ("findings: {F1: a finding}", "findings must be a list, e.g. [A, B] or one '- item' per line, not a mapping"),
        ("findings: [1, [2]]", "findings[0] must be a mapping of fields (key: value), not int"),
    ],
)
def test_an_item_list_of_the_wrong_shape(cli, make_store, lists, shown):
    root = make_store({REC: AUDIT.format(lists=lists)})
    result = cli("lint", *AS_OF, "--select", "S,T", cwd=root)
    assert "internal error" not in result.err and "Traceback" not in result.err, result.err
    assert result.code == 1
    assert any(f"S001 {shown} [schema]" in line for line in result.out.splitlines()), result.out
