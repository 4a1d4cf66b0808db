"""`kscb history` and `kscb changes`: the git audit trail as field-level changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, Format, StoreOpt, format_option, today

if TYPE_CHECKING:
    from kscb_cli.privacy.mask import Masker

FormatOpt = format_option(Format.text, Format.json, Format.markdown, default=Format.text)


def _warn_shallow(shallow: bool) -> None:
    if shallow:
        sys.stderr.write(
            "kscb: warning: this clone is shallow, so older history is missing; run `git fetch --unshallow` for the full audit trail\n"
        )


def history(
    target: str | None = typer.Argument(
        None, metavar="ID[#ITEM]", help="The record (or one item of it, e.g. AP-LCSPR-2025-001#A3).", show_default=False
    ),
    format: Format = FormatOpt,
    check: bool = typer.Option(
        False, "--check", help="Instead: report every commit whose status change broke its lifecycle (exit 1 if any)."
    ),
    store: str | None = StoreOpt,
) -> None:
    """Show every commit that touched a record, with the fields it changed.

    Follows renames. Items in lists are matched by id, so "A3.status: in_progress → complete"
    names the action, wherever it sits. Uncommitted changes are shown first.

    \b
    Examples:
      kscb history AP-LCSPR-2025-001#A3
      kscb history --check
    """
    from kscb_cli.base import gitio
    from kscb_cli.editing.edit import split_target
    from kscb_cli.reporting.reporters import history as report
    from kscb_cli.store.config import find_root

    root = find_root(None, store)
    gitio.require_repo(root)
    _warn_shallow(gitio.is_shallow(root))
    if check:
        from kscb_cli.history import check_history

        diags = check_history(root)
        if target:
            record_id, _ = split_target(target)
            diags = [d for d in diags if d.record == record_id]
        {Format.json: report.check_json, Format.markdown: report.check_markdown}.get(format, report.check_text)(diags)
        raise typer.Exit(1 if diags else 0)
    if not target:
        raise KscbError("give the record id (kscb history AP-LCSPR-2025-001#A3), or --check for the whole store")
    from kscb_cli.history import record_history
    from kscb_cli.store.store import record_files

    record_id, item = split_target(target)
    # the file name is the id (RECORDS.md): find it without loading the store
    files, _ = record_files(root)
    found = sorted(p.relative_to(root).as_posix() for p in files if p.name.rsplit(".", 1)[0] == record_id)
    if len(found) > 1:
        raise KscbError(
            f"{record_id} is in {len(found)} files ({', '.join(found)}); ids must be unique — remove or rename one"
        )
    from kscb_cli.privacy.mask import mask_tree

    h = record_history(root, record_id, item=item, path=found[0] if found else None)
    if h.renamed_to:
        sys.stderr.write(
            f"kscb: {record_id} was renamed to {h.renamed_to} ({h.path}); showing the history of {h.renamed_to}, which includes {record_id}'s\n"
        )
    h = mask_tree(h, history_masker(root))  # old versions and commit messages may hold what must not be echoed
    {Format.json: report.history_json, Format.markdown: report.history_markdown}.get(format, report.history_text)(h)


def changes(
    since: str = typer.Option(
        ...,
        "--since",
        metavar="DATE|REV",
        help="Start: a date YYYY-MM-DD (commits on or after it) or a commit, tag or branch (commits after it).",
    ),
    until: str | None = typer.Option(
        None,
        "--until",
        metavar="DATE|REV",
        help="End: a date or a revision (default: now, with the working tree's records).",
        show_default=False,
    ),
    format: Format = FormatOpt,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Summarise what changed in the store since a date or commit, grouped by kind.

    Records created and deleted, status changes, new findings and recommendations, actions
    completed or that became overdue, and clocks met or missed: the digest for a board meeting.

    \b
    Examples:
      kscb changes --since 2026-01-15
      kscb changes --since v2026-03-board
    """
    from kscb_cli.base import gitio
    from kscb_cli.history import changes as digest
    from kscb_cli.reporting.reporters import history as report
    from kscb_cli.store.config import find_root, load_config

    day = today(as_of)
    root = find_root(None, store)
    gitio.require_repo(root)
    # the store's root, not a loaded store: the digest reads only the records it needs (10,000 records cost seconds to load)
    from kscb_cli.privacy.mask import mask_tree

    config = load_config(root)
    d = mask_tree(digest(root, since, until, today=day, config=config), history_masker(root, config))
    _warn_shallow(d.shallow)
    for line in d.unread:
        sys.stderr.write(f"kscb: {line}\n")
    {Format.json: report.digest_json, Format.markdown: report.digest_markdown}.get(format, report.digest_text)(d)


def purge(
    values: str = typer.Option(
        ...,
        "--values",
        metavar="FILE",
        help="A file listing the values to remove, one per line (keep it under private/).",
    ),
    yes: bool = typer.Option(
        False, "--yes", help="Rewrite the history: every commit gets a new id and every clone must be made again."
    ),
    store: str | None = StoreOpt,
) -> None:
    """Remove personal data from the whole git history, with git filter-repo (docs/purge.md).

    Every value listed in the file is replaced (by ***REMOVED***, or by what follows ==> on
    its line) in every file and commit message of every commit. This rewrites history:
    every commit gets a new id, the remote must be force-pushed and every other clone
    deleted and cloned again. Without --yes, nothing is done.

    Example: kscb purge --values private/purge.txt --yes
    """
    from pathlib import Path

    from kscb_cli.base.errors import KscbError
    from kscb_cli.privacy.purge import purge as run
    from kscb_cli.store.config import find_root

    root = find_root(None, store)
    if not yes:
        raise KscbError("kscb purge rewrites the whole git history; read docs/purge.md, then run it again with --yes")
    done = run(root, Path(values))
    from kscb_cli.history import facts
    from kscb_cli.store import parsed, versions

    versions.forget(root)  # the parsed old versions kept for the audit trail may hold what was purged
    facts.forget(root)  # their facts hold no text, but ids and days of versions that no longer exist
    parsed.forget(root)  # and so may the lint's kept parses of the files before the purge
    typer.echo(
        f"kscb: {done.values} value(s) replaced in the history ({done.commits} commits rewritten with new ids); "
        "git filter-repo removed the 'origin' remote: add it back, force-push, and have everyone clone again",
        err=True,
    )


def history_masker(root: Path, config: Any = None) -> Masker:
    """What history and changes print is masked like a lint message, and person names too:
    an old version may hold a name that was later removed (the store's allow-list applies)."""
    from kscb_cli.privacy.mask import Masker
    from kscb_cli.privacy.namefinder import name_finder
    from kscb_cli.store.config import load_config

    class Once(Masker):
        """Each distinct text masked once: a digest repeats its titles, days and kinds thousands of times."""

        def __init__(self) -> None:
            super().__init__(root, names=name_finder(config if config is not None else load_config(root)))
            self.done: dict[str, str] = {}

        def __call__(self, text: str) -> str:
            if not isinstance(text, str):
                return text
            out = self.done.get(text)
            if out is None:
                out = self.done[text] = super().__call__(text)
            return text if out == text else out  # the same object when nothing was masked, as Masker does

    return Once()
