"""The Parquet schema of the warehouse, as plain data: one table of columns per file.

The columns are stated here once, without pyarrow, so that docs/warehouse.md can be
checked against them (tests/test_warehouse_docs.py) and ``arrow_schema`` builds the
explicit pyarrow schema the writer uses. A column is (name, type, nullable, meaning);
types are ``string``, ``date``, ``int32``, ``bool``, ``list<string>`` and
``map<string,date>``. ``SCHEMA_VERSION`` changes whenever a column is added, removed,
renamed or changes type; adding a table does not change the old ones.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1

Column = tuple[str, str, bool, str]

RECORDS: list[Column] = [
    ("partnership", "string", False, "kscb.yaml partnership.short_name of the store"),
    ("kind", "string", False, "record kind (review, audit, action_plan, ...)"),
    ("id", "string", False, "record id, unique within the partnership"),
    ("title", "string", False, "the record's short title (never a real name: RECORDS.md)"),
    ("status", "string", False, "lifecycle status"),
    ("classification", "string", False, "public, partnership or restricted"),
    ("workstream", "string", True, "lead workstream id"),
    ("priorities", "list<string>", False, "board priority ids"),
    ("themes", "list<string>", False, "the record's own theme ids (its findings' themes are in items)"),
    ("date", "date", True, "the record's key date (KEY_DATES in kscb_cli/warehouse/rows.py)"),
    ("year", "int32", True, "the year of `date`"),
    ("dates", "map<string,date>", False, "every top-level date field of the record, by field name"),
    ("items", "int32", False, "how many items the record holds (rows in items.parquet)"),
]

ITEMS: list[Column] = [
    ("partnership", "string", False, "as in records"),
    ("record_kind", "string", False, "kind of the record holding the item"),
    ("record_id", "string", False, "id of the record holding the item"),
    ("list_name", "string", False, "findings, recommendations, actions, standards or training_needs"),
    ("position", "int32", False, "0-based place of the item in its list"),
    ("id", "string", False, "item id (F1, R2, A3, S1, ...)"),
    ("type", "string", True, "finding: systemic, good_practice or practice_issue"),
    ("category", "string", True, "finding: its category"),
    ("themes", "list<string>", False, "finding or training need: theme ids"),
    ("findings", "list<string>", False, "recommendation: the findings it answers"),
    ("response", "string", True, "recommendation: pending, accepted, partially_accepted, not_accepted"),
    ("recommendation", "string", True, "action: the recommendation it answers (ID#ITEM)"),
    ("lead_agency", "string", True, "action: lead agency id"),
    ("status", "string", True, "action: its status"),
    ("due", "date", True, "action: effective due date (the approved revised date, else the original)"),
    ("original_due", "date", True, "action: the original due date"),
    ("completed", "date", True, "action: when it was completed"),
    ("brag", "string", True, "action: tracker colour as of `as_of` (red, amber, green, blue, withdrawn, draft)"),
    ("standard", "string", True, "section 11 standard: which standard"),
    ("rating", "string", True, "section 11 standard: its rating"),
    ("change", "string", True, "section 11 standard: the stated change since the last return"),
    ("priority", "string", True, "training need: its priority"),
    ("staff_group", "string", True, "training need: the staff group"),
    ("agencies", "list<string>", False, "training need: agency ids"),
    ("as_of", "date", False, "the day `brag` was computed for"),
]

CLOCKS: list[Column] = [
    ("partnership", "string", False, "as in records"),
    ("record_kind", "string", False, "kind of the clocked record; `partnership` for a kscb.yaml clock"),
    ("record_id", "string", False, "id of the clocked record (the year's id for a partnership clock)"),
    ("clock", "string", False, "clock name (docs/clocks.md)"),
    ("label", "string", False, "what the clock is, in words"),
    ("statutory", "bool", False, "statutory (true) or a local expectation (false)"),
    ("regime", "string", True, "2006 or 2018 regime, where the clock depends on it"),
    ("start", "date", False, "the day the clock started"),
    ("due", "date", False, "the deadline in force (the extended one where an extension was agreed)"),
    ("original_due", "date", True, "the deadline before an extension"),
    ("done", "date", True, "the day the milestone was met, if it was"),
    ("state", "string", False, "as of `as_of`: met, missed, overdue, due_soon or running"),
    ("outcome", "string", False, "met, missed (done late, or overdue) or open (running, due_soon)"),
    ("as_of", "date", False, "the day the state was computed for"),
]

TABLES: dict[str, list[Column]] = {"records": RECORDS, "items": ITEMS, "clocks": CLOCKS}

# the order rows are written in, so the same store gives the same bytes
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "records": ("kind", "id"),
    "items": ("record_id", "list_name", "position"),
    "clocks": ("record_id", "clock", "due"),
}


def arrow_type(pa: Any, name: str) -> Any:
    """The pyarrow type for one of the type names above."""
    simple = {"string": pa.string(), "date": pa.date32(), "int32": pa.int32(), "bool": pa.bool_()}
    if name in simple:
        return simple[name]
    if name == "list<string>":
        return pa.list_(pa.string())
    if name == "map<string,date>":
        return pa.map_(pa.string(), pa.date32())
    raise ValueError(f"unknown column type {name!r}")


def arrow_schema(pa: Any, table: str) -> Any:
    """The explicit pyarrow schema of `table`, with the schema version in its metadata."""
    fields = [pa.field(name, arrow_type(pa, kind), nullable=nullable) for name, kind, nullable, _ in TABLES[table]]
    return pa.schema(fields, metadata={"kscb.table": table, "kscb.schema_version": str(SCHEMA_VERSION)})


__all__ = ["CLOCKS", "ITEMS", "RECORDS", "SCHEMA_VERSION", "SORT_KEYS", "TABLES", "arrow_schema", "arrow_type"]
