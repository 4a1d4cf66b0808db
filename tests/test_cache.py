"""The lint result cache: a hit gives the same answer; any change that matters misses."""

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


def test_second_run_is_a_hit_with_identical_output(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY + "sector2: x\n"})
    _age(root)
    first = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    key = cache.key(root, {"paths": [], "select": [], "ignore": [], "today": "2026-11-26"})
    assert key and cache.load(key) is not None
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
    base = {"paths": [], "select": [], "ignore": []}
    assert cache.key(root, {**base, "today": "2026-11-26"}) != cache.key(root, {**base, "today": "2026-11-27"})


def test_fresh_files_are_never_cached_and_no_cache_skips_it(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    assert cache.key(root, {}) is None  # just written: racy
    _age(root)
    assert cli("lint", "--no-cache", cwd=root).code == 0
    assert not list((cache.cache_dir() / "lint").glob("*.json")) if (cache.cache_dir() / "lint").exists() else True
