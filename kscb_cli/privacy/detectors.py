"""Detectors for identifying personal data in free text: the registry of detectors and the scan.

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

The detectors live by what they find: :mod:`kscb_cli.privacy.identifiers`
(NHS and NI numbers, e-mail addresses, phone numbers),
:mod:`kscb_cli.privacy.addresses` (postcodes, street addresses) and
:mod:`kscb_cli.privacy.dates` (dates of birth, exact dates), over the shared
pieces of :mod:`kscb_cli.privacy.shapes`. All are pure and use only the
standard library; every regular expression is compiled at import. Each
detector is one small function that takes a text and yields
:class:`~kscb_cli.privacy.shapes.Detection` objects; :data:`DETECTORS` here is
the registry that :func:`scan` runs. Where two detections overlap, the one
from the detector earlier in the registry wins (a date of birth is reported
once, not also as an exact date).

Every detection carries a ``masked`` form of what was found that is safe to
print in a terminal or CI log: it never repeats the identifying part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kscb_cli.privacy.addresses import detect_postcodes, detect_street_addresses
from kscb_cli.privacy.dates import detect_dates_of_birth, detect_exact_dates
from kscb_cli.privacy.identifiers import detect_emails, detect_nhs_numbers, detect_ni_numbers, detect_phones
from kscb_cli.privacy.namefinder import NameFinder
from kscb_cli.privacy.shapes import Detection, shape_of

__all__ = [
    "DETECTORS",
    "KINDS",
    "NAMES",
    "SHAPE_KINDS",
    "Detector",
    "detect_names",
    "line_col",
    "mask",
    "scan",
]


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
    text whose *shape* (see :func:`kscb_cli.privacy.shapes.shape_of`) it matches. Every possible match
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
    # Two letters first: ASCII ones, or ("?" in the shape) one of the few others that
    # IGNORECASE matches to an ASCII letter (the long s, the Kelvin sign).
    Detector("ni_number", detect_ni_numbers, hint=re.compile(rb"[Aa?]{2}[ -]?99[ -]?99[ -]?99")),
    # A date of birth has a four-digit year, or a two-digit one after a separator.
    Detector("date_of_birth", detect_dates_of_birth, hint=re.compile(rb"9(?:999|[/. -]99)")),
    Detector("phone", detect_phones, hint=re.compile(rb"99[ )-]{0,2}999")),
    Detector("postcode", detect_postcodes, hint=re.compile(rb"9[Aa]{2}")),
    Detector("street_address", detect_street_addresses, hint=re.compile(rb"9[Aa]?(?:-9+)?,?[ \t]+A")),
    # An exact date has a four-digit year, or a two-digit one after a slash.
    Detector("exact_date", detect_exact_dates, public_only=True, hint=re.compile(rb"9(?:999|/99)")),
)

#: The kinds recognised by shape (every one needs a digit or an "@").
SHAPE_KINDS: tuple[str, ...] = tuple(d.kind for d in DETECTORS)
KINDS: tuple[str, ...] = (*SHAPE_KINDS, "person_name")


# --------------------------------------------------------------------------
# People's names
# --------------------------------------------------------------------------


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
    shape = shape_of(text)
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
