"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import KscbError

StoreOpt = typer.Option(None, "--store", metavar="DIR", help="The store root (default: KSCB_STORE, else the nearest folder with kscb.yaml).", show_default=False)
AsOfOpt = typer.Option(None, "--as-of", metavar="DATE", help="Treat this date (YYYY-MM-DD) as today (default: KSCB_TODAY, else today).", show_default=False)

CommitOpt = typer.Option(False, "--commit", help="Commit just this file, with a message saying what changed (other staged work is left alone).")


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"


def parse_date(value: Optional[str], option: str) -> Optional[date]:
    """A date option (None stays None); anything else is a usage error naming the option."""
    if value is None:
        return None
    from ..dates import date_hint

    problem = date_hint(value)
    if problem is not None:
        raise KscbError(f"{option} {problem}")
    return date.fromisoformat(value.strip())


def today(as_of: Optional[str]) -> date:
    """'Today' for every date-dependent path: --as-of, else KSCB_TODAY, else the system date."""
    raw = as_of or os.environ.get("KSCB_TODAY")
    if not raw:
        return date.today()
    return parse_date(raw, "--as-of" if as_of else "KSCB_TODAY")


def open_store(store: Optional[str], start: Optional[Path] = None):
    """Find the store root and load every record."""
    from ..config import find_root, load_config
    from ..store import load_store

    root = find_root(start, store)
    return load_store(root, load_config(root))


def split(values: Optional[list[str]]) -> list[str]:
    """Accept repeated options and comma-separated lists alike."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def require_identity(root: Path) -> None:
    """Refuse before writing anything when git could not record who made a commit."""
    from ..save import identity_problem

    problem = identity_problem(root)
    if problem:
        raise KscbError(problem + "\nthen run the command again (nothing was written)")
