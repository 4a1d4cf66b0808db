"""Saving without git knowledge: what changed since the last save, and one checked commit of it.

`kscb status` and `kscb save` see only the store's own files — ``records/``, ``kscb.yaml``,
``templates/``, ``schemas/`` and ``.gitignore`` — never ``private/`` (git-ignored, and
never named in a pathspec here even when someone has un-ignored it). A save lints what
changed, against the whole store (a reference to an agency that does not exist is caught),
refuses on any error in a changed record (privacy rules included: the same checks as the
commit guard, and stronger), then stages exactly those files and commits them, leaving
anything else the user has staged alone.

Deleting a record is checked too: an error elsewhere that names a deleted id (a plan whose
source was removed) blocks the save. A change to kscb.yaml can break any record, so then
every error in the store blocks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base.diagnostics import Diagnostic
from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import CONFIG, PRIVATE, RECORDS, STORE_PATHS

if TYPE_CHECKING:
    from kscb_cli.store.store import Store

STATES = {"A": "new", "M": "edited", "T": "edited", "D": "deleted"}


@dataclass
class FileChange:
    """One store file that differs from the last save."""

    state: str  # new | edited | deleted
    rel: str  # relative to the store root
    record_id: str | None = None  # for record files
    kind: str | None = None
    fields: list[str] = field(default_factory=list)  # "A3.status: in_progress → complete"
    errors: int = 0
    warnings: int = 0

    @property
    def is_record(self) -> bool:
        return self.rel.startswith(f"{RECORDS}/") and self.rel.endswith((".yaml", ".yml"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "path": self.rel,
            "id": self.record_id,
            "kind": self.kind,
            "fields": self.fields,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class Status:
    root: Path
    changes: list[FileChange]
    diagnostics: list[Diagnostic]  # lint findings in the changed records (and what a deletion broke)
    saved: bool  # the store has at least one commit
    private_tracked: list[str] = field(default_factory=list)  # private/ files git tracks: a leak to purge

    @property
    def blocking(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


# --- git ------------------------------------------------------------------------------------


def identity_problem(root: Path) -> str | None:
    """Why git could not make a commit as someone here, or None. The message says how to fix it."""
    from kscb_cli.base.gitio import git

    for what in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        try:
            git(root, "var", what)
        except KscbError:
            return (
                "git does not know who you are, and every save records who made it. Tell it once, with your "
                'work name and e-mail:\n  git config --global user.name "Your Name"\n  git config --global user.email "you@example.org"'
            )
    return None


def require_identity(root: Path) -> None:
    """Refuse before writing anything when git could not record who made a commit."""
    problem = identity_problem(root)
    if problem:
        raise KscbError(problem + "\nthen run the command again (nothing was written)")


def commit_paths(root: Path, paths: list[str], message: str) -> str:
    """Stage exactly `paths` (added, changed or deleted) and commit only them. The new commit id."""
    from kscb_cli.base.gitio import GitError, git

    problem = identity_problem(root)
    if problem:
        raise KscbError(problem)
    if not paths:
        raise KscbError("nothing to commit")
    listed = "\0".join(paths).encode("utf-8", "surrogateescape") + b"\0"
    # --literal-pathspecs: a file named like a pattern is that file; --pathspec-from-file: no argument limit
    git(root, "--literal-pathspecs", "add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul", input=listed)
    try:
        git(
            root,
            "--literal-pathspecs",
            "commit",
            "--quiet",
            "-m",
            message,
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
            input=listed,
        )
    except GitError as exc:
        raise KscbError(
            f"git refused the commit ({exc.message}); your files are staged and unchanged — fix the cause and save again"
        ) from None
    return git(root, "rev-parse", "HEAD").decode().strip()


def _split(out: bytes) -> list[str]:
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _existing(root: Path) -> list[str]:
    return [p for p in STORE_PATHS if (root / p).exists()]


def changed_files(root: Path) -> tuple[list[tuple[str, str]], bool]:
    """([(state, rel)], has_commits) for the store's files that differ from HEAD (or all of them before the first save)."""
    from kscb_cli.base.gitio import git, has_commits, require_repo

    require_repo(root)
    paths = _existing(root)
    saved = has_commits(root)
    found: dict[str, str] = {}
    if saved:
        # every path HEAD has under the store paths, so deletions of whole folders show too
        raw = git(
            root,
            "--literal-pathspecs",
            "diff",
            "HEAD",
            "--name-status",
            "-z",
            "--no-renames",
            "--relative",
            "--",
            *STORE_PATHS,
        )
        tokens = _split(raw)
        for letter, rel in zip(tokens[::2], tokens[1::2]):
            found[rel] = STATES.get(letter[:1], "edited")
    else:
        for rel in _split(git(root, "--literal-pathspecs", "ls-files", "-z", "--", *paths)) if paths else ():
            found[rel] = "new"
    if paths:
        for rel in _split(
            git(root, "--literal-pathspecs", "ls-files", "--others", "--exclude-standard", "-z", "--", *paths)
        ):
            found[rel] = "new"
    for rel in list(found):
        if rel.startswith("private/") or rel.endswith(".tmp") and Path(rel).name.startswith("."):
            del found[rel]
    return sorted(((state, rel) for rel, state in found.items()), key=lambda c: (c[1])), saved


def private_tracked(root: Path) -> list[str]:
    """Files under private/ that git tracks: they are in the history and must be purged (docs/purge.md)."""
    from kscb_cli.base.gitio import git

    return _split(git(root, "--literal-pathspecs", "ls-files", "-z", "--", PRIVATE))


# --- status -----------------------------------------------------------------------------------


def status(store: Store, today: date) -> Status:
    """What changed since the last save, record by record, with the lint findings of each."""
    from kscb_cli.lint.linter import lint

    root = store.root
    listed, saved = changed_files(root)
    changes = [FileChange(state, rel) for state, rel in listed]
    old = _old_versions(root, [c.rel for c in changes if c.state != "new" and c.is_record]) if saved else {}
    by_rel = {e.rel: e for e in store.entries}
    for change in changes:
        if not change.is_record:
            continue
        entry = by_rel.get(change.rel)
        data = (
            entry.doc.data if entry is not None and entry.doc is not None and isinstance(entry.doc.data, dict) else None
        )
        before = old.get(change.rel)
        if data is None and isinstance(before, dict):
            data_id, data_kind = before.get("id"), before.get("kind")
        else:
            data_id, data_kind = (data or {}).get("id"), (data or {}).get("kind")
        change.record_id = data_id if isinstance(data_id, str) else Path(change.rel).stem
        change.kind = data_kind if isinstance(data_kind, str) else None
        if change.state == "edited" and isinstance(before, dict) and isinstance(data, dict):
            from kscb_cli.history import diff

            change.fields = [c.text() for c in diff(before, data)]
    record_paths = [root / c.rel for c in changes if c.is_record and c.state != "deleted" and c.rel in by_rel]
    diagnostics: list[Diagnostic] = []
    config_changed = any(c.rel == CONFIG for c in changes)
    deleted_ids = {c.record_id for c in changes if c.state == "deleted" and c.record_id}
    if config_changed or deleted_ids:
        everything = lint(store, today=today).diagnostics
        wanted = {c.rel for c in changes}
        for d in everything:
            if (
                d.path in wanted
                or (config_changed and d.severity.value == "error")
                or (d.severity.value == "error" and any(i in d.message for i in deleted_ids))
            ):
                diagnostics.append(d)
    elif record_paths:
        diagnostics = lint(store, today=today, paths=record_paths).diagnostics
    for change in changes:
        mine = [d for d in diagnostics if d.path == change.rel]
        change.errors = sum(1 for d in mine if d.severity.value == "error")
        change.warnings = sum(1 for d in mine if d.severity.value == "warning")
        if any(d.code.startswith("P") for d in mine) and change.fields:
            # never echo what the privacy rules found: say which fields changed, not to what
            change.fields = [
                f"{text.split(':', 1)[0]}: changed (value not shown: it may hold personal data)"
                for text in change.fields
            ]
    return Status(root, changes, sorted(diagnostics), saved, private_tracked(root))


def _old_versions(root: Path, rels: list[str]) -> dict[str, object]:
    """{rel: the parsed data at HEAD} for the given record files."""
    from kscb_cli.base.gitio import read_blobs, tree_files
    from kscb_cli.store.source import Document
    from kscb_cli.store.versions import parse_blob

    if not rels:
        return {}
    tree = tree_files(root, "HEAD")
    blobs = read_blobs(root, [tree[r] for r in rels if r in tree])
    out: dict[str, object] = {}
    for rel in rels:
        if rel in tree:
            parsed = parse_blob(blobs.get(tree[rel]))
            out[rel] = parsed.data if isinstance(parsed, Document) else None
    return out


# --- save ---------------------------------------------------------------------------------------


@dataclass
class Saved:
    commit: str
    changes: list[FileChange]
    warnings: list[Diagnostic]


def save(store: Store, message: str, today: date) -> Saved:
    """Lint what changed, refuse on any error, then commit exactly the store's changed files."""
    message = message.strip()
    if not message:
        raise KscbError(
            'say what you did in the message, e.g. kscb save "Updated the police actions after the March meeting"'
        )
    problem = identity_problem(store.root)
    if problem:
        raise KscbError(problem + "\nthen run the same `kscb save` again (nothing was saved)")
    state = status(store, today)
    if state.private_tracked:
        raise KscbError(
            f"git is tracking {', '.join(state.private_tracked)} in private/, which must never be committed; "
            "remove it from git (`git rm --cached` the file) and purge it from the history (docs/purge.md) before saving"
        )
    if not state.changes:
        raise KscbError("nothing has changed since the last save; `kscb status` shows what is unsaved")
    if state.blocking:
        n = len(state.blocking)
        raise KscbError(
            f"not saved: {n} error{'s' * (n != 1)} in what changed (above); fix them, then save again — "
            "`kscb lint` shows them with how to fix each",
            diagnostics=state.blocking,
        )
    body = "\n".join(f"{c.state}: {c.record_id or c.rel}" for c in state.changes)
    sha = commit_paths(store.root, [c.rel for c in state.changes], f"{message}\n\n{body}")
    return Saved(sha, state.changes, [d for d in state.diagnostics if d.severity.value != "error"])


__all__ = [
    "FileChange",
    "STORE_PATHS",
    "Saved",
    "Status",
    "changed_files",
    "commit_paths",
    "identity_problem",
    "private_tracked",
    "require_identity",
    "save",
    "status",
]
