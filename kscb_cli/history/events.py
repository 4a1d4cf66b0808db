"""What the digest (`kscb changes`) reports: events grouped by kind and category."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kscb_cli.history.diff import plain_value


@dataclass(frozen=True)
class Event:
    """One thing that happened to the store in the period."""

    category: str  # created | deleted | renamed | status | finding | recommendation | action_completed | action_overdue | clock_met | clock_missed
    kind: str
    record_id: str
    title: str
    item: str | None = None
    old: Any = None
    new: Any = None
    date: str = ""  # the day it happened (commit author day, due date, clock date)
    commit: str | None = None
    author: str | None = None
    detail: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.kind,
            CATEGORIES.index(self.category),
            self.record_id,
            self.item or "",
            self.date,
            self.commit or "",
            str(self.new),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "kind": self.kind,
            "record": self.record_id,
            "title": self.title,
            "item": self.item,
            "old": plain_value(self.old),
            "new": plain_value(self.new),
            "date": self.date,
            "commit": self.commit,
            "author": self.author,
            "detail": self.detail,
        }


CATEGORIES = [
    "created",
    "deleted",
    "renamed",
    "status",
    "finding",
    "recommendation",
    "action_completed",
    "action_overdue",
    "clock_met",
    "clock_missed",
]
CATEGORY_TITLES = {
    "created": "Records created",
    "deleted": "Records deleted",
    "renamed": "Records renamed",
    "status": "Status changes",
    "finding": "New findings",
    "recommendation": "New recommendations",
    "action_completed": "Actions completed",
    "action_overdue": "Actions that became overdue",
    "clock_met": "Clocks met",
    "clock_missed": "Clocks missed",
}


@dataclass
class Digest:
    since: str  # as given
    until: str  # as given, or "HEAD"
    since_day: str
    until_day: str
    commits: int
    events: list[Event]
    shallow: bool = False
    clocks: bool = False  # whether clocks were included (changes always includes them; kept in the JSON)
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # records of the end-of-period store that could not be read in full

    def by_kind(self) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        for e in self.events:
            out.setdefault(e.kind, []).append(e)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "since_day": self.since_day,
            "until_day": self.until_day,
            "commits": self.commits,
            "shallow": self.shallow,
            "clocks": self.clocks,
            "notes": list(self.notes),
            "kinds": {k: [e.as_dict() for e in v] for k, v in sorted(self.by_kind().items())},
        }
