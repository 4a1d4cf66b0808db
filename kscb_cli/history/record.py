"""One record's history (`kscb history`): every commit that touched it, following renames, with its field-level changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kscb_cli.base import gitio
from kscb_cli.base.paths import ITEM_LISTS
from kscb_cli.history.diff import Change, diff
from kscb_cli.store.source import Document, Problem
from kscb_cli.store.versions import Versions, parse_blob, record_stem, version_data


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
    items: frozenset[str] = frozenset()  # for a created record: the ids of its items (for ID#ITEM)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.sha,
            "date": self.date,
            "author": self.author,
            "message": self.message,
            "path": self.path,
            "old_path": self.old_path,
            "status": self.status,
            "changes": [c.as_dict() for c in self.changes],
            "problem": self.problem,
            "previous_problem": self.previous_problem,
        }


@dataclass
class History:
    record_id: str
    item: str | None
    path: str | None
    versions: list[Version]
    shallow: bool = False
    renamed_to: str | None = None  # asked for by an old id: the id the record has now

    def as_dict(self) -> dict[str, Any]:
        out = {
            "record": self.record_id,
            "item": self.item,
            "path": self.path,
            "shallow": self.shallow,
            "versions": [v.as_dict() for v in self.versions],
        }
        if self.renamed_to:
            out["renamed_to"] = self.renamed_to
        return out


def _problem_text(p: Problem) -> str:
    return f"does not parse: {p.code} {p.message} (line {p.pos.line}, column {p.pos.col})"


def record_history(
    root: Path, record_id: str, *, item: str | None = None, path: str | None = None, include_worktree: bool = True
) -> History:
    """Every commit that touched the record (following renames), newest first, with its field-level changes.

    `path` is the record's current path relative to the store root (None: find it in
    history, e.g. for a deleted record). `item` narrows the changes to one item (A3).
    """
    gitio.require_repo(root)
    commits = gitio.log(root)
    renamed_to: str | None = None
    if path is None:
        for commit in commits:
            for ch in commit.changes:
                if record_stem(ch.path) == record_id:
                    path = ch.path
                    break
            if path is not None:
                break
        if path is None:
            raise gitio.GitError(
                f"no record {record_id!r} in the store or its git history; check the id (`kscb list` shows them)"
            )
        renamed = _renamed_to(commits, path)
        if renamed is not None:
            path = renamed
            renamed_to = record_stem(renamed)
    picked: list[tuple[gitio.Commit, gitio.FileChange]] = []
    current = path
    for commit in commits:
        for ch in commit.changes:
            if ch.path == current:
                picked.append((commit, ch))
                if ch.status == "R" and ch.old_path:
                    current = ch.old_path
                break
    versions_ = Versions(root)
    versions_.fetch(b for _, ch in picked for b in (ch.old_blob, ch.new_blob))
    out: list[Version] = []
    worktree = _worktree_version(root, path, versions_, picked) if include_worktree else None
    if worktree is not None:
        out.append(worktree)
    for commit, ch in picked:
        v = Version(
            commit.sha,
            commit.date,
            commit.author,
            commit.message,
            ch.path,
            ch.old_path if ch.status == "R" else None,
            ch.status,
        )
        before, after = versions_.get(ch.old_blob), versions_.get(ch.new_blob)
        _fill(v, before, after)
        out.append(v)
    if item:
        out = [v for v in out if _narrow(v, item)]
    return History(renamed_to or record_id, item, path, out, gitio.is_shallow(root), renamed_to)


def _renamed_to(commits: list[gitio.Commit], path: str) -> str | None:
    """Where a file that is no longer there went: the path after its renames (newest last), if any."""
    moves: dict[str, str] = {}
    for commit in reversed(commits):  # oldest first, so a chain of renames is followed in order
        for ch in commit.changes:
            if ch.status == "R" and ch.old_path:
                moves[ch.old_path] = ch.path
            elif ch.status == "A":
                moves.pop(ch.path, None)  # a new file at that path: not the renamed record
    seen, current = set(), path
    while current in moves and current not in seen:
        seen.add(current)
        current = moves[current]
    if current == path:
        return None
    # a rename followed by a deletion leaves nothing to show
    for commit in commits:
        for ch in commit.changes:
            if ch.path == current:
                return current if ch.status != "D" else None
    return current


def _fill(v: Version, before: Document | Problem | None, after: Document | Problem | None) -> None:
    if isinstance(after, Problem):
        v.problem = _problem_text(after)
    if isinstance(before, Problem) and v.status != "D":
        v.previous_problem = _problem_text(before)
    if v.status == "A":
        v.changes = [Change((), "created")]
        data = version_data(after) or {}
        v.items = frozenset(
            i["id"]
            for name in ITEM_LISTS
            if isinstance(data.get(name), list)
            for i in data[name]
            if isinstance(i, dict) and isinstance(i.get("id"), str)
        )
        return
    if v.status == "D":
        v.changes = [Change((), "deleted_record")]
        return
    if v.status == "R":
        v.changes.append(Change((), "renamed", v.old_path, v.path))
    if version_data(before) is not None and version_data(after) is not None:
        v.changes += diff(version_data(before), version_data(after))


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


def _worktree_version(
    root: Path, path: str, versions_: Versions, picked: list[tuple[gitio.Commit, gitio.FileChange]]
) -> Version | None:
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
