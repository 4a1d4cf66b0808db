"""`kscb today`: due actions and clocks, records with errors, stale plans, changes since the last commit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, git


@pytest.fixture
def demo(tmp_path) -> Path:
    dest = tmp_path / "demo"
    dest.mkdir()
    shutil.copy(ROOT / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(ROOT / "records", dest / "records")
    return dest


def page(cli, root: Path, as_of: str = "2026-09-25", *args: str) -> dict:
    result = cli("today", "--format", "json", "--as-of", as_of, *args, cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_due_lists_open_actions_and_clocks_within_ten_working_days(demo, cli):
    doc = page(cli, demo)
    assert doc["horizon"] == "2026-10-09"  # 10 working days after Friday 25 September 2026
    refs = {(d["what"], d["ref"]) for d in doc["due"]}
    assert ("action", "AP-LCSPR-2025-001#A2") in refs and ("action", "AP-S11-2025-NDFT#A1") in refs
    assert all(d["due"] <= "2026-10-09" for d in doc["due"])
    later = page(cli, demo, "2026-10-02")
    overdue = [d for d in later["due"] if d["state"] == "overdue"]
    assert {d["ref"] for d in overdue} >= {"AP-LCSPR-2025-001#A2"}
    assert all(d["days"] < 0 and d["working_days"] < 0 for d in overdue)


def test_due_includes_clocks(demo, cli):
    actions = json.loads(cli("deadlines", "--format", "json", "--as-of", "2026-12-01", cwd=demo).out)["clocks"]
    soon = [c for c in actions if c["state"] in ("due_soon", "overdue") and c["done"] is None]
    assert soon, "the demo store has a clock due soon on 2026-12-01"
    doc = page(cli, demo, "2026-12-01")
    clocks = {d["ref"] for d in doc["due"] if d["what"] == "clock"}
    open_ = [c for c in actions if c["state"] not in ("met", "missed") and c["done"] is None]
    within = {c["record"] for c in open_ if c["due"] <= doc["horizon"]}  # running ones too: due within the window
    assert within and within == clocks
    later = {c["record"] for c in soon if c["due"] > doc["horizon"]} - within
    assert later.isdisjoint(clocks)  # due soon by their own window, but past the 10 working days


def test_records_with_errors_and_stale_plans(demo, cli):
    bad = demo / "records" / "reviews" / "LCSPR-2099-001.yaml"
    bad.write_text("kind: review\nid: LCSPR-2099-001\ntitle: [unclosed\n", encoding="utf-8")
    doc = page(cli, demo)
    assert doc["files_unreadable"] == 1
    assert any(e["path"] == "records/reviews/LCSPR-2099-001.yaml" for e in doc["errors"])
    stale = {p["plan"]: p for p in doc["stale_plans"]}
    assert "AP-S11-2025-PVP" in stale
    assert stale["AP-S11-2025-PVP"]["days"] > 90


def test_changes_since_the_last_commit(demo, cli):
    git(demo, "init", "-q", "-b", "main")
    git(demo, "add", "-A")
    git(demo, "commit", "-q", "-m", "Records as the board saw them")
    doc = page(cli, demo)
    assert doc["git"] is True and doc["changed"] == [] and doc["last_commit"].endswith("Records as the board saw them")
    plan = demo / "records" / "action-plans" / "AP-S11-2025-PVP.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (demo / "records" / "reviews" / "LCSPR-2099-002.yaml").write_text("kind: review\n", encoding="utf-8")
    doc = page(cli, demo)
    assert {(c["status"], c["path"]) for c in doc["changed"]} == {
        ("modified", "records/action-plans/AP-S11-2025-PVP.yaml"),
        ("new", "records/reviews/LCSPR-2099-002.yaml"),
    }


def test_outside_git_it_says_so_and_the_table_fits_a_screen(demo, cli):
    result = cli("today", "--as-of", "2026-09-25", cwd=demo)
    assert result.code == 0
    assert "not a git repository" in result.out
    assert "Overdue or due by 2026-10-09" in result.out and "Stale action plans" in result.out
    assert len(result.out.splitlines()) < 60
