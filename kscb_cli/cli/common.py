"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kscb_cli.base.errors import KscbError

if TYPE_CHECKING:
    from kscb_cli.store.store import Store

StoreOpt = typer.Option(
    None,
    "--store",
    metavar="DIR",
    help="The store root (default: KSCB_STORE, else the nearest folder with kscb.yaml).",
    show_default=False,
)
AsOfOpt = typer.Option(
    None,
    "--as-of",
    metavar="DATE",
    help="Treat this date (YYYY-MM-DD) as today (default: KSCB_TODAY, else today).",
    show_default=False,
)

CommitOpt = typer.Option(
    False,
    "--commit",
    help="Commit just this file, with a message saying what changed (other staged work is left alone).",
)


class Format(str, Enum):
    """Every --format any command takes; each command takes the few :func:`format_option` names."""

    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    yaml = "yaml"
    markdown = "markdown"
    github = "github"
    gitlab = "gitlab"


def format_option(*allowed: Format, default: Format, help: str = "Output format.") -> Any:
    """``--format``/``-f`` taking only ``allowed`` (help and errors list just those), as a :class:`Format`."""
    names = [f.value for f in allowed]
    if default not in allowed:
        raise ValueError(f"default {default.value!r} is not among {names}")

    def parse(value: Format | str) -> Format:
        if isinstance(value, Format) and value in allowed:
            return value
        if value in names:
            return Format(value)
        raise typer.BadParameter(f"Value error, {value!r} is not one of {', '.join(map(repr, names))}.")

    return typer.Option(default, "--format", "-f", help=help, parser=parse, metavar="<" + "|".join(names) + ">")


def audience_option(help: str) -> Any:
    """``--audience``, one of base.audiences.AUDIENCES (default partnership), as its name."""
    from kscb_cli.base.audiences import AUDIENCES

    def parse(value: str) -> str:
        if value in AUDIENCES:
            return value
        raise typer.BadParameter(f"Value error, {value!r} is not one of {', '.join(map(repr, AUDIENCES))}.")

    return typer.Option("partnership", "--audience", help=help, parser=parse, metavar="<" + "|".join(AUDIENCES) + ">")


def parse_date(value: str | None, option: str) -> date | None:
    """A date option (None stays None); anything else is a usage error naming the option."""
    if value is None:
        return None
    from kscb_cli.base.dates import date_hint

    problem = date_hint(value)
    if problem is not None:
        raise KscbError(f"{option} {problem}")
    return date.fromisoformat(value.strip())


def today(as_of: str | None) -> date:
    """'Today' for every date-dependent path: --as-of, else KSCB_TODAY, else the system date."""
    raw = as_of or os.environ.get("KSCB_TODAY")
    if not raw:
        return date.today()
    day = parse_date(raw, "--as-of" if as_of else "KSCB_TODAY")
    assert day is not None  # raw is not empty
    return day


@contextmanager
def open_records(store: str | None, *, positions: bool = False, start: Path | None = None) -> Iterator[Store]:
    """Find the store and open it (``Store.open``) for one command; on the way out, say on
    stderr which records could not be read (kscb_cli.store.unread), whatever the command printed.

    Without `positions`, unchanged files come from the parsed-record cache. While the command
    runs, the loaded store is kept out of the garbage collector's sight (``gc.freeze``): it
    lives until the command ends, and re-walking its millions of objects on every allocation
    burst made a 10,000-record store 2-3x slower. The freeze is undone on the way out, for
    callers that run commands in one process (tests).
    """
    import gc

    from kscb_cli.store.config import find_root, load_config
    from kscb_cli.store.store import Store

    root = find_root(start, store)
    loaded = Store.open(root, config=load_config(root), positions=positions)
    gc.freeze()
    try:
        yield loaded
    finally:
        gc.unfreeze()
        say_unread(loaded)


def open_store(store: str | None, start: Path | None = None) -> Store:
    """Find the store and open it with positions, for the commands that write (set, add)."""
    from kscb_cli.store.config import find_root, load_config
    from kscb_cli.store.store import Store

    root = find_root(start, store)
    return Store.open(root, config=load_config(root))


def say_unread(store: Store) -> None:
    """Print on stderr which records could not be read in full (nothing when all were)."""
    from kscb_cli.store.unread import stderr_lines

    for line in stderr_lines(store):
        typer.echo(f"kscb: {line}", err=True)


def split(values: list[str] | None) -> list[str]:
    """Accept repeated options and comma-separated lists alike."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def require_identity(root: Path) -> None:
    """Refuse before writing anything when git could not record who made a commit."""
    from kscb_cli.editing.save import require_identity as refuse_without_identity

    refuse_without_identity(root)


class ColorChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


ColumnsOpt = typer.Option(
    None,
    "--columns",
    "-c",
    help="Columns to show in the table, comma-separated (keys or headers), or 'all'.",
    show_default=False,
)
WideOpt = typer.Option(
    False,
    "--wide",
    help="On a terminal, print every column whole on one line instead of fitting the width (as a pipe does).",
)
ColorOpt = typer.Option(
    ColorChoice.auto, "--color", help="Colour the table: auto (a terminal without NO_COLOR), always or never."
)


def color_flag(choice: ColorChoice) -> bool | None:
    """--color as emit() takes it: None follows the terminal and NO_COLOR."""
    return {"always": True, "never": False}.get(getattr(choice, "value", choice))
