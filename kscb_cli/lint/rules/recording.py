"""What a rule read of other records, recorded while it judges one file: the record ids it
looked up, the kinds it listed whole, or that it read the store at large.

The incremental lint (lint/incremental.py) keeps this with each file's cross-record findings:
after an edit, a file whose findings read none of the records the edit could have changed
keeps them, instead of being judged again. So the recording must never miss a read. It is
kept sound by construction: the rules see the store, its links and its clocks only through
the views here, each of which records by id only the lookups named in them (``get(ID)``,
``by_id.get(ID)``, ``links.actions_for_rec.get("ID#R1")``, ``clocks_by_record.get(ID)``...);
anything else (iterating a table, listing ``store.records``, a method not named here) counts
as reading the whole store, and such a file is judged again after any edit.

What a lookup of id X may depend on (the contract every store-wide index keeps, and the
incremental lint relies on): a lookup in the store itself (``get``, ``by_id``, ``items``...) on
the files that hold id X alone; a lookup in the links or the clocks on those, the records X
references and the records that reference X (a rapid review's clock on its notification, a
plan's on the meetings that reviewed it). ``affected`` turns an edit into the ids whose lookups
of each sort it could change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The store's lookups by record id (the first argument: an id, or a reference "ID#ITEM")
STORE_BY_ID = frozenset({"get", "entry", "find", "resolve", "items", "dropped_items"})
# The store's tables by record id
STORE_TABLES = frozenset({"by_id", "unreadable_ids"})
# What says nothing about other records
STORE_FREE = frozenset({"root", "config"})
# The links' lookups by record id (or reference)
LINKS_BY_ID = frozenset({"disseminated_by", "evaluated_by", "evaluations_for", "last_review", "links_in"})
# The links' questions answered from every record of one kind and nothing else: the cycles are the
# Section 11 returns' (domain/links.py, ClockLinks.section11)
LINKS_OF_KIND = {"current_cycle": "section11", "previous_cycle": "section11"}


def record_id(key: Any) -> str | None:
    """The record id a lookup key names ("ID", "ID#ITEM"); None for any other key."""
    return key.partition("#")[0] if isinstance(key, str) else None


@dataclass
class Reads:
    """What the rules read beyond one file while judging it."""

    ids: set[str] = field(default_factory=set)  # looked up in the store itself
    linked: set[str] = field(default_factory=set)  # looked up in the links or the clocks
    kinds: set[str] = field(default_factory=set)  # every record of these kinds
    everything: bool = False

    def id(self, key: Any, linked: bool = False) -> None:
        rid = record_id(key)
        if rid is None:
            self.everything = True
        else:
            (self.linked if linked else self.ids).add(rid)

    def as_row(self) -> list[Any]:
        return [sorted(self.ids), sorted(self.linked), sorted(self.kinds), self.everything]


class ById:
    """A read-only view of a table keyed by record id (or reference) that records each key looked up."""

    __slots__ = ("_table", "_reads", "_linked")

    def __init__(self, table: Any, reads: Callable[[], Reads], linked: bool = False):
        self._table = table
        self._reads = reads
        self._linked = linked  # a table of the links or clocks (else of the store itself)

    def get(self, key: Any, default: Any = None) -> Any:
        self._reads().id(key, self._linked)
        return self._table.get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self._reads().id(key, self._linked)
        return self._table[key]

    def __contains__(self, key: Any) -> bool:
        self._reads().id(key, self._linked)
        return key in self._table

    def __iter__(self) -> Iterator[Any]:
        self._reads().everything = True
        return iter(self._table)

    def __len__(self) -> int:
        self._reads().everything = True
        return len(self._table)

    def __getattr__(self, name: str) -> Any:  # keys(), items(), values(): the whole table
        self._reads().everything = True
        return getattr(self._table, name)


class _View:
    """A view of an object whose lookups by id (`by_id`: methods, `tables`: tables) are recorded;
    `free` attributes are passed through; reading anything else counts as reading everything."""

    def __init__(
        self,
        real: Any,
        reads: Callable[[], Reads],
        by_id: frozenset[str],
        tables: frozenset[str] | None,
        free: frozenset[str],
        linked: bool,
        of_kind: Mapping[str, str] | None = None,
    ):
        self._real, self._reads, self._by_id, self._tables, self._free = real, reads, by_id, tables, free
        self._linked = linked  # lookups in the links or clocks (else in the store itself)
        self._of_kind = of_kind or {}  # methods that read every record of a kind: name -> kind

    def __getattr__(self, name: str) -> Any:
        """The first read of `name` (a lookup or a table is then kept on the view: a plain attribute read after)."""
        value = getattr(self._real, name)
        if name in self._free:
            self.__dict__[name] = value
            return value
        if name in self._by_id:
            reads, linked = self._reads, self._linked

            def looked_up(key: Any, *args: Any, **kwargs: Any) -> Any:
                found = reads()
                found.id(key, linked)
                if "context" in kwargs:
                    found.id(kwargs["context"], linked)
                return value(key, *args, **kwargs)

            self.__dict__[name] = looked_up
            return looked_up
        kind = self._of_kind.get(name)
        if kind is not None:
            reads_of = self._reads

            def asked(*args: Any, **kwargs: Any) -> Any:
                reads_of().kinds.add(kind)
                return value(*args, **kwargs)

            self.__dict__[name] = asked
            return asked
        if isinstance(value, Mapping) and (self._tables is None or name in self._tables):
            table = self.__dict__[name] = ById(value, self._reads, self._linked)
            return table
        self._reads().everything = True  # not kept: every read of it counts
        return value


def store_view(store: Any, reads: Callable[[], Reads]) -> Any:
    """The store as the rules see it."""
    return _View(store, reads, STORE_BY_ID, STORE_TABLES, STORE_FREE, linked=False)


def links_view(links: Any, reads: Callable[[], Reads]) -> Any:
    """The store's links as the rules see them: every table of them is keyed by record id or reference."""
    return _View(links, reads, LINKS_BY_ID, None, frozenset(), linked=True, of_kind=LINKS_OF_KIND)


@dataclass(frozen=True)
class Contribution:
    """What one file puts in the store for others to look up: its record's id, kind and the ids it references."""

    id: str
    kind: str
    refs: tuple[str, ...]

    def as_row(self) -> list[Any]:
        return [self.id, self.kind, list(self.refs)]

    @classmethod
    def of_row(cls, row: Any) -> Contribution:
        rid, kind, refs = row
        return cls(rid, kind, tuple(refs))


def contribution(record: Any, refs: Iterable[Any] | None = None) -> Contribution:
    """What `record` puts in the store; `refs`: its references, when already found."""
    from kscb_cli.store.refs import references

    found = references(record) if refs is None else refs
    targets = sorted({t for t in (record_id(r.ref) for r in found) if t})
    return Contribution(record.id, record.kind, tuple(targets))


def holders(everyone: Sequence[Contribution | None]) -> dict[str, list[int]]:
    """Record id -> the indexes, in order, of the files in `everyone` (what each file of the store
    puts in it, in the store's order) whose record has that id or references it: the files whose
    records a links lookup of that id may read (domain/links.py, LazyLinks)."""
    out: dict[str, list[int]] = {}
    for i, c in enumerate(everyone):
        if c is not None:
            for rid in {c.id, *c.refs}:
                out.setdefault(rid, []).append(i)
    return out


@dataclass(frozen=True)
class Affected:
    """The ids whose lookups an edit could change: in the store itself (`ids`), in the links and clocks (`linked`)."""

    ids: set[str]
    linked: set[str]
    kinds: set[str]


def affected(changed: Iterable[Contribution], everyone: Iterable[Contribution]) -> Affected:
    """What an edit could change, given what the changed files put in the store before and after
    it (`changed`) and what every file puts in it now (`everyone`): a store lookup of a changed
    record's id; a links or clocks lookup of it, of the records it references and of the records
    that reference it; a list of every record of its kind."""
    changed = list(changed)
    own = {c.id for c in changed}
    linked = own | {t for c in changed for t in c.refs}
    linked |= {c.id for c in everyone if own.intersection(c.refs)}
    return Affected(own, linked, {c.kind for c in changed})


def must_judge_again(reads: Any, edit: Affected) -> bool:
    """Whether a file whose rules read `reads` (``Reads.as_row``, as kept) must be judged again after `edit`."""
    ids, linked, kinds, everything = reads
    return bool(
        everything or edit.kinds.intersection(kinds) or edit.ids.intersection(ids) or edit.linked.intersection(linked)
    )
