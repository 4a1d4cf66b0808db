"""Atomic writes: a temporary file in the same folder, fsync, then rename. Never a half-written file."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import KscbError


class ChangedOnDisk(KscbError):
    """The file changed since it was read: writing now would lose someone else's edit."""


def write_text(path: Path, text: str, *, expect: bytes | None = None) -> None:
    """Replace `path` with `text` atomically, keeping the existing file's permissions."""
    write_bytes(path, text.encode("utf-8"), expect=expect)


def write_bytes(path: Path, data: bytes, *, expect: bytes | None = None) -> None:
    """Replace `path` atomically. With `expect`, refuse (ChangedOnDisk) unless the file still holds exactly
    those bytes just before the rename, so a change made meanwhile by another program is never overwritten."""
    path = Path(path)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expect is not None:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != expect:
                raise ChangedOnDisk(f"{path.name} changed on disk while kscb was editing it; nothing was written — run the command again to edit the new version")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def create_text(path: Path, text: str) -> None:
    """Create `path` with `text`, complete or not at all, refusing (FileExistsError) if it exists."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.link(tmp, path)  # atomic, and fails if another process created the file meanwhile
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create, then the bytes
            with open(path, "xb") as handle:
                handle.write(text.encode("utf-8"))
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
