"""`kscb save "message"`: lint what changed, then commit it — no git knowledge needed."""

from __future__ import annotations

import sys

import typer

from kscb_cli.cli.common import AsOfOpt, StoreOpt, open_store, today


def save(
    message: str = typer.Argument(
        ..., metavar="MESSAGE", help="What you did, in a sentence: it goes into the audit trail.", show_default=False
    ),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Save your work: check every new, edited or deleted record, then commit them with MESSAGE.

    Saves records, kscb.yaml, templates/ and schemas/ — never private/. Nothing is saved
    if a changed record has an error (schema, references, dates, personal data); the errors
    are listed with how to fix each. Anything else you have staged in git is left alone.

    \b
    Examples:
      kscb save "March board: police actions updated"
      kscb status && kscb save "Added the neglect audit"
    """
    from kscb_cli.editing.save import save as run

    day = today(as_of)
    saved = run(open_store(store), message, day)
    for change in saved.changes:
        sys.stderr.write(f"kscb: {change.state} {change.record_id or change.rel}\n")
    if saved.warnings:
        n = len(saved.warnings)
        sys.stderr.write(
            f"kscb: {n} warning{'s' * (n != 1)} in what you saved (work that is behind); `kscb lint` lists them\n"
        )
    n = len(saved.changes)
    typer.echo(f"saved {n} file{'s' * (n != 1)} as {saved.commit[:10]}")
