"""Spreadsheets out, for board members who want Excel: one row per action (with BRAG) or per record.

CSV is UTF-8 with a byte-order mark, so Excel on Windows opens it with the right
characters (– ’ é), and CRLF line ends. xlsx (openpyxl, the `spreadsheets` extra) has a
bold header row, frozen panes under it, filters, BRAG colours on the BRAG column, dates
as real Excel dates (shown DD/MM/YYYY) and column widths that fit. Rows are in id order
and the files carry no timestamp, so the same store gives the same bytes.

Records classified above the audience (restricted, for the default partnership audience)
are left out and counted, never silently.
"""

from __future__ import annotations

import csv
import io
import typing
from datetime import date
from typing import Any

from kscb_cli.base.audiences import AUDIENCES
from kscb_cli.base.errors import KscbError

LEVEL: dict[str, int] = {audience: i for i, audience in enumerate(AUDIENCES)}
# fill and font colours for the tracker colours (Excel ARGB without alpha)
BRAG_FILL = {"blue": "2F75B5", "red": "C00000", "amber": "FFC000", "green": "70AD47", "withdrawn": "A6A6A6"}
BRAG_FONT = {"blue": "FFFFFF", "red": "FFFFFF", "amber": "000000", "green": "000000", "withdrawn": "000000"}
ACTION_COLUMNS = [
    ("Plan", "plan_id"),
    ("Action", "action_id"),
    ("Source", "source"),
    ("Recommendation", "recommendation"),
    ("What will be done", "action"),
    ("Lead agency", "lead_agency"),
    ("Lead role", "lead_role"),
    ("Workstream", "workstream"),
    ("Status", "status"),
    ("BRAG", "brag"),
    ("Due", "due"),
    ("Original due", "original_due"),
    ("Days (- overdue)", "days"),
    ("Last update", "last_update"),
    ("Completed", "completed"),
]


def table(
    store: Any, kind: str, *, today: date, audience: str = "partnership"
) -> tuple[list[str], list[list[Any]], int]:
    """(headers, rows, records left out) for `kind`."""
    from kscb_cli.model import MODELS

    if kind not in MODELS and kind not in ("action", "actions"):
        from kscb_cli.base.suggest import suggest

        raise KscbError(f"{kind!r} is not a record kind{suggest(kind, MODELS)}; kinds: {', '.join(MODELS)}")
    level = LEVEL[audience]
    if kind in ("action_plan", "action", "actions"):
        from kscb_cli.domain.tracker import action_rows

        hidden = {p.id for p in store.of_kind("action_plan") if LEVEL.get(p.classification, 1) > level}
        rows = [r for r in action_rows(store, today) if r.plan_id not in hidden]
        return [h for h, _ in ACTION_COLUMNS], [[getattr(r, f) for _, f in ACTION_COLUMNS] for r in rows], len(hidden)
    records = sorted(store.of_kind(kind), key=lambda r: r.id)
    shown = [r for r in records if LEVEL.get(r.classification, 1) <= level]
    fields = _columns(MODELS[kind])
    return [f for f, _ in fields], [[_value(r, path) for _, path in fields] for r in shown], len(records) - len(shown)


def _columns(model: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[str, tuple[Any, ...]]]:
    """(header, path) for every field of the model, nested models flattened as dotted names."""
    from pydantic import BaseModel

    from kscb_cli.editing.scaffold import unwrap

    out: list[tuple[str, tuple[Any, ...]]] = []
    head = ["id", "title", "status", "classification"]
    names = sorted(model.model_fields, key=lambda n: head.index(n) if n in head else len(head))
    for name in names:
        info = model.model_fields[name]
        key = info.alias or name
        if key == "kind":
            continue
        sub = [t for t in unwrap(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        if sub and typing.get_origin(info.annotation) is not list:
            out += _columns(sub[0], prefix + (name,))
        else:
            out.append((".".join(p for p in (*prefix, key)), prefix + (name,)))
    return out


def _value(record: Any, path: tuple[Any, ...]) -> Any:
    value = record
    for part in path:
        value = getattr(value, part, None)
        if value is None:
            return None
    if isinstance(value, list):
        if value and hasattr(value[0], "model_fields"):
            return len(value)  # a list of items (findings, actions): how many
        return "; ".join(str(v) for v in value)
    if hasattr(value, "model_fields"):
        return str(value)
    return value


def to_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list[Any]], title: str) -> bytes:
    from kscb_cli.editing.sheets import openpyxl

    module = openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = module.Workbook()
    ws = book.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    brag_col = headers.index("BRAG") + 1 if "BRAG" in headers else None
    for row in rows:
        ws.append([_excel(v) for v in row])
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            widths[c - 1] = max(widths[c - 1], min(60, len(str(value)) if value is not None else 0))
            if c == brag_col and value in BRAG_FILL:
                cell.fill = PatternFill("solid", start_color=BRAG_FILL[value], end_color=BRAG_FILL[value])
                cell.font = Font(bold=True, color=BRAG_FONT[value])
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, width + 2)
    ws.freeze_panes = "B2" if headers and headers[0] in ("Plan", "id") else "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    # no timestamps in the file: the same store gives the same bytes
    book.properties.creator = "kscb"
    fixed = __import__("datetime").datetime(2000, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    buf = io.BytesIO()
    book.save(buf)
    return _stable_zip(buf.getvalue())


def _excel(value: Any) -> Any:
    return value


def _stable_zip(data: bytes) -> bytes:
    """The same workbook with every zip entry dated 1980-01-01, so the bytes do not depend on the clock."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                body = re.sub(
                    rb"<dcterms:(created|modified)([^>]*)>[^<]*<", rb"<dcterms:\1\2>2000-01-01T00:00:00Z<", body
                )
            dst.writestr(fixed, body)
    return out.getvalue()


def export(store: Any, kind: str, fmt: str, *, today: date, audience: str = "partnership") -> tuple[bytes, int]:
    """(file bytes, records left out)."""
    from kscb_cli.privacy.gate import refuse_leaving

    headers, rows, left_out = table(store, kind, today=today, audience=audience)
    cells = ((str(row[0]), header, value) for row in rows for header, value in zip(headers, row, strict=True))
    refuse_leaving(store.root, store.config, cells, audience=audience, what=f"the {fmt} export")
    if fmt == "csv":
        return to_csv(headers, rows), left_out
    return to_xlsx(headers, rows, "Actions" if kind in ("action_plan", "action", "actions") else kind), left_out


__all__ = ["export", "table", "to_csv", "to_xlsx"]
