"""Working-day and calendar-month arithmetic for the statutory and local clocks.

DOMAIN.md ("Statutory and local clocks"): every working-day clock skips weekends and the bank
holidays of the store's division (England and Wales by default, including substitute days
and one-off holidays such as 2022-06-03, 2022-09-19 and 2023-05-08); a local clock also skips
the store's own ``calendar.closures``, a statutory one never does (``clocks.calendars_for``
builds one calendar of each). Day 0 is the start event; the deadline is the Nth working day after it.

Bank holidays come from the ``holidays`` package, which computes them offline: through the
table of what it computes for 2000-2060 (kscb_cli/domain/bankholidays.py), which costs a
millisecond where importing and asking ``holidays`` costs 70 ms; the package itself only for
other years, or when the installed release is not the one the table came from.

Internally a calendar keeps one sorted list of the ordinals of its working days, covering
whole years and grown on demand, so that ``add_working_days`` and ``working_days_between``
are two binary searches rather than a day-by-day walk.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable  # not typing: start-up time matters

__all__ = ["DIVISIONS", "WorkingCalendar", "add_months"]

#: ``kscb.yaml`` ``calendar.division`` -> ``holidays`` subdivision of "GB".
#: Use a subdivision, never bare "GB": bare "GB" holds only the UK-wide holidays and
#: silently drops Easter Monday and the late summer bank holiday of England and Wales.
#: ("ENG" and "WLS" give identical dates in holidays 0.109, 1871-2100: England and Wales
#: share their bank holidays.)
DIVISIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}


class WorkingCalendar:
    """Working days of one bank-holiday division plus a partnership's own closures."""

    def __init__(
        self,
        division: str = "england-and-wales",
        closures: Iterable[_dt.date] = (),
    ) -> None:
        if division not in DIVISIONS:
            valid = ", ".join(sorted(DIVISIONS))
            raise ValueError(f"unknown calendar division {division!r}; valid divisions: {valid}")
        self.division = division
        self.closures: frozenset[_dt.date] = frozenset(_as_date(d) for d in closures)
        self._subdiv = DIVISIONS[division]
        self._holidays: dict[int, dict[_dt.date, str]] = {}  # year -> bank holidays
        self._nonworking: dict[int, frozenset[int]] = {}  # year -> ordinals of holidays+closures
        # Sorted ordinals of every working day in years [_lo, _hi]; empty until first use.
        self._ords: list[int] = []
        self._lo = 0
        self._hi = -1

    def __repr__(self) -> str:
        return f"WorkingCalendar(division={self.division!r}, closures={len(self.closures)})"

    # -- holiday data -------------------------------------------------------------------

    def holidays_in(self, year: int) -> dict[_dt.date, str]:
        """Bank holidays of ``year`` (name by date, in date order), for listing.

        Includes substitute ("observed") days and one-off holidays; a holiday that falls
        at a weekend is listed too (it is a non-working day either way). Closures are not
        included: they have no name and are listed from ``self.closures``.
        """
        cached = self._holidays.get(year)
        if cached is None:
            from kscb_cli.domain import bankholidays

            cached = bankholidays.kept(self._subdiv, year)
            if cached is None:
                cached = bankholidays.computed(self._subdiv, year)
            self._holidays[year] = cached
        return dict(cached)

    def _nonworking_ords(self, year: int) -> frozenset[int]:
        ords = self._nonworking.get(year)
        if ords is None:
            self.holidays_in(year)  # fill the cache
            days = set(self._holidays[year]) | {c for c in self.closures if c.year == year}
            ords = frozenset(d.toordinal() for d in days)
            self._nonworking[year] = ords
        return ords

    def is_holiday(self, d: _dt.date) -> bool:
        """True if ``d`` is a bank holiday or a closure (whatever the day of the week)."""
        d = _as_date(d)
        return d.toordinal() in self._nonworking_ords(d.year)

    def is_working_day(self, d: _dt.date) -> bool:
        """True unless ``d`` is a Saturday, Sunday, bank holiday or closure."""
        d = _as_date(d)
        return d.weekday() < 5 and d.toordinal() not in self._nonworking_ords(d.year)

    # -- the sorted working-day index ---------------------------------------------------

    def _year_working_ords(self, year: int) -> list[int]:
        first = _dt.date(year, 1, 1).toordinal()
        last = _dt.date(year, 12, 31).toordinal()
        skip = self._nonworking_ords(year)
        # date.toordinal() % 7: 0 is Sunday, 6 is Saturday.
        return [o for o in range(first, last + 1) if o % 7 not in (0, 6) and o not in skip]

    def _cover(self, year: int) -> None:
        """Grow the working-day index so that it covers ``year``."""
        if self._hi < self._lo:
            self._ords = self._year_working_ords(year)
            self._lo = self._hi = year
            return
        while year > self._hi:
            self._hi += 1
            self._ords.extend(self._year_working_ords(self._hi))
        if year < self._lo:
            before: list[int] = []
            for y in range(year, self._lo):
                before.extend(self._year_working_ords(y))
            self._ords = before + self._ords
            self._lo = year

    def _rank(self, d: _dt.date) -> int:
        """Number of indexed working days on or before ``d`` (``d``'s year is covered)."""
        self._cover(d.year)
        return bisect_right(self._ords, d.toordinal())

    # -- clock arithmetic ---------------------------------------------------------------

    def add_working_days(self, start: _dt.date, n: int) -> _dt.date:
        """The Nth working day after ``start`` (Day 0); ``n == 0`` returns ``start``.

        ``start`` itself never counts, even if it is a working day, and may be a weekend
        or holiday (1 working day after a Saturday is the following Monday, if that is
        a working day). Negative ``n`` counts backwards: ``add_working_days(p, -7)`` is
        the latest date that is "at least 7 working days before" ``p``.
        """
        start = _as_date(start)
        if n == 0:
            return start
        s = start.toordinal()
        self._cover(start.year)
        if n > 0:
            i = bisect_right(self._ords, s) + n - 1
            while i >= len(self._ords):
                self._cover(self._hi + 1 + (i - len(self._ords)) // 260)
        else:
            i = bisect_left(self._ords, s) + n
            while i < 0:
                old = len(self._ords)
                self._cover(self._lo - 1 - (-i) // 260)
                i += len(self._ords) - old
        return _dt.date.fromordinal(self._ords[i])

    def working_days_between(self, a: _dt.date, b: _dt.date) -> int:
        """Working days after ``a`` up to and including ``b``; negative if ``b < a``.

        The inverse of ``add_working_days``: if ``add_working_days(a, n) == b`` with
        ``n >= 0`` then this returns ``n``; and if ``add_working_days(b, -n) == a``
        and ``b`` is a working day, this also returns ``n``.
        ``working_days_between(b, a) == -working_days_between(a, b)``.
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        self._cover(a.year)
        self._cover(b.year)
        return self._rank(b) - self._rank(a)


def add_months(d: _dt.date, n: int) -> _dt.date:
    """``d`` plus ``n`` calendar months (negative allowed), clamped to the month's end.

    Used for month-long clocks (LCSPR report: 6 months; yearly report: 3 months), where
    a deadline on a day the target month lacks falls on its last day:
    2025-08-31 + 6 months is 2026-02-28.
    """
    d = _as_date(d)
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    month = month0 + 1
    return _dt.date(year, month, min(d.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    # Not calendar.monthrange: the stdlib calendar module imports locale (~1.5 ms).
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _as_date(d: _dt.date) -> _dt.date:
    """Reduce a ``datetime`` (a ``date`` subclass) to its date; reject anything else.

    Without this a datetime would compare unequal to the date of the same day in the
    closure set and hash differently, silently ignoring a closure.
    """
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")
