"""Enumerate, load and index a store's records; resolve references.

The index is built once: lookups by id and item are dictionary reads, never a scan.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .model import ITEM_LISTS, RecordBase
from .source import Document, Pos, Problem, SourceError, read_file

RECORDS_DIR = "records"
SUFFIXES = (".yaml", ".yml")


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

    def pos(self, loc: tuple = (), *, key: bool = False) -> Pos:
        return self.doc.pos(loc, key=key) if self.doc else (self.problem.pos if self.problem else Pos(1, 1))


@dataclass(frozen=True)
class Item:
    """An addressable item inside a record: a finding, recommendation, action or standard."""

    record: RecordBase
    list_name: str
    index: int
    value: Any

    @property
    def loc(self) -> tuple:
        return (self.list_name, self.index)


class Store:
    """A loaded store: its root, configuration, and every record file, indexed."""

    def __init__(self, root: Path, config: Any, entries: list[Entry]):
        self.root = root
        self.config = config
        self.entries = sorted(entries, key=lambda e: e.rel)
        self.by_id: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.record is not None:
                self.by_id.setdefault(entry.record.id, []).append(entry)
        self._items: dict[str, dict[str, Item]] = {}

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
        return [r for r in self.records if r.kind == kind]  # type: ignore[attr-defined]

    def items(self, record_id: str) -> dict[str, Item]:
        """The record's items by item id (the first one, where an id repeats)."""
        if record_id not in self._items:
            record = self.get(record_id)
            found: dict[str, Item] = {}
            for name in ITEM_LISTS:
                for i, value in enumerate(getattr(record, name, None) or ()):
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
            return None, None, f"no record has id {record_id!r}"
        if not item_id:
            return record, None, None
        item = self.items(record_id).get(item_id)
        if item is None:
            have = ", ".join(sorted(self.items(record_id))) or "none"
            return record, None, f"{record_id} has no item {item_id!r} (its items: {have})"
        return record, item, None


def record_files(root: Path) -> tuple[list[Path], list[Entry]]:
    """Every record file under records/, sorted; plus entries for symlinks that leave the store."""
    base = root / RECORDS_DIR
    files: list[Path] = []
    outside: list[Entry] = []
    if not base.is_dir():
        return files, outside
    real_root = root.resolve()
    if base.is_symlink() and not _inside(base, real_root):
        return files, [_outside(root, base)]  # records/ itself leads out of the store: none of it is in git
    for folder, dirs, names in os.walk(base):
        here = Path(folder)
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                if not _inside(here / d, real_root):
                    outside.append(_outside(root, here / d))
            elif d.endswith(SUFFIXES):
                dirs.remove(d)
                files.append(here / d)  # the reader reports a directory named like a record
        for name in names:
            path = here / name
            if not name.endswith(SUFFIXES) or name.startswith("."):
                continue
            if path.is_symlink() and not _inside(path, real_root):
                outside.append(_outside(root, path))
                continue
            files.append(path)
    return sorted(files), outside


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _outside(root: Path, path: Path) -> Entry:
    entry = Entry(path, path.relative_to(root).as_posix())
    entry.problem = Problem("F009", "symlink points outside the store; copy the record into records/ or remove the link")
    return entry


def make_entry(path: Path, rel: str, read: Document | Problem) -> Entry:
    """The entry for a file that was read: validated when it parsed, else carrying its problem."""
    from .model import Record
    from .validate import schema_problems

    entry = Entry(path, rel)
    if isinstance(read, Problem):
        entry.problem = read
    else:
        entry.doc = read
        entry.record, entry.schema = schema_problems(Record, read)
    return entry


def load_entry(path: Path, rel: str, raw: bytes | None = None) -> Entry:
    """Read (or take `raw`, e.g. staged content), parse and validate one record file. Never raises for bad input."""
    from .source import decode, parse

    try:
        read: Document | Problem = read_file(path) if raw is None else parse(decode(raw))
    except SourceError as exc:
        read = exc.problem
    entry = make_entry(path, rel, read)
    if raw is not None and entry.problem is not None:
        entry.raw = raw
    return entry


def load_store(root: Path, config: Any | None = None) -> Store:
    """Load every record of the store at `root` (kscb.yaml already validated, or loaded here)."""
    if config is None:
        from .config import load_config

        config = load_config(root)
    from .parallel import read_documents

    files, entries = record_files(root)
    enabled = gc.isenabled()
    gc.disable()  # bulk materialisation: the collector only slows it down (PERFORMANCE.md)
    try:
        for path, read in zip(files, read_documents(files)):
            entries.append(make_entry(path, path.relative_to(root).as_posix(), read))
    finally:
        if enabled:
            gc.freeze()  # the records live as long as the command: never scan them again
            gc.enable()
    return Store(root, config, entries)
