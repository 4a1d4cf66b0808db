"""Prompts that re-ask until the answer is usable: text, yes/no, choices, dates (UK dates get "did you mean")."""

from __future__ import annotations

from collections.abc import Sequence

import typer

YES = ("y", "yes")
NO = ("n", "no")


def ask_text(label: str, default: str | None = None) -> str:
    while True:
        raw: str = typer.prompt(
            label, default=default if default is not None else "", show_default=default is not None, err=True
        )
        if raw.strip():
            return raw.strip()
        typer.echo("  an answer is needed", err=True)


def ask_yes_no(label: str, default: bool | None = None) -> bool:
    hint = {True: "Y/n", False: "y/N", None: "y/n"}[default]
    while True:
        raw = typer.prompt(f"{label} [{hint}]", default="", show_default=False, err=True).strip().lower()
        if not raw and default is not None:
            return default
        if raw in YES:
            return True
        if raw in NO:
            return False
        typer.echo("  answer y (yes) or n (no)", err=True)


def check_choice(raw: str, choices: Sequence[str]) -> str | None:
    """None when `raw` is one of `choices`, else the message to show."""
    from kscb_cli.store.validate import suggest

    if raw in choices:
        return None
    return f"  not one of: {', '.join(choices)}{suggest(raw, choices)}"


def check_date(raw: str) -> str | None:
    """None when `raw` is a YYYY-MM-DD date, else the message to show (with "did you mean" for a UK date)."""
    from kscb_cli.base.dates import date_hint

    return date_hint(raw)


def ask_date(label: str, default: str | None = None) -> str:
    while True:
        answer: str = typer.prompt(f"{label} (YYYY-MM-DD)", default=default or "", show_default=bool(default), err=True)
        raw = answer.strip()
        problem = check_date(raw)
        if problem is None:
            return raw
        typer.echo(f"  {problem}", err=True)
