"""The lint cache's disk side (store/cache.py): a hit gives the same answer; any change that matters misses."""

from __future__ import annotations

import marshal
import os
import time

import pytest
from conftest import AGENCY

from kscb_cli.store import cache


def _age(root):
    """Make every file look older than the racy window, as on a real working copy."""
    past = time.time() - 60
    for path in [root / "kscb.yaml", *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def _cache_files():
    folder = cache.cache_dir() / "lint"
    return sorted(folder.glob("*.marshal")) if folder.exists() else []


def test_second_run_is_a_hit_with_identical_output(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY + "sector2: x\n"})
    _age(root)
    first = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert len(_cache_files()) == 1
    second = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert (first.code, first.out) == (second.code, second.out) and first.code == 1


def test_a_change_misses(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    _age(root)
    assert cli("lint", cwd=root).code == 0
    (root / "records/agencies/WYP.yaml").write_text(AGENCY.replace("status: active", "status: actve"))
    _age(root)
    result = cli("lint", cwd=root)
    assert result.code == 1 and "did you mean 'active'" in result.out


def test_denylist_today_and_options_are_part_of_the_key(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    _age(root)
    assert cli("lint", cwd=root).code == 0
    (root / "private").mkdir()
    (root / "private/denylist.txt").write_text("West Testshire\n")
    _age(root)
    assert cli("lint", cwd=root).code == 1
    assert cli("lint", "--ignore", "P002", cwd=root).code == 0
    before = _cache_files()
    assert cli("lint", "--as-of", "2026-11-27", cwd=root).code == 1
    assert len(_cache_files()) == len(before) + 1  # another day, another cache file


def test_fresh_files_are_never_trusted_by_their_timestamp_and_no_cache_skips_it(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    rows = cache.scan(root / "records")
    hashes = cache.content_hashes(root / "records", rows, {})
    assert "agencies/WYP.yaml" in hashes and cache.trusted(rows, hashes) == {}  # just written: racy
    _age(root)
    assert "agencies/WYP.yaml" in cache.trusted(cache.scan(root / "records"), hashes)
    assert cli("lint", "--no-cache", cwd=root).code == 0
    assert _cache_files() == []


def test_a_known_row_is_not_read_again(make_store, tmp_path):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    _age(root)
    rows = cache.scan(root / "records")
    known = {rel: (row, "remembered") for rel, row in rows.items() if row[0] >= 0}
    assert cache.content_hashes(root / "records", rows, known) == {"agencies/WYP.yaml": "remembered"}
    os.utime(root / "records/agencies/WYP.yaml", None)  # touched: read and hashed again
    again = cache.content_hashes(root / "records", cache.scan(root / "records"), known)
    assert again["agencies/WYP.yaml"] != "remembered"


@pytest.mark.parametrize("parallel_from", [1, 10**9], ids=["workers", "here"])
def test_a_first_lint_keeps_the_hashes_of_what_it_read(make_store, cli, monkeypatch, parallel_from):
    """A store's first lint hashes each record file as it reads it, not in a read of its own
    (lint/incremental.py, read_hashes): only what it does not parse is read to be hashed. What it
    keeps is what hashing every file gives, parsed on workers or here, for records, a file that
    does not parse, one too large to read and one that is not a record; and the next lint, with
    nothing changed, is answered from it."""
    from kscb_cli.lint import incremental
    from kscb_cli.store import parallel
    from kscb_cli.store.source import MAX_BYTES

    monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
    files = {f"records/agencies/A{i}.yaml": AGENCY.replace("id: WYP", f"id: A{i}") for i in range(6)}
    files["records/agencies/BAD.yaml"] = "kind: agency\nid: [unclosed\n"
    files["records/agencies/BIG.yaml"] = AGENCY.replace("id: WYP", "id: BIG") + "# padding\n" * (MAX_BYTES // 10)
    root = make_store(files)
    (root / "records/agencies/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    _age(root)
    asked: list[str] = []
    real = cache.content_hashes

    def spy(folder, rows, known):  # type: ignore[no-untyped-def]
        asked.extend(rows)
        return real(folder, rows, known)

    monkeypatch.setattr(cache, "content_hashes", spy)
    first = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert first.code == 1  # BAD.yaml and BIG.yaml
    assert sorted(asked) == ["agencies/BIG.yaml", "agencies/photo.png"]
    (kept,) = _cache_files()
    tree = marshal.loads(kept.read_bytes())["tree"]
    expected = real(root / "records", cache.scan(root / "records"), {})
    assert {rel: digest for rel, (_, digest) in tree.items()} == expected
    assert len(expected) == 9

    def no_relint(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("nothing changed: the kept result answers")

    monkeypatch.setattr(incremental, "relint", no_relint)
    again = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert (again.code, again.out) == (first.code, first.out)
