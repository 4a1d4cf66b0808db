"""The lint cache's disk side (store/cache.py): a hit gives the same answer; any change that matters misses."""

from __future__ import annotations

import os
import time

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
