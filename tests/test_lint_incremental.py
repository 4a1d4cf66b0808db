"""The incremental lint cache (lint/incremental.py): cached and uncached results are byte-identical
after every kind of change, and an unchanged store is answered without reading a record."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

AS_OF = ("--as-of", "2026-11-26")
FORMATS = ("text", "json")


def _age(root: Path, seconds: int = 60) -> None:
    """Make every file look older than the racy window, as on a real working copy."""
    past = time.time() - seconds
    for path in [root / "kscb.yaml", *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def demo(tmp_path) -> Path:
    """A writable copy of the demo partnership's store (the repository root's records)."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(ROOT / "kscb.yaml", root / "kscb.yaml")
    shutil.copytree(ROOT / "records", root / "records")
    _age(root)
    return root


def same(cli, root: Path, *args: str) -> dict[str, str]:
    """Lint with and without the cache, in text and json, twice cached; every answer identical."""
    outputs = {}
    for fmt in FORMATS:
        fresh = cli("lint", "--no-cache", "--format", fmt, *args, cwd=root)
        for _ in range(2):  # the first may fill the cache, the second answers from it
            cached = cli("lint", "--format", fmt, *args, cwd=root)
            assert (cached.code, cached.out) == (fresh.code, fresh.out), f"cached differs ({fmt}, {args})"
        outputs[fmt] = fresh.out
    return outputs


def _referenced(root: Path) -> tuple[Path, str, list[Path]]:
    """A record whose id other files reference: (its file, its id, the files that mention it)."""
    files = sorted((root / "records").rglob("*.yaml"))
    for path in files:
        rid = path.stem
        others = [p for p in files if p != path and rid in p.read_text(encoding="utf-8")]
        if len(others) >= 2 and f"id: {rid}\n" in path.read_text(encoding="utf-8"):
            return path, rid, others
    raise AssertionError("the demo store has no referenced record")


def test_unchanged_store_is_identical_and_replayed_without_reading(demo, cli, monkeypatch):
    same(cli, demo, *AS_OF)
    from kscb_cli.store.store import Store

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged store was read again")

    monkeypatch.setattr(Store, "open", refuse)
    assert cli("lint", "--format", "json", *AS_OF, cwd=demo).code in (0, 1)
    # touching a file changes its timestamp, not its content: still answered from the cache
    some = next((demo / "records").rglob("*.yaml"))
    os.utime(some, None)
    assert cli("lint", *AS_OF, cwd=demo).code in (0, 1)


def test_an_edit_that_adds_an_error(demo, cli):
    before = same(cli, demo, *AS_OF)
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("status: active", "status: actve"), encoding="utf-8")
    after = same(cli, demo, *AS_OF)
    assert after["text"] != before["text"] and "actve" in after["text"]
    _age(demo, 30)  # the same edit, now old enough to be trusted by its timestamp
    same(cli, demo, *AS_OF)


def test_a_deleted_and_an_added_file(demo, cli):
    same(cli, demo, *AS_OF)
    path, rid, others = _referenced(demo)
    text = path.read_text(encoding="utf-8")
    path.unlink()
    gone = same(cli, demo, *AS_OF)
    assert any(o.relative_to(demo).as_posix() in gone["text"] for o in others)  # its references now break
    copy = path.with_name(path.stem + "-copy.yaml")
    copy.write_text(text, encoding="utf-8")
    same(cli, demo, *AS_OF)
    path.write_text(text, encoding="utf-8")  # back again, beside its copy: a duplicate id
    dup = same(cli, demo, *AS_OF)
    assert rid in dup["text"]


def test_a_renamed_id_updates_the_other_files(demo, cli):
    before = same(cli, demo, *AS_OF)
    path, rid, others = _referenced(demo)
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: {rid}\n", f"id: {rid}X\n"), encoding="utf-8")
    after = same(cli, demo, *AS_OF)
    newly = set(after["text"].splitlines()) - set(before["text"].splitlines())
    referring = {o.relative_to(demo).as_posix() for o in others}
    assert any(line.split(":", 1)[0] in referring for line in newly), "no new finding in a referring file"


def test_config_as_of_and_select_changes(demo, cli):
    same(cli, demo, *AS_OF)
    config = demo / "kscb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nlint:\n  ignore: [K]\n", encoding="utf-8")
    same(cli, demo, *AS_OF)
    same(cli, demo, "--as-of", "2027-06-30")
    same(cli, demo, *AS_OF, "--select", "R,F")
    same(cli, demo, *AS_OF, "--ignore", "R")
    same(cli, demo, *AS_OF, "records/agencies")


def test_a_stray_binary_file(demo, cli):
    same(cli, demo, *AS_OF)
    (demo / "records" / "agencies" / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01binary")
    out = same(cli, demo, *AS_OF)
    assert "T003" in out["text"]


def test_the_warm_path_loads_neither_pydantic_nor_yaml(demo, tmp_path):
    """The second run of an unchanged store imports no model and parses no file."""
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from kscb_cli.lint.linter import run\n"
        "r = run(Path(sys.argv[1]), today=date(2026, 11, 26))\n"
        "heavy = [m for m in ('pydantic', 'kscb_cli.model', 'kscb_cli.store.store', 'yaml') if m in sys.modules]\n"
        "print(len(r.result.diagnostics), heavy)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code, str(demo)], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run(
        [sys.executable, "-c", code, str(demo)], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout.split()[0] == second.stdout.split()[0]
    assert second.stdout.strip().endswith("[]"), second.stdout


def test_one_changed_file_is_the_only_one_judged_by_every_rule(demo, cli, monkeypatch):
    same(cli, demo, *AS_OF)
    from kscb_cli.lint.linter import Checker

    full, partial = [], []
    check = Checker.check

    def spy(self, entry, only=None):
        (full if only is None else partial).append(entry.rel)
        return check(self, entry, only)

    monkeypatch.setattr(Checker, "check", spy)
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    cli("lint", *AS_OF, cwd=demo)
    assert full == [path.relative_to(demo).as_posix()]
    assert len(partial) == len(list((demo / "records").rglob("*.yaml"))) - 1


def _parsed_file(root: Path) -> Path:
    from kscb_cli.store import parsed

    return parsed.cache_file(root)


def test_a_changed_store_parses_only_the_changed_file(demo, cli, monkeypatch):
    """After an edit, the unchanged files' documents come from the kept parses (store/parsed.py):
    only the edited file is read and parsed, and the answer is the uncached lint's."""
    same(cli, demo, *AS_OF)
    kept = _parsed_file(demo)
    assert kept.is_file() and (kept.stat().st_mode & 0o777) == 0o600 and (kept.parent.stat().st_mode & 0o777) == 0o700
    import kscb_cli.store.parallel as parallel

    read: list[str] = []
    original = parallel.read_documents

    def spy(paths):
        read.extend(Path(p).relative_to(demo).as_posix() for p in paths)
        return original(paths)

    monkeypatch.setattr(parallel, "read_documents", spy)
    path = next((demo / "records" / "reviews").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    _age(demo)
    fresh = cli("lint", "--no-cache", "--format", "json", *AS_OF, cwd=demo)
    read.clear()
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert read == [path.relative_to(demo).as_posix()]
    assert (cached.code, cached.out) == (fresh.code, fresh.out)


def test_an_undone_edit_is_judged_on_its_own_content(demo, cli):
    """A, then B, then A again (an undo): every answer is the uncached lint's, whatever was kept for which content."""
    path = next((demo / "records" / "action-plans").glob("*.yaml"))
    a = path.read_text(encoding="utf-8")
    b = a.replace("status: ", "status: not-a-status-", 1)
    for text in (a, b, a, b, a):
        path.write_text(text, encoding="utf-8")
        _age(demo)
        same(cli, demo, *AS_OF)


def test_kept_documents_are_keyed_by_the_text_they_were_parsed_from(demo, cli, monkeypatch):
    """A file rewritten between the scan and the read is kept under the hash of what was read,
    never of what the scan saw; a file with a byte-order mark is parsed each time."""
    from kscb_cli.store import parsed

    same(cli, demo, *AS_OF)
    kept = parsed.load(demo)
    assert kept and all(parsed.text_hash(text) == key for key, (_, _, text) in kept.items())
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _age(demo)
    same(cli, demo, *AS_OF)


def test_a_broken_kept_file_is_ignored(demo, cli):
    same(cli, demo, *AS_OF)
    path = next((demo / "records" / "reviews").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# again\n", encoding="utf-8")
    _age(demo)
    _parsed_file(demo).write_bytes(b"\x00not marshal")
    same(cli, demo, *AS_OF)


def test_the_kept_documents_are_written_again_only_when_enough_changed():
    from kscb_cli.store.parsed import worth_writing

    assert worth_writing(10, 10, 0)  # nothing kept yet
    assert not worth_writing(10_000, 1, 0)  # one edit: parsing it again costs less than writing 40 MB
    assert not worth_writing(10_000, 150, 50)
    assert worth_writing(10_000, 150, 51)
    assert worth_writing(100, 0, 51)  # many kept documents gone


def test_no_parse_is_kept_with_kscb_no_cache(demo, cli, monkeypatch):
    monkeypatch.setenv("KSCB_NO_CACHE", "1")
    same(cli, demo, *AS_OF)
    assert not _parsed_file(demo).exists()
