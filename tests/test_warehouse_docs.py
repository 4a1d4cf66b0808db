"""docs/warehouse.md states the warehouse schema: its tables must match kscb_cli/warehouse/schema.py."""

from __future__ import annotations

import re
from pathlib import Path

from kscb_cli.warehouse.rows import KEY_DATES
from kscb_cli.warehouse.schema import SORT_KEYS, TABLES

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"


def _section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n### ", 1)[0]


def test_every_table_and_column_is_documented_as_in_the_code():
    text = DOC.read_text(encoding="utf-8")
    for table, columns in TABLES.items():
        body = _section(text, f"### {table}.parquet\n")
        rows = re.findall(r"^\| `([a-z_]+)` \| `([a-z0-9<>,]+)` \| (yes|no) \| (.+) \|$", body, re.M)
        assert rows == [(n, t, "yes" if null else "no", m) for n, t, null, m in columns], table
        assert ", ".join(f"`{k}`" for k in SORT_KEYS[table]) in body


def test_key_dates_are_documented_as_in_the_code():
    body = _section(DOC.read_text(encoding="utf-8"), "### Key dates\n")
    rows = dict(re.findall(r"^\| `([a-z_0-9]+)` \| (.+) \|$", body, re.M))
    assert rows == {k: ", else ".join(f"`{f}`" for f in v) for k, v in KEY_DATES.items()}


def test_the_schema_needs_no_pyarrow_to_read_but_builds_with_it():
    import pytest

    pa = pytest.importorskip("pyarrow")
    from kscb_cli.warehouse.schema import arrow_schema

    for table, columns in TABLES.items():
        schema = arrow_schema(pa, table)
        assert schema.names == [c[0] for c in columns]
        assert [f.nullable for f in schema] == [c[2] for c in columns]
