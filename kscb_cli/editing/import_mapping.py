"""The mapping file of an import, and where its columns are in the spreadsheet.

A mapping (YAML, written first by ``kscb import FILE --init-map``) says which column holds
which field. `load_mapping` reads and checks it, with the line and column of every
mistake; `find_layout` finds the header row (or a heading split over two rows) and the
column of each mapped field; `data_rows` reads the rows under it, skipping blank rows,
headings between sections and the header repeated, and filling down the mapped fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.dates import NotADate, parse_flexible
from kscb_cli.base.errors import KscbError
from kscb_cli.base.suggest import suggest
from kscb_cli.editing.import_result import ImportResult, Rejected
from kscb_cli.editing.sheets import cell_text, norm

ACTION_FIELDS = (
    "ref",
    "recommendation",
    "action",
    "lead_agency",
    "lead_role",
    "due",
    "status",
    "success_measure",
    "updates",
    "evidence",
    "completed",
    "impact",
)
AGENCY_FIELDS = {"lead_agency", "agency", "agencies", "successor"}


# --- the mapping -----------------------------------------------------------------------------


@dataclass
class Mapping:
    kind: str
    path: Path | None = None
    sheet: str | None = None
    header_rows: list[int] | None = None  # 1-based; None: found automatically
    columns: dict[str, list[str]] = field(default_factory=dict)  # field -> header texts
    defaults: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {word: value}
    agencies: dict[str, str] = field(default_factory=dict)  # a name in the sheet -> agency id
    fill_down: list[str] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)  # action_plan: source, title, status, approved, workstream
    tracker_date: date | None = None  # progress updates without their own date are dated this day


MAPPING_KEYS = (
    "kind",
    "sheet",
    "header_rows",
    "columns",
    "defaults",
    "values",
    "agencies",
    "fill_down",
    "plan",
    "tracker_date",
)


def load_mapping(path: Path, kind: str | None = None) -> Mapping:
    """The mapping file at `path`, checked; `kind` (--kind) must agree with its kind:."""
    from kscb_cli.store.source import SourceError, read_file

    try:
        doc = read_file(Path(path))
    except SourceError as exc:
        raise KscbError(f"{path}:{exc.problem.pos.line}:{exc.problem.pos.col}: {exc.problem.message}") from None
    data = doc.data
    if not isinstance(data, dict):
        raise KscbError(
            f"{path}: a mapping file is a YAML mapping (kind:, columns:, ...); `kscb import FILE --init-map` writes one"
        )

    def where(*loc: Any, key: bool = False) -> str:
        pos = doc.pos(loc, key=key)
        return f"{path}:{pos.line}:{pos.col}"

    for key in data:
        if key not in MAPPING_KEYS:
            raise KscbError(
                f"{where(key, key=True)}: unknown key {key!r}{suggest(str(key), MAPPING_KEYS)}; a mapping has {', '.join(sorted(MAPPING_KEYS))}"
            )
    m = Mapping(_kind(data, kind, path, where), Path(path))
    m.sheet = data.get("sheet")
    m.header_rows = _header_rows(data.get("header_rows"), where)
    m.columns = _columns(data, path, where)
    _check_fields(m, where)
    _tables(m, data, where)
    return m


Where = Callable[..., str]  # a location in the mapping file, as path:line:col


def _kind(data: dict[str, Any], kind: str | None, path: Path, where: Where) -> str:
    from kscb_cli.model import MODELS

    found_kind = kind or data.get("kind")
    if data.get("kind") and kind and data["kind"] != kind:
        raise KscbError(f"{where('kind')}: the mapping is for {data['kind']!r} but --kind {kind} was given")
    if found_kind not in MODELS:
        raise KscbError(
            f"{path}: give the kind of record the rows are (--kind or kind: in the mapping){suggest(str(found_kind), MODELS)}; kinds: {', '.join(MODELS)}"
        )
    return str(found_kind)


def _header_rows(rows: Any, where: Where) -> list[int] | None:
    if rows in (None, "auto"):
        return None
    rows = [rows] if isinstance(rows, int) else rows
    if not isinstance(rows, list) or not all(isinstance(r, int) and r > 0 for r in rows):
        raise KscbError(f"{where('header_rows')}: header_rows is a row number, a list of them ([3, 4]) or auto")
    return sorted(rows)


def _columns(data: dict[str, Any], path: Path, where: Where) -> dict[str, list[str]]:
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise KscbError(
            f"{where('columns') if 'columns' in data else path}: columns: is needed, FIELD: Header text (or a list of header texts)"
        )
    out: dict[str, list[str]] = {}
    for name, headers in columns.items():
        headers = headers if isinstance(headers, list) else [headers]
        if not all(isinstance(h, (str, int, float)) for h in headers):
            raise KscbError(f"{where('columns', name)}: a column is its header text, or a list of them")
        out[str(name)] = [str(h) for h in headers]
    return out


def _tables(m: Mapping, data: dict[str, Any], where: Where) -> None:
    """defaults:, values:, agencies:, plan:, fill_down: and tracker_date: into `m`."""
    for key in ("defaults", "values", "agencies", "plan"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise KscbError(f"{where(key)}: {key}: is a mapping")
        setattr(m, key, value)
    m.values = {str(f): {norm(w): str(v) for w, v in (table or {}).items()} for f, table in m.values.items()}
    m.agencies = {norm(k): str(v) for k, v in m.agencies.items() if v}
    m.fill_down = [
        str(f) for f in data.get("fill_down") or ([] if m.kind != "action_plan" else ["source", "recommendation"])
    ]
    raw = data.get("tracker_date")
    if raw is not None:
        try:
            m.tracker_date = parse_flexible(raw, serials=False)
        except NotADate as exc:
            raise KscbError(f"{where('tracker_date')}: tracker_date {exc}") from None


def _check_fields(m: Mapping, where: Where) -> None:
    names = ACTION_FIELDS + ("source", "updated") if m.kind == "action_plan" else None
    for name in m.columns:
        if names is not None:
            if name not in names:
                raise KscbError(
                    f"{where('columns', name)}: {name!r} is not an action field{suggest(name, names)}; fields: {', '.join(names)}"
                )
        elif field_annotation(m.kind, tuple(name.split("."))) is None:
            raise KscbError(
                f"{where('columns', name)}: {m.kind} has no field {name!r} (dotted for nested fields: lead_reviewer.role)"
            )


def field_annotation(kind: str, path: tuple[Any, ...]) -> Any:
    from kscb_cli.editing.values import field_info

    try:
        _, info = field_info(kind, path)
    except Exception:  # noqa: BLE001 - a path through a non-model field
        return None
    return info.annotation if info is not None else None


# --- headers -------------------------------------------------------------------------------------


@dataclass
class Layout:
    header_rows: list[int]  # 1-based
    columns: dict[str, int]  # field -> 0-based column
    labels: list[str]  # per column, the header text as found


def header_labels(grid: list[list[Any]], rows: list[int]) -> list[list[str]]:
    width = max((len(grid[r - 1]) for r in rows if r - 1 < len(grid)), default=0)
    out = []
    for c in range(width):
        parts: list[str] = []
        for r in rows:
            row = grid[r - 1] if r - 1 < len(grid) else []
            text = cell_text(row[c]) if c < len(row) else None
            if text and text not in parts:
                parts.append(text)
        out.append(parts)
    return out


def header_candidates(parts: list[str]) -> set[str]:
    found = {norm(p) for p in parts}
    if len(parts) > 1:
        found.add(norm(" ".join(parts)))
    return found


def find_layout(grid: list[list[Any]], m: Mapping) -> Layout:
    wanted = {f: {norm(h) for h in hs} for f, hs in m.columns.items()}
    every = set().union(*wanted.values())
    rows = m.header_rows
    if rows is None:
        rows = []
        for i, row in enumerate(grid[:40]):
            hits = sum(1 for v in row if v is not None and norm(cell_text(v) or "") in every)
            if hits >= 2:
                rows = [i + 1]
                break
        if rows:
            # a heading split over two rows ("Lead" over "Agency" | "Officer role"): the next row joins in
            nxt = rows[0]
            if nxt < len(grid):
                below = grid[nxt]
                merged = header_labels(grid, [rows[0], nxt + 1])
                single = header_labels(grid, rows)
                gain = sum(
                    1
                    for c, parts in enumerate(merged)
                    if (header_candidates(parts) & every)
                    and not (c < len(single) and header_candidates(single[c]) & every)
                )
                if gain and all(v is None or isinstance(v, str) for v in below):
                    rows.append(nxt + 1)
    if not rows:
        raise KscbError(
            "no header row found: no row in the first 40 has two of the mapping's column headers "
            f"({', '.join(sorted({h for hs in m.columns.values() for h in hs}))}); set header_rows: in the mapping"
        )
    labels = header_labels(grid, rows)
    columns: dict[str, int] = {}
    for f, names in wanted.items():
        for c, parts in enumerate(labels):
            if header_candidates(parts) & names and c not in columns.values():
                columns[f] = c
                break
    missing = [f for f in m.columns if f not in columns]
    if missing:
        found = [" ".join(p) for p in labels if p]
        detail = "; ".join(f"{f} ({' / '.join(m.columns[f])}{suggest(m.columns[f][0], found)})" for f in missing)
        raise KscbError(
            f"the header row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))} lack{'' if len(rows) > 1 else 's'} the columns for: {detail}; "
            f"headers found: {', '.join(found)}. Fix the header texts under columns: in the mapping"
        )
    return Layout(rows, columns, [" ".join(p) for p in labels])


# --- reading rows ----------------------------------------------------------------------------------------


Rows = list[tuple[int, dict[str, Any]]]  # (row number, {field: cell}) for the data rows of a sheet


def data_rows(grid: list[list[Any]], layout: Layout, m: Mapping, result: ImportResult) -> Rows:
    """(row number, {field: cell}) for every data row; blank, heading and repeated header rows are skipped with a reason."""
    out: Rows = []
    last: dict[str, Any] = {}
    header_norms = {norm(l) for l in layout.labels if l} | {
        norm(cell_text(v)) for r in layout.header_rows for v in grid[r - 1] if cell_text(v)
    }
    for i in range(layout.header_rows[-1], len(grid)):
        row = grid[i]
        number = i + 1
        cells = [cell_text(v) for v in row]
        filled = [c for c in cells if c]
        if not filled:
            result.skipped.append(Rejected(number, "blank row"))
            continue
        if len(set(filled)) == 1:  # one cell, or one merged across the row
            result.skipped.append(Rejected(number, f"a heading row ({filled[0][:60]!r})"))
            continue
        if sum(1 for c in filled if norm(c) in header_norms) >= max(min(2, len(filled)), (len(filled) + 1) // 2):
            result.skipped.append(Rejected(number, "the header row again"))
            continue
        values = {f: (row[c] if c < len(row) else None) for f, c in layout.columns.items()}
        for f, value in list(values.items()):
            if isinstance(value, str) and not value.strip():
                values[f] = None
        for f in m.fill_down:
            if f in values:
                if values[f] is None and f in last:
                    values[f] = last[f]
                elif values[f] is not None:
                    last[f] = values[f]
        out.append((number, values))
    result.rows = len(out)
    return out


__all__ = [
    "ACTION_FIELDS",
    "AGENCY_FIELDS",
    "Layout",
    "Mapping",
    "Rows",
    "data_rows",
    "field_annotation",
    "find_layout",
    "header_candidates",
    "header_labels",
    "load_mapping",
]
