"""The statutory and local clocks (DOMAIN.md, "Statutory and local clocks"), computed from the clock table.

``clocks(store, today)`` returns one ``Clock`` per deadline that applies to a record (or,
for the yearly report, to the partnership), sorted by due date, then record id, then clock
name. Which clocks exist, whom they apply to, their start, length, what stops them and
their source are data in ``kscb_cli.domain.clock_table`` (docs/clocks.md is generated from it);
every length comes from ``kscb.yaml`` ``clocks``.

Calendars: a statutory working-day clock skips weekends and the bank holidays of the
store's division and nothing else; a local one also skips ``calendar.closures``.

Regimes: a notification or rapid review under the 2006 regime (before the Panel, 2018-06-29)
gets no Panel clock; an SCR gets the 2006 regime's own expectations (report within six
months, report to the national panel a week before publication); an LCSPR the 2018
Regulations' clocks; learning, practice and single-agency reviews only the local
expectations set in ``clocks.local_reviews``.

States: ``met`` (done on or before due), ``missed`` (done after due; also a published
review whose report never went to the Panel), ``overdue`` (not done and today is after
due), ``due_soon`` (not done and due within the "soon" window), ``running`` otherwise.
The "soon" window: 5 working days for working-day clocks (a notification is due soon
from the day it starts, which is how urgent it is); ``tracker.amber_days`` calendar days
for the others, the same window that turns an action amber.

Extensions: an entry of the record's ``extensions`` naming the clock (the latest agreed
wins) moves its deadline to ``new_due``; the clock keeps its original deadline and the
extension beside it, and a milestone met by the new date is ``met``. An extension that
does not move the deadline later is ignored here (lint rule K005 says so).

Not clocked: withdrawn notifications (and rapid reviews of them); closed records that
never recorded the milestone (nothing more will happen); the publication notice of a
review with neither ``publication.published`` nor ``publication.planned`` (nothing to
count back from), or whose decision is ``not_published``. A date the lint rules already
require (``sent`` on a notification whose status is ``sent``) is not guessed at: a record
missing it gets no clock until it is fixed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.domain import clock_cases, clock_routine
from kscb_cli.domain.clock_base import (
    STATES,
    Clock,
    ClockBuilder,
    calendar_for,
    calendars_for,
    regime_of,
    state,
)
from kscb_cli.domain.clock_table import CLOCK_LABELS, NAMES, WORKING_DAY_CLOCKS

__all__ = [
    "ClocksByRecord",
    "Clock",
    "NAMES",
    "STATES",
    "WORKING_DAY_CLOCKS",
    "CLOCK_LABELS",
    "CLOCKED_KINDS",
    "calendar_for",
    "calendars_for",
    "clocks",
    "regime_of",
    "state",
]

# the clocks each kind of record starts
_BUILDERS = {**clock_cases.BUILDERS, **clock_routine.BUILDERS}
# the kinds of record that have clocks (the history's digest reads only these and action plans)
CLOCKED_KINDS = frozenset(_BUILDERS)


def clocks(store: Any, today: date, *, calendar: Any = None, links: Any = None, records: Any = None) -> list[Clock]:
    """Every clock of every record in the store (or of ``records`` only), sorted by due, record id and name.

    ``calendar``, when given, is the local calendar (bank holidays and closures: a lint
    run's ``Context.calendar``); statutory clocks always use bank holidays only.
    The yearly report clocks (kscb.yaml ``yearly_reports``) are included when ``records`` is None.
    """
    b = ClockBuilder(store, today, calendar, links)
    for record in store.records if records is None else records:
        build = _BUILDERS.get(record.kind)
        if build is not None:
            build(b, record)
    if records is None:
        clock_routine.yearly_clocks(b)
    b.out.sort(key=lambda k: (k.due, k.record_id, k.name))
    return b.out


class ClocksByRecord:
    """The clocks of the store's records by record id, each record's built when first asked for
    (``get(ID)``: what ``clocks`` gives for the records of that id, in its order): a lint that
    judges a few files builds a few records' clocks, not the store's."""

    def __init__(self, store: Any, today: date, *, calendar: Any = None, links: Any = None):
        self._store = store
        self._builder = ClockBuilder(store, today, calendar, links)
        self._found: dict[str, list[Clock]] = {}

    def get(self, record_id: str, default: list[Clock] | None = None) -> list[Clock]:
        """The record's clocks; `default` (else []) when it has none."""
        found = self._found.get(record_id)
        if found is None:
            b = self._builder
            b.out = []
            for entry in self._store.by_id.get(record_id, ()):
                build = _BUILDERS.get(entry.record.kind)
                if build is not None:
                    build(b, entry.record)
            b.out.sort(key=lambda k: (k.due, k.record_id, k.name))
            found = self._found[record_id] = b.out
        return found if found else (default if default is not None else [])
