"""The store at the end of a digest's period, and what it shows: actions that became overdue, clocks met or missed.

Only the records those can come from are read (`_pick` judges them by what their bytes say,
history/facts.py, kept per version), so a digest of a large store costs little more than its history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base import gitio
from kscb_cli.history.diff import plain_value
from kscb_cli.history.events import Event
from kscb_cli.history.facts import ALWAYS_KINDS, Facts, any_between, date_number, read_facts
from kscb_cli.store.versions import Versions

if TYPE_CHECKING:
    from kscb_cli.store.opening import Read
    from kscb_cli.store.store import Store


def _margins(config: Any) -> tuple[dict[str, int | None], int]:
    """({kind: the most days before its due date a clock of that kind can start}, the most days
    a due date can fall before the date it is counted back from), from kscb.yaml's clocks.

    A record can only have a clock met or missed in a period if it mentions a date from the
    period's start less its kind's margin to the period's end plus the second figure: the
    start, the date met, an extension's new due date or the publication a notice counts back
    from. None: the kind has no clock with this configuration. Working days are counted as
    calendar days generously (two for one, three weeks more, and a day for each closure); a
    month as 31 days and five weeks more. Every kind ``domain.clocks`` clocks must be here:
    tests/test_history.py holds the table to CLOCKED_KINDS and to every clock of two stores.
    """
    c = getattr(config, "clocks", None)
    closures = len(getattr(getattr(config, "calendar", None), "closures", None) or ())

    def working(*names: str) -> int:
        return max(getattr(c, n, None) or 0 for n in names) * 2 + 21 + closures

    def months(n: int | None) -> int | None:
        return None if not n else n * 31 + 38

    local = list(getattr(c, "local_reviews", {}).values())
    review = [
        months(getattr(c, "review_months", 6)) or 0,
        getattr(c, "progress_check_days", 60) + 7,
        *((months(lr.report_months) or 0) for lr in local),
        *((lr.progress_check_days or 0) + 7 for lr in local),
    ]
    audit = getattr(c, "audit_qa_working_days", None)
    before: dict[str, int | None] = {
        "notification": working("notification_working_days", "ofsted_notice_working_days", "rapid_review_working_days"),
        "rapid_review": working("rapid_review_working_days"),
        "review": max(review),
        "action_plan": getattr(c, "plan_review_days", 90) + 7,
        "audit": working("audit_qa_working_days") if audit else None,
        "training": getattr(c, "training_follow_up_days", 56) + 7,
        "child_death": months(getattr(c, "child_death_review_months", None)),
        "performance_return": 7,
    }  # agencies and Section 11 returns are read whole (ALWAYS_KINDS): a cycle spans years
    after = max(working("publication_notice_working_days"), (getattr(c, "scr_publication_notice_days", 7) or 0) + 7)
    return before, after


def _windows(config: Any, since: date, end: date) -> dict[str, tuple[int, int] | None]:
    """{kind: (first, last) day (facts.py's numbers) a record of the kind must mention for a clock
    of it to be met or missed in the period (None: no clock)}; ``"*"``: the widest, for a kind not listed."""
    before, after = _margins(config)
    hi = date_number(end + timedelta(days=after))
    out: dict[str, tuple[int, int] | None] = {
        kind: None if days is None else (date_number(since - timedelta(days=days)), hi) for kind, days in before.items()
    }
    widest = max((d for d in before.values() if d is not None), default=0)
    out["*"] = (date_number(since - timedelta(days=widest)), hi)
    return out


def _pick(facts: Mapping[str, Facts], config: Any, since: date, end: date) -> set[str]:
    """The record files the digest needs at the end of the period, judged by their facts (facts.py).

    Action plans with a due date in the period (an action can only have fallen due then) or
    whose latest approved or reviewed day is near it (their review clock); agencies, Section 11
    returns and meetings always (few, and a cycle spans years); clocked records that mention a
    date near the period, with each rapid review and its notification together (a rapid
    review's clock starts from its notification), and each action plan a meeting near the
    period reviewed (its review clock restarts at the meeting). A record is found by the id its
    file states, not its file name. A file whose kind cannot be seen from its bytes is always read.
    """
    from kscb_cli.domain.clocks import CLOCKED_KINDS  # the kinds with clocks, as domain.clocks builds them

    lo, hi = date_number(since), date_number(end)
    windows = _windows(config, since, end)

    def mentions(kind: str, f: Facts) -> bool:
        """Whether the file mentions a day in the window of its kind's clocks."""
        w = windows.get(kind, windows["*"])
        return w is not None and any_between(f.days, *w)

    keep: set[str] = set()
    rr_of: dict[str, list[str]] = {}
    notifications: dict[str, list[str]] = {}  # notification id -> its files
    rr_notification: dict[str, str | None] = {}
    plans: dict[str, list[str]] = {}  # action plan id -> its files
    reviewed: set[str] = set()  # the plans meetings near the period reviewed
    for rel, f in facts.items():
        kind = f.kind
        if kind is None:
            keep.add(rel)  # no plain kind line (or id): read properly
            continue
        if kind in ALWAYS_KINDS:
            keep.add(rel)
            if kind == "meeting" and mentions("action_plan", f):  # its date restarts the plans' review clocks
                reviewed.update(f.reviewed)
            continue
        if kind == "action_plan":
            plans.setdefault(f.rid, []).append(rel)
            if f.revised or any_between(f.due, lo, hi - 1):
                keep.add(rel)  # an action can have fallen due in the period (up to, not including, its end)
            elif mentions(kind, f):  # else no day near the period at all: no review of it can fall due there
                w = windows[kind]
                if f.latest is None or (f.latest and w is not None and w[0] <= f.latest <= w[1]):
                    keep.add(rel)  # an unusual layout (judged by the days it mentions, as above), or a review due
            continue
        if kind in CLOCKED_KINDS:
            if mentions(kind, f):
                keep.add(rel)
            if kind == "notification":
                notifications.setdefault(f.rid, []).append(rel)
            elif kind == "rapid_review":
                rr_notification[rel] = f.notification
                if f.notification:
                    rr_of.setdefault(f.notification, []).append(rel)
    for rel, nid in rr_notification.items():
        if nid is None:
            keep.add(rel)  # an unusual layout: keep it, and it is read properly
        elif rel in keep:
            keep.update(notifications.get(nid, ()))
    for nid, rels in notifications.items():
        if any(rel in keep for rel in rels):
            keep.update(rels)
            keep.update(rr_of.get(nid, ()))
    for pid in reviewed:
        keep.update(plans.get(pid, ()))
    return keep


def store_at_end(
    config: Any,
    root: Path,
    commits: list[gitio.Commit],
    until: Any,
    until_rev: str | None,
    until_text: str,
    versions_: Versions,
    since: date,
    end: date,
    touched: Callable[[], AbstractSet[str]] = frozenset,
) -> Store:
    """The store at the end of the period, with the records the digest needs: from the working tree
    (`until` None), else from git at `until` (a revision, or the last commit on or before a date).

    Besides what `_pick` picks, every file changed in the period (or not yet committed: `touched()`,
    asked for once the files are listed) is read, so a record that a change left unreadable is
    reported, not skipped.
    """
    from kscb_cli.store.store import Store

    def only(files: Mapping[str, str | None], read: Read) -> set[str]:
        return _pick(read_facts(files, read, versions_), config, since, end) | (touched() & files.keys())

    if until is None:
        return Store.open(root, config=config, only=only, versions=versions_)
    rev = until_rev or next((c.sha for c in commits if c.committed_day <= until_text), None)
    if rev is None:
        return Store(root, config, [])
    return Store.open(root, source="git-tree", rev=rev, config=config, only=only, versions=versions_)


def overdue_events(store: Any, since: date, end: date) -> list[Event]:
    """Actions not complete whose (revised) due date passed in the period: they became overdue."""
    out = []
    for plan in store.of_kind("action_plan"):
        for action in plan.actions:
            due = action.effective_due
            if action.is_live and since <= due < end:
                out.append(
                    Event(
                        "action_overdue",
                        "action_plan",
                        plan.id,
                        plan.title,
                        action.id,
                        None,
                        action.status,
                        date=(due + timedelta(days=1)).isoformat(),
                        detail=" ".join(action.action.split()),
                    )
                )
    return out


def clock_events(clocks: Iterable[Any], store: Any, since: date, end: date) -> list[Event]:
    """Clocks met or missed in the period (a clock done late counts as missed)."""
    out = []
    for clock in clocks:
        due, done = getattr(clock, "due", None), getattr(clock, "done", None)
        record = store.get(clock.record_id)
        kind = getattr(record, "kind", "unknown")
        title = getattr(record, "title", clock.record_id)
        name = str(getattr(clock, "name", ""))
        label = str(getattr(clock, "label", "") or "")
        state = name + (f": {label}" if label else "")
        if done is not None and since <= done <= end:
            category = "clock_met" if due is None or done <= due else "clock_missed"
            out.append(
                Event(
                    category,
                    kind,
                    clock.record_id,
                    title,
                    None,
                    plain_value(due),
                    plain_value(done),
                    date=done.isoformat(),
                    detail=state,
                )
            )
        elif done is None and due is not None and since <= due < end:
            out.append(
                Event(
                    "clock_missed",
                    kind,
                    clock.record_id,
                    title,
                    None,
                    plain_value(due),
                    None,
                    date=(due + timedelta(days=1)).isoformat(),
                    detail=state,
                )
            )
    return out
