"""`kscb init`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kscb_cli.base.paths import DENYLIST, RECORDS, TEMPLATES
from kscb_cli.cli.prompts import ask_text, ask_yes_no


def init(
    directory: Path = typer.Argument(Path("."), help="Where to create the store.", metavar="[DIR]"),
    name: str | None = typer.Option(None, "--name", help="The partnership's full name.", show_default=False),
    short_name: str | None = typer.Option(
        None, "--short-name", help="Its abbreviation, e.g. NSCP.", show_default=False
    ),
    area: str | None = typer.Option(None, "--area", help="The area it serves.", show_default=False),
    hook: bool | None = typer.Option(
        None,
        "--hook/--no-hook",
        help="Install a git pre-commit hook running `kscb guard` (asked on a terminal).",
        show_default=False,
    ),
    ci: bool = typer.Option(
        True, "--ci/--no-ci", help="Write a GitHub Actions workflow and a GitLab CI file that lint every push."
    ),
    ci_install: str | None = typer.Option(
        None,
        "--ci-install",
        metavar="REQUIREMENT",
        help="What CI pip-installs to get kscb: a version (kscb==0.1.0, the default), a git URL or a wheel in the repository.",
        show_default=False,
    ),
    commit: bool = typer.Option(
        True, "--commit/--no-commit", help="Make the first commit holding every file init made."
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; use defaults."),
) -> None:
    """Start a new store in one step, ending in a first commit.

    Makes kscb.yaml, the record folders, JSON Schemas, VS Code settings that check records
    against them, a .gitignore (private/, caches), a git-ignored private/denylist.txt, a
    GitHub Actions workflow and a GitLab CI file (lint with annotations, schema check), a
    git repository, the pre-commit hook if asked, and one commit holding every file it made.
    Refuses a folder that is already a store, and never overwrites a file.

    \b
    Examples:
      kscb init northdale
      kscb init . --name "Northdale Safeguarding Children Partnership" --short-name NSCP --area Northdale --no-input --hook
    """
    from kscb_cli.editing.init import init_store

    ask = sys.stdin.isatty() and not no_input
    if name is None:
        default = "Example Safeguarding Children Partnership"
        name = ask_text("Partnership name", default) if ask else default
    if short_name is None:
        default = "".join(w[0] for w in name.split() if w[:1].isupper()) or "SCP"
        short_name = ask_text("Short name", default) if ask else default
    if area is None:
        default = name.split()[0]
        area = ask_text("Area", default) if ask else default
    if hook is None:
        hook = (
            ask_yes_no("Install a git pre-commit hook that refuses personal data (kscb guard)?", True) if ask else False
        )
    result = init_store(
        directory, name=name, short_name=short_name, area=area, ci=ci, install=ci_install, commit=commit, hook=hook
    )
    if result.git_initialised:
        typer.echo("kscb: initialised a git repository", err=True)
    if result.hook:
        typer.echo(f"kscb: installed the pre-commit hook {result.hook}", err=True)
    typer.echo(f"created a kscb store in {result.root}")
    for rel in result.created:
        if not rel.startswith("schemas/"):
            typer.echo(f"  {rel}")
    typer.echo(f"  schemas/ ({sum(1 for r in result.created if r.startswith('schemas/'))} JSON Schemas)")
    typer.echo(f"  {RECORDS}/ (one folder per kind), {TEMPLATES}/, {DENYLIST} (never committed)")
    if result.commit:
        typer.echo(f"first commit {result.commit[:10]}")
    typer.echo(
        f"next: list the names that must never appear in {Path(DENYLIST)}, then `kscb new review` or `kscb import`"
    )
