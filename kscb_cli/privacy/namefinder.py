"""Find people's names in record text: "Jayden Smith", "Dr Patel", "his brother Tyler".

Names have no shape of their own, so the finder combines a list of known given names and
surnames (:mod:`kscb_cli.privacy.namelist`, derived from Faker's person lists) with the places a
name sits in a sentence. It reports, as ``person_name``:

- a known given name followed by a capitalised word that is not an ordinary or
  domain word ("Jayden Smith", "Agnieszka Nowak-Wiśniewska", "Kelly O'Neill",
  "Mohammed al-Rashid", "Maria de Souza"), or an unknown capitalised word followed
  by a known surname ("Chidinma Okafor");
- a title and a capitalised word: "Dr Patel", "Mrs O'Neill", "PC Hughes", "DC Ahmed";
- a capitalised word right after a family word: "Mother, Kelly, said", "his brother
  Tyler", "her partner (Dean)", "a half-sister called Precious";
- a known given name standing alone ("when Kelly said", "Tyler's school"), unless it is
  also an ordinary word ("Will", "Hope", "Amber", "May": those need one of the contexts
  above) or follows "in", "at", "from", "near" (a place: "in Stanley");
- the same in capitals ("JAYDEN SMITH") when both words are known names.

It does not report capitalised phrases made of ordinary or domain words (agencies,
services, roles, practice models, legislation and guidance, months, festivals, places),
acronyms, or pseudonyms ("Child LR", "Sibling 2", "Family X"). A partnership adds its own
words and phrases (place names, the names of published national reviews) with
``privacy.allow`` in kscb.yaml; see docs/privacy.md.

Speed: one compiled regular expression finds runs of capitalised words; everything else
is set lookups on those runs, so ordinary text costs a regex pass and a few lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kscb_cli.privacy.namewords import (
    AMBIGUOUS,
    CALLED_WORDS,
    FAMILY_CAPS,
    FAMILY_WORDS,
    FUNCTION_WORDS,
    INSTITUTIONS,
    MONTHS_DAYS,
    NATIONAL_REVIEWS,
    PARTICLES,
    PLACE_WORDS,
    STOP_WORDS,
    SURNAME_TOO,
    TITLES,
    WEAK_TITLES,
)

#: What follows a first name that is also a word ("Grace", "Bill", "Summer") when it is
#: used as one: "Summer's attendance", "Hunter, aged 4", "Rose, the maternal grandmother",
#: "Grace said".
_NAME_AFTER = re.compile(
    r"(?:['’]s[ \t]+(?:mother|father|mum|dad|sister|brother|grandmother|grandfather|nan|aunt|uncle|"
    r"partner|carer|cousin|school|nursery|attendance|teacher|plan|needs|views|voice|death|injuries|"
    r"bedroom|behaviour|weight|health|development)\b"
    r"|,?[ \t]+\(?aged[ \t]+[0-9]|[ \t]*\([0-9]{1,2}\)"
    r"|,[ \t]+the[ \t]+(?:[a-z'’-]+[ \t]+){0,2}(?:mother|father|grandmother|grandfather|aunt|uncle|"
    r"partner|manager|worker|nurse|teacher|carer|sister|brother|friend|midwife|officer|lead|neighbour)\b"
    r"|[ \t]+(?:said|told|disclosed|explained|stated|described|reported|asked)\b)"
)
#: A lower-case word after a name that makes it an eponym: "Crohn's disease", "the Fraser guidelines".
_EPONYM_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?:disease|syndrome|guidelines|guidance|competence|criteria|scale|score|test|law|"
    r"principles?|sign|palsy|reflex|ratio|report|review|inquiry)\b"
)


def _word_start(text: str, start: int) -> int:
    """Where the word before ``start`` begins."""
    i = start
    while i > 0 and text[i - 1] in " \t,(\"“‘'":
        i -= 1
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "-'’"):
        i -= 1
    return i


def _prev_word(text: str, start: int) -> tuple[str, str]:
    """The word before ``start`` (lower case, without "'s") and what lies between:
    ("brother", " ") for "his brother Tyler", ("mother", ", ") for "Mother, Kelly"."""
    i = start
    while i > 0 and text[i - 1] in " \t,(\"“‘'":
        i -= 1
    sep = text[i:start]
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "-'’"):
        j -= 1
    word = text[j:i].lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word == "as" and text[max(0, j - 6) : j].lower().rstrip().endswith("known"):
        word = "called"
    return word, sep


# A run of capitalised words: a capital (Latin script), then letters, digits, apostrophes
# and hyphens ("O'Neill", "Labinjo-Hughes", "Nowak-Wiśniewska"), separated by spaces or
# tabs, with lower-case name particles between ("Maria de Souza", "Jan van der Berg",
# "Ahmed al-Rashid"). The lookbehind comes after the first character so that the
# engine skips in C to the next capital.
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_RUN = re.compile(
    rf"[{_UPPER}](?<![\w'’-].)[\w'’-]*"
    rf"(?:(?:[ \t]+(?:(?:{PARTICLES})[ \t]+){{0,2}}|[ \t]+(?:al|el)-)[{_UPPER}][\w'’-]*)*"
)
_POSSESSIVE = ("'s", "’s", "'", "’")

#: A capitalised word of a run, with its start and end offsets in the text.
Word = tuple[str, int, int]
#: Where a name is: its (start, end) offsets in the text.
Span = tuple[int, int]
#: A given-name or surname list.
Names = frozenset[str]
#: What one step of reading a run found (a name, or None) and the index to read on from.
Step = tuple[Span | None, int]


@dataclass(frozen=True)
class _Run:
    """One run of capitalised words being read, with what every step needs."""

    text: str
    words: list[Word]
    given: Names
    surnames: Names
    titled: bool

    def base_after(self, i: int) -> str | None:
        """The word after the word at ``i``, without a possessive (None at the end)."""
        return _base(self.words[i + 1][0]) if i + 1 < len(self.words) else None


class NameFinder:
    """Finds people's names; ``allow`` adds words and phrases that are never names.

    Made once per store (see :func:`name_finder`); the given-name
    and surname lists are read on first use.
    """

    def __init__(self, allow: Iterable[str] = (), patterns: Iterable[str] = ()) -> None:
        self._patterns = [re.compile(p) for p in patterns]
        phrases = [p.strip() for p in (*NATIONAL_REVIEWS, *allow) if p and p.strip()]
        self._allow_words = frozenset(p.lower() for p in phrases if " " not in p)
        multi = sorted({p for p in phrases if " " in p}, key=len, reverse=True)
        self._allow = (
            re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(p) for p in multi) + r")(?![\w'’-])", re.IGNORECASE)
            if multi
            else None
        )
        self._lists: tuple[frozenset[str], frozenset[str]] | None = None
        self._stop_words = STOP_WORDS | self._allow_words

    # -- word classes ------------------------------------------------------

    def _names(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._lists is None:
            from kscb_cli.privacy.namelist import load

            self._lists = load()
        return self._lists

    def _stop(self, word: str) -> bool:
        return word.lower() in self._stop_words

    # -- the finder -----------------------------------------------------------

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        """The (start, end) of every name in ``text``, in order, never overlapping."""
        given, surnames = self._names()
        stop = self._stop_words
        prev_end = -1
        title_at: int | None = None
        for run in _RUN.finditer(text):
            start = run.start()
            word = run.group(0)
            if title_at is None and (" " in word or "\t" in word):
                # a run of ordinary words ("Kirklees Safeguarding Children Board"): nothing to find
                parts = word.split()
                if all(p.rstrip("'’-").lower() in stop for p in parts) and not any(
                    p in TITLES or p.lower() in FAMILY_CAPS or p in given for p in parts
                ):
                    prev_end = run.end()
                    continue
            elif word not in TITLES and title_at is None:
                if word.isupper():  # an acronym ("KSCB", "MASH")
                    prev_end = run.end()
                    continue
                # the fast path for the commonest run, one word that is ordinary ("The",
                # "Police") or unknown and after no family word ("Kirklees", "KSCB")
                low = word.rstrip("'’-").lower()
                if (
                    low in stop
                    and low not in FAMILY_CAPS
                    and not (
                        _base(word) in given
                        and (_prev_word(text, start)[0] in FAMILY_WORDS or _NAME_AFTER.match(text, run.end()))
                    )
                ) or (
                    _key(_base(word.rstrip("-'’") or word)) not in given
                    and _prev_word(text, start)[0] not in FAMILY_WORDS
                ):
                    prev_end = run.end()
                    continue
            # "Dr. Patel": a title ending the run before, then ". "
            title = title_at if text[prev_end:start] in (". ", ".\t", ".  ") else None
            words = _split(run.group(0), start)
            if not words:
                continue
            found = self._in_run(text, words, given, surnames, title is not None)
            if title is not None and found and found[0][0] == start:
                found[0] = (title, found[0][1])
            last = words[-1]
            title_at, prev_end = (last[1] if last[0] in TITLES else None), run.end()
            for span in found:
                if (self._allow is None or not self._allowed(text, span)) and not self._pseudonym(text, span):
                    yield span

    def _pseudonym(self, text: str, span: tuple[int, int]) -> bool:
        """Inside text that one of kscb.yaml's pseudonym patterns matches."""
        for pattern in self._patterns:
            for m in pattern.finditer(text, max(0, span[0] - 40), min(len(text), span[1] + 40)):
                if m.start() <= span[0] and span[1] <= m.end():
                    return True
        return False

    def _allowed(self, text: str, span: tuple[int, int]) -> bool:
        assert self._allow is not None
        for m in self._allow.finditer(text, max(0, span[0] - 80), min(len(text), span[1] + 80)):
            if m.start() <= span[0] and span[1] <= m.end():
                return True
        return False

    def _in_run(self, text: str, words: list[Word], given: Names, surnames: Names, titled: bool) -> list[Span]:
        """The names among one run's capitalised ``words``; ``titled``: a title ended the run before."""
        run = _Run(text, words, given, surnames, titled)
        out: list[Span] = []
        i = 0
        while i < len(words):
            span, i = self._step(run, i)
            if span is not None:
                out.append(span)
        return out

    def _step(self, run: _Run, i: int) -> Step:
        """What the word at ``i`` starts: a name (or none), and where to read on."""
        word = run.words[i][0]
        if word in ("St", "St.", "Saint"):  # a saint: a church, a school, a hospital
            return None, i + 2
        if word in TITLES:
            return self._after_title(run, i)
        base = _base(word)
        if i == 0 and run.titled and self._namelike(base):  # "Dr. Patel"
            return self._name(run, run.words[i][1], i)
        if base.isupper() and len(base) > 1:
            return self._in_capitals(run, i)
        if self._stop(base):
            return self._ordinary(run, i)
        is_given = _known(_key(base), run.given)
        return self._full_name(run, i, is_given) or (self._one_word(run, i, is_given), i + 1)

    def _name(self, run: _Run, start: int, j: int) -> Step:
        """The name from offset ``start`` whose second (or first) word is at ``j``."""
        j = self._extend(run.words, j, run.given, run.surnames)
        return (start, _end(run.words[j])), j + 1

    def _after_title(self, run: _Run, i: int) -> Step:
        """A title and a name: "Dr Patel", "Mrs Sarah O'Neill", "PC Hughes"."""
        word, s, _ = run.words[i]
        nxt = run.base_after(i)
        if (
            nxt is not None
            and self._namelike(nxt)
            and (word not in WEAK_TITLES or _key(nxt) in run.surnames or _key(nxt) in run.given)
        ):
            return self._name(run, s, i + 1)
        return None, i + 1

    def _in_capitals(self, run: _Run, i: int) -> Step:
        """An acronym, or a name in capitals when both words are known: "JAYDEN SMITH"."""
        base, s = _base(run.words[i][0]), run.words[i][1]
        nxt = run.base_after(i)
        if (
            nxt is not None
            and nxt.isupper()
            and base.title() in run.given
            and nxt.title() in run.surnames
            and not self._stop(base)
            and not self._stop(nxt)
        ):
            return (s, _end(run.words[i + 1])), i + 2
        return None, i + 1

    def _ordinary(self, run: _Run, i: int) -> Step:
        """An ordinary word that is a name here: "Grandad Bill", "sister, Autumn,", "Summer's
        attendance"; or a family word opening a sentence before one: "Mother Kelly"."""
        text, words = run.text, run.words
        word, s, e = words[i]
        base = _base(word)
        low = base.lower()
        if _known(base, run.given) and low not in FUNCTION_WORDS and low not in MONTHS_DAYS:
            after_family = (i == 0 or self._stop(_base(words[i - 1][0]))) and (
                _prev_word(text, s)[0] in FAMILY_WORDS if i == 0 else words[i - 1][0].lower() in FAMILY_CAPS
            )
            if after_family or (i == len(words) - 1 and _NAME_AFTER.match(text, e)):
                return (s, s + len(base)), i + 1
        nxt = run.base_after(i)
        if low in FAMILY_CAPS and nxt is not None and self._namelike(nxt):
            return self._name(run, words[i + 1][1], i + 1)
        return None, i + 1

    def _full_name(self, run: _Run, i: int, is_given: bool) -> Step | None:
        """Given name + surname, or an unknown word + a known surname, or (Chinese order) a
        surname + a given name; a field word that is also a surname counts after a given
        name ("Katie Ward"). None: the word is not the start of a full name."""
        word, s, _ = run.words[i]
        base, nxt = _base(word), run.base_after(i)
        if (
            nxt is None
            or word != base
            or (_institution(nxt) and not _known(_key(nxt), run.surnames))
            or not (self._namelike(nxt) or (is_given and nxt.lower() in SURNAME_TOO and base.lower() not in AMBIGUOUS))
        ):
            return None
        key, nkey = _key(base), _key(nxt)
        if not (
            (is_given and base.lower() not in AMBIGUOUS)
            or (_known(nkey, run.surnames) and (is_given or _plain(key)))
            or (key in run.surnames and nkey in run.given and nxt.lower() not in AMBIGUOUS)
        ):
            return None
        if i + 2 < len(run.words) and _institution(run.words[i + 2][0]):
            return None
        return self._name(run, s, i + 1)

    def _before(self, run: _Run, i: int) -> tuple[str, str, bool]:
        """The word before the word at ``i``, what lies between, and whether it is "called"
        ("named", "aka", "known as"): then the word before that, when a family word
        ("a half-sister called Precious"), or "called"."""
        s = run.words[i][1]
        if i == 0:
            prev, sep = _prev_word(run.text, s)
        else:
            prev, sep = run.words[i - 1][0].lower(), " "
        if prev not in CALLED_WORDS or sep.strip() != "":
            return prev, sep, False
        at = _word_start(run.text, s)  # "called", "named", "aka", or "as" of "known as"
        if run.text[at : at + 2].lower() == "as":
            at = _word_start(run.text, at)
        prev, sep = _prev_word(run.text, at)
        return (prev if prev in FAMILY_WORDS else "called"), sep, True

    def _one_word(self, run: _Run, i: int, is_given: bool) -> Span | None:
        """One word: a family word before it, or a known given name alone."""
        text, words, n = run.text, run.words, len(run.words)
        if not (i == 0 or self._stop(_base(words[i - 1][0]))):
            return None
        word, s, e = words[i]
        base, nxt = _base(word), run.base_after(i)
        prev, sep, called = self._before(run, i)
        family = (
            prev in FAMILY_WORDS
            and "." not in sep
            and not _EPONYM_AFTER.match(text, e)
            and text[max(0, s - len(sep) - 2) : s - len(sep)] not in ("'s", "’s")
        )
        if (family and self._namelike(base)) or (is_given and called):
            return s, s + len(base)
        if (
            is_given
            and base.lower() not in AMBIGUOUS
            and (nxt is None or self._stop(nxt))
            and prev not in PLACE_WORDS
            and not (nxt and _institution(nxt))
            and not (i == n - 1 and _EPONYM_AFTER.match(text, e))
        ):
            return s, s + len(base)
        if is_given and i == n - 1 and base.lower() not in MONTHS_DAYS and _NAME_AFTER.match(text, e):
            return s, s + len(base)
        return None

    def _namelike(self, word: str) -> bool:
        """A capitalised word that may be part of a name: not an ordinary or domain word, not an acronym."""
        base = _key(_base(word))
        if "-" in base and base.rsplit("-", 1)[1].islower():
            return False  # "Lane-style", "Police-led"
        return len(base) > 1 and base[0].isupper() and not self._stop(base) and not base.isupper()

    def _extend(self, words: list[Word], j: int, given: Names, surnames: Names) -> int:
        """The last word of a name whose second word is at ``j``: more known names may
        follow ("Sarah Jane Mitchell", "Mary Ann O'Connor-Smith"), up to four words."""
        first = j
        while j + 1 < len(words) and j - first < 2 and _base(words[j][0]) == words[j][0]:
            nxt = _key(_base(words[j + 1][0]))
            if not self._namelike(nxt) or _institution(nxt) or not (nxt in surnames or nxt in given):
                break
            j += 1
        return j


def _known(word: str, names: frozenset[str]) -> bool:
    """In the list, whole or (hyphenated) by a part: "Poppy-Mae", "Adeyemi-Smith"."""
    if word in names:
        return True
    if "-" in word:
        return any(part in names for part in word.split("-") if len(part) > 1)
    return False


def _institution(word: str) -> bool:
    return _base(word).lower() in INSTITUTIONS


def _plain(word: str) -> bool:
    """A capitalised word that could be an unlisted given name: "Chidinma", "Siobhán"."""
    plain = word.replace("'", "").replace("’", "")
    return len(word) > 2 and word[0].isupper() and plain[1:].islower() and plain.isalpha()


def _key(word: str) -> str:
    """The word as the name lists hold it: "al-Rashid" is looked up as "Rashid"."""
    if word[:3] in ("al-", "el-", "ul-", "ud-"):
        return word[3:]
    if word[:4] == "bin-":
        return word[4:]
    return word


def _base(word: str) -> str:
    """The word without a possessive ("Tyler's" is "Tyler")."""
    if word[-1] not in "s'’" or len(word) < 3:
        return word
    for suffix in _POSSESSIVE:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _end(word: tuple[str, int, int]) -> int:
    text, start, _ = word
    return start + len(_base(text))


def _split(run: str, offset: int) -> list[tuple[str, int, int]]:
    """The capitalised words of a run with their offsets (particles dropped)."""
    out = []
    pos = 0
    for part in run.split():
        at = run.index(part, pos)
        pos = at + len(part)
        word = part.rstrip("-'’") if not part.endswith(("'s", "’s")) else part
        if word and (word[0].isupper() or "-" in word[:4]):
            out.append((word, offset + at, offset + at + len(word)))
    return out


def name_finder(config: Any) -> NameFinder:
    """The store's name finder: the built-in lists, plus kscb.yaml ``privacy.allow`` and
    ``pseudonyms`` (text matching them is never reported as a name)."""
    privacy = getattr(config, "privacy", None)
    return NameFinder(allow=getattr(privacy, "allow", ()), patterns=getattr(config, "pseudonyms", ()))
