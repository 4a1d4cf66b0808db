"""A store as rows of the warehouse tables (kscb_cli.warehouse.schema), plain Python values.

Only what the audience may see: a record classified above the audience is left out, with
its items and its clocks, and counted (the rule of ``kscb export --audience``). Free text
(summaries, recommendation text, notes, updates, evidence, subjects) is never exported:
the warehouse holds ids, vocabulary, statuses and dates, which is what cross-store
questions need, and nothing a masking rule would have to find.

The BRAG of an action is the tracker's (``domain.tracker.action_rows``: a draft plan's
open actions are ``draft``) and a clock's state is ``domain.clocks``'s, both as of
``today``, so the warehouse answers what ``kscb actions`` and ``kscb deadlines`` answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from kscb_cli.base.audiences import AUDIENCES
from kscb_cli.model import ITEM_LISTS
from kscb_cli.warehouse.schema import SORT_KEYS

LEVEL: dict[str, int] = {audience: i for i, audience in enumerate(AUDIENCES)}

# A record's key date, for `date` and `year`: the first of these fields it has. Reviews and
# audits follow `kscb stats` (themes by year): a review's decided date, an audit's reported
# date, else its planned date.
KEY_DATES: dict[str, tuple[str, ...]] = {
    "notification": ("sent", "aware"),
    "rapid_review": ("completed", "meeting"),
    "review": ("decided",),
    "audit": ("reported", "planned"),
    "section11": ("submitted", "due"),
    "action_plan": ("approved",),
    "training": ("date",),
    "briefing": ("published", "approved"),
    "child_death": ("reviewed",),
    "performance_return": ("received", "due"),
    "inspection": ("date",),
    "voice": ("start",),
    "guidance": ("issued",),
    "meeting": ("date",),
    "challenge_event": ("date",),
}

# clock states as three outcomes: overdue is a deadline already missed, though not yet done
OUTCOMES = {"met": "met", "missed": "missed", "overdue": "missed", "due_soon": "open", "running": "open"}


@dataclass
class Tables:
    """The rows of each table, sorted, and what was left out and why."""

    partnership: str
    as_of: date
    audience: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    left_out: int = 0  # records classified above the audience
    unread: list[str] = field(default_factory=list)  # files that could not be read at all
    partial: list[str] = field(default_factory=list)  # records with items left out


def partnership_of(store: Any) -> str:
    """The partnership a store's rows carry: kscb.yaml's short name."""
    return str(store.config.partnership.short_name)


def tables(store: Any, today: date, audience: str = "partnership") -> Tables:
    """Every record, item and clock of the store the audience may see, as sorted rows."""
    from kscb_cli.domain.clocks import clocks
    from kscb_cli.domain.tracker import action_rows

    level = LEVEL[audience]
    name = partnership_of(store)
    every = list(store.records)
    shown = [r for r in every if LEVEL.get(r.classification, 1) <= level]
    hidden = {r.id for r in every if LEVEL.get(r.classification, 1) > level}
    brags = {(row.plan_id, row.action_id): row.brag for row in action_rows(store, today)}
    out = Tables(name, today, audience, left_out=len(hidden))
    out.unread = [e.rel for e in store.unread if e.record is None]
    out.partial = [e.rel for e in store.unread if e.record is not None]
    out.rows["records"] = [_record(name, r) for r in shown]
    out.rows["items"] = [row for r in shown for row in _items(name, r, brags, today)]
    out.rows["clocks"] = [_clock(name, c, today) for c in clocks(store, today) if c.record_id not in hidden]
    for table, rows in out.rows.items():
        rows.sort(key=itemgetter(*SORT_KEYS[table]))  # never null: schema.SORT_KEYS
    return out


FIELDS: dict[type, tuple[str, ...]] = {}


def fields_of(model: type) -> tuple[str, ...]:
    """A model's field names, read once per class (pydantic's `model_fields` is slow to ask each time)."""
    found = FIELDS.get(model)
    if found is None:
        found = FIELDS[model] = tuple(getattr(model, "model_fields", ()))
    return found


def _lists(r: Any) -> list[tuple[str, list[Any]]]:
    """The record's item lists that its kind has, with their items."""
    fields = fields_of(type(r))
    return [(name, getattr(r, name) or []) for name in ITEM_LISTS if name in fields]


def _dates(record: Any) -> dict[str, date]:
    found = {}
    for name in fields_of(type(record)):
        value = getattr(record, name, None)
        if isinstance(value, date):
            found[name] = value
    return dict(sorted(found.items()))


def _record(partnership: str, r: Any) -> dict[str, Any]:
    dates = _dates(r)
    key = next((dates[f] for f in KEY_DATES.get(r.kind, ()) if f in dates), None)
    return {
        "partnership": partnership,
        "kind": r.kind,
        "id": r.id,
        "title": r.title,
        "status": r.status,
        "classification": r.classification,
        "workstream": r.workstream,
        "priorities": list(r.priorities),
        "themes": list(r.themes),
        "date": key,
        "year": key.year if key else None,
        "dates": list(dates.items()),
        "items": sum(len(items) for _, items in _lists(r)),
    }


ITEM_TEXT = ("type", "category", "response", "recommendation", "lead_agency", "status")
ITEM_VOCAB = ("standard", "rating", "change", "priority", "staff_group")
ITEM_LISTED = ("themes", "findings", "agencies")


def _items(partnership: str, r: Any, brags: dict[tuple[str, str], str], today: date) -> list[dict[str, Any]]:
    rows = []
    for list_name, items in _lists(r):
        for position, item in enumerate(items):
            # the item's own fields only (a pydantic model's missing attribute is an exception, and slow)
            own = {name: getattr(item, name) for name in fields_of(type(item))}
            row: dict[str, Any] = {
                "partnership": partnership,
                "record_kind": r.kind,
                "record_id": r.id,
                "list_name": list_name,
                "position": position,
                "id": item.id,
                "completed": own.get("completed"),
                "as_of": today,
            }
            for name in ITEM_LISTED:
                row[name] = [str(v) for v in own.get(name) or ()]
            for name in ITEM_TEXT + ITEM_VOCAB:
                row[name] = _text(own.get(name))
            action = list_name == "actions"
            row["due"] = item.effective_due if action else None
            row["original_due"] = item.due if action else None
            row["brag"] = brags.get((r.id, item.id)) if action else None
            rows.append(row)
    return rows


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _clock(partnership: str, c: Any, today: date) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "record_kind": c.kind or "partnership",
        "record_id": c.record_id,
        "clock": c.name,
        "label": c.label,
        "statutory": bool(c.statutory),
        "regime": c.regime,
        "start": c.start,
        "due": c.due,
        "original_due": c.original_due,
        "done": c.done,
        "state": c.state,
        "outcome": OUTCOMES[c.state],
        "as_of": today,
    }


__all__ = ["KEY_DATES", "LEVEL", "OUTCOMES", "Tables", "partnership_of", "tables"]
