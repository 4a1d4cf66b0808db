"""Report lint diagnostics as text, json or GitHub workflow annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kscb_cli import __version__
from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity

JSON_SCHEMA_VERSION = 1


def text(result: LintResult, out: TextIO | None = None, *, color: bool | None = None) -> None:
    """One line per diagnostic, `path:line:col: CODE message [name]`, then a summary."""
    from rich.console import Console
    from rich.text import Text

    out = out or sys.stdout
    errors = result.counts.get("error", 0)
    warnings = result.counts.get("warning", 0)
    summary = _summary(result)
    if color is False:  # not a terminal: plain lines, written at once
        lines = [
            f"{d.path}:{d.line}:{d.col}: {d.code} {'warning: ' if d.severity is Severity.warning else ''}{d.message} [{d.name}]"
            for d in result.diagnostics
        ]
        out.write("".join(line + "\n" for line in lines + [summary]))
        return
    from kscb_cli.reporting.terminal import escape, exact

    # the text is escaped here, so rich's own colour codes can go to the stream beneath
    console = Console(file=exact(out), highlight=False, soft_wrap=True, force_terminal=color, no_color=None)
    styles = {Severity.error: "bold red", Severity.warning: "yellow"}
    for d in result.diagnostics:
        line = Text()
        line.append(f"{escape(d.path)}:{d.line}:{d.col}: ", style="bold")
        line.append(f"{d.code} ", style=styles[d.severity])
        line.append(f"{d.severity.value}: " if d.severity is Severity.warning else "")
        line.append(escape(d.message))
        line.append(f" [{d.name}]", style="dim")
        console.print(line)
    console.print(Text(summary, style="bold red" if errors else ("yellow" if warnings else "green")))


def as_json(result: LintResult, out: TextIO | None = None, *, as_of: str = "") -> None:
    """A versioned, sorted, byte-stable document."""
    out = out or sys.stdout
    doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "kscb", "version": __version__},
        "as_of": as_of,
        "summary": {
            "errors": result.counts.get("error", 0),
            "warnings": result.counts.get("warning", 0),
            "files": result.files,
        },
        "diagnostics": [],
    }
    flat = _flat_diagnostics(result.diagnostics)
    if flat is None:  # a field of another type: through the dicts
        rows = [d.as_dict() for d in result.diagnostics]
        flat = _flat_rows(rows)
        if flat is None:  # a value that is not text, a whole number or null: the encoder does it all
            doc["diagnostics"] = rows
            out.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
            return
    head = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
    out.write(head.replace('\n  "diagnostics": [],', '\n  "diagnostics": ' + flat + ",", 1) + "\n")


# One diagnostic as _flat_rows writes its as_dict(): the keys sorted, one level into the document.
_ROW = (
    "    {\n"
    + ",\n".join(f'      "{k}": %s' for k in ("code", "col", "line", "message", "name", "path", "record", "severity"))
    + "\n    }"
)


def _flat_diagnostics(diagnostics: list[Diagnostic]) -> str | None:
    """``_flat_rows([d.as_dict() for d in diagnostics])`` without making the dicts (a template a
    diagnostic; twice as fast on a large store), when every field has its declared type; else None."""
    if not diagnostics:
        return "[]"
    text = json.encoder.encode_basestring
    severities = {s: text(s.value) for s in Severity}
    out: list[str] = []
    for d in diagnostics:
        record = d.record
        if not (
            type(d.path) is str
            and type(d.line) is int
            and type(d.col) is int
            and type(d.code) is str
            and type(d.name) is str
            and type(d.message) is str
            and (record is None or type(record) is str)
            and d.severity in severities
        ):
            return None
        out.append(
            _ROW
            % (
                text(d.code),
                d.col,
                d.line,
                text(d.message),
                text(d.name),
                text(d.path),
                "null" if record is None else text(record),
                severities[d.severity],
            )
        )
    return "[\n" + ",\n".join(out) + "\n  ]"


def _flat_rows(rows: list[dict[str, Any]]) -> str | None:
    """``rows`` as ``json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False)`` writes them one
    level into a document, byte for byte, when every value is text, a whole number or null
    (the encoder is pure Python once it indents: this is several times faster); else None."""
    if not rows:
        return "[]"
    text = json.encoder.encode_basestring  # ensure_ascii=False's string encoder (the C one where built)
    out: list[str] = []
    for row in rows:
        fields: list[str] = []
        for key in sorted(row):
            value = row[key]
            if type(value) is str:
                shown = text(value)
            elif value is None:
                shown = "null"
            elif type(value) is int:
                shown = int.__repr__(value)
            else:
                return None
            if type(key) is not str:
                return None
            fields.append(f"      {text(key)}: {shown}")
        out.append("    {\n" + ",\n".join(fields) + "\n    }" if fields else "    {}")
    return "[\n" + ",\n".join(out) + "\n  ]"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def repo_prefix(store_root: Path) -> str:
    """The store root relative to its git work tree, so annotations name repository paths."""
    here = store_root.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            rel = here.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def github(result: LintResult, out: TextIO | None = None, *, prefix: str = "") -> None:
    """GitHub Actions workflow commands: one ::error or ::warning annotation per diagnostic."""
    out = out or sys.stdout
    for d in result.diagnostics:
        level = "error" if d.severity is Severity.error else "warning"
        props = f"file={_escape_property(prefix + d.path)},line={d.line},col={d.col},title={_escape_property(f'{d.code} {d.name}')}"
        out.write(f"::{level} {props}::{_escape_data(d.message)}\n")
    out.write(f"kscb: {_summary(result)}\n")


def gitlab(result: LintResult, out: TextIO | None = None, *, prefix: str = "") -> None:
    """A GitLab Code Quality report (JSON): findings shown in the merge request, on the changed lines."""
    import hashlib
    import json

    out = out or sys.stdout
    issues = []
    for d in result.diagnostics:
        path = prefix + d.path
        fingerprint = hashlib.sha256(
            f"{d.code}\0{path}\0{d.line}\0{d.message}".encode("utf-8", "surrogateescape")
        ).hexdigest()
        issues.append(
            {
                "check_name": f"{d.code} {d.name}",
                "description": f"{d.code} {d.message}",
                "fingerprint": fingerprint,
                "severity": "major" if d.severity is Severity.error else "minor",
                "location": {"path": path, "lines": {"begin": d.line}},
                "type": "issue",
                "categories": ["Bug Risk"],
            }
        )
    out.write(json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def _summary(result: LintResult) -> str:
    """`2 errors, 1 warning in 4 files`."""
    errors, warnings = result.counts.get("error", 0), result.counts.get("warning", 0)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {result.files} file{'s' * (result.files != 1)}"


def diagnostics_to_stderr(diags: list[Diagnostic], out: TextIO | None = None) -> None:
    out = out or sys.stderr
    for d in diags:
        out.write(f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}\n")
