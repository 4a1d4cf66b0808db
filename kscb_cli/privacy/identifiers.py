"""Identifiers found by their shape: NHS numbers (with their mod-11 check digit), National
Insurance numbers, e-mail addresses and UK phone numbers.

Each detector takes a text (and, optionally, its shape: :func:`kscb_cli.privacy.shapes.shape`)
and yields :class:`~kscb_cli.privacy.shapes.Detection` objects whose ``masked`` form never
repeats the identifying part. :mod:`kscb_cli.privacy.detectors` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kscb_cli.privacy.shapes import Detection, mask_digits, shape_of

__all__ = ["detect_emails", "detect_nhs_numbers", "detect_ni_numbers", "detect_phones", "is_valid_nhs_number"]


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
    for m in _NHS.finditer(shape_of(text) if shape is None else shape):
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
            mask_digits(m.group(0), keep),
            "a phone number",
            "remove it; name the role and agency instead",
        )
