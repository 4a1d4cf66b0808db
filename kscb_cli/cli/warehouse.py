"""`kscb export --format parquet` (the warehouse tables of one store) and `kscb region` (DuckDB over many)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import RECORDS
from kscb_cli.cli.common import AsOfOpt, Format, audience_option, format_option, open_records, split, today

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "stores": [
        ("partnership", "Partnership"),
        ("records", "Records"),
        ("items", "Items"),
        ("clocks", "Clocks"),
        ("left_out", "Left out (audience)"),
        ("unreadable", "Unreadable"),
        ("partial", "Partly read"),
    ],
    "actions_by_brag": [("partnership", "Partnership")]
    + [(b, b.capitalize()) for b in ("red", "amber", "green", "blue", "withdrawn", "draft")]
    + [("total", "Total")],
    "themes_by_year": [("theme", "Theme"), ("year", "Year"), ("partnerships", "Partnerships"), ("records", "Records")],
    "clocks_missed": [
        ("partnership", "Partnership"),
        ("clocks", "Clocks"),
        ("met", "Met"),
        ("missed", "Missed"),
        ("overdue", "Overdue"),
        ("open", "Open"),
        ("statutory_missed", "Statutory missed or overdue"),
    ],
}
TITLES = {
    "stores": "Stores",
    "actions_by_brag": "Actions by BRAG",
    "themes_by_year": "Themes by year (reviews and audits)",
    "clocks_missed": "Clocks per partnership",
}


def export_parquet(store: str | None, out: Path | None, as_of: str | None, audience: str) -> None:
    """The work of `kscb export --format parquet --out DIR`: the store's warehouse tables into DIR."""
    from kscb_cli.warehouse.deps import need
    from kscb_cli.warehouse.parquet import export

    if out is None:
        raise KscbError("--format parquet writes a folder of files: give it with --out DIR")
    need("pyarrow")
    day = today(as_of)
    with open_records(store) as loaded:
        records = (loaded.root / RECORDS).resolve()
        if out.resolve().is_relative_to(records):
            raise KscbError(
                f"--out {out} is inside the store's {RECORDS}/: the Parquet files would be taken for records "
                "(and saved with them); write the export outside records/"
            )
        doc = export(loaded, out, day, audience)
    _say_export(doc, str(out), unread=False)


def _say_export(doc: dict[str, Any], where: str, verb: str = "wrote", unread: bool = True) -> None:
    """What was exported, on stderr; `unread`: also the files that could not be read (open_records already says so)."""
    rows = doc["rows"]
    sys.stderr.write(
        f"kscb: {doc['partnership']}: {verb} {rows['records']} records, {rows['items']} items, {rows['clocks']} clocks ({where})\n"
    )
    if doc["left_out"]:
        sys.stderr.write(
            f"kscb: {doc['partnership']}: {doc['left_out']} record{'s' * (doc['left_out'] != 1)} classified above {doc['audience']} left out\n"
        )
    if not unread:
        return
    for key, what in (("unread", "could not be read: NOT in the export"), ("partial", "partly read: items left out")):
        n = len(doc[key])
        if n:
            sys.stderr.write(
                f"kscb: WARNING {doc['partnership']}: {n} record file{'s' * (n != 1)} {what} — run `kscb lint` in {where}\n"
            )


def region(
    stores: list[Path] = typer.Argument(
        ...,
        metavar="STORE",
        help="Store folders (each exported first), or folders written by `kscb export --format parquet`.",
        show_default=False,
    ),
    query: list[str] | None = typer.Option(
        None,
        "--query",
        "-q",
        metavar="NAME",
        help="Only these tables: stores, actions_by_brag, themes_by_year, clocks_missed (repeat or comma-separate).",
        show_default=False,
    ),
    cache: Path | None = typer.Option(
        None,
        "--cache",
        metavar="DIR",
        help="Keep each store's export in DIR/000, DIR/001, ... in the order given (default: a temporary folder, removed after).",
        show_default=False,
    ),
    lake: Path | None = typer.Option(
        None,
        "--lake",
        metavar="DIR",
        help="Also write every table into DIR partitioned by partnership and kind (DIR/records/partnership=X/kind=Y/), for Spark or Trino.",
        show_default=False,
    ),
    format: Format = format_option(
        Format.table, Format.json, Format.csv, default=Format.table, help="table, json, or csv (one table: --query)."
    ),
    audience: str = audience_option("Leave out records classified above this audience."),
    as_of: str | None = AsOfOpt,
) -> None:
    """Questions across several partnerships' stores, answered by DuckDB over their Parquet.

    Each store is exported as `kscb export --format parquet` would, then DuckDB reads
    every export as one table and counts actions by BRAG per partnership, themes of
    reviews and audits by year, and clocks met, missed and overdue per partnership. The
    stores table says, per partnership, what was left out and what could not be read.
    Needs the warehouse extra: pip install 'kscb[warehouse]'.

    \b
    Examples:
      kscb region ../north ../south ../east --as-of 2026-04-01
      kscb region ../north ../south --query actions_by_brag --format csv
    """
    from kscb_cli.reporting.reporters.table import Section, emit
    from kscb_cli.warehouse.deps import need
    from kscb_cli.warehouse.region import NAMES, run

    names = split(query) or list(NAMES)
    for name in names:
        if name not in NAMES:
            raise KscbError(f"--query {name!r} is not one of {', '.join(NAMES)}")
    if format is Format.csv and len(names) != 1:
        raise KscbError(f"csv holds one table: choose it with --query ({', '.join(NAMES)})")
    need("pyarrow")
    need("duckdb")
    day = today(as_of)
    with tempfile.TemporaryDirectory(prefix="kscb-region-") as scratch:
        folders, manifests = _exports(stores, cache or Path(scratch), day, audience)
        answers = run(folders, manifests, names, lake)
    sections = [
        Section(n, COLUMNS[n], answers[n], title=TITLES[n], right=tuple(k for k, _ in COLUMNS[n][1:])) for n in names
    ]
    # the day the exports were made for: an export folder given as it is keeps its own
    emit(sections, format.value, meta={"as_of": manifests[0]["as_of"], "audience": audience})


def _exports(sources: list[Path], target: Path, day: Any, audience: str) -> tuple[list[Path], list[dict[str, Any]]]:
    """The export folder and manifest of every source: exported into target/<n>, or as given."""
    from kscb_cli.warehouse.parquet import export, read_manifest
    from kscb_cli.warehouse.region import check_partnerships
    from kscb_cli.warehouse.rows import LEVEL

    folders: list[Path] = []
    manifests: list[dict[str, Any]] = []
    for n, source in enumerate(sources):
        ready = read_manifest(source) if source.is_dir() else None
        if ready is not None:
            folder, doc = source, ready
            if LEVEL.get(doc["audience"], len(LEVEL)) > LEVEL[audience]:
                raise KscbError(
                    f"{source} is an export for {doc['audience']}, which sees more than --audience {audience}: "
                    f"export it again with --audience {audience}"
                )
            if doc["as_of"] != day.isoformat() or doc["audience"] != audience:
                sys.stderr.write(
                    f"kscb: {source} is an export as of {doc['as_of']} for {doc['audience']}; used as it is\n"
                )
        elif not (source / "kscb.yaml").is_file():
            raise KscbError(
                f"{source} is neither a store (no kscb.yaml) nor a folder written by `kscb export --format parquet` (no manifest.json)"
            )
        else:
            folder = target / f"{n:03d}"
            with open_records(str(source)) as loaded:  # names its unreadable files, as every command does
                doc = export(loaded, folder, day, audience)
        folders.append(folder)
        manifests.append(doc)
        _say_export(doc, str(source), "read" if ready is not None else "exported")
    check_partnerships(manifests, [str(s) for s in sources])
    return folders, manifests
