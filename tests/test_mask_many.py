"""`mask_many` (the lint's batch masking) gives each text exactly what `mask_text` gives it alone."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from kscb_cli.privacy.mask import DenyList, Masker, mask_many, mask_text
from kscb_cli.privacy.namefinder import name_finder
from kscb_cli.store.config import load_config

DATA = Path(__file__).parent / "data"


def _corpus() -> list[str]:
    texts: list[str] = []
    for name in ("privacy_corpus.yaml", "privacy_heldout.yaml", "names_corpus.yaml", "names_heldout.yaml"):
        texts += [s["text"] for s in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["snippets"]]
    # what lint messages and paths look like: ids, paths and keys glued to numbers
    texts += [
        "records/reviews/9434765919.yaml",
        "notes_9434765919",
        "RR-2025-003",
        "references MACA-2025-002, which is not a record; did you mean RR-2025-003?",
        "Jane Smith",  # a deny-listed term split across two texts must not be found
        "Smith was here",
        "",
        "a\x00b 999 762 3134",
        "plan review clock overdue: review the plan within 90 days of approval (2025-01-13)",
    ]
    return texts


DENY = DenyList(["Jane Smith", "Smith Jones", "Oakfield Primary", "07700 900123"])


def test_the_batch_masks_each_text_as_it_is_masked_alone() -> None:
    texts = _corpus()
    names = name_finder(load_config(ROOT))  # the demo store's allow-list
    for denylist in (None, DENY):
        for finder in (None, names):
            alone = [mask_text(t, denylist, names=finder) for t in texts]
            assert mask_many(texts, denylist, names=finder) == alone
    assert any(a != t for a, t in zip(alone, texts))  # the corpus does hold what must be masked


def test_a_term_never_spans_two_texts() -> None:
    assert mask_many(["the report by Jane", "Smith Jones visited"], DENY) == [
        "the report by Jane",
        mask_text("Smith Jones visited", DENY),
    ]


def test_the_masker_primed_in_bulk_answers_as_one_by_one() -> None:
    texts = _corpus()
    bulk, single = Masker(None), Masker(None)
    bulk.denylist = single.denylist = DENY
    bulk.many(texts)
    assert [bulk(t) for t in texts] == [single(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("0123456789 -_./@aAJSmith\n\x00")), max_size=30), max_size=8))
def test_any_texts_mask_alike_in_bulk(texts: list[str]) -> None:
    assert mask_many(texts, DENY) == [mask_text(t, DENY) for t in texts]
