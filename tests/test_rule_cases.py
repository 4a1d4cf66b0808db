"""Lint rule cases as data: tests/data/rules/<CODE>.yaml holds passing and failing stores per rule.

A case file looks like::

    code: D001
    store:                       # optional: records every case of the file starts from
      records/agencies/WYP.yaml: |
        kind: agency
        ...
    cases:
      - name: sent before aware
        records:                 # added to (or replacing) the file's store; null removes one
          records/notifications/SIN-2025-003.yaml: |
            ...
        config: |                # optional: the whole kscb.yaml (default: a minimal one)
        config_add: |            # optional: appended to the default kscb.yaml
        paths: [records/x]       # optional: lint only these (relative to the store root)
        xfail: why               # optional: a known bug, outside these files; strict, so a fix shows
        expect:                  # every diagnostic (any order): [] for a passing case
          - {code: D001, file: records/notifications/SIN-2025-003.yaml, line: 11, col: 7,
             message: substring, severity: error}

A record may also be a mapping instead of text: ``{text: ..., encoding: latin-1}``,
``{text: ..., repeat: 50000}``, ``{base64: ...}``, ``{symlink: target relative to the store}``,
``{symlink_outside: text}`` (a file outside the store, linked in) or ``{directory: true}``.

Expectations compare every diagnostic of the foundation rules (the files, schema, reference,
date, status, vocabulary and content rules below) plus the case file's own code, so a
passing case must be clean, not merely skipped because the record failed to load. Rules
added later in other families do not disturb these cases; they bring their own files.
"""

from __future__ import annotations

import base64
import os
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_CONFIG

from kscb_cli.lint.linter import lint
from kscb_cli.lint.rules.registry import all_rules
from kscb_cli.store.store import Store

CASES_DIR = Path(__file__).parent / "data" / "rules"
AS_OF = date(2026, 11, 26)

# The rules of the foundation issue: a case file compares these and its own code.
FOUNDATION = {
    "F001",
    "F002",
    "F003",
    "F004",
    "F005",
    "F006",
    "F007",
    "F008",
    "F009",
    "F010",
    "F011",
    "S001",
    "R001",
    "R002",
    "R003",
    "R004",
    "R005",
    "D001",
    "Q001",
    "Q002",
    "Q003",
    "Q004",
    "Q005",
    "V001",
    "V002",
    "V003",
    "V004",
    "C001",
    "C002",
}
CASE_KEYS = {"name", "records", "config", "config_add", "paths", "expect", "as_of", "xfail"}
EXPECT_KEYS = {"code", "file", "line", "col", "message", "severity"}


def _case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def _load(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec["code"] == path.stem, f"{path.name}: code {spec['code']!r} differs from the file name"
    assert set(spec) <= {"code", "store", "cases"}, (
        f"{path.name}: unknown keys {set(spec) - {'code', 'store', 'cases'}}"
    )
    for case in spec["cases"]:
        assert set(case) <= CASE_KEYS, f"{path.name}: {case.get('name')}: unknown keys {set(case) - CASE_KEYS}"
        for exp in case.get("expect") or ():
            assert set(exp) <= EXPECT_KEYS and {"code", "file", "line", "col"} <= set(exp), (
                f"{path.name}: {case['name']}: bad expectation {exp}"
            )
    return spec


def _params():
    for path in _case_files():
        spec = _load(path)
        for i, case in enumerate(spec["cases"]):
            slug = "-".join(case["name"].split())[:60]
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(spec, case, id=f"{spec['code']}-{i}-{slug}", marks=marks)


def _write_record(root: Path, rel: str, value) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(value, str):
        path.write_text(textwrap.dedent(value), encoding="utf-8")
        return
    if value.get("directory"):
        path.mkdir()
    elif "symlink" in value:
        os.symlink(root / value["symlink"], path)
    elif "symlink_outside" in value:
        outside = root.parent / f"outside-{root.name}" / path.name
        outside.parent.mkdir(parents=True, exist_ok=True)
        outside.write_text(value["symlink_outside"], encoding="utf-8")
        os.symlink(outside, path)
    elif "base64" in value:
        path.write_bytes(base64.b64decode(value["base64"]))
    else:
        text = value["text"] * value.get("repeat", 1)
        path.write_bytes(value.get("prefix", "").encode("latin-1") + text.encode(value.get("encoding", "utf-8")))


def build(root: Path, spec: dict, case: dict) -> Path:
    """Write the case's store under root."""
    config = case.get("config") or (MINIMAL_CONFIG + textwrap.dedent(case.get("config_add") or ""))
    root.mkdir(parents=True)
    (root / "kscb.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    (root / "records").mkdir()
    records = {**(spec.get("store") or {}), **(case.get("records") or {})}
    for rel, value in records.items():
        if value is not None:
            _write_record(root, rel, value)
    return root


def run_case(root: Path, spec: dict, case: dict) -> list[dict]:
    store = Store.open(root)
    as_of = case.get("as_of")
    paths = [root / p for p in case.get("paths") or ()] or None
    result = lint(store, today=date.fromisoformat(str(as_of)) if as_of else AS_OF, paths=paths)
    wanted = FOUNDATION | {spec["code"]} | {e["code"] for e in case.get("expect") or ()}
    return [d.as_dict() for d in result.diagnostics if d.code in wanted]


@pytest.mark.parametrize(("spec", "case"), list(_params()))
def test_rule_case(spec, case, tmp_path):
    root = build(tmp_path / "store", spec, case)
    got = run_case(root, spec, case)
    expect = case.get("expect") or []
    shown = (
        "\n".join(f"  {d['path']}:{d['line']}:{d['col']}: {d['code']} {d['severity']} {d['message']}" for d in got)
        or "  (none)"
    )
    key = lambda d: (d.get("path", d.get("file")), d["line"], d["col"], d["code"])  # noqa: E731
    assert sorted(key(d) for d in got) == sorted(key(e) for e in expect), (
        f"{case['name']}: the diagnostics were\n{shown}"
    )
    unused = list(got)
    for e in expect:
        match = next(
            (
                d
                for d in unused
                if key(d) == key(e)
                and e.get("message", "") in d["message"]
                and e.get("severity", d["severity"]) == d["severity"]
            ),
            None,
        )
        assert match is not None, (
            f"{case['name']}: no {e['code']} at {e['file']}:{e['line']}:{e['col']} with message {e.get('message')!r} / severity {e.get('severity')!r}; the diagnostics were\n{shown}"
        )
        unused.remove(match)


def test_every_rule_has_passing_and_failing_cases():
    """A rule without data cases is untested: add tests/data/rules/<CODE>.yaml with both."""
    covered: dict[str, dict[str, int]] = {}
    for path in _case_files():
        spec = _load(path)
        counts = covered.setdefault(spec["code"], {"pass": 0, "fail": 0})
        for case in spec["cases"]:
            own = [e for e in case.get("expect") or () if e["code"] == spec["code"]]
            counts["fail" if own else "pass"] += 1 if own or not case.get("expect") else 0
    missing = [
        f"{r.code} {r.name}: {covered.get(r.code, {}).get('pass', 0)} passing, {covered.get(r.code, {}).get('fail', 0)} failing"
        for r in all_rules()
        if covered.get(r.code, {}).get("pass", 0) < 1 or covered.get(r.code, {}).get("fail", 0) < 1
    ]
    assert not missing, "rules without a passing and a failing case in tests/data/rules/:\n" + "\n".join(missing)


def test_case_files_name_registered_rules():
    codes = {r.code for r in all_rules()}
    stray = [p.name for p in _case_files() if p.stem not in codes]
    assert not stray, f"case files for rules that do not exist: {stray}"
