"""The National Insurance gate looks for two letters before the digits; the letters that
IGNORECASE matches to ASCII ones (the long s, the Kelvin sign) are "?" in the shape and must
still pass it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kscb_cli.privacy import detectors
from kscb_cli.privacy.detectors import DETECTORS, scan
from kscb_cli.privacy.shapes import Detection


def _ungated(text: str, public: bool) -> list[Detection]:
    return detectors._resolve([d for det in DETECTORS if public or not det.public_only for d in det.find(text)])


def test_non_ascii_prefix_letters_pass_the_gate() -> None:
    for text in ("NI number \u017fA 12 34 56 C", "NI no. \u212aA123456C", "ni: jt 12 34 56 a"):
        found = scan(text)
        assert found == _ungated(text, False)
        assert [d.kind for d in found] == ["ni_number"], text


FRAGMENTS = ["NI ", "NINO", "JT", "\u017f", "\u212a", "A", "a", "b", " ", "-", "12", "34", "56", "123456", "C", "00001"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=20))
def test_ni_gate_never_loses_a_detection(parts: list[str]) -> None:
    text = "".join(parts)
    assert scan(text) == _ungated(text, False)
