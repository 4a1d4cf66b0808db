"""`kscb status`: what changed since the last save, record by record, with its lint state."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import typer

from kscb_cli.cli.common import AsOfOpt, Format, StoreOpt, format_option, open_store, today

if TYPE_CHECKING:
    from kscb_cli.editing.save import FileChange, Status


def status(
    format: Format = format_option(Format.text, Format.json, default=Format.text),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """What changed since the last save: each new, edited or deleted record with its lint state.

    Edited records list their changed fields. Only the store's own files count (records/,
    kscb.yaml, templates/, schemas/, .gitignore); private/ never does. Exit status 1 when
    a change has an error that would stop `kscb save`.

    \b
    Examples:
      kscb status
      kscb status --format json
    """
    from kscb_cli.editing.save import status as run

    day = today(as_of)
    result = run(open_store(store), day)
    if format is Format.json:
        doc = {
            "changes": [c.as_dict() for c in result.changes],
            "diagnostics": [d.as_dict() for d in result.diagnostics],
            "private_tracked": result.private_tracked,
            "saved_before": result.saved,
        }
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    else:
        _text(result)
    raise typer.Exit(1 if result.blocking else 0)


def _lint_state(change: FileChange) -> str:
    if change.state == "deleted" or not change.is_record:
        return ""
    if not change.errors and not change.warnings:
        return "ok"
    parts = []
    if change.errors:
        parts.append(f"{change.errors} error{'s' * (change.errors != 1)}")
    if change.warnings:
        parts.append(f"{change.warnings} warning{'s' * (change.warnings != 1)}")
    return ", ".join(parts)


def _text(result: Status) -> None:
    from kscb_cli.reporting.reporters.lint import diagnostics_to_stderr

    out = sys.stdout
    for rel in result.private_tracked:
        sys.stderr.write(f"kscb: WARNING: git tracks {rel}; private/ must never be committed — see docs/purge.md\n")
    if not result.changes:
        out.write(
            "nothing to save: the store is as it was at the last save\n"
            if result.saved
            else "nothing saved yet, and no store files to save\n"
        )
        return
    records = [c for c in result.changes if c.is_record]
    others = [c for c in result.changes if not c.is_record]
    out.write(
        f"{'changes since the last save' if result.saved else 'not saved yet'}: "
        f"{len(records)} record{'s' * (len(records) != 1)}"
        + (f", {len(others)} other file{'s' * (len(others) != 1)}" if others else "")
        + "\n"
    )
    width = max(len(c.record_id or c.rel) for c in result.changes)
    for change in result.changes:
        name = change.record_id if change.is_record else change.rel
        state = _lint_state(change)
        line = f"  {change.state:<8} {name:<{width}}"
        if change.is_record:
            line += f"  {change.rel}"
        if state:
            line += f"  {state}"
        out.write(line.rstrip() + "\n")
        for text in change.fields[:8]:
            out.write(f"      {text}\n")
        if len(change.fields) > 8:
            out.write(f"      … and {len(change.fields) - 8} more\n")
    if result.blocking:
        diagnostics_to_stderr(result.blocking)
    if result.blocking:
        out.write('fix the errors, then `kscb save "what you did"`\n')
    else:
        out.write('save them with `kscb save "what you did"`\n')
