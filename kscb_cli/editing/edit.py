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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base.diagnostics import Diagnostic
from kscb_cli.base.errors import KscbError
from kscb_cli.editing.checks import check_layout, check_lifecycle, check_meaning, check_references, check_valid
from kscb_cli.editing.values import (
    DELETE,
    coerce,
    element_type,
    field_info,
    field_order,
    parse_value,
    split_assignment,
    split_target,
)
from kscb_cli.editing.yamlrt import (
    delete_key,
    detect_indent,
    insert_key,
    restore_line_endings,
    restore_lines,
    round_trip_yaml,
    styled,
)
from kscb_cli.model import ITEM_LISTS

if TYPE_CHECKING:
    from kscb_cli.store.store import Entry, Store

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
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
    warnings: list[Diagnostic] = field(default_factory=list)  # new lint warnings (they do not block)

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


@dataclass
class _Ctx:
    kind: str
    base: Any  # the ruamel mapping edited (the record, or the item)
    base_loc: tuple[Any, ...]  # its location in the record
    edits: int = 0
    locs: list[tuple[Any, ...]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def _find_entry(store: Store, record_id: str) -> Entry:
    entry = store.entry(record_id)
    if entry is not None:
        return entry
    for e in store.entries:
        if e.id == record_id or e.stem == record_id:
            return e
    from kscb_cli.base.suggest import suggest

    ids = [e.id or e.stem for e in store.entries]
    raise KscbError(f"no record {record_id!r} in the store{suggest(record_id, ids)}; `kscb list` shows the ids")


def _item_base(data: Any, item: str, record_id: str) -> tuple[Any, tuple[Any, ...]]:
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
                    insert_key(node, part, child, field_order(ctx.kind, loc[:-1]))
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
                delete_key(node, key)
                ctx.summary.append(f"{label} removed")
                continue
            old = node.get(key)
            if isinstance(old, CommentedSeq) and isinstance(value, list):
                old[:] = [styled(v, None) for v in value]
            elif isinstance(old, CommentedMap) and isinstance(value, dict):
                for k in list(old.keys()):
                    if k not in value:
                        del old[k]
                for k, v in value.items():
                    old[k] = styled(v, old.get(k))
            elif key in node:
                node[key] = styled(value, old)
            else:
                insert_key(node, key, styled(value, None), field_order(ctx.kind, loc[:-1]))
            ctx.summary.append(f"{label} → {_show(value)}")

    return _plan(store, target, mutate, today=today, force=force, reason=reason)


def plan_add(store: Any, target: str, list_field: str, values: list[str], *, today: date) -> Edit:
    """Plan `kscb add ID[#ITEM] LIST-FIELD key=value ...` (or scalar values): append one entry."""
    if not values:
        raise KscbError(f'nothing to add to {list_field}; give key=value pairs (date=2026-11-20 "text=...") or values')
    parts = tuple(list_field.split("."))
    for part in parts:
        if not FIELD_NAME.match(part):
            raise KscbError(f"{list_field!r} is not a field name; give the list to add to, e.g. updates or evidence")
    _check_size(values)
    _refuse(store, [(list_field, v.partition("=")[2] if "=" in v else v) for v in values])
    pairs = all("=" in v for v in values)
    if not pairs and any("=" in v and FIELD_NAME.match(v.partition("=")[0]) for v in values):
        raise KscbError("give either key=value pairs for one entry, or plain values for a list of values, not both")

    def mutate(ctx: _Ctx) -> None:
        from ruamel.yaml.comments import CommentedSeq

        node, loc = ctx.base, ctx.base_loc
        for part in parts[:-1]:
            loc = loc + (part,)
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise KscbError(f"{list_field}: {part} is not a mapping on {target}; set it first")
        key = parts[-1]
        loc = loc + (key,)
        _, info = field_info(ctx.kind, loc)
        elem = element_type(info.annotation) if info is not None else None
        lst = node.get(key)
        if lst is not None and not isinstance(lst, list):
            raise KscbError(f"{list_field} on {target} is not a list; use `kscb set` for a single value")
        new_list = lst is None
        if new_list:
            lst = CommentedSeq()
        if pairs:
            _append_entry(ctx, lst, loc, values, list_field)
            added = 1
        else:
            for v in values:
                value = coerce(parse_value(v), elem, v)
                if value is DELETE:
                    continue
                lst.append(styled(value, None))
            added = len(values)
            ctx.summary.append(f"{list_field} +{', +'.join(_show(parse_value(v)) for v in values)}")
            if new_list:
                lst.fa.set_flow_style()
        if new_list:
            if pairs:
                lst.fa.set_block_style()
            insert_key(node, key, lst, field_order(ctx.kind, loc[:-1]))
        ctx.locs.append(loc if new_list else loc + (len(lst) - added,))
        ctx.edits += 1

    return _plan(store, target, mutate, today=today)


def _append_entry(ctx: _Ctx, lst: Any, loc: tuple[Any, ...], values: list[str], list_field: str) -> None:
    """Append one entry (a mapping) from key=value pairs, in the style of the entries before it."""
    from ruamel.yaml.comments import CommentedMap

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
    for name, value in entry.items():
        m[name] = styled(value, None)
    if flow:
        m.fa.set_flow_style()
    else:
        m.fa.set_block_style()
    lst.append(m)
    brief = entry.get("id") or entry.get("date") or entry.get("agency") or entry.get("heading")
    ctx.summary.append(f"{list_field} +1" + (f" ({brief})" if brief is not None and _show(brief) != "changed" else ""))


def _plan(
    store: Any,
    target: str,
    mutate: Callable[[_Ctx], None],
    *,
    today: date,
    force: bool = False,
    reason: str | None = None,
) -> Edit:
    record_id, item = split_target(target)
    entry = _find_entry(store, record_id)
    path = entry.path
    old_bytes, text, before = _read_record(store, entry)
    bom = old_bytes.startswith(b"\xef\xbb\xbf")
    original = text
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    kind = before.data.get("kind") if isinstance(before.data.get("kind"), str) else ""
    y, sanitized, data = _round_trip(entry.rel, text)
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
        new_text = restore_lines(text, sanitized, new_text)
    check_layout(entry.rel, text, new_text, ctx.edits)
    after = check_meaning(entry.rel, before, new_text, ctx.locs)
    forced = check_lifecycle(before.data, after.data, force=force, reason=reason)
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
        check_references(store, entry, before.data, after.data)
        edit.warnings = check_valid(store, entry, edit, today)
    return edit


def _read_record(store: Any, entry: Any) -> tuple[bytes, str, Any]:
    """(bytes, text, parsed document) of the record to edit; refused when it is outside the store or does not parse."""
    from kscb_cli.store.source import SourceError, decode, parse

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
    return old_bytes, text, before


def _round_trip(rel: str, text: str) -> tuple[Any, str, Any]:
    """(the ruamel YAML, the text it read, the data) for editing `text` in round-trip mode.

    ruamel refuses tabs that YAML 1.2 and the reader allow (`title:\tText`, `true\t# note`): it
    edits a copy with each tab a space, and every line the edit does not touch is then put back
    exactly as it was, tabs and all.
    """
    sanitized = re.sub(r"[ \t]+$", "", text.replace("\t", " "), flags=re.M) if "\t" in text else text
    y = round_trip_yaml(sanitized)
    try:
        data = y.load(sanitized)
    except Exception as exc:  # noqa: BLE001 - ruamel reads what the reader accepted differently: refuse, never crash
        problem = str(exc).strip().splitlines()
        raise KscbError(
            f"{rel}: kscb cannot edit this file automatically ({problem[0] if problem else type(exc).__name__}); nothing was written — make this change by hand in an editor"
        ) from None
    return y, sanitized, data


def _inside_store(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):
        return False


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


@dataclass
class Applied:
    """What `set_fields` or `add_entry` did: the edit, whether it was written, and the commit (with --commit)."""

    edit: Edit
    written: bool = False
    commit: str | None = None


def set_fields(
    store: str | None,
    target: str,
    assignments: list[str],
    *,
    today: date,
    force: bool = False,
    reason: str | None = None,
    commit: bool = False,
    dry_run: bool = False,
) -> Applied:
    """`kscb set`: plan the edit on the store found from `store` (--store) and, unless a dry run, write it."""
    return _apply(
        store,
        lambda loaded: plan_set(loaded, target, assignments, today=today, force=force, reason=reason),
        commit=commit,
        dry_run=dry_run,
    )


def add_entry(
    store: str | None,
    target: str,
    list_field: str,
    values: list[str],
    *,
    today: date,
    commit: bool = False,
    dry_run: bool = False,
) -> Applied:
    """`kscb add`: plan appending to a list on the store found from `store` (--store) and, unless a dry run, write it."""
    return _apply(
        store, lambda loaded: plan_add(loaded, target, list_field, values, today=today), commit=commit, dry_run=dry_run
    )


def _apply(store: str | None, plan: Callable[[Store], Edit], *, commit: bool, dry_run: bool) -> Applied:
    """Open the store, plan, and write (and commit), all under the store's write lock (none for a dry run)."""
    import contextlib

    from kscb_cli.base.atomic import locked
    from kscb_cli.editing.save import require_identity
    from kscb_cli.store.config import find_root, load_config
    from kscb_cli.store.store import Store

    root = find_root(None, store)
    with contextlib.nullcontext() if dry_run else locked(root):  # read-compare-write with no other writer
        edit = plan(Store.open(root, config=load_config(root)))
        if not edit.changed or dry_run:
            return Applied(edit)
        if commit:
            require_identity(edit.root)
        return Applied(edit, True, write(edit, commit=commit))


__all__ = [
    "DELETE",
    "Applied",
    "Edit",
    "add_entry",
    "coerce",
    "detect_indent",
    "parse_value",
    "plan_add",
    "plan_set",
    "set_fields",
    "split_assignment",
    "split_target",
    "write",
]
