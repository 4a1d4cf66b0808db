"""Which files a lint reports on, and a result put together: light enough for the cache's replay.

Only the standard library and ``base.diagnostics`` are imported here, so the incremental lint
(lint/incremental.py) can answer from its cache without loading pydantic, the rules or a record.
"""

from __future__ import annotations

from pathlib import Path

from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity


def real_path(path: Path, folders: dict[Path, Path]) -> Path:
    """`path` made absolute with the symlinks in its folders resolved, keeping its own name.

    A path given through a symlinked folder (or a store opened through one) must still
    match the store's entries; a symlinked record file keeps its own name, not its target's.
    `folders` remembers the folders already resolved.
    """
    path = path.absolute()
    if path.is_dir() and not path.is_symlink():
        return path.resolve()
    parent = folders.get(path.parent)
    if parent is None:
        parent = folders[path.parent] = path.parent.resolve()
    return parent / path.name


def scope_of(paths: list[Path] | None, folders: dict[Path, Path]) -> list[Path] | None:
    """The paths to report on, as `in_scope` compares them; None for the whole store."""
    return [real_path(p, folders) for p in paths] if paths else None


def in_scope(path: Path, scope: list[Path] | None, folders: dict[Path, Path]) -> bool:
    """Whether `path` is one of the files or folders of `scope` (None: the whole store), or under one."""
    if not scope:
        return True
    real = real_path(path, folders)
    return any(real == s or s in real.parents for s in scope)


def order(d: Diagnostic) -> tuple[str, int, int, str, Severity, str, str, str | None]:
    """A diagnostic's place in a result, as its own ordering has it, compared without a Python call per pair."""
    return (d.path, d.line, d.col, d.code, d.severity, d.name, d.message, d.record)


def finish(diagnostics: list[Diagnostic], files: int, rules: int) -> LintResult:
    """The result: diagnostics sorted, counted by severity."""
    diagnostics.sort(key=order)
    counts = {s.value: sum(1 for d in diagnostics if d.severity is s) for s in (Severity.error, Severity.warning)}
    return LintResult(diagnostics, files, rules, counts)
