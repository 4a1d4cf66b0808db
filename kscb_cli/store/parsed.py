"""Parsed record files with their positions, kept between lint runs by the hash of their text.

When something in a store changed, the incremental lint (lint/incremental.py) reads the store
again; parsing YAML is most of that (PERFORMANCE.md). This keeps each file's parsed document
(its data, its packed positions and its text) in one ``marshal`` file per store under
``$XDG_CACHE_HOME/kscb/parsed``, outside the store so it can never be committed, readable
only by its owner (it holds the records' text). A file whose content hash (store.cache's
``content_hashes``, the lint's own) names a kept document is not read or parsed again.

Documents are kept from a store's second lint on (the first lint of a fresh clone in CI would
write tens of megabytes it never reads back). A document is kept under the hash of the text it
was parsed from, never under the hash the scan saw before the file was read: a file rewritten in between (and later undone) can never
be served another content's parse. A file with a byte-order mark is hashed on its bytes by
the scan and kept under its text's hash, so it is simply parsed each time. The parser's own
code (source.py, compose.py), the Python and the store's path are part of the file's name, as
for the other parse caches; a cache that cannot be read or written is ignored.
``KSCB_NO_CACHE=1`` turns it off, as it does the other parse caches (``kscb lint --no-cache``
never gets here); ``kscb purge`` deletes it (``forget``), since a kept text may hold what was purged.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.store.cache import parsed_cache_file

if TYPE_CHECKING:
    from kscb_cli.store.source import Document
    from kscb_cli.store.store import Entry

_VERSION = 1
Documents = dict[str, tuple[Any, bytes, str]]  # text hash -> (data, packed positions, text)


def text_hash(text: str) -> str:
    """The hash a file with this text (and no byte-order mark) has in the lint's scan."""
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def cache_file(root: Path) -> Path:
    return parsed_cache_file("parsed", _VERSION, root, ".marshal")


def load(root: Path) -> Documents:
    """The documents kept for `root` ({} when none, when the file cannot be read, or with KSCB_NO_CACHE)."""
    if os.environ.get("KSCB_NO_CACHE"):
        return {}
    try:
        kept = marshal.loads(cache_file(root).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def documents(kept: Documents, hashes: dict[str, str], prefix: str) -> dict[str, tuple[str, Document]]:
    """{prefix + rel: (its hash, its Document)} for each file whose content hash names a kept
    document (one file per document: a second file of the same content is read as usual)."""
    from kscb_cli.store.source import Document

    out: dict[str, tuple[str, Document]] = {}
    used: set[str] = set()
    for rel, digest in hashes.items():
        found = kept.get(digest)
        if found is not None and digest not in used:
            used.add(digest)
            data, packed, text = found
            out[prefix + rel] = (digest, Document(data, text=text, packed=packed))
    return out


def save(root: Path, entries: Iterable[Entry], reused: dict[str, tuple[str, Document]], kept: Documents) -> None:
    """Keep the document of every entry that parsed: the store as it is now, nothing older.

    Entries whose document came from `kept` (`reused`) keep their key; the others are hashed on
    the text they were parsed from. The file (tens of megabytes for 10,000 records) is written
    again only when enough changed since (`worth_writing`): until then the few files parsed
    afresh are parsed afresh again, which costs less than writing it.
    """
    if os.environ.get("KSCB_NO_CACHE"):
        return
    docs: list[tuple[str | None, Document]] = []  # (kept key or None, document)
    for entry in entries:
        if entry.doc is not None:
            known = reused.get(entry.rel)
            docs.append((known[0] if known is not None and known[1] is entry.doc else None, entry.doc))
    fresh = sum(1 for key, _ in docs if key is None)
    stale = len(kept) - len({key for key, _ in docs if key is not None})
    if not worth_writing(len(docs), fresh, stale):
        return
    now: Documents = {}
    for key, doc in docs:
        now[key if key is not None else text_hash(doc.text)] = (doc.data, doc.packed_positions(), doc.text)
    path = cache_file(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps(now))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


def worth_writing(documents: int, fresh: int, stale: int) -> bool:
    """Whether to write the kept documents again: when files were parsed afresh (or kept ones
    went) for more than one in fifty of the store, and at least fifty, or when none is kept yet."""
    return fresh + stale > max(50, documents // 50) or (fresh > 0 and fresh == documents)


def forget(root: Path) -> None:
    """Delete the documents kept for `root` (after ``kscb purge``)."""
    cache_file(root).unlink(missing_ok=True)
