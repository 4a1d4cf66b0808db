"""Addresses found by their shape: full UK postcodes and street addresses (a house number
and a street name ending in a street type, or a flat in a named building).

Each detector takes a text (and, optionally, its shape: :func:`kscb_cli.privacy.shapes.shape`)
and yields :class:`~kscb_cli.privacy.shapes.Detection` objects whose ``masked`` form never
repeats the identifying part. :mod:`kscb_cli.privacy.detectors` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kscb_cli.privacy.shapes import DIGITS, Detection, glued, shape_of

__all__ = ["STREET_TYPES", "detect_postcodes", "detect_street_addresses"]


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
    for candidate in _INWARD_SHAPE.finditer(shape_of(text) if shape is None else shape):
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
# Street addresses
# --------------------------------------------------------------------------

_STREET_WORDS = (
    "Road Street Lane Avenue Close Drive Crescent Way Terrace Grove Gardens Place "
    "Court Walk Square Mews Rise Parade Boulevard Fold Croft Villas Row Wharf Green Hill "
    "View Approach Meadow Meadows Bank Brow Gate Yard Quay Vale Park Passage Wynd"
).split()
_STREET_ABBREVIATIONS = "Rd St Ave Av Ln Dr Cres Cl Gdns Terr Tce Pl Ct Sq".split()
STREET_TYPES = _STREET_WORDS + _STREET_ABBREVIATIONS
# Found from the street type (rarer than digits), then read backwards: the
# house number (14, 31B, 2-4) and one to three capitalised words (Acacia).
_STREET_TYPE = re.compile("(?:" + "|".join(STREET_TYPES) + r")\b(?!-)")  # not "Walk-through"
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
        if glued(text, street_type.start()):  # "Broadway", "Castlegate"
            continue
        m = _STREET_BEFORE.search(text, max(0, street_type.start() - 64), street_type.start())
        if m is None or m.start() < end:
            continue
        words = m.group("name").split()
        number = DIGITS.match(m.group("number"))
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
