"""kscb import and export on a 200-row messy tracker (tests/data/import), as CSV and as .xlsx."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"
TODAY = "2026-03-14"


@pytest.fixture
def store(tmp_path, cli):
    """A fresh store with the sample agencies, reviews and audits imported from their logs."""

    def make(name: str = "store") -> Path:
        root = tmp_path / name
        assert cli("init", str(root), "--no-input", "--no-hook").code == 0
        for log in ("agencies", "reviews", "audits"):
            result = cli(
                "import",
                str(DATA / f"{log}.csv"),
                "--map",
                str(DATA / f"{log}.mapping.yaml"),
                "--as-of",
                TODAY,
                cwd=root,
            )
            assert result.code == 0, result.out + result.err
        return root

    return make


def _xlsx(path: Path) -> Path:
    """The tracker as Excel keeps it: merged title and headings, real dates and serial numbers in some cells."""
    openpyxl = pytest.importorskip("openpyxl")
    rows = list(csv.reader(io.StringIO((DATA / "tracker.csv").read_text(encoding="utf-8-sig"), newline="")))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tracker"
    sections = []
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if not value:
                continue
            cell = ws.cell(row=r, column=c)
            if c in (7, 10, 12) and r > 5:
                if re.fullmatch(r"\d{5}", value):
                    cell.value = int(value)  # an Excel serial number
                    continue
                if re.fullmatch(r"\d{2}/\d{2}/\d{4}", value) and value != "31/02/2026":
                    cell.value = datetime.strptime(value, "%d/%m/%Y")  # a real date cell
                    cell.number_format = "DD/MM/YYYY"
                    continue
            cell.value = value
        if row[0].startswith("Section"):
            sections.append(r)
    ws.merge_cells("A1:M1")
    ws.merge_cells("A2:M2")
    ws.merge_cells("E4:F4")  # "Lead" over Agency | Officer role
    for r in sections:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=13)  # a section heading across the row
        ws.merge_cells(start_row=r + 1, start_column=2, end_row=r + 10, end_column=2)  # the review, merged down
    book.save(path)
    return path


def _records(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted((root / "records").rglob("*.yaml"))}


def test_the_messy_tracker_imports_into_valid_records_and_again_changes_nothing(store, cli):
    root = store()
    mapping = str(DATA / "tracker.mapping.yaml")
    dry = cli("import", str(DATA / "tracker.csv"), "--map", mapping, "--dry-run", "--as-of", TODAY, cwd=root)
    assert dry.code == 1  # some rows cannot be imported
    assert not (root / "records" / "action-plans" / "AP-LR-2025-001.yaml").exists()
    assert "dry run: nothing written (4 records would change)" in dry.out
    assert "--- records/action-plans/AP-LR-2025-001.yaml (new)" in dry.out
    first = cli("import", str(DATA / "tracker.csv"), "--map", mapping, "--as-of", TODAY, cwd=root)
    assert first.code == 1 and "wrote 4 records" in first.out
    from kscb_cli.editing.import_mapping import load_mapping
    from kscb_cli.editing.importer import run_import
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    loaded = Store.open(root, config=load_config(root))
    result = run_import(
        loaded, DATA / "tracker.csv", load_mapping(DATA / "tracker.mapping.yaml"), today=datetime(2026, 3, 14).date()
    )
    imported = {n for p in result.records for n in p.rows}
    rejected = {r.row for r in result.rejected}
    # every data row is either imported or rejected with a reason, never both, never neither
    assert result.rows == 201  # 200 actions and one row pasted twice
    assert not imported & rejected and len(imported) + len(rejected) == result.rows
    actions = sum(
        len(e.record.actions) for e in loaded.entries if e.record is not None and e.record.kind == "action_plan"
    )
    assert actions == len(imported) == sum(p.items for p in result.records)
    # the dry run listed every one of them with its reason
    for r in result.rejected:
        assert f"  row {r.row}: {r.reason}" in dry.out
    reasons = " ".join(r.reason for r in result.rejected)
    for expected in (
        "gives a month but no day",
        "is not a real day",
        "is not a date",
        "is not one of the store's agencies",
        "no success measure",
        "'On hold' is not a word kscb knows",
        "but no evidence",
        "again (first on row",
    ):
        assert expected in reasons, expected
    assert "did you mean EDU (Northdale Education Service)" in reasons
    skipped = {r.reason.split(" (")[0] for r in result.skipped}
    assert skipped == {"blank row", "a heading row", "the header row again"}
    # every record written validates
    lint = cli("lint", "--as-of", TODAY, cwd=root)
    assert (
        lint.code == 0
        and lint.out.splitlines()[-1].startswith("0 errors,")
        and lint.out.splitlines()[-1].endswith("in 14 files")
    )
    # agencies spelled several ways all went to the right ids; statuses and dates came through
    plan = (root / "records" / "action-plans" / "AP-LR-2025-001.yaml").read_text()
    assert "ref: '1.1'" in plan and "lead_agency: NC-CS" in plan and "due: 2026-06-30" in plan and "&id" not in plan
    before = _records(root)
    second = cli("import", str(DATA / "tracker.csv"), "--map", mapping, "--as-of", TODAY, cwd=root)
    assert "nothing to change" in second.out and second.out.count("  unchanged ") == 4
    assert _records(root) == before


def test_the_same_tracker_as_xlsx_gives_the_same_records(store, cli, tmp_path):
    from_csv, from_xlsx = store("a"), store("b")
    mapping = str(DATA / "tracker.mapping.yaml")
    cli("import", str(DATA / "tracker.csv"), "--map", mapping, "--as-of", TODAY, cwd=from_csv)
    book = _xlsx(tmp_path / "tracker.xlsx")
    result = cli("import", str(book), "--map", mapping, "--as-of", TODAY, cwd=from_xlsx)
    assert "sheet 'Tracker'" in result.out and "wrote 4 records" in result.out
    assert _records(from_xlsx) == _records(from_csv)


def test_a_newer_tracker_updates_actions_by_ref_and_keeps_hand_edits(store, cli, tmp_path):
    root = store()
    mapping = str(DATA / "tracker.mapping.yaml")
    cli("import", str(DATA / "tracker.csv"), "--map", mapping, "--as-of", TODAY, cwd=root)
    plan = root / "records" / "action-plans" / "AP-LR-2025-001.yaml"
    plan.write_text("# Reviewed at the March board.\n" + plan.read_text())
    newer = (
        (DATA / "tracker.csv")
        .read_text(encoding="utf-8-sig")
        .replace(
            "1.4,,,Add professional curiosity prompts to the assessment template,Probation,Designated Safeguarding Lead adviser,2026-09-30,Not started,,,",
            "1.4,,,Add professional curiosity prompts to the assessment template,Probation,Designated Safeguarding Lead adviser,2026-09-30,Green,Template drafted,20/03/2026,",
        )
    )
    assert newer != (DATA / "tracker.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "newer.csv").write_text(newer, encoding="utf-8")
    result = cli("import", str(tmp_path / "newer.csv"), "--map", mapping, "--as-of", TODAY, cwd=root)
    assert "  updated       AP-LR-2025-001" in result.out and result.out.count("  unchanged ") == 3
    text = plan.read_text()
    assert text.startswith("# Reviewed at the March board.\n")
    a4 = text.split("  - id: A4\n")[1].split("  - id: A5\n")[0]
    assert "status: in_progress" in a4 and "{date: 2026-03-20, text: Template drafted}" in a4
    assert text.count("  - id: A") == 45  # updated in place, never duplicated


def test_init_map_writes_a_starting_mapping_from_the_headers(store, cli, tmp_path):
    root = store()
    out = tmp_path / "start.yaml"
    result = cli(
        "import", str(DATA / "tracker.csv"), "--kind", "action_plan", "--init-map", "--map", str(out), cwd=root
    )
    assert result.code == 0, result.err
    import yaml

    doc = yaml.safe_load(out.read_text())
    assert doc["header_rows"] == [4, 5]
    assert (
        doc["columns"]["due"] == "Target date"
        and doc["columns"]["lead_role"] == "Officer role"
        and doc["columns"]["ref"] == "Ref"
    )
    assert doc["values"]["status"]["Amber"] == "in_progress" and doc["values"]["status"]["Blue"] == "complete"
    assert "# Northdale District NHS FT: NDFT" in out.read_text() and "# Agency:" not in out.read_text()
    assert (
        cli(
            "import", str(DATA / "tracker.csv"), "--kind", "action_plan", "--init-map", "--map", str(out), cwd=root
        ).code
        == 2
    )  # never overwritten


def test_a_bad_mapping_is_a_clear_error(store, cli, tmp_path):
    root = store()
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: action_plan\ncolumns:\n  due: Deadline\n  ref: Ref\n  action: Action\n")
    result = cli("import", str(DATA / "tracker.csv"), "--map", str(bad), cwd=root)
    assert result.code == 2 and "due (Deadline" in result.err and "Target date" in result.err
    bad.write_text("kind: action_plan\ncolums: {}\n")
    result = cli("import", str(DATA / "tracker.csv"), "--map", str(bad), cwd=root)
    assert result.code == 2 and "bad.yaml:2:1: unknown key 'colums'; did you mean 'columns'?" in result.err


def test_export_csv_has_a_bom_and_xlsx_has_headers_frozen_panes_colours_and_dates(store, cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    root = store()
    cli("import", str(DATA / "tracker.csv"), "--map", str(DATA / "tracker.mapping.yaml"), "--as-of", TODAY, cwd=root)
    out = tmp_path / "tracker.csv"
    assert cli("export", "action_plan", "--out", str(out), "--as-of", TODAY, cwd=root).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfPlan,Action,Source") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    book_path = tmp_path / "tracker.xlsx"
    assert (
        cli("export", "action_plan", "--format", "xlsx", "--out", str(book_path), "--as-of", TODAY, cwd=root).code == 0
    )
    ws = openpyxl.load_workbook(book_path).active
    assert ws.freeze_panes == "B2" and ws["A1"].font.bold and [c.value for c in ws[1]] == rows[0]
    assert ws.max_row == len(rows)
    brag = rows[0].index("BRAG") + 1
    colours = {
        ws.cell(row=r, column=brag).value: ws.cell(row=r, column=brag).fill.start_color.rgb
        for r in range(2, ws.max_row + 1)
    }
    assert colours["red"].endswith("C00000") and colours["blue"].endswith("2F75B5")
    due = ws.cell(row=2, column=rows[0].index("Due") + 1)
    assert isinstance(due.value, datetime) and due.number_format == "DD/MM/YYYY"
    again = tmp_path / "again.xlsx"
    cli("export", "action_plan", "--format", "xlsx", "--out", str(again), "--as-of", TODAY, cwd=root)
    assert again.read_bytes() == book_path.read_bytes()  # byte-stable
    reviews = cli("export", "review", "--as-of", TODAY, cwd=root)
    header = reviews.out.lstrip("\ufeff").splitlines()[0]
    assert header.startswith("id,title,status,classification") and "lead_reviewer.role" in header
