"""Edit one record in place, keeping every comment, key order, quoting style and blank line.

The file is loaded with ruamel.yaml in round-trip mode (only this one file: round-trip
loading is ~30x slower than the read path), with the file's own indentation detected
and kept, and dumped back with a line width that never re-wraps text. Before anything
is written the edit must pass four checks:

1. layout: the text differs in at most one block of lines per field edited, and every
   comment line is still there (round-trip dumps have been seen to drop comments and
   re-flow text; this refuses rather than loses);
2. meaning: read back with the fast reader, only the edited fields changed;
3. lifecycle: a status moves only by an allowed step (lifecycle.py), unless forced
   with a reason;
4. validity: the record passes the schema and the same lint rules as ``kscb lint`` —
   an edit that introduces an error is refused with the diagnostics (errors that were
   already there do not block an edit, so a record can be fixed one field at a time).

The write is atomic (a temporary file, then a rename) and refused if the file changed
on disk since it was read.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError

ITEM_LISTS = ("findings", "recommendations", "actions", "standards")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ITEM = re.compile(r"[A-Z][A-Z0-9]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
DELETE = object()  # `FIELD=` / `FIELD=null`: remove the field
SHORT = 48


@dataclass
class Edit:
    """A planned edit: the new text, what it changes, and what the checks found."""

    root: Path
    path: Path
    rel: str
    record_id: str
    item: str | None
    old_bytes: bytes
    new_text: str
    summary: list[str]  # "status → complete", "updates +1 (2026-11-20)"
    forced: list[str] = field(default_factory=list)  # transitions allowed only by --force
    reason: str | None = None
    warnings: list = field(default_factory=list)  # new lint warnings (they do not block)

    @property
    def changed(self) -> bool:
        return self.new_bytes != self.old_bytes

    @property
    def new_bytes(self) -> bytes:
        return self.new_text.encode("utf-8")

    @property
    def target(self) -> str:
        return f"{self.record_id}#{self.item}" if self.item else self.record_id

    def message(self) -> str:
        """The commit message: `kscb: AP-LCSPR-2025-001#A3 status → complete`."""
        text = f"kscb: {self.target} {', '.join(self.summary)}"
        if self.forced:
            from kscb_cli.domain.lifecycle import FORCED_TRAILER

            text += "\n\n" + "\n".join(f"Forced: {f}" for f in self.forced) + f"\n\n{FORCED_TRAILER} {self.reason}"
        return text

    def diff(self) -> str:
        old = self.old_bytes.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.new_text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.rel}", f"b/{self.rel}"))


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
        if not _FIELD.match(part):
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


def _model_at(kind: str, loc: tuple) -> Any:
    """The model class that holds the fields at `loc` (a location of a mapping in the record)."""
    from kscb_cli.model import MODELS
    from kscb_cli.store.validate import model_at

    root = MODELS.get(kind)
    if root is None:
        return None
    return root if not [p for p in loc if not isinstance(p, int)] else model_at(root, loc)


def field_info(kind: str, loc: tuple):
    model = _model_at(kind, loc[:-1])
    if model is None:
        return None, None
    for name, info in model.model_fields.items():
        if (info.alias or name) == loc[-1]:
            return model, info
    return model, None


def _order(kind: str, loc: tuple) -> list[str]:
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


def _element(annotation: Any) -> Any:
    """The element type of a list annotation (through Optional and Annotated), else None."""
    import typing

    origin = typing.get_origin(annotation)
    if origin is list:
        args = typing.get_args(annotation)
        return args[0] if args else None
    if origin is typing.Annotated:
        return _element(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation):
        found = _element(arg)
        if found is not None:
            return found
    return None


def coerce(value: Any, annotation: Any, raw: str | None = None) -> Any:
    """The value as the field wants it: dates as dates, `2026` as text where text is expected."""
    if value is DELETE or annotation is None:
        return _date_or(value)
    if isinstance(value, list):
        elem = _element(annotation)
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


# --- layout ---------------------------------------------------------------------------


def detect_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) used by the file, for ruamel's `indent()`.

    Counted from every block that opens under a `key:` line; the most common wins.
    A file with no nested blocks gets the layout of RECORDS.md (2, 4, 2).
    """
    maps: Counter = Counter()
    seqs: Counter = Counter()
    key_col, opens = 0, False
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if opens:
            if stripped.startswith("- ") or stripped == "-":
                after = stripped[1:]
                content = indent + 1 + (len(after) - len(after.lstrip(" ")))
                if indent >= key_col:
                    seqs[(content - key_col, indent - key_col)] += 1
            elif indent > key_col:
                maps[indent - key_col] += 1
        body = re.sub(r"\s+#.*$", "", stripped)
        key_col = indent
        while body.startswith("- "):  # `- key:` opens a block at the key's column
            rest = body[2:].lstrip(" ")
            key_col += len(body) - len(rest)
            body = rest
        opens = bool(re.match(r"[^\s#'\"|>][^:]*:\Z", body) or re.match(r"(['\"]).*\1:\Z", body))
    mapping = maps.most_common(1)[0][0] if maps else 2
    sequence, offset = seqs.most_common(1)[0][0] if seqs else (4, 2)
    return mapping, sequence, offset


def round_trip_yaml(text: str):
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16  # never re-wrap: a long line stays one line
    mapping, sequence, offset = detect_indent(text)
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    if first.startswith("---"):
        y.explicit_start = True
    return y


def _hunks(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return sum(1 for tag, *_ in matcher.get_opcodes() if tag != "equal")


_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _comment_lines(text: str) -> Counter:
    """Full-line comments, not counting lines inside block scalars (a `#` there is text)."""
    out: Counter = Counter()
    block: int | None = None  # the indent a block scalar's lines must exceed
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block is not None:
            if not stripped or indent > block:
                continue
            block = None
        if stripped.startswith("#"):
            out[stripped.strip()] += 1
        elif _BLOCK_START.search(line):
            rest = stripped.lstrip("- ")
            keyed = stripped.startswith("- ") and not rest.startswith(("|", ">"))
            block = indent + (len(stripped) - len(rest) if keyed else 0)  # `- key: |` indents from the key
    return out


# --- ruamel helpers -------------------------------------------------------------------


def _styled(new: Any, old: Any) -> Any:
    """`new` as a ruamel node, in the style of the value it replaces (quotes, folded or literal block, flow)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString

    if isinstance(new, dict):
        node = CommentedMap()
        for k, v in new.items():
            node[k] = _styled(v, None)
        node.fa.set_flow_style()
        return node
    if isinstance(new, list):
        seq = CommentedSeq(_styled(v, None) for v in new)
        seq.fa.set_flow_style()
        return seq
    if (
        isinstance(new, (date, int, float))
        and not isinstance(new, bool)
        and isinstance(old, ScalarString)
        and not isinstance(old, (FoldedScalarString, LiteralScalarString))
    ):
        return type(old)(
            new.isoformat() if isinstance(new, date) else str(new)
        )  # a quoted date or number stays quoted text
    if isinstance(new, str) and isinstance(old, ScalarString):
        if isinstance(old, FoldedScalarString):
            return _folded(new, old)
        if isinstance(old, LiteralScalarString):
            return LiteralScalarString(new)
        return type(old)(new)
    if isinstance(new, str) and YAML11_SPECIAL.match(new):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(
            new
        )  # text that YAML 1.1 readers (PyYAML, many editors) take as true/false/null
    return new


# Plain words YAML 1.1 reads as booleans or null (YAML 1.2, which kscb reads, takes them as text):
# written as text they are quoted, so no other tool reads `answer: no` as false.
YAML11_SPECIAL = re.compile(
    r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)\Z"
)


def _folded(text: str, old: Any) -> Any:
    """A folded (>-) block with the new text, wrapped at the width of the block it replaces."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if "\n" in text:
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(text)
    folds = list(getattr(old, "fold_pos", None) or [])
    bounds = [-1] + folds + [len(old)]
    # the widest line of the old block, where it was folded; else the width the demo store uses
    width = max(max(b - a - 1 for a, b in zip(bounds, bounds[1:])), 40) if folds else 92
    node = FoldedScalarString(text)
    pos, start, last_space = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " " and i + 1 < len(text) and text[i + 1] != " " and (i == 0 or text[i - 1] != " "):
            if i - start > width and last_space > start:
                pos.append(last_space)
                start = last_space + 1
            last_space = i
    if len(text) - start > width and last_space > start:
        pos.append(last_space)
    node.fold_pos = pos
    return node


def _tail(node: Any, key: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comment that follows `node[key]`: (container, key, slot), else None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.get(key)
    if entry is not None and len(entry) > slot and entry[slot] is not None:
        return node, key, slot
    value = node[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _tail(value, list(value.keys())[-1])
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        return _tail(value, len(value) - 1)
    return None


def _split_comment(value: str) -> tuple[str, str]:
    """A post-value comment token → (the end-of-line part, the lines after it)."""
    head, nl, rest = value.partition("\n")
    return head + nl, rest


def _set_token(container: Any, key: Any, slot: int, value: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) < 4:
        entry.append(None)
    old = entry[slot]
    column = old.column if old is not None else 0
    entry[slot] = CommentToken(value, CommentMark(column), None) if value else None


def _delete_key(node: Any, key: str) -> None:
    """Delete `node[key]`, keeping the comment lines that follow it (they introduce the next key)."""
    keys = list(node.keys())
    i = keys.index(key)
    where = _tail(node, key)
    rest = ""
    if where is not None:
        container, k, slot = where
        _, rest = _split_comment(container.ca.items[k][slot].value)
    del node[key]
    if key in node.ca.items:
        del node.ca.items[key]
    if not rest.strip():
        return
    if i > 0:
        prev = keys[i - 1]
        target = _tail(node, prev)
        if target is None:
            _set_token(node, prev, 2, "\n" + rest)
        else:
            container, k, slot = target
            head, old_rest = _split_comment(container.ca.items[k][slot].value)
            _set_token(container, k, slot, (head or "\n") + old_rest + rest)
    # the first key of a mapping: there is nowhere safe to keep the comment; the layout check refuses the edit


def _insert_key(node: Any, key: str, value: Any, order: list[str]) -> None:
    """Insert `key` where the model puts it: after the last present key that comes before it."""
    keys = list(node.keys())
    rank = {k: i for i, k in enumerate(order)}
    pos = len(keys)
    if key in rank:
        before = [i for i, k in enumerate(keys) if rank.get(k, len(order)) < rank[key]]
        pos = before[-1] + 1 if before else 0
    if 0 < pos:
        # comment lines after the previous key introduce the key after it: keep them above that key
        prev = keys[pos - 1]
        where = _tail(node, prev)
        simple = not hasattr(value, "fa") or value.fa.flow_style()
        if where is not None and simple and pos < len(keys):
            container, k, slot = where
            head, rest = _split_comment(container.ca.items[k][slot].value)
            if rest.strip():
                _set_token(container, k, slot, head)
                node.insert(pos, key, value)
                _set_token(node, key, 2, "\n" + rest)
                return
    node.insert(pos, key, value)


# --- planning an edit -----------------------------------------------------------------


@dataclass
class _Ctx:
    kind: str
    base: Any  # the ruamel mapping edited (the record, or the item)
    base_loc: tuple  # its location in the record
    edits: int = 0
    locs: list[tuple] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def _find_entry(store: Any, record_id: str):
    entry = store.entry(record_id)
    if entry is not None:
        return entry
    for e in store.entries:
        if e.id == record_id or e.stem == record_id:
            return e
    from kscb_cli.store.validate import suggest

    ids = [e.id or e.stem for e in store.entries]
    raise KscbError(f"no record {record_id!r} in the store{suggest(record_id, ids)}; `kscb list` shows the ids")


def _item_base(data: Any, item: str, record_id: str) -> tuple[Any, tuple]:
    for name in ITEM_LISTS:
        for i, value in enumerate(data.get(name) or ()):
            if isinstance(value, dict) and value.get("id") == item:
                return value, (name, i)
    have = sorted(
        str(v.get("id")) for n in ITEM_LISTS for v in data.get(n) or () if isinstance(v, dict) and v.get("id")
    )
    raise KscbError(f"{record_id} has no item {item!r} (its items: {', '.join(have) or 'none'}); check the id")


def _show(value: Any) -> str:
    if value is DELETE:
        return "removed"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)) or (isinstance(value, str) and (len(value) > SHORT or "\n" in value)):
        return "changed"
    return str(value)


def _refuse(store: Any, values: list[tuple[str, str]]) -> None:
    """Refuse a value that holds identifying data before anything is read or written."""
    from kscb_cli.privacy.gate import refuse_identifying

    refuse_identifying(store.root, store.config, values)


def _check_size(values: list[str]) -> None:
    """Refuse, before any parsing, values that could not fit in a record file (source.MAX_BYTES)."""
    from kscb_cli.store.source import MAX_BYTES

    total = sum(len(v) for v in values)
    if total > MAX_BYTES // 2 and sum(len(v.encode("utf-8", "surrogatepass")) for v in values) > MAX_BYTES:
        size = sum(len(v.encode("utf-8", "surrogatepass")) for v in values)
        raise KscbError(
            f"the values given are {size / 1_000_000:.1f} MB, more than a whole record file may hold "
            f"({MAX_BYTES // (1 << 20)} MiB); nothing was written — keep long documents elsewhere and give their location instead"
        )


def plan_set(
    store: Any, target: str, assignments: list[str], *, today: date, force: bool = False, reason: str | None = None
) -> Edit:
    """Plan `kscb set ID[#ITEM] FIELD=VALUE ...` (nothing is written)."""
    if not assignments:
        raise KscbError("nothing to set; give FIELD=VALUE, e.g. status=complete")
    _check_size(assignments)
    parsed = [split_assignment(a) for a in assignments]
    _refuse(store, [(".".join(parts), raw) for parts, raw in parsed])

    def mutate(ctx: _Ctx) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        for parts, raw in parsed:
            node, loc = ctx.base, ctx.base_loc
            for part in parts[:-1]:
                loc = loc + (part,)
                child = node.get(part) if isinstance(node, dict) else None
                if child is None:
                    child = CommentedMap()
                    _insert_key(node, part, child, _order(ctx.kind, loc[:-1]))
                elif not isinstance(child, dict):
                    raise KscbError(
                        f"{'.'.join(parts)}: {part} is not a mapping of fields, so it has no {parts[-1]!r}; set {part} itself"
                    )
                node = child
            key = parts[-1]
            loc = loc + (key,)
            _, info = field_info(ctx.kind, loc)
            value = coerce(parse_value(raw), info.annotation if info is not None else None, raw)
            ctx.locs.append(loc)
            ctx.edits += 1
            label = ".".join(parts)
            if value is DELETE:
                if key not in node:
                    raise KscbError(f"{label} is not set on {target}, so there is nothing to remove")
                _delete_key(node, key)
                ctx.summary.append(f"{label} removed")
                continue
            old = node.get(key)
            if isinstance(old, CommentedSeq) and isinstance(value, list):
                old[:] = [_styled(v, None) for v in value]
            elif isinstance(old, CommentedMap) and isinstance(value, dict):
                for k in list(old.keys()):
                    if k not in value:
                        del old[k]
                for k, v in value.items():
                    old[k] = _styled(v, old.get(k))
            elif key in node:
                node[key] = _styled(value, old)
            else:
                _insert_key(node, key, _styled(value, None), _order(ctx.kind, loc[:-1]))
            ctx.summary.append(f"{label} → {_show(value)}")

    return _plan(store, target, mutate, today=today, force=force, reason=reason)


def plan_add(store: Any, target: str, list_field: str, values: list[str], *, today: date) -> Edit:
    """Plan `kscb add ID[#ITEM] LIST-FIELD key=value ...` (or scalar values): append one entry."""
    if not values:
        raise KscbError(f'nothing to add to {list_field}; give key=value pairs (date=2026-11-20 "text=...") or values')
    parts = tuple(list_field.split("."))
    for part in parts:
        if not _FIELD.match(part):
            raise KscbError(f"{list_field!r} is not a field name; give the list to add to, e.g. updates or evidence")
    _check_size(values)
    _refuse(store, [(list_field, v.partition("=")[2] if "=" in v else v) for v in values])
    pairs = all("=" in v for v in values)
    if not pairs and any("=" in v and _FIELD.match(v.partition("=")[0]) for v in values):
        raise KscbError("give either key=value pairs for one entry, or plain values for a list of values, not both")

    def mutate(ctx: _Ctx) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        node, loc = ctx.base, ctx.base_loc
        for part in parts[:-1]:
            loc = loc + (part,)
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise KscbError(f"{list_field}: {part} is not a mapping on {target}; set it first")
        key = parts[-1]
        loc = loc + (key,)
        _, info = field_info(ctx.kind, loc)
        elem = _element(info.annotation) if info is not None else None
        lst = node.get(key)
        if lst is not None and not isinstance(lst, list):
            raise KscbError(f"{list_field} on {target} is not a list; use `kscb set` for a single value")
        new_list = lst is None
        if new_list:
            lst = CommentedSeq()
        if pairs:
            entry: dict[str, Any] = {}
            for v in values:
                k, raw = split_assignment(v)
                if len(k) != 1:
                    raise KscbError(f"{v!r}: an entry's keys are plain names (date, text), not dotted")
                _, sub = field_info(ctx.kind, loc + (0, k[0]))
                value = coerce(parse_value(raw), sub.annotation if sub is not None else None, raw)
                if value is DELETE:
                    continue
                entry[k[0]] = value
            if not entry:
                raise KscbError("the entry is empty; give key=value pairs with values")
            last = lst[-1] if len(lst) else None
            flow = (
                last.fa.flow_style()
                if isinstance(last, CommentedMap)
                else (len(entry) <= 3 and all(not isinstance(v, (dict, list)) for v in entry.values()))
            )
            m = CommentedMap()
            for k, v in entry.items():
                m[k] = _styled(v, None)
            if flow:
                m.fa.set_flow_style()
            else:
                m.fa.set_block_style()
            lst.append(m)
            brief = entry.get("id") or entry.get("date") or entry.get("agency") or entry.get("heading")
            ctx.summary.append(
                f"{list_field} +1" + (f" ({brief})" if brief is not None and _show(brief) != "changed" else "")
            )
            added = 1
        else:
            for v in values:
                value = coerce(parse_value(v), elem, v)
                if value is DELETE:
                    continue
                lst.append(_styled(value, None))
            added = len(values)
            ctx.summary.append(f"{list_field} +{', +'.join(_show(parse_value(v)) for v in values)}")
            if new_list:
                lst.fa.set_flow_style()
        if new_list:
            if pairs:
                lst.fa.set_block_style()
            _insert_key(node, key, lst, _order(ctx.kind, loc[:-1]))
        ctx.locs.append(loc if new_list else loc + (len(lst) - added,))
        ctx.edits += 1

    return _plan(store, target, mutate, today=today)


def _plan(
    store: Any,
    target: str,
    mutate: Callable[[_Ctx], None],
    *,
    today: date,
    force: bool = False,
    reason: str | None = None,
) -> Edit:
    from kscb_cli.store.source import SourceError, decode, parse

    record_id, item = split_target(target)
    entry = _find_entry(store, record_id)
    path = entry.path
    if entry.problem is not None and entry.problem.code == "F009":
        raise KscbError(
            f"{entry.rel} is a symbolic link to a file outside the store; kscb does not edit it — copy the record into records/ first"
        )
    if path.is_symlink() and not _inside_store(path, store.root):
        raise KscbError(
            f"{entry.rel} is a symbolic link to a file outside the store; kscb does not edit it — copy the record into records/ first"
        )
    try:
        old_bytes = path.read_bytes()
    except OSError as exc:
        raise KscbError(f"{entry.rel}: cannot read it ({exc.strerror})") from None
    try:
        text = decode(old_bytes)
        before = parse(text)
    except SourceError as exc:
        p = exc.problem
        raise KscbError(
            f"{entry.rel}:{p.pos.line}:{p.pos.col}: {p.message} — fix the file by hand before editing it with kscb"
        ) from None
    bom = old_bytes.startswith(b"\xef\xbb\xbf")
    original = text
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    kind = before.data.get("kind") if isinstance(before.data.get("kind"), str) else ""

    # ruamel refuses tabs that YAML 1.2 and the reader allow (`title:\tText`, `true\t# note`): it
    # edits a copy with each tab a space, and every line the edit does not touch is then put back
    # exactly as it was, tabs and all
    sanitized = re.sub(r"[ \t]+$", "", text.replace("\t", " "), flags=re.M) if "\t" in text else text
    y = round_trip_yaml(sanitized)
    try:
        data = y.load(sanitized)
    except Exception as exc:  # noqa: BLE001 - ruamel reads what the reader accepted differently: refuse, never crash
        problem = str(exc).strip().splitlines()
        raise KscbError(
            f"{entry.rel}: kscb cannot edit this file automatically ({problem[0] if problem else type(exc).__name__}); nothing was written — make this change by hand in an editor"
        ) from None
    base, base_loc = (data, ()) if item is None else _item_base(data, item, record_id)
    ctx = _Ctx(kind, base, base_loc)
    mutate(ctx)

    import io

    out = io.StringIO()
    y.dump(data, out)
    new_text = out.getvalue()
    if not text.endswith("\n") and new_text.endswith("\n"):
        new_text = new_text[:-1]
    if sanitized is not text:
        new_text = _restore_lines(text, sanitized, new_text)
    _check_layout(entry.rel, text, new_text, ctx.edits)
    after = _check_meaning(entry.rel, before, new_text, ctx.locs)
    forced = _check_lifecycle(before.data, after.data, force=force, reason=reason)
    if crlf:
        new_text = restore_line_endings(original, new_text)
    from kscb_cli.store.source import MAX_BYTES

    if len(new_text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise KscbError(
            f"{entry.rel}: the edited file would be over {MAX_BYTES // (1 << 20)} MiB, more than a record may hold; nothing was written"
        )
    if bom:
        new_text = "\ufeff" + new_text
    edit = Edit(store.root, path, entry.rel, record_id, item, old_bytes, new_text, ctx.summary, forced, reason)
    if edit.changed:
        _check_references(store, entry, before.data, after.data)
        edit.warnings = _check_valid(store, entry, edit, today)
    return edit


def _inside_store(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):
        return False


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def restore_line_endings(original: str, new_lf: str) -> str:
    """`new_lf` (LF line endings) with each line's ending as it was in `original`: a file with
    mixed endings changes only on the edited lines; new lines take the ending of the lines they
    replace, else the file's most common one."""
    old = _LINE.findall(original)
    old_body = [ln[:-2] if ln.endswith("\r\n") else ln[:-1] if ln.endswith("\n") else ln for ln in old]
    old_end = [ln[len(b) :] for ln, b in zip(old, old_body)]
    crlf, lf = sum(e == "\r\n" for e in old_end), sum(e == "\n" for e in old_end)
    dominant = "\r\n" if crlf > lf else "\n"
    new = _LINE.findall(new_lf)
    new_body = [ln[:-1] if ln.endswith("\n") else ln for ln in new]
    has_nl = [ln.endswith("\n") for ln in new]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_body, new_body, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                out.append(new_body[j1 + k] + ((old_end[i1 + k] or dominant) if has_nl[j1 + k] else ""))
            continue
        end = next((e for e in old_end[i1:i2] if e), None) or (
            old_end[i1 - 1] if i1 > 0 and old_end[i1 - 1] else dominant
        )
        for j in range(j1, j2):
            out.append(new_body[j] + (end if has_nl[j] else ""))
    return "".join(out)


def _restore_lines(original: str, edited_copy: str, new: str) -> str:
    """`new` (a dump of `edited_copy`, a same-length-lines copy of `original`) with every line it
    did not change taken from `original` again."""
    orig = _LINE.findall(original)
    copy = _LINE.findall(edited_copy)
    lines = _LINE.findall(new)
    if len(orig) != len(copy):  # pragma: no cover - the copy only swaps characters
        return new
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, copy, lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(orig[i1:i2] if tag == "equal" else lines[j1:j2])
    return "".join(out)


def _targets(data: Any) -> set[str]:
    """What other records can point at in this record: its id, and ID#ITEM for each item."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return set()
    rid = data["id"]
    out = {rid}
    for name in ITEM_LISTS:
        for value in data.get(name) or ():
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                out.add(f"{rid}#{value['id']}")
    return out


def _check_references(store: Any, entry: Any, before: Any, after: Any) -> None:
    """Refuse an edit that renames (or removes) a record or item id that other records point at."""
    from kscb_cli.store.refs import references

    lost = _targets(before) - _targets(after)
    if not lost:
        return
    broken: list[str] = []
    for other in store.entries:
        if other.record is None or other.rel == entry.rel:
            continue
        try:
            refs = list(references(other.record))
        except Exception:  # noqa: BLE001 - a record the reference walker cannot read is lint's business
            continue
        for r in refs:
            if r.ref in lost:
                pos = other.pos(r.loc)
                broken.append(f"{other.rel}:{pos.line}:{pos.col} ({r.ref})")
    if broken:
        names = sorted({b.rsplit(" (", 1)[1][:-1] for b in broken})
        shown = "; ".join(sorted(broken)[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise KscbError(
            f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} referenced by other records ({shown}); "
            "renaming or removing it would break those references, so nothing was written — change the references first, "
            "or keep the id and change the title"
        )


def _check_layout(rel: str, old: str, new: str, edits: int) -> None:
    """Refuse a dump that changed more than the edited blocks, or lost a comment."""
    lost = _comment_lines(old) - _comment_lines(new)
    if lost:
        line = next(iter(lost))
        raise KscbError(
            f"{rel}: this edit would drop the comment {line!r}; nothing was written — make this change by hand in an editor"
        )
    if _hunks(old, new) > edits:
        raise KscbError(
            f"{rel}: kscb could not make this edit without also changing other lines of the file; nothing was written — make this change by hand in an editor"
        )


def _check_meaning(rel: str, before: Any, new_text: str, locs: list[tuple]) -> Any:
    """Read the new text back with the fast reader: only the edited fields may differ."""
    from kscb_cli.history import diff
    from kscb_cli.store.source import SourceError, parse

    try:
        after = parse(new_text)
    except SourceError as exc:  # pragma: no cover - ruamel wrote something the reader refuses: a bug
        raise KscbError(
            f"{rel}: the edited file would not read back ({exc.problem.message}); nothing was written"
        ) from None
    for change in diff(before.data, after.data):
        if not any(change.loc[: len(loc)] == loc or loc[: len(change.loc)] == change.loc for loc in locs):
            raise KscbError(
                f"{rel}: the edit would also change {change.where or 'the record'}; nothing was written — make this change by hand in an editor"
            )
    return after


def _check_lifecycle(old: Any, new: Any, *, force: bool, reason: str | None) -> list[str]:
    from kscb_cli.domain.lifecycle import transitions

    bad = [t for t in transitions(old, new) if not t.ok]
    if not bad:
        return []
    if not force:
        lines = "; ".join(t.message() for t in bad)
        raise KscbError(f'{lines}. Set the steps in between, or pass --force --reason "why" if the jump is right')
    if not reason or not reason.strip():
        raise KscbError('--force needs --reason "why": the reason goes into the commit so the jump is explained')
    return [f"{t.label} status {t.old} → {t.new}" for t in bad]


def _check_valid(store: Any, entry: Any, edit: Edit, today: date) -> list:
    """Lint the record as it would be; errors it did not have before refuse the edit. The new warnings."""
    from kscb_cli.base.diagnostics import Severity
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.store import Store, load_entry

    new_entry = load_entry(entry.path, entry.rel, edit.new_bytes)
    others = [e for e in store.entries if e.rel != entry.rel]
    before = lint(store, today=today, paths=[entry.path]).diagnostics
    after = lint(Store(store.root, store.config, others + [new_entry]), today=today, paths=[entry.path]).diagnostics

    def key(d) -> tuple:
        return (d.code, d.severity, d.message)

    had = Counter(key(d) for d in before)
    new = []
    for d in after:
        if had[key(d)] > 0:
            had[key(d)] -= 1
        else:
            new.append(d)
    errors = [d for d in new if d.severity is Severity.error]
    if errors:
        raise KscbError(
            f"the edit would make {edit.target} invalid (nothing was written); fix the values and try again",
            diagnostics=errors,
        )
    return [d for d in new if d.severity is Severity.warning]


# --- writing --------------------------------------------------------------------------


def file_is_clean(root: Path, rel: str) -> bool:
    """Whether the file has no uncommitted changes (so --commit would commit only this edit)."""
    from kscb_cli.base import gitio

    if not gitio.has_commits(root):
        return True
    out = gitio.git(root, "status", "--porcelain", "--", rel)
    return not out.strip()


def write(edit: Edit, *, commit: bool = False) -> str | None:
    """Write the edit atomically (refusing if the file changed since it was read); commit just that file if asked.

    The new commit id, when committed.
    """
    from kscb_cli.base import gitio
    from kscb_cli.base.atomic import write_bytes

    if commit:
        gitio.require_repo(edit.root)
        if not file_is_clean(edit.root, edit.rel):
            raise KscbError(
                f"{edit.rel} has uncommitted changes, which --commit would commit too; commit or discard them first, or run without --commit"
            )
    from kscb_cli.base.atomic import locked

    with locked(edit.root):  # re-entrant: the command normally holds it from before the store was read
        write_bytes(edit.path, edit.new_bytes, expect=edit.old_bytes)
        if not commit:
            return None
        try:
            return gitio.commit_only(edit.root, edit.path, edit.message())
        except gitio.GitError as exc:
            raise KscbError(f"{edit.rel} was written but not committed ({exc.message}); commit it yourself") from None


__all__ = [
    "DELETE",
    "Edit",
    "coerce",
    "detect_indent",
    "parse_value",
    "plan_add",
    "plan_set",
    "split_assignment",
    "split_target",
    "write",
]
