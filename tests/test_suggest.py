"""The suggestion index gives exactly difflib's answers, and a flood of dangling references lints fast."""

from __future__ import annotations

import difflib
import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from kscb_cli.base.suggest import Suggestions, suggest


def difflib_answer(word, choices, cutoff):
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"; did you mean {match[0]!r}?" if match else ""


def store_ids(rng: random.Random, n: int) -> list[str]:
    kinds = ["SIN", "RR", "LCSPR", "AP-LCSPR", "MACA", "AP-MACA", "TRN", "7MB", "CDOP", "S11"]
    return sorted({f"{rng.choice(kinds)}-{rng.randrange(2016, 2027)}-{rng.randrange(1, 400):03d}" for _ in range(n)})


def test_same_answers_as_difflib_on_store_like_ids():
    rng = random.Random(17)
    ids = store_ids(rng, 3000)
    index = Suggestions(ids, cutoff=0.8)
    misses = []
    for _ in range(600):
        word = list(rng.choice(ids))
        for _ in range(rng.randrange(1, 4)):  # typos: drop, swap, change or add a character
            i = rng.randrange(len(word))
            op = rng.randrange(4)
            if op == 0 and len(word) > 1:
                del word[i]
            elif op == 1 and i + 1 < len(word):
                word[i], word[i + 1] = word[i + 1], word[i]
            elif op == 2:
                word[i] = rng.choice(string.ascii_uppercase + string.digits)
            else:
                word.insert(i, rng.choice("-0123456789"))
        misses.append("".join(word))
    misses += ["LCSPX-2025-001", "RR-2025-01", "MACA2025-002", "X", ""]
    found = 0
    for word in misses:
        expected = difflib_answer(word, ids, 0.8)
        assert index(word) == expected, word
        assert index(word) == expected  # the memo returns the same
        found += bool(expected)
    assert found > 300  # the typos mostly have a near miss: the comparison is not vacuous


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="AB-12", min_size=0, max_size=8), min_size=1, max_size=30, unique=True),
    st.text(alphabet="AB-12", max_size=8),
    st.sampled_from([0.6, 0.8]),
)
def test_same_answers_as_difflib_on_any_words(choices, word, cutoff):
    assert Suggestions(choices, cutoff)(word) == difflib_answer(word, choices, cutoff)
    assert suggest(word, choices, cutoff) == difflib_answer(word, choices, cutoff)
