"""Detectors for identifying personal data in free text.

Records and published learning must never hold identifying personal data
(DOMAIN.md, "Data protection in what is published"). This module finds the
kinds that can be recognised from their shape alone:

============== ===========================================================
kind           what is found
============== ===========================================================
nhs_number     ten digits (3-3-4 with spaces or hyphens, or unbroken) with a
               valid mod-11 check digit
ni_number      a National Insurance number (official prefix rules, suffix A-D)
postcode       a full UK postcode ("HD1 2AB", "SW1A 1AA", "M1 1AE", "HD12AB")
email          an e-mail address
phone          a UK mobile or landline number (07, 01, 02, 03; 0 or +44)
date_of_birth  "DOB", "D.O.B.", "date of birth", "born (on)" with a full date
exact_date     ``public=True`` only: a full date (day, month and year)
street_address a house number and a street name ending in a street type
============== ===========================================================

Names, school names and unique characteristics cannot be recognised by shape;
they are handled elsewhere (the deny-list).

The module is pure and uses only the standard library. Every regular
expression is compiled at import. Each detector is one small function that
takes the text and yields :class:`Detection` objects; :data:`DETECTORS` is the
registry that :func:`scan` runs. Where two detections overlap, the one from
the detector earlier in the registry wins (a date of birth is reported once,
not also as an exact date).

Every detection carries a ``masked`` form of what was found that is safe to
print in a terminal or CI log: it never repeats the identifying part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = [
    "DETECTORS",
    "KINDS",
    "Detection",
    "Detector",
    "is_valid_nhs_number",
    "line_col",
    "scan",
]


@dataclass(frozen=True)
class Detection:
    """One piece of identifying data found in a text.

    ``start`` and ``end`` are character offsets into the scanned text, so
    ``text[start:end]`` is exactly what was matched. ``masked`` is safe to
    print; ``message`` says what was found and ``fix`` how to fix it.
    """

    kind: str
    start: int
    end: int
    masked: str
    message: str
    fix: str


# --------------------------------------------------------------------------
# Shared pieces
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

#: A full date (day, month and year) in any common format, without
#: lookarounds: "12 March 2019", "12th of March 2019", "March 12, 2019",
#: "12/03/2019", "12/03/19", "12-03-2019", "12.03.2019", "2019-03-12".
#: Numeric dates are read day first (the UK order); a two-digit year is only
#: accepted with slashes ("4.12.20" is more often a paragraph number).
_DATE = (
    rf"(?:{_DAY}{_ORDINAL}\s+(?i:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+{_DAY}{_ORDINAL},?\s+{_YEAR}"
    rf"|{_DAY}/{_MONTH_NUM}/(?:{_YEAR}|[0-9]{{2}})"
    rf"|{_DAY}(?P<dsep>[.-]){_MONTH_NUM}(?P=dsep){_YEAR}"
    rf"|{_YEAR}(?P<isep>[/.-]){_MONTH_NUM}(?P=isep){_DAY})"
)
#: After a date: no more digits or word characters ("12/03/2019/4" is not a
#: date), except an ISO time ("2025-01-10T09:30") or the end of a range
#: ("01/04/2023-31/03/2024").
_DATE_END = r"(?!(?!T[0-9])[0-9A-Za-z_]|[/.][0-9])"

_MONTH_WORD = re.compile(_MONTH)
_DIGIT = re.compile(r"[0-9]")


def _mask_digits(s: str, keep: int = 0) -> str:
    """Replace every digit after the first ``keep`` digits with ``*``."""
    out, seen = [], 0
    for ch in s:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _mask_date(date: str) -> str:
    """Mask a whole date: digits and month names ("**/**/****", "** *** ****")."""
    return _MONTH_WORD.sub("***", _mask_digits(date))


def _month_and_year(date: str) -> tuple[int, int] | None:
    """The (month, year) of a full date matched by ``_DATE``, if it can be read."""
    word = _MONTH_WORD.search(date)
    nums = [int(n) for n in re.findall(r"[0-9]+", date)]
    if word:
        month = _MONTHS.index(
            next(m for m in _MONTHS if m.startswith(word.group(0).rstrip(".").lower()[:3]))
        ) + 1
        return month, max(nums)
    if len(nums) != 3:
        return None
    if nums[0] > 31:  # year first (ISO)
        return nums[1], nums[0]
    year = nums[2] if nums[2] >= 100 else 2000 + nums[2]
    return nums[1], year


# --------------------------------------------------------------------------
# NHS numbers
# --------------------------------------------------------------------------

_NHS = re.compile(
    r"(?<![0-9A-Za-z_/])(?<![0-9][ -])"  # not part of a longer digit run or token
    r"([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})"
    r"(?![0-9A-Za-z_/])(?![ -][0-9])"
)


def is_valid_nhs_number(number: str) -> bool:
    """True when ``number`` (digits, spaces or hyphens) is ten digits with a valid
    mod-11 check digit.

    The first nine digits are weighted 10 down to 2; the check digit is 11
    minus the remainder of the sum divided by 11 (11 becomes 0; 10 is never
    issued). Numbers of one repeated digit ("000 000 0000", "111 111 1111")
    are placeholders and are not treated as valid.
    """
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def detect_nhs_numbers(text: str) -> Iterator[Detection]:
    """NHS numbers: ten digits in 3-3-4 groups (spaces or hyphens) or unbroken,
    with a valid mod-11 check digit. Invalid check digits are not reported."""
    for m in _NHS.finditer(text):
        if is_valid_nhs_number(m.group(0)):
            yield Detection(
                "nhs_number", m.start(), m.end(), f"{m.group(1)} *** ****",
                "an NHS number (valid check digit)",
                "remove it; records never hold NHS numbers",
            )


# --------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------

# First letter: not D, F, I, Q, U or V. Second letter: not D, F, I, O, Q, U or V.
# The prefixes BG, GB, KN, NK, NT, TN and ZZ are never allocated.
_NI = re.compile(
    r"(?<![0-9A-Za-z_])"
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r"[ -]?([0-9]{2})[ -]?([0-9]{2})[ -]?([0-9]{2})(?:[ -]?([A-D]))?"
    r"(?![0-9A-Za-z_])"
)
# Without its suffix letter, a number is only reported after an NI label.
_NI_LABEL = re.compile(r"(?i)\b(?:NI|NINO|N\.I\.|national\s+insurance)\b[^\n]{0,30}$")


def detect_ni_numbers(text: str) -> Iterator[Detection]:
    """National Insurance numbers: two prefix letters (official rules), six
    digits and a suffix A-D, spaced or not ("JT 12 34 56 A", "JT123456A").
    Upper case only. Without a suffix, only right after an "NI number" label."""
    for m in _NI.finditer(text):
        if m.group(5) is None and not _NI_LABEL.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield Detection(
            "ni_number", m.start(), m.end(), f"{m.group(1)}** ** ** *",
            "a National Insurance number",
            "remove it; records never hold National Insurance numbers",
        )


# --------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------

# The UK postcode areas: a full list keeps "F1", "R2" or "A3 4BC" from matching.
_POSTCODE_AREAS = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE "
    "DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG "
    "IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR "
    "NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW "
    "SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
).split()
_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z_#/-])"
    r"(?P<out>(?:" + "|".join(sorted(_POSTCODE_AREAS, key=len, reverse=True)) + r")"
    r"(?:[0-9][A-Z]|[0-9]{1,2})|GIR)"
    r" {0,2}(?P<in>[0-9][ABD-HJLNP-UW-Z]{2})"  # the inward code never uses C I K M O V
    r"(?![0-9A-Za-z_-])",
    re.IGNORECASE,
)
_ORDINAL_SUFFIX = re.compile(r"[0-9](?:st|nd|rd|th)")


def detect_postcodes(text: str) -> Iterator[Detection]:
    """Full UK postcodes, with or without the space ("HD1 2AB", "SW1A 1AA",
    "HD12AB"), in upper or lower case but not mixed ("S4 1st" is not one).
    Outward codes alone ("HD1", "S11") are not reported."""
    for m in _POSTCODE.finditer(text):
        code = m.group("out") + m.group("in")
        if not (code.isupper() or (code.islower() and not _ORDINAL_SUFFIX.fullmatch(m.group("in")))):
            continue
        yield Detection(
            "postcode", m.start(), m.end(), f"{m.group('out').upper()} ***",
            "a full postcode",
            "remove it; name the area or town at most",
        )


# --------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![0-9A-Za-z_.+-])"
    r"(?P<local>[A-Za-z0-9][A-Za-z0-9._%+'-]*)@"
    r"(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)"
    r"\.(?P<tld>[A-Za-z]{2,24})\b"
)


def detect_emails(text: str) -> Iterator[Detection]:
    """E-mail addresses. Masked as "j***@e***.com"."""
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Detection(
            "email", m.start(), m.end(),
            f"{m.group('local')[0]}***@{m.group('domain')[0]}***.{m.group('tld')}",
            "an e-mail address",
            "remove it; name the role and agency instead",
        )


# --------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------

_PHONE = re.compile(
    r"""
    (?<![0-9A-Za-z_/+-])(?<![0-9]\.)   # not glued to a longer token
    (?P<prefix>(?:\+|00)44[ ]?(?:\(0\)[ ]?)?|\(?0)
    (?:
        7[0-9]{3}\)?[ -]?(?:[0-9]{6}|[0-9]{3}[ -][0-9]{3})     # 07700 900123, 07700 900 123
      | 2[0-9]\)?[ -]?[0-9]{4}[ -]?[0-9]{4}                     # 020 7946 0018
      | [13][0-9]{2}\)?[ -]?[0-9]{3}[ -]?[0-9]{4}               # 0113 496 0000, 0300 123 4567
      | 1[0-9]{3}\)?[ -]?(?:[0-9]{6}|[0-9]{3}[ -][0-9]{3}|[0-9]{5})  # 01632 960001, 01632 960 001
      | 1[0-9]{4}\)?[ -]?[0-9]{4,5}                             # 016977 4567
    )
    (?![ -]?[0-9])(?![A-Za-z_/])       # not the start of a longer number
    """,
    re.VERBOSE,
)


def detect_phones(text: str) -> Iterator[Detection]:
    """UK phone numbers: mobiles (07) and landlines (01, 02, 03) in the common
    groupings, from 0 or +44 (with or without "(0)"). Masked "07*** ******"."""
    for m in _PHONE.finditer(text):
        prefix = m.group("prefix")
        keep = sum(c.isdigit() for c in prefix) + 1  # "07***", "+44 7***"
        yield Detection(
            "phone", m.start(), m.end(), _mask_digits(m.group(0), keep),
            "a phone number",
            "remove it; name the role and agency instead",
        )


# --------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------

_DOB = re.compile(
    r"(?<![0-9A-Za-z_.])"
    r"(?P<label>(?i:d\.\s?o\.\s?b\b\.?|dob\b|date\s+of\s+birth"
    r"|born(?:\s+[A-Za-z(),'-]+){0,2}?\s+on|born))"
    r"(?:\s*\((?i:dob|d\.o\.b\.?)\))?"          # "Date of birth (DOB): ..."
    r"\s*(?:[:=\-\u2013\u2014]\s*|(?i:is|was)\s+)?"
    r"(?:(?i:the)\s+)?"
    r"(?P<date>" + _DATE + r")" + _DATE_END
)


def detect_dates_of_birth(text: str) -> Iterator[Detection]:
    """Dates of birth: "DOB", "D.O.B.", "date of birth", "born on" or "born"
    followed by a full date in any format ("12 March 2019", "12/03/2019")."""
    for m in _DOB.finditer(text):
        label = " ".join(m.group("label").split())
        yield Detection(
            "date_of_birth", m.start(), m.end(), f"{label} {_mask_date(m.group('date'))}",
            "a date of birth",
            "remove it; give the child's age (or age band) instead",
        )


# --------------------------------------------------------------------------
# Exact dates (public text only)
# --------------------------------------------------------------------------

# Not inside an id ("LCSPR-2025-01-10") or a longer number; a range such as
# "10-12 January 2025" or "01/04/2023-31/03/2024" still matches its dates.
_EXACT_DATE = re.compile(
    r"(?<![0-9A-Za-z_/.])(?<![A-Z_]-)(?:" + _DATE + r")" + _DATE_END
)


def detect_exact_dates(text: str) -> Iterator[Detection]:
    """Exact dates (day, month and year) in text meant for publication. Month
    and year alone ("January 2025") are allowed and not reported."""
    for m in _EXACT_DATE.finditer(text):
        my = _month_and_year(m.group(0))
        if my is None or not 1 <= my[0] <= 12:
            continue
        better = f"{_MONTHS[my[0] - 1].capitalize()} {my[1]}"
        masked = m.group(0)
        if m.group("isep"):  # year first: mask the day at the end
            masked = masked[: masked.rindex(m.group("isep")) + 1] + "**"
        else:  # the day comes first
            masked = re.sub(r"^[0-9]{1,2}", lambda d: "*" * len(d.group(0)), masked)
            masked = re.sub(r"(?<=[A-Za-z.] )[0-9]{1,2}(?=\D)", "**", masked, count=1)
        yield Detection(
            "exact_date", m.start(), m.end(), masked,
            "an exact date in text for publication",
            f"give the month and year at most (\"{better}\")",
        )


# --------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------

_STREET_TYPES = (
    "Road Street Lane Avenue Close Drive Crescent Way Terrace Grove Gardens Place "
    "Court Walk Square Mews Rise Row Parade Boulevard Fold Croft Villas "
    "Rd St Ave Ln Dr Cres Cl Gdns Terr Tce Pl Ct Sq"
).split()
# Title-case phrases that end in a street type but are not streets: a court
# ("3 Family Court hearings") or a heading ("Step 2 Keep Them Close").
_NOT_STREET_WORDS = frozenset(
    "a an and are be by do for get give he her his hold i in is it its keep let make "
    "my of on or our she stay take that their them they this to we with you your "
    "minute minutes hour hours day days week weeks month months year years "
    "step steps top ways things rules".split()
)
_NOT_STREETS = re.compile(
    r"\b(?:Family|Crown|County|High|Youth|Magistrates'?|Coroners?'?|Coroner's|Supreme"
    r"|Appeal|Civil|Criminal|Tribunal)\s+(?:Court|Ct)\b"
)
_STREET = re.compile(
    r"(?<![0-9A-Za-z_/.,#-])"
    r"(?:(?:Flat|Apartment|Apt\.?|Unit)\s+[0-9]{1,4}[A-Za-z]?,?\s+)?"
    r"(?P<number>[0-9]{1,4}(?:[A-Za-z](?![A-Za-z]))?(?:-[0-9]{1,4})?),?[ \t]+"
    r"(?P<name>(?:[A-Z][A-Za-z'\u2019]*(?:-[A-Z][A-Za-z'\u2019]*)?[ \t]+){1,3}?)"
    r"(?:" + "|".join(_STREET_TYPES) + r")\b\.?"
)


def detect_street_addresses(text: str) -> Iterator[Detection]:
    """Street addresses: a house number and a capitalised street name ending in
    a street type ("14 Acacia Avenue", "Flat 3, 22 Mill Lane", "7 Church St").
    Years ("2018 The Kirklees Way"), courts ("3 Family Court") and headings
    ("2 Keep Them Close") are skipped."""
    for m in _STREET.finditer(text):
        number = int(re.match(r"[0-9]+", m.group("number")).group(0))
        if 1800 <= number <= 2099 or _NOT_STREETS.search(m.group(0)):
            continue
        if any(w.lower() in _NOT_STREET_WORDS for w in m.group("name").split()):
            continue
        words = m.group(0).split()
        masked = " ".join(re.sub(r"[0-9A-Za-z'\u2019]", "*", w) for w in words[:-1])
        yield Detection(
            "street_address", m.start(), m.end(), f"{masked} {words[-1]}",
            "a street address",
            "remove it; name the area or town at most",
        )


# --------------------------------------------------------------------------
# The registry and the scan
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Detector:
    """One entry in the registry: a kind, the function that finds it, and
    whether it only applies to text meant for publication."""

    kind: str
    find: Callable[[str], Iterator[Detection]]
    public_only: bool = False


#: The detectors :func:`scan` runs, in priority order: where detections
#: overlap, the earlier detector's is kept.
DETECTORS: tuple[Detector, ...] = (
    Detector("email", detect_emails),
    Detector("nhs_number", detect_nhs_numbers),
    Detector("ni_number", detect_ni_numbers),
    Detector("date_of_birth", detect_dates_of_birth),
    Detector("phone", detect_phones),
    Detector("postcode", detect_postcodes),
    Detector("street_address", detect_street_addresses),
    Detector("exact_date", detect_exact_dates, public_only=True),
)

KINDS: tuple[str, ...] = tuple(d.kind for d in DETECTORS)


def scan(text: str, *, public: bool = False) -> list[Detection]:
    """Find identifying personal data in ``text``.

    With ``public=True`` (text that may be published) exact dates are also
    reported. Detections are sorted by position and never overlap.
    """
    if not text or not (_DIGIT.search(text) or "@" in text):
        return []  # every kind needs a digit, except e-mail addresses
    kept: list[Detection] = []
    for detector in DETECTORS:
        if detector.public_only and not public:
            continue
        for found in detector.find(text):
            if not any(found.start < k.end and k.start < found.end for k in kept):
                kept.append(found)
    kept.sort(key=lambda d: (d.start, d.end, d.kind))
    return kept


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of character ``offset`` within ``text``.

    ``offset`` may equal ``len(text)`` (the end of the text). Lines end at
    ``\\n``; a ``\\r`` before it belongs to the previous line.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (length {len(text)})")
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)
