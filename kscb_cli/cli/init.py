"""`kscb init`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def init(
    directory: Path = typer.Argument(Path("."), help="Where to create the store.", metavar="[DIR]"),
    name: Optional[str] = typer.Option(None, "--name", help="The partnership's full name.", show_default=False),
    short_name: Optional[str] = typer.Option(None, "--short-name", help="Its abbreviation, e.g. NSCP.", show_default=False),
    area: Optional[str] = typer.Option(None, "--area", help="The area it serves.", show_default=False),
    hook: Optional[bool] = typer.Option(None, "--hook/--no-hook", help="Install a git pre-commit hook running `kscb guard` (asked on a terminal).", show_default=False),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; use defaults."),
) -> None:
    """Start a new store: kscb.yaml, record folders, schemas, a git-ignored deny-list and a git repository."""
    from ..init import init_store, install_hook

    ask = sys.stdin.isatty() and not no_input
    if name is None:
        name = typer.prompt("Partnership name", default="Example Safeguarding Children Partnership") if ask else "Example Safeguarding Children Partnership"
    if short_name is None:
        default = "".join(w[0] for w in name.split() if w[:1].isupper()) or "SCP"
        short_name = typer.prompt("Short name", default=default) if ask else default
    if area is None:
        default = name.split()[0]
        area = typer.prompt("Area", default=default) if ask else default
    result = init_store(directory, name=name, short_name=short_name, area=area)
    typer.echo(f"created a kscb store in {result.root}: {', '.join(result.created)}", err=True)
    if result.git_initialised:
        typer.echo("initialised a git repository", err=True)
    if hook is None:
        hook = typer.confirm("Install a git pre-commit hook that refuses personal data (kscb guard)?", default=True) if ask else False
    if hook:
        path = install_hook(result.root)
        typer.echo(f"installed {path}", err=True)
    typer.echo(f"next: add names that must never appear to {result.root / 'private' / 'denylist.txt'}, then `kscb new review`", err=True)
