"""Hostile and broken files: lint always answers with a diagnostic, never a traceback.

The YAML test suite's 402 inputs each go into a store as a record; every one must be
reported (exit 1), none may crash kscb (exit 3). Then targeted files, each giving one
clear diagnostic with the right code. Cases that could hang or exhaust memory if the
reader regressed run in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import CORPUS, kscb_command, write_store

AGENCY = """\
kind: agency
id: WYP
title: West Yorkshire Police
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""
REC = "records/agencies/WYP.yaml"
CORPUS_CASES = sorted(CORPUS.glob("*/in.yaml")) if CORPUS.is_dir() else []
NO_CORPUS = "../shared/corpora/yaml-test-suite is not present outside the workplace"
TIMEOUT = (
    180  # seconds: a hang guard, not a speed test (ten processes side by side on a loaded 2-core runner took > 20 s)
)


def lint_json(cli, root: Path) -> tuple[int, dict, str]:
    result = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert "internal error" not in result.err and "Traceback" not in result.err, result.err
    return result.code, (json.loads(result.out) if result.out else {}), result.err


def lint_subprocess(root: Path) -> tuple[int, dict, str, float]:
    start = time.monotonic()
    proc = subprocess.run(
        [*kscb_command(), "lint", "--format", "json", "--as-of", "2026-11-26"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc.returncode, (json.loads(proc.stdout) if proc.stdout else {}), proc.stderr, elapsed


# --- the YAML test suite ---------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("corpus") / "store", {})


@pytest.mark.parametrize(
    "case",
    [pytest.param(p, id=p.parent.name) for p in CORPUS_CASES]
    or [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS))],
)
def test_yaml_suite_case_is_reported_not_crashed(case, corpus_store, cli):
    target = corpus_store / REC
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.read_bytes())
    code, doc, err = lint_json(cli, corpus_store)
    assert code == 1, f"{case.parent.name}: exit {code}\n{err}"
    assert doc["diagnostics"], f"{case.parent.name}: no diagnostic"
    assert {d["path"] for d in doc["diagnostics"]} == {REC}
    assert all(d["line"] >= 1 and d["col"] >= 1 for d in doc["diagnostics"])


@pytest.mark.skipif(not CORPUS_CASES, reason=NO_CORPUS)
def test_yaml_suite_through_the_installed_command(tmp_path):
    """Ten cases, spread over the suite, through a real `kscb` process each (run side by side)."""
    picks = CORPUS_CASES[:: max(1, len(CORPUS_CASES) // 10)][:10]
    procs = []
    for i, case in enumerate(picks):
        root = write_store(tmp_path / f"s{i}", {})
        target = root / REC
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(case.read_bytes())
        procs.append(
            (
                case,
                subprocess.Popen(
                    [*kscb_command(), "lint", "--format", "json"],
                    cwd=root,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    for case, proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 1, f"{case.parent.name}: exit {proc.returncode}\n{err}"
        assert "Traceback" not in err and "internal error" not in err
        assert json.loads(out)["diagnostics"], case.parent.name


# --- targeted files: one clear diagnostic each --------------------------------------------


def one(doc: dict, code: str, path: str = REC) -> dict:
    """The single diagnostic of the run, checked for its code and file."""
    diags = doc["diagnostics"]
    assert [(d["code"], d["path"]) for d in diags] == [(code, path)], json.dumps(diags, indent=1)
    return diags[0]


@pytest.fixture
def store(make_store):
    return make_store({})


def put(root: Path, data: bytes | str, rel: str = REC) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


BILLION_LAUGHS = (
    "kind: agency\nid: WYP\n"
    + 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))
)


def test_billion_laughs_is_refused_fast(store):
    put(store, BILLION_LAUGHS)
    code, doc, _, elapsed = lint_subprocess(store)
    d = one(doc, "F006")
    assert code == 1 and "expands to more than" in d["message"]
    assert d["line"] == 7  # a4 alone would expand to 111,111 values
    assert elapsed < 10


def test_deep_nesting_is_refused_fast(store):
    put(store, "kind: agency\nid: WYP\nnotes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    code, doc, _, elapsed = lint_subprocess(store)
    d = one(doc, "F006")
    assert code == 1 and "nest more than" in d["message"] and d["line"] == 3
    assert elapsed < 10


def test_deep_block_nesting_is_refused(store, cli):
    text = "kind: agency\nid: WYP\n" + "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "end\n"
    put(store, text)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F006")
    assert code == 1 and "64 levels" in d["message"]


@pytest.mark.parametrize(
    "text", ["kind: agency\nid: WYP\nnotes: &x [a, *x]\n", "kind: agency\nid: WYP\nnotes: &x {b: *x}\n", "&x [*x]\n"]
)
def test_self_referencing_alias(store, cli, text):
    put(store, text)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F006")
    assert code == 1 and "(a cycle)" in d["message"]


def test_two_megabyte_file(store, cli):
    put(
        store, AGENCY + "notes: |\n" + "  pasted minutes, line after line of them, far too long for a record\n" * 30_000
    )
    assert (store / REC).stat().st_size > 2_000_000
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F005")
    assert (
        code == 1
        and (d["line"], d["col"]) == (1, 1)
        and "bytes; a record must be under 1,048,576 bytes" in d["message"]
    )


def test_a_plain_record_just_under_the_size_limit_is_not_an_alias_bomb(store, cli):
    """Regression: the node budget once counted nested values once per level, refusing big plain records."""
    findings = "".join(
        f"  - {{id: F{i}, type: systemic, summary: Finding number {i}., themes: [neglect]}}\n" for i in range(9000)
    )
    text = (
        AGENCY.replace("kind: agency", "kind: agency\nnotes: many findings below")
        + "findings_list_for_size:\n"
        + findings
    )
    assert 500_000 < len(text) < 1_048_576
    put(store, text)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "S001")  # an unknown field, not F006: the file was read
    assert "findings_list_for_size" in d["message"]


def test_binary_file(store, cli):
    put(store, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR\x00\x00\x01\x00")
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and "binary" in d["message"] and (d["line"], d["col"]) == (3, 1)


def test_latin1_file(store, cli):
    put(store, AGENCY.replace("West Yorkshire Police", "Police de l'Île").encode("latin-1"))
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and "not valid UTF-8 (byte 0xce)" in d["message"] and (d["line"], d["col"]) == (3, 20)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_file(store, cli, encoding):
    put(store, AGENCY.encode(encoding))
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and ("UTF-16" in d["message"] or "binary" in d["message"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("\n\n  \n", "empty"),
        ("# kind: agency\n# id: WYP\n", "only comments"),
        ("---\n...\n", "no record"),
    ],
)
def test_empty_and_comment_only_files(store, cli, text, words):
    put(store, text)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F008")
    assert code == 1 and words in d["message"] and (d["line"], d["col"]) == (1, 1)


def test_two_documents(store, cli):
    put(store, AGENCY + "---\n" + AGENCY)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F007")
    assert code == 1 and d["line"] == 8


def test_python_tag_never_runs(store, cli, tmp_path):
    canary = tmp_path / "pwned"
    put(
        store,
        AGENCY.replace("title: West Yorkshire Police", f'title: !!python/object/apply:os.system ["touch {canary}"]'),
    )
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F003")
    assert code == 1 and (d["line"], d["col"]) == (3, 8) and "never builds objects" in d["message"]
    assert not canary.exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!binary", "!!set", "!ruby/object:Gem", "!!omap"])
def test_other_tags_refused(store, cli, tag):
    put(store, AGENCY.replace("title: West Yorkshire Police", f"title: {tag} x"))
    code, doc, _ = lint_json(cli, store)
    assert one(doc, "F003")["line"] == 3 and code == 1


def test_symlink_outside_the_store(store, cli, tmp_path):
    outside = put(tmp_path, AGENCY, "elsewhere/WYP.yaml")
    (store / REC).parent.mkdir(parents=True)
    os.symlink(outside, store / REC)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F009")
    assert code == 1 and "outside the store" in d["message"]


def test_symlinked_folder_outside_the_store(store, cli, tmp_path):
    put(tmp_path, AGENCY, "elsewhere/agencies/WYP.yaml")
    os.symlink(tmp_path / "elsewhere" / "agencies", store / "records" / "agencies")
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F009", "records/agencies")
    assert code == 1 and "outside the store" in d["message"]


def test_symlink_loop(store, cli):
    (store / REC).parent.mkdir(parents=True)
    os.symlink(store / REC, store / REC)
    code, doc, _ = lint_json(cli, store)
    assert one(doc, "F009") and code == 1


def test_dangling_symlink_inside_the_store(store, cli):
    (store / REC).parent.mkdir(parents=True)
    os.symlink(store / "records" / "agencies" / "GONE.yaml", store / REC)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and "cannot read the file" in d["message"]


def test_duplicate_key_names_the_first(store, cli):
    put(store, AGENCY + "title: Another title\n")
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F002")
    assert code == 1 and (d["line"], d["col"]) == (8, 1) and "duplicate key 'title' (first at line 3)" in d["message"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file(store, cli):
    path = put(store, AGENCY)
    path.chmod(0)
    try:
        code, doc, _ = lint_json(cli, store)
    finally:
        path.chmod(0o644)
    d = one(doc, "F004")
    assert code == 1 and "cannot read the file" in d["message"]


def test_directory_named_like_a_record(store, cli):
    (store / REC).mkdir(parents=True)
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and "directory" in d["message"]


def lint_subprocess_args(root: Path, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([*kscb_command(), "lint", *args], cwd=root, capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_hang(store):
    """Regression: the reader opened a FIFO named X.yaml and blocked for ever.

    The P rules are left out here: they re-read unparsed files themselves (see the next test).
    """
    (store / REC).parent.mkdir(parents=True)
    os.mkfifo(store / REC)
    start = time.monotonic()
    proc = lint_subprocess_args(store, "--format", "json", "--ignore", "P")
    d = one(json.loads(proc.stdout), "F004")
    assert proc.returncode == 1 and "not a regular file" in d["message"] and time.monotonic() - start < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_privacy_rules_do_not_hang_on_a_named_pipe(store):
    (store / REC).parent.mkdir(parents=True)
    os.mkfifo(store / REC)
    proc = lint_subprocess_args(store, "--format", "json", "--select", "P", timeout=3)
    assert json.loads(proc.stdout)["diagnostics"] == []


def test_control_character(store, cli):
    put(store, AGENCY.replace("West Yorkshire", "West\x1b[31m Yorkshire"))
    code, doc, _ = lint_json(cli, store)
    d = one(doc, "F004")
    assert code == 1 and d["line"] == 3


def test_bad_files_do_not_hide_good_ones(store, cli):
    """A store with every kind of broken file still lints the rest, and reports each file once."""
    put(store, AGENCY)
    put(store, "", "records/agencies/EMPTY.yaml")
    put(store, b"\x00\x01", "records/agencies/BIN.yaml")
    put(store, BILLION_LAUGHS, "records/agencies/BOMB.yaml")
    put(store, "kind: agency\nid: EDU\nstatus: active\nstatus: inactive\n", "records/agencies/EDU.yaml")
    code, doc, _ = lint_json(cli, store)
    got = sorted((d["path"], d["code"]) for d in doc["diagnostics"])
    assert got == [
        ("records/agencies/BIN.yaml", "F004"),
        ("records/agencies/BOMB.yaml", "F006"),
        ("records/agencies/EDU.yaml", "F002"),
        ("records/agencies/EMPTY.yaml", "F008"),
    ]
    assert doc["summary"]["files"] == 5 and code == 1


def test_installed_command_exists():
    """The subprocess tests above use the installed entry point where there is one."""
    cmd = kscb_command()
    assert shutil.which(cmd[0]) or Path(cmd[0]).exists()
