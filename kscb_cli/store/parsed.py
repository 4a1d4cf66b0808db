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

The file is read whole and checked (a CRC-32 of everything after its header: a damaged file is
ignored, as one that cannot be read), but a document is decoded only when the lint first uses it
(`KeptDocument`): a lint that judges a file or two of ten thousand decodes a tenth of them (the
records the rules look up), not 40 megabytes of them. Layout: ``MAGIC``, then the index's length and the
CRC (``<QI``), then the index (``marshal``: {text hash: (offset, length)}), then the documents
(``marshal`` each: (data, packed positions, text)) at those offsets after the index.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.store.cache import cache_dir, parsed_cache_file
from kscb_cli.store.source import Document

if TYPE_CHECKING:
    from kscb_cli.store.store import Entry

_VERSION = 2
MAGIC = b"kscbparsed\x002"
_HEAD = struct.Struct("<QI")  # the index's length, the CRC-32 of the index and the documents


def text_hash(text: str) -> str:
    """The hash a file with this text (and no byte-order mark) has in the lint's scan."""
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def cache_file(root: Path) -> Path:
    return parsed_cache_file("parsed", _VERSION, root, ".marshal", (Path(__file__).resolve(),))


_PACKED: Any = Document.__dict__["_packed"]  # the slot a kept document holds its encoded form in until read


def _decoding(name: str) -> Any:
    """`Document`'s attribute `name`, read or set once the kept document is decoded."""

    def get(self: KeptDocument) -> Any:
        self._decode()
        return getattr(self, name)

    def put(self: KeptDocument, value: Any) -> None:
        self._decode()
        setattr(self, name, value)

    return property(get, put)


class KeptDocument(Document):
    """A document kept from an earlier lint, decoded from its bytes when first used: then it
    becomes a plain `Document` (its class is swapped: the same slots), so each use after the
    first costs what a `Document`'s does. The bytes were checked when the file was loaded."""

    __slots__ = ()

    def __init__(self, encoded: memoryview) -> None:  # not Document's: nothing is decoded yet
        _PACKED.__set__(self, encoded)

    def encoded(self) -> memoryview:
        """The bytes it was kept as (`save` copies them as they are): only while it is not decoded."""
        found: memoryview = _PACKED.__get__(self)
        return found

    def _decode(self) -> None:
        data, packed, text = marshal.loads(_PACKED.__get__(self))
        self.__class__ = Document  # type: ignore[assignment]  # the same slots: a plain Document from now on
        Document.__init__(self, data, text=text, packed=packed)

    # everything Document reads its slots through: each decodes first, then is Document's own
    data = _decoding("data")
    text = _decoding("text")
    _positions = _decoding("_positions")
    packed_positions = _decoding("packed_positions")


class Kept:
    """The documents kept for a store, by the hash of their text, each decoded only when used."""

    def __init__(self, body: memoryview | None = None, index: dict[str, tuple[int, int]] | None = None) -> None:
        self._body = body
        self._index = index or {}

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, digest: object) -> bool:
        return digest in self._index

    def keys(self) -> Iterable[str]:
        return self._index.keys()

    def encoded(self, digest: str) -> memoryview:
        assert self._body is not None
        offset, length = self._index[digest]
        return self._body[offset : offset + length]

    def document(self, digest: str) -> Document:
        """The document kept under `digest` (a `KeptDocument`: decoded when first used)."""
        return KeptDocument(self.encoded(digest))


def load(root: Path) -> Kept:
    """The documents kept for `root` (none when there are none, when the file cannot be read or
    is damaged, or with KSCB_NO_CACHE)."""
    if os.environ.get("KSCB_NO_CACHE"):
        return Kept()
    try:
        raw = cache_file(root).read_bytes()
    except OSError:
        return Kept()
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + _HEAD.size:
        return Kept()
    length, crc = _HEAD.unpack_from(raw, len(MAGIC))
    body = memoryview(raw)[len(MAGIC) + _HEAD.size :]
    if length > len(body) or zlib.crc32(body) != crc:
        return Kept()
    try:
        index = marshal.loads(body[:length])
    except (ValueError, EOFError, TypeError):
        return Kept()
    documents = body[length:]
    if not isinstance(index, dict) or not all(_fits(entry, len(documents)) for entry in index.values()):
        return Kept()
    return Kept(documents, index)


def _fits(entry: Any, size: int) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 2
        and all(type(n) is int and n >= 0 for n in entry)
        and entry[0] + entry[1] <= size
    )


def documents(kept: Kept, hashes: dict[str, str], prefix: str) -> dict[str, tuple[str, Document]]:
    """{prefix + rel: (its hash, its Document)} for each file whose content hash names a kept
    document (one file per document: a second file of the same content is read as usual)."""
    out: dict[str, tuple[str, Document]] = {}
    used: set[str] = set()
    for rel, digest in hashes.items():
        if digest in kept and digest not in used:
            used.add(digest)
            out[prefix + rel] = (digest, kept.document(digest))
    return out


def save(root: Path, entries: Iterable[Entry], reused: dict[str, tuple[str, Document]], kept: Kept) -> None:
    """Keep the document of every entry that parsed: the store as it is now, nothing older.

    Entries whose document came from `kept` (`reused`) keep their key, and their bytes as kept
    when they were never decoded; the others are hashed on the text they were parsed from. The
    file (tens of megabytes for 10,000 records) is written again only when enough changed since
    (`worth_writing`): until then the few files parsed afresh are parsed afresh again, which
    costs less than writing it.
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
    index: dict[str, tuple[int, int]] = {}
    parts: list[bytes | memoryview] = []
    at = 0
    for key, doc in docs:
        digest = key if key is not None else text_hash(doc.text)
        if digest in index:
            continue
        encoded = (
            doc.encoded()
            if isinstance(doc, KeptDocument)
            else marshal.dumps((doc.data, doc.packed_positions(), doc.text))
        )
        index[digest] = (at, len(encoded))
        parts.append(encoded)
        at += len(encoded)
    head = marshal.dumps(index)
    body = [head, *parts]
    crc = 0
    for part in body:
        crc = zlib.crc32(part, crc)
    _write(cache_file(root), [MAGIC, _HEAD.pack(len(head), crc), *body])


def _write(path: Path, parts: list[bytes | memoryview]) -> None:
    """Write `parts` to `path` atomically, readable only by its owner; a cache that cannot be written is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


def worth_writing(documents: int, fresh: int, stale: int) -> bool:
    """Whether to write the kept documents again: when files were parsed afresh (or kept ones
    went) for more than one in fifty of the store, and at least fifty, or when none is kept yet."""
    return fresh + stale > max(50, documents // 50) or (fresh > 0 and fresh == documents)


def forget(root: Path) -> None:
    """Delete the documents kept for `root` (after ``kscb purge``), and every other kept parse too:
    one kept by an older kscb, or for a clone of the same repository elsewhere, may hold the same text."""
    cache_file(root).unlink(missing_ok=True)
    try:
        others = list((cache_dir() / "parsed").iterdir())
    except OSError:
        return
    for path in others:
        try:
            path.unlink()
        except OSError:
            continue
