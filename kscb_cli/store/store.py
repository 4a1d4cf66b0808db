"""Enumerate, load and index a store's records; resolve references.

The index is built once: lookups by id and item are dictionary reads, never a scan.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base import paths
from kscb_cli.base.paths import item_lists_of
from kscb_cli.model import RecordBase
from kscb_cli.store.source import Document, Pos, Problem, SourceError, read_file

if TYPE_CHECKING:
    from kscb_cli.store.opening import Only
    from kscb_cli.store.versions import Versions


@dataclass
class Entry:
    """One record file: what was read, and the validated record when it is valid."""

    path: Path
    rel: str  # relative to the store root, forward slashes
    doc: Document | None = None
    record: RecordBase | None = None
    problem: Problem | None = None  # the file could not be read as YAML
    schema: list[tuple[Pos, str]] = field(default_factory=list)  # it was read, but is not a valid record
    raw: bytes | None = None  # content that did not parse, when it did not come from `path` (staged)
    # Items (and unknown top-level keys) that failed validation and were left out of `record`,
    # as (location in the file, item id or key): the rest of the record still counts (salvage).
    dropped: list[tuple[tuple[Any, ...], str]] = field(default_factory=list)
    # For each item list with dropped items: the index in the file of each item kept in `record`.
    index_map: dict[str, list[int]] = field(default_factory=dict)

    def indexed_id(self) -> str | None:
        """The id the store finds it by: its record's; None when it has none (it is unreadable)."""
        return self.record.id if self.record is not None else None

    @property
    def stem(self) -> str:
        return self.path.name.rsplit(".", 1)[0]

    @property
    def kind(self) -> str | None:
        data = self.doc.data if self.doc else None
        return data.get("kind") if isinstance(data, dict) and isinstance(data.get("kind"), str) else None

    @property
    def id(self) -> str | None:
        if self.record is not None:
            return self.record.id
        data = self.doc.data if self.doc else None
        return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None

    @property
    def title(self) -> str | None:
        if self.record is not None:
            return self.record.title
        data = self.doc.data if self.doc else None
        return data.get("title") if isinstance(data, dict) and isinstance(data.get("title"), str) else None

    @property
    def classification(self) -> str | None:
        """As written in the file (an unreadable record's classification is unknown: None)."""
        if self.record is not None:
            return getattr(self.record, "classification", None)
        data = self.doc.data if self.doc else None
        value = data.get("classification") if isinstance(data, dict) else None
        return value if value in ("public", "partnership", "restricted") else None

    @property
    def readable(self) -> bool:
        """Read and validated in full: nothing of it is left out of any answer."""
        return self.record is not None and not self.schema and not self.dropped and self.problem is None

    @property
    def partial(self) -> bool:
        """Valid except for some items (or unknown keys), which are left out of `record`."""
        return self.record is not None and not self.readable

    def file_loc(self, loc: tuple[Any, ...]) -> tuple[Any, ...]:
        """A location in `record` as a location in the file: items left out (salvage) shift the indexes."""
        if self.index_map and len(loc) >= 2 and loc[0] in self.index_map and isinstance(loc[1], int):
            kept = self.index_map[loc[0]]
            if loc[1] < len(kept):
                return (loc[0], kept[loc[1]], *loc[2:])
        return loc

    def pos(self, loc: tuple[Any, ...] = (), *, key: bool = False) -> Pos:
        """The position of a location in the file (see `file_loc` for a location in `record`)."""
        return self.doc.pos(loc, key=key) if self.doc else (self.problem.pos if self.problem else Pos(1, 1))


@dataclass(frozen=True)
class Item:
    """An addressable item inside a record: a finding, recommendation, action or standard."""

    record: RecordBase
    list_name: str
    index: int
    value: Any

    @property
    def loc(self) -> tuple[Any, ...]:
        return (self.list_name, self.index)


class Store:
    """A loaded store: its root, configuration, and every record file, indexed."""

    def __init__(self, root: Path, config: Any, entries: list[Entry]):
        self.root = root
        self.config = config
        self.entries = sorted(entries, key=lambda e: e.rel)
        self.by_id: dict[str, list[Entry]] = {}
        self.unreadable_ids: dict[str, list[Entry]] = {}  # records that could not be read, by id (else file name)
        for entry in self.entries:
            rid = entry.indexed_id()
            if rid is not None:
                self.by_id.setdefault(rid, []).append(entry)
            else:
                self.unreadable_ids.setdefault(entry.id or entry.stem, []).append(entry)
        self._items: dict[str, dict[str, Item]] = {}

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        source: str = "disk",
        config: Any | None = None,
        positions: bool = True,
        rev: str | None = None,
        only: Only | None = None,
        versions: Versions | None = None,
        documents: Mapping[str, Document] | None = None,
        digests: dict[str, str] | None = None,
        known_ids: Mapping[str, tuple[str, str]] | None = None,
    ) -> Store:
        """The one way to open a store (kscb_cli.store.opening has the details).

        `source`: ``disk`` (the working tree), ``staged`` (only what is staged in git, for
        the commit guard) or ``git-tree`` (the records at revision `rev`). `positions`
        False lets unchanged files come from the parsed-record cache (kscb_cli.store.snapshot):
        the query commands need only data; a record that is not fully valid is always read
        again with positions so its problems point at the right line. `only(raws)` picks,
        from every file's bytes, the files worth reading (the digest's lean read);
        `versions` is a kscb_cli.history parse cache to share parsed git blobs; `documents`
        ({path: Document} of files already parsed, with positions, from exactly their present
        content: the incremental lint's, kscb_cli.store.parsed) are not read again; `digests`
        (disk, with positions) is given the content hash of every file read, by path from the root;
        `known_ids` ({path: (id, kind)}, of files in `documents`) the id and kind each one's record had
        when validated from that same content: they are validated only when first read (`DeferredEntry`).
        Every file that cannot be read stays in the store as an entry with its problems.
        """
        from kscb_cli.store.opening import open_store

        return open_store(
            cls,
            root,
            source=source,
            config=config,
            positions=positions,
            rev=rev,
            only=only,
            versions=versions,
            documents=documents,
            digests=digests,
            known_ids=known_ids,
        )

    # --- what could not be read ------------------------------------------------

    @property
    def unread(self) -> list[Entry]:
        """Entries not read in full: unreadable files and records with items left out, in path order."""
        return [e for e in self.entries if not e.readable]

    def find(self, record_id: str) -> Entry | None:
        """The entry of `record_id`, whether or not it could be read."""
        found = self.by_id.get(record_id) or self.unreadable_ids.get(record_id)
        return found[0] if found else None

    def dropped_items(self, record_id: str) -> set[str]:
        """Ids of the items of `record_id` that could not be read (left out of the record)."""
        return {label for e in self.by_id.get(record_id, ()) for loc, label in e.dropped if len(loc) == 2}

    # --- lookups ---------------------------------------------------------------

    @property
    def records(self) -> Iterator[RecordBase]:
        for entry in self.entries:
            if entry.record is not None:
                yield entry.record

    def get(self, record_id: str) -> RecordBase | None:
        found = self.by_id.get(record_id)
        return found[0].record if found else None

    def entry(self, record_id: str) -> Entry | None:
        found = self.by_id.get(record_id)
        return found[0] if found else None

    def of_kind(self, kind: str) -> list[RecordBase]:
        # a parsed file's kind is its record's: the records of other kinds are not read (DeferredEntry)
        return [
            r
            for e in self.entries
            if (e.doc is None or e.kind == kind) and (r := e.record) is not None and r.kind == kind  # type: ignore[attr-defined]
        ]

    def items(self, record_id: str) -> dict[str, Item]:
        """The record's items by item id (the first one, where an id repeats)."""
        if record_id not in self._items:
            record = self.get(record_id)
            found: dict[str, Item] = {}
            if record is not None:
                for name, values in item_lists_of(record):
                    for i, value in enumerate(values):
                        found.setdefault(value.id, Item(record, name, i, value))
            self._items[record_id] = found
        return self._items[record_id]

    def resolve(self, ref: str, *, context: str | None = None) -> tuple[RecordBase | None, Item | None, str | None]:
        """(record, item, problem) for `ID`, `ID#ITEM`, or a bare `ITEM` inside `context`."""
        record_id, _, item_id = ref.partition("#")
        if not item_id and context is not None and record_id in self.items(context) and self.get(record_id) is None:
            record_id, item_id = context, record_id
        record = self.get(record_id)
        if record is None:
            if record_id in self.unreadable_ids:
                return (
                    None,
                    None,
                    f"{record_id} could not be read ({self.unreadable_ids[record_id][0].rel}); run `kscb lint`",
                )
            return None, None, f"no record has id {record_id!r}"
        if not item_id:
            return record, None, None
        item = self.items(record_id).get(item_id)
        if item is None and item_id in self.dropped_items(record_id):
            rel = self.by_id[record_id][0].rel  # `record` was found, so its entry is there
            return record, None, f"{record_id}#{item_id} could not be read ({rel}); run `kscb lint`"
        if item is None:
            have = ", ".join(sorted(self.items(record_id))) or "none"
            return record, None, f"{record_id} has no item {item_id!r} (its items: {have})"
        return record, item, None


def record_files(root: Path) -> tuple[list[Path], list[Entry]]:
    """Every record file under records/, sorted; plus entries for symlinks that leave the store."""
    found, outside = record_paths(root)
    return [path for path, _ in found], outside


def record_paths(root: Path) -> tuple[list[tuple[Path, str]], list[Entry]]:
    """(path, path relative to the store root in git's spelling) of every record file under
    records/, sorted by the latter; plus entries for symlinks that leave the store.

    One ``scandir`` per folder: whether an entry is a folder or a symlink comes with the listing,
    never one system call per file (a 10k store has 10k files).
    """
    base = root / paths.RECORDS
    found: list[tuple[Path, str]] = []
    outside: list[Entry] = []
    if not base.is_dir():
        return found, outside
    real_root = root.resolve()
    if base.is_symlink() and not _inside(base, real_root):
        return found, [_outside(root, base)]  # records/ itself leads out of the store: none of it is in git
    todo = [(base, paths.RECORDS)]
    while todo:
        here, rel = todo.pop()
        try:
            with os.scandir(here) as listing:
                items = list(listing)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed holds nothing
        folders = []
        for item in items:
            name = item.name
            if _is_dir(item):
                if item.is_symlink():
                    if not _inside(here / name, real_root):
                        outside.append(_outside(root, here / name))
                elif name.endswith(paths.RECORD_SUFFIXES):
                    found.append((here / name, f"{rel}/{name}"))  # the reader reports a directory named like a record
                else:
                    folders.append((here / name, f"{rel}/{name}"))
            elif name.endswith(paths.RECORD_SUFFIXES) and not name.startswith("."):
                if item.is_symlink() and not _inside(here / name, real_root):
                    outside.append(_outside(root, here / name))
                else:
                    found.append((here / name, f"{rel}/{name}"))
        todo += reversed(folders)  # depth first, in listing order (as os.walk)
    found.sort(key=lambda pair: pair[1])
    return found, outside


def _is_dir(item: os.DirEntry[str]) -> bool:
    try:
        return item.is_dir()  # follows a symlink, as os.walk does to tell folders from files
    except OSError:
        return False


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _outside(root: Path, path: Path) -> Entry:
    entry = Entry(path, path.relative_to(root).as_posix())
    entry.problem = Problem(
        "F009", "symlink points outside the store; copy the record into records/ or remove the link"
    )
    return entry


def make_entry(path: Path, rel: str, read: Document | Problem) -> Entry:
    """The entry for a file that was read: validated when it parsed, else carrying its problem."""
    entry = Entry(path, rel)
    if isinstance(read, Problem):
        entry.problem = read
    else:
        entry.doc = read
        entry.record, entry.schema, entry.dropped, entry.index_map = validated(read)
    return entry


def validated(doc: Document) -> tuple[RecordBase | None, list[Any], list[Any], dict[str, list[int]]]:
    """(record, schema problems, items dropped, index map) of a parsed file (`Entry`'s fields)."""
    from kscb_cli.model import MODELS, Record
    from kscb_cli.store.validate import schema_problems

    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    # a known kind is validated by its own model, whose schema pydantic built as the model was
    # defined: the same errors as the Record union gives after its tag, without the union's
    # adapter (41 ms to build in every process that validates a record). The union is for the rest.
    target = MODELS[kind] if isinstance(kind, str) and kind in MODELS else Record
    record, schema = schema_problems(target, doc)
    if record is None and schema:
        from kscb_cli.store.salvage import salvage

        record, dropped, index_map = salvage(doc.data)
        return record, schema, dropped, index_map
    return record, schema, [], {}


_DEFERRED = ("record", "schema", "dropped", "index_map")


def _deferred_field(name: str) -> property:
    def get(self: DeferredEntry) -> Any:
        if "_record" not in self.__dict__:
            self.validate()
        return self.__dict__[f"_{name}"]

    def put(self: DeferredEntry, value: Any) -> None:
        if "_record" not in self.__dict__:
            self.validate()
        self.__dict__[f"_{name}"] = value

    return property(get, put)


class DeferredEntry(Entry):
    """The entry of a file parsed before whose record, from exactly these bytes, had the id `rid`
    and the kind `rkind` (the incremental lint knows them): the store indexes it by that id at
    once, finds it by that kind without reading its document (which a kept parse decodes only
    then: store.parsed), and it is validated (`record`, `schema`, `dropped`, `index_map`) only
    when one of those is first asked for. A lint that judges a file or two of ten thousand never
    validates the rest."""

    record = _deferred_field("record")
    schema = _deferred_field("schema")
    dropped = _deferred_field("dropped")
    index_map = _deferred_field("index_map")

    def __init__(self, path: Path, rel: str, doc: Document, rid: str, rkind: str) -> None:
        self.__dict__.update(path=path, rel=rel, doc=doc, problem=None, raw=None, rid=rid, rkind=rkind)

    def validate(self) -> None:
        assert self.doc is not None
        found = validated(self.doc)
        self.__dict__.update(zip([f"_{n}" for n in _DEFERRED], found, strict=True))

    @property
    def id(self) -> str | None:
        return self.__dict__["rid"]  # type: ignore[no-any-return]

    @property
    def kind(self) -> str | None:
        return self.__dict__["rkind"]  # type: ignore[no-any-return]

    def indexed_id(self) -> str | None:
        return self.__dict__["rid"]  # type: ignore[no-any-return]


def load_entry(path: Path, rel: str, raw: bytes | None = None) -> Entry:
    """Read (or take `raw`, e.g. staged content), parse and validate one record file. Never raises for bad input."""
    from kscb_cli.store.source import decode, parse

    try:
        read: Document | Problem = read_file(path) if raw is None else parse(decode(raw))
    except SourceError as exc:
        read = exc.problem
    entry = make_entry(path, rel, read)
    if raw is not None and entry.problem is not None:
        entry.raw = raw
    return entry


def read_disk(
    root: Path,
    config: Any,
    documents: Mapping[str, Document] | None = None,
    digests: dict[str, str] | None = None,
    known_ids: Mapping[str, tuple[str, str]] | None = None,
) -> Store:
    """Read and validate every record file under records/, with positions (Store.open, source disk);
    a file in `documents` is taken as parsed there, and when in `known_ids` (its record's id and
    kind) too, validated only when first read (`DeferredEntry`). `digests` gets the content hash of each file read, by its
    path from the store root (``parallel.read_documents``)."""
    from kscb_cli.store.parallel import read_documents

    found, entries = record_paths(root)
    known = documents or {}
    by_path: dict[str, str] | None = {} if digests is not None else None
    enabled = gc.isenabled()
    gc.disable()  # bulk materialisation: the collector only slows it down (PERFORMANCE.md)
    try:
        fresh = read_documents([path for path, rel in found if rel not in known], by_path)
        ids = known_ids or {}
        for path, rel in found:
            read, seen = known.get(rel), ids.get(rel)
            if read is not None and seen is not None:
                entries.append(DeferredEntry(path, rel, read, *seen))
            else:
                entries.append(make_entry(path, rel, read if read is not None else next(fresh)))
    finally:
        if enabled:
            gc.freeze()  # the records live as long as the command: never scan them again
            gc.enable()
    if digests is not None and by_path:
        digests.update((rel, by_path[str(path)]) for path, rel in found if str(path) in by_path)
    return Store(root, config, entries)
