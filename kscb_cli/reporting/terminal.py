"""What kscb prints cannot be turned against the terminal or the reader.

- **Control characters** (C0 except tab and newline, DEL, C1) from records, commit messages
  and file names could move the cursor, retitle the window, hide text or ring the bell.
  `guard_streams` wraps stdout and stderr for the whole command so every one of them is
  written as the visible escape ``\\u001b`` — in every human format, with no reporter able
  to forget. The escape is JSON's own spelling, so JSON output (which already escapes C0)
  stays exact and valid where it carries a C1 character; CSV, whose cells are data, and
  binary output write to `exact(stream)` and are left untouched; a reporter that colours
  its own output (rich, the table's SGR codes) escapes the text with `escape` and writes
  the styled result to `exact(stream)`.
- **Identifying values**: stderr carries only messages, and every message is masked
  (`mask.mask_text`: the detectors and the store's deny-list) on its way out.
- **Environment errors** (`environment_error`): an OSError becomes a sentence with the
  reason and the fix (exit 2), never "a bug in kscb".
"""

from __future__ import annotations

import contextlib
import errno
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from kscb_cli.base.streams import PassingStream

# C0 except tab and newline, DEL, and C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TABLE = {c: f"\\u{c:04x}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]}


def escape(text: str) -> str:
    """`text` with every control character but tab and newline written as ``\\uXXXX``."""
    return text.translate(_TABLE) if CONTROL.search(text) else text  # a search is far faster than translate


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


class SafeStream(PassingStream):
    """A text stream that escapes control characters (and, for messages, masks identifying values)."""

    def __init__(self, stream: TextIO, *, mask: bool = False):
        super().__init__(stream)
        self._mask = mask

    @property
    def exact(self) -> TextIO:
        """The stream beneath, for output that must be written exactly (CSV, styled text already escaped)."""
        return self._stream

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        text = s
        if self._mask:
            from kscb_cli.privacy.mask import mask_text

            text = mask_text(text)
        self._stream.write(escape(text))
        return len(s)

    @property
    def buffer(self) -> Any:
        return self._stream.buffer  # binary output (docx) is data: written as it is


def exact(stream: TextIO) -> TextIO:
    """The stream beneath a SafeStream (else `stream` itself)."""
    return getattr(stream, "exact", stream) if isinstance(stream, SafeStream) else stream


@contextlib.contextmanager
def guard_streams() -> Iterator[None]:
    """stdout and stderr as SafeStreams for the duration (stderr also masked)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = SafeStream(out) if not isinstance(out, SafeStream) else out
    sys.stderr = SafeStream(err, mask=True) if not isinstance(err, SafeStream) else err
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        sys.stdout, sys.stderr = out, err


def masked(text: str) -> str:
    from kscb_cli.privacy.mask import mask_text

    return mask_text(text)


_FIXES = {
    errno.EACCES: "check the permissions of the file or folder (ls -l), or choose another place",
    errno.EPERM: "check the permissions of the file or folder (ls -l), or choose another place",
    errno.EROFS: "the file system is read-only; choose a writable place",
    errno.ENOSPC: "the disk is full; free some space and run the command again (nothing was half-written)",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again (nothing was half-written)",
    errno.EISDIR: "that is a folder; give a file name inside it",
    errno.ENOTDIR: "a part of the path is a file, not a folder; check the path",
    errno.ENOENT: "a folder on the way does not exist; create it first (mkdir -p) or check the path",
    errno.ENAMETOOLONG: "the path is too long; choose a shorter one",
    errno.EMFILE: "too many files are open; close some programs and run the command again",
    errno.ELOOP: "the path goes round in a loop of symbolic links; check the links",
    errno.EEXIST: "something is already there; choose another name or remove it",
}


def environment_error(exc: OSError) -> str:
    """An OSError as a message: what could not be done, why, and how to fix it."""
    where = exc.filename if exc.filename is not None else None
    reason = exc.strerror or type(exc).__name__
    fix = _FIXES.get(
        exc.errno or -1, "check the path, the permissions and the free disk space, then run the command again"
    )
    place = f" {where}" if where else ""
    return f"cannot use{place}: {reason.lower() if reason[:1].isupper() and reason[1:2].islower() else reason}; {fix}"


__all__ = ["CONTROL", "SafeStream", "environment_error", "escape", "exact", "guard_streams", "has_control", "masked"]
