"""A diagnostic: one problem at one address."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    off = "off"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """`path:line:col: CODE message`. Orders by file, then position, then code."""

    path: str  # relative to the store root, with forward slashes
    line: int
    col: int
    code: str
    severity: Severity
    name: str
    message: str
    record: str | None = None  # the record id, when known

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data
