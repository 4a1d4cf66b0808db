"""Record files as stored in git (old versions, or the committed version of an unchanged file):
read from git once, parsed once (on the process pool when it pays).

A version is named by its git blob id, the hash of its bytes, so what it parses to never
changes: ``Versions.parse_all`` keeps the parsed data of each version in a cache outside the
store (``$XDG_CACHE_HOME/kscb/versions``, one SQLite file per store, readable only by its
owner) and never parses that version again. The parser's own code (source.py, compose.py) and the Python
version are part of the file's key. A version that does not parse is not kept; a cache that
cannot be read or written is ignored. ``KSCB_NO_CACHE=1`` turns it off, and ``forget(root)``
deletes a store's (``kscb purge`` does, since old versions may hold what was purged).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from kscb_cli.base import gitio
from kscb_cli.store.parallel import chunked, pool_map, workers_for
from kscb_cli.store.source import Document, Problem, SourceError, decode, parse

_T = TypeVar("_T")
PARALLEL_FROM = 600  # versions to parse before a second process pays for itself
_CACHE_VERSION = 1


def blob_id(raw: bytes) -> str:
    """git's (SHA-1) blob id of these bytes: the name a file's content has, in git or on disk."""
    return hashlib.sha1(b"blob %d\x00" % len(raw) + raw, usedforsecurity=False).hexdigest()


def cache_file(root: Path) -> Path:
    """The store's cache of parsed versions."""
    from kscb_cli.store.cache import parsed_cache_file

    return parsed_cache_file("versions", _CACHE_VERSION, root, ".sqlite")


def forget(root: Path) -> None:
    """Delete the store's cache of parsed versions (after its history was rewritten)."""
    cache_file(root).unlink(missing_ok=True)


class BlobTable:
    """Marshalled data by blob id in a SQLite cache file (the parsed versions; the digest's facts)."""

    def __init__(self, path: Path):
        self.path = path

    def _connect(self, create: bool) -> Any:
        import sqlite3

        if not create and not self.path.exists():
            return None
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(self.path, timeout=2)
        db.execute("CREATE TABLE IF NOT EXISTS version (blob TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
        return db

    def load(self, blobs: list[str]) -> dict[str, Any]:
        import sqlite3

        found: dict[str, Any] = {}
        try:
            db = self._connect(create=False)
            if db is None:
                return found
            with db:
                for i in range(0, len(blobs), 900):  # SQLite's limit on parameters
                    part = blobs[i : i + 900]
                    rows = db.execute(
                        f"SELECT blob, data FROM version WHERE blob IN ({','.join('?' * len(part))})", part
                    )
                    found.update((blob, marshal.loads(data)) for blob, data in rows)
            db.close()
        except (OSError, sqlite3.Error, ValueError, EOFError, TypeError):
            return {}
        return found

    def save(self, parsed: dict[str, Any]) -> None:
        import sqlite3

        if not parsed:
            return
        try:
            db = self._connect(create=True)
            with db:
                db.executemany(
                    "INSERT OR IGNORE INTO version VALUES (?, ?)", ((b, marshal.dumps(d)) for b, d in parsed.items())
                )
            db.close()
        except (OSError, sqlite3.Error, ValueError):
            pass


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

    def __init__(self, root: Path, *, remember: bool = True):
        self.root = root
        self.raw: dict[str, bytes | None] = {}
        self.parsed: dict[str, Document | Problem] = {}
        self._light: set[str] = set()  # parsed in a worker, or kept: data without positions
        self._kept = BlobTable(cache_file(root)) if remember and not os.environ.get("KSCB_NO_CACHE") else None

    @property
    def remembers(self) -> bool:
        """Whether what is read from these versions may be kept in a cache."""
        return self._kept is not None

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
        if self._kept is None:
            self._parse(todo)
            return
        for blob, data in self._kept.load(todo).items():
            self.parsed[blob] = Document(data)
            self._light.add(blob)
        todo = [b for b in todo if b not in self.parsed and self.raw.get(b) is not None]
        self._parse(todo)
        for blob in todo:
            self.get(blob)  # those the pool did not take
        self._kept.save({b: v.data for b in todo if isinstance(v := self.parsed[b], Document)})

    def _parse(self, todo: list[str]) -> None:
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


def _waited(pending: Callable[[], _T]) -> _T | None:
    """What a started git gives; None when it failed."""
    try:
        return pending()
    except gitio.GitError:
        return None


def clean_blobs(root: Path) -> dict[str, str]:
    """{path: blob id} of the record files whose working-tree content is HEAD's (see `clean_blobs_started`)."""
    return clean_blobs_started(root)()


def clean_blobs_started(root: Path) -> Callable[[], dict[str, str]]:
    """`clean_blobs`, started: git lists HEAD's tree and the index and compares the working tree
    with HEAD on other cores while the caller goes on.

    A file counts as HEAD's only when git says so and nothing can make git's word wrong: a regular
    file in HEAD (a symlink's blob is where it points), not changed since (``git diff HEAD``:
    staged or not), with no flag that stops git looking at it (``assume-unchanged``,
    ``skip-worktree``, a conflict: ``git ls-files -v`` shows ``H``). The index's own blob is not
    HEAD's when a change is staged and the file then put back. With no commit yet, or when git
    fails, none does. A checkout that rewrites the bytes (other line endings, an encoding, a
    filter) keeps their content HEAD's as git sees it: what the blob says of the record, not the
    bytes on the disk (which are always read from the disk).
    """
    tree_ = gitio.tree_files_started(root, "HEAD", gitio.RECORDS, regular=True)
    flags_ = gitio.started(root, "ls-files", "-v", "-z", "--", gitio.RECORDS)
    dirty_ = gitio.started(root, "diff", "--name-only", "-z", "--relative", "HEAD", "--", gitio.RECORDS)

    def result() -> dict[str, str]:
        tree, flags, dirty = _waited(tree_), _waited(flags_), _waited(dirty_)  # each, whatever the others did
        if tree is None or flags is None or dirty is None:
            return {}  # no commit yet (or git cannot tell): every file is read
        plain = {n[2:].decode("utf-8", "surrogateescape") for n in flags.split(b"\x00") if n[:2] == b"H "}
        changed = {n.decode("utf-8", "surrogateescape") for n in dirty.split(b"\x00")}
        return {rel: blob for rel, blob in tree.items() if rel in plain and rel not in changed}

    return result
