"""Atomic writes: a temporary file in the same folder, fsync, then rename. Never a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError


class ChangedOnDisk(KscbError):
    """The file changed since it was read: writing now would lose someone else's edit."""


def write_text(path: Path, text: str, *, expect: bytes | None = None) -> None:
    """Replace `path` with `text` atomically, keeping the existing file's permissions."""
    write_bytes(path, text.encode("utf-8"), expect=expect)


def write_bytes(path: Path, data: bytes, *, expect: bytes | None = None) -> None:
    """Replace `path` atomically. With `expect`, refuse (ChangedOnDisk) unless the file still holds exactly
    those bytes just before the rename, so a change made meanwhile by another program is never overwritten."""
    path = Path(path)
    if path.is_symlink():
        # edit through the link: replace the file it points at, so the link stays a link (and the
        # record keeps the single copy the link was made to share); callers refuse links out of the store
        path = Path(os.path.realpath(path))
    if path.exists():
        if path.is_dir():
            raise KscbError(f"{path.name} is a folder, not a file; nothing was written")
        if not os.access(path, os.W_OK):
            raise KscbError(
                f"{path.name} is read-only; nothing was written — make it writable (chmod u+w {path.name}) if it should be edited, or leave it as it is"
            )
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
                raise ChangedOnDisk(
                    f"{path.name} changed on disk while kscb was editing it; nothing was written — run the command again to edit the new version"
                )
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


# --- the store's write lock -------------------------------------------------------------

LOCK_NAME = "kscb.lock"
LOCK_TIMEOUT = 60.0  # seconds a writer waits for another before giving up (KSCB_LOCK_TIMEOUT)

_held: dict[str, list[Any]] = {}  # lock file -> [fd, depth]: the lock is re-entrant within one process
_held_guard = __import__("threading").Lock()


class LockTimeout(KscbError):
    """Another kscb command kept the store's write lock for longer than we wait."""


def lock_path(root: Path) -> Path:
    """Where the store's lock file lives: inside the git directory when there is one (never seen by
    `git status`), else `.kscb.lock` in the store root (kscb init git-ignores it)."""
    root = Path(root)
    dotgit = root / ".git"
    if dotgit.is_dir():
        return dotgit / LOCK_NAME
    if dotgit.is_file():  # a worktree or submodule: `gitdir: <path>`
        try:
            line = dotgit.read_text(encoding="utf-8").strip()
        except OSError:
            line = ""
        if line.startswith("gitdir:"):
            gitdir = Path(line[len("gitdir:") :].strip())
            gitdir = gitdir if gitdir.is_absolute() else root / gitdir
            if gitdir.is_dir():
                return gitdir / LOCK_NAME
    return root / f".{LOCK_NAME}"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextlib.contextmanager
def locked(root: Path, *, timeout: float | None = None) -> Iterator[Path]:
    """Hold the store's exclusive write lock while reading, checking and writing records.

    Every writer (`set`, `add`, `new`, `init`, `import`) takes it around its whole
    read-compare-write, so two writers never interleave: the second waits (up to `timeout`
    seconds, default KSCB_LOCK_TIMEOUT or 60) and then reads what the first wrote, or gives up
    with LockTimeout (exit 2) — never a silently lost edit. The lock is an `flock` on a lock
    file that is never replaced or deleted (a lock on a renamed record would guard nothing);
    the operating system releases it when the process ends, so a killed writer leaves no stale
    lock. Re-entrant within one process. Yields the lock file's path.
    """
    import time

    path = lock_path(root)
    key = str(path)
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held[1] += 1
    if held is not None:
        try:
            yield path
        finally:
            with _held_guard:
                held[1] -= 1
        return
    if timeout is None:
        try:
            timeout = float(os.environ.get("KSCB_LOCK_TIMEOUT", LOCK_TIMEOUT))
        except ValueError:
            timeout = LOCK_TIMEOUT
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o666)  # an OSError (unwritable folder) is an environment error: exit 2
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"another kscb command has been writing to this store for over {timeout:g}s (lock file {path}); "
                    "wait for it to finish and run the command again"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        with _held_guard:
            _held[key] = [fd, 1]
        try:
            yield path
        finally:
            with _held_guard:
                del _held[key]
    finally:
        os.close(fd)  # closing the descriptor releases the lock
