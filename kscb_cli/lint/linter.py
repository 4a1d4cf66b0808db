"""Run the lint rules over a store; apply configuration; decide the exit code."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity
from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import CONFIG
from kscb_cli.base.suggest import suggest
from kscb_cli.lint.results import finish, in_scope, scope_of
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.recording import Reads
from kscb_cli.lint.rules.registry import all_rules
from kscb_cli.lint.rules.rule import Finding, Rule, kind_of
from kscb_cli.store.source import Pos

if TYPE_CHECKING:  # annotations only: `kscb lint` answered from the cache never loads the models
    from kscb_cli.lint.incremental import Row
    from kscb_cli.model.config import Config
    from kscb_cli.store.store import Entry, Store


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


class Checker:
    """The rules of one lint run, ready to judge one file entry at a time.

    Each check returns the file's diagnostics in two parts: those of the rules that judged the
    file without looking at the store (``ctx.touched`` stayed false), which hold while the file,
    the configuration and today are unchanged, and those of the rules that read other records,
    with those rules' codes (the incremental lint, lint/incremental.py, runs only them again).
    """

    def __init__(
        self,
        store: Store,
        today: date,
        rules: list[Rule],
        sev: dict[str, Severity],
    ) -> None:
        from kscb_cli.privacy.mask import Masker

        self.store = store
        self.sev = sev
        self.file_rules = [r for r in rules if r.on == "file"]
        self.record_rules = [r for r in rules if r.on == "record"]
        self.ctx = Context(store, today)
        self.per_file = store.config.lint.per_file_ignores
        self.mask = Masker(store.root)  # a message or path never repeats what the detectors or the deny-list flag
        self.by_kind: dict[str | None, list[Rule]] = {}  # rules_for, when kscb.yaml has no per_file_ignores

    def rules_for(self, entry: Entry) -> list[Rule]:
        """The rules that apply to this entry: every file rule, and the record rules of its kind."""
        kind = kind_of(entry.record) if entry.record is not None else None
        if not self.per_file:  # then the kind alone decides: worked out once per kind
            found = self.by_kind.get(kind)
            if found is None:
                found = self.by_kind[kind] = self.file_rules + self.of_kind(kind)
            return list(found)
        todo = self.file_rules + self.of_kind(kind)
        skip = [code for glob, codes in self.per_file.items() if fnmatch.fnmatch(entry.rel, glob) for code in codes]
        return [r for r in todo if not (skip and matches(r, skip))]

    def of_kind(self, kind: str | None) -> list[Rule]:
        """The record rules of a record of this kind (none for a file with no record)."""
        if kind is None:
            return []
        return [r for r in self.record_rules if r.kinds is None or kind in r.kinds]

    def check(
        self, entry: Entry, only: Iterable[str] | None = None
    ) -> tuple[list[Diagnostic], list[Diagnostic], list[str]]:
        """(diagnostics of the rules that read only this file, of the rules that read the store, those rules' codes).

        `only`: run just these rule codes (the rest of the entry's rules are not run). The
        messages are not masked yet: pass the rows through `masked` before they go anywhere.
        """
        todo = self.rules_for(entry)
        if only is not None:
            wanted = set(only)
            todo = [r for r in todo if r.code in wanted]
        ctx = self.ctx
        ctx.entry = entry
        ctx.reads = Reads()  # what the rules read of other records, recorded for the incremental lint
        local: list[Diagnostic] = []
        wide: list[Diagnostic] = []
        wide_rules: list[str] = []
        for r in todo:
            ctx.touched = False
            subject = entry if r.on == "file" else entry.record
            found = [self.diagnostic(entry, r, f) for f in r.check(subject, ctx)]  # each a rules.rule.Finding
            if ctx.touched:
                wide += found
                wide_rules.append(r.code)
            else:
                local += found
        return local, wide, wide_rules

    def diagnostic(self, entry: Entry, r: Rule, f: Finding) -> Diagnostic:
        """A finding of rule `r` in `entry`, placed in the file; its path, message and id are not
        masked yet (`masked` masks those of many files at once, far cheaper than one by one)."""
        loc = f.loc
        if not isinstance(loc, Pos) and r.on == "record":
            loc = entry.file_loc(loc)  # the record may have left items out: point into the file
        pos = loc if isinstance(loc, Pos) else entry.pos(loc, key=f.at_key)
        return Diagnostic(entry.rel, pos.line, pos.col, r.code, self.sev[r.code], r.name, f.message, entry.id)

    def masked(self, runs: list[list[Row]]) -> list[list[Row]]:
        """Rows of `check`'s diagnostics (``as_row``) with every path, message and record id masked:
        those of many files at once (``Masker.many``), then each a dictionary read."""
        mask = self.mask
        mask.many(text for rows in runs for row in rows for text in (row[0], row[6], row[7]) if text is not None)
        return [
            [(mask(row[0]), *row[1:6], mask(row[6]), None if row[7] is None else mask(row[7])) for row in rows]
            for rows in runs
        ]

    def stray_entries(self) -> list[Entry]:
        """The binary files under records/ that are not records, when T003 runs (each counts as a file)."""
        if not any(r.code == "T003" for r in self.file_rules):
            return []
        from kscb_cli.lint.rules.safety import stray_entries

        return stray_entries(self.store.root)

    def stray(self, entry: Entry) -> list[Diagnostic]:
        """T003 on one binary file under records/ that is not a record."""
        out = []
        for r in self.file_rules:
            if r.code != "T003":
                continue
            for f in r.check(entry, self.ctx):
                pos = f.loc if isinstance(f.loc, Pos) else Pos(1, 1)  # T003 always gives a Pos
                name = self.mask.name(entry.rel)
                out.append(Diagnostic(name, pos.line, pos.col, r.code, self.sev[r.code], r.name, self.mask(f.message)))
        return out

    def config(self, rules: list[Rule]) -> list[Diagnostic]:
        """Rules about kscb.yaml itself (on="config"), positioned in it."""
        from kscb_cli.store.source import SourceError, read_file
        from kscb_cli.store.store import Entry

        path = self.store.root / CONFIG
        entry = Entry(path, CONFIG)
        try:
            entry.doc = read_file(path)
        except (SourceError, OSError):
            pass
        out = []
        for r in rules:
            for f in r.check(entry, self.ctx):  # each a rules.rule.Finding
                pos = f.loc if isinstance(f.loc, Pos) else entry.pos(f.loc, key=f.at_key)
                out.append(
                    Diagnostic(CONFIG, pos.line, pos.col, r.code, self.sev[r.code], r.name, self.mask(f.message))
                )
        return out


def active_rules(
    store: Store, select: Iterable[str], ignore: Iterable[str], rules: list[Rule] | None = None
) -> tuple[list[Rule], dict[str, Severity]]:
    """The rules that run (severity not off) and every rule's effective severity."""
    rules = rules if rules is not None else all_rules()
    sev = severities(rules, store.config, list(select), list(ignore))
    return [r for r in rules if sev[r.code] is not Severity.off], sev


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
    active, sev = active_rules(store, select, ignore, rules)
    checker = Checker(store, today, active, sev)
    folders: dict[Path, Path] = {}
    scope = scope_of(paths, folders)
    todo = [entry for entry in store.entries if in_scope(entry.path, scope, folders)]
    files = len(todo)
    from kscb_cli.lint.fanout import check_all

    out = check_all(checker, todo, progress)  # a large store is judged on every core
    if strays:  # binary files under records/ that are not records: T003 only
        for entry in checker.stray_entries():
            if in_scope(entry.path, scope, folders):
                files += 1
                out += checker.stray(entry)
    config_rules = [r for r in active if r.on == "config"]
    if config_rules and in_scope(store.root / CONFIG, scope, folders):
        out += checker.config(config_rules)
    return finish(out, files, len(active))


ProgressBar = Callable[[int], AbstractContextManager[Callable[[int], None]]]
HistoryCheck = Callable[[Path], list[Diagnostic]]


@dataclass
class Linted:
    """What `run` found: the result, the store it linted, and notes for the user (stderr)."""

    result: LintResult
    root: Path
    notes: list[str] = field(default_factory=list)


def locate(paths: list[Path] | None, store: str | None) -> Path:
    """The store to lint: --store, else the one around the first path (or the working folder).

    A path that does not exist, or is outside that store, is refused: reporting on nothing
    would pass silently.
    """
    from kscb_cli.store.config import find_root

    for p in paths or ():
        if not p.exists():
            raise KscbError(f"{p}: no such file or folder")
    start = (paths[0] if paths[0].is_dir() else paths[0].parent) if paths else None
    root = find_root(start, store)
    for p in paths or ():
        real = p.resolve() if p.is_dir() else p.absolute().parent.resolve() / p.name
        if real != root and root not in real.parents:
            raise KscbError(
                f"{p}: not inside the store at {root}; lint a file or folder of that store, or pass --store"
            )
    return root


def run(
    root: Path,
    *,
    today: date,
    paths: list[Path] | None = None,
    select: list[str] = (),  # type: ignore[assignment]
    ignore: list[str] = (),  # type: ignore[assignment]
    use_cache: bool = True,
    history_check: HistoryCheck | None = None,
    progress: ProgressBar | None = None,
) -> Linted:
    """`kscb lint`: lint the store at `root` (from `locate`), reusing the cache, reporting on `paths`.

    `history_check(root)`, when given, adds the diagnostics of the status changes recorded in
    git (the history layer sits above lint, so the command passes it in). `progress(total)`
    is a context manager giving the ``advance(done)`` callable of a progress bar.
    """
    result = cached_lint(
        root, today=today, paths=paths, select=list(select), ignore=list(ignore), use_cache=use_cache, progress=progress
    )
    notes: list[str] = []
    if history_check is not None:
        result = with_history(result, root, paths, history_check, notes)
    return Linted(result, root, notes)


def cached_lint(
    root: Path,
    *,
    today: date,
    paths: list[Path] | None,
    select: list[str],
    ignore: list[str],
    use_cache: bool,
    progress: ProgressBar | None,
) -> LintResult:
    """The lint result: from the incremental cache (lint/incremental.py), or read and linted afresh."""
    if use_cache:
        from kscb_cli.lint.incremental import lint_incremental

        return lint_incremental(root, today=today, paths=paths, select=select, ignore=ignore, progress=progress)
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    loaded = Store.open(root, config=load_config(root))
    with progress(len(loaded.entries)) if progress else nullcontext(None) as advance:
        return lint(loaded, today=today, paths=paths, select=select, ignore=ignore, progress=advance)


def with_history(
    result: LintResult, root: Path, paths: list[Path] | None, history_check: HistoryCheck, notes: list[str]
) -> LintResult:
    """The result plus a warning for every commit whose status change broke a lifecycle."""
    from kscb_cli.base import gitio

    gitio.require_repo(root)
    if gitio.is_shallow(root):
        notes.append("kscb: this clone is shallow, so the history checked is incomplete (git fetch --unshallow)")
    found = history_check(root)
    if paths:
        wanted = [p.resolve() for p in paths]
        found = [
            d
            for d in found
            if any((root / d.path).resolve() == w or w in (root / d.path).resolve().parents for w in wanted)
        ]
    diagnostics = sorted(result.diagnostics + found)
    counts = {s: sum(1 for d in diagnostics if d.severity.value == s) for s in ("error", "warning")}
    return LintResult(diagnostics, result.files, result.rules + 1, counts)
