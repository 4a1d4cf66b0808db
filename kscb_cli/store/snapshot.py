"""The parsed-record cache behind ``Store.open(root, positions=False)`` (actions, deadlines, list, show, stats, render).

Parsing YAML is nearly the whole cost of loading a store (PERFORMANCE.md: ~210 µs a
record against ~20 µs to validate). These commands never need positions or comments,
only each record's data, so this keeps the parsed data of every record file in one
``marshal`` file per store under ``$XDG_CACHE_HOME/kscb/records`` (else
``~/.cache/kscb/records``), outside the store so it can never be committed.

A file's cached data is used only when its size, modification and change times
(nanoseconds) and inode are unchanged (`cp -p` or an unzip can keep the first two); anything else is read and parsed again. A file written in the last two
seconds is not cached (git's racy-timestamp rule). Records are always validated again
from the data, so a model change can never serve a stale record; the parser's own code
(source.py, compose.py), the Python version and the store's path are part of the cache file's key.
A cache that cannot be read or written is ignored: it is only a cache. ``KSCB_NO_CACHE=1``
turns it off, as it does the answer and versions caches.

A record that is not fully valid is read again with positions, so the problems every
command reports about it point at the right line. ``kscb lint`` does not use this: it
needs positions everywhere, and has its own incremental cache (lint/incremental.py).
"""

from __future__ import annotations

import gc
import marshal
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.store.cache import RACY_NS, parsed_cache_file

if TYPE_CHECKING:
    from kscb_cli.store.store import Store

_VERSION = 2


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged: its size, modification and change times, and inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _cache_file(root: Path) -> Path:
    return parsed_cache_file("records", _VERSION, root, ".marshal")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = marshal.loads(path.read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


def read_cached(cls: type[Store], root: Path, config: Any) -> Store:
    """The store at `root` (``Store.open(root, positions=False)``), reusing parsed data of unchanged files."""
    from kscb_cli.store.source import Document
    from kscb_cli.store.store import load_entry, make_entry, record_paths

    off = bool(os.environ.get("KSCB_NO_CACHE"))  # every file parsed afresh, nothing kept
    cache_path = _cache_file(root)
    cached = {} if off else _read(cache_path)
    files, entries = record_paths(root)
    keep: dict[str, tuple[int, int, int, int, Any]] = {}
    changed = False
    now = time.time_ns()
    enabled = gc.isenabled()
    gc.disable()  # bulk materialisation (PERFORMANCE.md)
    try:
        found: list[tuple[Path, str, Any, Any]] = []  # (path, rel, stat, cached entry or None)
        for path, rel in files:
            try:
                st = path.stat()
            except OSError:
                st = None
            hit = cached.get(rel)
            fresh = st is not None and hit is not None and tuple(hit[:4]) == stamp(st)
            found.append((path, rel, st, hit if fresh else None))
        parsed = _parse_many([path for path, _, _, hit in found if hit is None])
        for path, rel, st, hit in found:
            if hit is not None:
                keep[rel] = hit
                data = hit[4]
            else:
                data = parsed.get(path)
                if data is None:  # it did not parse: read it here, for its problem and position
                    entries.append(load_entry(path, rel))
                    continue
                if st is not None and now - st.st_mtime_ns > RACY_NS:
                    keep[rel] = (*stamp(st), data)
                    changed = True
            entry = make_entry(path, rel, Document(data))
            entries.append(entry if entry.readable else load_entry(path, rel))  # its problems need positions
    finally:
        if enabled:
            gc.enable()
    if not off and (changed or len(keep) != len(cached)):
        _write(cache_path, keep)
    return cls(root, config, entries)


def _parse_many(paths: list[Path]) -> dict[Path, Any]:
    """The parsed data of each file (None where it does not parse), on several processes for many files."""
    from kscb_cli.store.parallel import read_documents
    from kscb_cli.store.source import Document

    return {
        path: (read.data if isinstance(read, Document) else None) for path, read in zip(paths, read_documents(paths))
    }
