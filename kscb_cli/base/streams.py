"""A text stream that stands in front of another and passes everything else on to it.

`reporting.terminal.SafeStream` (escaping and masking what kscb prints) and
`cli.answers.Recorder` (keeping a copy for the answer cache) differ only in what `write`
does; the rest of the text-stream surface is this one class. Standard library only: the
answer cache imports it before anything heavy.
"""

from __future__ import annotations

import io
from typing import Any, TextIO


class PassingStream(io.TextIOBase):
    """Everything but `write` is the stream beneath's (`self._stream`)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    @property
    def buffer(self) -> Any:
        return self._stream.buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
