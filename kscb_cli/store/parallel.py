"""Read many record files on several processes: parsing YAML is nearly the whole cost of a load.

Workers parse with the same reader (source.read_file) and send back plain data and
(line, col) tuples through ``marshal``, which moves them far faster than pickled objects.
Only where ``fork`` is the platform's safe default (Linux), and only for enough files
that a second process pays for itself; anything that goes wrong falls back to reading
here, so the answer never depends on the pool.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Iterator

from kscb_cli.store.source import Document, Problem, SourceError, read_file

PARALLEL_FROM = 400  # files to parse before a second process pays for itself


def _read_chunk(paths: list[str]) -> bytes:
    out = []
    for p in paths:
        try:
            doc = read_file(Path(p))
            out.append((0, doc.data, doc.values, doc.keys, doc.text))
        except SourceError as exc:
            problem = exc.problem
            out.append((1, problem.code, problem.message, tuple(problem.pos)))
    try:
        return marshal.dumps(out)
    except ValueError:  # not plain data (cannot happen with our reader; never trust it blindly)
        return b""


def _unpack(blob: bytes, paths: list[str]) -> list[Document | Problem]:
    if not blob:
        return _read_here(paths)
    out: list[Document | Problem] = []
    for row in marshal.loads(blob):
        if row[0] == 0:
            out.append(Document(row[1], row[2], row[4], row[3]))
        else:
            out.append(Problem(row[1], row[2], row[3]))
    return out


def _read_here(paths: list[str]) -> list[Document | Problem]:
    out: list[Document | Problem] = []
    for p in paths:
        try:
            out.append(read_file(Path(p)))
        except SourceError as exc:
            out.append(exc.problem)
    return out


def read_documents(paths: list[Path]) -> Iterator[Document | Problem]:
    """Each file's Document, or the Problem that stopped it, in the order given.

    A generator: the caller validates the first chunks while workers parse the rest.
    """
    names = [str(p) for p in paths]
    workers = min(os.cpu_count() or 1, 4)
    if len(names) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        yield from _read_here(names)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(names) // (workers * 8))
    chunks = [names[i:i + size] for i in range(0, len(names), size)]
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        blobs = pool.map(_read_chunk, chunks)
    except (OSError, RuntimeError):  # no processes to be had: read here
        yield from _read_here(names)
        return
    from concurrent.futures.process import BrokenProcessPool

    with pool:
        done = 0
        try:
            for chunk, blob in zip(chunks, blobs):
                docs = _unpack(blob, chunk)
                done += 1
                yield from docs
        except BrokenProcessPool:  # a worker died (out of memory, killed): finish here
            for chunk in chunks[done:]:
                yield from _read_here(chunk)
