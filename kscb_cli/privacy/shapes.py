"""What every shape detector shares: :class:`Detection`, the *shape* of a text, and the small
helpers the detectors read and mask with.

The detectors themselves live by what they find: :mod:`kscb_cli.privacy.identifiers` (NHS
and National Insurance numbers, e-mail addresses, phone numbers),
:mod:`kscb_cli.privacy.addresses` (postcodes, street addresses) and
:mod:`kscb_cli.privacy.dates` (dates of birth, exact dates); :mod:`kscb_cli.privacy.detectors`
holds the registry that runs them. Pure, standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DIGITS", "Detection", "find_all", "glued", "mask_digits", "shape_of"]


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

#: A run of digits.
DIGITS = re.compile(r"[0-9]+")
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


def shape_of(text: str) -> bytes:
    """The shape of ``text``: "NHS 943 476 5919" becomes b"AAA 999 999 9999"."""
    return text.encode("ascii", "replace").translate(_SHAPE_TABLE)


def glued(text: str, start: int) -> bool:
    """True when the character before ``start`` is a letter, digit or underscore."""
    return start > 0 and text[start - 1] in _WORDISH


def mask_digits(s: str, keep: int = 0) -> str:
    """Replace every digit after the first ``keep`` digits with ``*``."""
    out, seen = [], 0
    for ch in s:
        if ch in "0123456789":
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def find_all(haystack: bytes, needle: bytes) -> Iterator[int]:
    """Every offset of ``needle`` in ``haystack`` (bytes.find is faster than a regex)."""
    i = haystack.find(needle)
    while i != -1:
        yield i
        i = haystack.find(needle, i + 1)
