"""Remove values from the whole git history of a store (`kscb purge`), with git filter-repo.

Personal data that was committed stays in every earlier commit; deleting it from the file
only adds a new commit. The cure is to rewrite history: every commit is replayed with the
value replaced, which gives every commit a new id, so every clone must be thrown away and
cloned again and the remote must be force-pushed (docs/purge.md). git filter-repo is the
tool the git project recommends for this; kscb runs it from the ``purge`` extra.

The values come from a file (never the command line, where they would stay in the shell's
history): one per line, in git filter-repo's ``--replace-text`` format — a literal value,
optionally ``==>`` and what to put instead (default ``***REMOVED***``); ``regex:`` and
``glob:`` prefixes work too. Keep the file under ``private/``, which git ignores.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kscb_cli.base.errors import KscbError


@dataclass(frozen=True)
class Purged:
    values: int
    commits: int


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def purge(root: Path, values_file: Path) -> Purged:
    """Replace every value of ``values_file`` in every commit of the repository holding ``root``."""
    try:
        import git_filter_repo  # noqa: F401
    except ImportError:
        raise KscbError(
            "kscb purge needs git filter-repo: pip install 'kscb[purge]' (or pip install git-filter-repo)"
        ) from None
    if not values_file.is_file():
        raise KscbError(
            f"{values_file}: no such file; list the values to remove there, one per line (keep it under private/)"
        )
    lines = [
        line
        for line in values_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        raise KscbError(f"{values_file}: no values in it; list the values to remove, one per line")
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        if _git(top, "status", "--porcelain", "--untracked-files=no").strip():
            raise KscbError(
                "the working tree has uncommitted changes; commit or discard them first (the rewrite replaces every commit)"
            )
        commits = int(_git(top, "rev-list", "--all", "--count").strip() or 0)
    except subprocess.CalledProcessError as exc:
        raise KscbError(f"{root} is not in a git repository with commits ({exc.stderr.strip()})") from None
    try:
        inside = values_file.resolve().relative_to(top.resolve())
    except ValueError:
        inside = None
    if inside is not None and _git(top, "ls-files", "--", str(inside)).strip():
        raise KscbError(f"{values_file} is committed to the repository itself; keep it under private/ (git-ignored)")
    # Only values in the file are passed on: written to a file outside the repository.
    clean = values_file.with_name(values_file.name + ".kscb-purge")
    clean.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "git_filter_repo",
                "--replace-text",
                str(clean),
                "--replace-message",
                str(clean),
                "--force",
                "--quiet",
            ],
            cwd=top,
            capture_output=True,
            text=True,
        )
    finally:
        clean.unlink(missing_ok=True)
    if run.returncode != 0:
        # git filter-repo's own message may quote a value: say only that it failed
        raise KscbError(
            f"git filter-repo failed (exit {run.returncode}); nothing of kscb's was changed — run it by hand as docs/purge.md shows to see why"
        )
    return Purged(len(lines), commits)
