"""The commit guard: check what is staged in git, fast enough for a pre-commit hook.

Only the staged files are read (their staged content, from the index, not the working
tree), so a typical commit of a few files is checked in a fraction of a second even in a
10,000-record store. Rules that need the whole store (references, clocks, the learning
loop) are left to `kscb lint` in CI; the guard runs the file, schema, date, status,
vocabulary, content and data-protection rules — everything that can stop personal data
from reaching the history.

Every other staged file is read too: text outside records/ (notes, docs/, templates/,
kscb.yaml) and non-YAML files inside it go through the detectors and the deny-list
(P001, P002), binary files under records/ are refused (T003), and every file and folder
name is checked (T004) — personal data has no side door into the history.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kscb_cli.lint.linter import LintResult, lint
from kscb_cli.store.store import RECORDS_DIR, SUFFIXES, Entry, Store

GUARD_FAMILIES = ["F", "S", "D", "Q", "V", "C", "P", "T"]
# The rules for staged files that are not records (notes, docs/, templates/, kscb.yaml, a
# .txt inside records/): their text, and every name, can leak personal data just the same.
OTHER_FILE_RULES = ["P001", "P002", "T001", "T003", "T004"]


def staged_files(root: Path) -> dict[str, bytes]:
    """{path relative to the store root: staged content} for every added, copied, modified or renamed file."""
    from kscb_cli.base.gitio import git, read_blobs, require_repo

    require_repo(root)
    names = git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative")
    paths = [p for p in names.decode("utf-8", "surrogateescape").split("\0") if p]
    if not paths:
        return {}
    listing = git(root, "ls-files", "-s", "-z", "--", *paths).decode("utf-8", "surrogateescape")
    shas: dict[str, str] = {}
    for row in filter(None, listing.split("\0")):
        meta, _, path = row.partition("\t")
        mode, sha = meta.split(" ")[:2]
        if mode.startswith("160"):  # a submodule: not a file
            continue
        shas[path] = sha
    blobs = read_blobs(root, shas.values())
    return {path: blobs[sha] or b"" for path, sha in sorted(shas.items())}


def staged_records(root: Path) -> dict[str, bytes]:
    """{path relative to the store root: staged content} for added, copied, modified or renamed records."""
    return {p: raw for p, raw in staged_files(root).items() if _is_record(p)}


def _is_record(rel: str) -> bool:
    return rel.startswith(RECORDS_DIR + "/") and rel.endswith(SUFFIXES)


def is_binary(raw: bytes) -> bool:
    """NUL bytes, or not UTF-8: a document, an image, a spreadsheet."""
    if b"\0" in raw[:8192]:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(raw) - 4  # a cut-off character at the very end is still text
    return False


def _other_entry(root: Path, rel: str, raw: bytes) -> Entry:
    from kscb_cli.store.source import Pos, Problem

    entry = Entry(root / rel, rel)
    if is_binary(raw):
        entry.raw = b""
        if rel.startswith(RECORDS_DIR + "/"):
            from kscb_cli.lint.rules.safety import BINARY_MESSAGE

            entry.problem = Problem("T003", BINARY_MESSAGE, Pos(1, 1))
    else:
        entry.raw = raw
    return entry


def guard(root: Path, config, today: date, *, ignore: list[str] = ()) -> LintResult:  # type: ignore[assignment]
    """Lint the staged records with the rules that need no other record, and every other staged
    file (text outside records/, non-YAML files inside it) with the data-protection and name rules."""
    store = Store.open(root, source="staged", config=config)
    result = lint(store, today=today, select=GUARD_FAMILIES, ignore=list(ignore), strays=False)
    others = [_other_entry(root, rel, raw) for rel, raw in staged_files(root).items() if not _is_record(rel)]
    if not others:
        return result
    extra = lint(Store(root, config, others), today=today, select=OTHER_FILE_RULES, ignore=list(ignore), strays=False)
    diags = sorted(result.diagnostics + extra.diagnostics)
    counts = {s: sum(1 for d in diags if d.severity.value == s) for s in ("error", "warning")}
    return LintResult(diags, result.files + extra.files, result.rules, counts)
