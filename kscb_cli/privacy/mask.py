"""Deny-list matching that cannot be dodged, and masking of identifying values in anything kscb prints.

**Matching.** A deny-listed term matches whatever the spacing, line folding, case or
look-alike characters: before matching, text and terms are normalised the same way —
compatibility forms folded (NFKC: full-width letters, ligatures, non-breaking and other
odd spaces), accents and zero-width characters removed, common Cyrillic and Greek
look-alikes mapped to the Latin letter they imitate, case folded — and the words of a
term match across any run of whitespace, hyphens, underscores or dots (so a YAML line
break inside a folded value, a double space or ``rowan-quillfeather`` does not hide it). Matches are reported at their place in the original text.

**Masking.** `mask_text` replaces what the detectors flag (NHS numbers, postcodes,
e-mail addresses, ... — whatever `detectors.scan` finds, so a detector added there is
picked up here) by its masked form, and any deny-listed term by ``[deny-listed]``.
Diagnostics, error messages, file paths, history and changes pass through it before
they are printed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kscb_cli.base.paths import DENYLIST

DENIED = "[deny-listed]"

T = TypeVar("T")

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f")
# Letters that look like Latin ones (Unicode's confusables, the common cases); NFKC does not fold them.
_LOOKALIKE = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "һ": "h",
        "ɡ": "g",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "Ѕ": "S",
        "І": "I",
        "Ј": "J",
        "Ү": "Y",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "ι": "i",
        "κ": "k",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
    }
)


def _fold_char(ch: str) -> str:
    if ch in _ZERO_WIDTH:
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = unicodedata.normalize("NFKC", base).translate(_LOOKALIKE).casefold()
    return "".join(" " if c.isspace() else c for c in out)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_FOLDED: dict[str, str] = {}


def normalise(text: str) -> tuple[str, Callable[[int], int] | None]:
    """(folded text, where): where(i) is the offset in `text` that folded character i came from
    (None when the text is ASCII: folding is then lower-casing, which keeps every offset).

    Fast on real records, which are ASCII with the odd dash or accent: ASCII runs are
    lower-cased whole, and only the other characters are folded one by one (cached)."""
    if text.isascii():
        return text.lower(), None
    table: dict[int, str] = {}
    for ch in set("".join(_NON_ASCII.findall(text))):
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = _FOLDED[ch] = _fold_char(ch)
        if len(folded) != 1:
            break
        table[ord(ch)] = folded
    else:  # every character folds to one character (a dash, a curly quote, an accent): offsets hold
        for code, folded in table.items():
            if folded != chr(code):
                text = text.replace(chr(code), folded)  # a few C-speed passes: far faster than str.translate
        return text.lower(), None
    import bisect

    parts: list[str] = []
    starts: list[int] = []  # folded offset where each piece starts
    origins: list[int] = []  # original offset of the piece's start
    ascii_piece: list[bool] = []
    folded_len = pos = 0

    def piece(folded: str, origin: int, plain: bool) -> None:
        nonlocal folded_len
        if not folded:
            return
        parts.append(folded)
        starts.append(folded_len)
        origins.append(origin)
        ascii_piece.append(plain)
        folded_len += len(folded)

    for m in _NON_ASCII.finditer(text):
        a, b = m.span()
        if a > pos:
            piece(text[pos:a].lower(), pos, True)
        for i in range(a, b):
            ch = text[i]
            folded = _FOLDED.get(ch)
            if folded is None:
                folded = _FOLDED[ch] = _fold_char(ch)
            piece(folded, i, False)
        pos = b
    if pos < len(text):
        piece(text[pos:].lower(), pos, True)

    def where(k: int) -> int:
        if k >= folded_len:
            return len(text)
        j = bisect.bisect_right(starts, k) - 1
        return origins[j] + (k - starts[j]) if ascii_piece[j] else origins[j]

    return "".join(parts), where


def fold(text: str) -> str:
    """A term as it is matched: folded, its words separated by one space."""
    return " ".join(normalise(text)[0].split())


@dataclass(frozen=True)
class DenyMatch:
    """One deny-listed term found: where in the original text, and which line of the deny-list."""

    begin: int
    stop: int
    text: str  # as written in the text searched
    line: int  # the line of private/denylist.txt

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.stop

    def group(self, n: int = 0) -> str:
        return self.text


class DenyList:
    """Compiled deny-list terms; `finditer` / `search` like a pattern's, on normalised text."""

    def __init__(self, terms: list[str]):
        self.lines: dict[str, int] = {}
        for n, term in enumerate(terms, 1):
            if term and not term.lstrip().startswith("#"):
                self.lines.setdefault(fold(term), n)
        self.lines.pop("", None)
        words = sorted(self.lines, key=len, reverse=True)
        # between the words of a term: any run of spaces, line breaks, hyphens, underscores or dots
        between = r"[\s\-_.]+"
        self.pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(between.join(re.escape(w) for w in t.split(" ")) for t in words) + r")(?!\w)"
            )
            if words
            else None
        )

    def __bool__(self) -> bool:
        return self.pattern is not None

    def finditer(self, text: str) -> Iterator[DenyMatch]:
        if self.pattern is None or not text:
            return
        folded, offsets = normalise(text)
        for m in self.pattern.finditer(folded):
            a, b = m.start(), m.end()
            if offsets is not None:
                a, b = offsets(a), offsets(b - 1) + 1
            yield DenyMatch(a, b, text[a:b], self.lines.get(" ".join(re.split(r"[\s\-_.]+", m.group(0))), 0))

    def search(self, text: str) -> DenyMatch | None:
        return next(self.finditer(text), None)


def read_terms(root: Path) -> list[str]:
    """The deny-list's lines (blank lines and # comments included, so line numbers hold)."""
    path = Path(root) / DENYLIST
    try:
        if not path.is_file():
            return []
        return [t.strip() for t in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return []


_CURRENT: dict[str, object] = {"root": None, "list": None}


def use_store(root: Path | None) -> None:
    """Mask with this store's deny-list from now on (set when a command finds its store)."""
    if root != _CURRENT["root"]:
        _CURRENT["root"], _CURRENT["list"] = root, None


def current_denylist() -> DenyList | None:
    root = _CURRENT["root"]
    if root is None:
        return None
    if _CURRENT["list"] is None:
        _CURRENT["list"] = DenyList(read_terms(root))  # type: ignore[arg-type]
    return _CURRENT["list"]  # type: ignore[return-value]


def denylist_for(root: Path | None) -> DenyList | None:
    if root is None:
        return current_denylist()
    if _CURRENT["root"] == root:
        return current_denylist()
    return DenyList(read_terms(root))


def spans(text: str, denylist: DenyList | None = None, names: Any = None) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of everything identifying in `text`, not overlapping, in order.

    `names` is the store's name finder (rules.privacy.name_finder) where person names must be
    masked too (old versions in history and changes); None: numbers, shapes and the deny-list."""
    from kscb_cli.privacy.detectors import scan

    found: list[tuple[int, int, str]] = []
    if denylist is not None:
        found += [(m.start(), m.end(), DENIED) for m in denylist.finditer(text)]
    for d in scan(text, names=names):
        found.append((d.start, d.end, d.masked))
    found.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int, str]] = []
    for s in found:
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out


_NAME_SEPARATORS = str.maketrans({c: " " for c in "-_./\\"})
# a digit glued to a letter or a path separator (``9434765919.yaml``, ``notes_9434765919``): worth a second look
_GLUED = re.compile(r"[0-9][._/\\]*[A-Za-z_]|[A-Za-z_/\\][0-9]")


def _spaced(text: str) -> str:
    """`text` with the separators of a glued digit turned to spaces (the same length: offsets hold), else itself."""
    return text.translate(_NAME_SEPARATORS) if _GLUED.search(text) else text


def _found(text: str, spaced: str, denylist: DenyList | None, names: Any) -> list[tuple[int, int, str]]:
    """The spans of `text`, and of `spaced` (its `_spaced` form) where they overlap none of those."""
    parts = spans(text, denylist, names)
    if spaced != text:
        extra = [s for s in spans(spaced, denylist, names) if not any(s[0] < b and a < s[1] for a, b, _ in parts)]
        parts = sorted(parts + extra)
    return parts


def mask_text(
    text: str, denylist: DenyList | None = None, *, root: Path | None = None, name: bool = True, names: Any = None
) -> str:
    """`text` with detected identifying values masked and deny-listed terms replaced.

    The parts between `-`, `_`, `.`, `/` and `\\` are also looked at on their own, since
    messages quote file paths, ids and keys (``records/9434765919.yaml``, ``9434765919_notes``)."""
    if not text:
        return text
    if denylist is None:
        denylist = denylist_for(root)
    return _replace(text, _found(text, _spaced(text) if name else text, denylist, names))


# Between two texts scanned in one pass: no detector, deny-list term or name reads across a NUL
# ("\s" and the separators of numbers, dates and terms never match it), so no span joins two texts.
SEPARATOR = "\n\x00\n"


def mask_many(texts: list[str], denylist: DenyList | None = None, *, names: Any = None) -> list[str]:
    """`[mask_text(t, denylist, names=names) for t in texts]`, with two scans of all of them joined.

    A text that holds a NUL itself is masked on its own (it could not be told from the join).
    """
    if denylist is None:
        denylist = denylist_for(None)  # as mask_text's
    alone = {i for i, t in enumerate(texts) if not t or "\x00" in t}
    joined_texts = [t for i, t in enumerate(texts) if i not in alone]
    out = [mask_text(t, denylist, names=names) if i in alone else "" for i, t in enumerate(texts)]
    if not joined_texts:
        return out
    starts: list[int] = []
    at = 0
    for t in joined_texts:
        starts.append(at)
        at += len(t) + len(SEPARATOR)
    joined = SEPARATOR.join(joined_texts)
    parts = _found(joined, SEPARATOR.join(_spaced(t) for t in joined_texts), denylist, names)
    by_text: list[list[tuple[int, int, str]]] = [[] for _ in joined_texts]
    for a, b, rep in parts:
        i = bisect_right(starts, a) - 1
        by_text[i].append((a - starts[i], b - starts[i], rep))
    masked = iter(_replace(t, found) for t, found in zip(joined_texts, by_text))
    return [out[i] if i in alone else next(masked) for i in range(len(texts))]


def _replace(text: str, parts: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) of `parts` (in order, not overlapping) put in."""
    if not parts:
        return text
    out, pos = [], 0
    for a, b, rep in parts:
        out.append(text[pos:a])
        out.append(rep)
        pos = b
    out.append(text[pos:])
    return "".join(out)


class Masker:
    """mask_text bound to one store's deny-list (read once) and, where given, its name finder.

    Each distinct text is masked once: a lint run's messages and paths repeat (the deny-list
    and the name finder are fixed for the masker's life, so the answer is too)."""

    def __init__(self, root: Path | None, names: Any = None):
        self.denylist = denylist_for(root)
        self.names = names
        self.seen: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if not isinstance(text, str):
            return text
        seen = self.seen.get(text)
        if seen is None:
            out = mask_text(text, self.denylist, names=self.names)
            seen = self.seen[text] = text if out == text else out  # the same object when nothing was masked
        return seen

    def name(self, text: str) -> str:
        """A file path or an id (see `mask_text`'s `name`; the same masking as a message's)."""
        return self(text)

    def many(self, texts: Iterable[str]) -> None:
        """Mask many texts at once, each as `self(text)` would: later calls are dictionary reads.

        The detectors' cost is mostly per call (a lint run masks thousands of short messages),
        so the texts not seen yet are scanned joined, in one call per pass (`mask_many`).
        """
        seen = self.seen
        todo = [t for t in dict.fromkeys(texts) if isinstance(t, str) and t not in seen]
        for text, out in zip(todo, mask_many(todo, self.denylist, names=self.names)):
            seen[text] = text if out == text else out


__all__ = [
    "DENIED",
    "DenyList",
    "DenyMatch",
    "Masker",
    "SEPARATOR",
    "fold",
    "mask_many",
    "mask_text",
    "mask_tree",
    "normalise",
    "read_terms",
    "spans",
    "use_store",
]


def mask_tree(value: T, mask: Masker) -> T:
    """A copy of `value` (dataclasses, lists, tuples, dicts, sets) with every string masked.

    The copy has the type of `value`: a dataclass is copied with `dataclasses.replace`, and
    what is unchanged is returned as it was."""
    masked: T = _masked(value, mask)
    return masked


def _masked(value: Any, mask: Masker) -> Any:
    """`mask_tree` on a value of any type."""
    import dataclasses

    if isinstance(value, str):
        return mask(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = _masked(old, mask)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, list):
        out = [_masked(v, mask) for v in value]
        return out if any(a is not b for a, b in zip(out, value)) else value
    if isinstance(value, tuple):
        out_t = tuple(_masked(v, mask) for v in value)
        return out_t if any(a is not b for a, b in zip(out_t, value)) else value
    if isinstance(value, (set, frozenset)):
        out_s = type(value)(_masked(v, mask) for v in value)
        return out_s
    if isinstance(value, dict):
        out_d = {_masked(k, mask): _masked(v, mask) for k, v in value.items()}
        return out_d
    return value


def compile_denylist(terms: list[str]) -> DenyList | None:
    """A matcher for every term (`mask.DenyList`: `.search` / `.finditer` like a pattern's,
    on normalised text; each match knows its deny-list `.line`), or None when there are none."""
    found = DenyList(terms)
    return found if found else None
