"""A diagnostic: one problem at one address."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "name": self.name,
            "message": self.message,
            "record": self.record,
        }


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    files: int
    rules: int
    counts: dict[str, int] = field(default_factory=dict)

    def exit_code(self, strict: bool = False) -> int:
        failing = {Severity.error, Severity.warning} if strict else {Severity.error}
        return 1 if any(d.severity in failing for d in self.diagnostics) else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "diagnostics": [d.as_dict() for d in self.diagnostics],
            "files": self.files,
            "rules": self.rules,
            "counts": self.counts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LintResult:
        diags = [Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in data["diagnostics"]]
        return cls(diags, data["files"], data["rules"], data["counts"])
