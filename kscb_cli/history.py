"""The git audit trail as field-level changes: one record's history, the store's digest.

Everything comes from one ``git log -z --raw -M`` pass over ``records/`` and one
``git cat-file --batch`` process (gitio.py); old versions are parsed with the fast,
safe reader (source.parse). A version that does not parse is reported as such.

Field-level diffs match items in lists by their ``id`` (findings, recommendations,
actions, standards), entries without an id (updates, evidence) as a multiset, and
other lists of mappings by position when their length is unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

from . import gitio
from .lifecycle import FORCED_TRAILER, Transition, transitions
from .source import Document, Problem, SourceError, decode, parse

ITEM_LISTS = ("findings", "recommendations", "actions", "standards")
SHORT = 48  # scalars up to this length are shown old → new; longer text is "changed"

# --- parsing versions -----------------------------------------------------------------


def parse_blob(raw: bytes | None) -> Document | Problem:
    """A stored version as a Document, or the Problem that stops it being read."""
    if raw is None:
        return Problem("G001", "this version is not in the local repository (a shallow clone?); fetch the full history")
    try:
        return parse(decode(raw))
    except SourceError as exc:
        return exc.problem


PARALLEL_FROM = 600  # versions to parse before a second process pays for itself


def _parse_chunk(raws: list[bytes | None]) -> list:
    """Each version's plain data, or its Problem (run in a worker process)."""
    out = []
    for raw in raws:
        version = parse_blob(raw)
        out.append(version.data if isinstance(version, Document) else version)
    return out


class _Versions:
    """Blob id -> parsed version, each blob read and parsed once (many at once on several processes)."""

    def __init__(self, root: Path):
        self.root = root
        self.raw: dict[str, bytes | None] = {}
        self.parsed: dict[str, Document | Problem] = {}
        self._light: set[str] = set()  # parsed in a worker: data without positions

    def fetch(self, blobs: Iterable[str | None]) -> None:
        missing = {b for b in blobs if b and b not in self.raw}
        if missing:
            self.raw.update(gitio.read_blobs(self.root, missing))

    def get(self, blob: str | None) -> Document | Problem | None:
        if blob is None:
            return None
        if blob not in self.parsed:
            self.parsed[blob] = parse_blob(self.raw.get(blob))
        return self.parsed[blob]

    def positioned(self, blob: str | None) -> Document | Problem | None:
        """The version with the positions of its values (parsed again if a worker parsed it)."""
        if blob in self._light:
            self._light.discard(blob)
            self.parsed[blob] = parse_blob(self.raw.get(blob))
        return self.get(blob)

    def parse_all(self, blobs: Iterable[str | None]) -> None:
        """Parse many versions ahead, on two or more processes where fork is safe (Linux) and it pays.

        Workers return plain data (positions are cheap to recompute for the few that need them).
        """
        import os
        import sys

        todo = sorted({b for b in blobs if b and b not in self.parsed})
        workers = min(os.cpu_count() or 1, 4)
        if len(todo) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
            return  # parsed one by one when asked for
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = -(-len(todo) // (workers * 4))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(_parse_chunk, [[self.raw.get(b) for b in chunk] for chunk in chunks]))
        except (OSError, RuntimeError):  # no processes to be had: parse when asked for
            return
        for chunk, datas in zip(chunks, results):
            for blob, data in zip(chunk, datas):
                if isinstance(data, Problem):
                    self.parsed[blob] = data
                else:
                    self.parsed[blob] = Document(data)
                    self._light.add(blob)


def _data(version: Document | Problem | None) -> dict | None:
    return version.data if isinstance(version, Document) and isinstance(version.data, dict) else None


# --- field-level diff -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field-level change between two versions of a record."""

    path: tuple  # display path: ("A3", "status"), ("publication", "published"), ("R2",)
    op: str  # set | removed | changed | added (an item) | deleted (an item) | items (entries) | created | deleted_record | renamed
    old: Any = None
    new: Any = None
    plus: int = 0  # entries added (op "items")
    minus: int = 0  # entries removed (op "items")
    loc: tuple = ()  # location in the newer version (the older one for removals)

    @property
    def where(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def text(self) -> str:
        w = self.where
        if self.op == "created":
            return "created"
        if self.op == "deleted_record":
            return "deleted"
        if self.op == "renamed":
            return f"renamed from {self.old}"
        if self.op == "added":
            return f"{w}: added"
        if self.op == "deleted":
            return f"{w}: removed"
        if self.op == "removed":
            return f"{w}: removed"
        if self.op == "set":
            return f"{w}: set to {_show(self.new)}" if _short(self.new) else f"{w}: set"
        if self.op == "items":
            parts = []
            if self.plus:
                parts.append(f"+{self.plus} item{'s' * (self.plus != 1)}")
            if self.minus:
                parts.append(f"−{self.minus} item{'s' * (self.minus != 1)}")
            return f"{w}: {', '.join(parts)}"
        if self.op == "list":
            parts = [f"+{_show(v)}" for v in self.new] + [f"−{_show(v)}" for v in self.old]
            return f"{w}: {', '.join(parts) or 'reordered'}"
        if _short(self.old) and _short(self.new):
            return f"{w}: {_show(self.old)} → {_show(self.new)}"
        return f"{w}: changed"

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"field": self.where, "op": self.op, "text": self.text()}
        if self.op in ("changed", "set", "removed", "renamed"):
            out["old"] = _plain(self.old)
            out["new"] = _plain(self.new)
        if self.op == "items":
            out["added"], out["removed"] = self.plus, self.minus
        if self.op == "list":
            out["added"], out["removed"] = _plain(self.new), _plain(self.old)
        return out


def _short(value: Any) -> bool:
    if isinstance(value, (dict, list)):
        return False
    return not isinstance(value, str) or (len(value) <= SHORT and "\n" not in value)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, (date,)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _id_list(value: Any) -> bool:
    """A list of mappings each with a unique scalar id."""
    if not isinstance(value, list) or not value:
        return False
    ids = [v.get("id") for v in value if isinstance(v, dict)]
    return len(ids) == len(value) and all(isinstance(i, (str, int)) for i in ids) and len(set(ids)) == len(ids)


def _key(value: Any) -> Any:
    """A hashable form of a value, for multiset comparison."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    if isinstance(value, float) and value != value:
        return "nan"
    return value


def diff(old: Any, new: Any) -> list[Change]:
    """Field-level changes from one version of a record (plain data) to the next."""
    out: list[Change] = []
    _diff_map(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, (), (), out, top=True)
    return out


def _diff_map(old: dict, new: dict, path: tuple, loc: tuple, out: list[Change], *, top: bool = False) -> None:
    for key, value in new.items():
        before = old.get(key)
        if key not in old or before is None:
            if value is None:
                continue
            if top and key in ITEM_LISTS and _id_list(value):
                for i, item in enumerate(value):
                    out.append(Change((item["id"],), "added", None, item, loc=loc + (key, i)))
            elif isinstance(value, dict) and value:
                _diff_map({}, value, path + (key,), loc + (key,), out)
            elif isinstance(value, list) and value:
                _diff_list([], value, path + (key,), loc + (key,), out, item_list=False)
            else:
                out.append(Change(path + (key,), "set", None, value, loc=loc + (key,)))
            continue
        if value is None:
            out.append(Change(path + (key,), "removed", before, None, loc=loc + (key,)))
            continue
        _diff_value(before, value, path + (key,), loc + (key,), out, item_list=top and key in ITEM_LISTS)
    for key, before in old.items():
        if key not in new and before is not None:
            if top and key in ITEM_LISTS and _id_list(before):
                for item in before:
                    out.append(Change((item["id"],), "deleted", item, None, loc=(key,)))
            else:
                out.append(Change(path + (key,), "removed", before, None, loc=loc))


def _diff_value(old: Any, new: Any, path: tuple, loc: tuple, out: list[Change], *, item_list: bool = False) -> None:
    if old == new and type(old) is type(new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _diff_map(old, new, path, loc, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, loc, out, item_list=item_list)
        return
    out.append(Change(path, "changed", old, new, loc=loc))


def _diff_list(old: list, new: list, path: tuple, loc: tuple, out: list[Change], *, item_list: bool) -> None:
    if (_id_list(old) or not old) and (_id_list(new) or not new) and (old or new) and any(isinstance(v, dict) for v in old + new):
        before = {v["id"]: v for v in old}
        base = () if item_list else path
        for i, item in enumerate(new):
            if item["id"] not in before:
                out.append(Change(base + (item["id"],), "added", None, item, loc=loc + (i,)))
            else:
                _diff_value(before[item["id"]], item, base + (item["id"],), loc + (i,), out)
        ids = {v["id"] for v in new}
        for item in old:
            if item["id"] not in ids:
                out.append(Change(base + (item["id"],), "deleted", item, None, loc=loc))
        return
    if all(not isinstance(v, (dict, list)) for v in old + new):
        added = list((Counter(map(_key, new)) - Counter(map(_key, old))).elements())
        removed = list((Counter(map(_key, old)) - Counter(map(_key, new))).elements())
        out.append(Change(path, "list", removed, added, loc=loc))
        return
    entries = all(isinstance(v, dict) and "id" not in v for v in old + new)
    if len(old) == len(new) and not (entries and _looks_like_entries(old + new)):
        for i, (a, b) in enumerate(zip(old, new)):
            _diff_value(a, b, path + (i,), loc + (i,), out)
        return
    plus = sum((Counter(map(_key, new)) - Counter(map(_key, old))).values())
    minus = sum((Counter(map(_key, old)) - Counter(map(_key, new))).values())
    out.append(Change(path, "items", old, new, plus=plus, minus=minus, loc=loc))


def _looks_like_entries(values: list) -> bool:
    """Dated entries (updates, evidence): matched as a multiset, never by position."""
    return all("date" in v for v in values)


# --- one record's history -------------------------------------------------------------


@dataclass
class Version:
    """One commit that touched a record (or the uncommitted working copy), and what it changed."""

    sha: str | None  # None: uncommitted changes in the working tree
    date: str
    author: str
    message: str
    path: str
    old_path: str | None
    status: str  # A, M, D, R, or W (working tree)
    changes: list[Change] = field(default_factory=list)
    problem: str | None = None  # this version does not parse
    previous_problem: str | None = None  # the version before it does not parse
    items: frozenset = frozenset()  # for a created record: the ids of its items (for ID#ITEM)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    def as_dict(self) -> dict:
        return {
            "commit": self.sha, "date": self.date, "author": self.author, "message": self.message,
            "path": self.path, "old_path": self.old_path, "status": self.status,
            "changes": [c.as_dict() for c in self.changes], "problem": self.problem, "previous_problem": self.previous_problem,
        }


@dataclass
class History:
    record_id: str
    item: str | None
    path: str | None
    versions: list[Version]
    shallow: bool = False

    def as_dict(self) -> dict:
        return {"record": self.record_id, "item": self.item, "path": self.path, "shallow": self.shallow, "versions": [v.as_dict() for v in self.versions]}


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def _problem_text(p: Problem) -> str:
    return f"does not parse: {p.code} {p.message} (line {p.pos.line}, column {p.pos.col})"


def record_history(root: Path, record_id: str, *, item: str | None = None, path: str | None = None, include_worktree: bool = True) -> History:
    """Every commit that touched the record (following renames), newest first, with its field-level changes.

    `path` is the record's current path relative to the store root (None: find it in
    history, e.g. for a deleted record). `item` narrows the changes to one item (A3).
    """
    gitio.require_repo(root)
    commits = gitio.log(root)
    if path is None:
        for commit in commits:
            for ch in commit.changes:
                if _stem(ch.path) == record_id:
                    path = ch.path
                    break
            if path is not None:
                break
        if path is None:
            raise gitio.GitError(f"no record {record_id!r} in the store or its git history; check the id (`kscb list` shows them)")
    picked: list[tuple[gitio.Commit, gitio.FileChange]] = []
    current = path
    for commit in commits:
        for ch in commit.changes:
            if ch.path == current:
                picked.append((commit, ch))
                if ch.status == "R" and ch.old_path:
                    current = ch.old_path
                break
    versions_ = _Versions(root)
    versions_.fetch(b for _, ch in picked for b in (ch.old_blob, ch.new_blob))
    out: list[Version] = []
    worktree = _worktree_version(root, path, versions_, picked) if include_worktree else None
    if worktree is not None:
        out.append(worktree)
    for commit, ch in picked:
        v = Version(commit.sha, commit.date, commit.author, commit.message, ch.path, ch.old_path if ch.status == "R" else None, ch.status)
        before, after = versions_.get(ch.old_blob), versions_.get(ch.new_blob)
        _fill(v, before, after)
        out.append(v)
    if item:
        out = [v for v in out if _narrow(v, item)]
    return History(record_id, item, path, out, gitio.is_shallow(root))


def _fill(v: Version, before: Document | Problem | None, after: Document | Problem | None) -> None:
    if isinstance(after, Problem):
        v.problem = _problem_text(after)
    if isinstance(before, Problem) and v.status != "D":
        v.previous_problem = _problem_text(before)
    if v.status == "A":
        v.changes = [Change((), "created")]
        data = _data(after) or {}
        v.items = frozenset(i["id"] for name in ITEM_LISTS if isinstance(data.get(name), list) for i in data[name] if isinstance(i, dict) and isinstance(i.get("id"), str))
        return
    if v.status == "D":
        v.changes = [Change((), "deleted_record")]
        return
    if v.status == "R":
        v.changes.append(Change((), "renamed", v.old_path, v.path))
    if _data(before) is not None and _data(after) is not None:
        v.changes += diff(_data(before), _data(after))


def _narrow(v: Version, item: str) -> bool:
    """Keep only what the version did to one item; False when it did nothing to it."""
    if v.status == "A":
        if item not in v.items:
            return False
        v.changes = [Change((item,), "added")]
        return True
    if v.status == "D":
        return True
    keep = [c for c in v.changes if c.path[:1] == (item,)]
    v.changes = keep
    return bool(keep) or bool(v.problem)


def _worktree_version(root: Path, path: str, versions_: _Versions, picked: list) -> Version | None:
    """Uncommitted changes to the record's file, as a pseudo-version on top."""
    file = root / path
    head_blob = picked[0][1].new_blob if picked else None
    if not file.exists():
        return None
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    blob = gitio.git(root, "hash-object", "--", path).decode().strip()
    if blob == head_blob:
        return None
    v = Version(None, "", "", "uncommitted changes in the working tree", path, None, "W" if head_blob else "A")
    after: Document | Problem = parse_blob(raw)
    _fill(v, versions_.get(head_blob) if head_blob else None, after)
    return v


# --- the store's digest ---------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One thing that happened to the store in the period."""

    category: str  # created | deleted | renamed | status | finding | recommendation | action_completed | action_overdue | clock_met | clock_missed
    kind: str
    record_id: str
    title: str
    item: str | None = None
    old: Any = None
    new: Any = None
    date: str = ""  # the day it happened (commit author day, due date, clock date)
    commit: str | None = None
    author: str | None = None
    detail: str = ""

    def sort_key(self) -> tuple:
        return (self.kind, CATEGORIES.index(self.category), self.record_id, self.item or "", self.date, self.commit or "", str(self.new))

    def as_dict(self) -> dict:
        return {
            "category": self.category, "kind": self.kind, "record": self.record_id, "title": self.title, "item": self.item,
            "old": _plain(self.old), "new": _plain(self.new), "date": self.date, "commit": self.commit, "author": self.author,
            "detail": self.detail,
        }


CATEGORIES = ["created", "deleted", "renamed", "status", "finding", "recommendation", "action_completed", "action_overdue", "clock_met", "clock_missed"]
CATEGORY_TITLES = {
    "created": "Records created", "deleted": "Records deleted", "renamed": "Records renamed", "status": "Status changes",
    "finding": "New findings", "recommendation": "New recommendations", "action_completed": "Actions completed",
    "action_overdue": "Actions that became overdue", "clock_met": "Clocks met", "clock_missed": "Clocks missed",
}


@dataclass
class Digest:
    since: str  # as given
    until: str  # as given, or "HEAD"
    since_day: str
    until_day: str
    commits: int
    events: list[Event]
    shallow: bool = False
    clocks: bool = False  # whether clocks were included (kscb_cli.clocks is available)
    notes: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        for e in self.events:
            out.setdefault(e.kind, []).append(e)
        return out

    def as_dict(self) -> dict:
        return {
            "since": self.since, "until": self.until, "since_day": self.since_day, "until_day": self.until_day,
            "commits": self.commits, "shallow": self.shallow, "clocks": self.clocks, "notes": list(self.notes),
            "kinds": {k: [e.as_dict() for e in v] for k, v in sorted(self.by_kind().items())},
        }


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


_STATUS_LINE = re.compile(rb"^\s*(?:-\s+)?status:.*$", re.M)
_EVENT_LINE = re.compile(rb"^.*\b(?:status|id):.*$", re.M)


def _status_lines(raw: bytes | None) -> list[bytes]:
    return sorted(_STATUS_LINE.findall(raw or b""))


def _event_lines(raw: bytes | None) -> list[bytes]:
    """Lines that can carry a digest event (a status, an item id), as a multiset; None for a missing blob."""
    return sorted(_EVENT_LINE.findall(raw)) if raw is not None else None  # type: ignore[return-value]


@dataclass
class StoreRoot:
    """A store not loaded yet: its root and configuration. `changes` then reads only the records it needs."""

    root: Path
    config: Any


def changes(store: Any, since: Any, until: Any = None, *, today: date | None = None) -> Digest:
    """What changed in the store between `since` and `until` (dates YYYY-MM-DD or git revisions).

    `store` is a loaded Store, or a StoreRoot (then only the records the digest needs
    are read: the point of the one-pass design is that a 10,000-record store costs
    little more than its history). `until` None means up to HEAD, with the working
    tree's records and `today` as the end of the period for overdue actions and clocks.
    """
    import gc

    root: Path = store.root
    gitio.require_repo(root)
    since_rev, since_day = _bound(root, since, "--since")
    until_rev, until_day = _bound(root, until, "--until")
    if since_day is None:
        raise gitio.GitError("--since is required: a date YYYY-MM-DD (e.g. the last board meeting) or a commit, tag or branch")
    revs = [f"{since_rev}..{until_rev or 'HEAD'}"] if since_rev else [until_rev or "HEAD"]
    commits = gitio.log(root, revs) if gitio.has_commits(root) else []
    # the end of the period: --until, else today as the caller knows it, else the newest commit
    end_day = until_day or today or (date.fromisoformat(commits[0].committed_day) if commits else since_day)
    since_text, until_text = since_day.isoformat(), end_day.isoformat()
    window = []
    for c in commits:
        if since_rev is None and c.committed_day < since_text:
            continue
        if until_rev is None and until is not None and c.committed_day > until_text:
            continue
        window.append(c)
    versions_ = _Versions(root)
    versions_.fetch(b for c in window for ch in c.changes for b in (ch.old_blob, ch.new_blob))
    events: list[Event] = []
    enabled = gc.isenabled()
    gc.disable()  # bulk parsing: the collector only slows it down (PERFORMANCE.md)
    try:
        versions_.parse_all(b for c in window if len(c.parents) <= 1 for ch in c.changes for b in _needed(ch, versions_))
        for commit in window:
            if len(commit.parents) > 1:
                continue
            for ch in commit.changes:
                events += _events(commit, ch, versions_)
        events = _dedupe(events)
        if until is None and hasattr(store, "entries"):
            snapshot = store
        else:
            snapshot = _snapshot(store, root, commits, until, until_rev, until_text, versions_, since_day, end_day)
    finally:
        if enabled:
            gc.enable()
    events += _overdue(snapshot, since_day, end_day)
    notes: list[str] = []
    clocks_ok = False
    try:
        from .clocks import clocks as run_clocks  # written alongside; optional until it lands
    except ImportError:
        notes.append("clocks are not included: this version of kscb has no clocks module")
    else:
        clocks_ok = True
        events += _clock_events(run_clocks(snapshot, end_day), snapshot, since_day, end_day)
    events.sort(key=Event.sort_key)
    shallow = gitio.is_shallow(root)
    if shallow:
        notes.append("this clone is shallow: changes before its oldest commit are missing; run `git fetch --unshallow`")
    return Digest(str(since), str(until) if until is not None else "HEAD", since_text, until_text, len(window), events, shallow, clocks_ok, notes)


def _needed(ch: gitio.FileChange, versions_: _Versions) -> tuple:
    """The versions `_events` will parse for a change (the same cheap tests)."""
    if ch.status == "A":
        return (ch.new_blob,)
    if ch.status == "D":
        return (ch.old_blob,)
    if ch.old_blob == ch.new_blob or _event_lines(versions_.raw.get(ch.old_blob)) == _event_lines(versions_.raw.get(ch.new_blob)):
        return ((ch.new_blob,) if ch.status == "R" and ch.old_path and _stem(ch.old_path) != _stem(ch.path) else ())
    return (ch.old_blob, ch.new_blob)


def _title(data: dict | None, fallback: str) -> str:
    title = data.get("title") if data else None
    return title if isinstance(title, str) else fallback


def _events(commit: gitio.Commit, ch: gitio.FileChange, versions_: _Versions) -> list[Event]:
    rid = _stem(ch.path)
    base = {"date": commit.day, "commit": commit.sha, "author": commit.author}
    if ch.status == "A":
        after = versions_.get(ch.new_blob)
        data = _data(after)
        kind = str(data.get("kind")) if data and isinstance(data.get("kind"), str) else "unknown"
        out = [Event("created", kind, rid, _title(data, rid), new=data.get("status") if data else None,
                     detail="" if data else "this version does not parse", **base)]
        out += _new_items(kind, rid, _title(data, rid), {}, data or {}, base)
        return out
    if ch.status == "D":
        data = _data(versions_.get(ch.old_blob))
        kind = str(data.get("kind")) if data and isinstance(data.get("kind"), str) else "unknown"
        return [Event("deleted", kind, rid, _title(data, rid), old=data.get("status") if data else None, **base)]
    out: list[Event] = []
    if ch.status == "R" and ch.old_path and _stem(ch.old_path) != rid:
        data = _data(versions_.get(ch.new_blob))
        kind = str(data.get("kind")) if data and isinstance(data.get("kind"), str) else "unknown"
        out.append(Event("renamed", kind, rid, _title(data, rid), old=_stem(ch.old_path), new=rid, **base))
    if ch.old_blob == ch.new_blob or _event_lines(versions_.raw.get(ch.old_blob)) == _event_lines(versions_.raw.get(ch.new_blob)):
        return out  # no status line and no item id changed: nothing for the digest (the cheap test first)
    before, after = _data(versions_.get(ch.old_blob)), _data(versions_.get(ch.new_blob))
    if before is None or after is None:
        return out
    kind = str(after.get("kind")) if isinstance(after.get("kind"), str) else "unknown"
    title = _title(after, rid)
    for t in transitions(before, after):
        if t.item is None:
            out.append(Event("status", kind, rid, title, None, t.old, t.new, **base))
        elif t.new in ("complete", "embedded"):
            action = _item(after, "actions", t.item)
            out.append(Event("action_completed", kind, rid, title, t.item, t.old, t.new, detail=_text(action, "action"), **base))
    out += _new_items(kind, rid, title, before, after, base)
    return out


def _item(data: dict, list_name: str, item_id: str) -> dict:
    for v in data.get(list_name) or ():
        if isinstance(v, dict) and v.get("id") == item_id:
            return v
    return {}


def _text(item: dict, key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    return " ".join(value.split()) if isinstance(value, str) else ""


def _new_items(kind: str, rid: str, title: str, before: dict, after: dict, base: dict) -> list[Event]:
    out = []
    for list_name, category, text_key in (("findings", "finding", "summary"), ("recommendations", "recommendation", "text")):
        old = before.get(list_name) if isinstance(before.get(list_name), list) else []
        had = {v.get("id") for v in old if isinstance(v, dict)}
        for v in after.get(list_name) or () if isinstance(after.get(list_name), list) else ():
            if isinstance(v, dict) and isinstance(v.get("id"), str) and v.get("id") not in had:
                out.append(Event(category, kind, rid, title, v["id"], detail=_text(v, text_key), **base))
    return out


def _dedupe(events: list[Event]) -> list[Event]:
    """An item added twice in the period (added, removed, added again) is one new item: keep the latest."""
    seen: set[tuple] = set()
    out = []
    for e in events:  # newest first
        if e.category in ("finding", "recommendation", "action_completed"):
            key = (e.category, e.record_id, e.item)
            if key in seen:
                continue
            seen.add(key)
        out.append(e)
    return out


# The kinds the digest reads at the end of the period: action plans (overdue actions) and
# the kinds kscb_cli.clocks clocks (keep in step with clocks.py). Everything else is skipped.
CLOCK_KINDS = frozenset({"notification", "rapid_review", "review", "section11"})
_KIND_LINE = re.compile(rb"^kind:[ \t]*([a-z_0-9]+)[ \t]*(?:#.*)?$", re.M)
_DATES = re.compile(rb"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")
_DUE = re.compile(rb"\bdue:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})")
_NOTIFICATION = re.compile(rb"^notification:[ \t]*['\"]?([A-Z0-9-]+)", re.M)


def _window(config: Any, since: date, end: date) -> tuple[str, str]:
    """The dates a record must mention for one of its clocks to be met or missed in the period.

    A clock's due date is a start date in the record plus at most `review_months` months (or
    `progress_check_days` days, or some working days); a publication notice is due before
    the publication date. The margins are generous: the records in the window are then
    clocked exactly by kscb_cli.clocks.
    """
    c = getattr(config, "clocks", None)
    working = max((getattr(c, n, 15) for n in ("notification_working_days", "rapid_review_working_days", "publication_notice_working_days")), default=15)
    before = max(getattr(c, "review_months", 6) * 31 + 7, getattr(c, "progress_check_days", 60) + 7, working * 2 + 21)
    after = getattr(c, "publication_notice_working_days", 7) * 2 + 21
    return (since - timedelta(days=before)).isoformat(), (end + timedelta(days=after)).isoformat()


def _lean(raws: dict[str, bytes | None], config: Any, since: date, end: date) -> set[str]:
    """The record files the digest needs at the end of the period, judged from their bytes.

    Action plans with a due date in the period (an action can only have fallen due then);
    clocked records that mention a date near the period, with each rapid review and its
    notification together (a rapid review's clock starts from its notification). A file
    whose kind cannot be seen from its bytes is always read.
    """
    lo, hi = since.isoformat(), end.isoformat()
    clo, chi = _window(config, since, end)
    keep: set[str] = set()
    rr_of: dict[str, list[str]] = {}
    notifications: dict[str, str] = {}
    rr_notification: dict[str, str | None] = {}
    for rel, raw in raws.items():
        if raw is None:
            continue
        m = _KIND_LINE.search(raw)
        if m is None:
            keep.add(rel)
            continue
        kind = m.group(1).decode()
        if kind == "action_plan":
            if b"revised_due" in raw or any(lo <= d.decode() < hi for d in _DUE.findall(raw)):
                keep.add(rel)
        elif kind in CLOCK_KINDS:
            if any(clo <= d.decode() <= chi for d in _DATES.findall(raw)):
                keep.add(rel)
            if kind == "notification":
                notifications[_stem(rel)] = rel
            elif kind == "rapid_review":
                n = _NOTIFICATION.search(raw)
                rr_notification[rel] = n.group(1).decode() if n else None
                if n:
                    rr_of.setdefault(n.group(1).decode(), []).append(rel)
    for rel, nid in rr_notification.items():
        if nid is None:
            keep.add(rel)  # an unusual layout: keep it, and it is read properly
        elif rel in keep and nid in notifications:
            keep.add(notifications[nid])
    for nid, rel in notifications.items():
        if rel in keep:
            keep.update(rr_of.get(nid, ()))
    return keep


def _clean_blobs(root: Path) -> dict[str, str]:
    """{path: blob id} of record files whose working-tree content is the committed one."""
    staged = gitio.git(root, "ls-files", "-s", "-z", "--", gitio.RECORDS, check=False)
    found: dict[str, str] = {}
    for row in staged.split(b"\x00"):
        meta, _, name = row.partition(b"\t")
        if name:
            found[name.decode("utf-8", "surrogateescape")] = meta.split(b" ")[1].decode()
    dirty = gitio.git(root, "diff", "--name-only", "-z", "--relative", "HEAD", "--", gitio.RECORDS, check=False)
    for name in dirty.split(b"\x00"):
        found.pop(name.decode("utf-8", "surrogateescape"), None)
    return found


def _snapshot(store: Any, root: Path, commits: list[gitio.Commit], until: Any, until_rev: str | None, until_text: str,
              versions_: _Versions, since: date, end: date) -> Any:
    """The store at the end of the period, with the records the digest needs: from the working tree
    (`until` None), else from git at `until` (a revision, or the last commit on or before a date)."""
    from .source import decode
    from .store import Entry, Store, record_files
    from .model import Record
    from .validate import schema_problems

    raws: dict[str, bytes | None] = {}
    blobs: dict[str, str] = {}
    if until is None:
        files, _ = record_files(root)
        clean = _clean_blobs(root)  # unchanged files: their versions may already be parsed
        for path in files:
            rel = path.relative_to(root).as_posix()
            if rel in clean and clean[rel] in versions_.raw:
                blobs[rel] = clean[rel]
                raws[rel] = versions_.raw[clean[rel]]
                continue
            try:
                raws[rel] = path.read_bytes()
            except OSError:
                continue
    else:
        rev = until_rev or next((c.sha for c in commits if c.committed_day <= until_text), None)
        tree = gitio.tree_files(root, rev) if rev else {}
        blobs = {rel: blob for rel, blob in tree.items() if rel.endswith((".yaml", ".yml"))}
        versions_.fetch(blobs.values())
        raws = {rel: versions_.raw.get(blob) for rel, blob in blobs.items()}
    entries = []
    keep = _lean(raws, store.config, since, end)
    versions_.parse_all(blobs[rel] for rel in keep if rel in blobs)
    for rel, raw in sorted(raws.items()):
        if rel not in keep:
            continue
        entry = Entry(root / rel, rel)
        if rel in blobs:
            version = versions_.get(blobs[rel])
        else:
            try:
                version = parse(decode(raw))
            except SourceError as exc:
                version = exc.problem
        if isinstance(version, Problem):
            entry.problem = version
        else:
            entry.doc = version
            entry.record, entry.schema = schema_problems(Record, version)
        entries.append(entry)
    return Store(root, store.config, entries)


def _effective_due(action: Any) -> date | None:
    revised = getattr(action, "revised_due", None)
    return revised.date if revised is not None else getattr(action, "due", None)


def _overdue(store: Any, since: date, end: date) -> list[Event]:
    """Actions not complete whose (revised) due date passed in the period: they became overdue."""
    out = []
    for plan in store.of_kind("action_plan"):
        for action in plan.actions:
            due = _effective_due(action)
            if action.status in ("not_started", "in_progress") and due is not None and since <= due < end:
                out.append(Event("action_overdue", "action_plan", plan.id, plan.title, action.id, None, action.status,
                                 date=(due + timedelta(days=1)).isoformat(), detail=" ".join(action.action.split())))
    return out


def _clock_events(clocks: Iterable[Any], store: Any, since: date, end: date) -> list[Event]:
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
            out.append(Event(category, kind, clock.record_id, title, None, _plain(due), _plain(done), date=done.isoformat(), detail=state))
        elif done is None and due is not None and since <= due < end:
            out.append(Event("clock_missed", kind, clock.record_id, title, None, _plain(due), None, date=(due + timedelta(days=1)).isoformat(), detail=state))
    return out


# --- transitions recorded in git ------------------------------------------------------


@dataclass(frozen=True)
class RecordedTransition:
    """A status change made by a commit, with where it is in that version of the file."""

    commit: gitio.Commit
    path: str
    transition: Transition
    line: int  # of the status in that version; 0 unless the step broke its lifecycle (positions cost a parse)
    col: int
    forced: str | None  # the reason given with --force, from the commit's trailer


def recorded_transitions(root: Path) -> list[RecordedTransition]:
    """Every status change in the history of records/, oldest first; positioned where the step is not allowed."""
    gitio.require_repo(root)
    commits = gitio.log(root)
    candidates = [(c, ch) for c in commits if len(c.parents) <= 1 for ch in c.changes if ch.status in ("M", "R") and ch.old_blob and ch.new_blob and ch.old_blob != ch.new_blob]
    versions_ = _Versions(root)
    versions_.fetch(b for _, ch in candidates for b in (ch.old_blob, ch.new_blob))
    out = []
    # no status line changed: no transition (the cheap test first)
    candidates = [(c, ch) for c, ch in candidates if _status_lines(versions_.raw.get(ch.old_blob)) != _status_lines(versions_.raw.get(ch.new_blob))]
    versions_.parse_all(b for _, ch in candidates for b in (ch.old_blob, ch.new_blob))
    for commit, ch in reversed(candidates):
        before, after = versions_.get(ch.old_blob), versions_.get(ch.new_blob)
        if not isinstance(before, Document) or not isinstance(after, Document):
            continue
        forced = _forced(commit.message)
        for t in transitions(before.data, after.data):
            if t.ok or forced is not None:
                out.append(RecordedTransition(commit, ch.path, t, 0, 0, forced))
                continue
            positioned = versions_.positioned(ch.new_blob)
            pos = positioned.pos(t.loc) if isinstance(positioned, Document) else after.pos(t.loc)
            out.append(RecordedTransition(commit, ch.path, t, pos.line, pos.col, forced))
    return out


def _forced(message: str) -> str | None:
    for line in message.splitlines():
        if line.startswith(FORCED_TRAILER):
            return line[len(FORCED_TRAILER):].strip() or None
    return None


HISTORY_CODE = "H001"
HISTORY_RULE = "status-transition"


def check_history(root: Path) -> list:
    """Diagnostics for commits whose status changes broke a lifecycle (lifecycle.py), oldest commit first.

    Each names the commit, its day and author, and the step that is not allowed, at the
    status's line in that version of the file. Commits made with ``kscb set --force
    --reason`` carry a ``Kscb-Forced:`` trailer and are accepted.
    """
    from .diagnostics import Diagnostic, Severity

    out = []
    for rt in recorded_transitions(root):
        if rt.forced is not None or rt.transition.ok:
            continue
        c = rt.commit
        message = (
            f"commit {c.sha[:10]} ({c.day}, {c.author}: {c.subject!r}) {rt.transition.message()}; "
            "check the record holds the steps in between, and use `kscb set --force --reason` for a deliberate jump"
        )
        out.append(Diagnostic(rt.path, rt.line, rt.col, HISTORY_CODE, Severity.warning, HISTORY_RULE, message, rt.transition.record_id))
    return out


__all__ = [
    "Change", "Digest", "Event", "History", "RecordedTransition", "Version", "changes", "check_history", "diff",
    "parse_blob", "record_history", "recorded_transitions",
]
