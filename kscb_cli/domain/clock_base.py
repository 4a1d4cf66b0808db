"""What every clock shares: the Clock, its state, the two calendars, the regime, and the builder.

``ClockBuilder`` collects the clocks of one run (``kscb_cli.domain.clocks.clocks``): it
holds the settings, both calendars and the links, and its ``add`` applies an agreed
extension and judges the state. The clocks of each kind of record are built in
``kscb_cli.domain.clock_cases`` (notifications, rapid reviews, reviews) and
``kscb_cli.domain.clock_routine`` (the partnership's routine work); the rules they follow
are in the docstring of ``kscb_cli.domain.clocks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.paths import field_of
from kscb_cli.domain.calendar import WorkingCalendar
from kscb_cli.domain.clock_table import BY_NAME, BY_REGIME, PANEL_FROM, WORKING_DAY_CLOCKS, Regime, regime_on

STATES = ("overdue", "due_soon", "running", "missed", "met")
SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Clock:
    record_id: str
    name: str  # a clock of kscb_cli.domain.clock_table.CLOCKS
    start: date
    due: date  # the deadline in force: the extended one where an extension was agreed
    state: str  # running | due_soon | overdue | met | missed
    done: date | None
    loc: tuple[Any, ...]  # field path in the record, for diagnostics
    label: str
    kind: str = ""  # the record's kind; "partnership" for a kscb.yaml clock
    statutory: bool = True
    original_due: date | None = None  # the deadline before an extension
    extension: Any = None  # the extension applied (agreed, new_due, reason, agreed_by)
    regime: str | None = None

    @property
    def open(self) -> bool:
        """Still to do (running, due soon or overdue)."""
        return self.done is None and self.state not in ("met", "missed")

    @property
    def extended(self) -> bool:
        return self.extension is not None

    @property
    def extension_text(self) -> str:
        """The extension in words, for showing beside the clock ("" if none)."""
        e = self.extension
        if e is None:
            return ""
        return f"extended from {self.original_due} to {e.new_due}, agreed {e.agreed} by {e.agreed_by}: {' '.join(e.reason.split())}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        e = self.extension
        return {
            "clock": self.name,
            "state": self.state,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "label": self.label,
            "statutory": self.statutory,
            "original_due": self.original_due.isoformat() if self.original_due else None,
            "extension": None
            if e is None
            else {
                "agreed": e.agreed.isoformat(),
                "new_due": e.new_due.isoformat(),
                "reason": e.reason,
                "agreed_by": e.agreed_by,
            },
            "regime": self.regime,
        }


def calendars_for(config: Any) -> tuple[WorkingCalendar, WorkingCalendar]:
    """(statutory, local) working-day calendars of a store's ``kscb.yaml``: local ones skip closures too."""
    division = config.calendar.division
    return WorkingCalendar(division), WorkingCalendar(division, config.calendar.closures)


def calendar_for(config: Any) -> WorkingCalendar:
    """The local working-day calendar (bank holidays and closures)."""
    return calendars_for(config)[1]


def state(name: str, due: date, done: date | None, today: date, *, calendar: Any, amber_days: int) -> str:
    """The state of a clock (see the module docstring)."""
    if done is not None:
        return "met" if done <= due else "missed"
    if today > due:
        return "overdue"
    if name in WORKING_DAY_CLOCKS:
        soon = calendar.working_days_between(today, due) <= SOON_WORKING_DAYS
    else:
        soon = (due - today).days <= amber_days
    return "due_soon" if soon else "running"


def regime_of(record: Any, store: Any) -> Regime | None:
    """The statutory regime a notification, rapid review or review was under (None for other kinds).

    The record's own ``regime`` wins; else an SCR is a 2006-Regulations review (before the
    Panel, or in the transition), an LCSPR a 2018-Regulations one, and anything else is
    judged by its key date: a notification's ``aware``, a rapid review's notification's
    ``aware`` (else its meeting), a review's ``decided``.
    """
    stated = field_of(record, "regime")
    if stated:
        return BY_REGIME[stated]
    kind = record.kind
    if kind == "notification":
        return regime_on(record.aware)
    if kind == "rapid_review":
        n = store.get(record.notification)
        if n is not None and n.kind == "notification":
            return BY_REGIME[n.regime] if getattr(n, "regime", None) else regime_on(n.aware)
        day = record.meeting or record.completed or record.sent_to_panel
        return regime_on(day) if day else None
    if kind == "review":
        if record.review_type == "scr":
            return BY_REGIME["lscb_2006" if record.decided < PANEL_FROM else "transition_2018"]
        if record.review_type == "lcspr":
            return BY_REGIME["csprp_2018"]
        return regime_on(record.decided)
    return None


def latest_extension(record: Any, name: str) -> Any:
    """The latest agreed extension of the record naming the clock ``name`` (None if none)."""
    found = [e for e in field_of(record, "extensions") or () if e.clock == name]
    return max(found, key=lambda e: (e.agreed, e.new_due)) if found else None


class ClockBuilder:
    """Collects the clocks of one run: both calendars, the settings, and ``add``."""

    def __init__(self, store: Any, today: date, calendar: Any, links: Any):
        from kscb_cli.domain.links import ClockLinks

        self.store = store
        self.today = today
        self.c = store.config.clocks
        self.stat, local = calendars_for(store.config)
        self.local = calendar if calendar is not None else local
        self.links = links if links is not None else ClockLinks(store.records)  # a Links is one too
        self.amber = store.config.tracker.amber_days
        self.out: list[Clock] = []

    def add(
        self,
        record: Any,
        name: str,
        start: date,
        due: date,
        done: date | None,
        loc: tuple[Any, ...],
        label: str,
        st: str | None = None,
        *,
        regime: Regime | None = None,
        extension: Any = "record",
    ) -> None:
        spec = BY_NAME[name]
        cal = self.stat if spec.statutory else self.local
        ext = latest_extension(record, name) if extension == "record" else extension
        original = None
        if ext is not None and ext.new_due > due:
            original, due = due, ext.new_due
        else:
            ext = None
        if st == "missed" and ext is not None and self.today <= due:
            st = None  # published without the notice, but an extension is agreed: judge it by the new date
        st = st or state(name, due, done, self.today, calendar=cal, amber_days=self.amber)
        kind = getattr(record, "kind", "partnership")
        rid = getattr(record, "id", None) or str(record)
        self.out.append(
            Clock(
                rid,
                name,
                start,
                due,
                st,
                done,
                loc,
                label,
                kind,
                spec.statutory,
                original,
                ext,
                regime.id if regime else None,
            )
        )
