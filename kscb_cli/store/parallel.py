"""Read many record files on several processes: parsing YAML is nearly the whole cost of a load.

Workers parse with the same reader (source.read_file) and send back plain data and
(line, col) tuples through ``marshal``, which moves them far faster than pickled objects.
Only where ``fork`` is the platform's safe default (Linux), and only for enough files
that a second process pays for itself; anything that goes wrong falls back to reading
here, so the answer never depends on the pool.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kscb_cli.store.source import Document, Problem, SourceError, read_file

PARALLEL_FROM = 400  # files to parse before a second process pays for itself
T = TypeVar("T")
R = TypeVar("R")


def _read_chunk(hashed: bool, paths: list[str]) -> bytes:
    # (0, data, packed positions, text, digest) or (1, code, message, (line, col), digest); the digest
    # (of the bytes read, when `hashed`) is None where the file was not read whole
    out: list[tuple[Any, ...]] = []
    digests: dict[str, str] | None = {} if hashed else None
    enabled = gc.isenabled()
    gc.disable()  # every object made here lives until the chunk is sent: the collector would find nothing
    try:
        for p in paths:
            try:
                doc = read_file(Path(p), digests)
                row: tuple[Any, ...] = (0, doc.data, doc.packed_positions(), doc.text)
            except SourceError as exc:
                problem = exc.problem
                row = (1, problem.code, problem.message, tuple(problem.pos))
            out.append((*row, digests.get(p) if digests is not None else None))
    finally:
        if enabled:
            gc.enable()
    try:
        return marshal.dumps(out)
    except ValueError:  # not plain data (cannot happen with our reader; never trust it blindly)
        return b""


def _unpack(blob: bytes, paths: list[str], digests: dict[str, str] | None) -> list[Document | Problem]:
    if not blob:
        return _read_here(paths, digests)
    out: list[Document | Problem] = []
    for p, row in zip(paths, marshal.loads(blob)):
        if row[0] == 0:
            out.append(Document(row[1], text=row[3], packed=row[2]))
        else:
            out.append(Problem(row[1], row[2], row[3]))
        if digests is not None and row[4] is not None:
            digests[p] = row[4]
    return out


def _read_here(paths: list[str], digests: dict[str, str] | None = None) -> list[Document | Problem]:
    out: list[Document | Problem] = []
    for p in paths:
        try:
            out.append(read_file(Path(p), digests))
        except SourceError as exc:
            out.append(exc.problem)
    return out


def workers_for(count: int, threshold: int) -> int:
    """How many worker processes `count` items are worth: 0 below `threshold`, on one core,
    or where ``fork`` is not the platform's safe default (anywhere but Linux)."""
    workers = min(os.cpu_count() or 1, 4)
    if count < threshold or workers < 2 or not sys.platform.startswith("linux"):
        return 0
    return workers


def chunked(items: list[T], pieces: int) -> list[list[T]]:
    """`items` in about `pieces` runs, in order."""
    size = max(1, -(-len(items) // pieces))
    return [items[i : i + size] for i in range(0, len(items), size)]


def pool_map(func: Callable[[list[T]], R], chunks: list[list[T]], workers: int) -> Iterator[R]:
    """`func` of each chunk, in order, on `workers` forked processes: kscb's one process pool.

    A generator, so the caller can use the first results while workers do the rest; the
    processes are forked when the first result is asked for (`pool_begun` forks them at once).
    """
    yield from pool_begun(func, chunks, workers)


def pool_begun(func: Callable[[list[T]], R], chunks: list[list[T]], workers: int) -> Iterator[R]:
    """`pool_map` begun now: the workers are forked and given every chunk before this returns, so
    the caller can do work of its own meanwhile; the iterator gives the results in order.

    When no processes can be had, or a worker dies (out of memory, killed), the chunks left are
    done here: the answer never depends on the pool.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        futures = [pool.submit(func, c) for c in chunks]
    except (OSError, RuntimeError):
        return map(func, chunks)
    return _results(pool, futures, func, chunks)


def _results(pool: Any, futures: list[Any], func: Callable[[list[T]], R], chunks: list[list[T]]) -> Iterator[R]:
    from concurrent.futures.process import BrokenProcessPool

    with pool:
        for done, future in enumerate(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                yield from map(func, chunks[done:])
                return
            yield result


def read_documents(paths: list[Path], digests: dict[str, str] | None = None) -> Iterator[Document | Problem]:
    """Each file's Document, or the Problem that stopped it, in the order given; with `digests`,
    the hash of each file's bytes as read (``store.cache.content_hash``), by ``str(path)``, for
    every file read whole (one that could not be read, or is too large, has none).

    A generator: the caller validates the first chunks while workers parse the rest.
    """
    names = [str(p) for p in paths]
    workers = workers_for(len(names), PARALLEL_FROM)
    if not workers:
        yield from _read_here(names, digests)
        return
    chunks = chunked(names, workers * 8)
    read = partial(_read_chunk, digests is not None)
    for chunk, blob in zip(chunks, pool_map(read, chunks, workers)):
        yield from _unpack(blob, chunk, digests)
