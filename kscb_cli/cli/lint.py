"""`kscb lint` and `kscb rules`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, Format, StoreOpt, format_option, split, today

if TYPE_CHECKING:
    from kscb_cli.base.diagnostics import LintResult


def lint(
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders to report on (default: the whole store).", show_default=False, metavar="[PATH]..."
    ),
    format: Format = format_option(Format.text, Format.json, Format.github, Format.gitlab, default=Format.text),
    select: list[str] | None = typer.Option(
        None,
        "--select",
        metavar="RULES",
        help="Only these rules: codes, families (R, D) or names; comma-separated or repeated.",
        show_default=False,
    ),
    ignore: list[str] | None = typer.Option(
        None, "--ignore", metavar="RULES", help="Skip these rules: codes, families or names.", show_default=False
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    staged: bool = typer.Option(False, "--staged", help="Check only what is staged in git (as `kscb guard`)."),
    cache: bool = typer.Option(
        True, "--cache/--no-cache", help="Reuse the last result when nothing it depends on has changed."
    ),
    history: bool = typer.Option(
        False, "--history", help="Also check the status transitions recorded in git (as `kscb history --check`)."
    ),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Validate every record: schema, references, dates, required fields, vocabularies and data protection.

    Exit status: 0 clean, 1 findings at a failing severity, 2 could not run, 3 internal error.

    \b
    Examples:
      kscb lint
      kscb lint records/action-plans --strict
      kscb lint --format github --as-of 2026-03-31
      kscb lint --select P --history
    """
    if staged:
        return guard(format=format, ignore=ignore, strict=strict, as_of=as_of, store=store)
    from kscb_cli.lint.linter import locate, run
    from kscb_cli.reporting.reporters.progress import progress

    history_check = None
    if history:
        from kscb_cli.history import check_history

        history_check = check_history
    root = locate(paths, store)
    day = today(as_of)
    linted = run(
        root,
        today=day,
        paths=paths,
        select=split(select),
        ignore=split(ignore),
        use_cache=cache,
        history_check=history_check,
        progress=lambda total: progress("Linting", total),
    )
    for note in linted.notes:
        typer.echo(note, err=True)
    raise typer.Exit(_report(linted.result, format, linted.root, day, strict))


def guard(
    format: Format = format_option(Format.text, Format.json, Format.github, Format.gitlab, default=Format.text),
    ignore: list[str] | None = typer.Option(
        None, "--ignore", metavar="RULES", help="Skip these rules: codes, families or names.", show_default=False
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Check the records staged in git before they are committed (the pre-commit hook runs this).

    Reads the staged content, not the working tree, and runs every rule that needs no other
    record: files, schema, dates, statuses, vocabularies and data protection. Deny-listed
    terms are never printed.

    \b
    Examples:
      kscb guard
      kscb guard --format json
    """
    from kscb_cli.lint.guard import guard as run_guard
    from kscb_cli.store.config import find_root, load_config

    day = today(as_of)
    root = find_root(None, store)
    result = run_guard(root, load_config(root), day, ignore=split(ignore))
    code = _report(result, format, root, day, strict)
    if code:
        typer.echo("kscb guard: commit refused; fix the problems above, stage the files again and commit", err=True)
    raise typer.Exit(code)


def _report(result: LintResult, format: Format, root: Path, day: date, strict: bool) -> int:
    """Print the result in `format`; return the exit status."""
    from kscb_cli.reporting.reporters import lint as report

    if format is Format.json:
        report.as_json(result, as_of=day.isoformat())
    elif format is Format.github:
        report.github(result, prefix=report.repo_prefix(root))
    elif format is Format.gitlab:
        report.gitlab(result, prefix=report.repo_prefix(root))
    else:
        report.text(result, color=None if sys.stdout.isatty() else False)
    return result.exit_code(strict)


def rules(code: str | None = typer.Argument(None, help="A rule code or name to explain.", show_default=False)) -> None:
    """List the lint rules, or explain one.

    \b
    Examples:
      kscb rules
      kscb rules P001
    """
    from kscb_cli.lint.rules.registry import all_rules
    from kscb_cli.store.validate import suggest

    registry = all_rules()
    if code is None:
        family = None
        for r in registry:
            if r.family.title != family:
                family = r.family.title
                typer.echo(f"\n{family}" if family != registry[0].family.title else family)
            kinds = f" ({', '.join(r.kinds)})" if r.kinds else ""
            typer.echo(f"  {r.code}  {r.name:<26} {r.severity.value:<8} {r.summary}{kinds}")
        return
    found = [r for r in registry if r.code == code.upper() or r.name == code]
    if not found:
        raise KscbError(
            f"no rule {code!r}{suggest(code, [r.code for r in registry] + [r.name for r in registry])}; `kscb rules` lists them"
        )
    r = found[0]
    typer.echo(
        f"{r.code} {r.name} ({r.severity.value}; {r.family.title}; applies to {', '.join(r.kinds) if r.kinds else 'every record'})\n"
    )
    typer.echo(r.doc)  # what, then Why:, Fails:, Passes:, Fix: (kscb_cli/lint/rules/rule.py)
