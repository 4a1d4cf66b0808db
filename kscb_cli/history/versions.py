"""Old versions of record files: read from git once, parsed once (on several processes when it pays)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kscb_cli.base import gitio
from kscb_cli.store.source import Document, Problem, SourceError, decode, parse


def parse_blob(raw: bytes | None) -> Document | Problem:
    """A stored version as a Document, or the Problem that stops it being read."""
    if raw is None:
        return Problem("G001", "this version is not in the local repository (a shallow clone?); fetch the full history")
    try:
        return parse(decode(raw))
    except SourceError as exc:
        return exc.problem


def _parse_chunk(raws: list[bytes | None]) -> list:
    """Each version's plain data, or its Problem (run in a worker process)."""
    out = []
    for raw in raws:
        version = parse_blob(raw)
        out.append(version.data if isinstance(version, Document) else version)
    return out


class _Versions:
    """Blob id -> parsed version, each blob read and parsed once (many at once on several processes)."""

    def __init__(self, root: Path):
        self.root = root
        self.raw: dict[str, bytes | None] = {}
        self.parsed: dict[str, Document | Problem] = {}
        self._light: set[str] = set()  # parsed in a worker: data without positions

    def fetch(self, blobs: Iterable[str | None]) -> None:
        missing = {b for b in blobs if b and b not in self.raw}
        if missing:
            self.raw.update(gitio.read_blobs(self.root, missing))

    def get(self, blob: str | None) -> Document | Problem | None:
        if blob is None:
            return None
        if blob not in self.parsed:
            self.parsed[blob] = parse_blob(self.raw.get(blob))
        return self.parsed[blob]

    def positioned(self, blob: str | None) -> Document | Problem | None:
        """The version with the positions of its values (parsed again if a worker parsed it)."""
        if blob in self._light:
            self._light.discard(blob)
            self.parsed[blob] = parse_blob(self.raw.get(blob))
        return self.get(blob)

    def parse_all(self, blobs: Iterable[str | None]) -> None:
        """Parse many versions ahead, on two or more processes where fork is safe (Linux) and it pays.

        Workers return plain data (positions are cheap to recompute for the few that need them).
        """
        import os
        import sys

        from kscb_cli.history import PARALLEL_FROM  # read at call time: the package's setting (tests lower it)

        todo = sorted({b for b in blobs if b and b not in self.parsed})
        workers = min(os.cpu_count() or 1, 4)
        if len(todo) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
            return  # parsed one by one when asked for
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = -(-len(todo) // (workers * 4))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(_parse_chunk, [[self.raw.get(b) for b in chunk] for chunk in chunks]))
        except (OSError, RuntimeError):  # no processes to be had: parse when asked for
            return
        for chunk, datas in zip(chunks, results):
            for blob, data in zip(chunk, datas):
                if isinstance(data, Problem):
                    self.parsed[blob] = data
                else:
                    self.parsed[blob] = Document(data)
                    self._light.add(blob)


def _data(version: Document | Problem | None) -> dict | None:
    return version.data if isinstance(version, Document) and isinstance(version.data, dict) else None


def _stem(path: str) -> str:
    """The record id a path names: records/reviews/LCSPR-2025-001.yaml → LCSPR-2025-001."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]
