"""The ../shared material the tests use is vendored in tests/shared: check the copies are current.

A plain clone (no ../shared beside it) runs every test against the vendored copies; inside the
workplace this test fails when ../shared has moved on, so the copies never go stale silently.
Refresh them with: rm -rf tests/shared/<part> && cp -r ../shared/<part> tests/shared/<part>
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import UPSTREAM, VENDORED

PARTS = ("design/examples", "corpora/yaml-test-suite", "seed/learning-and-improvement-framework.txt")


def _files(base: Path) -> dict[str, bytes]:
    if base.is_file():
        return {"": base.read_bytes()}
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def test_vendored_parts_are_present():
    for part in PARTS:
        assert (VENDORED / part).exists(), f"tests/shared/{part} is missing"
    assert len(list((VENDORED / "corpora/yaml-test-suite/cases").glob("*/in.yaml"))) == 402
    assert len(list((VENDORED / "design/examples/records").rglob("*.yaml"))) >= 18


@pytest.mark.parametrize("part", PARTS)
def test_vendored_copy_matches_upstream(part):
    upstream = UPSTREAM / part
    if not upstream.exists():
        pytest.skip(f"../shared/{part} is not present outside the workplace; the vendored copy is used as is")
    mine, theirs = _files(VENDORED / part), _files(upstream)
    assert sorted(mine) == sorted(theirs), f"tests/shared/{part} lists other files than ../shared/{part}"
    stale = [name for name in theirs if mine[name] != theirs[name]]
    assert not stale, f"tests/shared/{part} is stale: {stale[:5]} differ from ../shared"
