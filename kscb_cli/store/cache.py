"""A whole-result cache for `kscb lint`: an unchanged store re-lints almost instantly.

The key is everything the result depends on: every record file's path, size and
modification time (following symlinks), the bytes of kscb.yaml and the deny-list, the
command's options, "today", and the kscb code itself. Any change gives a new key and a
full lint; there is no partial reuse to get wrong. Only the standard library is used,
so a hit never imports pydantic or the rules.

The cache lives outside the store (``$XDG_CACHE_HOME/kscb`` or ``~/.cache/kscb``) so it
can never be committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # all of kscb_cli/


def cache_dir() -> Path:
    """Where kscb keeps its caches: outside any store, so they can never be committed."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kscb"


RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's granularity


def _stat_tree(folder: Path, digest) -> int:
    """Feed every file's relative path, size and mtime under `folder` into `digest`; return the newest mtime."""
    rows = []
    newest = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                st = None
            newest = max(newest, st.st_mtime_ns if st else 0)
            rows.append(
                f"{os.path.relpath(path, folder)}\0{st and st.st_size}\0{st and st.st_mtime_ns}\0{os.path.islink(path)}"
            )
    digest.update("\n".join(sorted(rows)).encode("utf-8", "surrogateescape"))
    return newest


def key(root: Path, options: dict) -> str | None:
    """The cache key for linting the store at `root` with `options`; None when a file is too fresh to trust.

    Like git's "racy" check: a record written in the last two seconds could be written
    again with the same size and timestamp, so such a store is not cached.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(str(root.resolve()).encode())
    for extra in (root / "kscb.yaml", root / "private" / "denylist.txt"):
        try:
            digest.update(extra.read_bytes())
        except OSError:
            digest.update(b"-")
    newest = _stat_tree(root / "records", digest)
    for extra in (root / "kscb.yaml", root / "private" / "denylist.txt"):
        try:
            newest = max(newest, extra.stat().st_mtime_ns)
        except OSError:
            pass
    _stat_tree(PACKAGE, digest)  # a new kscb (or a developer's edit) invalidates everything
    if time.time_ns() - newest < RACY_NS:
        return None
    return digest.hexdigest()


def load(cache_key: str) -> dict | None:
    try:
        return json.loads((cache_dir() / "lint" / f"{cache_key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(cache_key: str, result: dict) -> None:
    """Store a result; a cache that cannot be written is silently skipped (it is only a cache)."""
    folder = cache_dir() / "lint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-20]:
            old.unlink(missing_ok=True)  # keep the 20 most recent results
        tmp = folder / f".{cache_key}.tmp"
        tmp.write_text(json.dumps(result), encoding="utf-8")
        os.replace(tmp, folder / f"{cache_key}.json")
    except OSError:
        pass
