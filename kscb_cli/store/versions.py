"""Record files as stored in git (old versions, or the committed version of an unchanged file):
read from git once, parsed once (on the process pool when it pays)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kscb_cli.base import gitio
from kscb_cli.store.parallel import chunked, pool_map, workers_for
from kscb_cli.store.source import Document, Problem, SourceError, decode, parse

PARALLEL_FROM = 600  # versions to parse before a second process pays for itself


def parse_blob(raw: bytes | None) -> Document | Problem:
    """A stored version as a Document, or the Problem that stops it being read."""
    if raw is None:
        return Problem("G001", "this version is not in the local repository (a shallow clone?); fetch the full history")
    try:
        return parse(decode(raw))
    except SourceError as exc:
        return exc.problem


def _parse_chunk(raws: list[bytes | None]) -> list[Any]:
    """Each version's plain data, or its Problem (run in a worker process)."""
    out: list[Any] = []
    for raw in raws:
        version = parse_blob(raw)
        out.append(version.data if isinstance(version, Document) else version)
    return out


class Versions:
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
        """Parse many versions ahead, on the process pool when it pays (store/parallel.py).

        Workers return plain data (positions are cheap to recompute for the few that need them).
        """
        todo = sorted({b for b in blobs if b and b not in self.parsed})
        workers = workers_for(len(todo), PARALLEL_FROM)
        if not workers:
            return  # parsed one by one when asked for
        chunks = chunked(todo, workers * 4)
        for chunk, datas in zip(
            chunks, pool_map(_parse_chunk, [[self.raw.get(b) for b in c] for c in chunks], workers)
        ):
            for blob, data in zip(chunk, datas):
                if isinstance(data, Problem):
                    self.parsed[blob] = data
                else:
                    self.parsed[blob] = Document(data)
                    self._light.add(blob)


def version_data(version: Document | Problem | None) -> dict[str, Any] | None:
    return version.data if isinstance(version, Document) and isinstance(version.data, dict) else None


def record_stem(path: str) -> str:
    """The record id a path names: records/reviews/LCSPR-2025-001.yaml → LCSPR-2025-001."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def clean_blobs(root: Path) -> dict[str, str]:
    """{path: blob id} of record files whose working-tree content is the committed one."""
    staged = gitio.git(root, "ls-files", "-s", "-z", "--", gitio.RECORDS, check=False)
    found: dict[str, str] = {}
    for row in staged.split(b"\x00"):
        meta, _, name = row.partition(b"\t")
        if name:
            found[name.decode("utf-8", "surrogateescape")] = meta.split(b" ")[1].decode()
    dirty = gitio.git(root, "diff", "--name-only", "-z", "--relative", "HEAD", "--", gitio.RECORDS, check=False)
    for name in dirty.split(b"\x00"):
        found.pop(name.decode("utf-8", "surrogateescape"), None)
    return found
