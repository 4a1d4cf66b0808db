"""Command-line arguments of `kscb set`/`kscb add`: targets, FIELD=VALUE, values parsed as YAML and coerced to the model's types."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ITEM = re.compile(r"[A-Z][A-Z0-9]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
DELETE = object()  # `FIELD=` / `FIELD=null`: remove the field

# --- arguments ------------------------------------------------------------------------


def split_target(target: str) -> tuple[str, str | None]:
    """`ID` or `ID#ITEM`."""
    record_id, _, item = target.partition("#")
    if not record_id:
        raise KscbError(f"{target!r} names no record; write ID or ID#ITEM, e.g. AP-LCSPR-2025-001#A3")
    if item and not _ITEM.match(item):
        raise KscbError(f"{item!r} is not an item id; item ids are a capital letter then capitals or digits, e.g. A3")
    return record_id, item or None


def split_assignment(text: str) -> tuple[tuple[str, ...], str]:
    """`FIELD=VALUE` with a dotted FIELD (`publication.published=2025-10-15`)."""
    name, eq, raw = text.partition("=")
    if not eq:
        raise KscbError(
            f"{text!r} is not FIELD=VALUE; write e.g. status=complete (quote the whole argument if the value has spaces)"
        )
    parts = tuple(name.strip().split("."))
    for part in parts:
        if not FIELD_NAME.match(part):
            raise KscbError(
                f"{name!r} is not a field name; use the field names of the record, dotted for nested fields (publication.published)"
            )
    return parts, raw


def parse_value(raw: str) -> Any:
    """A command-line value as YAML: `true`, `3`, `2026-04-02`, `[a, b]`, `"quoted"`; anything else is literal text.

    Free text is taken as typed, without surrounding spaces (a `#` or `: ` in it is not
    YAML syntax); an empty value, `null` or `~` removes the field.
    """
    from kscb_cli.store.source import SourceError, parse, resolve_plain

    text = raw.strip()
    if text in ("", "null", "~", "Null", "NULL"):
        return DELETE
    if text[0] in "[{" or (len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""):
        try:
            return parse(f"v: {text}\n").data["v"]
        except SourceError as exc:
            raise KscbError(
                f"{raw!r} is not a YAML value ({exc.problem.message}); write lists as [a, b] and quote text that starts with [ or {{"
            ) from None
    value = resolve_plain(text)
    return value if not isinstance(value, str) else text


# --- the model: field order and types -------------------------------------------------


def _model_at(kind: str, loc: tuple[Any, ...]) -> Any:
    """The model class that holds the fields at `loc` (a location of a mapping in the record)."""
    from kscb_cli.model import MODELS
    from kscb_cli.store.validate import model_at

    root = MODELS.get(kind)
    if root is None:
        return None
    return root if not [p for p in loc if not isinstance(p, int)] else model_at(root, loc)


def field_info(kind: str, loc: tuple[Any, ...]) -> tuple[Any, Any]:
    model = _model_at(kind, loc[:-1])
    if model is None:
        return None, None
    for name, info in model.model_fields.items():
        if (info.alias or name) == loc[-1]:
            return model, info
    return model, None


def field_order(kind: str, loc: tuple[Any, ...]) -> list[str]:
    """Field names of the mapping at `loc`, in model order (where to insert a new key)."""
    from kscb_cli.model import MODELS

    model = _model_at(kind, loc)
    if model is None:
        return []
    names = [info.alias or name for name, info in model.model_fields.items()]
    if model in MODELS.values():  # a record: the common fields of RECORDS.md first
        head = ["kind", "id", "title", "status", "classification", "workstream", "priorities", "themes"]
        names = head + [n for n in names if n not in head]
    return names


_ADAPTERS: dict[int, Any] = {}


def _accepts(annotation: Any, value: Any) -> bool:
    from pydantic import TypeAdapter, ValidationError

    adapter = _ADAPTERS.get(id(annotation))
    if adapter is None:
        try:
            adapter = _ADAPTERS[id(annotation)] = TypeAdapter(annotation)
        except Exception:  # noqa: BLE001 - an annotation pydantic cannot adapt on its own: no coercion
            return True
    try:
        adapter.validate_python(value)
        return True
    except ValidationError:
        return False


def element_type(annotation: Any) -> Any:
    """The element type of a list annotation (through Optional and Annotated), else None."""
    import typing

    origin = typing.get_origin(annotation)
    if origin is list:
        args = typing.get_args(annotation)
        return args[0] if args else None
    if origin is typing.Annotated:
        return element_type(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        found = element_type(arg)
        if found is not None:
            return found
    return None


def coerce(value: Any, annotation: Any, raw: str | None = None) -> Any:
    """The value as the field wants it: dates as dates, `2026` as text where text is expected."""
    if value is DELETE or annotation is None:
        return _date_or(value)
    if isinstance(value, list):
        elem = element_type(annotation)
        return [coerce(v, elem) for v in value]
    if isinstance(value, dict):
        return value
    candidates: list[Any] = [value]
    if isinstance(value, str) and _DATE.match(value):
        candidates = [_date_or(value), value]
    elif isinstance(value, (bool, int, float)):
        text = (
            raw.strip() if raw is not None else ("true" if value is True else "false" if value is False else str(value))
        )
        candidates = [value, text]
    for c in candidates:
        if _accepts(annotation, c):
            return c
    return candidates[0]


def _date_or(value: Any) -> Any:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return [_date_or(v) for v in value]
    return value
