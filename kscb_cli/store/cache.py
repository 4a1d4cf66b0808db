"""What the lint cache needs from the disk: where caches live, the files under records/, their
content hashes, and the cache files themselves.

The incremental lint (lint/incremental.py) keeps, per store and options, one ``marshal`` file
under ``$XDG_CACHE_HOME/kscb/lint`` (else ``~/.cache/kscb/lint``), outside the store so it can
never be committed. This module only reads and writes: it stats the tree, hashes the files
whose size or modification time changed (or that were too fresh to trust), and stores what the
linter gives it. Only the standard library is used, so a warm lint never imports pydantic or
parses YAML.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]  # all of kscb_cli/
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's granularity
KEEP = 20  # cache files kept (the most recently written)

# One row per file or folder under records/: (size, modification time in ns, where a symlink
# points or None, change time in ns, inode); for anything but a regular file (a folder, a
# broken link, a pipe), which is never read: (-1, its mode or 0, link, 0, 0). The change time
# and inode are there because `cp -p`, `rsync -t` or an unzip can rewrite a file and keep its
# size and modification time: only its change time (which no one can set back) moves.
Row = tuple[int, int, str | None, int, int]


def cache_dir() -> Path:
    """Where kscb keeps its caches: outside any store, so they can never be committed."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kscb"


def parsed_cache_file(folder: str, version: int, root: Path, suffix: str, code: tuple[Path, ...] = ()) -> Path:
    """The file under `cache_dir()/folder` that keeps what `root`'s files parsed to: named by the
    cache's `version`, the Python, the store's path and the parser's own code (source.py and
    compose.py, and any other `code` that decides what is kept), so a new parser or Python
    never reads another's."""
    digest = hashlib.sha256()
    digest.update(f"{version}\0{sys.version}\0{root.resolve()}\0".encode("utf-8", "surrogateescape"))
    here = Path(__file__).resolve().parent
    try:
        for path in (here / "source.py", here / "compose.py", *code):
            digest.update(path.read_bytes())
    except OSError:
        pass
    return cache_dir() / folder / f"{digest.hexdigest()[:24]}{suffix}"


def scan(folder: Path | str, skip: str = "") -> dict[str, Row]:
    """Every file and folder under `folder` (not following symlinked folders), by path relative to it;
    an entry named `skip` (and what is under it) is left out.

    One ``stat`` per file (the folder listing already says what is a link or a folder).
    """
    rows: dict[str, Row] = {}
    todo = [(str(folder), "")]
    while todo:
        path, prefix = todo.pop()
        try:
            listing = list(os.scandir(path))
        except OSError:
            continue
        for item in listing:
            if item.name == skip:
                continue
            rel = prefix + item.name
            link = os.readlink(item.path) if item.is_symlink() else None
            if item.is_dir(follow_symlinks=False):
                rows[rel] = (-1, 0, link, 0, 0)
                todo.append((item.path, rel + "/"))
                continue
            try:
                st = item.stat()  # follows a link: its target's size and time
            except OSError:
                st = None
            if st is None or not stat.S_ISREG(st.st_mode):  # a broken link, a pipe, a socket: never read
                rows[rel] = (-1, 0 if st is None else st.st_mode, link, 0, 0)
            else:
                rows[rel] = (st.st_size, st.st_mtime_ns, link, st.st_ctime_ns, st.st_ino)
    return rows


_SCANNED: dict[str, dict[str, Row]] = {}  # folder (its real path) -> its rows, as the answer cache's key saw them


def remember_scan(folder: str, rows: dict[str, Row]) -> None:
    """Keep `folder`'s `scan` for this process's next `recent_scan` of it: the answer cache
    (cli/answers.py) scans records/ for its key just before the lint scans it for its own."""
    _SCANNED[os.path.realpath(folder)] = rows


def recent_scan(folder: Path) -> dict[str, Row]:
    """The `scan` the answer cache made of `folder` moments ago in this process (taken once),
    else a `scan` now. A file changed in between is one changed just after the scan: the lint
    reports the store as it was when kscb started, and the answer cache, whose key is made again
    after the run, does not keep that answer."""
    return _SCANNED.pop(os.path.realpath(folder), None) or scan(folder)


def forget_scans() -> None:
    """Drop every kept scan (the command that the answer cache scanned for has ended)."""
    _SCANNED.clear()


def content_hash(raw: bytes) -> str:
    """The hash that names a file's content in the cache: of its bytes as they are on disk."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def content_hashes(folder: Path, rows: dict[str, Row], known: dict[str, tuple[Row, str]]) -> dict[str, str]:
    """The hash of each file's bytes: `known`'s when its row is unchanged, else read and hashed.

    `known` holds only rows that were old enough to trust when they were stored (`trusted`).
    """
    out: dict[str, str] = {}
    for rel, row in rows.items():
        if row[0] < 0:
            continue
        seen = known.get(rel)
        if seen is not None and tuple(seen[0]) == row:
            out[rel] = seen[1]
            continue
        try:
            with open(os.path.join(folder, rel), "rb") as handle:
                out[rel] = content_hash(handle.read())
        except OSError:
            pass
    return out


def trusted(rows: dict[str, Row], hashes: dict[str, str]) -> dict[str, tuple[Row, str]]:
    """The rows (with their hashes) a later run may take on trust: those not written in the last
    two seconds, which could change again with the same size and timestamp (git's racy rule)."""
    now = time.time_ns()
    return {rel: (row, hashes[rel]) for rel, row in rows.items() if rel in hashes and now - row[1] > RACY_NS}


def tree_digest(rows: dict[str, Row], hashes: dict[str, str]) -> str:
    """One hash of what is under records/: every name, kind of entry, link target and content."""
    listing = []
    for rel in sorted(rows):
        size, mtime, link = rows[rel][:3]
        # a file's time does not matter, its content does; anything else counts by its kind
        listing.append((rel, mtime if size < 0 else -1, link, hashes.get(rel)))
    return hashlib.blake2b(marshal.dumps(listing), digest_size=20).hexdigest()


def package_digest() -> str:
    """The kscb code itself (path, size and time of every file): a new kscb, or a developer's edit, misses."""
    digest = hashlib.blake2b(digest_size=20)
    rows = scan(PACKAGE)
    for rel in sorted(rows):
        if "__pycache__" not in rel:
            digest.update(f"{rel}\0{rows[rel]}\n".encode("utf-8", "surrogateescape"))
    digest.update(sys.version.encode())
    return digest.hexdigest()


def file_bytes(path: Path) -> bytes:
    """The bytes of a small file the result depends on (kscb.yaml, the deny-list); b"-" when absent."""
    try:
        return path.read_bytes()
    except OSError:
        return b"-"


def load(name: str) -> dict[str, Any] | None:
    """The cache file `name` (a hash), or None when absent or unreadable."""
    try:
        data = marshal.loads((cache_dir() / "lint" / f"{name}.marshal").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def save(name: str, data: dict[str, Any]) -> None:
    """Store a cache file; one that cannot be written is silently skipped (it is only a cache)."""
    folder = cache_dir() / "lint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, folder / f"{name}.marshal")
    except (OSError, ValueError):
        pass
