"""Store-wide indexes of who points at whom, built once per command or lint run.

Everything here is a dictionary read after one pass over the store (ARCHITECTURE.md:
"back-links and lookups are dictionary reads, never a scan per record"). Clocks, the
tracker, the learning loop, `kscb show` and the L rules all share one ``Links``.

References are normalised to their full form: a bare item id written inside its own
record (``findings: [F1]`` in a recommendation) becomes ``ID#F1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from kscb_cli.base.paths import field_of
from kscb_cli.store.refs import EVALUATING, LEARNING, references

MET = ("held", "minutes_approved")  # a meeting that took place


class Link(NamedTuple):
    """One reference: record ``source`` writes ``target`` (``ID`` or ``ID#ITEM``) at ``loc``.

    A named tuple, as `Reference`: a store's links are made by the ten thousand, at half a
    frozen dataclass's cost each."""

    source: str
    loc: tuple[Any, ...]
    target: str

    @property
    def target_id(self) -> str:
        return self.target.partition("#")[0]

    @property
    def target_item(self) -> str:
        return self.target.partition("#")[2]


@dataclass(frozen=True)
class ActionRef:
    """An action inside its plan: ``AP-X#A1``."""

    plan: Any
    index: int
    action: Any

    @property
    def ref(self) -> str:
        return f"{self.plan.id}#{self.action.id}"

    @property
    def loc(self) -> tuple[Any, ...]:
        return ("actions", self.index)


class ClockLinks:
    """The indexes the clocks read: rapid reviews by notification, Section 11 returns, plan reviews at meetings.

    Part of every ``Links``; built alone (one cheap pass) when only the clocks are wanted.
    """

    def __init__(self, records: Any):
        self.rapid_reviews_of: dict[str, list[str]] = {}  # notification id -> rapid review ids
        self.section11: dict[str, dict[str, list[Any]]] = {}  # agency id -> cycle -> returns
        self.plan_reviews: dict[
            str, list[tuple[Any, str]]
        ] = {}  # action plan id -> [(date, meeting id)] of held meetings
        for record in records:
            kind = record.kind
            if kind == "rapid_review":
                self.rapid_reviews_of.setdefault(record.notification, []).append(record.id)
            elif kind == "section11":
                self.section11.setdefault(record.agency, {}).setdefault(record.cycle, []).append(record)
            elif kind == "meeting" and record.status in MET:
                for row in record.plans_reviewed:
                    self.plan_reviews.setdefault(row.plan, []).append((record.date, record.id))
        for found in self.plan_reviews.values():
            found.sort()


class Links(ClockLinks):
    """Back-links and the learning-cycle indexes of one loaded store."""

    def __init__(self, store: Any):
        super().__init__(store.records)
        self.store = store
        self.into: dict[str, list[Link]] = {}  # target record id -> links into it or its items
        self.out: dict[str, list[Link]] = {}  # source record id -> its links
        self.actions_for_rec: dict[str, list[ActionRef]] = {}  # "ID#R1" -> actions answering it
        self.actions_of_source: dict[str, list[ActionRef]] = {}  # learning record id -> its actions
        self.recs_for_finding: dict[str, list[str]] = {}  # "ID#F1" -> ["ID#R1", "OTHER#R3"]
        self.continued_in: dict[str, list[str]] = {}  # rapid review id -> reviews that carry its learning
        # evaluation of learning (issue #14): "ID#R2" or "AP-X#A1" -> ids of the audits, voice records and
        # inspections that record they evaluate it (``evaluates:``); the loop's evaluation stage counts these
        self.evaluations_of: dict[str, list[str]] = {}
        by_id = store.by_id
        for record in store.records:
            rid = record.id
            mine: list[Link] = []
            for ref in references(record):
                target = ref.ref
                if (
                    "#" not in target
                    and ref.item_list is not None
                    and target not in by_id
                    and target in store.items(rid)
                ):
                    target = f"{rid}#{target}"
                link = Link(rid, ref.loc, target)
                mine.append(link)
                self.into.setdefault(link.target_id, []).append(link)
            self.out[rid] = mine
            kind = record.kind
            if kind in LEARNING:
                for rec in record.recommendations:
                    for f in rec.findings:
                        full = f if "#" in f else f"{rid}#{f}"
                        self.recs_for_finding.setdefault(full, []).append(f"{rid}#{rec.id}")
            if kind == "action_plan":
                for i, action in enumerate(record.actions):
                    a = ActionRef(record, i, action)
                    source = record.source
                    if action.recommendation:
                        rec_ref = action.recommendation
                        self.actions_for_rec.setdefault(rec_ref, []).append(a)
                        source = rec_ref.partition("#")[0]
                    self.actions_of_source.setdefault(source, []).append(a)
            elif kind == "review" and record.rapid_review:
                self.continued_in.setdefault(record.rapid_review, []).append(rid)
            if kind in EVALUATING:
                for ref in record.evaluates:
                    if "#" in ref:
                        self.evaluations_of.setdefault(ref, []).append(rid)

    # --- questions ---------------------------------------------------------------

    def disseminated_by(self, record_id: str, item: str | None = None) -> list[str]:
        """Ids of briefings and training that reference the record (or, with ``item``, that item)."""
        found: list[str] = []
        for link in self.into.get(record_id, ()):
            if item is not None and link.target_item not in ("", item):
                continue
            source = self.store.get(link.source)
            if source is not None and source.kind in ("briefing", "training") and link.source not in found:
                found.append(link.source)
        return sorted(found)

    def evaluated_by(self, ref: str) -> list[str]:
        """Ids of the records that evaluate one recommendation or action (``ID#R2``, ``AP-X#A1``), sorted."""
        return sorted(set(self.evaluations_of.get(ref, ())))

    def evaluations_for(self, record_id: str) -> dict[str, list[str]]:
        """The evaluations of a source's learning: each of its recommendations, and each action answering one, that something evaluates.

        ``{"ID#R2": [evaluating ids], "AP-ID#A1": [...]}``, for the loop's evaluation stage and the reports' impact sections.
        """
        out: dict[str, list[str]] = {}
        record = self.store.get(record_id)
        for rec in field_of(record, "recommendations") or ():
            ref = f"{record_id}#{rec.id}"
            if self.evaluations_of.get(ref):
                out[ref] = self.evaluated_by(ref)
            for a in self.actions_for_rec.get(ref, ()):
                if self.evaluations_of.get(a.ref):
                    out[a.ref] = self.evaluated_by(a.ref)
        for a in self.actions_of_source.get(record_id, ()):
            if a.ref not in out and self.evaluations_of.get(a.ref):
                out[a.ref] = self.evaluated_by(a.ref)
        return dict(sorted(out.items()))

    def last_review(self, plan_id: str) -> tuple[Any, str] | None:
        """(date, meeting id) of the latest held meeting that reviewed the action plan as its standing item, or None."""
        found = self.plan_reviews.get(plan_id)
        return found[-1] if found else None

    def links_in(self, record_id: str) -> list[Link]:
        """Every reference into the record or its items, from any other record."""
        return [l for l in self.into.get(record_id, ()) if l.source != record_id]

    def current_cycle(self) -> str | None:
        """The latest Section 11 cycle in the store ("2025-26" sorts after "2025"), or None."""
        cycles = {c for per in self.section11.values() for c in per}
        return max(cycles, key=cycle_key) if cycles else None

    def previous_cycle(self, cycle: str) -> str | None:
        """The cycle before ``cycle`` among those in the store, or None."""
        cycles = sorted({c for per in self.section11.values() for c in per}, key=cycle_key)
        earlier = [c for c in cycles if cycle_key(c) < cycle_key(cycle)]
        return earlier[-1] if earlier else None


def cycle_key(cycle: str) -> tuple[Any, ...]:
    return (int(cycle[:4]), len(cycle), cycle)


# The tables of `ClockLinks`, each made from the records of one kind only.
_CLOCK_TABLE_KINDS = {"rapid_reviews_of": "rapid_review", "section11": "section11", "plan_reviews": "meeting"}
# A part of more records than this is not worth building: the whole is built instead.
_PART_AT_MOST = 200
# The tables of `Links` keyed by a record id or a reference ("ID", "ID#ITEM").
TABLES = (
    "into",
    "out",
    "actions_for_rec",
    "actions_of_source",
    "recs_for_finding",
    "continued_in",
    "evaluations_of",
    "rapid_reviews_of",
    "section11",
    "plan_reviews",
)


class LazyLinks(Links):
    """The store's `Links`, each table's entry for a key worked out when first asked for, from the
    few records that can hold it: for a key of record id X ("X" or "X#ITEM"), X's own records and
    those that reference X (the contract every store-wide index keeps: rules/recording.py).
    `holders` names them: record id -> the indexes in ``store.entries`` of the records whose id it is
    or that reference it, in order (from what each file put in the store last time, so that a lint
    that judges a file or two never reads the rest). Whatever is asked of a table as a whole
    (iterating it, its length, its values) builds the whole `Links` once, as ``Links(store)``."""

    def __init__(self, store: Any, holders: dict[str, list[int]]) -> None:  # no super().__init__: nothing is built yet
        self.store = store
        self._holders = holders
        self._parts: dict[str, Links] = {}
        self._whole: Links | None = None
        self._of_kind: dict[str, dict[Any, Any]] = {}  # the clocks' tables whole (`whole_table`)
        for name in TABLES:
            setattr(self, name, _LazyTable(self, name))

    def table(self, name: str, key: Any) -> dict[Any, Any]:
        """The table `name` complete for `key`: from the part for its record id, or the whole."""
        if name in _CLOCK_TABLE_KINDS:
            return self.whole_table(name)
        part = self._part(key.partition("#")[0]) if self._whole is None and isinstance(key, str) else None
        found: dict[Any, Any] = getattr(part if part is not None else self.whole(), name)
        return found

    def _part(self, rid: str) -> Links | None:
        """The links of the records that hold `rid`; None when they are too many to be worth it
        (an agency or a plan many records name): the whole is built instead, once."""
        part = self._parts.get(rid)
        if part is None:
            held = self._holders.get(rid, ())
            if len(held) > _PART_AT_MOST:
                return None
            entries = self.store.entries
            records = [r for i in held if (r := entries[i].record) is not None]
            part = self._parts[rid] = Links(_Part(self.store, records))
        return part

    def whole(self) -> Links:
        if self._whole is None:
            self._whole = Links(self.store)
        return self._whole

    def whole_table(self, name: str) -> dict[Any, Any]:
        """The table `name` whole: a clocks' table from the records of its one kind, any other from the whole."""
        kind = _CLOCK_TABLE_KINDS.get(name)
        if kind is None or self._whole is not None:
            found: dict[Any, Any] = getattr(self.whole(), name)
            return found
        table = self._of_kind.get(name)
        if table is None:
            records = self.store.of_kind(kind)
            table = self._of_kind[name] = getattr(ClockLinks(records), name)
        return table


class _Part:
    """The store as one part of `LazyLinks` reads it: some of its records; its ids and items all."""

    def __init__(self, store: Any, records: list[Any]) -> None:
        self.records = records
        self.by_id = store.by_id
        self.items = store.items


class _LazyTable(Mapping[Any, Any]):
    """One table of `LazyLinks`: a key read from its part, the table read whole from the whole."""

    __slots__ = ("_links", "_name")

    def __init__(self, links: LazyLinks, name: str) -> None:
        self._links = links
        self._name = name

    def __getitem__(self, key: Any) -> Any:
        return self._links.table(self._name, key)[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._links.table(self._name, key).get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._links.table(self._name, key)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Any:
        return self._all().keys()

    def items(self) -> Any:
        return self._all().items()

    def values(self) -> Any:
        return self._all().values()

    def _all(self) -> dict[Any, Any]:
        return self._links.whole_table(self._name)
