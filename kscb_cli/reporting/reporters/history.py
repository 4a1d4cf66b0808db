"""Report a record's history, the store's change digest, and history checks: text, json, markdown."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from kscb_cli.reporting.markdown import md

if TYPE_CHECKING:
    from kscb_cli.history.events import Digest, Event
    from kscb_cli.history.record import History, Version

KIND_TITLES = {
    "agency": "Agencies",
    "notification": "Serious incident notifications",
    "rapid_review": "Rapid reviews",
    "review": "Case reviews",
    "audit": "Audits",
    "section11": "Section 11 returns",
    "action_plan": "Action plans",
    "training": "Training",
    "briefing": "Briefings",
    "child_death": "Child death reviews",
    "unknown": "Files that do not parse",
}


def _dump(doc: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


# --- one record ---------------------------------------------------------------------------


def _when(v: Version) -> str:
    return v.date[:16].replace("T", " ") if v.date else "uncommitted"


def history_text(h: History, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    title = f"{h.record_id}#{h.item}" if h.item else h.record_id
    n = sum(1 for v in h.versions if v.sha)
    out.write(f"{title}  {h.path}  ({n} commit{'s' * (n != 1)})\n")
    for v in h.versions:
        sha = v.sha[:10] if v.sha else "working"
        out.write(f"\n{sha}  {_when(v)}  {v.author or '-'}  {v.subject}\n")
        if v.problem:
            out.write(f"  ! this version {v.problem}\n")
        if v.previous_problem:
            out.write(f"  ! the version before {v.previous_problem}; no field-level changes\n")
        for c in v.changes:
            out.write(f"  {c.text()}\n")


def history_json(h: History, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    _dump({"schema_version": 1, **h.as_dict()}, out)


def history_markdown(h: History, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    title = f"{h.record_id}#{h.item}" if h.item else h.record_id
    out.write(f"# History of {title}\n\n`{h.path}`\n")
    for v in h.versions:
        sha = f"`{v.sha[:10]}`" if v.sha else "uncommitted"
        out.write(f"\n## {_when(v)} — {md(v.subject)}\n\n{sha}" + (f", {md(v.author)}" if v.author else "") + "\n\n")
        if v.problem:
            out.write(f"- **this version {md(v.problem)}**\n")
        if v.previous_problem:
            out.write(f"- **the version before {md(v.previous_problem)}**\n")
        for c in v.changes:
            out.write(f"- {md(c.text())}\n")


# --- the digest ---------------------------------------------------------------------------


def _event_line(e: Event) -> str:
    from kscb_cli.history.diff import show_value  # the same rendering of values as the field-level changes

    who = f"{e.record_id}#{e.item}" if e.item else e.record_id
    c = e.category
    if c == "created":
        what = f"created: {e.title}" + (f" ({e.new})" if e.new else "")
    elif c == "deleted":
        what = f"deleted: {e.title}"
    elif c == "renamed":
        what = f"renamed from {e.old}"
    elif c == "status":
        what = f"{show_value(e.old)} → {show_value(e.new)}"
    elif c in ("finding", "recommendation"):
        what = e.detail or "added"
    elif c == "action_completed":
        what = f"{e.old} → {e.new}: {e.detail}" if e.detail else f"{e.old} → {e.new}"
    elif c == "action_overdue":
        what = f"overdue from {e.date} ({e.new}): {e.detail}"
    elif c == "clock_met":
        what = f"{e.detail}: done {e.new}, due {e.old}"
    else:  # clock_missed
        what = f"{e.detail}: due {e.old}, " + (f"done {e.new}" if e.new else "not done")
    when = (
        f"  [{e.date}{', ' + e.author if e.author else ''}{', ' + e.commit[:10] if e.commit else ''}]"
        if e.commit
        else ""
    )
    return f"{who}  {what}{when}"


def _digest(
    d: Digest,
    out: TextIO,
    head: str,
    kind_head: str,
    cat_head: str,
    item: Callable[[str], str],
    note: Callable[[str], str],
) -> None:
    """The digest grouped by kind and category; the headings (format strings) and the item
    and note functions give the style."""
    from kscb_cli.history.events import CATEGORIES, CATEGORY_TITLES

    out.write(head)
    groups = d.by_kind()
    if not groups:
        out.write("\nNothing changed.\n")
    for kind in sorted(groups):
        out.write(kind_head.format(KIND_TITLES.get(kind, kind)))
        for cat in CATEGORIES:
            events = [e for e in groups[kind] if e.category == cat]
            if events:
                out.write(cat_head.format(CATEGORY_TITLES[cat]))
                for e in events:
                    out.write(item(_event_line(e)))
    for text in d.notes:
        out.write(note(text))


def digest_text(d: Digest, out: TextIO | None = None) -> None:
    commits = f"{d.commits} commit{'s' * (d.commits != 1)}"
    _digest(
        d,
        out or sys.stdout,
        f"Changes from {d.since_day} to {d.until_day} ({commits})\n",
        "\n{}\n",
        "  {}\n",
        lambda line: f"    {line}\n",
        lambda text: f"\nNote: {text}\n",
    )


def digest_json(d: Digest, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    _dump({"schema_version": 1, **d.as_dict()}, out)


def digest_markdown(d: Digest, out: TextIO | None = None) -> None:
    commits = f"{d.commits} commit{'s' * (d.commits != 1)}"
    _digest(
        d,
        out or sys.stdout,
        f"# Changes from {d.since_day} to {d.until_day}\n\n{commits}.\n",
        "\n## {}\n",
        "\n### {}\n\n",
        lambda line: f"- {md(line)}\n",
        lambda text: f"\n> {md(text)}\n",
    )


# --- history check ------------------------------------------------------------------------


def check_text(diags: list[Any], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for d in diags:
        out.write(f"{d.path}:{d.line}:{d.col}: {d.code} {d.severity.value}: {d.message} [{d.name}]\n")
    n = len(diags)
    out.write(
        f"{n} commit{'s' * (n != 1)} broke a lifecycle\n"
        if n
        else "every recorded status change follows its lifecycle\n"
    )


def check_json(diags: list[Any], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    _dump({"schema_version": 1, "diagnostics": [d.as_dict() for d in diags], "summary": {"warnings": len(diags)}}, out)


def check_markdown(diags: list[Any], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write("# Status changes that broke a lifecycle\n\n")
    if not diags:
        out.write("None: every recorded status change follows its lifecycle.\n")
        return
    out.write("| file | line | record | problem |\n| --- | ---: | --- | --- |\n")
    for d in diags:
        out.write(f"| {d.path} | {d.line} | {d.record or ''} | {md(d.message)} |\n")
