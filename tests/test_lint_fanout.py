"""A large store is judged on several processes (lint/fanout.py): the result, and the progress
calls, are exactly those of one process."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import bench_module

from kscb_cli.base.diagnostics import LintResult
from kscb_cli.lint import fanout
from kscb_cli.lint.linter import lint
from kscb_cli.store.config import load_config
from kscb_cli.store.store import Store

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generate = bench_module("generate").generate
    root = tmp_path_factory.mktemp("fanout")
    generate(root, 450, seed=3)
    return root


def _lint(root: Path, threshold: int, monkeypatch: pytest.MonkeyPatch) -> tuple[LintResult, list[int]]:
    monkeypatch.setattr(fanout, "FAN_OUT_FROM", threshold)
    store = Store.open(root, config=load_config(root))
    seen: list[int] = []
    result = lint(store, today=TODAY, progress=seen.append)
    return result, seen


def test_workers_give_the_one_process_result(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, alone_seen = _lint(generated, 10**9, monkeypatch)
    shared, shared_seen = _lint(generated, 1, monkeypatch)
    assert alone.diagnostics, "the generated store has findings to compare"
    assert shared == alone
    assert shared_seen == alone_seen == [100, 200, 300, 400]


def test_a_failed_pool_is_done_here(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _ = _lint(generated, 10**9, monkeypatch)

    def no_pool(func, chunks, workers):  # type: ignore[no-untyped-def]
        return map(func, chunks)

    monkeypatch.setattr(fanout, "pool_begun", no_pool)
    here, _ = _lint(generated, 1, monkeypatch)
    assert here == alone


_PARENT = os.getpid()


def _square_or_die(chunk: list[int]) -> list[int]:
    if os.getpid() != _PARENT and 5 in chunk:
        os._exit(9)  # the worker dies without a word
    return [i * i for i in chunk]


def test_a_worker_that_dies_leaves_its_runs_to_this_process() -> None:
    """A worker killed mid-way (out of memory, a signal) breaks the pool: every run not yet back is done here, in order."""
    from kscb_cli.store.parallel import pool_begun

    chunks = [[i] for i in range(12)]
    begun = pool_begun(_square_or_die, chunks, 2)
    assert list(begun) == [[i * i] for i in range(12)]


def test_the_cached_lint_is_judged_on_every_core_with_the_same_result(
    generated: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`kscb lint` with its cache (lint/incremental.py) fans out too: cold and after one edit,
    the workers' result is the one process's, and both are the uncached lint's."""
    import shutil

    from kscb_cli.lint.linter import run

    def linted(root: Path, threshold: int, cache: str) -> LintResult:
        monkeypatch.setattr(fanout, "FAN_OUT_FROM", threshold)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / cache))
        return run(root, today=TODAY).result

    root = tmp_path / "store"
    shutil.copytree(generated, root)
    uncached = run(root, today=TODAY, use_cache=False).result
    assert linted(root, 1, "shared") == linted(root, 10**9, "alone") == uncached
    record = next((root / "records" / "reviews").glob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8") + "status: nonsense\n", encoding="utf-8")
    edited = run(root, today=TODAY, use_cache=False).result
    assert edited != uncached
    assert linted(root, 1, "shared") == linted(root, 10**9, "alone") == edited
