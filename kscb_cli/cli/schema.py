"""`kscb schema`."""

from __future__ import annotations

from pathlib import Path

import typer

from kscb_cli.cli.common import StoreOpt


def schema(
    check: bool = typer.Option(False, "--check", help="Write nothing; fail (exit 1) if the schemas are stale."),
    out: Path | None = typer.Option(
        None, "--out", help="Folder to write to (default: schemas/ at the store root).", show_default=False
    ),
    store: str | None = StoreOpt,
) -> None:
    """Write one JSON Schema per record kind into schemas/, for editor completion and hover help.

    \b
    Examples:
      kscb schema
      kscb schema --check
    """
    from kscb_cli.model.schema import stale, write
    from kscb_cli.store.config import find_root

    folder = out or find_root(None, store) / "schemas"
    if check:
        names = stale(folder)
        for name in names:
            typer.echo(f"{folder / name}: stale; run `kscb schema` to regenerate", err=True)
        if names:
            raise typer.Exit(1)
        typer.echo(f"{folder}: schemas are up to date", err=True)
        return
    changed = write(folder)
    typer.echo(
        f"{folder}: {len(changed)} schema(s) written" if changed else f"{folder}: schemas already up to date", err=True
    )
