"""`kscb today`: one screen for the morning — what is due, what is broken, what is stale, what changed."""

from __future__ import annotations

import typer

from kscb_cli.cli.actions import TABLE_FORMATS, open_records
from kscb_cli.cli.common import AsOfOpt, ColorChoice, ColorOpt, Format, StoreOpt, WideOpt, color_flag, format_option
from kscb_cli.cli.common import today as today_date


def today(
    days: int = typer.Option(10, "--days", min=1, max=260, help="How many working days ahead count as due soon."),
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(*TABLE_FORMATS, default=Format.table),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """The page to open each morning: actions and clocks overdue or due in the next 10 working days,
    records with errors, stale action plans, and the record files changed since the last commit.

    Exit 0 even when something needs doing: this is a page to read, not a check (`kscb lint` is the check).

    \b
    Examples:
      kscb today
      kscb today --days 20 --format markdown
    """
    from kscb_cli.reporting.reporters.table import BRAG_STYLE, Section, emit
    from kscb_cli.reporting.today import today_view

    day = today_date(as_of)
    with open_records(store) as loaded:
        view = today_view(loaded, day, window=days)
    due_style = {"overdue": "bold red", "due today": "bold yellow", "due soon": "yellow"}

    def _days(value, row) -> str:
        if value < 0:
            return f"{-value} overdue"
        return "today" if value == 0 else f"in {value}"

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
    errors = [{"ref": e.ref, "path": e.path, "errors": e.errors, "first": e.first} for e in view.errors]
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
    changed = [{"status": c.status, "path": c.path} for c in view.changed]
    overdue = sum(1 for d in view.due if d.state == "overdue")
    sections = [
        Section(
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
            style=lambda row, key: due_style.get(row["state"]) if key in ("state", "ref") else None,
            show={"working_days": _days},
            right=("working_days",),
            keep=("ref", "due"),
        ),
        Section(
            "errors",
            [("ref", "record"), ("errors", "errors"), ("first", "first error")],
            errors,
            title=f"Records with errors: {len(errors)}"
            + (f" ({view.files_unreadable} files could not be read)" if view.files_unreadable else "")
            + (" — kscb lint shows them all" if errors else ""),
            style=lambda row, key: "bold red" if key == "ref" else None,
            right=("errors",),
            keep=("ref",),
        ),
        Section(
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
            style=lambda row, key: BRAG_STYLE["amber"] if key == "plan" else None,
            right=("stale", "open", "days"),
            keep=("plan",),
        ),
    ]
    if view.git:
        last = (
            view.last_commit if view.last_commit is None or len(view.last_commit) <= 60 else view.last_commit[:59] + "…"
        )
        since = f"the last commit ({last})" if last else "the start (nothing committed yet)"
        sections.append(
            Section(
                "changed",
                [("status", "change"), ("path", "file")],
                changed,
                title=f"Changed since {since}: {len(changed)}" + (" — kscb lint, then commit" if changed else ""),
            )
        )
    else:
        sections.append(
            Section(
                "changed",
                [("status", "change"), ("path", "file")],
                [],
                title="Changed since the last commit: not a git repository",
            )
        )
    meta = {
        "as_of": day.isoformat(),
        "horizon": view.horizon.isoformat(),
        "window": view.window,
        "git": view.git,
        "last_commit": view.last_commit,
        "files_unreadable": view.files_unreadable,
    }
    emit(sections, format.value, meta=meta, color=color_flag(color), wide=wide)
