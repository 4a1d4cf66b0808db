"""`kscb set` and `kscb add`: edit a record in place, keeping its comments and layout."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, CommitOpt, StoreOpt, open_store, require_identity, today

if TYPE_CHECKING:
    from kscb_cli.editing.edit import Edit

DryRunOpt = typer.Option(False, "--dry-run", help="Print the change as a diff and write nothing.")


def _writing(store: str | None, dry_run: bool) -> AbstractContextManager[object]:
    """The store's write lock around read-compare-write (none for a dry run, which writes nothing)."""
    import contextlib

    from kscb_cli.base.atomic import locked
    from kscb_cli.store.config import find_root

    if dry_run:
        return contextlib.nullcontext()
    return locked(find_root(None, store))


def _finish(edit: Edit, *, commit: bool, dry_run: bool) -> None:
    from kscb_cli.editing.edit import write
    from kscb_cli.reporting.reporters.lint import diagnostics_to_stderr

    if not edit.changed:
        sys.stderr.write(f"kscb: {edit.rel} already says that; nothing to change\n")
        return
    if dry_run:
        sys.stdout.write(edit.diff())
        return
    if commit:
        require_identity(edit.root)
    sha = write(edit, commit=commit)
    sys.stderr.write(f"kscb: {edit.target} {', '.join(edit.summary)} ({edit.rel})\n")
    if edit.forced:
        sys.stderr.write(f"kscb: forced: {'; '.join(edit.forced)} — {edit.reason}\n")
    if sha:
        sys.stderr.write(f"kscb: committed {sha[:10]}\n")
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
    from kscb_cli.editing.edit import plan_set

    if reason and not force:
        raise KscbError("--reason goes with --force; drop it, or add --force for a status jump")
    if force and not commit and not dry_run:
        # the reason lives in the commit message: without one it would be lost
        raise KscbError(
            "--force --reason records the reason in a commit; add --commit (or --dry-run to preview the change)"
        )
    day = today(as_of)
    with _writing(store, dry_run):
        loaded = open_store(store)
        edit = plan_set(loaded, target, list(assignments), today=day, force=force, reason=reason)
        _finish(edit, commit=commit, dry_run=dry_run)


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
    from kscb_cli.editing.edit import plan_add

    day = today(as_of)
    with _writing(store, dry_run):
        loaded = open_store(store)
        edit = plan_add(loaded, target, list_field, list(values), today=day)
        _finish(edit, commit=commit, dry_run=dry_run)
