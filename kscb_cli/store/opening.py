"""How `Store.open` reads a store from each source (issue #9: one way to open the store).

- ``disk``: the working tree's records/. With ``positions`` (lint, edit, new) every file
  is read and parsed with positions; without (the query commands, render), unchanged
  files come from the parsed-record cache (kscb_cli.store.snapshot).
- ``staged``: only the record files staged in git, their staged content (the commit guard).
- ``git-tree``: the record files at a revision (the digest's end of period).

``only(files, read)`` (disk or git-tree) is given every record file's blob id by path (None
where git does not know the working tree's content) and a way to read their bytes, and returns
the paths worth reading, for the digest's lean read (history/period.py); the rest are neither
parsed nor, where it knows their content by its blob id, read. Whatever the source, a file
that cannot be read stays in the store as an entry with its problems: nothing vanishes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kscb_cli.store.source import Document
    from kscb_cli.store.store import Entry, Store
    from kscb_cli.store.versions import Versions

# `read(paths)`: those files' bytes by path (None: unreadable)
Read = Callable[[Iterable[str]], Mapping[str, bytes | None]]
# `only(files, read)`: given every record file's blob id by path (None: not known), the paths worth reading
Only = Callable[[Mapping[str, str | None], Read], set[str]]

SOURCES = ("disk", "staged", "git-tree")


def open_store(
    cls: type[Store],
    root: Path,
    *,
    source: str,
    config: Any,
    positions: bool,
    rev: str | None,
    only: Only | None,
    versions: Versions | None,
    documents: Mapping[str, Document] | None = None,
    digests: dict[str, str] | None = None,
    known_ids: Mapping[str, tuple[str, str]] | None = None,
) -> Store:
    from kscb_cli.base.errors import KscbError

    if source not in SOURCES:
        raise KscbError(f"unknown store source {source!r}; sources: {', '.join(SOURCES)}")
    if config is None:
        from kscb_cli.store.config import load_config

        config = load_config(root)
    if source == "staged":
        from kscb_cli.store.staged import staged_records
        from kscb_cli.store.store import load_entry

        return cls(root, config, [load_entry(root / rel, rel, raw) for rel, raw in staged_records(root).items()])
    if source == "git-tree":
        if rev is None:
            raise KscbError("a git-tree store needs a revision")
        return _from_git(cls, root, config, rev, only, versions)
    if only is not None:
        return _lean_disk(cls, root, config, only, versions)
    if positions:
        from kscb_cli.store.store import read_disk

        return read_disk(root, config, documents, digests, known_ids)
    from kscb_cli.store.snapshot import read_cached

    return read_cached(cls, root, config)


def _versions(root: Path, versions: Versions | None) -> Versions:
    if versions is not None:
        return versions
    from kscb_cli.store.versions import Versions

    return Versions(root)


def _entries(
    root: Path, raws: Mapping[str, bytes | None], blobs: Mapping[str, str], keep: set[str], versions: Versions
) -> list[Entry]:
    from kscb_cli.store.store import make_entry
    from kscb_cli.store.versions import parse_blob

    versions.parse_all(blobs[rel] for rel in keep if rel in blobs)
    out: list[Entry] = []
    for rel, raw in sorted(raws.items()):
        if rel not in keep:
            continue
        version = versions.get(blobs[rel]) if rel in blobs else None  # None only for a blob id of None
        out.append(make_entry(root / rel, rel, version if version is not None else parse_blob(raw)))
    return out


def _lean_disk(cls: type[Store], root: Path, config: Any, only: Only, versions: Versions | None) -> Store:
    """The working tree's records that `only` picks: it is told the blob ids of the files unchanged
    since HEAD (`clean_blobs_started`), and whatever is read is read from the disk and named by its
    own content (so its parse is kept like a git version's, and shared with one)."""
    from kscb_cli.store.store import record_paths
    from kscb_cli.store.versions import blob_id, clean_blobs_started

    clean_ = clean_blobs_started(root)  # git compares the tree while the files are listed
    versions = _versions(root, versions)
    files, outside = record_paths(root)
    where = {rel: path for path, rel in files}
    clean = clean_()
    known = {rel: clean.get(rel) for rel in where}
    raws: dict[str, bytes | None] = {}
    named: dict[str, str] = {}  # the blob id of each file's bytes as read (never what git said it held)

    def read(rels: Iterable[str]) -> dict[str, bytes | None]:
        for rel in rels:
            if rel not in raws:
                try:
                    raws[rel] = raw = where[rel].read_bytes()
                    named[rel] = blob_id(raw)
                except OSError:
                    raws[rel] = None  # read (and reported) below
        return {rel: raws[rel] for rel in rels}

    keep = set(only(known, read))
    keep |= {rel for rel, raw in raws.items() if raw is None}
    kept = {rel: raw for rel, raw in read(keep).items() if raw is not None}
    blobs = {rel: named[rel] for rel in kept}  # named by their content, so their parse is kept like a git version's
    for rel, raw in kept.items():
        versions.raw.setdefault(blobs[rel], raw)
    entries = outside + _unreadable_on_disk(root, raws, keep) + _entries(root, kept, blobs, keep, versions)
    return cls(root, config, entries)


def _unreadable_on_disk(root: Path, raws: dict[str, bytes | None], keep: set[str]) -> list[Entry]:
    from kscb_cli.store.store import load_entry

    return [load_entry(root / rel, rel) for rel, raw in sorted(raws.items()) if raw is None and rel in keep]


def _from_git(
    cls: type[Store], root: Path, config: Any, rev: str, only: Only | None, versions: Versions | None
) -> Store:
    from kscb_cli.base import gitio
    from kscb_cli.base.paths import RECORD_SUFFIXES

    versions = _versions(root, versions)
    tree = gitio.tree_files(root, rev)
    blobs = {rel: blob for rel, blob in tree.items() if rel.endswith(RECORD_SUFFIXES)}

    missing: set[str] = set()  # not in the local repository (a shallow clone): reported, whatever `only` says

    def read(rels: Iterable[str]) -> dict[str, bytes | None]:
        rels = list(rels)
        versions.fetch(blobs[rel] for rel in rels)
        out = {rel: versions.raw.get(blobs[rel]) for rel in rels}
        missing.update(rel for rel, raw in out.items() if raw is None)
        return out

    keep = set(blobs) if only is None else set(only(blobs, read)) | missing
    return cls(root, config, _entries(root, read(keep), blobs, keep, versions))
