"""The json lint report writes its diagnostics by hand (the indenting encoder is pure Python):
byte for byte what json.dumps writes."""

from __future__ import annotations

import io
import json

from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity
from kscb_cli.reporting.reporters import lint as report


def _result(diagnostics: list[Diagnostic]) -> LintResult:
    errors = sum(d.severity is Severity.error for d in diagnostics)
    return LintResult(diagnostics, 3, 40, {"error": errors, "warning": len(diagnostics) - errors})


def _expected(result: LintResult, as_of: str) -> str:
    doc = {
        "schema_version": report.JSON_SCHEMA_VERSION,
        "tool": {"name": "kscb", "version": report.__version__},
        "as_of": as_of,
        "summary": {
            "errors": result.counts.get("error", 0),
            "warnings": result.counts.get("warning", 0),
            "files": result.files,
        },
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _written(result: LintResult, as_of: str) -> str:
    out = io.StringIO()
    report.as_json(result, out, as_of=as_of)
    return out.getvalue()


def test_same_bytes_as_the_encoder() -> None:
    diagnostics = [
        Diagnostic("records/a.yaml", 3, 7, "P001", Severity.error, "personal-data", 'holds "943 *** ****"', "N-1"),
        Diagnostic("records/b é.yaml", 1, 1, "K002", Severity.warning, "clock-overdue", "tab\there — \u2028 \x1b ok"),
        Diagnostic("records/c.yaml", 10, 2, "F001", Severity.error, "yaml", "back\\slash and \ud800 lone", None),
    ]
    result = _result(diagnostics)
    assert _written(result, "2026-11-26") == _expected(result, "2026-11-26")


def test_no_diagnostics() -> None:
    result = _result([])
    assert _written(result, "2026-11-26") == _expected(result, "2026-11-26")


def test_other_values_fall_back_to_the_encoder() -> None:
    assert report._flat_rows([{"a": 1.5}]) is None
    assert report._flat_rows([{"a": True}]) is None
    assert report._flat_rows([{"b": "x", "a": 2, "c": None}]) == json.dumps(
        [{"b": "x", "a": 2, "c": None}], indent=2, sort_keys=True, ensure_ascii=False
    ).replace("\n", "\n  ")


def test_a_field_of_another_type_falls_back_to_the_dicts() -> None:
    odd = Diagnostic("records/a.yaml", True, 2, "P001", Severity.error, "personal-data", "x", "N-1")  # type: ignore[arg-type]
    assert report._flat_diagnostics([odd]) is None
    result = _result([odd, Diagnostic("records/b.yaml", 1, 1, "K002", Severity.warning, "clock-overdue", "y")])
    assert _written(result, "2026-11-26") == _expected(result, "2026-11-26")
    plain = [Diagnostic("records/c.yaml", 4, 5, "R002", Severity.error, "unknown-reference", 'say "hi"', None)]
    assert report._flat_diagnostics(plain) == report._flat_rows([d.as_dict() for d in plain])
