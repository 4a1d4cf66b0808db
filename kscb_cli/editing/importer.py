"""Import the spreadsheets partnerships keep: action trackers, review logs, audit logs, agency lists.

A mapping file (YAML, written first by ``kscb import FILE --init-map``) says which column
holds which field. The spreadsheet may be messy the way real trackers are — a title
row, blank rows, headings between sections, a heading split over two rows, merged
cells, dates typed every way (31/03/2026, 31-Mar-26, 31.3.26, Excel serial numbers),
RAG words for statuses, agency names spelled several ways. kscb reads all of that, and
where it cannot be sure it does not guess: the row is rejected with the reason.

Two shapes:

- ``action_plan``: one row per action. Rows go to the plan ``AP-<source>`` of their
  source record (a fixed ``plan.source``, or a ``source`` column). Each action keeps the
  tracker's reference in ``ref``; a re-import finds the action by it and updates it, so
  running an import twice changes nothing and a new week's tracker updates the plan.
  Progress updates and evidence are added as dated entries unless the same text is
  already there.
- every other kind: one row per record, keyed by its ``id`` column (normalised to an id:
  "LCSPR 2025/01" → LCSPR-2025-01). A re-import updates the mapped fields and leaves
  the rest of the record alone.

Every record written validates: before writing, each one is checked with the schema
and every lint rule against the store as it would be; a row whose content causes an
error is rejected with the error, and the record is built again without it. Files are
written with ruamel.yaml in round-trip mode, so a record edited since (comments, other
fields) keeps every comment and layout on re-import.

The pieces: the mapping and the header row (kscb_cli.editing.import_mapping), a cell as a
value (import_values), action trackers (import_plans), one row per record
(import_records), what would be written (import_result), and the starting mapping
(import_initmap). This module runs them: plan, then write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.import_mapping import Mapping, data_rows, find_layout
from kscb_cli.editing.import_plans import plan_actions
from kscb_cli.editing.import_records import plan_records
from kscb_cli.editing.import_result import ImportResult
from kscb_cli.editing.import_values import Agencies


def run_import(store: Any, file: Path, m: Mapping, *, today: date) -> ImportResult:
    """Plan the import: the records it would write and every row it could not import. Writes nothing."""
    from kscb_cli.editing.sheets import read_grid

    grid, sheet = read_grid(file, m.sheet)
    layout = find_layout(grid, m)
    result = ImportResult([], [], [], [], layout.header_rows, sheet, 0)
    rows = data_rows(grid, layout, m, result)
    agencies = Agencies(store, m.agencies)
    if m.kind == "action_plan":
        plan_actions(store, rows, m, agencies, result, today)
    else:
        plan_records(store, rows, m, agencies, result, today)
    result.records.sort(key=lambda p: p.rel)
    result.rejected.sort(key=lambda r: r.row)
    result.notes.sort(key=lambda r: r.row)
    return result


def write(store: Any, result: ImportResult) -> list[str]:
    """Write the new and updated records atomically; the paths written."""
    from kscb_cli.base.atomic import create_text, write_text

    written = []
    for planned in result.written:
        path = store.root / planned.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if planned.old is None:
            try:
                create_text(path, planned.text)
            except FileExistsError:
                raise KscbError(
                    f"{planned.rel} was created meanwhile by someone else; nothing more was written — run the import again"
                ) from None
        else:
            write_text(path, planned.text, expect=planned.old)
        written.append(planned.rel)
    return written


@dataclass
class Imported:
    """What `import_file` did: the plan, the files written and the commit made (none on a dry run)."""

    result: ImportResult
    written: list[str]
    commit: str | None = None


def import_file(
    store: Any, file: Path, m: Mapping, *, today: date, dry_run: bool = False, commit: bool = False
) -> Imported:
    """`kscb import FILE --map MAPPING`: plan the import, then (unless a dry run) write and, with `commit`, commit.

    Everything is written (and committed) before anything is reported, so a closed pipe
    (``| head``) can never stop the write half-way.
    """
    if commit and not dry_run:
        from kscb_cli.editing.save import require_identity

        require_identity(store.root)
    result = run_import(store, file, m, today=today)
    changed = result.written
    if not changed or dry_run:
        return Imported(result, [])
    written = write(store, result)
    sha = None
    if commit:
        from kscb_cli.editing.save import commit_paths

        sha = commit_paths(
            store.root, written, f"Import {file.name}\n\n" + "\n".join(f"{p.state}: {p.record_id}" for p in changed)
        )
    return Imported(result, written, sha)


__all__ = ["Imported", "import_file", "run_import", "write"]
