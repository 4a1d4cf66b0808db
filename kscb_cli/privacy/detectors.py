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
person_name    a person's name: "Jayden Smith", "Dr Patel", "his brother Tyler"
               (:mod:`kscb_cli.privacy.namefinder`: known given names and surnames
               in the places names sit in a sentence)
============== ===========================================================

School names and unique characteristics cannot be recognised; they are
handled elsewhere (the deny-list). :func:`scan` looks for names only when given a finder
(``names=NAMES``, or the store's own with its allow-list); by default it runs
the shape detectors alone (kscb_cli.privacy.mask relies on that).
:func:`mask` returns a text with everything found replaced by its masked
form, for printing old versions and diagnostics.

The module is pure and uses only the standard library. Every regular
expression is compiled at import. Each detector is one small function that
takes a text and yields :class:`Detection` objects; :data:`DETECTORS` is the
registry that :func:`scan` runs. Where two detections overlap, the one from
the detector earlier in the registry wins (a date of birth is reported once,
not also as an exact date).

Every detection carries a ``masked`` form of what was found that is safe to
print in a terminal or CI log: it never repeats the identifying part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "DETECTORS",
    "KINDS",
    "NAMES",
    "SHAPE_KINDS",
    "Detection",
    "Detector",
    "is_valid_nhs_number",
    "line_col",
    "mask",
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
#
# Speed (10,000 texts of 2 KB in well under a second) comes from three habits:
# - scan() skips the detectors a text cannot trigger, from its *shape* (below);
# - a detector looks for something rare first and reads around it: the "@" of
#   an e-mail address, the street type of an address, the inward code of a
#   postcode, the label of a date of birth;
# - a pattern that must scan a whole text starts with a literal or a character
#   class, with its "not glued to the previous character" lookbehind just after
#   that first character (``[0-9](?<![0-9A-Za-z_].)``), so that the regex
#   engine skips in C to the next possible start.
# Every detector takes the text and, optionally, its shape (scan() computes it
# once); the detectors that do not need the shape ignore it.
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
_NUMBER = re.compile(r"[0-9]+")
_WORDISH = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


# The shape of a text: every digit becomes "9", every upper-case ASCII letter
# "A", every lower-case one "a"; other ASCII characters stay and anything else
# becomes "?". It has one byte per character, so offsets carry over. Searching
# the shape for "9" is a fast scan for one byte, where searching the text for
# [0-9] tests every character against a class: scan() uses it to skip the
# detectors a text cannot trigger (Detector.hint), and the NHS number and
# postcode detectors to find their candidates.
_SHAPE_TABLE = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    b"9" * 10 + b"A" * 26 + b"a" * 26,
)


def _shape(text: str) -> bytes:
    """The shape of ``text``: "NHS 943 476 5919" becomes b"AAA 999 999 9999"."""
    return text.encode("ascii", "replace").translate(_SHAPE_TABLE)


def _glued(text: str, start: int) -> bool:
    """True when the character before ``start`` is a letter, digit or underscore."""
    return start > 0 and text[start - 1] in _WORDISH


def _mask_digits(s: str, keep: int = 0) -> str:
    """Replace every digit after the first ``keep`` digits with ``*``."""
    out, seen = [], 0
    for ch in s:
        if ch in "0123456789":
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _find_all(haystack: bytes, needle: bytes) -> Iterator[int]:
    """Every offset of ``needle`` in ``haystack`` (bytes.find is faster than a regex)."""
    i = haystack.find(needle)
    while i != -1:
        yield i
        i = haystack.find(needle, i + 1)


def _stars(m: re.Match[str]) -> str:
    return "*" * len(m.group(0))


def _mask_date(date: str) -> str:
    """Mask a whole date: digits and month names ("**/**/****", "** *** ****")."""
    return _MONTH_WORD.sub("***", _mask_digits(date))


def _read_date(date: str) -> tuple[int, int, int] | None:
    """The (day, month, year) of a date in one of the ``_DATE`` formats, or
    None when it is not a possible date ("45/13/2019")."""
    nums = [int(n) for n in _NUMBER.findall(date)]
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
# NHS numbers
# --------------------------------------------------------------------------

# Searched in the shape (digits are "9", letters "A" or "a"): 3-3-4 digits with
# the same separator twice, or ten in a row, not inside a longer number or token.
_NHS = re.compile(rb"9(?<![9Aa_/].)(?<!9[ -].)99(?P<sep>[ -]?)999(?P=sep)9999(?![9Aa_/])(?![ -]9)")


def is_valid_nhs_number(number: str) -> bool:
    """True when ``number`` (digits, spaces or hyphens) is ten digits with a valid
    mod-11 check digit.

    The first nine digits are weighted 10 down to 2; the check digit is 11
    minus the remainder of the sum divided by 11 (11 becomes 0; 10 is never
    issued). Numbers of one repeated digit ("000 000 0000", "111 111 1111")
    are placeholders and are not treated as valid.
    """
    digits = [int(c) for c in number if c in "0123456789"]
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def detect_nhs_numbers(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """NHS numbers: ten digits in 3-3-4 groups (spaces or hyphens) or unbroken,
    with a valid mod-11 check digit. Invalid check digits are not reported."""
    for m in _NHS.finditer(_shape(text) if shape is None else shape):
        number = text[m.start() : m.end()]
        if is_valid_nhs_number(number):
            yield Detection(
                "nhs_number",
                m.start(),
                m.end(),
                f"{number[:3]} *** ****",
                "an NHS number (valid check digit)",
                "remove it; records never hold NHS numbers",
            )


# --------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------

# First letter: not D, F, I, Q, U or V. Second letter: not D, F, I, O, Q, U or V.
_NI = re.compile(
    r"([A-CEGHJ-PR-TW-Z](?<![0-9A-Za-z_].)[A-CEGHJ-NPR-TW-Z])"
    r"[ -]?([0-9]{2})[ -]?([0-9]{2})[ -]?([0-9]{2})(?:[ -]?([A-D]))?"
    r"(?![0-9A-Za-z_])"
)
# Lower or mixed case ("ce 20 18 44 b") is only taken after an NI label: too many ordinary words fit otherwise.
_NI_ANY_CASE = re.compile(_NI.pattern, re.IGNORECASE)
_NI_NEVER_ALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# Without its suffix letter, a number is only reported right after an NI label.
_NI_LABEL = re.compile(r"(?i)\b(?:NI|NINO|N\.I\.|national\s+insurance)\b[^\n]{0,30}\Z")
# Right after a label, any two letters: "NI no. QQ 12 34 56 C" (QQ is the prefix of the
# specimen number people copy, never allocated, but a real one may be mistyped too).
_NI_LABELLED = re.compile(
    r"(?i:\b(?:NI|NINO|N\.I\.|national\s+insurance)\b)(?:[^\n0-9]{0,30}?)"
    r"(?P<number>(?<![0-9A-Za-z_])[A-Za-z]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}(?:[ -]?[A-Da-d])?)(?![0-9A-Za-z_])"
)


_NI_SPECIMEN = re.compile(r"(?i)\b(?:format|e\.g\.|for example|such as|like|style)\b")


def detect_ni_numbers(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """National Insurance numbers: two prefix letters (official rules), six
    digits and a suffix A-D, spaced or not ("JT 12 34 56 A", "JT123456A").
    Without a suffix, or in lower case, only right after an "NI number" label; right
    after a label, whatever the prefix ("NI no. QQ 12 34 56 C")."""
    labelled = set()
    for m in _NI_LABELLED.finditer(text):
        labelled.add(m.start("number"))
        if _NI_SPECIMEN.search(text, m.start(), m.start("number")):
            continue  # "an NI number in the format QQ 12 34 56 C": the format, not a number
        yield Detection(
            "ni_number",
            m.start("number"),
            m.end("number"),
            f"{m.group('number')[:2].upper()}** ** ** *",
            "a National Insurance number",
            "remove it; records never hold National Insurance numbers",
        )
    for m in _NI_ANY_CASE.finditer(text):
        if m.start() in labelled:
            continue
        upper = m.group(0) == m.group(0).upper()
        if m.group(1).upper() in _NI_NEVER_ALLOCATED:
            continue
        if (m.group(5) is None or not upper) and not _NI_LABEL.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield Detection(
            "ni_number",
            m.start(),
            m.end(),
            f"{m.group(1).upper()}** ** ** *",
            "a National Insurance number",
            "remove it; records never hold National Insurance numbers",
        )


# --------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------

# The UK postcode areas: the full list keeps "F1 2AB" or "R2 3CD" from matching.
_POSTCODE_AREAS = frozenset(
    "AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE "
    "DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG "
    "IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR "
    "NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW "
    "SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE".split()
)
# Found from the inward code ("2AB": a digit and two letters, never C I K M O
# V), looked for in the shape, then read backwards.
_INWARD_SHAPE = re.compile(rb"9[Aa]{2}(?![9Aa_-])")
_INWARD = re.compile(r"[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}")
_OUTWARD = re.compile(r"(?<![0-9A-Za-z_#/-])(?P<area>[A-Za-z]{1,2})(?P<district>[0-9][0-9A-Za-z]?) {0,2}\Z")
_ORDINAL_SUFFIX = re.compile(r"[0-9](?:st|nd|rd|th)")


def detect_postcodes(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """Full UK postcodes, with or without the space ("HD1 2AB", "SW1A 1AA",
    "HD12AB"), in upper or lower case but not mixed ("S4 1st" is not one).
    Outward codes alone ("HD1", "S11") are not reported."""
    for candidate in _INWARD_SHAPE.finditer(_shape(text) if shape is None else shape):
        inward = _INWARD.match(text, candidate.start())
        if inward is None:
            continue
        out = _OUTWARD.search(text, max(0, inward.start() - 6), inward.start())
        if out is None or out.group("area").upper() not in _POSTCODE_AREAS:
            continue
        code = out.group("area") + out.group("district") + inward.group(0)
        lower_case = code.islower() and not _ORDINAL_SUFFIX.fullmatch(inward.group(0))
        if not (code.isupper() or lower_case):
            continue
        outward = (out.group("area") + out.group("district")).upper()
        yield Detection(
            "postcode",
            out.start(),
            inward.end(),
            f"{outward} ***",
            "a full postcode",
            "remove it; name the area or town at most",
        )


# --------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------

# Found from each "@": the local part is read backwards, the domain forwards.
_EMAIL_LOCAL = re.compile(r"(?<![0-9A-Za-z_.+'%-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}\Z")
_EMAIL_DOMAIN = re.compile(
    r"(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)"
    r"\.(?P<tld>[A-Za-z]{2,24})\b"
)


def detect_emails(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """E-mail addresses ("jane.doe@example.org"). Masked as "j***@e***.org"."""
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            yield Detection(
                "email",
                local.start(),
                domain.end(),
                f"{local.group(0)[0]}***@{domain.group('domain')[0]}***.{domain.group('tld')}",
                "an e-mail address",
                "remove it; name the role and agency instead",
            )
        at = text.find("@", domain.end() if domain else at + 1)


# --------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------

_PHONE = re.compile(
    r"""
    (?P<prefix>                                  # not glued to a longer token:
        \+(?<![0-9A-Za-z_/+-].)44[ ]?(?:\(0\)[ ]?)?       # +44, +44 (0)
      | 0(?<![0-9A-Za-z_/+-].)(?<![0-9]\..)(?:044[ ]?(?:\(0\)[ ]?)?)?  # 0, 0044
      | \((?<![0-9A-Za-z_/+-].)0                           # (0
    )
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


def detect_phones(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """UK phone numbers: mobiles (07) and landlines (01, 02, 03) in the common
    groupings, from 0, +44 or 0044 (with or without "(0)"). Masked "07*** ******".
    08 numbers are not flagged: they belong to organisations (the NSPCC helpline,
    0808 800 5000, is published on purpose), and flagging them cost precision."""
    for m in _PHONE.finditer(text):
        keep = sum(c in "0123456789" for c in m.group("prefix")) + 1  # "07***", "+44 7***"
        yield Detection(
            "phone",
            m.start(),
            m.end(),
            _mask_digits(m.group(0), keep),
            "a phone number",
            "remove it; name the role and agency instead",
        )


# --------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------

# Where a label can start, found in the lower-cased text with bytes.find;
# "date of birth" is found from its "birth".
_DOB_LABEL_STARTS = (b"dob", b"d.o", b"d. o", b"born")
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
    starts = {i for label in _DOB_LABEL_STARTS if label in lowered for i in _find_all(lowered, label)}
    for i in _find_all(lowered, b"birth"):
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
    shape = _shape(text) if shape is None else shape
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


# --------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------

_STREET_WORDS = (
    "Road Street Lane Avenue Close Drive Crescent Way Terrace Grove Gardens Place "
    "Court Walk Square Mews Rise Parade Boulevard Fold Croft Villas Row Wharf Green Hill "
    "View Approach Meadow Meadows Bank Brow Gate Yard Quay Vale Park Passage Wynd"
).split()
_STREET_ABBREVIATIONS = "Rd St Ave Av Ln Dr Cres Cl Gdns Terr Tce Pl Ct Sq".split()
_STREET_TYPES = _STREET_WORDS + _STREET_ABBREVIATIONS
# Found from the street type (rarer than digits), then read backwards: the
# house number (14, 31B, 2-4) and one to three capitalised words (Acacia).
_STREET_TYPE = re.compile("(?:" + "|".join(_STREET_TYPES) + r")\b(?!-)")  # not "Walk-through"
_STREET_BEFORE = re.compile(
    r"(?P<number>[0-9](?<![0-9A-Za-z_/.,#-].)[0-9]{0,3}"
    r"(?:[A-Za-z](?![A-Za-z]))?(?:-[0-9]{1,4})?),?[ \t]{1,2}"
    r"(?P<name>(?:[A-Z][A-Za-z'\u2019]*(?:-[A-Z][A-Za-z'\u2019]*)?[ \t]+){1,3})\Z"
)
# "Flat 3, " before the house number belongs to the address.
_FLAT = re.compile(r"(?<![A-Za-z])(?:Flat|Apartment|Apt\.?|Unit)\s+[0-9]{1,4}[A-Za-z]?,?\s+\Z")
# Title-case phrases that end in a street type but are not streets: a court
# ("3 Family Court hearings") or a heading ("Step 2 Keep Them Close").
_NOT_STREET_WORDS = frozenset(
    "a an and are be by do for get give he her his hold i in is it its keep let make "
    "my of on or our she stay take that their them they this to we with you your "
    "minute minutes hour hours day days week weeks month months year years "
    "step steps top ways things rules think level stage tier phase section chapter".split()
)
# A number after these is a heading's or a list's, not a house number.
_NOT_BEFORE_NUMBER = frozenset(
    "level step stage tier phase section chapter page paragraph para table figure appendix "
    "year option priority recommendation action item part point".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?[ \t]+\Z")
_COURTS = frozenset(
    "family crown county high youth magistrates magistrates' coroners coroners' "
    "coroner's supreme appeal civil criminal tribunal".split()
)


# "Flat 3, Kingfisher House", "Apartment 12B Mill Court": a flat and a named building.
_FLAT_BUILDING = re.compile(
    r"(?<![A-Za-z])(?:Flat|Apartment|Apt\.?)\s+[0-9]{1,4}[A-Za-z]?,?[ \t]+"
    r"(?:[A-Z][A-Za-z'\u2019-]+[ \t]+){0,2}[A-Z][A-Za-z'\u2019-]+"
)


def detect_street_addresses(text: str, shape: bytes | None = None) -> Iterator[Detection]:
    """Street addresses: a house number and a capitalised street name ending in
    a street type ("14 Acacia Avenue", "Flat 3, 22 Mill Lane", "7 Church St",
    "3 Canal Wharf", "9 Weavers Row"), or a flat in a named building ("Flat 3,
    Kingfisher House"). Years ("2018 The Kirklees Way"), courts ("3 Family
    Court") and headings ("2 Keep Them Close", "3 Think Family Way") are skipped."""
    found = list(_street_addresses(text))
    yield from found
    for m in _FLAT_BUILDING.finditer(text):
        if any(d.start <= m.start() < d.end or m.start() <= d.start < m.end() for d in found):
            continue
        words = text[m.start() : m.end()].split()
        yield Detection(
            "street_address",
            m.start(),
            m.end(),
            " ".join([words[0], *(re.sub(r"[0-9A-Za-z'\u2019-]", "*", w) for w in words[1:-1]), words[-1]]),
            "a street address",
            "remove it; name the area or town at most",
        )


def _street_addresses(text: str) -> Iterator[Detection]:
    end = 0
    for street_type in _STREET_TYPE.finditer(text):
        if _glued(text, street_type.start()):  # "Broadway", "Castlegate"
            continue
        m = _STREET_BEFORE.search(text, max(0, street_type.start() - 64), street_type.start())
        if m is None or m.start() < end:
            continue
        words = m.group("name").split()
        number = _NUMBER.match(m.group("number"))
        if number is not None and 1800 <= int(number.group(0)) <= 2099:
            continue
        if any(w.lower() in _NOT_STREET_WORDS for w in words):
            continue
        before = _WORD_BEFORE.search(text, max(0, m.start() - 24), m.start())
        if before and before.group(1).lower() in _NOT_BEFORE_NUMBER:  # "Level 2 Safeguarding Park"
            continue
        if street_type.group(0) in ("Court", "Ct") and words[-1].lower() in _COURTS:
            continue
        start, end = m.start(), street_type.end()
        if street_type.group(0) in _STREET_ABBREVIATIONS and text.startswith(".", end):
            end += 1  # "Rd." keeps its full stop; "Road." does not
        flat = _FLAT.search(text, max(0, start - 24), start)
        if flat:
            start = flat.start()
        found = text[start:end].split()
        masked = " ".join(re.sub(r"[0-9A-Za-z'\u2019]", "*", w) for w in found[:-1])
        yield Detection(
            "street_address",
            start,
            end,
            f"{masked} {found[-1]}",
            "a street address",
            "remove it; name the area or town at most",
        )


# --------------------------------------------------------------------------
# The registry and the scan
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Detector:
    """One entry in the registry.

    ``find`` is the detector itself: it takes a text (and its shape) and
    yields detections.
    ``public_only`` detectors only run on text meant for publication.
    ``hint`` makes :func:`scan` fast: when given, the detector only runs on a
    text whose *shape* (see :func:`_shape`) it matches. Every possible match
    of the detector must have the hint's shape, so that skipping a text can
    never lose a detection (the tests check this). A hint starting with a
    literal ("9...") is found by a fast C scan for that byte.
    """

    kind: str
    find: Callable[[str, bytes], Iterator[Detection]]
    public_only: bool = False
    hint: re.Pattern[bytes] | None = None


#: The detectors :func:`scan` runs, in priority order: where detections
#: overlap, the earlier detector's is kept.
DETECTORS: tuple[Detector, ...] = (
    Detector("email", detect_emails, hint=re.compile(rb"@")),
    Detector("nhs_number", detect_nhs_numbers, hint=re.compile(rb"999[ -]?999[ -]?9999")),
    Detector("ni_number", detect_ni_numbers, hint=re.compile(rb"99[ -]?99[ -]?99")),
    # A date of birth has a four-digit year, or a two-digit one after a separator.
    Detector("date_of_birth", detect_dates_of_birth, hint=re.compile(rb"9(?:999|[/. -]99)")),
    Detector("phone", detect_phones, hint=re.compile(rb"99[ )-]{0,2}999")),
    Detector("postcode", detect_postcodes, hint=re.compile(rb"9[Aa]{2}")),
    Detector("street_address", detect_street_addresses, hint=re.compile(rb"9[Aa]?(?:-9+)?,?[ \t]{1,2}A")),
    # An exact date has a four-digit year, or a two-digit one after a slash.
    Detector("exact_date", detect_exact_dates, public_only=True, hint=re.compile(rb"9(?:999|/99)")),
)

#: The kinds recognised by shape (every one needs a digit or an "@").
SHAPE_KINDS: tuple[str, ...] = tuple(d.kind for d in DETECTORS)
KINDS: tuple[str, ...] = (*SHAPE_KINDS, "person_name")


# --------------------------------------------------------------------------
# People's names
# --------------------------------------------------------------------------

from kscb_cli.privacy.namefinder import NameFinder  # noqa: E402  (pure and light: the lists load on first use)

#: The built-in name finder (no partnership allow-list).
NAMES = NameFinder()


def _mask_name(name: str) -> str:
    """ "J*** S***": the first letter of each word, never its length."""
    return " ".join(w[0] + "***" for w in name.replace("-", " ").split())


def detect_names(text: str, finder: NameFinder) -> Iterator[Detection]:
    """People's names (see :mod:`kscb_cli.privacy.namefinder`). Masked "J*** S***"."""
    for start, end in finder.find(text):
        yield Detection(
            "person_name",
            start,
            end,
            _mask_name(text[start:end]),
            "what looks like a person's name",
            "use a pseudonym (Child H) or a role (the social worker); if it is not a name, "
            "add it to privacy.allow in kscb.yaml",
        )


def _resolve(found: Iterable[Detection]) -> list[Detection]:
    """Keep each detection (given in priority order) unless it overlaps one
    already kept; sort the result by position."""
    kept: list[Detection] = []
    for d in found:
        if not any(d.start < k.end and k.start < d.end for k in kept):
            kept.append(d)
    kept.sort(key=lambda d: (d.start, d.end, d.kind))
    return kept


def scan(text: str, *, public: bool = False, names: NameFinder | None = None) -> list[Detection]:
    """Find identifying personal data in ``text``.

    With ``public=True`` (text that may be published) exact dates are also
    reported. ``names`` is the name finder (the store's, with its allow-list;
    None: no names). Detections are sorted by position and never overlap;
    where one overlaps a name, the shape detector's wins.
    """
    shape = _shape(text)
    if b"9" not in shape and b"@" not in shape:
        # every shape detector needs a digit, except the e-mail one, which needs an "@"
        return [] if names is None else list(detect_names(text, names))
    found = [
        found
        for detector in DETECTORS
        if (public or not detector.public_only) and (detector.hint is None or detector.hint.search(shape))
        for found in detector.find(text, shape)
    ]
    if names is not None:
        found += detect_names(text, names)
    return _resolve(found)


def mask(text: str, *, public: bool = False, names: NameFinder | None = NAMES) -> str:
    """``text`` with everything :func:`scan` finds replaced by its masked form
    ("seen by Dr Patel" becomes "seen by D*** P***"): safe to print."""
    found = scan(text, public=public, names=names)
    if not found:
        return text
    out, at = [], 0
    for d in found:
        out += [text[at : d.start], d.masked]
        at = d.end
    out.append(text[at:])
    return "".join(out)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of character ``offset`` within ``text``.

    ``offset`` may equal ``len(text)`` (the end of the text). Lines end at
    ``\\n``; a ``\\r`` before it belongs to the previous line.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (length {len(text)})")
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)
