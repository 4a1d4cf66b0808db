"""`kscb publish-check`."""

from __future__ import annotations

import json

import typer

from kscb_cli.cli.common import AsOfOpt, StoreOpt, open_records, today


def publish_check(
    record_id: str = typer.Argument(..., metavar="ID", help="A review or briefing id."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Check everything that would block publishing a review or briefing, and print a checklist.

    Data protection (detectors, deny-list, pseudonyms), validity, classification, legal
    clearance, the notice to the Panel 7 working days before, and that the family was told.
    Exit 1 when anything blocks publication.

    \b
    Examples:
      kscb publish-check LCSPR-2025-001
      kscb publish-check 7MB-2026-001 --as-of 2026-02-01
    """
    from kscb_cli.base.errors import KscbError
    from kscb_cli.lint.publish import publish_check as run

    if format not in ("text", "json"):
        raise KscbError(f"--format {format!r}: use text or json")
    with open_records(store, positions=True) as loaded:
        checks = run(loaded, record_id, today(as_of))
    blocked = [c for c in checks if c.blocking and not c.ok]
    if format == "json":
        doc = {
            "record": record_id,
            "ready": not blocked,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
        }
        typer.echo(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for c in checks:
            typer.echo(f"[{'x' if c.ok else ' '}] {c.name}: {c.detail}")
        typer.echo(f"{record_id}: {'ready to publish' if not blocked else f'not ready ({len(blocked)} blocking)'}")
    raise typer.Exit(1 if blocked else 0)
