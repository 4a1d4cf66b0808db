"""R rules: ids are unique, and every reference points at something that exists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from kscb_cli.base.paths import item_lists_of
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, kind_of, rule
from kscb_cli.store.refs import Reference, references


def record_references(record: Any, ctx: Context) -> list[Reference]:
    """`references(record)`, found once per record for the three rules that read them."""
    cached = ctx.record_refs
    if cached is not None and cached[0] is record:
        return cached[1]
    found = list(references(record))
    ctx.record_refs = (record, found)
    return found


@rule("R001", "duplicate-id")
def duplicate_id(record: Any, ctx: Context) -> Iterator[Finding]:
    """Two record files have the same id; ids must be unique in the store.
    Why: every reference and every report relies on one id meaning one record.
    Fails: two files both saying ``id: LCSPR-2025-001`` (each reported at its id), even with .yaml and .yml.
    Passes: distinct ids.
    Fix: give one of them the next free id (and rename its file).
    """
    entries = ctx.store.by_id.get(record.id, [])
    if len(entries) > 1:
        others = [e.rel for e in entries if e.record is not record]
        yield Finding(
            ("id",),
            f"id {record.id!r} is also used by {', '.join(others)}; ids must be unique — renumber one of them",
        )


@rule("R002", "unknown-reference")
def unknown_reference(record: Any, ctx: Context) -> Iterator[Finding]:
    """A reference names a record id that no record in the store has.
    A reference to a record whose file exists but could not be read is not reported here:
    that file's own errors (F, S) say what is wrong with it.
    Why: a reference to nothing breaks the learning loop's links and every report that follows them.
    Fails: ``source: LCSPR-2025-01`` (a typo; the message suggests the nearest id).
    Passes: ``source: LCSPR-2025-001`` when records/reviews/LCSPR-2025-001.yaml exists; a bare item id of the same record.
    Fix: correct the reference, or add the record it names.
    """
    store = ctx.store
    for ref in record_references(record, ctx):
        target, _, item = ref.ref.partition("#")
        if item == "" and ref.item_list is not None and target in store.items(record.id):
            continue  # a bare item id inside the same record
        if store.get(target) is None and target in store.unreadable_ids:
            continue  # it exists, but could not be read: reported on its own file
        if store.get(target) is None and ref.item_list is not None and not item:
            yield Finding(
                ref.loc, f"{target!r} is neither one of this record's {ref.item_list} nor a record id; correct it"
            )
        elif store.get(target) is None:
            yield Finding(
                ref.loc,
                f"{target!r} is not the id of any record{ctx.id_suggestions(target)}; correct the reference or add the record",
            )


@rule("R003", "unknown-item")
def unknown_item(record: Any, ctx: Context) -> Iterator[Finding]:
    """A reference ``ID#ITEM`` (or a bare item id such as ``F1``) names an item that record does not have.
    Also reported: a whole record where an item is needed, and an item of the wrong list (a finding
    where a recommendation is needed). An item that exists but could not be read is not
    reported here: its own file's S001 error says what is wrong with it.
    Why: the loop links findings, recommendations and actions by item; a wrong item breaks the link.
    Fails: ``recommendation: LCSPR-2025-001#R9`` when that review has no R9.
    Passes: ``recommendation: LCSPR-2025-001#R2`` when that review has a recommendation R2.
    Fix: correct the item id, or write the item the field needs (``ID#R1``).
    """
    store = ctx.store
    for ref in record_references(record, ctx):
        if ref.item_list is None and "#" not in ref.ref:
            continue
        found, item, problem = store.resolve(ref.ref, context=record.id)
        if found is None:
            continue  # R002 reports unknown records
        if item is None and ref.ref.partition("#")[2] in store.dropped_items(found.id):
            continue  # it exists, but could not be read
        if item is None and "#" not in ref.ref and found is not record and ref.item_required and ref.item_list:
            yield Finding(
                ref.loc,
                f"{ref.ref!r} is a record, but an item is needed here: write {ref.ref}#{ref.item_list[0].upper()}1 or similar",
            )
        elif problem:
            yield Finding(ref.loc, f"{problem}; correct the item id")
        elif item is not None and ref.item_list and item.list_name != ref.item_list:
            yield Finding(
                ref.loc,
                f"{ref.ref!r} is one of {found.id}'s {item.list_name}, but it must be one of its {ref.item_list}",
            )


@rule("R004", "reference-kind")
def reference_kind(record: Any, ctx: Context) -> Iterator[Finding]:
    """A reference points at a record of the wrong kind.
    For example a rapid review's ``notification`` must be a notification, an action's
    ``lead_agency`` an agency, an action plan's ``source`` a review, audit, Section 11
    return, rapid review or child death review.
    Why: a link to the wrong kind of record puts work under the wrong heading in every report.
    Fails: ``lead_agency: LCSPR-2025-001``.
    Passes: ``lead_agency: WYP`` where WYP is an agency.
    Fix: correct the reference to a record of the kind the message names.
    """
    for ref in record_references(record, ctx):
        found, _, _ = ctx.store.resolve(ref.ref, context=record.id)
        kind = kind_of(found) if found is not None else None
        if kind is not None and ref.kinds is not None and kind not in ref.kinds:
            want = " or ".join(k.replace("_", " ") for k in ref.kinds)
            yield Finding(ref.loc, f"{ref.ref!r} is {_a(kind.replace('_', ' '))}, but this must be {_a(want)}")


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


@rule("R005", "duplicate-item-id")
def duplicate_item_id(record: Any, ctx: Context) -> Iterator[Finding]:
    """Two items inside one record (findings, recommendations, actions, standards) share an id.
    Why: item ids must be unique within the record so that ``ID#ITEM`` means one thing.
    Fails: two findings both ``id: F1``; a recommendation reusing a finding's id.
    Passes: the same item ids in different records.
    Fix: give the second item a new id.
    """
    seen: Counter[str] = Counter()
    for name, items in item_lists_of(record):
        for i, item in enumerate(items):
            seen[item.id] += 1
            if seen[item.id] > 1:
                yield Finding(
                    (name, i, "id"),
                    f"item id {item.id!r} is used more than once in {record.id}; give this one a new id",
                )
