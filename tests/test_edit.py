"""kscb set / kscb add: round-trip edits that change only the edited lines, refuse what would not validate,
never overwrite a file that changed meanwhile, and never leave half a file behind."""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import git

from kscb_cli.base.atomic import ChangedOnDisk
from kscb_cli.base.errors import KscbError
from kscb_cli.editing.edit import plan_add, plan_set, write
from kscb_cli.editing.values import DELETE, parse_value
from kscb_cli.editing.yamlrt import detect_indent
from kscb_cli.store.store import Store

TODAY = date(2026, 11, 26)
PLAN = "records/action-plans/AP-LCSPR-2025-001.yaml"

# An action plan with everything a round-trip dump likes to disturb: comments above the
# first key, end-of-line comments, comment lines and blank lines between keys, flow
# mappings, folded blocks, single- and double-quoted strings, and a long plain line.
GOLDEN = """\
# Action plan for the Child H review.
# Progress goes to the case review workstream every two months.
kind: action_plan
id: AP-LCSPR-2025-001
title: "Action plan – Child H"
status: in_progress        # approved by the partners in September
workstream: scr
priorities: [neglect]
source: LCSPR-2025-001
approved: 2025-09-10

# The actions, one per recommendation or more.
actions:
  - id: A1
    recommendation: LCSPR-2025-001#R1
    action: >-
      Introduce a was-not-brought pathway for under-fives in all health services, with a
      named lead in every provider.
    lead_agency: ICB-WY
    lead_role: 'Designated Nurse for Safeguarding Children'
    due: 2026-01-31
    status: complete
    success_measure: The pathway is in use in every health provider and named in their procedures, shown by the annual audit of missed appointments.
    updates:
      - {date: 2025-11-14, text: Pathway drafted and agreed by the health safeguarding forum.}
    evidence:
      - {date: 2026-01-22, text: "Pathway published: procedures site."}
    completed: 2026-01-22
  - id: A3
    recommendation: LCSPR-2025-001#R2
    action: Add "child seen and heard" as a required section of the single assessment.
    lead_agency: KC-CSC
    lead_role: Head of Quality Assurance, Children's Services
    due: 2026-09-30
    status: in_progress
    success_measure: Monthly dip sample shows the child seen and their view recorded in 90% of assessments.
    updates:
      - {date: 2026-06-02, text: Form change specified; waiting for the case recording system supplier.}
    # next: the supplier's release date
"""


@pytest.fixture
def golden(examples):
    (examples / PLAN).write_text(GOLDEN, encoding="utf-8")
    return examples


def _edit(root: Path, target: str, *assignments: str, **kw) -> str:
    store = Store.open(root)
    edit = plan_set(store, target, list(assignments), today=TODAY, **kw)
    write(edit)
    return (root / PLAN).read_text(encoding="utf-8")


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    """(old line, new line) pairs of a diff, '' where a side has none."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, before.splitlines(), after.splitlines(), autojunk=False
    ).get_opcodes():
        if tag != "equal":
            old, new = before.splitlines()[i1:i2], after.splitlines()[j1:j2]
            out += list(zip(old + [""] * (len(new) - len(old)), new + [""] * (len(old) - len(new))))
    return out


# --- golden round-trip edits -------------------------------------------------------------


def test_golden_status_keeps_end_of_line_comment(golden):
    after = _edit(golden, "AP-LCSPR-2025-001", "status=complete")
    assert _changed(GOLDEN, after) == [
        (
            "status: in_progress        # approved by the partners in September",
            "status: complete           # approved by the partners in September",
        )
    ]


def test_golden_item_field_in_a_block_among_flow_entries(golden):
    after = _edit(golden, "AP-LCSPR-2025-001#A3", "due=2026-12-18")
    assert _changed(GOLDEN, after) == [("    due: 2026-09-30", "    due: 2026-12-18")]


def test_golden_quoted_strings_keep_their_quotes(golden):
    after = _edit(golden, "AP-LCSPR-2025-001", "title=Action plan – Child H (revised)")
    assert _changed(GOLDEN, after) == [('title: "Action plan – Child H"', 'title: "Action plan – Child H (revised)"')]
    after2 = _edit(golden, "AP-LCSPR-2025-001#A1", "lead_role=Designated Nurse, Safeguarding")
    assert _changed(after, after2) == [
        (
            "    lead_role: 'Designated Nurse for Safeguarding Children'",
            "    lead_role: 'Designated Nurse, Safeguarding'",
        )
    ]


def test_golden_folded_block_stays_folded_at_its_width(golden):
    text = "Introduce a was-not-brought pathway for children under five in every health service, with a named lead in every provider and a quarterly report."
    after = _edit(golden, "AP-LCSPR-2025-001#A1", f"action={text}")
    assert _changed(GOLDEN, after) == [
        (
            "      Introduce a was-not-brought pathway for under-fives in all health services, with a",
            "      Introduce a was-not-brought pathway for children under five in every health",
        ),
        (
            "      named lead in every provider.",
            "      service, with a named lead in every provider and a quarterly report.",
        ),
    ]  # wrapped no wider than the block was (82 characters)
    assert "    action: >-\n" in after


def test_golden_add_flow_entry_and_new_list_at_model_position(golden):
    store = Store.open(golden)
    edit = plan_add(
        store,
        "AP-LCSPR-2025-001#A3",
        "updates",
        ["date=2026-11-20", "text=Form change live: see the #release notes"],
        today=TODAY,
    )
    write(edit)
    after = (golden / PLAN).read_text()
    assert _changed(GOLDEN, after) == [
        ("", "      - {date: 2026-11-20, text: 'Form change live: see the #release notes'}")
    ]
    assert after.index("Form change live") < after.index("# next: the supplier")
    assert edit.message() == "kscb: AP-LCSPR-2025-001#A3 updates +1 (2026-11-20)"

    store = Store.open(golden)
    write(
        plan_add(
            store, "AP-LCSPR-2025-001#A3", "evidence", ["date=2026-11-21", "text=Form live in the system"], today=TODAY
        )
    )
    final = (golden / PLAN).read_text()
    assert _changed(after, final) == [
        ("", "    evidence:"),
        ("", "      - {date: 2026-11-21, text: Form live in the system}"),
    ]


def test_golden_dotted_field_creates_the_mapping_where_the_model_puts_it(golden):
    after = _edit(
        golden,
        "AP-LCSPR-2025-001#A3",
        "revised_due.date=2026-12-18",
        "revised_due.reason=Supplier delay",
        "revised_due.approved=2026-09-20",
    )
    assert (
        "    due: 2026-09-30\n    revised_due:\n      date: 2026-12-18\n      reason: Supplier delay\n      approved: 2026-09-20\n    status: in_progress\n"
        in after
    )
    # and removing it restores the file exactly
    final = _edit(golden, "AP-LCSPR-2025-001#A3", "revised_due=")
    assert final == GOLDEN


def test_golden_removing_a_field_keeps_the_comment_lines_after_it(golden):
    after = _edit(golden, "AP-LCSPR-2025-001", "approved=", "status=draft", force=True, reason="test")
    assert "# The actions, one per recommendation or more.\nactions:" in after
    assert "approved:" not in after.split("actions:")[0]


def test_values_are_yaml_scalars_or_literal_text():
    assert parse_value("true") is True and parse_value("3") == 3 and parse_value("2026-04-02") == "2026-04-02"
    assert parse_value("[a, b]") == ["a", "b"] and parse_value('"2025"') == "2025"
    assert parse_value("Form change: live # now") == "Form change: live # now"
    assert parse_value("") is DELETE and parse_value("null") is DELETE


def test_quoted_number_stays_text_where_the_model_wants_text(examples):
    path = examples / "records/section11/S11-2025-WYP.yaml"
    before = path.read_text()
    write(plan_set(Store.open(examples), "S11-2025-WYP", ["cycle=2026", "due=2026-06-30"], today=TODAY))
    assert _changed(before, path.read_text()) == [
        ('cycle: "2025"', 'cycle: "2026"'),
        ("due: 2025-06-30", "due: 2026-06-30"),
    ]


def test_detect_indent():
    assert detect_indent(GOLDEN) == (2, 4, 2)
    assert detect_indent("a:\n- x\nb:\n    c: 1\n") == (4, 2, 0)
    assert detect_indent("kind: agency\n") == (2, 4, 2)


def test_other_indentation_is_kept(examples):
    path = examples / "records/section11/S11-2025-WYP.yaml"
    text = path.read_text().replace("\n  - id:", "\n- id:").replace("\n    ", "\n  ")
    path.write_text(text)
    write(plan_set(Store.open(examples), "S11-2025-WYP#S4", ["rating=mostly_met"], today=TODAY))
    assert _changed(text, path.read_text()) == [("  rating: partially_met", "  rating: mostly_met")]


# --- refusals ------------------------------------------------------------------------------


def test_an_edit_that_would_not_validate_is_refused_and_the_file_untouched(golden):
    store = Store.open(golden)
    with pytest.raises(KscbError) as exc:
        plan_set(store, "AP-LCSPR-2025-001#A3", ["due=2026-02-30"], today=TODAY)
    assert "invalid" in exc.value.message and any("calendar" in d.message for d in exc.value.diagnostics)
    with pytest.raises(KscbError) as exc:
        plan_set(store, "AP-LCSPR-2025-001#A3", ["stauts=complete"], today=TODAY)
    assert any("did you mean 'status'" in d.message for d in exc.value.diagnostics)
    with pytest.raises(KscbError) as exc:  # complete needs evidence and a completed date (rule Q001)
        plan_set(store, "AP-LCSPR-2025-001#A3", ["status=complete"], today=TODAY)
    assert {d.code for d in exc.value.diagnostics} == {"Q001"}
    assert (golden / PLAN).read_text() == GOLDEN


def test_unknown_record_or_item_names_the_fix(golden):
    store = Store.open(golden)
    with pytest.raises(KscbError, match="did you mean 'AP-LCSPR-2025-001'"):
        plan_set(store, "AP-LCSPR-2025-01", ["status=complete"], today=TODAY)
    with pytest.raises(KscbError, match=r"has no item 'A9' \(its items: A1, A3\)"):
        plan_set(store, "AP-LCSPR-2025-001#A9", ["status=complete"], today=TODAY)


def test_lifecycle_jump_refused_unless_forced_with_a_reason(golden):
    store = Store.open(golden)
    with pytest.raises(
        KscbError, match="from in_progress it may move to complete, withdrawn, not_started.*--force --reason"
    ):
        plan_set(store, "AP-LCSPR-2025-001#A3", ["status=embedded"], today=TODAY)
    with pytest.raises(KscbError, match="--force needs --reason"):
        plan_set(store, "AP-LCSPR-2025-001", ["status=draft"], today=TODAY, force=True)
    edit = plan_set(
        store, "AP-LCSPR-2025-001", ["status=draft"], today=TODAY, force=True, reason="approval withdrawn by the board"
    )
    assert edit.forced == ["AP-LCSPR-2025-001 status in_progress → draft"]
    assert edit.message().endswith("Kscb-Forced: approval withdrawn by the board")


def test_existing_errors_do_not_block_an_unrelated_fix(golden):
    (golden / PLAN).write_text(GOLDEN.replace("lead_agency: KC-CSC", "lead_agency: NOPE"))
    edit = plan_set(Store.open(golden), "AP-LCSPR-2025-001#A3", ["due=2026-10-31"], today=TODAY)
    write(edit)
    assert "due: 2026-10-31" in (golden / PLAN).read_text()


# --- safe writes -----------------------------------------------------------------------------


def test_concurrent_modification_is_refused_and_the_other_change_kept(golden, monkeypatch):
    store = Store.open(golden)
    edit = plan_set(store, "AP-LCSPR-2025-001#A3", ["due=2026-12-18"], today=TODAY)
    theirs = GOLDEN.replace("title: ", "title: ").replace("scr", "ee")
    real_fsync = os.fsync

    def someone_else_saves(fd):  # between kscb's read and its rename
        real_fsync(fd)
        (golden / PLAN).write_text(theirs)

    monkeypatch.setattr("kscb_cli.base.atomic.os.fsync", someone_else_saves)
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        write(edit)
    assert (golden / PLAN).read_text() == theirs
    assert not [p for p in (golden / PLAN).parent.iterdir() if p.name.endswith(".tmp")]


def test_file_changed_after_planning_is_not_overwritten(golden, cli):
    store = Store.open(golden)
    edit = plan_set(store, "AP-LCSPR-2025-001#A3", ["due=2026-12-18"], today=TODAY)
    (golden / PLAN).write_text(GOLDEN + "notes: added in an editor\n")
    with pytest.raises(ChangedOnDisk):
        write(edit)
    assert (golden / PLAN).read_text().endswith("notes: added in an editor\n")


def test_crash_in_the_middle_leaves_the_original_and_no_temp_file(golden, monkeypatch):
    (golden / PLAN).chmod(0o640)
    edit = plan_set(Store.open(golden), "AP-LCSPR-2025-001#A3", ["due=2026-12-18"], today=TODAY)

    def crash(src, dst):
        assert Path(src).read_bytes() == edit.new_bytes  # the temp file was fully written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kscb_cli.base.atomic.os.replace", crash)
    with pytest.raises(OSError):
        write(edit)
    assert (golden / PLAN).read_text() == GOLDEN
    assert sorted(p.name for p in (golden / PLAN).parent.iterdir()) == sorted(
        p.name for p in (golden / PLAN).parent.iterdir() if not p.name.startswith(".")
    )
    monkeypatch.undo()
    write(edit)
    assert (golden / PLAN).stat().st_mode & 0o777 == 0o640  # permissions kept


# --- the command ----------------------------------------------------------------------------


def test_set_commit_commits_only_that_file(golden, cli):
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "Store")):
        git(golden, *args)
    other = golden / "records/agencies/WYP.yaml"
    other.write_text(other.read_text().replace("title:", "title: Staged"))
    git(golden, "add", "records/agencies/WYP.yaml")
    r = cli("set", "AP-LCSPR-2025-001#A3", "due=2026-12-18", "--commit", cwd=golden, env={"KSCB_TODAY": "2026-11-26"})
    assert r.code == 0, r.err
    assert git(golden, "log", "-1", "--format=%s") == "kscb: AP-LCSPR-2025-001#A3 due → 2026-12-18\n"
    assert git(golden, "show", "--name-only", "--format=", "HEAD").split() == [PLAN]
    assert git(golden, "diff", "--cached", "--name-only").split() == ["records/agencies/WYP.yaml"]
    assert git(golden, "status", "--porcelain", "--", PLAN) == ""


def test_set_commit_refuses_a_file_with_uncommitted_changes(golden, cli):
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "Store")):
        git(golden, *args)
    (golden / PLAN).write_text(GOLDEN.replace("scr", "ee"))
    r = cli("set", "AP-LCSPR-2025-001#A3", "due=2026-12-18", "--commit", cwd=golden, env={"KSCB_TODAY": "2026-11-26"})
    assert r.code == 2 and "uncommitted changes" in r.err
    assert "2026-12-18" not in (golden / PLAN).read_text()


def test_set_cli_refusal_prints_diagnostics_and_exits_2(golden, cli):
    r = cli("set", "AP-LCSPR-2025-001#A3", "due=someday", cwd=golden, env={"KSCB_TODAY": "2026-11-26"})
    assert r.code == 2 and r.out == ""
    assert "expected a date" in r.err and f"{PLAN}:" in r.err and "nothing was written" in r.err
    assert (golden / PLAN).read_text() == GOLDEN


def test_dry_run_prints_the_diff_and_writes_nothing(golden, cli):
    r = cli(
        "add",
        "AP-LCSPR-2025-001#A3",
        "updates",
        "date=2026-11-20",
        "text=Form change live",
        "--dry-run",
        cwd=golden,
        env={"KSCB_TODAY": "2026-11-26"},
    )
    assert r.code == 0 and "+      - {date: 2026-11-20, text: Form change live}" in r.out
    assert (golden / PLAN).read_text() == GOLDEN


def test_crlf_bom_and_document_start_survive(golden):
    text = "\ufeff---\r\n" + GOLDEN.replace("\n", "\r\n")
    (golden / PLAN).write_bytes(text.encode("utf-8"))
    write(plan_set(Store.open(golden), "AP-LCSPR-2025-001#A3", ["due=2026-12-18"], today=TODAY))
    after = (golden / PLAN).read_bytes().decode("utf-8")
    assert after == text.replace("due: 2026-09-30", "due: 2026-12-18")


def test_add_values_to_a_list_of_values(golden):
    write(plan_add(Store.open(golden), "AP-LCSPR-2025-001", "priorities", ["early_help"], today=TODAY))
    assert "priorities: [neglect, early_help]\n" in (golden / PLAN).read_text()
    write(plan_add(Store.open(golden), "AP-LCSPR-2025-001", "themes", ["neglect", "was_not_brought"], today=TODAY))
    assert (
        "priorities: [neglect, early_help]\nthemes: [neglect, was_not_brought]\nsource:" in (golden / PLAN).read_text()
    )


def test_a_quoted_date_stays_quoted(golden):
    (golden / PLAN).write_text(GOLDEN.replace("    due: 2026-09-30", '    due: "2026-09-30"'))
    before = (golden / PLAN).read_text()
    write(plan_set(Store.open(golden), "AP-LCSPR-2025-001#A3", ["due=2026-12-18"], today=TODAY))
    assert _changed(before, (golden / PLAN).read_text()) == [('    due: "2026-09-30"', '    due: "2026-12-18"')]


def test_hash_lines_inside_a_literal_block_are_text_not_comments(golden):
    (golden / PLAN).write_text(
        GOLDEN.replace(
            "approved: 2025-09-10\n", "approved: 2025-09-10\nnotes: |\n  # Agenda\n  Reviewed at the board.\n"
        )
    )
    write(plan_set(Store.open(golden), "AP-LCSPR-2025-001", ["notes=Reviewed at the board in March."], today=TODAY))
    text = (golden / PLAN).read_text()
    assert (
        "notes: |-\n  Reviewed at the board in March.\n" in text
        or "notes: |\n  Reviewed at the board in March.\n" in text
    )
    assert "# The actions, one per recommendation or more." in text


def test_a_training_need_is_an_item_set_by_its_id(tmp_path):
    """model.ITEM_LISTS names training_needs: `kscb set AUDIT#N1` edits the need in place."""
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "store"
    root.mkdir()
    (root / "kscb.yaml").write_text((repo / "kscb.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    rel = "records/audits/SATA-2026-001.yaml"
    (root / rel).parent.mkdir(parents=True)
    before = (repo / rel).read_text(encoding="utf-8")
    (root / rel).write_text(before, encoding="utf-8")
    store = Store.open(root)
    edit = plan_set(store, "SATA-2026-001#N1", ["staff_group=Midwives"], today=TODAY)
    write(edit)
    after = (root / rel).read_text(encoding="utf-8")
    assert _changed(before, after) == [
        ("    staff_group: Midwives and emergency department nurses", "    staff_group: Midwives")
    ]
