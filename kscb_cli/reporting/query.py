"""Query records of one kind: filter (``--where``), sort (``--sort``) and pick columns (``--columns``).

Fields are named by dotted paths through the record as written in YAML:
``publication.published``, ``period.from``, ``lead_reviewer.role``. A path through a list
reaches every element (``findings.type``, ``themes``, ``standards.rating``), and a condition
on it holds when any element matches (``!=`` when none does).

Conditions (``--where FIELD OP VALUE``):

| op | holds when |
| --- | --- |
| ``=`` | a value equals VALUE as written (dates ``2025-01-31``, booleans ``true``/``false``); ``FIELD=`` (empty) matches a missing or empty field |
| ``!=`` | no value equals VALUE; ``FIELD!=`` (empty) matches a field that has a value |
| ``<`` ``>`` ``<=`` ``>=`` | dates compare as dates (VALUE must be YYYY-MM-DD), numbers as numbers, text (months, cycles) as text |
| ``~`` | a value contains VALUE, ignoring case |

Besides the record's own fields: ``path`` (the file, relative to the store root) and, for
sources of learning, ``loop`` (``actions 67%``: how far round the learning cycle it has got,
see ``kscb_cli.domain.loop``), ``loop.stage``, ``loop.fraction`` and ``loop.next``.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date
from functools import cmp_to_key
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.store.refs import LEARNING

OPS = ("!=", "<=", ">=", "=", "<", ">", "~")
_WHERE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(!=|<=|>=|=|<|>|~)(.*)$")
COMPUTED_ALL = ("path",)
COMPUTED_LOOP = ("loop", "loop.stage", "loop.fraction", "loop.next")

DEFAULT_COLUMNS = {
    "agency": ["id", "title", "status", "sector", "safeguarding_partner", "section11_duty"],
    "notification": ["id", "status", "harm", "aware", "sent", "title"],
    "rapid_review": ["id", "status", "notification", "completed", "decision", "loop", "title"],
    "review": ["id", "status", "review_type", "decided", "final_report", "loop", "title"],
    "audit": ["id", "status", "audit_type", "reported", "loop", "title"],
    "section11": ["id", "status", "agency", "cycle", "due", "submitted", "loop"],
    "action_plan": ["id", "status", "source", "approved", "title"],
    "training": ["id", "status", "format", "date", "title"],
    "briefing": ["id", "status", "format", "published", "title"],
    "child_death": ["id", "status", "category", "reviewed", "loop"],
    "performance_return": ["id", "status", "agency", "period.from", "period.to", "due", "received"],
    "inspection": ["id", "status", "inspection_type", "date", "reported", "loop", "title"],
    "voice": ["id", "status", "method", "participants", "reported", "loop", "title"],
    "guidance": ["id", "status", "source_type", "issued", "loop", "title"],
    "meeting": ["id", "status", "meeting_type", "workstream", "date", "title"],
    "challenge_event": ["id", "status", "cycle", "date", "loop", "title"],
}


def resolve_kind(word: str) -> str:
    """A kind from what a user types: ``review``, ``reviews``, ``rapid-reviews``, ``action_plan``."""
    from kscb_cli.model import FOLDERS
    from kscb_cli.store.validate import suggest

    w = word.strip().lower()
    for kind, folder in FOLDERS.items():
        if w in (kind, folder, kind + "s", kind.replace("_", "-"), folder.replace("-", "_")):
            return kind
    raise KscbError(
        f"unknown kind {word!r}{suggest(w, list(FOLDERS) + list(FOLDERS.values()))}; kinds: {', '.join(FOLDERS)}"
    )


# --- fields ------------------------------------------------------------------------------


def _models_in(annotation: Any) -> list[Any]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[Any] = []
    for arg in typing.get_args(annotation):
        found += _models_in(arg)
    return found


def _paths(model: Any, prefix: str = "", depth: int = 0) -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        key = prefix + (info.alias or name)
        out.append(key)
        if depth < 3:
            for sub in _models_in(info.annotation):
                out += _paths(sub, key + ".", depth + 1)
    return out


def field_paths(kind: str) -> list[str]:
    """Every dotted field path a record of ``kind`` may have, plus the computed ones."""
    from kscb_cli.model import MODELS

    paths = _paths(MODELS[kind]) + list(COMPUTED_ALL)
    if kind in LEARNING:
        paths += list(COMPUTED_LOOP)
    return list(dict.fromkeys(paths))


def top_fields(kind: str) -> list[str]:
    """The record's own top-level fields, in model order, plus the computed columns."""
    from kscb_cli.model import MODELS

    names = [info.alias or name for name, info in MODELS[kind].model_fields.items()]
    return names + list(COMPUTED_ALL) + (["loop"] if kind in LEARNING else [])


def check_field(kind: str, path: str, what: str) -> None:
    paths = field_paths(kind)
    if path not in paths:
        from kscb_cli.store.validate import suggest

        raise KscbError(
            f"{what}: a {kind} has no field {path!r}{suggest(path, paths)}; fields: {', '.join(p for p in paths if '.' not in p)}"
        )


def _attr(value: Any, part: str) -> Any:
    fields = getattr(type(value), "model_fields", None)
    if fields is None:
        return value.get(part) if isinstance(value, dict) else None
    if part in fields:
        return getattr(value, part)
    for name, info in fields.items():
        if info.alias == part:
            return getattr(value, name)
    return None


def lookup(record: Any, path: str) -> tuple[list[Any], bool]:
    """(values at ``path``, whether the path went through a list). Missing values are left out."""
    values = [record]
    many = False
    for part in path.split("."):
        nxt: list[Any] = []
        for v in values:
            got = _attr(v, part)
            if isinstance(got, (list, tuple)):
                many = True
                nxt.extend(got)
            elif got is not None:
                nxt.append(got)
        values = nxt
    return values, many


def plain(value: Any) -> Any:
    """A JSON-ready form of a field value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def text(value: Any) -> str:
    """How a value is written in a condition: dates ISO, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- conditions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    path: str
    op: str
    value: str

    def __str__(self) -> str:
        return f"{self.path}{self.op}{self.value}"


def parse_where(expr: str, kind: str) -> Condition:
    m = _WHERE.match(expr)
    if not m:
        raise KscbError(f"--where {expr!r}: write FIELD=VALUE (or !=, <, >, <=, >=, ~), e.g. --where status=published")
    cond = Condition(m.group(1), m.group(2), m.group(3).strip())
    check_field(kind, cond.path, f"--where {expr!r}")
    if cond.op in ("<", ">", "<=", ">=") and not cond.value:
        raise KscbError(
            f"--where {expr!r}: {cond.op} needs a value to compare with, e.g. {cond.path}{cond.op}2026-01-01"
        )
    return cond


def _compare(leaf: Any, op: str, raw: str, expr: Condition) -> bool:
    if isinstance(leaf, bool):
        return False
    if isinstance(leaf, date):
        try:
            other: Any = date.fromisoformat(raw)
        except ValueError:
            raise KscbError(
                f"--where {expr}: {expr.path} is a date; compare it with a date written YYYY-MM-DD"
            ) from None
    elif isinstance(leaf, (int, float)):
        try:
            other = float(raw)
        except ValueError:
            raise KscbError(f"--where {expr}: {expr.path} is a number; compare it with a number") from None
    elif isinstance(leaf, str):
        other = raw
    else:
        return False
    held: bool = {"<": leaf < other, ">": leaf > other, "<=": leaf <= other, ">=": leaf >= other}[op]
    return held


def holds(cond: Condition, values: list[Any]) -> bool:
    """Whether a condition holds for the values found at its path."""
    op, raw = cond.op, cond.value
    if op in ("=", "!="):
        if raw == "":
            empty = not values or all(v in ("", []) for v in values)
            return empty if op == "=" else not empty
        equal = any(text(v) == raw for v in values)
        return equal if op == "=" else not equal
    if op == "~":
        needle = raw.lower()
        return any(needle in text(v).lower() for v in values)
    return any(_compare(v, op, raw, cond) for v in values)


# --- the query ---------------------------------------------------------------------------


class _Row:
    """One record with its computed fields, looked up lazily."""

    def __init__(self, record: Any, store: Any, loops: dict[str, Any] | None):
        self.record = record
        self.store = store
        self.loops = loops

    def get(self, path: str) -> tuple[list[Any], bool]:
        if path == "path":
            entry = self.store.entry(self.record.id)
            return [entry.rel] if entry is not None else [], False
        if path in COMPUTED_LOOP:
            lp = self.loops.get(self.record.id) if self.loops is not None else None
            if lp is None:
                return [], False
            value = {"loop": lp.label, "loop.stage": lp.stage, "loop.fraction": lp.fraction, "loop.next": lp.next}[path]
            return ([] if value is None else [value]), False
        return lookup(self.record, path)

    def sort_value(self, path: str) -> Any:
        if path == "loop":
            path = "loop.fraction"
        values, many = self.get(path)
        if not values:
            return None
        v = values[0]
        if hasattr(v, "model_dump") or isinstance(v, (dict, list)):
            return str(plain(v))
        return v


def _cmp(a: Any, b: Any) -> int:
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        a, b = text(a), text(b)
    order: int = (a > b) - (a < b)
    return order


def query(
    store: Any,
    kind: str,
    *,
    where: list[str] = (),  # type: ignore[assignment]
    sort: list[str] = (),  # type: ignore[assignment]
    columns: list[str] | None = None,
    links: Any = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows) for the records of ``kind`` that meet every condition, sorted.

    Rows hold JSON-ready values: a field reached through a list gives a list.
    ``columns`` ``["all"]`` means every top-level field. Default sort: id.
    """
    conds = [parse_where(w, kind) for w in where]
    cols = top_fields(kind) if columns == ["all"] else (columns or DEFAULT_COLUMNS[kind])
    for c in cols:
        check_field(kind, c, f"--columns {c!r}")
    keys: list[tuple[str, bool]] = []
    for s in sort or ["id"]:
        desc = s.startswith("-")
        path = s.lstrip("-+")
        check_field(kind, path, f"--sort {s!r}")
        keys.append((path, desc))
    wanted = [c for c in cols] + [c.path for c in conds] + [k for k, _ in keys]
    loops = None
    if kind in LEARNING and any(p in COMPUTED_LOOP for p in wanted):
        from kscb_cli.domain.links import Links
        from kscb_cli.domain.loop import loop

        links = links if links is not None else Links(store)
        loops = {r.id: loop(r, links) for r in store.of_kind(kind)}
    rows = [_Row(r, store, loops) for r in store.of_kind(kind)]
    rows = [row for row in rows if all(holds(c, row.get(c.path)[0]) for c in conds)]

    def compare(a: _Row, b: _Row) -> int:
        for path, desc in keys:
            va, vb = a.sort_value(path), b.sort_value(path)
            if va is None or vb is None:
                if va is None and vb is None:
                    continue
                return 1 if va is None else -1  # missing values last, either way
            c = _cmp(va, vb)
            if c:
                return -c if desc else c
        return _cmp(a.record.id, b.record.id)

    rows.sort(key=cmp_to_key(compare))
    out = []
    for row in rows:
        data = {}
        for c in cols:
            values, many = row.get(c)
            data[c] = plain(values) if many else (plain(values[0]) if values else None)
        out.append(data)
    out += unreadable_rows(store, kind, cols)
    return list(cols), out


def unreadable_rows(store: Any, kind: str, cols: list[str]) -> list[dict[str, Any]]:
    """A row for each record of `kind` that could not be read: status ``invalid``, whatever the filters.

    Its fields cannot be trusted, so no condition can rule it out: it is always listed, last,
    with its id, title (where the file has one as text) and path.
    """
    from kscb_cli.model import FOLDERS

    out = []
    for entry in store.entries:
        if entry.record is not None:
            continue
        folder = entry.rel.split("/")[1] if entry.rel.count("/") >= 2 else ""
        if entry.kind != kind and not (entry.kind not in FOLDERS and folder == FOLDERS.get(kind)):
            continue
        known = {"id": entry.id or entry.stem, "status": "invalid", "title": entry.title, "path": entry.rel}
        out.append({c: known.get(c) for c in cols})
    return out
