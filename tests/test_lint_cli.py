"""`kscb lint`, `kscb rules` and `kscb schema` through the real command line: wiring, formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, ROOT, git, write_store

from kscb_cli.lint.rules.registry import all_rules

AS_OF = ("--as-of", "2026-11-26")

AGENCY = """\
kind: agency
id: {id}
title: {title}
status: active
workstream: {ws}
sector: police
safeguarding_partner: true
section11_duty: false
"""
NOTIFICATION = """\
kind: notification
id: {id}
title: Serious incident notification – Child H
status: withdrawn
withdrawn_reason: Duplicate of an earlier notification.
subject: Child H
harm: serious_harm
abuse: suspected
looked_after: false
incident: 2025-01-10
aware: 2025-01-13
sent: {sent}
"""
# Two errors and a warning, in three of four files.
MIXED = {
    "records/agencies/WYP.yaml": AGENCY.format(id="WYP", title="West Yorkshire Police", ws="scr"),
    "records/agencies/EDU.yaml": AGENCY.format(id="EDU", title="Education", ws="scrr"),
    "records/notifications/SIN-2025-003.yaml": NOTIFICATION.format(id="SIN-2025-003", sent="2025-01-10"),
    "records/reviews/SIN-2025-004.yaml": NOTIFICATION.format(id="SIN-2025-004", sent="2025-01-15"),
}
V001 = ("records/agencies/EDU.yaml", 5, 13, "V001")
D001 = ("records/notifications/SIN-2025-003.yaml", 12, 7, "D001")
F011 = ("records/reviews/SIN-2025-004.yaml", 1, 7, "F011")
CLEAN = {"records/agencies/WYP.yaml": MIXED["records/agencies/WYP.yaml"]}


@pytest.fixture
def mixed(make_store) -> Path:
    return make_store(MIXED)


def found(result) -> list[tuple]:
    """(path, line, col, code) of each diagnostic of a json run."""
    return [(d["path"], d["line"], d["col"], d["code"]) for d in json.loads(result.out)["diagnostics"]]


def lint(cli, root: Path, *args: str, **kw):
    return cli("lint", *AS_OF, *args, cwd=root, **kw)


# --- formats ----------------------------------------------------------------------------


def test_text_format(cli, mixed):
    result = lint(cli, mixed)
    assert result.code == 1
    assert result.out.splitlines() == [
        "records/agencies/EDU.yaml:5:13: V001 workstream 'scrr' is not defined; did you mean 'scr'?; use one of kscb.yaml workstreams [unknown-workstream]",
        "records/notifications/SIN-2025-003.yaml:12:7: D001 sent (2025-01-10) is before aware (2025-01-13); the order must be incident ≤ aware ≤ sent — check both dates [date-order]",
        "records/reviews/SIN-2025-004.yaml:1:7: F011 warning: a notification record belongs in records/notifications/, not records/reviews/; move the file [wrong-folder]",
        "2 errors, 1 warning in 4 files",
    ]
    assert result.err == ""


def test_text_format_clean(cli, make_store):
    result = lint(cli, make_store(CLEAN))
    assert (result.code, result.out, result.err) == (0, "0 errors, 0 warnings in 1 file\n", "")


def test_json_format(cli, mixed):
    result = lint(cli, mixed, "--format", "json")
    doc = json.loads(result.out)
    assert result.code == 1 and result.err == ""
    assert doc["schema_version"] == 1
    assert doc["tool"]["name"] == "kscb" and doc["as_of"] == "2026-11-26"
    assert doc["summary"] == {"errors": 2, "warnings": 1, "files": 4}
    assert found(result) == [V001, D001, F011]
    assert doc["diagnostics"][2] == {
        "path": "records/reviews/SIN-2025-004.yaml",
        "line": 1,
        "col": 7,
        "code": "F011",
        "severity": "warning",
        "name": "wrong-folder",
        "record": "SIN-2025-004",
        "message": "a notification record belongs in records/notifications/, not records/reviews/; move the file",
    }
    assert result.out == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_is_byte_identical_across_runs_and_from_the_cache(cli, mixed):
    fresh = [lint(cli, mixed, "-f", "json", "--no-cache").out for _ in range(2)]
    assert fresh[0] == fresh[1]
    old = time.time() - 60  # older than the cache's racy window, so the next runs may use it
    for path in [mixed / "kscb.yaml", *mixed.rglob("*")]:
        os.utime(path, (old, old))
    first, second = (lint(cli, mixed, "-f", "json") for _ in range(2))
    assert first.out == second.out == fresh[0]
    assert first.code == second.code == 1


def test_github_format_in_a_store_at_the_repository_root(cli, git_store):
    root = git_store(MIXED)
    result = lint(cli, root, "--format", "github")
    lines = result.out.splitlines()
    assert result.code == 1
    assert lines == [
        "::error file=records/agencies/EDU.yaml,line=5,col=13,title=V001 unknown-workstream::workstream 'scrr' is not defined; did you mean 'scr'?; use one of kscb.yaml workstreams",
        "::error file=records/notifications/SIN-2025-003.yaml,line=12,col=7,title=D001 date-order::sent (2025-01-10) is before aware (2025-01-13); the order must be incident ≤ aware ≤ sent — check both dates",
        "::warning file=records/reviews/SIN-2025-004.yaml,line=1,col=7,title=F011 wrong-folder::a notification record belongs in records/notifications/, not records/reviews/; move the file",
        "kscb: 2 errors, 1 warning in 4 files",
    ]


def test_github_paths_are_relative_to_the_repository_not_the_store(cli, tmp_path):
    repo = tmp_path / "repo"
    root = write_store(repo / "partnership, north" / "store", MIXED)
    git(repo, "init", "-q", "-b", "main")
    result = lint(cli, root / "records", "--format", "github")  # from a folder inside the store
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    # the folder's comma is escaped as GitHub's property syntax requires
    assert annotations[0].startswith(
        "::error file=partnership%2C north/store/records/agencies/EDU.yaml,line=5,col=13,title=V001 unknown-workstream::"
    )
    assert all("file=partnership%2C north/store/records/" in a for a in annotations)


def test_github_messages_are_escaped(cli, make_store):
    root = make_store({"records/agencies/WYP.yaml": "kind: agency\nid: WYP\ntitle: [unclosed\n"})
    line = lint(cli, root, "-f", "github").out.splitlines()[0]
    assert line.startswith("::error file=records/agencies/WYP.yaml,line=")
    assert ",title=F001 yaml-syntax::invalid YAML" in line
    assert "\n" not in line and "\r" not in line


# --- selecting and ignoring rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--select", "D001"], [D001]),
        (["--select", "d001"], [D001]),
        (["--select", "D"], [D001]),
        (["--select", "D0"], [D001]),
        (["--select", "date-order"], [D001]),
        (["--select", "V,F"], [V001, F011]),
        (["--select", "V", "--select", "wrong-folder"], [V001, F011]),
        (["--ignore", "V001"], [D001, F011]),
        (["--ignore", "V", "--ignore", "date-order"], [F011]),
        (["--select", "D,V", "--ignore", "V001"], [D001]),
    ],
)
def test_select_and_ignore(cli, mixed, args, expect):
    result = lint(cli, mixed, "-f", "json", *args)
    got = [d for d in found(result) if d[3][0] in "DVF"]
    assert got == expect
    assert result.code == (1 if any(e in (V001, D001) for e in expect) else 0)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--select", "D999"], "--select: 'D999' is not a rule code, family or name"),
        (
            ["--ignore", "date-ordr"],
            "--ignore: 'date-ordr' is not a rule code, family or name; did you mean 'date-order'?",
        ),
        (["--select", "X"], "'X' is not a rule code"),
    ],
)
def test_unknown_selector_is_a_usage_error(cli, mixed, args, words):
    result = lint(cli, mixed, *args)
    assert result.code == 2 and result.out == ""
    assert words in result.err and "kscb rules" in result.err


# --- configuration in kscb.yaml -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lint_config", "expect", "code"),
    [
        ("{severity: {F011: error}}", {F011: "error"}, 1),
        ("{severity: {F: warning, F011: error}}", {F011: "error"}, 1),
        (
            "{severity: {F011: error, F: warning}}",
            {F011: "error"},
            1,
        ),  # the more specific pattern wins, whatever the order
        ("{severity: {wrong-folder: error, F0: warning}}", {F011: "error"}, 1),
        ("{severity: {D001: warning, V: warning}}", {D001: "warning", V001: "warning", F011: "warning"}, 0),
        ("{severity: {date-order: 'off'}}", {D001: None}, 1),
        ("{ignore: [V, date-order]}", {V001: None, D001: None, F011: "warning"}, 0),
        (
            "{per_file_ignores: {'records/notifications/*': [D001], 'records/agencies/*': [V]}}",
            {V001: None, D001: None, F011: "warning"},
            0,
        ),
        ("{per_file_ignores: {'records/agencies/WYP.yaml': [V001]}}", {V001: "error"}, 1),
    ],
)
def test_lint_settings_in_kscb_yaml(cli, make_store, lint_config, expect, code):
    root = make_store(MIXED, MINIMAL_CONFIG + f"lint: {lint_config}\n")
    result = lint(cli, root, "-f", "json")
    severity = {
        (d["path"], d["line"], d["col"], d["code"]): d["severity"] for d in json.loads(result.out)["diagnostics"]
    }
    for where, sev in expect.items():
        assert severity.get(where) == sev, (where, severity)
    assert result.code == code


@pytest.mark.parametrize(
    ("lint_config", "words"),
    [
        ("{ignore: [X123]}", "kscb.yaml lint.ignore: 'X123' is not a rule code"),
        (
            "{severity: {wrong-foldr: error}}",
            "kscb.yaml lint.severity: 'wrong-foldr' is not a rule code, family or name; did you mean 'wrong-folder'?",
        ),
        ("{per_file_ignores: {'records/*': [Z]}}", "kscb.yaml lint.per_file_ignores: 'Z'"),
        ("{ignore: ['']}", "kscb.yaml lint.ignore: '' is not a rule code"),  # not a prefix of every code
        ("{severity: {' ': 'off'}}", "kscb.yaml lint.severity: ' ' is not a rule code"),
    ],
)
def test_unknown_rule_in_kscb_yaml_is_a_usage_error(cli, make_store, lint_config, words):
    result = lint(cli, make_store(MIXED, MINIMAL_CONFIG + f"lint: {lint_config}\n"))
    assert result.code == 2 and words in result.err and result.out == ""


def test_strict_makes_warnings_fail(cli, make_store):
    root = make_store({"records/reviews/SIN-2025-004.yaml": MIXED["records/reviews/SIN-2025-004.yaml"]})
    assert lint(cli, root).code == 0
    strict = lint(cli, root, "--strict", "-f", "json")
    assert strict.code == 1 and found(strict) == [F011]


# --- exit codes ----------------------------------------------------------------------------------


def test_exit_0_clean_and_1_on_errors(cli, make_store, mixed):
    assert lint(cli, make_store(CLEAN)).code == 0
    assert lint(cli, mixed).code == 1


def test_exit_2_without_a_store(cli, tmp_path):
    result = lint(cli, tmp_path)
    assert result.code == 2 and result.out == ""
    assert "no kscb.yaml found" in result.err and "--store" in result.err


@pytest.mark.parametrize(
    ("config", "where"),
    [
        (
            MINIMAL_CONFIG.replace("schema_version: 1", "schema_version: 2"),
            "kscb.yaml:1:17: S001 schema_version is 2, not one of: 1",
        ),
        (
            MINIMAL_CONFIG + "workstrems: {}\n",
            "kscb.yaml:5:1: S001 unknown field 'workstrems'; did you mean 'workstreams'?",
        ),
        (MINIMAL_CONFIG + "priorities: {}\n", "kscb.yaml:5:1: F002 duplicate key 'priorities' (first at line 4)"),
        (
            MINIMAL_CONFIG + "calendar: {closures: [2025-02-30]}\n",
            "kscb.yaml:5:23: S001 calendar.closures[0]: 2025-02-30 is not a day of the calendar",
        ),
        (
            MINIMAL_CONFIG + "lint: {severity: {F011: fatal}}\n",
            "kscb.yaml:5:25: S001 lint.severity.F011 is 'fatal', not one of: error, warning, off",
        ),
        ("schema_version: 1\npartnership: [\n", "kscb.yaml:3:1: F001 invalid YAML"),
        (
            MINIMAL_CONFIG + "themes:\n  Dental-Neglect: Dental neglect\n",
            "kscb.yaml:6:3: S001 a key in themes is 'Dental-Neglect'; expected a snake_case id",
        ),
    ],
)
def test_exit_2_on_an_invalid_kscb_yaml_with_its_position(cli, make_store, config, where):
    result = lint(cli, make_store(CLEAN, config))
    assert result.code == 2 and result.out == ""
    assert where in result.err, result.err
    assert "kscb.yaml" in result.err.splitlines()[-1]


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "26/11/2026"])
def test_exit_2_on_a_bad_as_of(cli, mixed, value):
    result = cli("lint", "--as-of", value, cwd=mixed)
    assert result.code == 2 and f"--as-of {value!r} is not a date; write it as YYYY-MM-DD" in result.err


def test_exit_2_on_a_bad_kscb_today(cli, mixed):
    result = cli("lint", cwd=mixed, env={"KSCB_TODAY": "soon"})
    assert result.code == 2 and "KSCB_TODAY 'soon' is not a date" in result.err


def test_kscb_today_sets_the_day(cli, mixed):
    result = cli("lint", "-f", "json", cwd=mixed, env={"KSCB_TODAY": "2026-01-05"})
    assert json.loads(result.out)["as_of"] == "2026-01-05"


def test_exit_2_on_a_missing_path_or_unknown_option(cli, mixed):
    missing = lint(cli, mixed, "records/nowhere.yaml")
    assert missing.code == 2 and "records/nowhere.yaml: no such file or folder" in missing.err
    assert lint(cli, mixed, "--no-such-option").code == 2
    assert lint(cli, mixed, "--format", "xml").code == 2


def test_exit_2_on_a_path_outside_the_store(cli, mixed, tmp_path):
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("kind: agency\n", encoding="utf-8")
    result = lint(cli, mixed, "--store", str(mixed), str(elsewhere))
    assert result.code == 2 and "not inside the store" in result.err


# --- finding the store -----------------------------------------------------------------------------


def test_store_option_and_environment(cli, mixed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    by_option = lint(cli, elsewhere, "-f", "json", "--store", str(mixed))
    by_env = lint(cli, elsewhere, "-f", "json", env={"KSCB_STORE": str(mixed)})
    assert found(by_option) == found(by_env) == [V001, D001, F011]
    assert by_option.code == by_env.code == 1


def test_store_option_wins_over_the_environment(cli, mixed, make_store, tmp_path):
    clean = make_store(CLEAN)
    result = lint(cli, tmp_path, "--store", str(clean), env={"KSCB_STORE": str(mixed)})
    assert result.code == 0


@pytest.mark.parametrize("how", ["option", "env"])
def test_store_that_is_not_a_store(cli, tmp_path, how):
    args, env = (["--store", str(tmp_path)], None) if how == "option" else ([], {"KSCB_STORE": str(tmp_path)})
    result = lint(cli, tmp_path, *args, env=env)
    assert result.code == 2 and "is not a kscb store (no kscb.yaml)" in result.err


def test_store_found_from_a_subfolder(cli, mixed):
    result = lint(cli, mixed / "records" / "agencies", "-f", "json")
    assert found(result) == [V001, D001, F011]


# --- linting some paths -------------------------------------------------------------------------------

RAPID_REVIEW = """\
kind: rapid_review
id: RR-2025-003
title: Rapid review – Child H
status: open
notification: {notification}
subject: Child H
agencies: [WYP]
"""


def test_a_single_path_reports_only_that_file_but_resolves_references_across_the_store(cli, make_store):
    root = make_store(
        {**MIXED, "records/rapid-reviews/RR-2025-003.yaml": RAPID_REVIEW.format(notification="SIN-2025-003")}
    )
    result = lint(cli, root, "-f", "json", "records/rapid-reviews/RR-2025-003.yaml")
    doc = json.loads(result.out)
    assert [d for d in doc["diagnostics"] if d["code"][0] in "FSRDQVC"] == []
    assert doc["summary"]["files"] == 1
    assert result.code == 0  # the errors elsewhere in the store are not this file's


def test_a_single_path_still_reports_its_own_broken_reference(cli, make_store):
    root = make_store(
        {**MIXED, "records/rapid-reviews/RR-2025-003.yaml": RAPID_REVIEW.format(notification="SIN-2025-03")}
    )
    result = lint(cli, root, "-f", "json", "records/rapid-reviews/RR-2025-003.yaml")
    assert found(result) == [("records/rapid-reviews/RR-2025-003.yaml", 5, 15, "R002")]
    assert "did you mean 'SIN-2025-003'?" in json.loads(result.out)["diagnostics"][0]["message"]
    assert result.code == 1


def test_duplicate_ids_are_reported_when_linting_one_of_the_files(cli, make_store):
    root = make_store({**CLEAN, "records/agencies/WYP.yml": CLEAN["records/agencies/WYP.yaml"]})
    result = lint(cli, root, "-f", "json", "records/agencies/WYP.yml")
    assert found(result) == [("records/agencies/WYP.yml", 2, 5, "R001")]


def test_a_folder_path_and_several_paths(cli, mixed):
    folder = lint(cli, mixed, "-f", "json", "records/agencies")
    assert found(folder) == [V001] and json.loads(folder.out)["summary"]["files"] == 2
    several = lint(cli, mixed, "-f", "json", "records/reviews", "records/notifications/SIN-2025-003.yaml")
    assert found(several) == [D001, F011]


def test_a_path_from_outside_the_store_finds_the_store(cli, mixed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = lint(cli, elsewhere, "-f", "json", str(mixed / "records" / "agencies" / "EDU.yaml"))
    assert found(result) == [V001]


def test_a_path_through_a_symlinked_folder(cli, mixed, tmp_path):
    """Regression: a path through a link matched no record, so lint passed with '0 files'."""
    link = tmp_path / "link"
    link.symlink_to(mixed, target_is_directory=True)
    result = lint(cli, tmp_path, "-f", "json", str(link / "records" / "agencies" / "EDU.yaml"))
    assert found(result) == [V001] and result.code == 1
    via_store = lint(cli, tmp_path, "-f", "json", "--store", str(link), str(link / "records" / "notifications"))
    assert found(via_store) == [D001]


# --- kscb rules --------------------------------------------------------------------------------------


def test_rules_lists_every_rule(cli):
    result = cli("rules")
    assert result.code == 0
    rows = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert [(r[0], r[1], r[2]) for r in rows] == [(r.code, r.name, r.severity.value) for r in all_rules()]


def test_rules_explains_one(cli):
    rule = next(r for r in all_rules() if r.code == "D001")
    for arg in ("D001", "d001", "date-order"):
        result = cli("rules", arg)
        assert result.code == 0
        assert result.out.startswith("D001 date-order (error; dates; applies to every record)\n")
        assert rule.doc in result.out
        assert "Fails: ``aware: 2025-01-13`` with ``sent: 2025-01-10``." in result.out


def test_rules_unknown_code(cli):
    result = cli("rules", "D01")
    assert result.code == 2 and "no rule 'D01'; did you mean 'D001'?" in result.err


def test_every_rule_explains_itself(cli):
    for r in all_rules():
        result = cli("rules", r.code)
        assert result.code == 0 and r.summary in result.out, r.code
        for label, text in r.parts.labelled():  # what, then Why:, Fails:, Passes:, Fix: (rules/rule.py)
            assert f"\n\n{label} {text}" in result.out, (r.code, label)


# --- kscb schema --------------------------------------------------------------------------------------


@pytest.fixture
def schemas(tmp_path, cli) -> Path:
    """A copy of the repository's own schemas/, or freshly written ones where the repository has none."""
    dest = tmp_path / "schemas"
    if (ROOT / "schemas").is_dir():
        shutil.copytree(ROOT / "schemas", dest)
    else:
        assert cli("schema", "--out", str(dest)).code == 0
    return dest


@pytest.mark.skipif(not (ROOT / "kscb.yaml").is_file(), reason="the repository's demo store (kscb.yaml) has not landed")
def test_schema_check_passes_on_the_repository(cli, tmp_path):
    result = cli("schema", "--check", "--store", str(ROOT), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "schemas are up to date" in result.err and result.out == ""


def test_schema_check_fails_after_an_edit_and_passes_after_regenerating(cli, schemas, tmp_path):
    assert cli("schema", "--check", "--out", str(schemas), cwd=tmp_path).code == 0
    review = schemas / "review.schema.json"
    review.write_text(review.read_text(encoding="utf-8").replace('"decided"', '"decide"', 1), encoding="utf-8")
    stale = cli("schema", "--check", "--out", str(schemas), cwd=tmp_path)
    assert stale.code == 1
    assert stale.err.splitlines() == [f"{review}: stale; run `kscb schema` to regenerate"]
    assert cli("schema", "--out", str(schemas), cwd=tmp_path).code == 0
    assert cli("schema", "--check", "--out", str(schemas), cwd=tmp_path).code == 0
    assert 'decide"' not in review.read_text(encoding="utf-8")


def test_schema_check_notices_missing_and_extra_files(cli, schemas, tmp_path):
    (schemas / "agency.schema.json").unlink()
    (schemas / "old_kind.schema.json").write_text("{}\n", encoding="utf-8")
    result = cli("schema", "--check", "--out", str(schemas), cwd=tmp_path)
    assert result.code == 1
    assert "agency.schema.json: stale" in result.err and "old_kind.schema.json: stale" in result.err
