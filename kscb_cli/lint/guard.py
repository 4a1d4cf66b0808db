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

from kscb_cli.base.diagnostics import LintResult
from kscb_cli.base.paths import RECORDS
from kscb_cli.lint.linter import lint
from kscb_cli.model.config import Config
from kscb_cli.store.staged import is_binary, is_record, staged_files
from kscb_cli.store.store import Entry, Store

GUARD_FAMILIES = ["F", "S", "D", "Q", "V", "C", "P", "T"]
# The rules for staged files that are not records (notes, docs/, templates/, kscb.yaml, a
# .txt inside records/): their text, and every name, can leak personal data just the same.
OTHER_FILE_RULES = ["P001", "P002", "T001", "T003", "T004"]


def _other_entry(root: Path, rel: str, raw: bytes) -> Entry:
    from kscb_cli.store.source import Pos, Problem

    entry = Entry(root / rel, rel)
    if is_binary(raw):
        entry.raw = b""
        if rel.startswith(RECORDS + "/"):
            from kscb_cli.lint.rules.safety import BINARY_MESSAGE

            entry.problem = Problem("T003", BINARY_MESSAGE, Pos(1, 1))
    else:
        entry.raw = raw
    return entry


def guard(root: Path, config: Config, today: date, *, ignore: list[str] = ()) -> LintResult:  # type: ignore[assignment]
    """Lint the staged records with the rules that need no other record, and every other staged
    file (text outside records/, non-YAML files inside it) with the data-protection and name rules."""
    store = Store.open(root, source="staged", config=config)
    result = lint(store, today=today, select=GUARD_FAMILIES, ignore=list(ignore), strays=False)
    others = [_other_entry(root, rel, raw) for rel, raw in staged_files(root).items() if not is_record(rel)]
    if not others:
        return result
    extra = lint(Store(root, config, others), today=today, select=OTHER_FILE_RULES, ignore=list(ignore), strays=False)
    diags = sorted(result.diagnostics + extra.diagnostics)
    counts = {s: sum(1 for d in diags if d.severity.value == s) for s in ("error", "warning")}
    return LintResult(diags, result.files + extra.files, result.rules, counts)
