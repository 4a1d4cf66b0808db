"""Dates as people type them in England: 31/03/2026, 31-Mar-26, 31.3.26, 31 March 2026, Excel serials.

Records always hold ISO dates (YYYY-MM-DD). These readers are for what arrives from
outside — spreadsheets being imported, a date typed at a prompt or in an option — and
they never guess: day first always (a UK tracker's 03/04/2026 is 3 April), a two-digit
year is 20YY, and anything that is not one real day (31/02/2026, 03/31/2026, "Mar-26",
"Q3", "TBC") is refused with the reason, never moved to the nearest real date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
MONTHS.update(
    {
        "sept": 9,
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "june": 6,
        "july": 7,
        "august": 8,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
    }
)
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (its 1900 leap-year bug included)
EXCEL_RANGE = (25569, 73051)  # 1970-01-01 .. 2099-12-31: a plain number outside this is not a date

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([A-Za-z]{3,9})\.?[\s\-/.,]*(\d{2}|\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")


class NotADate(ValueError):
    """A value that is not one real day; the message says why."""


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(y: int, m: int, d: int, raw: str) -> date:
    if not 1 <= m <= 12:
        raise NotADate(f"{raw!r}: {m} is not a month (dates are read day first: DD/MM/YYYY)")
    try:
        return date(y, m, d)
    except ValueError:
        raise NotADate(f"{raw!r} is not a real day ({d} is past the end of the month)") from None


def from_serial(value: float) -> date:
    """An Excel serial day number (1900 date system) as a date."""
    if not EXCEL_RANGE[0] <= value <= EXCEL_RANGE[1] or value != int(value):
        raise NotADate(f"{value!r} is a number, not a date")
    return EXCEL_EPOCH + timedelta(days=int(value))


def parse_flexible(value: object, *, serials: bool = True) -> date:
    """One date from a spreadsheet cell or typed text; NotADate (with the reason) for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise NotADate(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        if not serials:
            raise NotADate(f"{value!r} is a number, not a date")
        return from_serial(value)
    raw = str(value).strip()
    if not raw:
        raise NotADate("empty")
    if m := _ISO.fullmatch(raw):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw)
    if m := _NUMERIC.fullmatch(raw):
        return _make(_year(m.group(4)), int(m.group(3)), int(m.group(1)), raw)
    if m := _NAMED.fullmatch(raw):
        month = MONTHS.get(m.group(2).lower())
        if month is None:
            raise NotADate(f"{raw!r}: {m.group(2)!r} is not a month")
        return _make(_year(m.group(3)), month, int(m.group(1)), raw)
    if serials and _SERIAL.fullmatch(raw):
        return from_serial(float(raw))
    if re.fullmatch(r"[A-Za-z]{3,9}[\s\-/]*(\d{2}|\d{4})", raw) or re.fullmatch(r"\d{1,2}\s*/\s*\d{4}", raw):
        raise NotADate(f"{raw!r} gives a month but no day; write the day too (31/03/2026)")
    raise NotADate(f"{raw!r} is not a date (write 31/03/2026 or 2026-03-31)")


def date_hint(raw: str) -> str | None:
    """None if `raw` is an ISO date; otherwise what to say, with "did you mean" when it is a UK date."""
    text = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date.fromisoformat(text)
            return None
        except ValueError:
            return f"{raw!r} is not a date; write it as YYYY-MM-DD (that day does not exist)"
    try:
        found = parse_flexible(text, serials=False)
    except NotADate:
        return f"{raw!r} is not a date; write it as YYYY-MM-DD"
    return f"{raw!r} is not a date; write it as YYYY-MM-DD — did you mean {found.isoformat()}?"


__all__ = ["NotADate", "date_hint", "from_serial", "parse_flexible"]
