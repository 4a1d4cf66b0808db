"""`kscb import` and `kscb export`: spreadsheets in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import (
    AsOfOpt,
    CommitOpt,
    Format,
    StoreOpt,
    audience_option,
    format_option,
    open_store,
    today,
)

if TYPE_CHECKING:
    from kscb_cli.editing.import_result import ImportResult
    from kscb_cli.editing.importer import Imported


def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="The spreadsheet: .xlsx or .csv.", show_default=False),
    kind: str | None = typer.Option(
        None,
        "--kind",
        "-k",
        metavar="KIND",
        help="What each row is: action_plan (one row per action), review, audit, agency, ... (default: the mapping's kind).",
        show_default=False,
    ),
    map_: Path | None = typer.Option(
        None,
        "--map",
        "-m",
        metavar="MAPPING",
        help="The mapping file: which column is which field (write one with --init-map).",
        show_default=False,
    ),
    init_map: bool = typer.Option(
        False,
        "--init-map",
        help="Write a starting mapping from the headers in FILE (to --map, else FILE.mapping.yaml) and stop.",
    ),
    sheet: str | None = typer.Option(
        None,
        "--sheet",
        metavar="NAME",
        help="The sheet to read (default: the mapping's, else the first).",
        show_default=False,
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        "-n",
        help="Show the records that would be written and every row that cannot be imported; write nothing.",
    ),
    commit: bool = CommitOpt,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Bring in a tracker, review log or audit log kept in Excel.

    Reads merged headings, blank rows, headings split over two rows, UK dates and Excel
    serial numbers, RAG words and agency names spelled several ways. A row that cannot be
    imported is listed with the reason; every record written validates. Importing the same
    file twice changes nothing; a newer tracker updates the actions by their Ref. Exit
    status 1 when some rows were not imported.

    \b
    Examples:
      kscb import tracker.xlsx --kind action_plan --init-map
      kscb import tracker.xlsx --map tracker.mapping.yaml --dry-run
      kscb import tracker.xlsx --map tracker.mapping.yaml
      kscb import reviews.csv --kind review --map reviews.mapping.yaml --commit
    """
    from kscb_cli.editing.import_mapping import load_mapping
    from kscb_cli.editing.importer import import_file

    day = today(as_of)
    if init_map:
        _init_map(file, kind, map_, sheet, store)
        return
    if map_ is None:
        raise KscbError(
            f"give the mapping with --map (write a first one with `kscb import {file} --kind KIND --init-map`)"
        )
    mapping = load_mapping(map_, _kind(kind) if kind else None)
    if sheet:
        mapping.sheet = sheet
    done = import_file(open_store(store), file, mapping, today=day, dry_run=dry_run, commit=commit)
    _report(done, file, dry_run)
    raise typer.Exit(1 if done.result.rejected else 0)


def _kind(kind: str) -> str:
    return kind.strip().lower().replace("-", "_")


def _init_map(file: Path, kind: str | None, map_: Path | None, sheet: str | None, store: str | None) -> None:
    from kscb_cli.editing.import_initmap import write_mapping

    if kind is None:
        raise KscbError("--init-map needs --kind: what each row is (action_plan, review, audit, agency, ...)")
    map_path = map_ or file.with_name(file.stem + ".mapping.yaml")
    try:
        loaded = open_store(store)
    except KscbError:
        loaded = None  # no store yet: the mapping is still useful, without agency suggestions
    write_mapping(file, _kind(kind), loaded, sheet, map_path)
    typer.echo(f"wrote {map_path}: check it, then `kscb import {file} --map {map_path} --dry-run`")


def _report(done: Imported, file: Path, dry_run: bool) -> None:
    """On stdout: the header rows found, each record planned, the rows not imported and why, and what was written."""
    result = done.result
    out = sys.stdout
    where = f"{file}" + (f" sheet {result.sheet!r}" if result.sheet else "")
    out.write(
        f"{where}: header row{'s' if len(result.header_rows) > 1 else ''} {', '.join(map(str, result.header_rows))}, "
        f"{result.rows} data row{'s' * (result.rows != 1)}\n"
    )
    verb = {
        "new": "would create" if dry_run else "created",
        "updated": "would update" if dry_run else "updated",
        "unchanged": "unchanged",
    }
    for p in result.records:
        extra = f" ({p.items} actions; rows {_ranges(p.rows)})" if p.kind == "action_plan" else f" (row {p.rows[0]})"
        out.write(f"  {verb[p.state]:<13} {p.record_id}  {p.rel}{extra}\n")
    if dry_run and result.written:
        out.write("\n")
        for p in result.written:
            out.write(f"--- {p.rel} ({'new' if p.old is None else 'updated'})\n{p.text}")
            if not p.text.endswith("\n"):
                out.write("\n")
    _report_rows(result)
    out.write(_outcome(done, file, dry_run))


def _report_rows(result: ImportResult) -> None:
    """The rows not imported, the notes, and the rows skipped as not data."""
    out = sys.stdout
    if result.rejected:
        out.write(f"\n{len(result.rejected)} row{'s' * (len(result.rejected) != 1)} not imported:\n")
        for r in result.rejected:
            out.write(f"  row {r.row}: {r.reason}\n")
    if result.notes:
        out.write("\nnotes:\n")
        for r in result.notes:
            out.write(f"  row {r.row}: {r.reason}\n")
    if result.skipped:
        kinds: dict[str, list[int]] = {}
        for r in result.skipped:
            kinds.setdefault(r.reason.split(" (")[0], []).append(r.row)
        out.write(
            "\nskipped (not data): " + "; ".join(f"{k}: rows {_ranges(v)}" for k, v in sorted(kinds.items())) + "\n"
        )


def _outcome(done: Imported, file: Path, dry_run: bool) -> str:
    """The last line: what was (or would be) written, and committed."""
    changed, written = done.result.written, done.written
    if dry_run:
        return f"\ndry run: nothing written ({len(changed)} record{'s' * (len(changed) != 1)} would change)\n"
    if changed:
        if done.commit:
            return f"\nwrote {len(written)} record{'s' * (len(written) != 1)} and committed {done.commit[:10]}\n"
        return f'\nwrote {len(written)} record{"s" * (len(written) != 1)}; `kscb status` shows them, `kscb save "Imported {file.name}"` saves them\n'
    if done.result.records:
        return "\nnothing to change: the store already holds what the spreadsheet says\n"
    return "\nnothing written\n"


def _ranges(numbers: list[int]) -> str:
    """1,2,3,5 → 1-3, 5."""
    out: list[str] = []
    for n in sorted(numbers):
        if (
            out
            and "-" not in out[-1]
            and int(out[-1]) == n - 1
            or out
            and "-" in out[-1]
            and int(out[-1].split("-")[1]) == n - 1
        ):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def export(
    kind: str | None = typer.Argument(
        None,
        metavar="KIND",
        help="action_plan (one row per action, with BRAG), or any record kind (one row per record); none with parquet.",
        show_default=False,
    ),
    format: Format = format_option(
        Format.csv,
        Format.xlsx,
        Format.parquet,
        default=Format.csv,
        help="csv (UTF-8 with a BOM, for Excel), xlsx, or parquet (every record, item and clock: docs/warehouse.md).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Where to write (default: stdout for csv; KIND.xlsx for xlsx; parquet needs a folder).",
        show_default=False,
    ),
    audience: str = audience_option("Leave out records classified above this audience."),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """A spreadsheet of one kind of record, for board members who want Excel.

    xlsx has a header row, frozen panes, BRAG colours and real dates; CSV has a BOM so
    Excel on Windows reads it as UTF-8. Restricted records are left out unless
    --audience restricted. --format parquet writes every record, item and clock of
    the store (no KIND) as Parquet files into the --out folder, for `kscb region`
    and other engines (docs/warehouse.md; needs pip install 'kscb[warehouse]').

    \b
    Examples:
      kscb export action_plan --format xlsx --out tracker.xlsx
      kscb export review --format csv > reviews.csv
      kscb export --format parquet --out warehouse/
    """
    from kscb_cli.base.atomic import write_bytes
    from kscb_cli.editing.export import export as run

    if format is Format.parquet:
        from kscb_cli.cli.warehouse import export_parquet

        if kind is not None:
            raise KscbError("--format parquet exports every kind at once: leave out KIND")
        return export_parquet(store, out, as_of, audience)
    if kind is None:
        raise KscbError("give the KIND to export (action_plan, review, ...), or --format parquet for everything")
    day = today(as_of)
    loaded = open_store(store)
    data, left_out = run(loaded, kind.strip().lower().replace("-", "_"), format.value, today=day, audience=audience)
    if left_out:
        sys.stderr.write(f"kscb: {left_out} record{'s' * (left_out != 1)} classified above {audience} left out\n")
    if out is None and format is Format.csv:
        sys.stdout.buffer.write(data)
        return
    target = out or Path(f"{kind}.xlsx")
    if target.exists() and target.is_dir():
        raise KscbError(f"{target} is a folder; give a file name with --out")
    write_bytes(target, data)
    sys.stderr.write(f"kscb: wrote {target}\n")
