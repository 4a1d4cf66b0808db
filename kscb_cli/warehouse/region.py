"""Cross-store queries through DuckDB over the Parquet exports of several stores (``kscb region``).

Each store is exported (kscb_cli.warehouse.parquet) to a folder of its own, or an export
folder is given as it is; DuckDB then reads every folder's files as one table each
(``read_parquet([...])``) and answers a few regional questions. Nothing is loaded into
Python but the answers.

- ``stores``: per partnership, the rows exported and what was not: records left out by the
  audience, files that could not be read, records with items left out.
- ``actions_by_brag``: actions per partnership by tracker colour.
- ``themes_by_year``: reviews and audits per theme and year, over the region — a record
  counts once per theme it or any of its findings carries, the year of its key date (a
  review's decided date; an audit's reported, else planned date), as ``kscb stats`` counts.
- ``clocks_missed``: statutory and local clocks per partnership: met, missed (done late),
  overdue (not done, past due) and open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.warehouse.deps import need
from kscb_cli.warehouse.parquet import file_name
from kscb_cli.warehouse.schema import SORT_KEYS, TABLES

BRAG_COLUMNS = ("red", "amber", "green", "blue", "withdrawn", "draft")

QUERIES: dict[str, str] = {
    "actions_by_brag": (
        "SELECT partnership, "
        + ", ".join(f"count(*) FILTER (WHERE brag = '{b}') AS {b}" for b in BRAG_COLUMNS)
        + ", count(*) AS total FROM items WHERE list_name = 'actions' GROUP BY partnership ORDER BY partnership"
    ),
    "themes_by_year": """
        WITH tagged AS (
            SELECT partnership, id AS record_id, year, unnest(themes) AS theme
            FROM records WHERE kind IN ('review', 'audit') AND year IS NOT NULL
            UNION
            SELECT r.partnership, r.id, r.year, unnest(i.themes) AS theme
            FROM items i JOIN records r ON r.partnership = i.partnership AND r.id = i.record_id
            WHERE i.list_name = 'findings' AND r.kind IN ('review', 'audit') AND r.year IS NOT NULL
        )
        SELECT theme, year, count(DISTINCT partnership) AS partnerships, count(*) AS records
        FROM (SELECT DISTINCT partnership, record_id, year, theme FROM tagged)
        GROUP BY theme, year ORDER BY theme, year
    """,
    "clocks_missed": """
        SELECT partnership, count(*) AS clocks,
            count(*) FILTER (WHERE state = 'met') AS met,
            count(*) FILTER (WHERE state = 'missed') AS missed,
            count(*) FILTER (WHERE state = 'overdue') AS overdue,
            count(*) FILTER (WHERE outcome = 'open') AS open,
            count(*) FILTER (WHERE outcome = 'missed' AND statutory) AS statutory_missed
        FROM clocks GROUP BY partnership ORDER BY partnership
    """,
}
NAMES = ("stores", *QUERIES)


# the layout for object storage (docs/warehouse.md): hive-style folders, the partition columns in the path
PARTITIONS: dict[str, tuple[str, str]] = {
    "records": ("partnership", "kind"),
    "items": ("partnership", "record_kind"),
    "clocks": ("partnership", "record_kind"),
}


def _quoted(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def run(
    folders: list[Path], manifests: list[dict[str, Any]], names: list[str] | None = None, lake: Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """{query name: rows} over the export `folders` (with their manifests), in NAMES order.

    With `lake`, also write every table there partitioned as object storage holds it:
    ``lake/records/partnership=X/kind=Y/data_0.parquet`` (PARTITIONS), for Spark or Trino.
    """
    duckdb = need("duckdb")
    wanted = names or list(NAMES)
    if lake is not None:
        for table in TABLES:
            check_lake(lake / table)
    con = duckdb.connect(":memory:")
    try:
        for table in TABLES:
            files = [folder / file_name(table) for folder in folders]
            for f in files:
                if not f.is_file():
                    raise KscbError(f"{f} is missing: export the store again")
            listing = ", ".join(_quoted(f) for f in files)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{listing}])")
            if lake is not None:
                _write_lake(con, table, lake)
        out: dict[str, list[dict[str, Any]]] = {}
        for name in wanted:
            if name == "stores":
                out[name] = stores(con, manifests)
            else:
                out[name] = _rows(con, QUERIES[name])
        return out
    finally:
        con.close()


def check_lake(folder: Path) -> None:
    """Refuse to replace `folder` unless it is missing or a table kscb wrote (partnership=X folders only)."""
    if not folder.exists():
        return
    if folder.is_dir() and all(p.name.startswith("partnership=") and p.is_dir() for p in folder.iterdir()):
        return
    raise KscbError(
        f"{folder} holds files kscb region --lake did not write, and --lake replaces it whole: give an empty or new folder"
    )


def _write_lake(con: Any, table: str, lake: Path) -> None:
    """Write `table` partitioned into lake/table, replacing what a previous run wrote there.

    Written into a fresh folder and swapped in whole: DuckDB's OVERWRITE_OR_IGNORE keeps every
    partition the new rows do not touch, so a kind or a partnership (or the restricted records of
    an earlier `--audience restricted` run) that is gone from the stores stayed in the lake.
    """
    import shutil

    target = lake / table
    fresh, old = lake / f".{table}.kscb-new", lake / f".{table}.kscb-old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    fresh.mkdir(parents=True)
    order = ", ".join(SORT_KEYS[table])
    con.execute(
        f"COPY (SELECT * FROM {table} ORDER BY partnership, {order}) TO {_quoted(fresh)} "
        f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS[table])}), OVERWRITE_OR_IGNORE)"
    )
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, _plain(row))) for row in cursor.fetchall()]


def _plain(row: tuple[Any, ...]) -> list[Any]:
    return [int(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row]


def stores(con: Any, manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per partnership: rows in each table (counted by DuckDB) and what was left out or unreadable."""
    counted: dict[str, dict[str, int]] = {}
    for table in TABLES:
        for row in _rows(con, f"SELECT partnership, count(*) AS n FROM {table} GROUP BY partnership"):
            counted.setdefault(row["partnership"], {})[table] = row["n"]
    rows = []
    for m in sorted(manifests, key=lambda m: m["partnership"]):
        n = counted.get(m["partnership"], {})
        rows.append(
            {
                "partnership": m["partnership"],
                "as_of": m["as_of"],
                "audience": m["audience"],
                **{table: n.get(table, 0) for table in TABLES},
                "left_out": m["left_out"],
                "unreadable": len(m["unread"]),
                "partial": len(m["partial"]),
            }
        )
    return rows


def check_partnerships(manifests: list[dict[str, Any]], sources: list[str]) -> None:
    """Refuse two stores of the same partnership (their rows could not be told apart)."""
    seen: dict[str, str] = {}
    for m, source in zip(manifests, sources):
        name = m["partnership"]
        if name in seen:
            raise KscbError(
                f"{seen[name]} and {source} are both partnership {name!r} (kscb.yaml partnership.short_name): "
                "give each store once"
            )
        seen[name] = source
    as_of = {m["as_of"] for m in manifests}
    if len(as_of) > 1:
        raise KscbError(
            f"the exports are as of different days ({', '.join(sorted(as_of))}): export them again with one --as-of"
        )


__all__ = ["BRAG_COLUMNS", "NAMES", "PARTITIONS", "QUERIES", "check_partnerships", "run", "stores"]
