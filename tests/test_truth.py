"""Issue #9: every answer tells the whole truth — no record ever drops out of a tracker or report.

The store is a copy of the demo store with two records broken the way a hand edit breaks
them: one action plan with an unknown field in its action A1 (the rest of the plan still
reads), and one audit indented wrongly so it does not parse at all. Every command that
reads the store must say so, and keep what can be read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import git

ROOT = Path(__file__).resolve().parent.parent
PLAN = "records/action-plans/AP-LCSPR-2025-001.yaml"
BROKEN = "records/audits/THEM-2025-001.yaml"
AS_OF = "2027-01-10"  # A3 (revised due 2026-12-18) is then overdue: red


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(ROOT / "kscb.yaml", root / "kscb.yaml")
    shutil.copytree(ROOT / "records", root / "records")
    return root


@pytest.fixture
def broken(tmp_path) -> Path:
    """The demo store in git, then two records broken in the working tree and committed."""
    root = _demo(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Demo records", "--date", "2026-01-01T12:00:00")
    plan = root / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("  - id: A1\n    recommendation:", "  - id: A1\n    recomendation:", 1), encoding="utf-8"
    )
    audit = root / BROKEN
    lines = audit.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[i] = "   " + lines[i]  # a three-space indent: no longer YAML
    audit.write_text("".join(lines), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Hand edits", "--date", "2026-11-01T12:00:00")
    return root


def _notice(err: str) -> None:
    assert "1 record could not be read and is left out: records/audits/THEM-2025-001.yaml" in err, err
    assert "1 record could not be fully read: records/action-plans/AP-LCSPR-2025-001.yaml (A1 left out)" in err, err
    assert "run `kscb lint`" in err


def test_actions_keeps_the_valid_actions_and_lists_the_invalid_one(broken, cli):
    r = cli("actions", "--format", "json", "--as-of", AS_OF, cwd=broken)
    assert r.code == 0
    _notice(r.err)
    rows = {row["ref"]: row for row in json.loads(r.out)["actions"]}
    assert rows["AP-LCSPR-2025-001#A3"]["brag"] == "red"
    assert rows["AP-LCSPR-2025-001#A2"]["brag"] == "red"
    assert rows["AP-LCSPR-2025-001#A1"]["brag"] == "invalid"
    assert rows["AP-LCSPR-2025-001#A1"]["status"] == "invalid"
    by = {row["brag"]: row["actions"] for row in json.loads(r.out)["totals_by_brag"]}
    assert by["invalid"] == 1
    only = cli("actions", "--brag", "invalid", "--format", "json", "--as-of", AS_OF, cwd=broken)
    assert [row["ref"] for row in json.loads(only.out)["actions"]] == ["AP-LCSPR-2025-001#A1"]


def test_the_board_report_carries_the_notice(broken, cli):
    r = cli("render", "board-report", "--since", "2026-10-01", "--as-of", AS_OF, cwd=broken)
    assert r.code == 0, r.err
    _notice(r.err)
    assert "> **Incomplete:** 2 records could not be read in full" in r.out
    assert "THEM-2025-001" in r.out and "AP-LCSPR-2025-001 (A1)" in r.out


def test_a_public_document_gives_only_the_count(broken, cli):
    r = cli("render", "newsletter", "--since", "2026-01-01", "--audience", "public", "--as-of", AS_OF, cwd=broken)
    assert r.code == 0, r.err
    assert "2 records could not be read in full" in r.out
    assert "THEM-2025-001" not in r.out and "AP-LCSPR-2025-001" not in r.out  # partnership records: not named in public


def test_show_shows_what_can_be_read(broken, cli):
    r = cli("show", "THEM-2025-001", cwd=broken)
    assert r.code == 1
    assert "no record" not in r.out + r.err
    assert "invalid" in r.out and BROKEN in r.out
    assert f"{BROKEN}:" in r.out  # its problem, with a position
    plan = cli("show", "AP-LCSPR-2025-001", "--as-of", AS_OF, cwd=broken)
    assert plan.code == 1
    assert "S001 unknown field 'recomendation'" in plan.out
    assert "AP-LCSPR-2025-001#A3 [RED]" in plan.out
    assert "AP-LCSPR-2025-001#A1 [INVALID]" in plan.out
    item = cli("show", "AP-LCSPR-2025-001#A1", cwd=broken)
    assert item.code == 1 and "A1 could not be read" in item.out


def test_list_shows_an_unreadable_record_as_invalid(broken, cli):
    r = cli("list", "audit", "--format", "json", cwd=broken)
    assert r.code == 0
    _notice(r.err)
    rows = {row["id"]: row for row in json.loads(r.out)["audit"]}
    assert rows["THEM-2025-001"]["status"] == "invalid"
    plans = {
        row["id"] for row in json.loads(cli("list", "action_plan", "--format", "json", cwd=broken).out)["action_plan"]
    }
    assert "AP-LCSPR-2025-001" in plans


@pytest.mark.parametrize(
    "args",
    [
        ("deadlines", "--as-of", AS_OF),
        ("stats", "--as-of", AS_OF),
        ("list", "review"),
        ("show", "LCSPR-2025-001", "--as-of", AS_OF),
        ("render", "seven-minute-briefing", "7MB-2026-001", "--as-of", AS_OF),
        ("render", "newsletter", "--since", "2026-01-01", "--as-of", AS_OF),
        ("render", "board-report", "--since", "2026-01-01", "--as-of", AS_OF),
        ("render", "action-tracker", "--as-of", AS_OF),
        ("render", "yearly-report", "--year", "2025-26", "--as-of", AS_OF),
        ("render", "section11-summary", "2025", "--as-of", AS_OF),
        ("publish-check", "LCSPR-2025-001", "--as-of", AS_OF),
        ("changes", "--since", "2025-01-01", "--as-of", AS_OF),
    ],
)
def test_every_command_that_reads_the_store_reports_the_unreadable_records(broken, cli, args):
    r = cli(*args, cwd=broken)
    assert r.code in (0, 1), r.err
    _notice(r.err)
    if args[0] == "render":
        assert "**Incomplete:** 2 records could not be read in full" in r.out


def test_history_of_an_unreadable_record(broken, cli):
    r = cli("history", "THEM-2025-001", cwd=broken)
    assert r.code == 0, r.err
    assert "does not parse" in r.out or "could not be read" in r.out


def test_a_reference_to_an_unreadable_record_is_not_a_missing_record(broken, cli):
    r = cli("lint", "--format", "json", "--no-cache", "--as-of", AS_OF, cwd=broken)
    diags = json.loads(r.out)["diagnostics"]
    assert not [d for d in diags if d["code"] in ("R002", "R003") and "THEM-2025-001" in d["message"]]
    s001 = [d for d in diags if d["code"] == "S001" and d["path"] == PLAN]
    plan_lines = (broken / PLAN).read_text(encoding="utf-8").splitlines()
    typo = next(n for n, line in enumerate(plan_lines, 1) if "recomendation:" in line)
    assert s001 and s001[0]["line"] == typo  # the unknown field, in the file
    # rules on the kept actions point at their own lines, not at A1's
    for d in diags:
        if d["path"] == PLAN and d["code"] != "S001" and "A3" in d["message"]:
            assert plan_lines.index("  - id: A3") < d["line"] - 1


def test_an_invalid_kept_action_in_publish_check(broken, cli):
    r = cli("publish-check", "THEM-2025-001", cwd=broken)
    assert r.code == 1
    assert "could not be read" in r.out


def test_two_files_with_one_id_each_get_their_own_diagnostics(make_store, cli):
    """C003 is reported on the file with the TODO, at its line; a clock warning once per file."""
    agency = "kind: agency\nid: WYP\ntitle: Police\nstatus: active\nclassification: public\nsector: police\nsafeguarding_partner: true\nsection11_duty: true\n"
    note = (
        "kind: notification\nid: N-2025-001\ntitle: {title}\nstatus: draft\nclassification: restricted\nsubject: {subject}\n"
        "harm: serious_harm\nabuse: suspected\nlooked_after: false\nincident: 2025-01-06\naware: 2025-01-07\n"
    )
    root = make_store(
        {
            "records/agencies/WYP.yaml": agency,
            "records/notifications/N-2025-001.yaml": note.format(title="First", subject="Child H"),
            "records/notifications/N-2025-002.yaml": note.format(title="Second", subject="TODO"),
        }
    )
    r = cli("lint", "--format", "json", "--no-cache", "--as-of", "2025-03-01", cwd=root)
    diags = json.loads(r.out)["diagnostics"]
    c003 = [d for d in diags if d["code"] == "C003"]
    assert [(d["path"], d["line"]) for d in c003] == [("records/notifications/N-2025-002.yaml", 6)]
    k002 = [(d["path"], d["line"]) for d in diags if d["code"] == "K002"]
    assert len(k002) == len(set(k002))  # never the same warning twice on one file
    assert {p for p, _ in k002} <= {"records/notifications/N-2025-001.yaml", "records/notifications/N-2025-002.yaml"}


def test_actions_of_a_draft_plan_are_draft_not_green(tmp_path, cli):
    root = _demo(tmp_path)
    r = cli("actions", "--source", "AP-DIP-2026-001", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    rows = json.loads(r.out)["actions"]
    assert rows and {row["brag"] for row in rows} == {"draft"}
    assert all(row["days"] is None for row in rows)


def test_a_percentage_never_exceeds_100():
    from kscb_cli.model.config import Config
    from kscb_cli.reporting.views.audience import Audience

    partnership = Audience(
        "partnership",
        Config.model_validate({"schema_version": 1, "partnership": {"name": "X", "short_name": "X", "area": "X"}}),
    )
    assert partnership.pct(9, 10) == "90%"
    assert "%" not in partnership.pct(12, 10) and "do not add up" in partnership.pct(12, 10)


def test_a_public_tracker_says_red_and_amber_actions_are_withheld(tmp_path, cli):
    """Every plan of the demo is partnership: a public tracker may list none of them, and must not say nothing is red."""
    root = _demo(tmp_path)
    r = cli("render", "action-tracker", "--audience", "public", "--as-of", AS_OF, cwd=root)
    assert r.code == 0, r.err
    assert "Nothing is red or amber" not in r.out
    assert "withheld" in r.out


# --- the smaller lies (issue #9, point 6) ---------------------------------------------


def test_render_out_to_a_folder_or_an_unknown_suffix_is_refused_and_a_pdf_is_a_pdf(tmp_path, cli):
    root = _demo(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    r = cli("render", "action-tracker", "--out", str(folder), "--as-of", AS_OF, cwd=root)
    assert r.code == 2 and "is a folder" in r.err
    odd = tmp_path / "x.rtf"
    r = cli("render", "action-tracker", "--out", str(odd), "--as-of", AS_OF, cwd=root)
    assert r.code == 2 and ".rtf" in r.err and not odd.exists()
    pdf = tmp_path / "x.pdf"  # the suffix picks the format (issue 16): a real PDF, never Markdown in a .pdf
    assert cli("render", "action-tracker", "--out", str(pdf), "--as-of", AS_OF, cwd=root).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    md = tmp_path / "x.md"
    assert cli("render", "action-tracker", "--out", str(md), "--as-of", AS_OF, cwd=root).code == 0 and md.exists()


def test_new_refuses_a_real_looking_subject_before_writing(make_store, cli):
    from conftest import MINIMAL_CONFIG  # noqa: F401

    root = make_store({})
    r = cli("new", "notification", "--set", "subject=Firstname Surname", "--no-input", cwd=root)
    assert r.code == 2
    assert "Firstname" not in r.err and "Surname" not in r.err  # never echoed
    assert not list((root / "records").rglob("*.yaml"))


def test_force_reason_needs_commit(tmp_path, cli):
    root = _demo(tmp_path)
    r = cli("set", "AP-LCSPR-2025-001#A2", "status=embedded", "--force", "--reason", "agreed at the board", cwd=root)
    assert r.code == 2 and "--commit" in r.err


def test_changes_ignores_non_yaml_files_and_says_what_is_uncommitted(git_store, cli):
    agency = "kind: agency\nid: WYP\ntitle: Police\nstatus: active\nclassification: public\nsector: police\nsafeguarding_partner: true\nsection11_duty: true\n"
    root = git_store({"records/agencies/WYP.yaml": agency})
    (root / "records" / "reviews").mkdir(parents=True)
    (root / "records" / "reviews" / ".gitkeep").write_text("")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "keep the folder")
    (root / "records" / "agencies" / "WYP.yaml").write_text(
        agency.replace("status: active", "status: inactive"), encoding="utf-8"
    )
    r = cli("changes", "--since", "2000-01-01", "--format", "json", cwd=root)
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert not [
        e for kind in doc["kinds"].values() for e in kind if ".gitkeep" in json.dumps(e) or e.get("kind") == "unknown"
    ]
    assert any("uncommitted" in n and "records/agencies/WYP.yaml" in n for n in doc["notes"])


def test_the_public_yearly_report_shows_the_review_that_was_published(tmp_path, cli):
    """LCSPR-2025-001 is a partnership record, but the partnership published it on 2026-02-10."""
    root = _demo(tmp_path)
    r = cli("render", "yearly-report", "--year", "2025-26", "--audience", "public", "--as-of", "2026-11-26", cwd=root)
    assert r.code == 0, r.err
    assert "### LCSPR-2025-001: Baby R" in r.out
    assert "The partnership's response:" in r.out and "R1 (accepted)" in r.out
    assert "Published at https://safeguarding.northdale.example/learning/reviews/baby-r" in r.out
    assert "LCSPR-2026-001" not in r.out  # not published: still withheld
