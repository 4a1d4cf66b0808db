"""The incremental lint behind ``kscb lint``: an unchanged store is answered from the cache; in a
changed one, an unchanged file runs only the rules that read other records.

One cache file per store, options (--select, --ignore, today) and kscb version holds the last
result of the whole store, file by file, and the tree it came from. Its key (``env``) is everything else the
result depends on: kscb.yaml and the deny-list byte for byte, the kscb code itself and the Python
version; any change there starts afresh. Then:

- **nothing changed** (every file and folder under records/ has the same name, kind, link
  target and content; a file whose size and modification time are unchanged, and that was
  old enough to trust when it was stored, is not read; one that was touched is read and hashed):
  the result is replayed. Only the standard library runs: no pydantic, no YAML, no rule.
- **something changed**: the store is read again (a file whose content was parsed before is
  not parsed again: its document, positions and text are kept by kscb_cli.store.parsed), and
  a changed or new file gets every rule; a deleted one is gone. A file whose content is
  unchanged keeps the findings of the rules that judged it without reading the store (the rule
  context notes when a rule does, rules/context.py), and keeps those of its cross-record rules
  (references, duplicates, links, clocks, the learning loop) too unless they read something
  the edit could have changed (each lookup is recorded with them: rules/recording.py); else
  those rules run again, against the new store. A changed file that cannot be read, before
  or after, could have held anything: then every cross-record rule runs again.

A scoped lint (``kscb lint PATH``) uses the same whole-store result and reports only on PATH.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base.diagnostics import Diagnostic, LintResult, Severity
from kscb_cli.base.paths import CONFIG, DENYLIST, RECORDS
from kscb_cli.lint.fanout import judge_all
from kscb_cli.lint.results import finish, in_scope, scope_of
from kscb_cli.store import cache

if TYPE_CHECKING:
    from kscb_cli.lint.linter import Checker
    from kscb_cli.lint.rules.recording import Affected, Contribution
    from kscb_cli.store.store import Entry

FORMAT = 3  # the layout of the cache file
LAZY_LINKS_UNDER = 20  # a run judging under one file in this many works the links out per record id (LazyLinks)

Row = tuple[str, int, int, str, str, str, str, str | None]  # a Diagnostic as stored
ProgressBar = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def as_row(d: Diagnostic) -> Row:
    return (d.path, d.line, d.col, d.code, d.severity.value, d.name, d.message, d.record)


SEVERITY = {s.value: s for s in Severity}


def as_diagnostic(row: Iterable[Any]) -> Diagnostic:
    path, line, col, code, severity, name, message, record = row
    return Diagnostic(path, line, col, code, SEVERITY[severity], name, message, record)


@contextmanager
def no_gc() -> Iterator[None]:
    """The collector paused while many small objects are made at once (PERFORMANCE.md): nothing they make is a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint_incremental(
    root: Path,
    *,
    today: date,
    paths: list[Path] | None,
    select: list[str],
    ignore: list[str],
    progress: ProgressBar | None = None,
) -> LintResult:
    """Lint the store at `root` as ``linter.lint`` would, reusing what the cache still holds."""
    options = json.dumps([str(root.resolve()), select, ignore, today.isoformat()]).encode("utf-8", "surrogateescape")
    code = cache.package_digest().encode()
    name = hashlib.blake2b(options + b"\0" + code, digest_size=12).hexdigest()  # two kscb versions never share one
    env = hashlib.blake2b(digest_size=20)
    for part in (str(FORMAT).encode(), options, code):
        env.update(part + b"\0")
    for extra in (root / CONFIG, root / DENYLIST):
        env.update(cache.file_bytes(extra) + b"\0")
    with no_gc():
        old = cache.load(name) or {}
        if old.get("env") != env.hexdigest():
            old = {}
        rows = cache.recent_scan(root / RECORDS)
        report = old.get("report")
        # With no result to compare with, the files are hashed as they are read to be linted (`relint`)
        hashes = None if report is None else cache.content_hashes(root / RECORDS, rows, old.get("tree", {}))
        if report is not None and hashes is not None and old.get("digest") == cache.tree_digest(rows, hashes):
            return scoped(report, root, paths)
    report, hashes = relint(root, today, select, ignore, report, rows, hashes, progress)
    digest = cache.tree_digest(rows, hashes)
    cache.save(name, {"env": env.hexdigest(), "tree": cache.trusted(rows, hashes), "digest": digest, "report": report})
    with no_gc():
        return scoped(report, root, paths)


def relint(
    root: Path,
    today: date,
    select: list[str],
    ignore: list[str],
    previous: dict[str, Any] | None,
    rows: dict[str, cache.Row],
    hashes: dict[str, str] | None,
    progress: ProgressBar | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Lint the whole store again, keeping the file-only findings of every unchanged file; a file
    whose content was parsed before is not parsed again (kscb_cli.store.parsed). The report, and
    the content hash of each file in `rows` (`hashes`, or when None, found here)."""
    from kscb_cli.lint.linter import Checker, active_rules
    from kscb_cli.store import parsed
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    with no_gc():
        kept = parsed.load(root)
        if hashes is None and kept:  # kept documents are found by the hash of each file's content
            hashes = cache.content_hashes(root / RECORDS, rows, {})
        reused = parsed.documents(kept, hashes or {}, f"{RECORDS}/")
        # They live as long as the run (read_disk freezes the store it makes, these with it): without
        # this, the first allocations of Store.open set off a full collection that walks them all.
        gc.freeze()
    digests: dict[str, str] | None = {} if hashes is None else None  # each file hashed as it is read: read once
    before = {e[0]: Kept(*e[1:]) for e in (previous or {}).get("entries", ())}
    documents = {rel: doc for rel, (_, doc) in reused.items()}
    known_ids = {} if hashes is None else _known_ids(documents, before, _keys(rows, hashes))
    store = Store.open(root, config=load_config(root), documents=documents, digests=digests, known_ids=known_ids)
    if hashes is None:
        hashes = read_hashes(root, rows, digests or {})
    keys = _keys(rows, hashes)
    if previous is not None:  # a store linted once only (a CI clone) never reads them back: not kept for it
        parsed.save(root, store.entries, reused, kept)
    active, sev = active_rules(store, select, ignore)
    checker = Checker(store, today, active, sev)
    files = store.entries
    edit = Edit.of(files, keys, before)

    standing = [kept_whole(entry, keys.get(entry.rel), before.get(entry.rel), edit) for entry in files]
    todo = [i for i, k in enumerate(standing) if k is None]  # only these are judged (on every core, when many)
    if edit.everyone and len(todo) * LAZY_LINKS_UNDER <= len(files):  # a few: their links need not read the rest
        from kscb_cli.lint.rules.recording import holders

        checker.ctx.link_holders = holders(edit.everyone)
    gc.freeze()  # the kept findings, like the store, live until the report: judging's collections need not walk them

    def judge(i: int) -> Judged:
        entry = files[todo[i]]
        return check_entry(checker, entry, keys.get(entry.rel), before.get(entry.rel))

    def finish(judged: list[Judged]) -> list[list[Any]]:
        """The messages found now masked, a run at a time (kept findings were masked when found)."""
        fresh = checker.masked([rows for j in judged for rows in (j.wide, [] if j.local_kept else j.local)])
        out = []
        for j, wide, local_masked in zip(judged, fresh[::2], fresh[1::2]):
            local = j.local if j.local_kept else local_masked
            out.append([j.rel, j.key, local, wide, j.wide_rules, j.reads, j.contribution])
        return out

    with progress(len(todo)) if progress else nullcontext(None) as advance:
        judged = iter(judge_all(judge, len(todo), advance, finish))
    entries = [next(judged) if k is None else k for k in standing]
    config_rules = [r for r in active if r.on == "config"]
    report = {
        "entries": entries,
        "strays": [(e.rel, [as_row(d) for d in checker.stray(e)]) for e in checker.stray_entries()],
        "config": [as_row(d) for d in checker.config(config_rules)] if config_rules else [],
        "rules": len(active),
    }
    return report, hashes


def read_hashes(root: Path, rows: dict[str, cache.Row], digests: dict[str, str]) -> dict[str, str]:
    """`cache.content_hashes` of `rows`, taking those of the files the store's read hashed
    (`digests`, by path from the root): only the rest (files that are not records, or that could
    not be read whole) are read again."""
    prefix = f"{RECORDS}/"
    read = {rel[len(prefix) :]: digest for rel, digest in digests.items() if rel.startswith(prefix)}
    files = {rel: row for rel, row in rows.items() if row[0] >= 0}  # as content_hashes, which never reads the rest
    read = {rel: digest for rel, digest in read.items() if rel in files}
    rest = cache.content_hashes(root / RECORDS, {rel: row for rel, row in files.items() if rel not in read}, {})
    return {rel: read[rel] if rel in read else rest[rel] for rel, row in rows.items() if rel in read or rel in rest}


def _known_ids(documents: Iterable[str], before: dict[str, Kept], keys: dict[str, str]) -> dict[str, tuple[str, str]]:
    """{path: its record's (id, kind)} of each file in `documents` judged last time from the content it
    has now, whose record was read: the store validates it only when it is read (store.DeferredEntry)."""
    found: dict[str, tuple[str, str]] = {}
    for rel in documents:
        old = before.get(rel)
        if old is not None and old.contribution is not None and old.key == keys.get(rel):
            found[rel] = (old.contribution[0], old.contribution[1])  # Contribution.as_row: id, kind, refs
    return found


def _keys(rows: dict[str, cache.Row], hashes: dict[str, str]) -> dict[str, str]:
    """Each file's key in the cache, by its path from the store root: its content hash and link target."""
    return {f"{RECORDS}/{rel}": f"{hashes.get(rel)}\0{rows[rel][2]}" for rel in rows if rel in hashes}


@dataclass(frozen=True)
class Kept:
    """One file's part of the cached result."""

    key: str | None  # its content (hash and link target)
    local: list[Row]  # the findings of the rules that read only the file
    wide: list[Row]  # the findings of the rules that read other records
    wide_rules: list[str]  # those rules
    reads: list[Any]  # what they read of other records (rules/recording.py, Reads.as_row)
    contribution: list[Any] | None  # what the file's record puts in the store for others; None: unreadable


@dataclass(frozen=True)
class Judged:
    rel: str
    key: str | None
    local: list[Row]
    wide: list[Row]
    wide_rules: list[str]
    local_kept: bool  # `local` is the kept (already masked) findings
    reads: list[Any]
    contribution: list[Any] | None


@dataclass(frozen=True)
class Edit:
    """What changed since the cached result, as the lookups it could change (rules/recording.py)."""

    lookups: Affected
    unknown: bool  # a changed file was unreadable before or after: what it held is not known
    everyone: list[Contribution | None]  # what each file puts in the store now, in its order ([]: not known)

    @classmethod
    def of(cls, files: list[Entry], keys: dict[str, str], before: dict[str, Kept]) -> Edit:
        from kscb_cli.lint.rules.recording import Affected, Contribution, affected, contribution

        if not before:  # nothing kept: every file is judged afresh
            return cls(Affected(set(), set(), set()), True, [])
        now: list[Contribution | None] = []
        changed: list[Contribution | None] = []
        for entry in files:
            old = before.get(entry.rel)
            if old is not None and old.key is not None and old.key == keys.get(entry.rel):
                now.append(None if old.contribution is None else Contribution.of_row(old.contribution))
                continue
            mine = contribution(entry.record) if entry.record is not None else None
            now.append(mine)
            changed.append(mine)
            if old is not None:  # its content before the edit
                changed.append(None if old.contribution is None else Contribution.of_row(old.contribution))
        here = {e.rel for e in files}
        changed += [
            None if k.contribution is None else Contribution.of_row(k.contribution)
            for rel, k in before.items()
            if rel not in here
        ]
        known = [c for c in changed if c is not None]
        return cls(affected(known, [c for c in now if c is not None]), len(known) < len(changed), now)

    def reaches(self, reads: list[Any]) -> bool:
        """Whether a file whose rules read `reads` could find otherwise now."""
        from kscb_cli.lint.rules.recording import must_judge_again

        return self.unknown or must_judge_again(reads, self.lookups)


def kept_whole(entry: Entry, key: str | None, before: Kept | None, edit: Edit) -> list[Any] | None:
    """The entry's cached part as it stands, when neither the file nor anything its rules read of
    other records changed (the report's entry row); None when it must be judged (`check_entry`)."""
    if key is None or before is None or before.key != key or edit.reaches(before.reads):
        return None
    return [entry.rel, key, before.local, before.wide, before.wide_rules, before.reads, before.contribution]


def check_entry(checker: Checker, entry: Entry, key: str | None, before: Kept | None) -> Judged:
    """One entry that `kept_whole` could not keep, judged as little as its changes require; the
    messages found now are not masked yet.

    An entry whose content key is the one cached keeps its file-only findings and runs again only
    the rules that read the store last time (something they read may have changed). Any other
    entry runs every rule.
    """
    from kscb_cli.lint.rules.recording import contribution

    if key is not None and before is not None and before.key == key:
        again, wide, _ = checker.check(entry, only=before.wide_rules)
        return Judged(
            entry.rel,
            key,
            list(before.local),
            [as_row(d) for d in again + wide],
            list(before.wide_rules),
            True,
            _reads(checker),
            before.contribution,
        )
    local, wide, wide_rules = checker.check(entry)
    record, seen = entry.record, checker.ctx.record_refs  # the references rules found them already
    mine = None if record is None else contribution(record, seen[1] if seen and seen[0] is record else None).as_row()
    return Judged(
        entry.rel,
        key,
        [as_row(d) for d in local],
        [as_row(d) for d in wide],
        wide_rules,
        False,
        _reads(checker),
        mine,
    )


def _reads(checker: Checker) -> list[Any]:
    return checker.ctx.reads.as_row()


def scoped(report: dict[str, Any], root: Path, paths: list[Path] | None) -> LintResult:
    """The whole-store `report` as the result of linting `paths` (all of it when None)."""
    folders: dict[Path, Path] = {}
    scope = scope_of(paths, folders)
    rows: list[Row] = []
    files = 0
    for rel, _, local, wide, *_ in report["entries"]:
        if scope is None or in_scope(root / rel, scope, folders):
            files += 1
            rows += local
            rows += wide
    for rel, found in report["strays"]:
        if scope is None or in_scope(root / rel, scope, folders):
            files += 1
            rows += found
    if scope is None or in_scope(root / CONFIG, scope, folders):
        rows += report["config"]
    out = [as_diagnostic(d) for d in rows]
    return finish(out, files, report["rules"])
