""" "Did you mean …?" for a near miss: difflib's judgement, found quickly among many choices.

`suggest(word, choices)` is for a one-off message (a handful of kinds, fields or templates).
`Suggestions(choices)` is for many misses against one large set, such as every reference
in a store checked against its ids: difflib alone compares each miss with every id in
Python (about 0.15 s a miss against 10,000 ids, minutes for a bad bulk import), so the
suggestions come from an index instead, and each distinct miss is judged once.

The index gives exactly difflib's answer. rapidfuzz's ratio is 2·LCS/(len a + len b); difflib's
ratio is 2·M/(len a + len b), where M counts characters in matching blocks, which form a common
subsequence, so M ≤ LCS and rapidfuzz never scores a pair below difflib. Keeping only the
choices rapidfuzz scores at or above the cutoff (in C++) and letting difflib judge those
therefore changes nothing but the time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def _closest(word: str, choices: list[str], cutoff: float) -> str | None:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return match[0] if match else None


def _best(word: str, near: list[tuple[str, float]], cutoff: float) -> str | None:
    """difflib.get_close_matches(word, choices, n=1, cutoff) over `near`, (choice, rapidfuzz
    ratio) from the highest ratio down: the same tests and the same pick (the highest difflib
    ratio, the greater choice on a tie), stopping once no choice left can reach the best so far
    (difflib never scores a pair above rapidfuzz). Many ids of one shape ("LCSPR-00042") each
    come near a miss; judging them all took seconds on a store of broken references."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for choice, bound in near:
        if best is not None and bound < best[0] - 1e-9:
            break
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or (ratio, choice) > best):
                best = (ratio, choice)
    return best[1] if best is not None else None


def phrase(match: str | None) -> str:
    """'; did you mean X?' for a match, else ''."""
    return f"; did you mean {match!r}?" if match is not None else ""


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """'; did you mean X?' for a near miss among `choices`, else ''."""
    return phrase(_closest(str(word), list(choices), cutoff))


class Suggestions:
    """Suggestions for many words among one fixed, large set of choices; each word judged once."""

    def __init__(self, choices: Iterable[str], cutoff: float = 0.6):
        self.choices = list(choices)
        self.cutoff = cutoff
        self._memo: dict[str, str | None] = {}

    def closest(self, word: str) -> str | None:
        if word not in self._memo:
            from rapidfuzz import fuzz, process

            near = process.extract(
                word, self.choices, scorer=fuzz.ratio, processor=None, score_cutoff=self.cutoff * 100 - 1e-9, limit=None
            )
            self._memo[word] = _best(word, [(choice, score / 100) for choice, score, _ in near], self.cutoff)
        return self._memo[word]

    def __call__(self, word: str) -> str:
        """'; did you mean X?' for a near miss, else ''."""
        return phrase(self.closest(word))
