"""What rules may look at besides the record: the store, its configuration, today, and the
store-wide indexes a lint run builds once (each a named, typed, cached property).

A property is computed the first time a rule asks for it and kept for the rest of the run, so
every rule is a dictionary read per record, never a scan of the store per record.

The context notes when a rule looks beyond the file it judges: reading ``ctx.store`` or one of
the store-wide indexes (``links``, ``clocks_by_record``, ``id_suggestions``, ``agencies``) sets
``ctx.touched``. A rule that judged a file without touching the store found what it found from
that file, the configuration and today alone, so the incremental lint (lint/incremental.py)
may reuse its findings while the file is unchanged; the others are found again whenever any
record changes. The configuration (``ctx.config``), the store's root and the indexes built from
kscb.yaml or the deny-list do not count: they are part of every cached result's key.

What a rule reads beyond the file is recorded too (``ctx.reads``, rules/recording.py): the store,
the links and the clocks are seen through views that note each record id looked up, so that
after an edit a file whose cross-record rules read nothing the edit could change keeps their
findings as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar, overload

from kscb_cli.lint.rules.recording import ById, Reads, links_view, store_view
from kscb_cli.store.source import Pos

if TYPE_CHECKING:  # imported where used: a lint run that never needs one never loads it
    from kscb_cli.base.suggest import Suggestions
    from kscb_cli.domain.calendar import WorkingCalendar
    from kscb_cli.domain.clocks import ClocksByRecord
    from kscb_cli.domain.links import Links
    from kscb_cli.model import Agency
    from kscb_cli.model.config import Config
    from kscb_cli.privacy.mask import DenyList
    from kscb_cli.privacy.namefinder import NameFinder
    from kscb_cli.store.refs import Reference
    from kscb_cli.store.store import Entry, Store

TextItem = tuple[tuple[str | int, ...] | Pos, bool, str]  # (location, is a comment, text)


@dataclass(frozen=True)
class FileTexts:
    """One file's text, its parsed data (None when it did not parse) and every narrative
    text in it with its location: read once per file for the privacy rules (P001, P004)."""

    entry: Entry
    raw: str
    data: Any
    items: list[TextItem]


T = TypeVar("T")


class _StoreWide(Generic[T]):
    """A cached property built from the whole store: every read, not only the first, sets ``touched``
    and is recorded in ``ctx.reads`` (`view` gives what the rules see: by default, reading it
    counts as reading the whole store)."""

    def __init__(self, build: Callable[[Context], T], view: Callable[[Context, Any], Any] | None = None) -> None:
        self.build = build
        self.view = view
        self.name = build.__name__
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, ctx: None, owner: type) -> _StoreWide[T]: ...
    @overload
    def __get__(self, ctx: Context, owner: type) -> T: ...
    def __get__(self, ctx: Context | None, owner: type) -> _StoreWide[T] | T:
        if ctx is None:
            return self
        ctx.touched = True
        value: T = self.built(ctx)
        if self.view is None:
            ctx.reads.everything = True
            return value
        seen: T = self.view(ctx, value)
        return seen

    def built(self, ctx: Context) -> T:
        """The index itself, built on first use (not a read by a rule: the linter's own)."""
        found = ctx.__dict__
        if self.name not in found:
            found[self.name] = self.build(ctx)
        value: T = found[self.name]
        return value

    def __set__(self, ctx: Context, value: object) -> NoReturn:
        raise AttributeError(f"Context.{self.name} is computed from the store")


class Context:
    """The lint run's view of the store, shared by every rule."""

    def __init__(self, store: Store, today: date, entry: Entry | None = None) -> None:
        self.source = store  # the store, read without counting as a look beyond the file (the linter's own use)
        self.today = today
        # the file entry being judged (set by the linter): rules report on it, never on another file of the same id
        self.entry = entry
        # the privacy rules' texts of the last file read (kscb_cli.lint.rules.privacy.file_texts)
        self.file_texts: FileTexts | None = None
        # the references of the last record read (kscb_cli.lint.rules.references: R002, R003, R004)
        self.record_refs: tuple[Any, list[Reference]] | None = None
        self.touched = False  # a rule read the store (or a store-wide index) since the linter last reset this
        self.reads = Reads()  # what of other records the rules read since the linter last reset this
        self._store_view: Any = None
        # record id -> the entries that may hold its links (rules/recording.py holders), when the
        # run judges few files: the links are then worked out per id as asked (domain/links.py LazyLinks)
        self.link_holders: dict[str, list[int]] | None = None

    @property
    def store(self) -> Store:
        """The whole store; reading it marks the finding as depending on other records (and what it reads is recorded)."""
        self.touched = True
        if self._store_view is None:
            self._store_view = store_view(self.source, lambda: self.reads)
        found: Store = self._store_view
        return found

    @property
    def config(self) -> Config:
        config: Config = self.source.config
        return config

    @cached_property
    def themes(self) -> set[str]:
        """The built-in themes and kscb.yaml's own."""
        from kscb_cli.model.vocab import THEMES

        return set(THEMES) | set(self.config.themes)

    @cached_property
    def standards(self) -> set[str]:
        """The eight Section 11 standards and kscb.yaml's own."""
        from kscb_cli.model.vocab import SECTION11_STANDARDS

        return set(SECTION11_STANDARDS) | set(self.config.section11_standards)

    @_StoreWide
    def id_suggestions(self) -> Suggestions:
        """'did you mean' among the store's record ids, indexed once per lint run (base/suggest.py).

        Ids share their shape (KIND-YEAR-NNN), so a loose match would suggest any id of the
        same year ("MACA-2025-002" -> "RR-2025-003"); only a near miss (0.8) is worth suggesting.
        """
        from kscb_cli.base.suggest import Suggestions

        return Suggestions(self.source.by_id, cutoff=0.8)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The partnership's working days: bank holidays of its division and its own closures."""
        from kscb_cli.domain.calendar import WorkingCalendar

        cal = self.config.calendar
        return WorkingCalendar(cal.division, cal.closures)

    @cached_property
    def statutory_calendar(self) -> WorkingCalendar:
        """Bank holidays only: statutory clocks do not stop for local closures."""
        from kscb_cli.domain.calendar import WorkingCalendar

        return WorkingCalendar(self.config.calendar.division)

    def _links(self) -> Links:
        """Back-links and the learning-cycle indexes (recommendation → actions, finding → recommendations, ...)."""
        from kscb_cli.domain.links import LazyLinks, Links

        return Links(self.source) if self.link_holders is None else LazyLinks(self.source, self.link_holders)

    links = _StoreWide(_links, lambda ctx, links: links_view(links, lambda: ctx.reads))

    def _clocks_by_record(self) -> ClocksByRecord:
        """The clocks of the store's records, by record id (each record's built when first asked for)."""
        from kscb_cli.domain.clocks import ClocksByRecord

        return ClocksByRecord(self.source, self.today, calendar=self.calendar, links=Context.links.built(self))

    clocks_by_record = _StoreWide(_clocks_by_record, lambda ctx, table: ById(table, lambda: ctx.reads, linked=True))

    @cached_property
    def names(self) -> NameFinder:
        """The person-name finder (given names, surnames, kscb.yaml privacy.allow)."""
        from kscb_cli.privacy.namefinder import name_finder

        return name_finder(self.config)

    @cached_property
    def denylist_terms(self) -> list[str]:
        """The lines of the store's private/denylist.txt (none when it has none)."""
        from kscb_cli.privacy.mask import read_terms

        return read_terms(self.source.root)

    @cached_property
    def denylist(self) -> DenyList | None:
        """The compiled deny-list, or None when it lists no term."""
        from kscb_cli.privacy.mask import compile_denylist

        found: DenyList | None = compile_denylist(self.denylist_terms)
        return found

    def _agencies(self) -> list[Agency]:
        """The store's agency records."""
        found: list[Agency] = self.source.of_kind("agency")  # type: ignore[assignment]
        return found

    agencies = _StoreWide(_agencies, lambda ctx, found: _every(ctx, "agency", found))


def _every(ctx: Context, kind: str, found: T) -> T:
    """`found`, a list of every record of `kind`: the rule read them all."""
    ctx.reads.kinds.add(kind)
    return found
