"""Field-level changes between two versions of a record.

Items in lists are matched by their ``id`` (the item lists of ``base.paths.ITEM_LISTS``:
findings, recommendations, actions, standards, training needs), entries without an id (updates, evidence) as a multiset, and other lists
of mappings by position when their length is unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.paths import ITEM_LISTS

SHORT = 48  # scalars up to this length are shown old → new; longer text is "changed"


@dataclass(frozen=True)
class Change:
    """One field-level change between two versions of a record."""

    path: tuple[Any, ...]  # display path: ("A3", "status"), ("publication", "published"), ("R2",)
    op: str  # set | removed | changed | added (an item) | deleted (an item) | items (entries) | created | deleted_record | renamed
    old: Any = None
    new: Any = None
    plus: int = 0  # entries added (op "items")
    minus: int = 0  # entries removed (op "items")
    loc: tuple[Any, ...] = ()  # location in the newer version (the older one for removals)

    @property
    def where(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def text(self) -> str:
        w = self.where
        if self.op == "created":
            return "created"
        if self.op == "deleted_record":
            return "deleted"
        if self.op == "renamed":
            return f"renamed from {self.old}"
        if self.op == "added":
            return f"{w}: added"
        if self.op == "deleted":
            return f"{w}: removed"
        if self.op == "removed":
            return f"{w}: removed"
        if self.op == "set":
            return f"{w}: set to {show_value(self.new)}" if _short(self.new) else f"{w}: set"
        if self.op == "items":
            parts = []
            if self.plus:
                parts.append(f"+{self.plus} item{'s' * (self.plus != 1)}")
            if self.minus:
                parts.append(f"−{self.minus} item{'s' * (self.minus != 1)}")
            return f"{w}: {', '.join(parts)}"
        if self.op == "list":
            parts = [f"+{show_value(v)}" for v in self.new] + [f"−{show_value(v)}" for v in self.old]
            return f"{w}: {', '.join(parts) or 'reordered'}"
        if _short(self.old) and _short(self.new):
            return f"{w}: {show_value(self.old)} → {show_value(self.new)}"
        return f"{w}: changed"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.where, "op": self.op, "text": self.text()}
        if self.op in ("changed", "set", "removed", "renamed"):
            out["old"] = plain_value(self.old)
            out["new"] = plain_value(self.new)
        if self.op == "items":
            out["added"], out["removed"] = self.plus, self.minus
        if self.op == "list":
            out["added"], out["removed"] = plain_value(self.new), plain_value(self.old)
        return out


def _short(value: Any) -> bool:
    if isinstance(value, (dict, list)):
        return False
    return not isinstance(value, str) or (len(value) <= SHORT and "\n" not in value)


def show_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def plain_value(value: Any) -> Any:
    if isinstance(value, (date,)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return value


def _id_list(value: Any) -> bool:
    """A list of mappings each with a unique scalar id."""
    if not isinstance(value, list) or not value:
        return False
    ids = [v.get("id") for v in value if isinstance(v, dict)]
    return len(ids) == len(value) and all(isinstance(i, (str, int)) for i in ids) and len(set(ids)) == len(ids)


def _key(value: Any) -> Any:
    """A hashable form of a value, for multiset comparison."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    if isinstance(value, float) and value != value:
        return "nan"
    return value


def diff(old: Any, new: Any) -> list[Change]:
    """Field-level changes from one version of a record (plain data) to the next."""
    out: list[Change] = []
    _diff_map(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, (), (), out, top=True)
    return out


def _diff_map(
    old: dict[str, Any],
    new: dict[str, Any],
    path: tuple[Any, ...],
    loc: tuple[Any, ...],
    out: list[Change],
    *,
    top: bool = False,
) -> None:
    for key, value in new.items():
        before = old.get(key)
        if key not in old or before is None:
            if value is None:
                continue
            if top and key in ITEM_LISTS and _id_list(value):
                for i, item in enumerate(value):
                    out.append(Change((item["id"],), "added", None, item, loc=loc + (key, i)))
            elif isinstance(value, dict) and value:
                _diff_map({}, value, path + (key,), loc + (key,), out)
            elif isinstance(value, list) and value:
                _diff_list([], value, path + (key,), loc + (key,), out, item_list=False)
            else:
                out.append(Change(path + (key,), "set", None, value, loc=loc + (key,)))
            continue
        if value is None:
            out.append(Change(path + (key,), "removed", before, None, loc=loc + (key,)))
            continue
        _diff_value(before, value, path + (key,), loc + (key,), out, item_list=top and key in ITEM_LISTS)
    for key, before in old.items():
        if key not in new and before is not None:
            if top and key in ITEM_LISTS and _id_list(before):
                for item in before:
                    out.append(Change((item["id"],), "deleted", item, None, loc=(key,)))
            else:
                out.append(Change(path + (key,), "removed", before, None, loc=loc))


def _diff_value(
    old: Any, new: Any, path: tuple[Any, ...], loc: tuple[Any, ...], out: list[Change], *, item_list: bool = False
) -> None:
    if old == new and type(old) is type(new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _diff_map(old, new, path, loc, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, loc, out, item_list=item_list)
        return
    out.append(Change(path, "changed", old, new, loc=loc))


def _diff_list(
    old: list[Any], new: list[Any], path: tuple[Any, ...], loc: tuple[Any, ...], out: list[Change], *, item_list: bool
) -> None:
    if (
        (_id_list(old) or not old)
        and (_id_list(new) or not new)
        and (old or new)
        and any(isinstance(v, dict) for v in old + new)
    ):
        before = {v["id"]: v for v in old}
        base = () if item_list else path
        for i, item in enumerate(new):
            if item["id"] not in before:
                out.append(Change(base + (item["id"],), "added", None, item, loc=loc + (i,)))
            else:
                _diff_value(before[item["id"]], item, base + (item["id"],), loc + (i,), out)
        ids = {v["id"] for v in new}
        for item in old:
            if item["id"] not in ids:
                out.append(Change(base + (item["id"],), "deleted", item, None, loc=loc))
        return
    if all(not isinstance(v, (dict, list)) for v in old + new):
        added = list((Counter(map(_key, new)) - Counter(map(_key, old))).elements())
        removed = list((Counter(map(_key, old)) - Counter(map(_key, new))).elements())
        out.append(Change(path, "list", removed, added, loc=loc))
        return
    entries = all(isinstance(v, dict) and "id" not in v for v in old + new)
    if len(old) == len(new) and not (entries and _looks_like_entries(old + new)):
        for i, (a, b) in enumerate(zip(old, new)):
            _diff_value(a, b, path + (i,), loc + (i,), out)
        return
    plus = sum((Counter(map(_key, new)) - Counter(map(_key, old))).values())
    minus = sum((Counter(map(_key, old)) - Counter(map(_key, new))).values())
    out.append(Change(path, "items", old, new, plus=plus, minus=minus, loc=loc))


def _looks_like_entries(values: list[Any]) -> bool:
    """Dated entries (updates, evidence): matched as a multiset, never by position."""
    return all("date" in v for v in values)
