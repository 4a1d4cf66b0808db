"""Turn pydantic's validation errors into positioned messages that name the fix."""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from kscb_cli.base.suggest import suggest  # noqa: F401  (its home is suggest.py; modules still import it from here)
from kscb_cli.store.source import Document, Pos

_PATTERN_HELP = {
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$": "an id of capital letters, digits and hyphens, e.g. LCSPR-2025-001",
    r"^[A-Z][A-Z0-9]*$": "an item id: a capital letter then capitals or digits, e.g. F1, R2, A3",
    r"^[A-Z0-9]+(-[A-Z0-9]+)*(#[A-Z][A-Z0-9]*)?$": "a reference: a record id, or id#ITEM, e.g. LCSPR-2025-001#R2",
    r"^[a-z][a-z0-9_]*$": "a snake_case id, e.g. was_not_brought",
}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes inside a field annotation (through Optional, list, dict, Annotated, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found += _models_in(arg)
    return found


def _field(model: type[BaseModel], name: str) -> FieldInfo | None:
    for fname, info in model.model_fields.items():
        if (info.alias or fname) == name:
            return info
    return None


def model_at(root: type[BaseModel] | Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (the loc of that field's parent)."""
    candidates = _models_in(root)
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for model in candidates:
            info = _field(model, part)
            if info is not None:
                nxt += _models_in(info.annotation)
        candidates = nxt or candidates
        if not nxt:
            return None
    return candidates[0] if len(candidates) == 1 else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _show(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "record"


def _choices(expected: str) -> list[str]:
    """The allowed values of a literal: pydantic quotes strings ('a', 'b' or 'c') but not numbers (1 or 2)."""
    return re.findall(r"'([^']*)'", expected) or [c for c in re.split(r", | or ", expected) if c]


def message(err: Mapping[str, Any], root: Any) -> tuple[tuple[Any, ...], str, bool]:
    """(location in the document, message, whether to point at the key) for one pydantic error."""
    loc = tuple(err["loc"])
    if len(loc) > 1 and loc[-1] == "[key]":  # a bad key of a dict field (e.g. a workstream id): point at the key
        loc = loc[:-1]
        found, text, _ = _message({**err, "loc": loc}, root, f"a key in {_show(loc[:-1])}")
        return found, text, True
    return _message(err, root, _show(loc))


def _message(err: Mapping[str, Any], root: Any, where: str) -> tuple[tuple[Any, ...], str, bool]:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        names = _field_names(model) if model else []
        hint = suggest(loc[-1], names)
        return (
            loc,
            f"unknown field {loc[-1]!r}{hint or ''}"
            + ("" if hint else f"; allowed here: {', '.join(names)}" if names else "; remove it"),
            True,
        )
    if kind == "missing":
        model = model_at(root, loc[:-1])
        info = _field(model, loc[-1]) if model else None
        what = f" ({info.description})" if info is not None and info.description else ""
        return loc[:-1], f"missing required field {loc[-1]!r}{what}; add it", False
    if kind in ("literal_error", "enum"):
        choices = _choices(ctx.get("expected", ""))
        hint = suggest(str(value), choices)
        return loc, f"{where} is {value!r}, not one of: {', '.join(choices)}{hint}", False
    if kind == "union_tag_invalid":
        from kscb_cli.model import MODELS

        return (
            loc + ("kind",),
            f"kind {value.get('kind') if isinstance(value, dict) else value!r} is not a record kind{suggest(ctx.get('tag', ''), MODELS)}; kinds: {', '.join(MODELS)}",
            False,
        )
    if kind == "union_tag_not_found":
        from kscb_cli.model import MODELS

        return loc, f"missing required field 'kind'; add one of: {', '.join(MODELS)}", False
    if kind == "string_pattern_mismatch":
        help_ = _PATTERN_HELP.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return loc, f"{where} is {value!r}; expected {help_}", False
    if kind == "string_type":
        quoted = f'; quote it: "{value}"' if isinstance(value, (int, float, bool)) else ""
        return loc, f"{where} must be text, not {type(value).__name__}{quoted}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{where} must be a mapping of fields (key: value), not {_type_name(value)}", False
    if kind == "list_type":
        return loc, f"{where} must be a list, e.g. [A, B] or one '- item' per line, not {_type_name(value)}", False
    if kind == "too_short":
        return loc, f"{where} needs at least {ctx.get('min_length', 1)} item(s) or character(s); fill it in", False
    if kind == "value_error":
        return loc, f"{where}: {str(ctx.get('error', err['msg']))}", False
    return loc, f"{where}: {err['msg'][0].lower()}{err['msg'][1:]} (got {_short(value)})", False


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


_ADAPTERS: dict[int, tuple[Any, TypeAdapter[Any]]] = {}  # id(target) -> (target, its adapter), made once


def adapter(target: Any) -> TypeAdapter[Any]:
    """The TypeAdapter of a model or type, made once. Found by identity: hashing a typing
    construct (the Record union) is Python code, and this runs for every record read."""
    found = _ADAPTERS.get(id(target))
    if found is None or found[0] is not target:
        found = _ADAPTERS[id(target)] = (target, TypeAdapter(target))
    return found[1]


def schema_problems(target: Any, doc: Document) -> tuple[Any, list[tuple[Pos, str]]]:
    """Validate `doc.data` against a model or type; the object, or positioned messages."""
    adapter_ = adapter(target)
    try:
        return adapter_.validate_python(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        for err in errors:
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc, msg, key = message(err, target)
            else:
                loc, msg, key = message(
                    {**err, "loc": tuple(err["loc"])[1:]} if _tagged(target) else err, _root(target, err)
                )
            problems.append((doc.pos(loc, key=key), msg))
        return None, sorted(set(problems), key=lambda p: (p[0].line, p[0].col, p[1]))


def _tagged(target: Any) -> bool:
    return not (isinstance(target, type) and issubclass(target, BaseModel))


def _root(target: Any, err: Mapping[str, Any]) -> Any:
    """The model a (tag-stripped) error location starts from."""
    if _tagged(target):
        from kscb_cli.model import MODELS

        return MODELS.get(str(err["loc"][0]), target) if err["loc"] else target
    return target


__all__ = ["adapter", "message", "model_at", "schema_problems", "suggest"]
