"""What happened since a date, for the board report: milestone dates written in the records and, in a git store, the git audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.common import Ctx, between, label, words


@dataclass(frozen=True)
class ChangeRow:
    date: date | None
    record_id: str
    title: Text | None
    what: str
    detail: Text | None


@dataclass(frozen=True)
class Changes:
    source: str  # "records" (milestone dates written in the records) or "git"
    note: str
    rows: list[ChangeRow]
    hidden: Count
    git_rows: list[ChangeRow]
    git_hidden: Count
    git_created: dict[str, Count]


def _record_milestones(record: Any) -> Iterator[tuple[date, str, str | None, str | None]]:
    """(date, what, item-field path, item text field) for every milestone a record's own dates show."""
    k = record.kind
    if k == "review":
        yield record.decided, "decision to review", None, None
        if record.commissioned:
            yield record.commissioned, "review commissioned", None, None
        if record.final_report:
            yield record.final_report, "final report", None, None
        pub = record.publication
        if pub is not None:
            if pub.sent_to_panel:
                yield pub.sent_to_panel, "report sent to the Panel", None, None
            if pub.published:
                yield pub.published, "published", None, None
    elif k == "rapid_review":
        for when, what in (
            (record.meeting, "rapid review meeting"),
            (record.completed, f"rapid review completed (decision: {words(record.decision)})"),
            (record.sent_to_panel, "sent to the Panel"),
            (record.panel_response, "the Panel responded"),
        ):
            if when:
                yield when, what, None, None
    elif k == "notification":
        if record.sent:
            yield record.sent, "serious incident notified to the Panel", None, None
    elif k == "audit":
        if record.reported:
            yield record.reported, "audit reported", None, None
        if record.qa_approved:
            yield record.qa_approved, "audit quality assured", None, None
    elif k == "section11":
        if record.submitted:
            yield record.submitted, "Section 11 return submitted", None, None
        if record.challenge:
            yield record.challenge.date, f"challenge event ({words(record.challenge.outcome)})", None, None
    elif k == "action_plan":
        if record.approved:
            yield record.approved, "action plan approved", None, None
        for i, a in enumerate(record.actions):
            if a.completed and a.is_done:
                yield a.completed, f"{a.id} {words(a.status)}", f"actions[{i}].action", a.action
            if a.revised_due is not None:
                yield (
                    a.revised_due.approved,
                    f"{a.id} due date revised to {a.revised_due.date}",
                    f"actions[{i}].revised_due.reason",
                    a.revised_due.reason,
                )
    elif k == "briefing":
        if record.approved:
            yield record.approved, "briefing approved", None, None
        if record.published:
            yield record.published, "briefing published", None, None
    elif k == "training":
        if record.status in ("delivered", "evaluated"):
            yield record.date, f"{label(record.format).lower()} delivered", None, None
    elif k == "child_death":
        if record.reviewed:
            yield record.reviewed, "child death reviewed by the panel", None, None


def changes_since(ctx: Ctx, since: date) -> Changes:
    """What happened since `since`: milestone dates written in the records, and (in a git store) what git recorded."""
    rows, hidden = [], 0
    for record in ctx.store.records:
        for when, what, where, text in _record_milestones(record):
            if not between(when, since, ctx.today):
                continue
            if ctx.sees(record):
                rows.append(
                    ChangeRow(
                        when, record.id, ctx.title(record), what, ctx.text(record, where, text) if where else None
                    )
                )
            else:
                hidden += 1
    rows.sort(key=lambda r: (r.date, r.record_id, r.what))
    git_rows, git_hidden, created, note = _git_changes(ctx, since)
    return Changes(
        "git" if note is None else "records",
        note or "",
        rows,
        ctx.count(hidden),
        git_rows,
        ctx.count(git_hidden),
        created,
    )


GIT_WHAT = {
    "deleted": "record deleted",
    "renamed": "renamed",
    "finding": "new finding",
    "recommendation": "new recommendation",
    "action_completed": "action completed",
    "action_overdue": "action became overdue",
    "clock_met": "clock met",
    "clock_missed": "clock missed",
}


def _git_changes(ctx: Ctx, since: date) -> tuple[list[ChangeRow], int, dict[str, Count], str | None]:
    """Field-level changes from git (kscb_cli.history), when the store is a git repository with commits."""
    from kscb_cli.base import gitio
    from kscb_cli.history import changes

    root = ctx.store.root
    try:
        if not gitio.is_repo(root) or not gitio.has_commits(root):
            return (
                [],
                0,
                {},
                "the store is not a git repository with commits, so only the dates written in the records are used",
            )
        digest = changes(ctx.store, since.isoformat(), None, today=ctx.today)
    except KscbError as exc:
        return [], 0, {}, f"the git audit trail could not be read ({exc.message})"
    rows, hidden = [], 0
    created: dict[str, int] = {}
    new_records = {e.record_id for e in digest.events if e.category == "created"}
    for e in digest.events:
        if e.category in ("finding", "recommendation") and e.record_id in new_records:
            continue  # a new record's findings are part of it, not news of their own
        record = ctx.store.get(e.record_id)
        if record is None or not ctx.sees(record):
            hidden += 1
            continue
        if e.category == "created":
            created[label(e.kind)] = created.get(label(e.kind), 0) + 1
            continue
        if e.category == "status":
            what = f"status {words(str(e.old))} → {words(str(e.new))}"
        else:
            what = GIT_WHAT.get(e.category, words(e.category)) + (f" {e.item}" if e.item else "")
        detail = (
            Text(e.detail, record.id, f"{e.item or 'record'} (git history)")
            if e.detail and e.category in ("finding", "recommendation", "action_completed", "action_overdue")
            else None
        )
        when = date.fromisoformat(e.date[:10]) if e.date else None
        rows.append(ChangeRow(when, record.id, ctx.title(record), what, detail))
    rows.sort(key=lambda r: (r.date or ctx.today, r.record_id, r.what))
    return rows, hidden, ctx.counts(dict(sorted(created.items()))), None
