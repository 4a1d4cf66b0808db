"""Write a store's warehouse tables as Parquet (records, items, clocks) with a manifest.

The folder written holds ``records.parquet``, ``items.parquet``, ``clocks.parquet`` and
``manifest.json`` (partnership, as-of date, audience, schema version, row counts, records
left out by the audience and files that could not be read). The bytes depend only on the
store, the as-of date, the audience and the pyarrow version: rows are sorted, the schemas
are explicit (kscb_cli.warehouse.schema), and no timestamp is written anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kscb_cli.base.audiences import AUDIENCES
from kscb_cli.base.errors import KscbError
from kscb_cli.warehouse.deps import need
from kscb_cli.warehouse.rows import Tables
from kscb_cli.warehouse.schema import SCHEMA_VERSION, TABLES, arrow_schema

MANIFEST = "manifest.json"
FORMAT = "kscb-warehouse"


def file_name(table: str) -> str:
    return f"{table}.parquet"


def to_bytes(table: str, rows: list[dict[str, Any]], meta: dict[str, str]) -> bytes:
    """One table's rows as Parquet bytes, in the explicit schema."""
    pa = need("pyarrow")
    pq = need("pyarrow.parquet")
    schema = arrow_schema(pa, table).with_metadata({**arrow_schema(pa, table).metadata, **_bytes_meta(meta)})
    columns = {name: [row[name] for row in rows] for name, _, _, _ in TABLES[table]}
    data = pa.Table.from_pydict(columns, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(data, sink, compression="zstd", write_statistics=True, row_group_size=128 * 1024)
    return bytes(sink.getvalue().to_pybytes())


def _bytes_meta(meta: dict[str, str]) -> dict[bytes, bytes]:
    return {f"kscb.{k}".encode(): v.encode() for k, v in sorted(meta.items())}


def manifest(t: Tables) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "partnership": t.partnership,
        "as_of": t.as_of.isoformat(),
        "audience": t.audience,
        "rows": {name: len(rows) for name, rows in t.rows.items()},
        "left_out": t.left_out,
        "unread": t.unread,
        "partial": t.partial,
    }


def write(t: Tables, out: Path) -> dict[str, Any]:
    """Write the three tables and the manifest into the folder `out` (made if missing); return the manifest."""
    from kscb_cli.base.atomic import write_bytes

    if out.exists() and not out.is_dir():
        raise KscbError(f"{out} is a file; give a folder with --out")
    out.mkdir(parents=True, exist_ok=True)
    meta = {"partnership": t.partnership, "as_of": t.as_of.isoformat(), "audience": t.audience}
    for table in TABLES:
        write_bytes(out / file_name(table), to_bytes(table, t.rows[table], meta))
    doc = manifest(t)
    write_bytes(out / MANIFEST, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())
    return doc


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an export folder, or None when `folder` is not one."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KscbError(f"{path}: not a kscb warehouse manifest ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise KscbError(
            f"{folder} was exported with warehouse schema {doc.get('schema_version')}, this kscb reads {SCHEMA_VERSION}: export it again"
        )
    wrong = [name for name, kind in MANIFEST_FIELDS.items() if not isinstance(doc.get(name), kind)]
    if wrong or doc["audience"] not in AUDIENCES or set(doc["rows"]) != set(TABLES):
        raise KscbError(
            f"{path}: not a whole kscb warehouse manifest ({', '.join(wrong) or 'audience, rows'}): export it again"
        )
    return doc


# what `kscb region` reads from a manifest, with its type
MANIFEST_FIELDS: dict[str, type] = {
    "partnership": str,
    "as_of": str,
    "audience": str,
    "rows": dict,
    "left_out": int,
    "unread": list,
    "partial": list,
}


def export(store: Any, out: Path, today: Any, audience: str = "partnership") -> dict[str, Any]:
    """Export an open store into the folder `out`; return the manifest."""
    from kscb_cli.privacy.gate import refuse_leaving
    from kscb_cli.warehouse.rows import tables

    need("pyarrow")  # before any work: the clean error first
    t = tables(store, today, audience)
    cells = (
        (str(row.get("record_id") or row.get("id")), f"{table}.{column}", value)
        for table, rows in sorted(t.rows.items())
        for row in rows
        for column, value in row.items()
        if isinstance(value, str)
    )
    refuse_leaving(store.root, store.config, cells, audience=audience, what="the parquet export")
    return write(t, out)


__all__ = ["FORMAT", "MANIFEST", "export", "file_name", "manifest", "read_manifest", "to_bytes", "write"]
