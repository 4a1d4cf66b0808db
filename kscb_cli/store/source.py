"""Read one YAML file into plain Python data, keeping the position of every value.

This is the fast, safe read path. libyaml's C parser produces events; a small
iterative composer here turns them into dicts, lists and scalars, and records the
line and column of every key and value. Nothing is ever constructed from a tag, so
no YAML document can create an object or run code. Because the composer is a loop
with an explicit stack (never recursion), deep nesting cannot overflow a stack;
aliases are counted as they would expand, so an alias bomb is refused early.

Scalars are resolved with the YAML 1.2 core schema (``no`` is a string, ``0o17``
is octal, ``1:20`` is a string). Dates stay as strings; the models parse them.

Round-trip loading (ruamel.yaml) is kept for the single file being edited.
"""

from __future__ import annotations

import marshal
import os
import re
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple, Protocol, cast

from kscb_cli.store.cache import content_hash

MAX_BYTES = 1024 * 1024  # a record of 1 MiB is far beyond any real one
MAX_NODES = 100_000  # expanded node budget: aliases included
MAX_DEPTH = 64  # no record nests deeper than a handful of levels

Path_ = tuple[Any, ...]


class Pos(NamedTuple):
    """A 1-based line and column (a tuple: cheap to make once per YAML event)."""

    line: int
    col: int


@dataclass
class Problem:
    """Why a file could not be read, with where and how to fix it."""

    code: str
    message: str
    pos: Pos = Pos(1, 1)

    def __post_init__(self) -> None:
        self.pos = Pos._make(self.pos)  # the composer passes plain (line, col) tuples


Positions = dict[Path_, tuple[int, int]]  # path -> (line, col): plain tuples, cheap to make and to pass on


_RECENT: list[Any] = []  # [document, values, keys]: the packed document whose positions were unpacked last


class Document:
    """One parsed YAML document and the positions of its keys and values.

    A document read in a worker process comes with its positions `packed` (`packed_positions`),
    unpacked when asked for: many documents never need one, and bytes cost little to pass
    between processes and to keep.
    """

    __slots__ = ("data", "text", "_values", "_keys", "_packed")

    def __init__(
        self,
        data: Any,
        values: Positions | None = None,
        text: str = "",  # the source, for checks that read comments too
        keys: Positions | None = None,
        *,
        packed: bytes | None = None,
    ):
        self.data = data
        self.text = text
        self._values: Positions = {} if values is None else values
        self._keys: Positions = {} if keys is None else keys
        self._packed = packed

    def _positions(self) -> tuple[Positions, Positions]:
        """(values, keys); packed ones are unpacked for the document asked last only, since a
        linter asks for one file's positions at a time, and 10k unpacked documents would hold
        a hundred megabytes or more."""
        if self._packed is None:
            return self._values, self._keys
        if _RECENT and _RECENT[0] is self:
            return _RECENT[1], _RECENT[2]
        values, keys = marshal.loads(self._packed)
        _RECENT[:] = [self, values, keys]
        return values, keys

    @property
    def values(self) -> Positions:
        """The position of every value (containers included), by path."""
        return self._positions()[0]

    @property
    def keys(self) -> Positions:
        """The position of every mapping key, by the path of its value."""
        return self._positions()[1]

    def packed_positions(self) -> bytes:
        """`values` and `keys` in one compact blob, for `Document(data, text=..., packed=...)`."""
        return self._packed if self._packed is not None else marshal.dumps((self._values, self._keys))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.data, self.values, self.text, self.keys) == (other.data, other.values, other.text, other.keys)

    def __repr__(self) -> str:
        return f"Document(data={self.data!r}, text={self.text!r})"

    def pos(self, path: Path_, *, key: bool = False) -> Pos:
        """Position of the value (or key) at ``path``, else of its nearest ancestor."""
        values, keys = self._positions()
        path = tuple(path)
        if key and path in keys:
            return Pos._make(keys[path])
        while path:
            if path in values:
                return Pos._make(values[path])
            if path in keys:
                return Pos._make(keys[path])
            path = path[:-1]
        return Pos._make(values.get((), (1, 1)))


class SourceError(Exception):
    """A file that cannot be read as one YAML mapping."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


# --- scalar resolution: YAML 1.2 core schema --------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")

_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {
    "!",
    _CORE + "str",
    _CORE + "int",
    _CORE + "float",
    _CORE + "bool",
    _CORE + "null",
    _CORE + "map",
    _CORE + "seq",
    _CORE + "timestamp",
}


_RESOLVED: dict[str, Any] = {}  # text -> value, for the plain scalars that are not words (dates, numbers)
_RESOLVED_MAX = 50_000  # a bound on that memo (short texts only): past it, values are worked out each time
_MISSING: Any = object()


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    first = text[:1]
    if first.isalpha() and first not in "tTfFnN":
        return intern(text) if len(text) <= 24 else text  # the common case: words (short ones repeat: shared)
    value = _RESOLVED.get(text, _MISSING)
    if value is _MISSING:
        value = _resolve(text)
        if len(text) <= 40 and len(_RESOLVED) < _RESOLVED_MAX:
            _RESOLVED[text] = value
    return value


def _resolve(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


_TAG_TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}


def tagged_value(tag: str, text: str, pos: Pos) -> Any:
    """A scalar with an explicit core tag; anything that does not fit is a problem."""
    kind = tag[len(_CORE) :] if tag.startswith(_CORE) else "str"
    if kind in ("str", "timestamp"):
        return text
    value = resolve_plain(text)
    expected = _TAG_TYPES.get(kind)
    if expected is None or not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
        raise SourceError(
            Problem("F003", f"value {text!r} does not fit its tag !!{kind}; remove the tag or fix the value", pos)
        )
    return float(value) if kind == "float" else value


# --- the file -----------------------------------------------------------------


def decode(raw: bytes) -> str:
    """Bytes to text, refusing binary, non-UTF-8 and oversized files with a position."""
    if len(raw) > MAX_BYTES:
        raise SourceError(
            Problem(
                "F005",
                f"file is {len(raw):,} bytes; a record must be under {MAX_BYTES:,} bytes — split it or remove pasted material",
            )
        )
    if not raw.strip():
        raise SourceError(Problem("F008", "file is empty; write a record (see `kscb new`) or delete the file"))
    nul = raw.find(b"\x00")
    if nul >= 0:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
            raise SourceError(Problem("F004", "file is UTF-16 or UTF-32; save it as UTF-8"))
        raise SourceError(
            Problem(
                "F004",
                "file is binary (it contains NUL bytes), not YAML text; remove it from records/",
                _offset_pos(raw, nul),
            )
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            Problem(
                "F004",
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                _offset_pos(raw, exc.start),
            )
        ) from None


def _offset_pos(raw: bytes | str, offset: int) -> Pos:
    """The line and column of a byte offset (bytes) or a character offset (text)."""
    if isinstance(raw, bytes):
        head = raw[:offset]
        start = head.rfind(b"\n") + 1
        return Pos(head.count(b"\n") + 1, len(head[start:].decode("utf-8", "replace")) + 1)
    text = raw[:offset]
    start = text.rfind("\n") + 1
    return Pos(text.count("\n") + 1, offset - start + 1)


def read_file(path: Path, digests: dict[str, str] | None = None) -> Document:
    """Read and parse a record file. With `digests`, the hash of the bytes read
    (``store.cache.content_hash``) goes there under ``str(path)``, whether or not they parse."""
    import stat

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(Problem("F004", "is a directory named like a record; rename it"))
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block or never end: never open one
            raise SourceError(
                Problem("F004", "is not a regular file (a pipe, socket or device); remove it from records/")
            )
        if info.st_size > MAX_BYTES:
            raise SourceError(
                Problem(
                    "F005",
                    f"file is {info.st_size:,} bytes; a record must be under {MAX_BYTES:,} bytes — split it or remove pasted material",
                )
            )
        raw = _read_bytes(path, info.st_size)
    except IsADirectoryError:
        raise SourceError(Problem("F004", "is a directory named like a record; rename it")) from None
    except OSError as exc:
        raise SourceError(
            Problem("F004", f"cannot read the file ({exc.strerror}); check it exists and is readable")
        ) from None
    if digests is not None and len(raw) <= MAX_BYTES:  # past it (a file that grew), not the whole file's
        digests[str(path)] = content_hash(raw)
    return parse(decode(raw))


def _read_bytes(path: Path, size: int) -> bytes:
    """The file's bytes, never more than MAX_BYTES + 1 whatever it grows to.

    The first read asks for the size just seen, and a byte more: a buffered ``read(MAX_BYTES + 1)``
    would make a 1 MiB buffer for every 3 KB record (most of the cost of reading one).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        total = 0
        want = size + 1
        while total <= MAX_BYTES:
            more = os.read(fd, min(want, MAX_BYTES + 1 - total))
            if not more:
                break
            parts.append(more)
            total += len(more)
            want = 65536
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


class EventSource(Protocol):
    """What the composer reads: libyaml's parser (yaml.CSafeLoader), or PyYAML's own without libyaml."""

    def get_event(self) -> Any: ...

    def dispose(self) -> None: ...


def _event_source(text: str) -> EventSource:
    import yaml

    try:
        return cast(EventSource, yaml.CSafeLoader(text))
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        return cast(EventSource, yaml.SafeLoader(text))


def parse(text: str) -> Document:
    """Parse one YAML document whose top level is a mapping."""
    import yaml

    loader = _event_source(text)
    try:
        from kscb_cli.store.compose import compose

        doc = compose(loader)
        doc.text = text
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in what:  # libyaml's own limit, met while scanning ahead of the composer's
            raise SourceError(
                Problem(
                    "F006", f"values nest more than {MAX_DEPTH} levels deep; no record needs that — flatten it", pos
                )
            ) from None
        raise SourceError(Problem("F001", f"invalid YAML: {what}; fix the syntax here", pos)) from None
    except yaml.reader.ReaderError as exc:
        pos = _offset_pos(text, exc.position) if isinstance(exc.position, int) else Pos(1, 1)
        raise SourceError(
            Problem("F004", f"character {exc.character!r} is not allowed in YAML; delete it", pos)
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(Problem("F001", f"invalid YAML: {exc}")) from None
    finally:
        loader.dispose()
