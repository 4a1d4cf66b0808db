"""kscb history and kscb changes on real temporary git repositories, with renames."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import git

from kscb_cli.history import Change, changes, check_history, diff, record_history
from kscb_cli.store.source import Problem
from kscb_cli.store.store import Store

AGENCIES = {
    f"records/agencies/{a}.yaml": f"kind: agency\nid: {a}\ntitle: Agency {a}\nstatus: active\nsector: health\nsafeguarding_partner: false\nsection11_duty: false\n"
    for a in ("CHFT", "KC-CSC")
}

AUDIT = """\
kind: audit
id: MACA-2025-002
title: Multi-agency audit – neglect in pre-school children
status: reported
workstream: ee
audit_type: multi_agency_case
agencies: [KC-CSC, CHFT]
period: {from: 2025-01-01, to: 2025-06-30}
sample: {cases: 8, selection: random}
planned: 2025-06-01
reported: 2025-09-12
findings:
  - id: F1
    type: systemic
    summary: Health visitors did not hear about missed appointments.
recommendations:
  - id: R1
    findings: [F1]
    to: partnership
    text: Share missed appointments with health visitors.
    response: accepted
"""

PLAN = """\
kind: action_plan
id: AP-MACA-2025-002
title: Action plan – neglect audit
status: in_progress
source: MACA-2025-002
approved: 2025-10-01
actions:
  - id: A1
    recommendation: MACA-2025-002#R1
    action: Send missed appointment lists to health visitors weekly.
    lead_agency: CHFT
    lead_role: Named Nurse
    due: 2026-01-31
    status: in_progress
    success_measure: Every list sent within a week.
    updates:
      - {date: 2025-11-01, text: Started.}
  - id: A2
    recommendation: MACA-2025-002#R1
    action: Audit the lists.
    lead_agency: KC-CSC
    lead_role: Head of Quality Assurance
    due: 2026-03-31
    status: not_started
    success_measure: An audit report.
"""

AUDIT_PATH = "records/audits/MACA-2025-002.yaml"
PLAN_PATH = "records/action-plans/AP-MACA-2025-002.yaml"


def commit(root, message: str, *, date_: str = "2026-01-10T10:00:00+00:00", paths=("-A",)) -> str:
    git(root, "add", *paths)
    env_date = {"GIT_AUTHOR_DATE": date_, "GIT_COMMITTER_DATE": date_}
    import os
    import subprocess

    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env={**os.environ, **env_date})
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(make_store):
    """A store whose history has a creation, edits, a rename (a move between folders) and an unparseable version."""
    root = make_store({**AGENCIES, AUDIT_PATH: AUDIT, PLAN_PATH: PLAN})
    git(root, "init", "-q", "-b", "main")
    commit(root, "Initial records", date_="2025-10-01T09:00:00+00:00")
    plan = root / PLAN_PATH
    plan.write_text(
        PLAN.replace(
            "      - {date: 2025-11-01, text: Started.}\n",
            "      - {date: 2025-11-01, text: Started.}\n    evidence:\n      - {date: 2026-01-20, text: Lists sent every week since December.}\n    completed: 2026-01-20\n",
        ).replace(
            "    status: in_progress\n    success_measure: Every", "    status: complete\n    success_measure: Every"
        )
    )
    commit(root, "A1 complete", date_="2026-01-21T10:00:00+00:00")
    (root / "records/plans").mkdir()
    git(root, "mv", PLAN_PATH, "records/plans/AP-MACA-2025-002.yaml")
    commit(root, "Move plans", date_="2026-01-22T10:00:00+00:00")
    moved = root / "records/plans/AP-MACA-2025-002.yaml"
    moved.write_text(moved.read_text().replace("title: Action plan", "title: [broken"))
    commit(root, "Oops", date_="2026-01-23T10:00:00+00:00")
    moved.write_text(
        moved.read_text()
        .replace("title: [broken", "title: Action plan")
        .replace("  - id: A2\n", "  - id: A2\n")
        .replace("status: not_started", "status: in_progress")
    )
    commit(root, "Fix title; A2 started", date_="2026-01-24T10:00:00+00:00")
    audit = root / AUDIT_PATH
    audit.write_text(
        AUDIT.replace("status: reported", "status: qa_approved").replace(
            "reported: 2025-09-12\n", "reported: 2025-09-12\nqa_approved: 2026-02-01\n"
        )
        + "  - id: R2\n    findings: [F1]\n    to: CHFT\n    text: Train health visitors.\n    response: pending\n"
    )
    commit(root, "Audit QA approved; R2", date_="2026-02-02T10:00:00+00:00")
    return root


def test_diff_matches_items_by_id_and_entries_as_a_multiset():
    old = {
        "status": "in_progress",
        "actions": [{"id": "A1", "status": "in_progress", "evidence": []}, {"id": "A3", "status": "not_started"}],
        "publication": {"decision": "full_report"},
        "title": "x" * 80,
        "agencies": ["WYP", "CHFT"],
    }
    new = {
        "status": "in_progress",
        "actions": [
            {"id": "A3", "status": "in_progress", "evidence": [{"date": "2026-01-01", "text": "done"}]},
            {"id": "A1", "status": "in_progress", "evidence": []},
        ],
        "publication": {"decision": "full_report", "published": "2025-10-15"},
        "title": "y" * 80,
        "agencies": ["WYP", "LOCALA"],
        "recommendations": [{"id": "R2", "findings": ["F1"]}],
    }
    assert [c.text() for c in diff(old, new)] == [
        "A3.status: not_started → in_progress",
        "A3.evidence: +1 item",
        "publication.published: set to 2025-10-15",
        "title: changed",
        "agencies: +LOCALA, −CHFT",
        "R2: added",
    ]
    assert diff(new, new) == []
    assert Change(("A1",), "deleted").text() == "A1: removed"


def test_diff_matches_training_needs_by_id():
    """training_needs is an item list (base.paths.ITEM_LISTS): its items are matched by id, not by position."""
    n1 = {"id": "N1", "need": "Bruising procedure.", "staff_group": "Response officers", "priority": "high"}
    n2 = {"id": "N2", "need": "Neglect toolkit.", "staff_group": "Health visitors", "priority": "low"}
    old = {"kind": "audit", "training_needs": [n1, n2]}
    new = {"kind": "audit", "training_needs": [{**n2, "priority": "medium"}, n1, {**n1, "id": "N3"}]}
    assert [c.text() for c in diff(old, new)] == ["N2.priority: low → medium", "N3: added"]
    assert [c.text() for c in diff(new, {"kind": "audit", "training_needs": [n1]})] == ["N2: removed", "N3: removed"]


def test_history_follows_renames_and_shows_field_changes(repo):
    h = record_history(repo, "AP-MACA-2025-002", path="records/plans/AP-MACA-2025-002.yaml")
    assert [v.subject for v in h.versions] == [
        "Fix title; A2 started",
        "Oops",
        "Move plans",
        "A1 complete",
        "Initial records",
    ]
    texts = {v.subject: [c.text() for c in v.changes] for v in h.versions}
    assert texts["A1 complete"] == [
        "A1.status: in_progress → complete",
        "A1.evidence: +1 item",
        "A1.completed: set to 2026-01-20",
    ]
    assert texts["Move plans"] == ["renamed from records/action-plans/AP-MACA-2025-002.yaml"]
    assert texts["Initial records"] == ["created"]
    oops = h.versions[1]
    assert oops.problem and oops.problem.startswith("does not parse: F001") and oops.changes == []
    fix = h.versions[0]
    assert fix.previous_problem and fix.changes == []  # nothing to compare with: the version before does not parse
    assert h.versions[3].author == "Test Coordinator" and h.versions[3].date.startswith("2026-01-21")


def test_history_of_one_item(repo):
    h = record_history(repo, "AP-MACA-2025-002", item="A1")
    assert [v.subject for v in h.versions] == ["Oops", "A1 complete", "Initial records"]
    assert [c.text() for c in h.versions[-1].changes] == ["A1: added"]


def test_history_shows_uncommitted_changes_first(repo):
    audit = repo / AUDIT_PATH
    audit.write_text(audit.read_text().replace("status: qa_approved", "status: actions_open"))
    h = record_history(repo, "MACA-2025-002", path=AUDIT_PATH)
    assert h.versions[0].sha is None and [c.text() for c in h.versions[0].changes] == [
        "status: qa_approved → actions_open"
    ]


def test_history_cli_formats(repo, cli):
    r = cli("history", "AP-MACA-2025-002#A1", cwd=repo)
    assert r.code == 0, r.err
    assert (
        "A1.status: in_progress → complete" in r.out
        and "this version does not parse" in r.out
        and "Traceback" not in r.out + r.err
    )
    j = json.loads(cli("history", "AP-MACA-2025-002", "-f", "json", cwd=repo).out)
    assert j["record"] == "AP-MACA-2025-002" and j["versions"][-1]["changes"] == [
        {"field": "", "op": "created", "text": "created"}
    ]
    assert (
        cli("history", "AP-MACA-2025-002", "-f", "json", cwd=repo).out
        == cli("history", "AP-MACA-2025-002", "-f", "json", cwd=repo).out
    )
    md = cli("history", "AP-MACA-2025-002", "-f", "markdown", cwd=repo).out
    assert md.startswith("# History of AP-MACA-2025-002") and "- A1.status: in_progress → complete" in md
    r = cli("history", "NOPE-1", cwd=repo)
    assert r.code == 2 and "no record 'NOPE-1'" in r.err


def test_history_of_a_deleted_record(repo):
    git(repo, "rm", "-q", AUDIT_PATH)
    commit(repo, "Remove the audit", date_="2026-03-01T10:00:00+00:00")
    h = record_history(repo, "MACA-2025-002")
    assert [c.text() for c in h.versions[0].changes] == ["deleted"] and h.versions[-1].changes[0].text() == "created"


def test_changes_digest(repo):
    store = Store.open(repo)
    d = changes(store, "2026-01-15", today=date(2026, 4, 1))
    got = sorted((e.kind, e.category, e.record_id, e.item, str(e.old), str(e.new)) for e in d.events)
    assert got == sorted(
        [
            ("action_plan", "action_completed", "AP-MACA-2025-002", "A1", "in_progress", "complete"),
            ("action_plan", "action_overdue", "AP-MACA-2025-002", "A2", "None", "in_progress"),
            ("audit", "status", "MACA-2025-002", None, "reported", "qa_approved"),
            ("audit", "recommendation", "MACA-2025-002", "R2", "None", "None"),
            # the local audit QA clock: reported 2025-09-12, due 20 working days later, quality assured 2026-02-01
            ("audit", "clock_missed", "MACA-2025-002", None, "2025-10-10", "2026-02-01"),
        ]
    ), got
    assert d.commits == 5 and d.since_day == "2026-01-15" and d.until_day == "2026-04-01"
    overdue = next(e for e in d.events if e.category == "action_overdue")
    assert overdue.date == "2026-04-01"  # due 2026-03-31: overdue from the day after
    assert d.clocks or "clocks are not included" in " ".join(d.notes)

    # everything: the creations too (findings and recommendations of a new record are new learning)
    all_ = changes(store, "2025-01-01", today=date(2026, 4, 1))
    created = sorted(e.record_id for e in all_.events if e.category == "created")
    assert created == ["AP-MACA-2025-002", "CHFT", "KC-CSC", "MACA-2025-002"]
    assert {(e.record_id, e.item) for e in all_.events if e.category == "finding"} == {("MACA-2025-002", "F1")}


def test_changes_between_revisions(repo):
    store = Store.open(repo)
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    moved = git(repo, "log", "--format=%H", "--grep=Move plans").strip()
    d = changes(store, first, moved)
    assert [
        (e.category, e.record_id, e.item) for e in d.events if e.category not in ("action_overdue", "clock_missed")
    ] == [("action_completed", "AP-MACA-2025-002", "A1")]
    # the local clocks that ran out in the period: the plan not reviewed at its workstream, the audit not quality assured
    assert sorted(e.detail.split(":")[0] for e in d.events if e.category == "clock_missed") == [
        "audit_qa",
        "plan_review",
    ]
    assert d.until_day == "2026-01-22" and d.commits == 2
    # at that revision A2 was not started and due 2026-03-31: not overdue yet on 2026-01-22
    assert not [e for e in d.events if e.category == "action_overdue"]
    d = changes(store, "2026-01-01", "2026-01-22")
    assert d.commits == 2


def test_changes_cli(repo, cli):
    r = cli("changes", "--since", "2026-01-15", "--as-of", "2026-04-01", cwd=repo)
    assert r.code == 0, r.err
    assert "Action plans" in r.out and "Actions completed" in r.out and "AP-MACA-2025-002#A1" in r.out
    assert "qa_approved" in r.out and "New recommendations" in r.out
    j1 = cli("changes", "--since", "2026-01-15", "--as-of", "2026-04-01", "-f", "json", cwd=repo).out
    j2 = cli("changes", "--since", "2026-01-15", "--as-of", "2026-04-01", "-f", "json", cwd=repo).out
    assert j1 == j2 and json.loads(j1)["kinds"]["audit"][0]["record"] == "MACA-2025-002"
    md = cli("changes", "--since", "2026-01-15", "--as-of", "2026-04-01", "-f", "markdown", cwd=repo).out
    assert md.startswith("# Changes from 2026-01-15 to 2026-04-01") and "### Actions completed" in md
    r = cli("changes", "--since", "nonsense-rev", cwd=repo)
    assert r.code == 2 and "no commit 'nonsense-rev'" in r.err
    r = cli("changes", "--since", "2026-13-01", cwd=repo)
    assert r.code == 2 and "not a date" in r.err


def test_shallow_clone_warns(repo, tmp_path, cli):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    r = cli("changes", "--since", "2020-01-01", "--as-of", "2026-04-01", cwd=clone)
    assert r.code == 0 and "shallow" in r.err
    r = cli("history", "MACA-2025-002", cwd=clone)
    assert r.code == 0 and "shallow" in r.err


def test_history_check_reports_jumps_and_accepts_forced_ones(repo, cli):
    audit = repo / AUDIT_PATH
    audit.write_text(audit.read_text().replace("status: qa_approved", "status: planned"))
    commit(repo, "Back to planned", date_="2026-03-01T10:00:00+00:00")
    diags = check_history(repo)
    assert [(d.path, d.line, d.code) for d in diags] == [(AUDIT_PATH, 4, "H001")]
    assert "moved from qa_approved to planned" in diags[0].message and "Back to planned" in diags[0].message
    r = cli("history", "--check", cwd=repo)
    assert r.code == 1 and f"{AUDIT_PATH}:4:9: H001 warning:" in r.out
    # a forced jump, made with kscb set --force --reason, is accepted
    r = cli(
        "set",
        "MACA-2025-002",
        "status=closed",
        "--force",
        "--reason",
        "audit abandoned",
        "--commit",
        cwd=repo,
        env={"KSCB_TODAY": "2026-04-01"},
    )
    assert r.code == 0, r.err
    assert "Kscb-Forced: audit abandoned" in git(repo, "log", "-1", "--format=%B")
    assert len(check_history(repo)) == 1


def _events(d):
    return [e.as_dict() for e in d.events]


def test_the_lean_digest_equals_the_full_store_digest(tmp_path):
    """changes() on the store root (a lean read) reads only the records it needs; it must find exactly what the full store gives."""
    from conftest import bench_module

    build = bench_module("git_history").build
    repo = tmp_path / "hist"
    build(repo, records=280, commits=160, seed=5)
    full = Store.open(repo)
    lean = repo
    days = sorted({c for c in git(repo, "log", "--format=%cs").split()})
    for since, today in [
        (days[0], days[-1]),
        (days[len(days) // 2], days[-1]),
        (days[-10], days[-1]),
        ("2025-06-01", "2026-06-30"),
        ("2026-01-01", "2027-01-01"),
    ]:
        a = changes(full, since, today=date.fromisoformat(today))
        b = changes(lean, since, today=date.fromisoformat(today))
        assert _events(a) == _events(b), (since, today)
        assert any(e.category in ("clock_met", "clock_missed") for e in a.events) or since > "2026"


def test_the_digest_reads_each_versions_facts_once(tmp_path, monkeypatch):
    """What a version's bytes say (history/facts.py) is kept by its blob id: a second digest reads
    no unchanged file for it, only a file edited since, and finds what a digest without the cache
    finds, in the working tree and at a revision; a symlinked record is read from the disk."""
    from conftest import bench_module

    from kscb_cli.history import facts
    from kscb_cli.store.versions import clean_blobs

    repo = tmp_path / "hist"
    bench_module("git_history").build(repo, records=120, commits=60, seed=9)
    read: list[bytes] = []
    real = facts.facts_of
    monkeypatch.setattr(facts, "facts_of", lambda raw: read.append(raw) or real(raw))
    days = sorted(set(git(repo, "log", "--format=%cs").split()))
    since, today = days[len(days) // 2], date.fromisoformat(days[-1])
    files = sorted((repo / "records").rglob("*.yaml"))

    def both() -> None:
        kept = _events(changes(repo, since, today=today)), _events(changes(repo, since, "HEAD"))
        monkeypatch.setenv("KSCB_NO_CACHE", "1")
        assert kept == (_events(changes(repo, since, today=today)), _events(changes(repo, since, "HEAD")))
        monkeypatch.delenv("KSCB_NO_CACHE")

    both()
    assert facts.facts_file(repo).is_file()
    read.clear()
    changes(repo, since, today=today)
    changes(repo, since, "HEAD")
    assert read == []  # every version's facts were kept
    plan = next(p for p in files if "action-plans" in str(p))
    plan.write_text(plan.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    changes(repo, since, today=today)
    assert read == [plan.read_bytes()]  # only the file edited since
    link = repo / "records" / "reviews" / "linked.yaml"
    link.symlink_to(plan)  # git keeps where it points: its blob is not what the file holds
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a link")
    assert "records/reviews/linked.yaml" not in clean_blobs(repo)
    read.clear()
    changes(repo, since, today=today)
    assert read == [plan.read_bytes()]  # the link, read from the disk (the plan's facts were kept by its content)
    both()


def test_the_digest_names_a_file_by_what_it_holds_not_by_what_git_last_saw(tmp_path, monkeypatch):
    """A file counts as HEAD's only when nothing can make git's word wrong (store/versions.py
    `clean_blobs_started`), and what is read is read from the disk and kept by its own blob id: a
    change staged and then put back, a file saved while the digest runs, a flag that stops git
    looking (skip-worktree, assume-unchanged), a store with no commit yet, a checkout that
    re-encodes the file, a damaged cache. In each the
    digest with its caches gives what it gives without them and over the whole store, now and
    after the change is committed. (Found by a review that poisoned the caches this way.)"""
    from conftest import write_store

    from kscb_cli.history import facts
    from kscb_cli.store import versions
    from kscb_cli.store.versions import BlobTable, clean_blobs

    rel = "records/action-plans/AP-MACA-2025-002.yaml"
    done = PLAN.replace("    due: 2026-01-31\n    status: in_progress", "    due: 2026-01-31\n    status: complete")
    assert done != PLAN
    since, today = "2025-12-01", date(2026, 3, 1)
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # before the period: the commits touch nothing in it
        monkeypatch.setenv(name, "2025-10-01T09:00:00+00:00")

    def store(name: str, commit: bool = True) -> Path:
        root = write_store(tmp_path / name, {**AGENCIES, "records/audits/MACA-2025-002.yaml": AUDIT, rel: PLAN})
        git(root, "init", "-q", "-b", "main")
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "init")
        return root

    def same(root: Path, until: str | None = None) -> list[tuple[object, ...]]:
        kept = changes(root, since, until, today=today) if until is None else changes(root, since, until)
        monkeypatch.setenv("KSCB_NO_CACHE", "1")
        try:
            bare = changes(root, since, until, today=today) if until is None else changes(root, since, until)
            assert (_events(kept), kept.unread) == (_events(bare), bare.unread)
            if until is None:
                full = changes(Store.open(root), since, today=today)
                assert (_events(kept), kept.unread) == (_events(full), full.unread)
        finally:
            monkeypatch.delenv("KSCB_NO_CACHE")
        return [(e.category, e.record_id, e.item) for e in kept.events]

    root = store("staged")
    overdue = same(root)
    assert ("action_overdue", "AP-MACA-2025-002", "A1") in overdue
    (root / rel).write_text(PLAN.replace("2025-", "2019-").replace("2026-", "2020-"), encoding="utf-8")
    assert same(root) != overdue  # the edit's facts (no day near the period) kept, by its content
    git(root, "add", rel)
    git(root, "restore", "--worktree", "--source=HEAD", rel)  # the index holds the edit, the file HEAD's
    assert same(root) == overdue  # the file is HEAD's: read, not taken for the edit
    git(root, "commit", "-q", "-m", "the edit")
    git(root, "checkout", "--", rel)
    assert same(root) != overdue
    same(root, "HEAD")

    root = store("race")
    real = versions.clean_blobs_started

    def saved_meanwhile(root: Path) -> Callable[[], dict[str, str]]:  # saved between git's look and kscb's read
        result = real(root)

        def after_git() -> dict[str, str]:
            found = result()
            (root / rel).write_text(done, encoding="utf-8")
            return found

        return after_git

    monkeypatch.setattr(versions, "clean_blobs_started", saved_meanwhile)
    changes(root, since, today=today)
    monkeypatch.setattr(versions, "clean_blobs_started", real)
    git(root, "checkout", "--", rel)
    assert same(root) == overdue  # nothing was kept under HEAD's name but HEAD's bytes
    same(root, "HEAD")

    for flag in ("--skip-worktree", "--assume-unchanged"):
        root = store(flag.strip("-"))
        same(root)
        git(root, "update-index", flag, rel)
        (root / rel).write_text(done, encoding="utf-8")  # git no longer looks: the file is read
        assert same(root) != overdue

    root = store("unborn", commit=False)
    git(root, "add", "-A")
    (root / rel).write_text(done, encoding="utf-8")
    same(root)

    root = store("encoded")
    same(root, "HEAD")  # the UTF-8 blob's facts and parse kept
    (root / ".git" / "info" / "attributes").write_text("records/**/*.yaml text working-tree-encoding=UTF-16LE eol=lf\n")
    (root / rel).unlink()
    git(root, "checkout", "--", rel)
    assert git(root, "diff", "--name-only", "HEAD") == "" and rel in clean_blobs(root)  # HEAD's, as git sees it
    assert not any(e[0] == "action_overdue" for e in same(root))  # but read from the disk, it cannot be read,
    assert changes(root, since, today=today).unread  # and the digest says so

    root = store("damaged")
    same(root)
    facts.forget(root)
    BlobTable(facts.facts_file(root)).save({b: ("action_plan", 1, 2) for b in clean_blobs(root).values()})
    assert same(root) == overdue  # rows that are not facts are not used: the files are read


def test_the_lean_digest_equals_the_full_store_digest_on_the_demo_store(tmp_path):
    import shutil

    from conftest import EXAMPLES, ROOT

    src = ROOT if (ROOT / "records").is_dir() and (ROOT / "kscb.yaml").is_file() else EXAMPLES
    if not (src / "records").is_dir():
        pytest.skip("no demo store")
    repo = tmp_path / "demo"
    shutil.copytree(src / "records", repo / "records")
    shutil.copy(src / "kscb.yaml", repo / "kscb.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo")
    full, lean = Store.open(repo), repo
    seen = set()
    for since in ("2024-01-01", "2025-03-01", "2025-09-01", "2026-02-01", "2026-06-01", "2026-10-01"):
        for end in ("2025-06-30", "2025-12-31", "2026-06-30", "2026-11-26", "2027-03-31"):
            if since >= end:
                continue
            a = changes(full, since, today=date.fromisoformat(end))
            b = changes(lean, since, today=date.fromisoformat(end))
            assert _events(a) == _events(b), (since, end)
            seen |= {e.category for e in a.events}
    assert {"action_overdue", "clock_met", "clock_missed"} <= seen


def test_parsing_on_several_processes_gives_the_same_answers(repo, monkeypatch):
    import kscb_cli.store.versions as H

    audit = repo / AUDIT_PATH
    audit.write_text(audit.read_text().replace("status: qa_approved", "status: planned"))
    commit(repo, "Back to planned", date_="2026-03-01T10:00:00+00:00")
    store = Store.open(repo)
    one = (_events(changes(store, "2025-01-01", today=date(2026, 4, 1))), check_history(repo))
    monkeypatch.setattr(H, "PARALLEL_FROM", 1)
    many = (_events(changes(store, "2025-01-01", today=date(2026, 4, 1))), check_history(repo))
    assert one == many and many[1][0].line == 4


def test_history_of_a_record_not_committed_yet(repo, cli):
    new = repo / "records/audits/MACA-2026-001.yaml"
    new.write_text(AUDIT.replace("MACA-2025-002", "MACA-2026-001"))
    r = cli("history", "MACA-2026-001", cwd=repo)
    assert r.code == 0, r.err
    assert "(0 commits)" in r.out and "uncommitted changes in the working tree" in r.out and "created" in r.out


def test_parsed_versions_are_kept_outside_the_store_and_never_parsed_again(repo, monkeypatch):
    """A version is named by its blob id, so its parse is kept (store/versions.py) and a second digest parses nothing."""
    import kscb_cli.store.versions as V

    audit = repo / AUDIT_PATH
    audit.write_text(audit.read_text() + "# checked by the coordinator\n")  # an uncommitted change, read from disk
    first = _events(changes(repo, "2025-01-01", today=date(2026, 4, 1)))
    kept = V.cache_file(repo)
    assert kept.is_file() and not kept.is_relative_to(repo)
    assert kept.stat().st_mode & 0o077 == 0  # readable by its owner only: old versions hold personal data

    real_parse = V.parse_blob

    def only_what_does_not_parse(raw):  # a version that does not parse is not kept: the fixture has one
        read = real_parse(raw)
        assert isinstance(read, Problem), "a kept version was parsed again"
        return read

    monkeypatch.setattr(V, "parse_blob", only_what_does_not_parse)
    monkeypatch.setattr(V, "PARALLEL_FROM", 10**9)
    assert _events(changes(repo, "2025-01-01", today=date(2026, 4, 1))) == first
    V.forget(repo)
    assert not kept.exists()


def test_the_version_cache_can_be_turned_off(repo, monkeypatch):
    import kscb_cli.store.versions as V

    monkeypatch.setenv("KSCB_NO_CACHE", "1")
    with_none = _events(changes(repo, "2025-01-01", today=date(2026, 4, 1)))
    assert not V.cache_file(repo).exists()
    monkeypatch.delenv("KSCB_NO_CACHE")
    assert _events(changes(repo, "2025-01-01", today=date(2026, 4, 1))) == with_none


def test_git_walks_only_the_period_and_a_margin_with_the_same_answer(repo, monkeypatch):
    """`changes --since DATE` up to now asks git for the period (and a month before it), not the whole history."""
    import kscb_cli.history.digest as digest

    asked = []
    real_log = digest.gitio.log_started
    monkeypatch.setattr(
        digest.gitio, "log_started", lambda root, revs: asked.append(list(revs)) or real_log(root, revs)
    )
    for since in ("2025-01-01", "2026-01-10", "2026-02-01", "2026-03-01"):
        limited = changes(repo, since, today=date(2026, 4, 1))
        assert asked[-1][0] == f"--since={(date.fromisoformat(since) - timedelta(days=31)).isoformat()}"
        monkeypatch.setattr(digest, "SINCE_MARGIN_DAYS", 18_000)  # from the 1970s: the whole history
        whole = changes(repo, since, today=date(2026, 4, 1))
        monkeypatch.setattr(digest, "SINCE_MARGIN_DAYS", 31)
        assert (_events(limited), limited.commits) == (_events(whole), whole.commits), since


OLD_PLAN = """\
kind: action_plan
id: AP-TEST-2023-001
title: Action plan - an old plan kept under review at its workstream
status: in_progress
workstream: qa
source: ILACS-2025-001
approved: 2023-01-10
actions:
  - id: A1
    recommendation: ILACS-2025-001#R1
    action: Keep the plan under review.
    lead_agency: NC-CS
    lead_role: Head of Service, Adolescents
    due: 2023-06-01
    status: complete
    success_measure: Reviewed.
    completed: 2023-05-01
"""

REVIEWING_MEETING = """\
kind: meeting
id: MTG-2025-099
title: Quality Assurance and Performance Group, December 2025
status: minutes_approved
workstream: qa
meeting_type: workstream
date: 2025-12-15
chair_role: Chair of the group
attendance:
  - {agency: NC-CS, attendance: present}
plans_reviewed:
  - plan: AP-TEST-2023-001
    note: Reviewed.
minutes_approved: 2026-01-13
"""


def test_the_lean_digest_reads_what_other_records_restart_or_name(tmp_path):
    """A plan whose dates are all years old, reviewed at a meeting near the period (its review clock
    restarts there), and a notification whose file name is not its id, are read like any other:
    the lean digest gives what the whole store gives, and the plan's missed review is in both."""
    import shutil

    from conftest import EXAMPLES, ROOT

    src = ROOT if (ROOT / "records").is_dir() and (ROOT / "kscb.yaml").is_file() else EXAMPLES
    if not (src / "records" / "meetings").is_dir():
        pytest.skip("no demo store with meetings")
    repo = tmp_path / "demo"
    shutil.copytree(src / "records", repo / "records")
    shutil.copy(src / "kscb.yaml", repo / "kscb.yaml")
    (repo / "records/action-plans/AP-TEST-2023-001.yaml").write_text(OLD_PLAN)
    (repo / "records/meetings/MTG-2025-099.yaml").write_text(REVIEWING_MEETING)
    notifications = sorted((repo / "records/notifications").glob("*.yaml"))
    for n in notifications:
        n.rename(n.with_name(f"renamed-{n.name}"))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "demo, committed before every period", date_="2020-01-01T10:00:00+00:00")
    full = Store.open(repo)
    missed = []
    for since in ("2025-09-01", "2026-02-01", "2026-03-01"):
        for end in ("2026-04-30", "2026-11-26"):
            a = changes(full, since, today=date.fromisoformat(end))
            b = changes(repo, since, today=date.fromisoformat(end))
            assert _events(a) == _events(b), (since, end)
            missed += [e.date for e in a.events if e.record_id == "AP-TEST-2023-001" and e.category == "clock_missed"]
    assert missed and set(missed) == {"2026-03-16"}


def _plan(i: int, approved: str, reviewed: str, extra: str = "") -> str:
    return (
        f"kind: action_plan\nid: AP-LAYOUT-{i:03d}\ntitle: Action plan - layout {i}\nstatus: in_progress\n"
        f"workstream: qa\nsource: ILACS-2025-001\n{approved}{reviewed}"
        "actions:\n  - id: A1\n    recommendation: ILACS-2025-001#R1\n    action: Keep the plan under review.\n"
        "    lead_agency: NC-CS\n    lead_role: Head of Service, Adolescents\n    due: 2031-06-01\n"
        "    status: in_progress\n    success_measure: Reviewed.\n"
        "    updates:\n      - {date: 2025-02-03, text: Under way.}\n      - {date: 2026-03-04, text: Under way.}\n"
        f"{extra}"
    )


def test_the_lean_digest_reads_action_plans_by_their_review_days(tmp_path):
    """An action plan is read for its review clock by its approved and reviewed days only (history/facts.py
    `_plan_dates`), however they are written; a plan written some other way, or with an extension, is read
    by every day it mentions. Periods over two years: the lean digest finds every missed plan review the
    whole store finds, and reads only the plans whose latest review day falls near the period."""
    import shutil

    from conftest import EXAMPLES, ROOT

    from kscb_cli.history import period
    from kscb_cli.history.facts import facts_of

    src = ROOT if (ROOT / "records").is_dir() and (ROOT / "kscb.yaml").is_file() else EXAMPLES
    repo = tmp_path / "demo"
    shutil.copytree(src / "records", repo / "records")
    shutil.copy(src / "kscb.yaml", repo / "kscb.yaml")
    plans = repo / "records" / "action-plans"
    layouts = [
        lambda d, r: (f"approved: {d}\n", ""),
        lambda d, r: (f"approved: '{d}'\n", f'reviewed: [{r}, "{r}"]\n'),
        lambda d, r: (f'approved: "{d}"  # at the board\n', f"reviewed:\n  - {r}\n\n  # then\n  - '{r}'\n"),
        lambda d, r: (f"approved: {d}\n", f"reviewed:\n- {r}\n"),
        lambda d, r: (f"approved:\n  {d}\n", ""),  # its value on the next line: read the careful way
        lambda d, r: (f"approved: {d}\n", f"reviewed: [{r},\n  {r}]\n"),  # a flow list over two lines
        lambda d, r: (f"approved: {d}\nreviewed: []\n", ""),
    ]
    day = date(2024, 1, 5)
    n = 0
    for layout in layouts:
        for k in range(10):
            approved = day + timedelta(days=41 * k)
            first, second = layout(approved.isoformat(), (approved + timedelta(days=70)).isoformat())
            extra = ""
            if k == 7:  # an extension moves the review's due date: read by every day the plan mentions
                due = (approved + timedelta(days=400)).isoformat()
                extra = (
                    "extensions:\n  - clock: plan_review\n    agreed: 2024-01-05\n"
                    f"    new_due: {due}\n    reason: Waiting for the audit.\n    agreed_by: Chair of the group\n"
                )
            (plans / f"AP-LAYOUT-{n:03d}.yaml").write_text(_plan(n, first, second, extra))
            n += 1
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "plans, committed before every period", date_="2020-01-01T10:00:00+00:00")
    full = Store.open(repo)
    assert all(full.get(f"AP-LAYOUT-{i:03d}") is not None for i in range(n)) and n == 70  # every plan is valid
    missed: set[str] = set()
    for month in range(0, 27, 3):
        since = date(2024 + month // 12, month % 12 + 1, 1)
        today = since + timedelta(days=91)
        a = changes(full, since.isoformat(), today=today)
        b = changes(repo, since.isoformat(), today=today)
        assert _events(a) == _events(b), (since, today)
        missed |= {e.record_id for e in a.events if e.category == "clock_missed" and "LAYOUT" in e.record_id}
    assert len(missed) >= 40
    # the plans read for a period: only those whose review clock can fall due in it, by their own days
    raws = {p.name: p.read_bytes() for p in sorted(plans.glob("AP-LAYOUT-*.yaml"))}
    facts = {name: facts_of(raw) for name, raw in raws.items()}
    read = period._pick(facts, full.config, date(2025, 1, 1), date(2025, 3, 31))
    careful = {f"AP-LAYOUT-{n:03d}.yaml" for n in [*range(40, 60), *range(7, 70, 10)]}
    assert careful <= read  # the next-line value, the two-line list and the extensions: every day counts
    lo, hi = (
        datetime.strptime(str(d), "%Y%m%d").date()
        for d in period._windows(full.config, date(2025, 1, 1), date(2025, 3, 31))["action_plan"]
    )  # type: ignore[union-attr]
    latest = {  # of the others, the latest day each was approved or reviewed
        f"AP-LAYOUT-{i * 10 + k:03d}.yaml": day + timedelta(days=41 * k + (70 if i in (1, 2, 3) else 0))
        for i in (0, 1, 2, 3, 6)
        for k in range(10)
    }
    assert read - careful == {name for name, d in latest.items() if lo <= d <= hi} - careful
    assert 10 < len(read - careful) < 20  # of the 40 others, only those reviewed or approved near the period


_PLAN_HEAD = (
    b"kind: action_plan\nid: AP-TEST-001\ntitle: Action plan\nstatus: in_progress\nworkstream: qa\n"
    b"source: LCSPR-2025-001\n"
)
_PLAN_ACTIONS = (
    b"actions:\n  - id: A1\n    recommendation: LCSPR-2025-001#R1\n    action: Put it into practice.\n"
    b"    lead_agency: LA\n    lead_role: Head of Safeguarding\n    due: 2027-01-01\n    status: in_progress\n"
    b"    success_measure: The next audit finds it.\n    updates:\n      - {date: 2025-05-03, text: Under way.}\n"
)
_EXT = b"{clock: plan_review, agreed: 2025-07-01, new_due: 2025-12-01, reason: x, agreed_by: Chair}"
# Layouts that once fooled the byte reader (a review by a helper that never saw it): each a valid plan
_TRICKY_PLANS = [
    b"approved: 2025-03-01\nreviewed: [2025-06-01] # next 2030-01-01\n",
    b"approved: 2025-03-01\nreviewed: [2025-06-01] # was '2030-01-01'\n",
    b"approved : 2030-03-01\nreviewed: [2025-06-01]\n",
    b"approved: 2025-03-01\nreviewed : [2030-06-01]\n",
    b"approved\t: 2030-03-01\n",
    b"approved: 2025-03-01\nextensions :\n  - " + _EXT + b"\n",
    b"? approved\n: 2030-03-01\n",
    b"!!str approved: 2030-03-01\n",
    b"&k approved: 2030-03-01\n",
    b'"approv\\x65d": 2030-03-01\n',
    b"approved: 2025-03-01\rreviewed: [2030-06-01]\n",
    b"approved: 2025-03-01 # c\rreviewed: [2030-06-01]\n",
    b"reviewed:\n  - 2025-06-01 # c\r  - 2030-06-01\napproved: 2025-03-01\n",
    b"reviewed: [2025-06-01] # c\rextensions: [" + _EXT + b"]\napproved: 2025-03-01\n",
    b"approved: 2025-03-01\xc2\x85reviewed: [2030-06-01]\n",
    b"approved: 2025-03-01\xe2\x80\xa8reviewed: [2030-06-01]\n",
    b'notes: "An old note\napproved: 2030-03-01\n still the note"\nreviewed: [2025-06-01]\n',
    b"notes: 'An old note\nreviewed: [2030-03-01]\n still the note'\napproved: 2025-03-01\n",
    b'notes: !!str "An old note\nreviewed: [2030-03-01]\n still"\napproved: 2025-03-01\n',
]


def test_the_plan_reader_reads_the_days_the_parser_reads_or_none():
    """history/facts.py `_plan_dates` reads a plan's review days from its bytes. For any valid plan it
    gives the days the YAML parser and the model give, or None (the plan is then read in full):
    never other days, which would drop its review clock from `changes` without a word."""
    from kscb_cli.history.facts import _plan_dates
    from kscb_cli.model import Record
    from kscb_cli.store.source import decode, parse
    from kscb_cli.store.validate import schema_problems

    bom_first = b"\xef\xbb\xbfapproved: 2030-03-01\n" + _PLAN_HEAD + b"reviewed: [2025-06-01]\n" + _PLAN_ACTIONS
    flow_top = (
        b"{\nkind: action_plan\n,\nid: AP-TEST-001\n,\ntitle: T, status: in_progress, workstream: qa, "
        b"source: LCSPR-2025-001,\napproved: 2025-03-01\n, reviewed: [2030-06-01]\n}\n"
    )
    read = 0
    for raw in [_PLAN_HEAD + body + _PLAN_ACTIONS for body in _TRICKY_PLANS] + [bom_first, flow_top]:
        record, problems = schema_problems(Record, parse(decode(raw)))
        assert record is not None and not problems, raw
        got = _plan_dates(raw)
        if got is not None:
            read += 1
            assert not record.extensions, raw
            truth = ([record.approved] if record.approved else []) + list(record.reviewed)
            assert sorted(d.decode() for d in got) == sorted(d.isoformat() for d in truth), raw
    plain = _PLAN_HEAD + b"approved: 2025-03-01\nreviewed: [2025-06-01, '2025-09-01']  # at the group\n" + _PLAN_ACTIONS
    assert _plan_dates(plain) == [b"2025-03-01", b"2025-06-01", b"2025-09-01"]
    assert read <= 2  # the comment cases, read right; every other layout here is read in full


ALL_CLOCKS_ON = """\
calendar:
  closures: [2025-12-24, 2025-12-29, 2025-12-30, 2025-12-31, 2026-04-07]
clocks:
  child_death_review_months: 4
  audit_qa_working_days: 30
  ofsted_notice_working_days: 25
  scr_publication_notice_days: 40
  plan_review_days: 45
  local_reviews:
    learning_review: {report_months: 3, progress_check_days: 30}
    practice_review: {report_months: 9, progress_check_days: 100}
"""


def test_the_lean_digest_equals_the_full_one_with_every_clock_on(tmp_path):
    """Each kind is read by the window of its own clocks (history/period.py `_margins`): with every
    local clock on and margins unlike the defaults, the lean digest still finds what the whole store gives."""
    from conftest import bench_module

    build = bench_module("git_history").build
    repo = tmp_path / "hist"
    build(repo, records=400, commits=160, seed=11)
    with (repo / "kscb.yaml").open("a") as f:
        f.write(ALL_CLOCKS_ON)
    full = Store.open(repo)
    assert full.config.clocks.child_death_review_months == 4
    kinds = set()
    for month in range(0, 40, 2):  # periods of three months, from before the history to long after it
        since = date(2024 + month // 12, month % 12 + 1, 1 + month % 5)
        today = since + timedelta(days=91)
        a = changes(full, since.isoformat(), today=today)
        b = changes(repo, since.isoformat(), today=today)
        assert _events(a) == _events(b), (since, today)
        kinds |= {e.kind for e in a.events if e.category in ("clock_met", "clock_missed")}
    assert {"child_death", "audit", "training", "review", "action_plan"} <= kinds


def test_every_clocked_kind_has_its_own_window():
    """A new kind of clock must say how far before its due date it can start, or the lean digest would miss it."""
    from kscb_cli.domain.clocks import CLOCKED_KINDS
    from kscb_cli.history.facts import ALWAYS_KINDS
    from kscb_cli.history.period import _margins
    from kscb_cli.model.config import Config

    before, after = _margins(
        Config.model_validate({"schema_version": 1, "partnership": {"name": "P", "short_name": "P", "area": "A"}})
    )
    assert set(CLOCKED_KINDS) <= before.keys() | ALWAYS_KINDS
    assert after >= 7 and all(d is None or d >= 7 for d in before.values())


def test_every_clock_starts_within_its_kinds_margin(tmp_path):
    """The lean digest's invariant, clock by clock: a clock is due at most its kind's margin after
    the start its record (or, for a rapid review, its notification) mentions; a publication
    notice at most the second margin before the publication it counts back from."""
    import shutil

    from conftest import EXAMPLES, ROOT, bench_module

    from kscb_cli.domain.clocks import clocks
    from kscb_cli.history.facts import ALWAYS_KINDS
    from kscb_cli.history.period import _margins

    build = bench_module("git_history").build
    gen = tmp_path / "hist"
    build(gen, records=400, commits=20, seed=3)
    with (gen / "kscb.yaml").open("a") as f:
        f.write(ALL_CLOCKS_ON)
    demo = tmp_path / "demo"
    src = ROOT if (ROOT / "records").is_dir() and (ROOT / "kscb.yaml").is_file() else EXAMPLES
    shutil.copytree(src / "records", demo / "records")
    shutil.copy(src / "kscb.yaml", demo / "kscb.yaml")
    checked = 0
    for root in (gen, demo):
        store = Store.open(root)
        before, after = _margins(store.config)
        for c in clocks(store, date(2026, 11, 26)):
            if c.kind == "partnership" or c.kind in ALWAYS_KINDS or c.extension is not None:
                continue  # kscb.yaml's own clocks; records read whole; an extension's new due date is in the record
            if c.name in ("publication_notice", "scr_publication_notice"):
                pub = store.get(c.record_id).publication
                assert ((pub.published or pub.planned) - c.due).days <= after, c
            else:
                margin = before[c.kind]
                assert margin is not None and 0 <= (c.due - c.start).days <= margin, c
            checked += 1
    assert checked > 300
