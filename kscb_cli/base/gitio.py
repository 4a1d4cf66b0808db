"""Git plumbing for the audit trail: one `git log` pass, one `git cat-file --batch` process.

Every function runs git with the store root as its working directory and returns
plain data; paths are relative to the store root (``--relative``), so a store that
lives in a sub-folder of a repository works the same as one at the top.

Costs (PERFORMANCE.md): ``git log --follow`` per file is 30–320 ms, so nothing here
ever runs git once per record. The whole history of ``records/`` comes from one
``git log -z --raw -M`` pass, and blob contents from one ``cat-file --batch`` process.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kscb_cli.base import paths
from kscb_cli.base.errors import KscbError

RECORDS = paths.RECORDS + "/"  # a pathspec: the records folder and everything below it
NULL_SHA = "0" * 40

# One commit header: fields separated by US (0x1f), the commit preceded by RS (0x1e).
# The message comes last because it is the only field that may hold newlines.
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%cI%x1f%B"


class GitError(KscbError):
    """git is missing, the store is not in a repository, or a revision does not exist."""


@dataclass(frozen=True)
class FileChange:
    """One record file changed by one commit (against its first parent)."""

    status: str  # A added, M modified, D deleted, R renamed (T type change counts as M)
    path: str  # the path after the commit (for D: the path that was deleted)
    old_path: str | None  # the path before (R, M, D); None for A
    old_blob: str | None  # None for A
    new_blob: str | None  # None for D


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    date: str  # author date, strict ISO 8601 with offset
    committed: str  # committer date, strict ISO 8601 with offset
    message: str
    changes: list[FileChange] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def committed_day(self) -> str:
        return self.committed[:10]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C")
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def git(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run git in `root`; stdout as bytes. A failure is a GitError naming the command."""
    return started(root, *args, input=input, check=check)()


def started(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> Callable[[], bytes]:
    """Start git in `root` and return at once; calling the result waits for its stdout (as `git`).

    git runs on another core meanwhile: a command can read the store while git walks its history.
    """
    try:
        proc = subprocess.Popen(
            ["git", *args],
            cwd=root,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH; install git to use the audit trail") from None

    def result() -> bytes:
        out, err = proc.communicate(input)
        if check and proc.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise GitError(
                f"`git {' '.join(args[:3])}` failed: {lines[-1] if lines else 'exit ' + str(proc.returncode)}"
            )
        return out

    return result


def is_repo(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree", check=False).strip() == b"true"
    except GitError:
        return False


def require_repo(root: Path) -> None:
    if not is_repo(root):
        raise GitError(
            f"{root} is not inside a git repository; the audit trail needs git (`git init` and commit the records)"
        )


def has_commits(root: Path) -> bool:
    return bool(git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip())


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository", check=False).strip() == b"true"


def rev_parse(root: Path, rev: str) -> str:
    """The commit id of `rev`, or a GitError saying it does not exist."""
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision; give a commit, tag or branch")
    out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    if not out:
        raise GitError(f"no commit {rev!r} in this repository; give a commit, tag, branch or a date YYYY-MM-DD")
    return out.decode()


def commit_date(root: Path, rev: str) -> str:
    """The committer date (strict ISO 8601) of a commit."""
    return git(root, "show", "-s", "--format=%cI", rev_parse(root, rev)).decode().strip()


def log(root: Path, revs: Iterable[str] = ("HEAD",), paths: Iterable[str] = (RECORDS,)) -> list[Commit]:
    """Every commit reachable from `revs` that touched `paths`, newest first, with its file changes.

    A merge commit carries the files it changed itself — those that differ from every
    parent (`--cc`: a resolved conflict, an edit made while merging), against its first
    parent; what the merged branch changed arrives through that branch's own commits.
    Renames are detected (-M) so a moved record keeps its history.
    """
    return log_started(root, revs, paths)()


def log_started(
    root: Path, revs: Iterable[str] = ("HEAD",), paths: Iterable[str] = (RECORDS,)
) -> Callable[[], list[Commit]]:
    """`log`, started: git walks the history while the caller goes on; calling the result waits for the commits."""
    if not has_commits(root):
        return list
    raw = started(
        root,
        "log",
        "-z",
        "--raw",
        "--cc",
        "--no-abbrev",
        "-M",
        "--relative",
        "--no-color",
        "--no-ext-diff",
        f"--format={_FORMAT}",
        *revs,
        "--",
        *paths,
    )
    return lambda: parse_log(raw())


def parse_log(raw: bytes) -> list[Commit]:
    commits: list[Commit] = []
    for chunk in raw.split(b"\x1e"):
        if not chunk:
            continue
        header, _, rest = chunk.partition(b"\x00")
        sha, parents, author, date, committed, message = header.decode("utf-8", "replace").split("\x1f", 5)
        commit = Commit(sha, parents.split(), author, date, committed, message.strip())
        tokens = rest.lstrip(b"\n").split(b"\x00")
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if not meta.startswith(b":"):
                i += 1
                continue
            if meta.startswith(b"::"):  # a merge's combined entry: one mode and blob per parent, then the result
                n = len(meta) - len(meta.lstrip(b":"))
                fields = meta[n:].decode().split(" ")
                shas = fields[n + 1 : 2 * n + 2]
                first, result = shas[0], shas[-1]
                path = tokens[i + 1].decode("utf-8", "surrogateescape")
                i += 2
                if result == NULL_SHA:
                    commit.changes.append(FileChange("D", path, path, None if first == NULL_SHA else first, None))
                elif first == NULL_SHA:
                    commit.changes.append(FileChange("A", path, None, None, result))
                else:
                    commit.changes.append(FileChange("M", path, path, first, result))
                continue
            _, _, old_blob, new_blob, status = meta[1:].decode().split(" ")
            letter = status[:1]
            old_path: str | None
            if letter in ("R", "C"):
                old_path, path = (
                    tokens[i + 1].decode("utf-8", "surrogateescape"),
                    tokens[i + 2].decode("utf-8", "surrogateescape"),
                )
                i += 3
            else:
                path = tokens[i + 1].decode("utf-8", "surrogateescape")
                old_path = path
                i += 2
            if letter == "C":  # a copy: the new path is a new file
                letter, old_path, old_blob = "A", None, NULL_SHA
            if letter == "T":
                letter = "M"
            commit.changes.append(
                FileChange(
                    letter,
                    path,
                    None if letter == "A" else old_path,
                    None if old_blob == NULL_SHA else old_blob,
                    None if new_blob == NULL_SHA else new_blob,
                )
            )
        commits.append(commit)
    return commits


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes | None]:
    """The contents of many blobs through one `git cat-file --batch` process; None where missing."""
    wanted = sorted({b for b in blobs if b})
    if not wanted:
        return {}
    out = git(root, "cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
    found: dict[str, bytes | None] = {}
    pos = 0
    for sha in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].decode()
        parts = header.split(" ")
        if len(parts) == 2 and parts[1] == "missing":
            found[sha] = None
            pos = nl + 1
            continue
        size = int(parts[2])
        found[sha] = out[nl + 1 : nl + 1 + size]
        pos = nl + 1 + size + 1
    return found


_REGULAR = ("100644", "100755")  # git's modes of a regular file


def tree_files(root: Path, rev: str, path: str = RECORDS) -> dict[str, str]:
    """{path: blob id} of every file under `path` in commit `rev` (paths relative to the store root)."""
    return tree_files_started(root, rev, path)()


def tree_files_started(
    root: Path, rev: str, path: str = RECORDS, *, regular: bool = False
) -> Callable[[], dict[str, str]]:
    """`tree_files`, started (git lists the tree while the caller goes on); `regular`: only regular
    files (a symlink's blob is where it points, not what the file it names holds)."""
    pending = started(root, "ls-tree", "-r", "-z", "--end-of-options", rev, "--", path)

    def result() -> dict[str, str]:
        files: dict[str, str] = {}
        for entry in pending().split(b"\x00"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split(" ")
            if kind == "blob" and (not regular or mode in _REGULAR):
                files[name.decode("utf-8", "surrogateescape")] = sha
        return files

    return result


def refs(root: Path) -> list[str]:
    """Every local branch and remote-tracking branch (symbolic refs such as origin/HEAD left out)."""
    out = git(root, "for-each-ref", "--format=%(refname)%00%(symref)", "refs/heads", "refs/remotes", check=False)
    names = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, _, symref = line.partition("\x00")
        if name and not symref:
            names.append(name)
    return sorted(names)


def names_on_refs(root: Path, path: str = RECORDS) -> dict[str, set[str]]:
    """{ref: file names under `path`} for every branch and remote-tracking branch."""
    found: dict[str, set[str]] = {}
    for ref in refs(root):
        out = git(root, "ls-tree", "-r", "-z", "--name-only", "--end-of-options", ref, "--", path, check=False)
        found[ref] = {n.decode("utf-8", "surrogateescape") for n in out.split(b"\x00") if n}
    return found


def commit_only(root: Path, path: Path, message: str) -> str:
    """Commit just `path` with `message`, leaving anything else staged or changed alone. The new commit id."""
    rel = os.path.relpath(path, root)
    tracked = git(root, "ls-files", "--error-unmatch", "--", rel, check=False)
    if not tracked.strip():
        # `commit --only` needs a path git knows; adding a new file stages only that file.
        git(root, "add", "--", rel)
    git(root, "commit", "--quiet", "--only", "-m", message, "--", rel)
    return git(root, "rev-parse", "HEAD").decode().strip()


__all__ = [
    "Commit",
    "FileChange",
    "GitError",
    "commit_date",
    "commit_only",
    "git",
    "has_commits",
    "is_repo",
    "is_shallow",
    "log",
    "names_on_refs",
    "read_blobs",
    "refs",
    "require_repo",
    "rev_parse",
    "tree_files",
    "tree_files_started",
]
