"""Run the rules over many files on several processes: the second core judges half the store.

Forked after the store is read and the first run of files is judged here (so the store-wide
indexes are built once), each worker has the whole store (the rules that read other records
see it all) and a copy of the checker; it judges a run of files, in order, and
sends back its diagnostics as plain tuples through ``marshal``. The runs are joined in
the order of the files, so the result is the one a single process gives. Anything that
goes wrong (no fork, a worker that dies) is done here instead: the answer never depends
on the pool (store.parallel.pool_map).
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kscb_cli.base.diagnostics import Diagnostic, Severity
from kscb_cli.store.parallel import chunked, pool_map, workers_for

if TYPE_CHECKING:
    from kscb_cli.lint.linter import Checker
    from kscb_cli.store.store import Entry

FAN_OUT_FROM = 2000  # files before a second process pays for its own store-wide indexes

# What the forked workers judge: set just before the pool forks, cleared after.
_WORK: dict[str, Any] = {}


def _check_run(indexes: list[int]) -> bytes:
    checker: Checker = _WORK["checker"]
    entries: list[Entry] = _WORK["entries"]
    rows: list[tuple[Any, ...]] = []
    for i in indexes:
        local, wide, _ = checker.check(entries[i])
        rows += [(d.path, d.line, d.col, d.code, d.severity.value, d.name, d.message, d.record) for d in local + wide]
    return marshal.dumps(rows)


def _rows(blob: bytes) -> list[Diagnostic]:
    return [
        Diagnostic(p, line, col, code, Severity(sev), name, msg, rid)
        for p, line, col, code, sev, name, msg, rid in marshal.loads(blob)
    ]


def check_all(
    checker: Checker, entries: list[Entry], progress: Callable[[int], None] | None = None
) -> list[Diagnostic]:
    """Every diagnostic of `entries` (each file's rules, as `Checker.check`), in their order.

    `progress(done)` is called at every hundredth file (from a worker's run: once it is back).
    """
    workers = workers_for(len(entries), FAN_OUT_FROM)
    out: list[Diagnostic] = []
    if not workers:
        for done, entry in enumerate(entries, 1):
            if progress is not None and done % 100 == 0:
                progress(done)
            local, wide, _ = checker.check(entry)
            out += local + wide
        return out
    _WORK.update(checker=checker, entries=entries)
    try:
        runs = chunked(list(range(len(entries))), workers * 4)
        # The first run here: the store-wide indexes the rules ask for (links, clocks) are built
        # once, before the fork, and every worker inherits them instead of building its own.
        blobs = itertools.chain([_check_run(runs[0])], pool_map(_check_run, runs[1:], workers))
        done = 0
        for run, blob in zip(runs, blobs):
            out += _rows(blob)
            for hundred in range(done // 100 + 1, (done + len(run)) // 100 + 1):
                if progress is not None:
                    progress(hundred * 100)
            done += len(run)
        return out
    finally:
        _WORK.clear()
