"""The parsed-record cache of the query commands: same records as a full load; only changed files are parsed again."""

from __future__ import annotations

import os
import time

import pytest

from kscb_cli.store import snapshot
from kscb_cli.store.store import Store


def _age(root, seconds=60):
    past = time.time() - seconds
    for path in [root / "kscb.yaml", *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def parsed(monkeypatch):
    """Record which files each load parses."""
    seen: list[str] = []
    real = snapshot._parse_many

    def spy(paths):
        seen.extend(os.path.basename(p) for p in paths)
        return real(paths)

    monkeypatch.setattr(snapshot, "_parse_many", spy)
    return seen


def _records(store):
    return {r.id: r for r in store.records}


def test_same_records_and_reuse(examples, parsed):
    _age(examples)
    first = Store.open(examples, positions=False)
    assert len(parsed) == 18
    assert _records(first) == _records(Store.open(examples))
    parsed.clear()
    second = Store.open(examples, positions=False)
    assert parsed == []  # nothing parsed: every file came from the cache
    assert _records(second) == _records(first)
    assert [e.rel for e in second.entries] == [e.rel for e in first.entries]


def test_changed_and_fresh_files_are_parsed_again(examples, parsed):
    _age(examples)
    Store.open(examples, positions=False)
    path = examples / "records" / "agencies" / "WYP.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("West Yorkshire Police", "West Yorkshire Police Force"),
        encoding="utf-8",
    )
    parsed.clear()
    store = Store.open(examples, positions=False)
    assert parsed == ["WYP.yaml"]
    assert store.get("WYP").title == "West Yorkshire Police Force"
    parsed.clear()
    Store.open(examples, positions=False)
    assert parsed == ["WYP.yaml"]  # written in the last two seconds: not trusted to the cache yet
    _age(examples)
    Store.open(examples, positions=False)
    parsed.clear()
    Store.open(examples, positions=False)
    assert parsed == []


def test_broken_file_keeps_its_problem(examples, parsed):
    (examples / "records" / "agencies" / "BAD.yaml").write_text("kind: agency\nid: [unclosed\n", encoding="utf-8")
    _age(examples)
    for _ in range(2):
        store = Store.open(examples, positions=False)
        [bad] = [e for e in store.entries if e.rel.endswith("BAD.yaml")]
        assert bad.record is None and bad.problem is not None and bad.problem.code == "F001"


def test_parallel_parse_gives_the_same_store(examples, monkeypatch):
    from kscb_cli.store import parallel

    serial = Store.open(examples)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    _age(examples)
    assert _records(Store.open(examples, positions=False)) == _records(serial)
    (examples / "records" / "agencies" / "BAD.yaml").write_text("kind: agency\nid: [unclosed\n", encoding="utf-8")
    both = [Store.open(examples)]
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    both.append(Store.open(examples))
    # the same documents, positions and problems whichever way they were read
    assert [
        (e.rel, e.doc and (e.doc.data, e.doc.values, e.doc.keys, e.doc.text), e.problem) for e in both[0].entries
    ] == [(e.rel, e.doc and (e.doc.data, e.doc.values, e.doc.keys, e.doc.text), e.problem) for e in both[1].entries]


def test_unreadable_cache_is_ignored(examples):
    _age(examples)
    Store.open(examples, positions=False)
    cache = snapshot._cache_file(examples)
    assert cache.is_file() and str(cache).startswith(os.environ["HOME"])  # outside the store
    cache.write_bytes(b"not marshal data")
    assert len(_records(Store.open(examples, positions=False))) == 18


def test_no_cache_parses_every_file_and_keeps_nothing(examples, parsed, monkeypatch):
    _age(examples)
    monkeypatch.setenv("KSCB_NO_CACHE", "1")
    Store.open(examples, positions=False)
    parsed.clear()
    Store.open(examples, positions=False)
    assert len(parsed) == 18  # nothing came from a cache
    assert not snapshot._cache_file(examples).exists()
