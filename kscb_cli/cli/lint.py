"""`kscb lint` and `kscb rules`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, Format, StoreOpt, format_option, split, today


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
    for p in paths or ():
        if not p.exists():
            raise KscbError(f"{p}: no such file or folder")
    from kscb_cli.store import cache as lint_cache
    from kscb_cli.store.config import find_root

    day = today(as_of)
    start = (paths[0] if paths[0].is_dir() else paths[0].parent) if paths else None
    root = find_root(start, store)
    for p in paths or ():
        real = p.resolve() if p.is_dir() else p.absolute().parent.resolve() / p.name
        if real != root and root not in real.parents:
            # reporting on nothing would pass silently
            raise KscbError(
                f"{p}: not inside the store at {root}; lint a file or folder of that store, or pass --store"
            )
    options = {
        "paths": sorted(str(p.absolute()) for p in paths or ()),
        "select": split(select),
        "ignore": split(ignore),
        "today": day.isoformat(),
    }
    cache_key = lint_cache.key(root, options) if cache else None
    cached = lint_cache.load(cache_key) if cache_key else None
    if cached is not None:
        from kscb_cli.base.diagnostics import LintResult

        result = LintResult.from_dict(cached)
    else:
        from kscb_cli.lint.linter import lint as run
        from kscb_cli.reporting.reporters.progress import progress
        from kscb_cli.store.config import load_config
        from kscb_cli.store.store import Store

        loaded = Store.open(root, config=load_config(root))
        with progress("Linting", len(loaded.entries)) as advance:
            result = run(loaded, today=day, paths=paths, select=split(select), ignore=split(ignore), progress=advance)
        if cache_key:
            lint_cache.save(cache_key, result.as_dict())
    if history:
        result = _with_history(result, root, paths)
    raise typer.Exit(_report(result, format, root, day, strict))


def _with_history(result, root: Path, paths: list[Path] | None):
    """The result plus a warning for every commit whose status change broke a lifecycle."""
    from kscb_cli.base import gitio
    from kscb_cli.base.diagnostics import LintResult
    from kscb_cli.history import check_history

    gitio.require_repo(root)
    if gitio.is_shallow(root):
        typer.echo(
            "kscb: this clone is shallow, so the history checked is incomplete (git fetch --unshallow)", err=True
        )
    found = check_history(root)
    if paths:
        wanted = [p.resolve() for p in paths]
        found = [
            d
            for d in found
            if any((root / d.path).resolve() == w or w in (root / d.path).resolve().parents for w in wanted)
        ]
    diagnostics = sorted(result.diagnostics + found)
    counts = {s: sum(1 for d in diagnostics if d.severity.value == s) for s in ("error", "warning")}
    return LintResult(diagnostics, result.files, result.rules + 1, counts)


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


def _report(result, format: Format, root: Path, day, strict: bool) -> int:
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
