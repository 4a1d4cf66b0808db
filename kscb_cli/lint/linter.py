"""Run the lint rules over a store; apply configuration; decide the exit code."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity
from kscb_cli.base.errors import KscbError
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.registry import all_rules
from kscb_cli.lint.rules.rule import Rule, kind_of
from kscb_cli.store.source import Pos
from kscb_cli.store.store import Entry, Store
from kscb_cli.store.validate import suggest

if TYPE_CHECKING:  # for mypy (issue 13, r13): annotations only
    from kscb_cli.model.config import Config
    from kscb_cli.privacy.mask import Masker


def matches(rule: Rule, patterns: Iterable[str]) -> bool:
    """A rule matches a code, a code prefix (a family such as ``R`` or ``D0``), or its name."""
    # an empty pattern would be a prefix of every code: it matches nothing (check_patterns refuses it)
    return any(p.strip() and (rule.code.startswith(p.strip().upper()) or rule.name == p.strip()) for p in patterns)


def check_patterns(patterns: Iterable[str], rules: list[Rule], where: str) -> None:
    """Refuse a selector that matches no rule: a typo must not silently disable nothing."""
    for p in patterns:
        if not any(matches(r, [p]) for r in rules):
            names = [r.code for r in rules] + [r.name for r in rules]
            raise KscbError(f"{where}: {p!r} is not a rule code, family or name{suggest(p, names)}; see `kscb rules`")


def _specificity(pattern: str) -> tuple[int, int]:
    """Broader patterns apply first, so ``{F011: error, F: warning}`` leaves F011 an error whatever the order."""
    is_code = pattern[:1].isalpha() and (pattern[1:].isdigit() or not pattern[1:])
    return (0, len(pattern)) if is_code else (1, 0)


def severities(rules: list[Rule], config: Config, select: list[str], ignore: list[str]) -> dict[str, Severity]:
    """The effective severity of each rule: default, then kscb.yaml, then the command line."""
    lint = config.lint
    check_patterns(lint.ignore, rules, "kscb.yaml lint.ignore")
    check_patterns(lint.severity, rules, "kscb.yaml lint.severity")
    for globs in lint.per_file_ignores.values():
        check_patterns(globs, rules, "kscb.yaml lint.per_file_ignores")
    check_patterns(select, rules, "--select")
    check_patterns(ignore, rules, "--ignore")
    out: dict[str, Severity] = {}
    for r in rules:
        sev = r.severity
        for pattern, value in sorted(lint.severity.items(), key=lambda kv: _specificity(kv[0])):
            if matches(r, [pattern]):
                sev = Severity(value)
        if matches(r, lint.ignore) or (select and not matches(r, select)) or matches(r, ignore):
            sev = Severity.off
        out[r.code] = sev
    return out


def _real(path: Path, folders: dict[Path, Path]) -> Path:
    """`path` made absolute with the symlinks in its folders resolved, keeping its own name.

    A path given through a symlinked folder (or a store opened through one) must still
    match the store's entries; a symlinked record file keeps its own name, not its target's.
    """
    path = path.absolute()
    if path.is_dir() and not path.is_symlink():
        return path.resolve()
    parent = folders.get(path.parent)
    if parent is None:
        parent = folders[path.parent] = path.parent.resolve()
    return parent / path.name


def _in_scope(entry: Entry, scope: list[Path] | None, folders: dict[Path, Path]) -> bool:
    if not scope:
        return True
    path = _real(entry.path, folders)
    return any(path == s or s in path.parents for s in scope)


def _config_diagnostics(
    store: Store, ctx: Context, rules: list[Rule], sev: dict[str, Severity], mask: Masker
) -> list[Diagnostic]:
    """Rules about kscb.yaml itself (on="config"), positioned in it."""
    from kscb_cli.store.source import SourceError, read_file

    path = store.root / "kscb.yaml"
    entry = Entry(path, "kscb.yaml")
    try:
        entry.doc = read_file(path)
    except (SourceError, OSError):
        pass
    out = []
    for r in rules:
        for f in r.check(entry, ctx):  # each a rules.rule.Finding
            pos = f.loc if isinstance(f.loc, Pos) else entry.pos(f.loc, key=f.at_key)
            out.append(Diagnostic("kscb.yaml", pos.line, pos.col, r.code, sev[r.code], r.name, mask(f.message), None))
    return out


def lint(
    store: Store,
    *,
    today: date,
    paths: list[Path] | None = None,
    select: list[str] = (),  # type: ignore[assignment]
    ignore: list[str] = (),  # type: ignore[assignment]
    rules: list[Rule] | None = None,
    progress: Callable[[int], None] | None = None,
    strays: bool = True,
) -> LintResult:
    """Lint the whole store (references need it all), reporting only files under `paths`.

    `progress(done)` is called every 100 files checked (a terminal's progress bar).
    """
    rules = rules if rules is not None else all_rules()
    sev = severities(rules, store.config, list(select), list(ignore))
    active = [r for r in rules if sev[r.code] is not Severity.off]
    file_rules = [r for r in active if r.on == "file"]
    record_rules = [r for r in active if r.on == "record"]
    ctx = Context(store, today)
    folders: dict[Path, Path] = {}
    scope = [_real(p, folders) for p in paths] if paths else None
    per_file = store.config.lint.per_file_ignores
    out: list[Diagnostic] = []
    files = 0
    from kscb_cli.privacy.mask import Masker

    mask = Masker(store.root)  # a message or path never repeats what the detectors or the deny-list flag
    shown: dict[str, str] = {}
    for entry in store.entries:
        if not _in_scope(entry, scope, folders):
            continue
        files += 1
        if progress is not None and files % 100 == 0:
            progress(files)
        skip = [code for glob, codes in per_file.items() if fnmatch.fnmatch(entry.rel, glob) for code in codes]
        todo = list(file_rules)
        if entry.record is not None:
            todo += [r for r in record_rules if r.kinds is None or kind_of(entry.record) in r.kinds]
        ctx.entry = entry
        for r in todo:
            if skip and matches(r, skip):
                continue
            subject = entry if r.on == "file" else entry.record
            for f in r.check(subject, ctx):  # each a rules.rule.Finding
                loc, message = f.loc, f.message
                if not isinstance(loc, Pos) and r.on == "record":
                    loc = entry.file_loc(loc)  # the record may have left items out: point into the file
                pos = loc if isinstance(loc, Pos) else entry.pos(loc, key=f.at_key)
                rel = shown.get(entry.rel)
                if rel is None:
                    rel = shown[entry.rel] = mask.name(entry.rel)
                rid = entry.id
                if rid is not None:
                    rid = shown.get("#" + rid) or shown.setdefault("#" + rid, mask.name(rid))
                out.append(Diagnostic(rel, pos.line, pos.col, r.code, sev[r.code], r.name, mask(message), rid))
    stray_rules = [r for r in file_rules if r.code == "T003"]
    if strays and stray_rules:  # binary files under records/ that are not records: T003 only
        from kscb_cli.lint.rules.safety import stray_entries

        for entry in stray_entries(store.root):
            if _in_scope(entry, scope, folders):
                files += 1
                for r in stray_rules:
                    for f in r.check(entry, ctx):
                        pos = f.loc if isinstance(f.loc, Pos) else Pos(1, 1)  # T003 always gives a Pos
                        out.append(
                            Diagnostic(
                                mask.name(entry.rel),
                                pos.line,
                                pos.col,
                                r.code,
                                sev[r.code],
                                r.name,
                                mask(f.message),
                                None,
                            )
                        )
    config_rules = [r for r in active if r.on == "config"]
    if config_rules and (
        scope is None
        or any(
            s == _real(store.root / "kscb.yaml", folders) or s in _real(store.root / "kscb.yaml", folders).parents
            for s in scope
        )
    ):
        out += _config_diagnostics(store, ctx, config_rules, sev, mask)
    out.sort()
    counts = {s.value: sum(1 for d in out if d.severity is s) for s in (Severity.error, Severity.warning)}
    return LintResult(out, files, len(active), counts)
