"""`kscb set` and `kscb add`: edit a record in place, keeping its comments and layout."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, CommitOpt, StoreOpt, today

if TYPE_CHECKING:
    from kscb_cli.editing.edit import Applied

DryRunOpt = typer.Option(False, "--dry-run", help="Print the change as a diff and write nothing.")


def _report(done: Applied, *, dry_run: bool) -> None:
    """The diff of a dry run on stdout; on stderr, what changed, what was forced, the commit and new warnings."""
    from kscb_cli.reporting.reporters.lint import diagnostics_to_stderr

    edit = done.edit
    if not edit.changed:
        sys.stderr.write(f"kscb: {edit.rel} already says that; nothing to change\n")
        return
    if dry_run:
        sys.stdout.write(edit.diff())
        return
    sys.stderr.write(f"kscb: {edit.target} {', '.join(edit.summary)} ({edit.rel})\n")
    if edit.forced:
        sys.stderr.write(f"kscb: forced: {'; '.join(edit.forced)} — {edit.reason}\n")
    if done.commit:
        sys.stderr.write(f"kscb: committed {done.commit[:10]}\n")
    if edit.warnings:
        sys.stderr.write("kscb: the record now has these warnings:\n")
        diagnostics_to_stderr(edit.warnings)


def set_(
    target: str = typer.Argument(
        ..., metavar="ID[#ITEM]", help="The record, or one item of it (AP-LCSPR-2025-001#A3).", show_default=False
    ),
    assignments: list[str] = typer.Argument(
        ...,
        metavar="FIELD=VALUE...",
        help="Fields to set; dotted for nested ones (publication.published=2025-10-15); FIELD= removes one.",
        show_default=False,
    ),
    commit: bool = CommitOpt,
    force: bool = typer.Option(
        False, "--force", help="Allow a status jump its lifecycle does not allow (needs --reason)."
    ),
    reason: str | None = typer.Option(
        None, "--reason", metavar="TEXT", help="Why a forced jump is right; recorded in the commit.", show_default=False
    ),
    dry_run: bool = DryRunOpt,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Set fields of a record or item, keeping every comment and the file's layout.

    Values are YAML: dates, true/false, numbers, [a, b] for lists, "quotes" to force text;
    anything else is taken as text exactly as typed. The edit is refused, and the file left
    untouched, if it would make the record invalid or move a status by a step its lifecycle
    does not allow.

    \b
    Examples:
      kscb set AP-LCSPR-2025-001#A3 status=complete completed=2026-04-02
      kscb set LCSPR-2025-001 publication.published=2025-11-05 --commit
      kscb set LCSPR-2025-001 status=published --force --reason "published before kscb was used"
    """
    from kscb_cli.editing.edit import set_fields

    if reason and not force:
        raise KscbError("--reason goes with --force; drop it, or add --force for a status jump")
    if force and not commit and not dry_run:
        # the reason lives in the commit message: without one it would be lost
        raise KscbError(
            "--force --reason records the reason in a commit; add --commit (or --dry-run to preview the change)"
        )
    done = set_fields(
        store,
        target,
        list(assignments),
        today=today(as_of),
        force=force,
        reason=reason,
        commit=commit,
        dry_run=dry_run,
    )
    _report(done, dry_run=dry_run)


def add(
    target: str = typer.Argument(
        ..., metavar="ID[#ITEM]", help="The record, or one item of it (AP-LCSPR-2025-001#A3).", show_default=False
    ),
    list_field: str = typer.Argument(
        ...,
        metavar="LIST-FIELD",
        help="The list to add to: updates, evidence, attendance, themes, ...",
        show_default=False,
    ),
    values: list[str] = typer.Argument(
        ...,
        metavar="KEY=VALUE...",
        help='The new entry\'s fields (date=2026-11-20 "text=..."), or plain values for a list of values.',
        show_default=False,
    ),
    commit: bool = CommitOpt,
    dry_run: bool = DryRunOpt,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Append an entry to a list in a record or item, in the style of the entries already there.

    \b
    Examples:
      kscb add AP-LCSPR-2025-001#A3 updates date=2026-11-20 "text=Form change live"
      kscb add LCSPR-2025-001 themes neglect --commit
    """
    from kscb_cli.editing.edit import add_entry

    done = add_entry(store, target, list_field, list(values), today=today(as_of), commit=commit, dry_run=dry_run)
    _report(done, dry_run=dry_run)
