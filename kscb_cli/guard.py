"""The commit guard: check what is staged in git, fast enough for a pre-commit hook.

Only the staged files are read (their staged content, from the index, not the working
tree), so a typical commit of a few files is checked in a fraction of a second even in a
10,000-record store. Rules that need the whole store (references, clocks, the learning
loop) are left to `kscb lint` in CI; the guard runs the file, schema, date, status,
vocabulary, content and data-protection rules — everything that can stop personal data
from reaching the history.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .linter import LintResult, lint
from .store import RECORDS_DIR, SUFFIXES, Store

GUARD_FAMILIES = ["F", "S", "D", "Q", "V", "C", "P"]


def staged_records(root: Path) -> dict[str, bytes]:
    """{path relative to the store root: staged content} for added, copied, modified or renamed records."""
    from .gitio import git, read_blobs, require_repo

    require_repo(root)
    names = git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative", "--", RECORDS_DIR)
    paths = [p for p in names.decode("utf-8", "surrogateescape").split("\0") if p.endswith(SUFFIXES)]
    if not paths:
        return {}
    listing = git(root, "ls-files", "-s", "-z", "--", *paths).decode("utf-8", "surrogateescape")
    shas: dict[str, str] = {}
    for row in filter(None, listing.split("\0")):
        meta, _, path = row.partition("\t")
        shas[path] = meta.split(" ")[1]
    blobs = read_blobs(root, shas.values())
    return {path: blobs[sha] or b"" for path, sha in sorted(shas.items())}


def guard(root: Path, config, today: date, *, ignore: list[str] = ()) -> LintResult:  # type: ignore[assignment]
    """Lint the staged records with the rules that need no other record."""
    store = Store.open(root, source="staged", config=config)
    return lint(store, today=today, select=GUARD_FAMILIES, ignore=list(ignore))
