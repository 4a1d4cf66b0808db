"""`kscb today` as table sections (kscb_cli.reporting.today computes; this lays it out)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.reporting.reporters.table import BRAG_STYLE, Section
from kscb_cli.reporting.today import Today

_DUE_STYLE = {"overdue": "bold red", "due today": "bold yellow", "due soon": "yellow"}
_CHANGED_COLUMNS = [("status", "change"), ("path", "file")]


def _working_days(value: Any, row: dict[str, Any]) -> str:
    if value < 0:
        return f"{-value} overdue"
    return "today" if value == 0 else f"in {value}"


def _due_style(row: dict[str, Any], key: str) -> str | None:
    return _DUE_STYLE.get(row["state"]) if key in ("state", "ref") else None


def _error_style(row: dict[str, Any], key: str) -> str | None:
    return "bold red" if key == "ref" else None


def _stale_style(row: dict[str, Any], key: str) -> str | None:
    return BRAG_STYLE["amber"] if key == "plan" else None


def sections(view: Today) -> list[Section]:
    """What is due, the records with errors, the stale plans, and what changed since the last commit."""
    return [_due(view), _errors(view), _stale(view), _changed(view)]


def meta(view: Today, day: date) -> dict[str, Any]:
    """The page's settings, for json and yaml."""
    return {
        "as_of": day.isoformat(),
        "horizon": view.horizon.isoformat(),
        "window": view.window,
        "git": view.git,
        "last_commit": view.last_commit,
        "files_unreadable": view.files_unreadable,
    }


def _due(view: Today) -> Section:
    due = [
        {
            "due": d.due.isoformat(),
            "what": d.what,
            "ref": d.ref,
            "state": d.state,
            "days": d.days,
            "working_days": d.working_days,
            "detail": d.detail,
        }
        for d in view.due
    ]
    overdue = sum(1 for d in view.due if d.state == "overdue")
    return Section(
        "due",
        [
            ("due", "due"),
            ("state", "state"),
            ("working_days", "working days"),
            ("what", "what"),
            ("ref", "ref"),
            ("detail", "detail"),
        ],
        due,
        title=f"Overdue or due by {view.horizon.isoformat()} ({view.window} working days): {len(due)}, {overdue} overdue",
        style=_due_style,
        show={"working_days": _working_days},
        right=("working_days",),
        keep=("ref", "due"),
    )


def _errors(view: Today) -> Section:
    errors = [{"ref": e.ref, "path": e.path, "errors": e.errors, "first": e.first} for e in view.errors]
    return Section(
        "errors",
        [("ref", "record"), ("errors", "errors"), ("first", "first error")],
        errors,
        title=f"Records with errors: {len(errors)}"
        + (f" ({view.files_unreadable} files could not be read)" if view.files_unreadable else "")
        + (" — kscb lint shows them all" if errors else ""),
        style=_error_style,
        right=("errors",),
        keep=("ref",),
    )


def _stale(view: Today) -> Section:
    stale = [
        {
            "plan": p.plan,
            "open": p.open_actions,
            "stale": p.stale_actions,
            "last_update": p.last_update.isoformat() if p.last_update else None,
            "days": p.days,
        }
        for p in view.stale
    ]
    return Section(
        "stale_plans",
        [
            ("plan", "plan"),
            ("stale", "stale actions"),
            ("open", "open actions"),
            ("last_update", "last update"),
            ("days", "days since"),
        ],
        stale,
        title=f"Stale action plans (no update for {view.stale_days} days): {len(stale)}",
        style=_stale_style,
        right=("stale", "open", "days"),
        keep=("plan",),
    )


def _changed(view: Today) -> Section:
    if not view.git:
        return Section(
            "changed", list(_CHANGED_COLUMNS), [], title="Changed since the last commit: not a git repository"
        )
    changed = [{"status": c.status, "path": c.path} for c in view.changed]
    last = view.last_commit if view.last_commit is None or len(view.last_commit) <= 60 else view.last_commit[:59] + "…"
    since = f"the last commit ({last})" if last else "the start (nothing committed yet)"
    return Section(
        "changed",
        list(_CHANGED_COLUMNS),
        changed,
        title=f"Changed since {since}: {len(changed)}" + (" — kscb lint, then commit" if changed else ""),
    )
