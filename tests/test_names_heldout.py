"""The name detector on the held-out corpus tests/data/names_heldout.yaml, written blind by
another helper (its own README header says how); copied here only after the detector was
built and tuned on tests/data/names_corpus.yaml.

Figures are by snippet (a true positive: a snippet labelled name: true with any name found;
a false positive: one labelled false with any name found), pinned honestly — below the
issue's 0.95 recall target: see docs/privacy.md, "What it cannot do", and
/work/notes/issue-10.md for what is missed (family surnames, lower-case names, first names
that are ordinary words without a telling context, names in neither list).

    .venv/bin/python -m pytest -q -s tests/test_names_heldout.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from kscb_cli.privacy.detectors import NAMES

CORPUS = Path(__file__).parent / "data" / "names_heldout.yaml"


def test_heldout_figures(capsys):
    snippets = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["snippets"]
    tp = fn = fp = tn = 0
    missed: Counter = Counter()
    for e in snippets:
        found = list(NAMES.find(e["text"]))
        if e["name"]:
            tp, fn = (tp + 1, fn) if found else (tp, fn + 1)
            if not found:
                missed[e["category"]] += 1
        else:
            fp, tn = (fp + 1, tn) if found else (fp, tn + 1)
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    with capsys.disabled():
        print(
            f"\nnames held-out corpus: {tp + fn} with a name, {fp + tn} without: recall {recall:.3f}, "
            f"precision {precision:.3f} (tp={tp} fn={fn} fp={fp} tn={tn}); missed by category: {dict(sorted(missed.items()))}"
        )
    assert (tp, fn, fp, tn) == (246, 37, 1, 305)
