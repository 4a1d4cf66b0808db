"""The store's digest (`kscb changes`): what changed between two dates or revisions.

The events come from the commits in the period (created, deleted, renamed, status
changes, new findings and recommendations, actions completed), then from the store at
the end of the period (actions that became overdue, clocks met or missed: period.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base import gitio
from kscb_cli.domain.lifecycle import transitions
from kscb_cli.history.events import Digest, Event
from kscb_cli.history.period import clock_events, overdue_events, store_at_end
from kscb_cli.store.versions import Versions, record_stem, version_data

if TYPE_CHECKING:
    from kscb_cli.store.store import Store


SINCE_MARGIN_DAYS = 31
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _as_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _bound(root: Path, value: Any, what: str) -> tuple[str | None, date | None]:
    """(revision, day) for a --since/--until value: a date, or a revision and its commit day."""
    if value is None:
        return None, None
    day = _as_day(value)
    if day is not None:
        return None, day
    text = str(value)
    if re.match(r"\d{4}-\d", text):
        raise gitio.GitError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD, or give a commit, tag or branch")
    sha = gitio.rev_parse(root, text)
    return sha, date.fromisoformat(gitio.commit_date(root, sha)[:10])


_EVENT_LINE = re.compile(rb"^.*\b(?:status|id):.*$", re.M)


def _event_lines(raw: bytes | None) -> list[bytes] | None:
    """Lines that can carry a digest event (a status, an item id), as a multiset; None for a missing blob."""
    return sorted(_EVENT_LINE.findall(raw)) if raw is not None else None


@dataclass(frozen=True)
class _Period:
    """The period of a digest: its bounds as given and as days, and the commits in it."""

    since_rev: str | None
    since_day: date
    until_rev: str | None
    end_day: date  # --until, else today as the caller knows it, else the newest commit
    commits: list[gitio.Commit]  # every commit up to the end (the store at the end is found among them)
    window: list[gitio.Commit]  # the commits in the period, newest first

    @property
    def since_text(self) -> str:
        return self.since_day.isoformat()

    @property
    def until_text(self) -> str:
        return self.end_day.isoformat()


def _period(
    root: Path, since: Any, until: Any, today: date | None
) -> tuple[date, tuple[str, date] | None, Callable[[], _Period]]:
    """(the first day, (the commit and day it ends at) when `until` is a revision, the period): the
    commits between `since` and `until` (dates or revisions), from one ``git log``, started here and
    read when the period is asked for (git walks while kscb reads the store)."""
    since_rev, since_day = _bound(root, since, "--since")
    until_rev, until_day = _bound(root, until, "--until")
    if since_day is None:
        raise gitio.GitError(
            "--since is required: a date YYYY-MM-DD (e.g. the last board meeting) or a commit, tag or branch"
        )
    revs = [f"{since_rev}..{until_rev or 'HEAD'}"] if since_rev else [until_rev or "HEAD"]
    if since_rev is None and until is None and today is not None:
        # up to now from a date: git need not walk (and diff) the years before it. The margin
        # covers time zones and committer clocks a month slow; the window below is exact.
        revs.insert(0, f"--since={(since_day - timedelta(days=SINCE_MARGIN_DAYS)).isoformat()}")
    pending = gitio.log_started(root, revs)
    first = since_day

    def period() -> _Period:
        commits = pending()
        end_day = until_day or today or (date.fromisoformat(commits[0].committed_day) if commits else first)
        since_text, until_text = first.isoformat(), end_day.isoformat()
        window = [
            c
            for c in commits
            if not (since_rev is None and c.committed_day < since_text)
            and not (until_rev is None and until is not None and c.committed_day > until_text)
        ]
        return _Period(since_rev, first, until_rev, end_day, commits, window)

    end = (until_rev, until_day) if until_rev is not None and until_day is not None else None
    return since_day, end, cache(period)  # asked for by the store's read and after it: git is read once


def _commit_events(window: list[gitio.Commit], versions_: Versions) -> list[Event]:
    """The events of the commits in the period (merges skipped: their changes are their parents'), newest first."""
    versions_.parse_all(b for c in window if len(c.parents) <= 1 for ch in c.changes for b in _needed(ch, versions_))
    events: list[Event] = []
    for commit in window:
        if len(commit.parents) > 1:
            continue
        for ch in commit.changes:
            if ch.path.endswith((".yaml", ".yml")):  # a .gitkeep or a README is not a record
                events += _events(commit, ch, versions_)
    return _dedupe(events)


def _notes(root: Path, dirty: list[str], unread: list[str]) -> tuple[list[str], bool]:
    """(the digest's notes, whether the clone is shallow): unreadable records, uncommitted changes, a shallow clone."""
    notes = list(unread)
    if dirty:
        n = len(dirty)
        notes.append(
            f"{n} record file{'s' * (n != 1)} {'have' if n != 1 else 'has'} uncommitted changes ({', '.join(dirty[:5])}{', ...' if n > 5 else ''}): "
            "the changes listed come from commits only; the overdue actions and clocks use the working tree. Commit them to include them"
        )
    shallow = gitio.is_shallow(root)
    if shallow:
        notes.append("this clone is shallow: changes before its oldest commit are missing; run `git fetch --unshallow`")
    return notes, shallow


def changes(
    store: Store | Path, since: Any, until: Any = None, *, today: date | None = None, config: Any = None
) -> Digest:
    """What changed in the store between `since` and `until` (dates YYYY-MM-DD or git revisions).

    `store` is a loaded Store, or the store's root (then only the records the digest needs
    are read, through ``Store.open(..., only=)``: the point of the one-pass design is that
    a 10,000-record store costs little more than its history). `until` None means up to
    HEAD, with the working tree's records and `today` as the end of the period for overdue
    actions and clocks.
    """
    import gc

    from kscb_cli.domain.clocks import clocks
    from kscb_cli.store.store import Store
    from kscb_cli.store.unread import stderr_lines

    if isinstance(store, Path):
        root: Path = store
        if config is None:
            from kscb_cli.store.config import load_config

            config = load_config(root)
    else:
        root, config = store.root, store.config
    gitio.require_repo(root)
    since_day, end, period = _period(root, since, until, today)
    versions_ = Versions(root)
    enabled = gc.isenabled()
    gc.disable()  # bulk parsing, then links and clocks over it: the collector only slows them down (PERFORMANCE.md)
    dirty_: Callable[[], list[str]] = _uncommitted_started(root) if until is None else list
    try:

        def touched() -> set[str]:
            """The files changed in the period or not committed: read whatever `period._pick` thinks of them."""
            return {ch.path for c in period().window for ch in c.changes} | set(dirty_())

        snapshot: Store | None = None
        if until is None and isinstance(store, Store):
            snapshot = store
        elif until is None and today is not None:  # the working tree is read while git walks the history
            snapshot = store_at_end(config, root, [], None, None, "", versions_, since_day, today, touched)
        elif end is not None:  # and so is the tree of the revision the period ends at
            snapshot = store_at_end(config, root, [], until, end[0], "", versions_, since_day, end[1], touched)
        p = period()
        versions_.fetch(b for c in p.window for ch in c.changes for b in (ch.old_blob, ch.new_blob))
        events = _commit_events(p.window, versions_)
        if snapshot is None:
            snapshot = store_at_end(
                config, root, p.commits, until, p.until_rev, p.until_text, versions_, p.since_day, p.end_day, touched
            )
        events += overdue_events(snapshot, p.since_day, p.end_day)
        events += clock_events(clocks(snapshot, p.end_day), snapshot, p.since_day, p.end_day)
        # sorted before the collector runs again: with the store and every version still alive, the key
        # tuples of 40,000 events (a digest of 2,000 commits) set off collections that walk them all
        events.sort(key=Event.sort_key)
    finally:
        if enabled:
            gc.freeze()  # all of it lives until the digest is printed: its first collection walked it all (29 ms)
            gc.enable()
    unread = stderr_lines(snapshot)
    notes, shallow = _notes(root, dirty_(), unread)
    return Digest(
        str(since),
        str(until) if until is not None else "HEAD",
        p.since_text,
        p.until_text,
        len(p.window),
        events,
        shallow,
        True,  # clocks included
        notes,
        unread,
    )


def _uncommitted_started(root: Path) -> Callable[[], list[str]]:
    """Record files (.yaml, .yml) whose working-tree content differs from HEAD, or that git does not
    track yet: git is started here and read (once) when the list is asked for."""
    head = gitio.started(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    changed = gitio.started(root, "diff", "--name-only", "-z", "--relative", "HEAD", "--", gitio.RECORDS, check=False)
    new = gitio.started(root, "ls-files", "--others", "--exclude-standard", "-z", "--", gitio.RECORDS, check=False)

    @cache
    def result() -> list[str]:
        found = (changed(), new())  # both read, so neither git is left running
        if not head().strip():  # no commits yet
            return []
        names = {n.decode("utf-8", "surrogateescape") for n in (found[0] + b"\x00" + found[1]).split(b"\x00")}
        return sorted(n for n in names if n.endswith((".yaml", ".yml")))

    return result


def _needed(ch: gitio.FileChange, versions_: Versions) -> tuple[str | None, ...]:
    """The versions `_events` will parse for a change (the same cheap tests)."""
    if ch.status == "A":
        return (ch.new_blob,)
    if ch.status == "D":
        return (ch.old_blob,)
    if _quiet(ch, versions_):
        return (ch.new_blob,) if _renamed(ch) else ()
    return (ch.old_blob, ch.new_blob)


def _raw(versions_: Versions, blob: str | None) -> bytes | None:
    return versions_.raw.get(blob) if blob is not None else None


def _quiet(ch: gitio.FileChange, versions_: Versions) -> bool:
    """No status line and no item id changed: nothing for the digest but a rename (the cheap test, before any parse)."""
    return ch.old_blob == ch.new_blob or _event_lines(_raw(versions_, ch.old_blob)) == _event_lines(
        _raw(versions_, ch.new_blob)
    )


def _renamed(ch: gitio.FileChange) -> bool:
    """Moved to a file of another name: the record's id changed (a move between folders keeps it)."""
    return bool(ch.status == "R" and ch.old_path and record_stem(ch.old_path) != record_stem(ch.path))


def _kind(data: dict[str, Any] | None) -> str:
    kind = data.get("kind") if data else None
    return str(kind) if isinstance(kind, str) else "unknown"


def _title(data: dict[str, Any] | None, fallback: str) -> str:
    title = data.get("title") if data else None
    return title if isinstance(title, str) else fallback


def _events(commit: gitio.Commit, ch: gitio.FileChange, versions_: Versions) -> list[Event]:
    """The events of one file changed by one commit."""
    rid = record_stem(ch.path)
    base = {"date": commit.day, "commit": commit.sha, "author": commit.author}
    if ch.status == "A":
        data = version_data(versions_.get(ch.new_blob))
        kind = _kind(data)
        created = Event(
            "created",
            kind,
            rid,
            _title(data, rid),
            new=data.get("status") if data else None,
            detail="" if data else "this version does not parse",
            **base,
        )
        return [created, *_new_items(kind, rid, _title(data, rid), {}, data or {}, base)]
    if ch.status == "D":
        data = version_data(versions_.get(ch.old_blob))
        return [Event("deleted", _kind(data), rid, _title(data, rid), old=data.get("status") if data else None, **base)]
    out: list[Event] = []
    if ch.old_path is not None and _renamed(ch):
        data = version_data(versions_.get(ch.new_blob))
        out.append(Event("renamed", _kind(data), rid, _title(data, rid), old=record_stem(ch.old_path), new=rid, **base))
    if _quiet(ch, versions_):
        return out
    before, after = version_data(versions_.get(ch.old_blob)), version_data(versions_.get(ch.new_blob))
    if before is None or after is None:
        return out
    return out + _modified(rid, before, after, base)


def _modified(rid: str, before: dict[str, Any], after: dict[str, Any], base: dict[str, str]) -> list[Event]:
    """Status changes, actions completed and new findings and recommendations between two versions."""
    kind = _kind(after)
    title = _title(after, rid)
    out: list[Event] = []
    for t in transitions(before, after):
        if t.item is None:
            out.append(Event("status", kind, rid, title, None, t.old, t.new, **base))
        elif t.new in ("complete", "embedded"):
            action = _item(after, "actions", t.item)
            out.append(
                Event(
                    "action_completed", kind, rid, title, t.item, t.old, t.new, detail=_text(action, "action"), **base
                )
            )
    return out + _new_items(kind, rid, title, before, after, base)


def _item(data: dict[str, Any], list_name: str, item_id: str) -> dict[str, Any]:
    for v in data.get(list_name) or ():
        if isinstance(v, dict) and v.get("id") == item_id:
            return v
    return {}


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    return " ".join(value.split()) if isinstance(value, str) else ""


def _new_items(
    kind: str, rid: str, title: str, before: dict[str, Any], after: dict[str, Any], base: dict[str, str]
) -> list[Event]:
    out = []
    for list_name, category, text_key in (
        ("findings", "finding", "summary"),
        ("recommendations", "recommendation", "text"),
    ):
        old, new = before.get(list_name), after.get(list_name)
        had = {v.get("id") for v in old if isinstance(v, dict)} if isinstance(old, list) else set()
        for v in new if isinstance(new, list) else ():
            if isinstance(v, dict) and isinstance(v.get("id"), str) and v.get("id") not in had:
                out.append(Event(category, kind, rid, title, v["id"], detail=_text(v, text_key), **base))
    return out


def _dedupe(events: list[Event]) -> list[Event]:
    """An item added twice in the period (added, removed, added again) is one new item: keep the latest."""
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for e in events:  # newest first
        if e.category in ("finding", "recommendation", "action_completed"):
            key = (e.category, e.record_id, e.item)
            if key in seen:
                continue
            seen.add(key)
        out.append(e)
    return out
