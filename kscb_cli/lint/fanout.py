"""Run the rules over many files on several processes: the second core judges half the store.

Forked after the store is read and the first run of files is judged here (so the store-wide
indexes are built once), each worker has the whole store (the rules that read other records
see it all) and a copy of the checker; it judges its runs of files, in order, and
sends back its diagnostics as plain tuples through ``marshal``, while this process judges
its own share (a worker fewer: each one copies the pages of the store its rules touch). The runs are joined in
the order of the files, so the result is the one a single process gives. Anything that
goes wrong (no fork, a worker that dies) is done here instead: the answer never depends
on the pool (store.parallel.pool_begun).
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kscb_cli.base.diagnostics import Diagnostic, Severity
from kscb_cli.store.parallel import chunked, pool_begun, workers_for

if TYPE_CHECKING:
    from kscb_cli.lint.linter import Checker
    from kscb_cli.store.store import Entry

FAN_OUT_FROM = 2000  # files before a second process pays for its own store-wide indexes

# What the forked workers judge: set just before the pool forks, cleared after.
_WORK: dict[str, Any] = {}


def _judge_run(indexes: list[int]) -> bytes:
    judge: Callable[[int], Any] = _WORK["judge"]
    finish: Callable[[list[Any]], list[Any]] = _WORK["finish"]
    return marshal.dumps(finish([judge(i) for i in indexes]))


def judge_all(
    judge: Callable[[int], Any],
    count: int,
    progress: Callable[[int], None] | None = None,
    finish: Callable[[list[Any]], list[Any]] = list,
) -> list[Any]:
    """``finish([judge(0), ..., judge(count - 1)])``, on every core when there are enough files.

    `judge(i)` judges the i-th file and returns plain data (``marshal`` carries it back from a
    worker); `finish(results)` completes a run of them at once, where they were judged (the
    messages are masked together: ``Checker.masked``), and returns as many. `progress(done)`
    is called at every hundredth file (from a worker's run: once it is back), as one process calls it.
    """
    workers = workers_for(count, FAN_OUT_FROM)
    if not workers:
        out = []
        for i in range(count):
            if progress is not None and (i + 1) % 100 == 0:
                progress(i + 1)
            out.append(judge(i))
        return finish(out)
    _WORK.update(judge=judge, finish=finish)
    try:
        runs = chunked(list(range(count)), workers * 8)
        # A short first run here: the store-wide indexes the rules ask for (links, clocks) are
        # built once, before the fork, and every worker inherits them instead of building its
        # own; kept short, as nothing else runs while it does (a 64th of the files).
        head = runs[0][: max(1, count // 64)]
        runs[:1] = [head, runs[0][len(head) :]] if len(head) < len(runs[0]) else [head]
        first = _judge_run(runs[0])
        # Then this process judges its share of the rest while workers - 1 forked ones judge
        # theirs: one worker fewer, so one copy fewer of the pages the rules touch.
        mine = (len(runs) - 1) // workers
        theirs = pool_begun(_judge_run, runs[1 + mine :], workers - 1)
        blobs = itertools.chain([first], map(_judge_run, runs[1 : 1 + mine]), theirs)
        results: list[Any] = []
        done = 0
        for run, blob in zip(runs, blobs):
            results += marshal.loads(blob)
            for hundred in range(done // 100 + 1, (done + len(run)) // 100 + 1):
                if progress is not None:
                    progress(hundred * 100)
            done += len(run)
        return results
    finally:
        _WORK.clear()


def check_all(
    checker: Checker, entries: list[Entry], progress: Callable[[int], None] | None = None
) -> list[Diagnostic]:
    """Every diagnostic of `entries` (each file's rules, as `Checker.check`), in their order."""

    def judge(i: int) -> list[tuple[Any, ...]]:
        local, wide, _ = checker.check(entries[i])
        return [(d.path, d.line, d.col, d.code, d.severity.value, d.name, d.message, d.record) for d in local + wide]

    return [
        Diagnostic(p, line, col, code, Severity(sev), name, msg, rid)
        for rows in judge_all(judge, len(entries), progress, checker.masked)
        for p, line, col, code, sev, name, msg, rid in rows
    ]
