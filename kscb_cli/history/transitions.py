"""Status transitions recorded in git, checked against the lifecycles (`kscb history --check`, `kscb lint --history`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kscb_cli.base import gitio
from kscb_cli.domain.lifecycle import FORCED_TRAILER, Transition, transitions
from kscb_cli.store.source import Document
from kscb_cli.store.versions import Versions

if TYPE_CHECKING:
    from kscb_cli.base.diagnostics import Diagnostic

_STATUS_LINE = re.compile(rb"^\s*(?:-\s+)?status:.*$", re.M)


def _status_lines(raw: bytes | None) -> list[bytes]:
    return sorted(_STATUS_LINE.findall(raw or b""))


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
    # (commit, change, old blob, new blob): files modified in place or moved, their content changed
    candidates = [
        (c, ch, ch.old_blob, ch.new_blob)
        for c in commits
        if len(c.parents) <= 1
        for ch in c.changes
        if ch.status in ("M", "R") and ch.old_blob and ch.new_blob and ch.old_blob != ch.new_blob
    ]
    versions_ = Versions(root)
    versions_.fetch(b for _, _, old, new in candidates for b in (old, new))
    out = []
    # no status line changed: no transition (the cheap test first)
    candidates = [
        (c, ch, old, new)
        for c, ch, old, new in candidates
        if _status_lines(versions_.raw.get(old)) != _status_lines(versions_.raw.get(new))
    ]
    versions_.parse_all(b for _, _, old, new in candidates for b in (old, new))
    for commit, ch, old, new in reversed(candidates):
        before, after = versions_.get(old), versions_.get(new)
        if not isinstance(before, Document) or not isinstance(after, Document):
            continue
        forced = _forced(commit.message)
        for t in transitions(before.data, after.data):
            if t.ok or forced is not None:
                out.append(RecordedTransition(commit, ch.path, t, 0, 0, forced))
                continue
            positioned = versions_.positioned(new)
            pos = positioned.pos(t.loc) if isinstance(positioned, Document) else after.pos(t.loc)
            out.append(RecordedTransition(commit, ch.path, t, pos.line, pos.col, forced))
    return out


def _forced(message: str) -> str | None:
    for line in message.splitlines():
        if line.startswith(FORCED_TRAILER):
            return line[len(FORCED_TRAILER) :].strip() or None
    return None


HISTORY_CODE = "H001"
HISTORY_RULE = "status-transition"


def check_history(root: Path) -> list[Diagnostic]:
    """Diagnostics for commits whose status changes broke a lifecycle (lifecycle.py), oldest commit first.

    Each names the commit, its day and author, and the step that is not allowed, at the
    status's line in that version of the file. Commits made with ``kscb set --force
    --reason`` carry a ``Kscb-Forced:`` trailer and are accepted.
    """
    from kscb_cli.base.diagnostics import Diagnostic, Severity

    out = []
    for rt in recorded_transitions(root):
        if rt.forced is not None or rt.transition.ok:
            continue
        c = rt.commit
        message = (
            f"commit {c.sha[:10]} ({c.day}, {c.author}: {c.subject!r}) {rt.transition.message()}; "
            "check the record holds the steps in between, and use `kscb set --force --reason` for a deliberate jump"
        )
        out.append(
            Diagnostic(
                rt.path, rt.line, rt.col, HISTORY_CODE, Severity.warning, HISTORY_RULE, message, rt.transition.record_id
            )
        )
    return out
