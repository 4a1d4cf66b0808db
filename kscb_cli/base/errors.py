"""User errors: one exception family, caught once at the edge (exit 2). Anything else is a bug."""

from __future__ import annotations

from typing import Any


class KscbError(Exception):
    """A problem the user can fix: no store, bad arguments, an invalid kscb.yaml."""

    exit_code = 2

    def __init__(self, message: str, *, diagnostics: list[Any] | None = None):
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []
