"""Dates found in free text: dates of birth (a label and a full date, in any common format)
and, in text meant for publication, any exact date (day, month and year).

Both read the same date grammar (below). Each detector takes a text (and, optionally, its
shape: :func:`kscb_cli.privacy.shapes.shape`) and yields
:class:`~kscb_cli.privacy.shapes.Detection` objects whose ``masked`` form hides the day at
least. :mod:`kscb_cli.privacy.detectors` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kscb_cli.privacy.shapes import DIGITS, Detection, find_all, mask_digits, shape_of

__all__ = ["detect_dates_of_birth", "detect_exact_dates"]

# --------------------------------------------------------------------------
# The date grammar
# --------------------------------------------------------------------------

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

#: A month name, full or abbreviated ("Sept", "Jan."). Case-insensitive.
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_ORDINAL = r"(?i:st|nd|rd|th)?"
_MONTH_NUM = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"

#: A full date (day, month and year) after a date-of-birth label, in any
#: common format: "12 March 2019", "12th of March 2019", "March 12, 2019",
#: "12/03/2019", "12/03/19", "12-03-2019", "12.3.19", "12 03 2019",
#: "2019-03-12". Numeric dates are read day first (the UK order).
_DATE = (
    rf"(?:{_DAY}{_ORDINAL}\s+(?i:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+{_DAY}{_ORDINAL},?\s+{_YEAR}"
    rf"|{_DAY}(?P<dsep>[/. -]){_MONTH_NUM}(?P=dsep)(?:{_YEAR}|[0-9]{{2}})"
    rf"|{_YEAR}(?P<isep>[/.-]){_MONTH_NUM}(?P=isep){_DAY})"
)
#: After a date: no more digits or word characters ("12/03/2019/4" is not a
#: date), except an ISO time ("2025-01-10T09:30") or the end of a range
#: ("01/04/2023-31/03/2024").
_DATE_END = r"(?!(?!T[0-9])[0-9A-Za-z_]|[/.][0-9])"

_MONTH_WORD = re.compile(_MONTH)


def _stars(m: re.Match[str]) -> str:
    return "*" * len(m.group(0))


def _mask_date(date: str) -> str:
    """Mask a whole date: digits and month names ("**/**/****", "** *** ****")."""
    return _MONTH_WORD.sub("***", mask_digits(date))


def _read_date(date: str) -> tuple[int, int, int] | None:
    """The (day, month, year) of a date in one of the ``_DATE`` formats, or
    None when it is not a possible date ("45/13/2019")."""
    nums = [int(n) for n in DIGITS.findall(date)]
    word = _MONTH_WORD.search(date)
    if word:
        if len(nums) != 2:
            return None
        stem = word.group(0).rstrip(".").lower()[:3]
        day, month, year = nums[0], [m[:3] for m in _MONTHS].index(stem) + 1, nums[1]
    elif len(nums) != 3:
        return None
    elif nums[0] >= 1000:  # year first: 2019-03-12
        year, month, day = nums
    else:
        day, month, year = nums
        if year < 100:  # "12/03/19"
            year += 2000 if year < 50 else 1900
    if 1 <= day <= 31 and 1 <= month <= 12 and 1800 <= year <= 2099:
        return day, month, year
    return None


# --------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------

# Where a label can start, found in the lower-cased text with bytes.find;
# "date of birth" is found from its "birth".
_DOB_LABEL_STARTS = (b"dob", b"d.o", b"d. o", b"born")
_DOB_ANY_LABEL = re.compile(rb"d(?:ob|\.o|\. o)|b(?:orn|irth)")  # any of them, or "birth": one search
_DOB = re.compile(
    r"(?<![0-9A-Za-z_.])"
    r"(?P<label>(?i:d\.\s?o\.\s?b\b\.?|dob\b|date\s+of\s+birth"
    r"|born(?:\s+[A-Za-z(),'-]+){0,2}?\s+on|born))"
    r"(?:\s*\((?i:dob|d\.o\.b\.?)\))?"  # "Date of birth (DOB): ..."
    r"\s*(?:[:=\-\u2013\u2014]\s*|(?i:is|was)\s+)?"
    r"(?:(?i:the)\s+)?"
    r"(?P<date>" + _DATE + r")" + _DATE_END
)


def detect_dates_of_birth(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """Dates of birth: "DOB", "D.O.B.", "date of birth", "born on" or "born"
    followed by a full date in any format ("12 March 2019", "12/03/2019")."""
    # One byte per character, so offsets in ``lowered`` are offsets in ``text``.
    lowered = text.encode("ascii", "replace").lower()
    if _DOB_ANY_LABEL.search(lowered) is None:
        return  # no label: the commonest case, with nothing to sort
    starts = {i for label in _DOB_LABEL_STARTS if label in lowered for i in find_all(lowered, label)}
    for i in find_all(lowered, b"birth"):
        starts.add(lowered.rfind(b"date", max(0, i - 16), i))
    starts.discard(-1)
    end = 0
    for m in (_DOB.match(text, i) for i in sorted(starts)):
        if m is None or m.start() < end:
            continue
        end = m.end()
        label = " ".join(m.group("label").split())
        yield Detection(
            "date_of_birth",
            m.start(),
            m.end(),
            f"{label} {_mask_date(m.group('date'))}",
            "a date of birth",
            "remove it; give the child's age (or age band) instead",
        )


# --------------------------------------------------------------------------
# Exact dates (public text only)
# --------------------------------------------------------------------------

# The _DATE formats again, split by their first character for speed and
# checked by _read_date. Without a label, stricter: a two-digit year only after
# slashes ("4.12.20" is more often a paragraph number) and no space-separated
# numbers. Not inside an id ("LCSPR-2025-01-10") or a longer number; in a range
# ("10-12 January 2025", "01/04/2023-31/03/2024") the full dates are found.
_DATE_DIGIT_FIRST = re.compile(
    r"[0-9](?<![0-9A-Za-z_/.].)(?<![A-Z_]-.)"
    r"(?:"
    rf"[0-9]?{_ORDINAL}\s+(?i:of\s+)?{_MONTH},?\s+{_YEAR}"  # 12 March 2019
    rf"|[0-9]?/[0-9]{{1,2}}/(?:{_YEAR}|[0-9]{{2}})"  # 12/03/2019, 12/03/19
    rf"|[0-9]?(?P<dsep>[.-])[0-9]{{1,2}}(?P=dsep){_YEAR}"  # 12-03-2019, 12.03.2019
    rf"|[0-9]{{3}}(?P<isep>[/.-])[0-9]{{1,2}}(?P=isep)[0-9]{{1,2}}"  # 2019-03-12
    r")" + _DATE_END
)
_DATE_MONTH_FIRST = re.compile(  # "March 12, 2019": capitalised month names only
    r"(?<![0-9A-Za-z_])"
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
    rf"\.?\s+{_DAY}{_ORDINAL},?\s+{_YEAR}" + _DATE_END
)
# Where those can start, looked for in the shape: a loose outline of each
# format, as a lookahead so that no candidate hides the next. Any non-ASCII
# character ("?") may be a space.
_SPACE = rb"[\s?\x1c-\x1f]"
_DATE_DIGIT_FIRST_SHAPE = re.compile(
    rb"9(?<![9Aa_/.].)(?<![A_]-.)(?="
    rb"9?(?:[Aa]{2})?%(s)s+(?:[Aa]{2}%(s)s+)?[Aa]{3,9}\.?,?%(s)s+9999"  # 12th of March 2019
    rb"|9?/99?/99|9?[.-]99?[.-]9999|999[/.-]99?[/.-]9)" % {b"s": _SPACE}
)
_DATE_MONTH_FIRST_SHAPE = re.compile(rb"A(?<![9Aa_].)(?=a{2,8}\.?%(s)s+99?(?:[Aa]{2})?,?%(s)s+9999)" % {b"s": _SPACE})


def _confirm(pattern: re.Pattern[str], text: str, candidates: Iterable[re.Match[bytes]]) -> Iterator[re.Match[str]]:
    """``pattern.match`` at each candidate's start, skipping candidates inside
    an earlier match: what ``pattern.finditer(text)`` finds, when every match
    starts at a candidate."""
    end = 0
    for candidate in candidates:
        if candidate.start() >= end:
            m = pattern.match(text, candidate.start())
            if m:
                end = m.end()
                yield m


def detect_exact_dates(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """Exact dates (day, month and year) in text meant for publication. Month
    and year alone ("January 2025") are allowed and not reported. Masked with
    the day hidden ("** January 2025", "2025-01-**")."""
    shape = shape_of(text) if shape is None else shape
    candidates = [
        *_confirm(_DATE_DIGIT_FIRST, text, _DATE_DIGIT_FIRST_SHAPE.finditer(shape)),
        *_confirm(_DATE_MONTH_FIRST, text, _DATE_MONTH_FIRST_SHAPE.finditer(shape)),
    ]
    for m in candidates:
        date = _read_date(m.group(0))
        if date is None:
            continue
        if m.re is _DATE_MONTH_FIRST:  # the day follows the month
            masked = re.sub(r"(?<=\s)[0-9]+", _stars, m.group(0), count=1)
        elif m.group("isep"):  # the day comes last
            masked = re.sub(r"[0-9]+$", _stars, m.group(0))
        else:  # the day comes first
            masked = re.sub(r"^[0-9]+", _stars, m.group(0))
        better = f"{_MONTHS[date[1] - 1].capitalize()} {date[2]}"
        yield Detection(
            "exact_date",
            m.start(),
            m.end(),
            masked,
            "an exact date in text for publication",
            f'give the month and year at most ("{better}")',
        )
