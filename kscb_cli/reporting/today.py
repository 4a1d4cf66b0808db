"""`kscb today`: the page a coordinator opens each morning, as data.

- **Due**: open actions and running clocks that are overdue or due within the next
  ``WINDOW`` working days (the store's calendar: weekends, bank holidays and closures);
- **Errors**: record files that cannot be read or are not valid records, and records with
  lint errors (``kscb lint`` gives the details);
- **Stale plans**: action plans with open actions that have had no update or evidence for
  ``tracker.stale_days`` (since the plan was approved, where there is none);
- **Changed**: in a git store, the record files changed since the last commit (the last
  save), and that commit's date and subject.

Everything is derived from "today" (``--as-of`` / ``KSCB_TODAY``) and sorted, so the same
store gives the same page.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.paths import CONFIG, RECORDS

WINDOW = 10  # working days ahead


@dataclass(frozen=True)
class DueItem:
    due: date
    what: str  # "action" or "clock"
    ref: str  # action ref or record id
    state: str  # overdue, due today, due soon
    days: int  # calendar days from today (negative: overdue)
    working_days: int  # working days from today (negative: overdue)
    detail: str


@dataclass(frozen=True)
class ErrorItem:
    ref: str  # record id, or the file when it has none
    path: str
    errors: int
    first: str  # the first message, "path:line:col CODE message"


@dataclass(frozen=True)
class StalePlan:
    plan: str
    open_actions: int
    stale_actions: int
    last_update: date | None
    days: int  # days since the last update (or the approval)


@dataclass(frozen=True)
class Changed:
    status: str  # modified, new, deleted, renamed
    path: str


@dataclass
class Today:
    as_of: date
    horizon: date  # the last day of the window
    window: int
    due: list[DueItem] = field(default_factory=list)
    errors: list[ErrorItem] = field(default_factory=list)
    files_unreadable: int = 0
    stale: list[StalePlan] = field(default_factory=list)
    stale_days: int = 0
    git: bool = False
    last_commit: str | None = None  # "2026-10-01 subject"
    changed: list[Changed] = field(default_factory=list)


def _state(days: int) -> str:
    return "overdue" if days < 0 else ("due today" if days == 0 else "due soon")


def due_items(store: Any, today: date, calendar: Any, horizon: date) -> list[DueItem]:
    from kscb_cli.domain.clocks import clocks
    from kscb_cli.domain.tracker import action_rows

    out: list[DueItem] = []

    def working(due: date) -> int:
        if due >= today:
            ahead: int = calendar.working_days_between(today, due)
            return ahead
        behind: int = calendar.working_days_between(due, today)
        return -behind

    for r in action_rows(store, today):
        if r.brag in ("blue", "withdrawn") or r.due > horizon:
            continue
        days = (r.due - today).days
        out.append(DueItem(r.due, "action", r.ref, _state(days), days, working(r.due), f"{r.lead_agency}: {r.action}"))
    for c in clocks(store, today, calendar=calendar):
        if c.done is not None or c.due > horizon or c.state in ("met", "missed"):
            continue
        days = (c.due - today).days
        out.append(DueItem(c.due, "clock", c.record_id, _state(days), days, working(c.due), f"{c.name}: {c.label}"))
    out.sort(key=lambda d: (d.due, d.what, d.ref, d.detail))
    return out


def error_items(store: Any, today: date) -> tuple[list[ErrorItem], int]:
    """Records with lint errors (unreadable and invalid files among them), one row each; and how many files could not be read."""
    from kscb_cli.base.diagnostics import Severity
    from kscb_cli.lint.linter import lint

    result = lint(store, today=today)
    by: dict[str, list[Any]] = {}
    for d in result.diagnostics:
        if d.severity is Severity.error:
            by.setdefault(d.path, []).append(d)
    unreadable = sum(1 for e in store.entries if e.problem is not None)
    rows = []
    for path, found in sorted(by.items()):
        first = found[0]
        rows.append(
            ErrorItem(
                first.record or path,
                path,
                len(found),
                f"{first.path}:{first.line}:{first.col} {first.code} {first.message}",
            )
        )
    return rows, unreadable


def stale_plans(store: Any, today: date) -> list[StalePlan]:
    from kscb_cli.domain.tracker import action_rows

    limit = store.config.tracker.stale_days
    by_plan: dict[str, list[Any]] = {}
    for r in action_rows(store, today):
        if r.brag not in ("blue", "withdrawn"):
            by_plan.setdefault(r.plan_id, []).append(r)
    out = []
    for plan_id, rows in sorted(by_plan.items()):
        plan = store.get(plan_id)
        approved = getattr(plan, "approved", None)
        stale, latest = 0, None
        for r in rows:
            seen = r.last_update or approved
            if seen is not None and (today - seen).days > limit:
                stale += 1
            if r.last_update is not None and (latest is None or r.last_update > latest):
                latest = r.last_update
        if stale:
            since = latest or approved
            out.append(StalePlan(plan_id, len(rows), stale, latest, (today - since).days if since else 0))
    out.sort(key=lambda p: (-p.days, p.plan))
    return out


def changed_since_commit(root: Path) -> tuple[bool, str | None, list[Changed]]:
    """(is a git work tree, "date subject" of the last commit, record files changed since it)."""

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        return False, None, []
    head = git("log", "-1", "--format=%cs %s")
    last = head.stdout.decode("utf-8", "replace").strip() if head.returncode == 0 and head.stdout.strip() else None
    status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", RECORDS, CONFIG)
    out: list[Changed] = []
    parts = status.stdout.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(parts):
        item = parts[i]
        i += 1
        if len(item) < 4:
            continue
        code, path = item[:2], item[3:]
        if "R" in code:
            i += 1  # the old name follows
            kind = "renamed"
        elif code == "??" or "A" in code:
            kind = "new"
        elif "D" in code:
            kind = "deleted"
        else:
            kind = "modified"
        out.append(Changed(kind, path))
    out.sort(key=lambda c: (c.path, c.status))
    return True, last, out


def today_view(store: Any, today: date, *, window: int = WINDOW) -> Today:
    from kscb_cli.domain.clocks import calendar_for

    calendar = calendar_for(store.config)
    horizon = calendar.add_working_days(today, window)
    view = Today(today, horizon, window, stale_days=store.config.tracker.stale_days)
    view.due = due_items(store, today, calendar, horizon)
    view.errors, view.files_unreadable = error_items(store, today)
    view.stale = stale_plans(store, today)
    view.git, view.last_commit, view.changed = changed_since_commit(store.root)
    return view
