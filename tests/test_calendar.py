"""Working-day clocks against real England and Wales bank holidays (DOMAIN.md checks)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kscb_cli.domain.calendar import DIVISIONS, WorkingCalendar, add_months

D = dt.date


@pytest.fixture(scope="module")
def ew() -> WorkingCalendar:
    return WorkingCalendar()


# -- DOMAIN.md checks -----------------------------------------------------------------------


def test_domain_easter_2016(ew: WorkingCalendar) -> None:
    # Good Friday 2016-03-25 and Easter Monday 2016-03-28 are skipped.
    assert ew.add_working_days(D(2016, 3, 23), 5) == D(2016, 4, 1)


def test_domain_christmas_2025(ew: WorkingCalendar) -> None:
    # 25, 26 Dec 2025 and 1 Jan 2026 are skipped.
    assert ew.add_working_days(D(2025, 12, 15), 15) == D(2026, 1, 8)


def test_notification_clock(ew: WorkingCalendar) -> None:
    assert ew.add_working_days(D(2025, 1, 13), 5) == D(2025, 1, 20)


def test_rapid_review_clock(ew: WorkingCalendar) -> None:
    assert ew.add_working_days(D(2025, 1, 17), 15) == D(2025, 2, 7)


# -- one-off and moved bank holidays since 2016 ----------------------------------------------

ONE_OFFS = [
    D(2020, 5, 8),  # VE Day 75: early May bank holiday moved from Mon 4 May
    D(2022, 6, 2),  # spring bank holiday moved from Mon 30 May for the Platinum Jubilee
    D(2022, 6, 3),  # Platinum Jubilee
    D(2022, 9, 19),  # State Funeral of Queen Elizabeth II
    D(2023, 5, 8),  # Coronation of King Charles III
]


@pytest.mark.parametrize("day", ONE_OFFS, ids=str)
def test_one_off_holidays_are_not_working_days(ew: WorkingCalendar, day: dt.date) -> None:
    assert day.weekday() < 5
    assert not ew.is_working_day(day)
    assert day in ew.holidays_in(day.year)


@pytest.mark.parametrize("day", [D(2020, 5, 4), D(2022, 5, 30)], ids=str)
def test_days_the_bank_holiday_moved_from_are_working_days(ew: WorkingCalendar, day: dt.date) -> None:
    assert day.weekday() == 0
    assert ew.is_working_day(day)
    assert day not in ew.holidays_in(day.year)


def test_one_off_holidays_shift_deadlines(ew: WorkingCalendar) -> None:
    # Thu 2022-06-02 and Fri 2022-06-03 both skipped: Wed 1 June + 1 = Mon 6 June.
    assert ew.add_working_days(D(2022, 6, 1), 1) == D(2022, 6, 6)
    # Fri 2022-09-16 + 1 skips the weekend and the State Funeral.
    assert ew.add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)
    # Fri 2020-05-01 + 1 is Mon 4 May (a working day in 2020), + 5 skips Fri 8 May.
    assert ew.add_working_days(D(2020, 5, 1), 1) == D(2020, 5, 4)
    assert ew.add_working_days(D(2020, 5, 1), 5) == D(2020, 5, 11)


# -- substitute days --------------------------------------------------------------------------

SUBSTITUTES = [
    D(2016, 12, 27),  # Christmas Day (Sun)
    D(2017, 1, 2),  # New Year's Day (Sun)
    D(2020, 12, 28),  # Boxing Day (Sat)
    D(2021, 12, 27),  # Christmas Day (Sat)
    D(2021, 12, 28),  # Boxing Day (Sun)
    D(2022, 1, 3),  # New Year's Day (Sat)
    D(2022, 12, 26),  # Boxing Day (Mon, itself)
    D(2022, 12, 27),  # Christmas Day (Sun)
    D(2023, 1, 2),  # New Year's Day (Sun)
    D(2026, 12, 28),  # Boxing Day (Sat)
    D(2027, 12, 27),  # Christmas Day (Sat)
    D(2027, 12, 28),  # Boxing Day (Sun)
]


@pytest.mark.parametrize("day", SUBSTITUTES, ids=str)
def test_substitute_days_are_not_working_days(ew: WorkingCalendar, day: dt.date) -> None:
    assert day.weekday() < 5
    assert not ew.is_working_day(day)


def test_christmas_2021_clock(ew: WorkingCalendar) -> None:
    # Fri 24 Dec 2021 + 1: Sat, Sun, Mon 27 (sub), Tue 28 (sub) skipped -> Wed 29.
    assert ew.add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)
    # ... and Fri 31 Dec + 1 skips Mon 3 Jan 2022 (New Year substitute).
    assert ew.add_working_days(D(2021, 12, 31), 1) == D(2022, 1, 4)


def test_every_england_and_wales_year_has_its_regular_bank_holidays(ew: WorkingCalendar) -> None:
    # Guard against the "GB without subdivision" trap, which drops Easter Monday and
    # the late summer bank holiday.
    for year in range(2016, 2031):
        names = set(ew.holidays_in(year).values())
        assert {"Good Friday", "Easter Monday", "Late Summer Bank Holiday"} <= names, year


def test_holidays_in_is_dated_and_named(ew: WorkingCalendar) -> None:
    h = ew.holidays_in(2023)
    assert list(h) == sorted(h)
    assert all(d.year == 2023 for d in h)
    assert "Coronation" in h[D(2023, 5, 8)]
    h[D(2023, 7, 4)] = "mutating the returned copy"
    assert D(2023, 7, 4) not in ew.holidays_in(2023)


# -- closures, weekends, arguments -------------------------------------------------------------


def test_closures_are_skipped() -> None:
    plain = WorkingCalendar()
    closed = WorkingCalendar(closures=[D(2025, 1, 15), D(2025, 1, 16)])
    assert plain.is_working_day(D(2025, 1, 15))
    assert not closed.is_working_day(D(2025, 1, 15))
    assert plain.add_working_days(D(2025, 1, 13), 5) == D(2025, 1, 20)
    assert closed.add_working_days(D(2025, 1, 13), 5) == D(2025, 1, 22)
    assert closed.working_days_between(D(2025, 1, 13), D(2025, 1, 22)) == 5
    assert closed.is_holiday(D(2025, 1, 16))


def test_closure_given_as_datetime_is_honoured() -> None:
    cal = WorkingCalendar(closures=[dt.datetime(2025, 1, 15, 9, 30)])
    assert not cal.is_working_day(D(2025, 1, 15))
    assert not cal.is_working_day(dt.datetime(2025, 1, 15, 14, 0))


def test_non_date_rejected(ew: WorkingCalendar) -> None:
    with pytest.raises(TypeError):
        ew.is_working_day("2025-01-15")  # type: ignore[arg-type]


def test_weekend_start(ew: WorkingCalendar) -> None:
    sat, sun = D(2025, 1, 18), D(2025, 1, 19)
    assert not ew.is_working_day(sat) and not ew.is_working_day(sun)
    assert ew.add_working_days(sat, 1) == D(2025, 1, 20)
    assert ew.add_working_days(sun, 1) == D(2025, 1, 20)
    assert ew.add_working_days(sat, 5) == D(2025, 1, 24)
    assert ew.add_working_days(sat, 0) == sat
    assert ew.working_days_between(sat, sun) == 0
    assert ew.working_days_between(sat, D(2025, 1, 20)) == 1


def test_holiday_start(ew: WorkingCalendar) -> None:
    # Day 0 on Good Friday 2025: day 1 is Tue 22 April (Easter Monday skipped).
    assert ew.add_working_days(D(2025, 4, 18), 1) == D(2025, 4, 22)


def test_zero(ew: WorkingCalendar) -> None:
    assert ew.add_working_days(D(2025, 3, 5), 0) == D(2025, 3, 5)
    assert ew.working_days_between(D(2025, 3, 5), D(2025, 3, 5)) == 0


def test_negative_n(ew: WorkingCalendar) -> None:
    # Published Wed 2025-01-22: the notice must reach the Panel by Mon 2025-01-13.
    assert ew.add_working_days(D(2025, 1, 22), -7) == D(2025, 1, 13)
    # Backwards across Easter 2016: Fri 1 April - 5 = Wed 23 March.
    assert ew.add_working_days(D(2016, 4, 1), -5) == D(2016, 3, 23)
    # From a weekend, -1 is the Friday before.
    assert ew.add_working_days(D(2025, 1, 19), -1) == D(2025, 1, 17)
    # Backwards across Christmas 2025 into 2026's predecessor year.
    assert ew.add_working_days(D(2026, 1, 8), -15) == D(2025, 12, 15)
    assert ew.working_days_between(D(2026, 1, 8), D(2025, 12, 15)) == -15


def test_between_negative_and_antisymmetric(ew: WorkingCalendar) -> None:
    a, b = D(2016, 3, 23), D(2016, 4, 1)
    assert ew.working_days_between(a, b) == 5
    assert ew.working_days_between(b, a) == -5


def test_long_spans_and_fresh_calendars() -> None:
    # Grow the index upwards and downwards from a cold start, across many years.
    cal = WorkingCalendar()
    far = cal.add_working_days(D(2025, 1, 17), 2000)
    assert cal.working_days_between(D(2025, 1, 17), far) == 2000
    back = cal.add_working_days(D(2025, 1, 17), -2000)
    assert cal.working_days_between(back, D(2025, 1, 17)) == 2000
    assert WorkingCalendar().add_working_days(D(2025, 1, 17), 2000) == far
    assert WorkingCalendar().add_working_days(D(2025, 1, 17), -2000) == back
    # Between on a cold calendar spanning several uncovered years.
    assert WorkingCalendar().working_days_between(back, far) == 4000


# -- divisions ----------------------------------------------------------------------------------


def test_unknown_division_lists_valid_ones() -> None:
    with pytest.raises(ValueError) as err:
        WorkingCalendar("wales")
    message = str(err.value)
    for name in DIVISIONS:
        assert name in message


def test_other_divisions() -> None:
    scot = WorkingCalendar("scotland")
    ni = WorkingCalendar("northern-ireland")
    ew = WorkingCalendar("england-and-wales")
    # 2 January and St Andrew's Day (substitute) in Scotland; Easter Monday is not.
    assert not scot.is_working_day(D(2025, 1, 2)) and ew.is_working_day(D(2025, 1, 2))
    assert not scot.is_working_day(D(2025, 12, 1))  # St Andrew's Day 2025 (Sun) substitute
    assert scot.is_working_day(D(2025, 4, 21)) and not ew.is_working_day(D(2025, 4, 21))
    # St Patrick's Day and the Twelfth in Northern Ireland.
    assert not ni.is_working_day(D(2025, 3, 17)) and ew.is_working_day(D(2025, 3, 17))
    # The Twelfth fell on a Saturday in 2025: Monday 14 July was the substitute.
    assert not ni.is_working_day(D(2025, 7, 14)) and ew.is_working_day(D(2025, 7, 14))
    # The one-offs were UK-wide.
    for cal in (scot, ni):
        assert not cal.is_working_day(D(2022, 9, 19))
        assert not cal.is_working_day(D(2023, 5, 8))


# -- month arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # clamped to month end
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 1, 15), 6, D(2025, 7, 15)),
        (D(2025, 10, 1), 3, D(2026, 1, 1)),  # year roll-over
        (D(2025, 12, 31), 1, D(2026, 1, 31)),
        (D(2025, 3, 31), 3, D(2025, 6, 30)),  # yearly report: period ends 31 March
        (D(2025, 5, 10), 0, D(2025, 5, 10)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),  # negative
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2025, 1, 31), -13, D(2023, 12, 31)),
        (D(2025, 1, 1), -12, D(2024, 1, 1)),
        (D(2025, 1, 1), 120, D(2035, 1, 1)),
        (D(2099, 8, 31), 6, D(2100, 2, 28)),  # 2100 is not a leap year
        (D(1999, 8, 31), 6, D(2000, 2, 29)),  # 2000 is
    ],
)
def test_add_months(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_months(start, n) == expected


def test_add_months_returns_date_for_datetime() -> None:
    result = add_months(dt.datetime(2025, 8, 31, 12, 0), 6)
    assert type(result) is dt.date and result == D(2026, 2, 28)


# -- properties ------------------------------------------------------------------------------

PROPERTY_CAL = WorkingCalendar(closures=[D(2025, 1, 15), D(2019, 8, 1)])
dates = st.dates(min_value=D(2016, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=500, deadline=None)
@given(d=dates, n=st.integers(min_value=0, max_value=40))
def test_between_inverts_add(d: dt.date, n: int) -> None:
    end = PROPERTY_CAL.add_working_days(d, n)
    assert PROPERTY_CAL.working_days_between(d, end) == n
    if n > 0:
        assert end > d
        assert PROPERTY_CAL.is_working_day(end)
        # It is the *first* date with n working days: the day before has n - 1.
        assert PROPERTY_CAL.working_days_between(d, end - dt.timedelta(days=1)) == n - 1
    else:
        assert end == d


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=40))
def test_backwards_mirrors_forwards(d: dt.date, n: int) -> None:
    earlier = PROPERTY_CAL.add_working_days(d, -n)
    assert earlier < d and PROPERTY_CAL.is_working_day(earlier)
    if PROPERTY_CAL.is_working_day(d):
        assert PROPERTY_CAL.add_working_days(earlier, n) == d
        assert PROPERTY_CAL.working_days_between(earlier, d) == n


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=0, max_value=40))
def test_agrees_with_a_day_by_day_walk(d: dt.date, n: int) -> None:
    day, left = d, n
    while left:
        day += dt.timedelta(days=1)
        if PROPERTY_CAL.is_working_day(day):
            left -= 1
    assert PROPERTY_CAL.add_working_days(d, n) == day


def test_is_working_day_matches_definition() -> None:
    cal = WorkingCalendar()
    day = D(2016, 1, 1)
    while day.year <= 2030:
        expected = day.weekday() < 5 and day not in cal.holidays_in(day.year)
        assert cal.is_working_day(day) == expected, day
        day += dt.timedelta(days=1)


# -- speed -------------------------------------------------------------------------------------


def test_fast_enough() -> None:
    cal = WorkingCalendar()
    starts = [D(2025, 1, 1) + dt.timedelta(days=i % 730) for i in range(10_000)]
    cal.add_working_days(starts[0], 15)  # warm the holiday cache, as the CLI would
    began = time.perf_counter()
    for s in starts:
        cal.add_working_days(s, 15)
    assert time.perf_counter() - began < 0.5


def test_the_bank_holiday_table_is_what_the_installed_holidays_computes() -> None:
    """The kept table (kscb_cli/domain/data) is current: rebuild it with python -m kscb_cli.domain.bankholidays."""
    from kscb_cli.domain import bankholidays

    assert bankholidays.installed_version() is not None
    assert bankholidays.TABLE.read_text(encoding="utf-8") == bankholidays.render()
    for subdiv in sorted(set(DIVISIONS.values())):
        for year in (bankholidays.FIRST, 2022, 2023, bankholidays.LAST):
            assert bankholidays.kept(subdiv, year) == bankholidays.computed(subdiv, year)


def test_a_calendar_asks_holidays_itself_outside_the_table_or_for_another_release(monkeypatch) -> None:
    from kscb_cli.domain import bankholidays

    asked: list[int] = []
    real = bankholidays.computed
    monkeypatch.setattr(bankholidays, "computed", lambda subdiv, year: asked.append(year) or real(subdiv, year))
    WorkingCalendar().holidays_in(2025)
    assert asked == []  # from the table
    assert WorkingCalendar().holidays_in(1999) == real("ENG", 1999)
    assert asked == [1999]
    bankholidays._table.cache_clear()
    monkeypatch.setattr(bankholidays, "installed_version", lambda: "0.0-another")
    try:
        assert WorkingCalendar().holidays_in(2022)[dt.date(2022, 9, 19)]  # the State Funeral, computed
        assert asked == [1999, 2022]
    finally:
        bankholidays._table.cache_clear()
