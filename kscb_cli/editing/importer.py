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
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.dates import NotADate, parse_flexible
from kscb_cli.base.errors import KscbError
from kscb_cli.model.kinds import ACTION_DONE

# The words trackers use for an action's state, and the status each means. A tracker's own
# words go in the mapping's `values: {status: {...}}`, which is read first.
RAG_STATUS = {
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "blue": "complete",
    "closed": "complete",
    "achieved": "complete",
    "finished": "complete",
    "embedded": "embedded",
    "green": "in_progress",
    "amber": "in_progress",
    "red": "in_progress",
    "ongoing": "in_progress",
    "in progress": "in_progress",
    "on track": "in_progress",
    "started": "in_progress",
    "off track": "in_progress",
    "at risk": "in_progress",
    "delayed": "in_progress",
    "partially complete": "in_progress",
    "overdue": "in_progress",
    "not started": "not_started",
    "not yet started": "not_started",
    "pending": "not_started",
    "not due": "not_started",
    "withdrawn": "withdrawn",
    "superseded": "withdrawn",
    "cancelled": "withdrawn",
    "no longer required": "withdrawn",
}
RAG_COLOUR = {"red": "red", "amber": "amber", "green": "green", "blue": "blue", "complete": "blue", "completed": "blue"}

# Headers a tracker or log uses for each field (normalised), for --init-map.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "action_plan": {
        "ref": ("ref", "ref no", "reference", "no", "number", "action no", "action ref", "id"),
        "source": ("review", "source", "review ref", "source review", "audit"),
        "recommendation": ("recommendation", "recommendation no", "rec", "rec no", "recommendations"),
        "action": ("action", "actions", "action to be taken", "action required", "agreed action"),
        "lead_agency": ("lead agency", "agency", "organisation", "lead organisation", "lead", "responsible agency"),
        "lead_role": (
            "lead officer role",
            "lead officer",
            "lead role",
            "officer role",
            "role",
            "responsible officer",
            "lead person role",
        ),
        "due": (
            "target date",
            "due",
            "due date",
            "deadline",
            "timescale",
            "target",
            "completion date target",
            "by when",
        ),
        "status": ("rag", "rag rating", "status", "rag status", "progress rag", "brag"),
        "updates": ("progress update", "progress", "update", "updates", "progress to date", "comments"),
        "updated": ("last updated", "update date", "date updated", "date of update"),
        "evidence": ("evidence", "evidence of completion", "evidence of impact", "evidence provided"),
        "completed": ("date completed", "completed", "completed on", "completion date", "date closed"),
        "success_measure": (
            "success measure",
            "measure of success",
            "outcome",
            "how will we know",
            "success criteria",
            "intended outcome",
        ),
    },
}
ENTRY_FIELDS = ("updates", "evidence")
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


def norm(text: Any) -> str:
    """A header or name compared loosely: case, punctuation, '&', spaces."""
    value = str(text).lower().replace("&", " and ")
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return " ".join(value.split())


def to_id(text: Any) -> str:
    """A cell as a record id: "lcspr 2025/01" → LCSPR-2025-01."""
    return "-".join(re.sub(r"[^A-Z0-9]+", " ", str(text).upper()).split())


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers as typed (1.0 → 1), dates as ISO."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return text or None


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


def load_mapping(path: Path, kind: str | None = None) -> Mapping:
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

    def where(*loc, key: bool = False) -> str:
        pos = doc.pos(loc, key=key)
        return f"{path}:{pos.line}:{pos.col}"

    allowed = {
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
    }
    for key in data:
        if key not in allowed:
            from kscb_cli.store.validate import suggest

            raise KscbError(
                f"{where(key, key=True)}: unknown key {key!r}{suggest(str(key), allowed)}; a mapping has {', '.join(sorted(allowed))}"
            )
    from kscb_cli.model import MODELS

    found_kind = kind or data.get("kind")
    if data.get("kind") and kind and data["kind"] != kind:
        raise KscbError(f"{where('kind')}: the mapping is for {data['kind']!r} but --kind {kind} was given")
    if found_kind not in MODELS:
        from kscb_cli.store.validate import suggest

        raise KscbError(
            f"{path}: give the kind of record the rows are (--kind or kind: in the mapping){suggest(str(found_kind), MODELS)}; kinds: {', '.join(MODELS)}"
        )
    m = Mapping(found_kind, Path(path))
    m.sheet = data.get("sheet")
    rows = data.get("header_rows")
    if rows not in (None, "auto"):
        rows = [rows] if isinstance(rows, int) else rows
        if not isinstance(rows, list) or not all(isinstance(r, int) and r > 0 for r in rows):
            raise KscbError(f"{where('header_rows')}: header_rows is a row number, a list of them ([3, 4]) or auto")
        m.header_rows = sorted(rows)
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise KscbError(
            f"{where('columns') if 'columns' in data else path}: columns: is needed, FIELD: Header text (or a list of header texts)"
        )
    for name, headers in columns.items():
        headers = headers if isinstance(headers, list) else [headers]
        if not all(isinstance(h, (str, int, float)) for h in headers):
            raise KscbError(f"{where('columns', name)}: a column is its header text, or a list of them")
        m.columns[str(name)] = [str(h) for h in headers]
    _check_fields(m, where)
    for key in ("defaults", "values", "agencies", "plan"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise KscbError(f"{where(key)}: {key}: is a mapping")
        setattr(m, key, value)
    m.values = {str(f): {norm(w): str(v) for w, v in (table or {}).items()} for f, table in m.values.items()}
    m.agencies = {norm(k): str(v) for k, v in m.agencies.items() if v}
    m.fill_down = [
        str(f) for f in data.get("fill_down") or ([] if found_kind != "action_plan" else ["source", "recommendation"])
    ]
    raw = data.get("tracker_date")
    if raw is not None:
        try:
            m.tracker_date = parse_flexible(raw, serials=False)
        except NotADate as exc:
            raise KscbError(f"{where('tracker_date')}: tracker_date {exc}") from None
    return m


def _check_fields(m: Mapping, where) -> None:
    names = ACTION_FIELDS + ("source", "updated") if m.kind == "action_plan" else None
    for name in m.columns:
        if names is not None:
            if name not in names:
                from kscb_cli.store.validate import suggest

                raise KscbError(
                    f"{where('columns', name)}: {name!r} is not an action field{suggest(name, names)}; fields: {', '.join(names)}"
                )
        elif _annotation(m.kind, tuple(name.split("."))) is None:
            raise KscbError(
                f"{where('columns', name)}: {m.kind} has no field {name!r} (dotted for nested fields: lead_reviewer.role)"
            )


def _annotation(kind: str, path: tuple) -> Any:
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


def _labels(grid: list[list[Any]], rows: list[int]) -> list[list[str]]:
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


def _candidates(parts: list[str]) -> set[str]:
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
                merged = _labels(grid, [rows[0], nxt + 1])
                single = _labels(grid, rows)
                gain = sum(
                    1
                    for c, parts in enumerate(merged)
                    if (_candidates(parts) & every) and not (c < len(single) and _candidates(single[c]) & every)
                )
                if gain and all(v is None or isinstance(v, str) for v in below):
                    rows.append(nxt + 1)
    if not rows:
        raise KscbError(
            "no header row found: no row in the first 40 has two of the mapping's column headers "
            f"({', '.join(sorted({h for hs in m.columns.values() for h in hs}))}); set header_rows: in the mapping"
        )
    labels = _labels(grid, rows)
    columns: dict[str, int] = {}
    for f, names in wanted.items():
        for c, parts in enumerate(labels):
            if _candidates(parts) & names and c not in columns.values():
                columns[f] = c
                break
    missing = [f for f in m.columns if f not in columns]
    if missing:
        from kscb_cli.store.validate import suggest

        found = [" ".join(p) for p in labels if p]
        detail = "; ".join(f"{f} ({' / '.join(m.columns[f])}{suggest(m.columns[f][0], found)})" for f in missing)
        raise KscbError(
            f"the header row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))} lack{'' if len(rows) > 1 else 's'} the columns for: {detail}; "
            f"headers found: {', '.join(found)}. Fix the header texts under columns: in the mapping"
        )
    return Layout(rows, columns, [" ".join(p) for p in labels])


# --- values ------------------------------------------------------------------------------------------


class RowError(ValueError):
    """This row cannot be imported; the message says why and how to fix it."""


class Agencies:
    """Agency names as spreadsheets spell them, matched to the store's agency ids — exactly, never by a guess."""

    STOP = {"the", "and", "of", "for", "nhs", "ft", "trust", "foundation", "service", "services", "council", "team"}

    def __init__(self, store: Any, aliases: dict[str, str]):
        self.titles = {r.id: r.title for r in store.of_kind("agency")}
        self.exact: dict[str, set[str]] = {}
        for rid, title in self.titles.items():
            self._add(norm(rid), rid)
            self._add(norm(title), rid)
            self._add(norm(title).replace(" and ", " "), rid)
            initials = "".join(w[0] for w in norm(title).split() if w not in ("and", "of", "the", "for"))
            if len(initials) >= 2:
                self._add(initials, rid)
        self.aliases = aliases
        self.unmatched: dict[str, list[int]] = {}

    def _add(self, key: str, rid: str) -> None:
        self.exact.setdefault(key, set()).add(rid)

    def match(self, name: str, row: int | None = None) -> str:
        key = norm(name)
        if key in self.aliases:
            rid = self.aliases[key]
            if rid not in self.titles:
                raise RowError(
                    f"the mapping's agencies: says {name!r} is {rid}, but there is no agency {rid} in the store (kscb new agency --id {rid})"
                )
            return rid
        found = self.exact.get(key) or self.exact.get(key.replace(" and ", " "))
        if found and len(found) == 1:
            return next(iter(found))
        if row is not None:
            self.unmatched.setdefault(name, []).append(row)
        if found:
            raise RowError(
                f"agency {name!r} could be any of {', '.join(sorted(found))}; say which under agencies: in the mapping"
            )
        hint = self.suggest(name)
        if not self.titles:
            raise RowError(
                f"agency {name!r}: the store has no agencies yet; add them first (kscb new agency, or kscb import agencies.csv --kind agency)"
            )
        raise RowError(
            f'agency {name!r} is not one of the store\'s agencies{hint}; add "{name}: AGENCY-ID" under agencies: in the mapping'
        )

    def suggest(self, name: str) -> str:
        """'; did you mean X (title)?' from the closest agency names."""
        choices = {f"{rid} {title}": rid for rid, title in self.titles.items()}
        try:
            from rapidfuzz import fuzz, process

            best = process.extract(
                norm(name),
                {k: norm(k) for k in choices},
                scorer=fuzz.token_set_ratio,
                processor=None,
                limit=2,
                score_cutoff=60,
            )
            keys = [b[2] for b in best]
        except ImportError:  # the spreadsheets extra is not installed: the standard library's matcher
            import difflib

            by_norm = {norm(k): k for k in choices}
            keys = [by_norm[k] for k in difflib.get_close_matches(norm(name), list(by_norm), n=2, cutoff=0.5)]
        if not keys:
            return ""
        return "; did you mean " + " or ".join(f"{choices[k]} ({self.titles[choices[k]]})" for k in keys) + "?"


def _date(value: Any, what: str) -> date:
    try:
        return parse_flexible(value)
    except NotADate as exc:
        raise RowError(f"{what}: {exc}") from None


def _word(value: Any, table: dict[str, str], builtin: dict[str, str], what: str, choices: tuple[str, ...]) -> str:
    key = norm(value)
    if key in table:
        return table[key]
    if key in builtin:
        return builtin[key]
    snake = key.replace(" ", "_")
    if snake in choices:
        return snake
    from kscb_cli.store.validate import suggest

    raise RowError(
        f"{what} {cell_text(value)!r} is not a word kscb knows{suggest(snake, choices)}; "
        f'add it under values: {{{what}: {{"{cell_text(value)}": ...}}}} in the mapping (one of: {", ".join(choices)})'
    )


# --- results ------------------------------------------------------------------------------------------


@dataclass
class Rejected:
    row: int
    reason: str


@dataclass
class Planned:
    record_id: str
    kind: str
    rel: str
    state: str  # new | updated | unchanged
    rows: list[int]
    text: str
    old: bytes | None = None
    items: int = 0  # actions, for a plan


@dataclass
class ImportResult:
    records: list[Planned]
    rejected: list[Rejected]
    skipped: list[Rejected]  # blank, heading and repeated header rows: not data
    notes: list[Rejected]
    header_rows: list[int]
    sheet: str | None
    rows: int  # data rows read

    @property
    def written(self) -> list[Planned]:
        return [p for p in self.records if p.state != "unchanged"]


# --- reading rows ----------------------------------------------------------------------------------------


def _rows(grid: list[list[Any]], layout: Layout, m: Mapping, result: ImportResult) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: cell}) for every data row; blank, heading and repeated header rows are skipped with a reason."""
    out = []
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


# --- the import ----------------------------------------------------------------------------------------


def run_import(store: Any, file: Path, m: Mapping, *, today: date) -> ImportResult:
    """Plan the import: the records it would write and every row it could not import. Writes nothing."""
    from kscb_cli.editing.sheets import read_grid

    grid, sheet = read_grid(file, m.sheet)
    layout = find_layout(grid, m)
    result = ImportResult([], [], [], [], layout.header_rows, sheet, 0)
    rows = _rows(grid, layout, m, result)
    agencies = Agencies(store, m.agencies)
    if m.kind == "action_plan":
        _plans(store, rows, m, agencies, result, today)
    else:
        _records(store, rows, m, agencies, result, today)
    result.records.sort(key=lambda p: p.rel)
    result.rejected.sort(key=lambda r: r.row)
    result.notes.sort(key=lambda r: r.row)
    return result


def _load_existing(path: Path) -> tuple[Any, bytes | None]:
    if not path.exists():
        return None, None
    raw = path.read_bytes()
    from kscb_cli.editing.yamlrt import round_trip_yaml as edit_yaml

    text = raw.decode("utf-8")
    try:
        return edit_yaml(text).load(text), raw
    except Exception as exc:  # noqa: BLE001 - ruamel raises many kinds for bad YAML
        raise RowError(
            f"{path.name} exists but cannot be read ({type(exc).__name__}); fix it with `kscb lint` first"
        ) from None


def _dump(data: Any, old_text: str | None) -> str:
    import io

    from kscb_cli.editing.yamlrt import round_trip_yaml as edit_yaml

    y = edit_yaml(old_text or "")
    y.representer.ignore_aliases = lambda data: True  # a date used twice is written twice, never as an anchor
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _set(node: Any, key: str, value: Any) -> None:
    """Set a key keeping the node's order; a new key goes at the end (or after `id`/`title` for the head fields)."""
    old = node.get(key)
    if key in node and old == value and isinstance(old, bool) == isinstance(value, bool):
        return  # the same value: keep its quoting and style
    node[key] = value


def _entries(existing: Any, text: str | None, day: date | None) -> Any:
    """`existing` entries with one for `text` added, unless an entry already says it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seq = existing if existing is not None else CommentedSeq()
    if not text:
        return seq
    if any(isinstance(e, dict) and cell_text(e.get("text")) == cell_text(text) for e in seq):
        return seq
    entry = CommentedMap()
    entry["date"] = day
    entry["text"] = text
    entry.fa.set_flow_style()
    seq.append(entry)
    return seq


def _action_values(
    number: int, row: dict[str, Any], m: Mapping, agencies: Agencies, source: str, today: date, store: Any
) -> tuple[dict[str, Any], list[str]]:
    """The action's fields from one row, and notes; RowError when the row cannot be an action."""
    from kscb_cli.model.kinds import ActionStatus

    v: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[str] = []

    def text(name: str, required: bool = False) -> str | None:
        value = cell_text(row.get(name)) if name in row else None
        if value is None and name in m.defaults:
            value = cell_text(m.defaults[name])
        if value is None and required:
            header = " / ".join(m.columns.get(name, [name]))
            problems.append(
                f"no {name.replace('_', ' ')} (column {header!r} is empty)"
                if name in m.columns
                else f"no {name.replace('_', ' ')}: map a column to it or give it under defaults:"
            )
        return value

    ref = text("ref")
    if ref is None:
        raise RowError(
            "no Ref: every action needs its tracker reference, so a re-import can find it again"
            + (f" (column {m.columns['ref'][0]!r})" if "ref" in m.columns else "; map the Ref column as ref:")
        )
    v["ref"] = ref
    rec = text("recommendation")
    if rec:
        match = re.fullmatch(r"(?:rec(?:ommendation)?\.?\s*)?R?\s*(\d+)[a-z]?(?:[.:)\-–].*)?", rec, re.I | re.S)
        ref_to = rec.strip() if "#" in rec else (f"{source}#R{int(match.group(1))}" if match else None)
        if ref_to is None:
            notes.append(
                f"recommendation {rec[:40]!r} is not a recommendation number (R2, 2 or Recommendation 2); left out"
            )
        elif store.resolve(ref_to)[1] is None:
            rid, _, item = ref_to.partition("#")
            notes.append(
                f"recommendation {item} is not in {rid} yet (add the review's recommendations and import again to link them); left out"
            )
        else:
            v["recommendation"] = ref_to
    v["action"] = text("action", True)
    agency = text("lead_agency", True)
    if agency:
        try:
            v["lead_agency"] = agencies.match(agency, number)
        except RowError as exc:
            problems.append(str(exc))
    v["lead_role"] = text("lead_role", True)
    due_raw = row.get("due") if row.get("due") is not None else m.defaults.get("due")
    if due_raw is None:
        problems.append(
            "no due date"
            + (
                f" (column {m.columns['due'][0]!r} is empty)"
                if "due" in m.columns
                else ": map the target date column as due:"
            )
        )
    else:
        try:
            v["due"] = _date(due_raw, "due")
        except RowError as exc:
            problems.append(str(exc))
    word = row.get("status") if row.get("status") is not None else m.defaults.get("status")
    if word is None:
        problems.append("no status (RAG) given")
    else:
        try:
            v["status"] = _word(word, m.values.get("status", {}), RAG_STATUS, "status", typing.get_args(ActionStatus))
            colour = RAG_COLOUR.get(norm(word))
            if colour and "due" in v:
                from kscb_cli.domain.tracker import colour as tracker_colour

                derived = tracker_colour(v["status"], v["due"], today)
                if derived != colour:
                    notes.append(
                        f"the tracker says {cell_text(word)} but kscb derives {derived} (due {v['due'].isoformat()}, as of {today.isoformat()})"
                    )
        except RowError as exc:
            problems.append(str(exc))
    v["success_measure"] = text("success_measure", True)
    updated = None
    if row.get("updated") is not None:
        try:
            updated = _date(row["updated"], "updated")
        except RowError as exc:
            problems.append(str(exc))
    update = text("updates")
    if update and updated is None and m.tracker_date is None:
        problems.append(
            "a progress update with no date: map the last-updated column as updated:, or give tracker_date: in the mapping"
        )
    v["updates"] = (update, updated or m.tracker_date)
    if row.get("completed") is not None:
        try:
            v["completed"] = _date(row["completed"], "completed")
        except RowError as exc:
            problems.append(str(exc))
    evidence = text("evidence")
    status = v.get("status")
    if status in ACTION_DONE:
        if not evidence:
            problems.append(
                f"{cell_text(word)!r} (complete) but no evidence: an action is complete only with its evidence; add it to the Evidence column"
            )
        if "completed" not in v:
            problems.append(f"{cell_text(word)!r} (complete) but no completion date: fill in the date completed")
        if status == "embedded" and not text("impact"):
            problems.append("embedded but no impact: say what changed for children, and how we know")
    v["evidence"] = (evidence, v.get("completed") or updated or m.tracker_date)
    if evidence and v["evidence"][1] is None:
        problems.append("evidence with no date: fill in the date completed, map updated:, or give tracker_date:")
    if text("impact"):
        v["impact"] = text("impact")
    if problems:
        raise RowError("; ".join(problems))
    return v, notes


def _plans(store: Any, rows, m: Mapping, agencies: Agencies, result: ImportResult, today: date) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kscb_cli.model import FOLDERS

    by_source: dict[str, list[tuple[int, dict]]] = {}
    for number, row in rows:
        raw = cell_text(row.get("source")) or cell_text(m.plan.get("source"))
        if not raw:
            result.rejected.append(
                Rejected(
                    number,
                    "no source: give plan: {source: REVIEW-ID} in the mapping, or map the Review column as source:",
                )
            )
            continue
        source = to_id(raw)
        if store.get(source) is None:
            from kscb_cli.store.validate import suggest

            result.rejected.append(
                Rejected(
                    number,
                    f"source {raw!r}: there is no record {source} in the store{suggest(source, store.by_id)}; import or create it first",
                )
            )
            continue
        by_source.setdefault(source, []).append((number, row))
    for source, plan_rows in sorted(by_source.items()):
        plan_id = f"AP-{source}"
        path = store.root / "records" / FOLDERS["action_plan"] / f"{plan_id}.yaml"
        rel = path.relative_to(store.root).as_posix()
        try:
            existing, old = _load_existing(path)
        except RowError as exc:
            result.rejected += [Rejected(n, str(exc)) for n, _ in plan_rows]
            continue
        built: list[tuple[int, dict]] = []
        seen: dict[str, int] = {}
        for number, row in plan_rows:
            try:
                values, notes = _action_values(number, row, m, agencies, source, today, store)
            except RowError as exc:
                result.rejected.append(Rejected(number, str(exc)))
                continue
            if values["ref"] in seen:
                result.rejected.append(
                    Rejected(
                        number,
                        f"Ref {values['ref']!r} again (first on row {seen[values['ref']]}): each action needs its own Ref",
                    )
                )
                continue
            seen[values["ref"]] = number
            result.notes += [Rejected(number, n) for n in notes]
            built.append((number, values))
        while True:
            data = existing if existing is not None else None
            old_text = old.decode("utf-8") if old is not None else None
            if data is None:
                data = CommentedMap()
                data["kind"] = "action_plan"
                data["id"] = plan_id
                src = store.get(source)
                data["title"] = str(m.plan.get("title") or f"Action plan – {src.title}")
                data["status"] = str(
                    m.plan.get("status") or ("in_progress" if m.plan.get("approved") is not None else "draft")
                )
                data["source"] = source
                if m.plan.get("workstream"):
                    data["workstream"] = str(m.plan["workstream"])
                if m.plan.get("approved") is not None:
                    data["approved"] = _plan_date(m.plan["approved"])
                data["actions"] = CommentedSeq()
            else:
                data = _load_existing(path)[0]  # a fresh copy for each pass
                for key in ("title", "status", "workstream"):
                    if m.plan.get(key) is not None:
                        _set(data, key, str(m.plan[key]))
                if m.plan.get("approved") is not None:
                    _set(data, "approved", _plan_date(m.plan["approved"]))
            if "actions" not in data or data["actions"] is None:
                data["actions"] = CommentedSeq()
            rows_by_index = _apply_actions(data["actions"], built)
            text = _dump(data, old_text)
            bad = _check(store, path, rel, text, today)
            if not bad:
                break
            culprits = {rows_by_index[i] for i, _ in bad if i in rows_by_index}
            plan_level = list(dict.fromkeys(msg for i, msg in bad if i not in rows_by_index))
            if plan_level or not culprits:
                reason = "; ".join(plan_level or list(dict.fromkeys(msg for _, msg in bad)))
                result.rejected += [Rejected(n, f"the plan {plan_id} would not be valid: {reason}") for n, _ in built]
                built = []
                text = None
                break
            per_row: dict[int, list[str]] = {}
            for i, msg in bad:
                if i in rows_by_index and msg not in per_row.setdefault(rows_by_index[i], []):
                    per_row[rows_by_index[i]].append(msg)
            result.rejected += [Rejected(n, "; ".join(msgs)) for n, msgs in per_row.items()]
            built = [(n, v) for n, v in built if n not in culprits]
        if text is None or (old is None and not built):
            continue
        state = "new" if old is None else ("unchanged" if text.encode("utf-8") == old else "updated")
        result.records.append(
            Planned(plan_id, "action_plan", rel, state, [n for n, _ in built], text, old, len(data["actions"]))
        )


def _plan_date(value: Any) -> date:
    try:
        return parse_flexible(value, serials=False)
    except NotADate as exc:
        raise KscbError(f"plan: approved: {exc}") from None


def _apply_actions(actions: Any, built: list[tuple[int, dict]]) -> dict[int, int]:
    """Update or append each action; {index in the list: row number}."""
    from ruamel.yaml.comments import CommentedMap

    by_ref = {str(a.get("ref")): i for i, a in enumerate(actions) if isinstance(a, dict) and a.get("ref") is not None}
    used = {str(a.get("id")) for a in actions if isinstance(a, dict)}
    numbers = [int(x[1:]) for x in used if re.fullmatch(r"A\d+", x)]
    nxt = max(numbers, default=0) + 1
    out: dict[int, int] = {}
    for number, values in built:
        if values["ref"] in by_ref:
            index = by_ref[values["ref"]]
            node = actions[index]
        else:
            candidate = to_id(values["ref"]).replace("-", "")
            if re.fullmatch(r"A\d+", candidate) and candidate not in used:
                action_id = candidate
            else:
                while f"A{nxt}" in used:
                    nxt += 1
                action_id = f"A{nxt}"
            used.add(action_id)
            node = CommentedMap()
            node["id"] = action_id
            actions.append(node)
            index = len(actions) - 1
            by_ref[values["ref"]] = index
        for key in ACTION_FIELDS:
            if key in ENTRY_FIELDS:
                text, day = values.get(key, (None, None))
                if text:
                    node[key] = _entries(node.get(key), text, day)
            elif key in values and values[key] is not None:
                _set(node, key, values[key])
        out[index] = number
    return out


def _check(store: Any, path: Path, rel: str, text: str, today: date) -> list[tuple[int | None, str]]:
    """Errors the record would have, as (index of the item or row they belong to, message)."""
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.source import SourceError, parse
    from kscb_cli.store.store import Store, make_entry

    try:
        doc = parse(text)
    except SourceError as exc:  # pragma: no cover - we wrote it
        return [(None, exc.problem.message)]
    entry = make_entry(path, rel, doc)
    entries = [e for e in store.entries if e.rel != rel] + [entry]
    trial = Store(store.root, store.config, entries)
    found = [d for d in lint(trial, today=today, paths=[path]).diagnostics if d.severity.value == "error"]
    out: list[tuple[int | None, str]] = []
    starts = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for i, _ in enumerate(data.get("actions") or ()):
        starts.append(doc.pos(("actions", i)).line)
    for d in found:
        index = None
        for i, line in enumerate(starts):
            if d.line >= line:
                index = i
        out.append((index, f"{d.code} {d.message}"))
    return out


# --- one row per record ---------------------------------------------------------------------------------


def _records(store: Any, rows, m: Mapping, agencies: Agencies, result: ImportResult, today: date) -> None:
    from ruamel.yaml.comments import CommentedMap

    from kscb_cli.editing.scaffold import first_status
    from kscb_cli.model import FOLDERS

    if "id" not in m.columns:
        raise KscbError(
            f"{m.path}: map the column that holds each {m.kind}'s id (Ref, Review ID, ...) as id: under columns:"
        )
    seen: dict[str, int] = {}
    candidates: list[Planned] = []
    for number, row in rows:
        try:
            rid = to_id(cell_text(row.get("id")) or "")
            if not rid:
                raise RowError(f"no id (column {m.columns['id'][0]!r} is empty)")
            if rid in seen:
                raise RowError(f"id {rid} again (first on row {seen[rid]})")
            seen[rid] = number
            other = store.entry(rid)
            if other is not None and other.record is not None and other.record.kind != m.kind:
                raise RowError(f"{rid} is already a {other.record.kind} ({other.rel})")
            path = store.root / "records" / FOLDERS[m.kind] / f"{rid}.yaml"
            rel = path.relative_to(store.root).as_posix()
            existing, old = _load_existing(path)
            data = existing if existing is not None else CommentedMap([("kind", m.kind), ("id", rid)])
            values = {name: row.get(name) for name in m.columns if name != "id"}
            for name, value in m.defaults.items():
                if values.get(name) is None:
                    values[name] = value
            for name, value in values.items():
                if value is None:
                    continue
                loc = tuple(name.split("."))
                annotation = _annotation(m.kind, loc)
                converted = _convert(value, annotation, loc, m, agencies, number)
                node = data
                for part in loc[:-1]:
                    if not isinstance(node.get(part), dict):
                        node[part] = CommentedMap()
                    node = node[part]
                _set(node, loc[-1], converted)
            if "status" not in data:
                data["status"] = first_status(m.kind)
            text = _dump(data, old.decode("utf-8") if old is not None else None)
        except RowError as exc:
            result.rejected.append(Rejected(number, str(exc)))
            continue
        state = "new" if old is None else ("unchanged" if text.encode("utf-8") == old else "updated")
        candidates.append(Planned(rid, m.kind, rel, state, [number], text, old))
    # one lint of the store as it would be, with every candidate in it (not one per row); a row whose
    # record has an error is rejected and the rest checked again, since one record can break another
    while candidates:
        bad = _check_many(store, candidates, today)
        if not bad:
            break
        for p in candidates:
            if p.rel in bad:
                result.rejected.append(Rejected(p.rows[0], "; ".join(bad[p.rel])))
        candidates = [p for p in candidates if p.rel not in bad]
    result.records += candidates


def _check_many(store: Any, planned: list[Planned], today: date) -> dict[str, list[str]]:
    """{rel: error messages} for the planned records, linted together against the rest of the store."""
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.source import SourceError, parse
    from kscb_cli.store.store import Store, make_entry

    new = {}
    for p in planned:
        try:
            new[p.rel] = make_entry(store.root / p.rel, p.rel, parse(p.text))
        except SourceError as exc:  # pragma: no cover - we wrote it
            return {p.rel: [exc.problem.message]}
    trial = Store(store.root, store.config, [e for e in store.entries if e.rel not in new] + list(new.values()))
    out: dict[str, list[str]] = {}
    for d in lint(trial, today=today, paths=[e.path for e in new.values()]).diagnostics:
        if d.severity.value == "error" and f"{d.code} {d.message}" not in out.setdefault(d.path, []):
            out[d.path].append(f"{d.code} {d.message}")
    return {k: v for k, v in out.items() if v}


def _convert(value: Any, annotation: Any, loc: tuple, m: Mapping, agencies: Agencies, number: int) -> Any:
    from kscb_cli.editing.scaffold import field_choices, is_bool, is_date, unwrap

    name = ".".join(loc)
    if annotation is None:
        return cell_text(value)
    types = unwrap(annotation)
    is_list = any(typing.get_origin(t) is list for t in types)
    if is_list:
        inner = [a for t in types if typing.get_origin(t) is list for a in typing.get_args(t)]
        parts = value if isinstance(value, list) else [p for p in re.split(r"[;,\n]| and ", str(value)) if p.strip()]
        return [
            _convert(p.strip() if isinstance(p, str) else p, inner[0] if inner else None, loc, m, agencies, number)
            for p in parts
        ]
    if loc[-1] in AGENCY_FIELDS and not field_choices(annotation):
        return agencies.match(cell_text(value) or "", number)
    if is_date(annotation):
        return _date(value, name)
    if is_bool(annotation):
        key = norm(value)
        if key in ("yes", "y", "true", "1", "x"):
            return True
        if key in ("no", "n", "false", "0", ""):
            return False
        raise RowError(f"{name} {cell_text(value)!r} is not yes or no")
    choices = field_choices(annotation)
    if choices:
        return _word(value, m.values.get(name, {}), {}, name, choices)
    if any(t is int for t in types):
        try:
            return int(float(str(value).strip()))
        except ValueError:
            raise RowError(f"{name} {cell_text(value)!r} is not a whole number") from None
    if any(t is float for t in types):
        try:
            return float(str(value).strip())
        except ValueError:
            raise RowError(f"{name} {cell_text(value)!r} is not a number") from None
    return cell_text(value)


# --- writing ------------------------------------------------------------------------------------------


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


# --- a starting mapping -------------------------------------------------------------------------------------


def init_map(file: Path, kind: str, store: Any | None, sheet: str | None = None) -> str:
    """A starting mapping for `file`: its header row found, each header matched to a field where one fits."""
    from kscb_cli.editing.sheets import read_grid
    from kscb_cli.model import MODELS

    if kind not in MODELS:
        from kscb_cli.store.validate import suggest

        raise KscbError(f"--kind {kind!r} is not a record kind{suggest(kind, MODELS)}; kinds: {', '.join(MODELS)}")
    grid, sheet_name = read_grid(file, sheet)
    synonyms = _synonyms(kind)
    every = {s: f for f, names in synonyms.items() for s in names}
    best, best_hits = None, 0
    for i, row in enumerate(grid[:40]):
        hits = sum(1 for v in row if v is not None and norm(cell_text(v) or "") in every)
        if hits > best_hits:
            best, best_hits = i + 1, hits
    if best is None or best_hits < 2:
        raise KscbError(
            f"{file}: no row in the first 40 looks like a header row for {kind} (two or more of: {', '.join(sorted(every)[:12])}, ...); write the mapping by hand"
        )
    fake = Mapping(kind, columns={f: [n] for n, f in every.items()})
    fake.columns = {}
    rows = [best]
    labels = _labels(grid, rows)
    if best < len(grid):
        two = _labels(grid, [best, best + 1])
        if sum(1 for p in two if _candidates(p) & set(every)) > sum(
            1 for p in labels if _candidates(p) & set(every)
        ) and all(v is None or isinstance(v, str) for v in grid[best]):
            rows, labels = [best, best + 1], two
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    for parts in labels:
        if not parts:
            continue
        header = " ".join(parts)
        hit = next((every[c] for c in sorted(_candidates(parts), key=len, reverse=True) if c in every), None)
        if hit and hit not in mapped:
            mapped[hit] = parts[-1] if norm(parts[-1]) in every else header
        else:
            unmapped.append(header)
    lines = [
        f"# kscb import mapping for {Path(file).name}" + (f" (sheet {sheet_name!r})" if sheet_name else ""),
        "# Check every line, then: kscb import FILE --map THIS-FILE --dry-run",
        f"kind: {kind}",
    ]
    if sheet_name:
        lines.append(f"sheet: {_q(sheet_name)}")
    lines.append(f"header_rows: {rows if len(rows) > 1 else rows[0]}   # the row(s) holding the column headers")
    lines.append("columns:   # field: the header text in the spreadsheet")
    for f in synonyms:
        if f in mapped:
            lines.append(f"  {f}: {_q(mapped[f])}")
    for header in unmapped:
        lines.append(f"  # {_q(header)} is not imported")
    missing = [
        f for f in _required(kind) if f not in mapped and f not in ("kind", "status" if kind != "action_plan" else "")
    ]
    if missing:
        lines.append("defaults:   # fields no column holds: give the value every row takes, or map a column above")
        for f in missing:
            lines.append(f"  # {f}: ...")
    if kind == "action_plan":
        lines += [
            "plan:",
            "  # source: LCSPR-2025-001   # the review, audit or return the actions answer (or map a Review column as source:)",
            "  # title: Action plan – Child H",
            "  # status: in_progress",
            "# tracker_date: 2026-03-31   # progress updates without a date of their own are dated this day",
        ]
    if kind == "action_plan" and "status" in mapped:
        col = next(
            c
            for c, parts in enumerate(labels)
            if parts and (parts[-1] == mapped["status"] or " ".join(parts) == mapped["status"])
        )
        heads = {norm(" ".join(p)) for p in labels} | {norm(x) for p in labels for x in p}
        words = sorted(
            w
            for w in {cell_text(r[col]) for r in grid[rows[-1] :] if col < len(r) and cell_text(r[col])} - {None}
            if norm(w) not in heads
        )
        unknown = [w for w in words if norm(w) not in RAG_STATUS]
        known = [w for w in words if norm(w) in RAG_STATUS]
        lines.append("values:   # the tracker's words for status, and what each means")
        lines.append("  status:")
        for w in known:
            lines.append(f"    {_q(w)}: {RAG_STATUS[norm(w)]}")
        for w in unknown[:30]:
            lines.append(f"    # {_q(w)}: not_started | in_progress | complete | embedded | withdrawn")
    agency_field = (
        "lead_agency" if kind == "action_plan" else next((f for f in mapped if f.split(".")[-1] in AGENCY_FIELDS), None)
    )
    if agency_field and agency_field in mapped and store is not None:
        col = next(
            c
            for c, parts in enumerate(labels)
            if parts and (parts[-1] == mapped[agency_field] or " ".join(parts) == mapped[agency_field])
        )
        index = Agencies(store, {})
        heads = {norm(" ".join(p)) for p in labels} | {norm(x) for p in labels for x in p}
        names = sorted(
            w
            for w in {cell_text(r[col]) for r in grid[rows[-1] :] if col < len(r) and cell_text(r[col])} - {None}
            if norm(w) not in heads
        )
        lines.append(
            "agencies:   # names in the spreadsheet that are not an agency's id or title: uncomment the right id"
        )
        for name in names:
            if len(names) > 200:
                break
            try:
                index.match(name)
            except RowError:
                hint = index.suggest(name)
                lines.append(
                    f"  # {_q(name)}: {hint.split('did you mean ')[1].split(' ')[0] if hint else 'AGENCY-ID'}"
                    + (f"   # {hint[2:]}" if hint else "")
                )
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    import json

    from kscb_cli.editing.scaffold import plain_ok

    return (
        text
        if plain_ok(text)
        and not text.startswith(("#", "-", "?", "[", "{", "*", "&", "!", "%", "@", "`"))
        and ": " not in text
        else json.dumps(text, ensure_ascii=False)
    )


def _required(kind: str) -> list[str]:
    from kscb_cli.editing.scaffold import required_fields

    if kind == "action_plan":
        return ["action", "lead_agency", "lead_role", "due", "status", "success_measure"]
    return [s.name for s in required_fields(kind) if s.name not in ("kind",)]


def _synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    if kind in SYNONYMS:
        return SYNONYMS[kind]
    from kscb_cli.model import MODELS

    out: dict[str, tuple[str, ...]] = {
        "id": ("id", "ref", "reference", "ref no", f"{kind.replace('_', ' ')} id", f"{kind.replace('_', ' ')} ref")
    }
    model = MODELS[kind]
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in ("kind", "id"):
            continue
        words = {norm(key), norm(key.replace("_", " "))}
        if key == "title":
            words |= {"title", "name", "case", "review title", "audit title"}
        if key == "status":
            words |= {"status", "stage"}
        out[key] = tuple(sorted(words))
    return out


__all__ = [
    "Agencies",
    "ImportResult",
    "Mapping",
    "Planned",
    "Rejected",
    "cell_text",
    "init_map",
    "load_mapping",
    "norm",
    "run_import",
    "to_id",
    "write",
]
