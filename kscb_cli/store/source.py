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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

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


@dataclass
class Document:
    """One parsed YAML document and the positions of its keys and values."""

    data: Any
    # Plain (line, col) tuples: cheap to make once per YAML event and to pass between processes.
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""  # the source, for checks that read comments too
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def pos(self, path: Path_, *, key: bool = False) -> Pos:
        """Position of the value (or key) at ``path``, else of its nearest ancestor."""
        path = tuple(path)
        if key and path in self.keys:
            return Pos._make(self.keys[path])
        while path:
            if path in self.values:
                return Pos._make(self.values[path])
            if path in self.keys:
                return Pos._make(self.keys[path])
            path = path[:-1]
        return Pos._make(self.values.get((), (1, 1)))


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
_ALLOWED_TAGS = {
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


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    first = text[:1]
    if first.isalpha() and first not in "tTfFnN":
        return text  # the common case: words
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


def _tagged(tag: str, text: str, pos: Pos) -> Any:
    """A scalar with an explicit core tag; anything that does not fit is a problem."""
    kind = tag[len(_CORE) :] if tag.startswith(_CORE) else "str"
    if kind in ("str", "timestamp"):
        return text
    value = resolve_plain(text)
    expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(kind)
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
    head = raw[:offset]
    nl = b"\n" if isinstance(raw, bytes) else "\n"
    line = head.count(nl) + 1
    start = head.rfind(nl) + 1
    col = len(head[start:].decode("utf-8", "replace")) + 1 if isinstance(head, bytes) else offset - start + 1
    return Pos(line, col)


def read_file(path: Path) -> Document:
    """Read and parse a record file."""
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
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more than the limit, whatever the file grows to
    except IsADirectoryError:
        raise SourceError(Problem("F004", "is a directory named like a record; rename it")) from None
    except OSError as exc:
        raise SourceError(
            Problem("F004", f"cannot read the file ({exc.strerror}); check it exists and is readable")
        ) from None
    return parse(decode(raw))


def parse(text: str) -> Document:
    """Parse one YAML document whose top level is a mapping."""
    import yaml

    try:
        loader = yaml.CSafeLoader(text)
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        loader = yaml.SafeLoader(text)
    try:
        doc = _compose(loader, text)
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


class _Frame:
    __slots__ = ("container", "path", "key", "size", "anchor")

    def __init__(self, container: Any, path: Path_, anchor: str | None):
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.size = 1
        self.anchor = anchor


_NO_KEY = object()


def _compose(loader: Any, text: str) -> Document:
    import yaml.events as ev

    doc = Document(None)
    values, keys = doc.values, doc.keys
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    total = 0
    documents = 0
    root_set = False

    def count(added: int, pos: Pos) -> None:
        """Add to the expanded node budget; aliases add everything they repeat."""
        nonlocal total
        total += added
        if total > MAX_NODES:
            if anchors or open_anchors:
                raise SourceError(
                    Problem(
                        "F006",
                        f"the document expands to more than {MAX_NODES:,} values (aliases repeat content); remove the anchors and aliases",
                        pos,
                    )
                )
            raise SourceError(
                Problem(
                    "F006",
                    f"the document holds more than {MAX_NODES:,} values; no record needs that many — split it",
                    pos,
                )
            )

    def place(value: Any, pos: Pos, size: int, *, new: int | None = None) -> None:
        """Attach a finished value (of `size` expanded nodes, `new` of them not yet counted) to the open container (or make it the root)."""
        nonlocal root_set
        count(size if new is None else new, pos)
        if not stack:
            doc.data = value
            values[()] = pos
            root_set = True
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            path = top.path + (len(top.container),)
            top.container.append(value)
            values[path] = pos
            return
        if top.key is _NO_KEY:
            if not isinstance(value, str):
                if isinstance(value, (dict, list)):
                    raise SourceError(
                        Problem(
                            "F001", "a mapping key must be a plain word, not a list or mapping; rewrite the key", pos
                        )
                    )
                value = str(value).lower() if isinstance(value, bool) else ("" if value is None else str(value))
            if value in top.container:
                first = keys.get(top.path + (value,))
                where = f" (first at line {first[0]})" if first else ""
                raise SourceError(
                    Problem("F002", f"duplicate key {value!r}{where}; keep one and delete the other", pos)
                )
            top.key = value
            keys[top.path + (value,)] = pos
            return
        path = top.path + (top.key,)
        top.container[top.key] = value
        values[path] = pos
        top.key = _NO_KEY

    def child_path() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return top.path + (len(top.container),)
        return top.path + (top.key,)

    while True:
        event = loader.get_event()
        if event is None:
            break
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        cls = type(event)
        if cls is ev.ScalarEvent:
            tag = event.tag
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise SourceError(
                    Problem(
                        "F003",
                        f"YAML tag {tag!r} is not allowed: kscb never builds objects from tags; remove the tag",
                        pos,
                    )
                )
            if tag in (None, "!") and event.implicit[0] and not event.style and not (stack and _awaits_key(stack[-1])):
                value = resolve_plain(event.value)
            elif tag not in (None, "!") and not (stack and _awaits_key(stack[-1])):
                value = _tagged(tag, event.value, pos)
            else:
                value = event.value
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            place(value, pos, 1)
        elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
            tag = event.tag
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise SourceError(
                    Problem(
                        "F003",
                        f"YAML tag {tag!r} is not allowed: kscb never builds objects from tags; remove the tag",
                        pos,
                    )
                )
            if stack and _awaits_key(stack[-1]):
                raise SourceError(
                    Problem("F001", "a mapping key must be a plain word, not a list or mapping; rewrite the key", pos)
                )
            if len(stack) >= MAX_DEPTH:
                raise SourceError(
                    Problem(
                        "F006", f"values nest more than {MAX_DEPTH} levels deep; no record needs that — flatten it", pos
                    )
                )
            container: Any = {} if cls is ev.MappingStartEvent else []
            path = child_path()
            frame = _Frame(container, path, event.anchor)
            frame.size = 1
            count(1, pos)  # the container itself; its contents count as they are placed
            stack.append(frame)
            values[path] = pos
            if event.anchor:
                open_anchors.add(event.anchor)
        elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
            frame = stack.pop()
            if frame.anchor:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (frame.container, frame.size)
            start = values[frame.path]
            place(frame.container, start, frame.size, new=0)  # already counted, value by value
        elif cls is ev.AliasEvent:
            name = event.anchor
            if name in open_anchors:
                raise SourceError(
                    Problem(
                        "F006", f"alias *{name} refers to a value that contains it (a cycle); remove the alias", pos
                    )
                )
            if name not in anchors:
                raise SourceError(
                    Problem(
                        "F001",
                        f"alias *{name} refers to no anchor &{name}; define the anchor first or remove the alias",
                        pos,
                    )
                )
            value, size = anchors[name]
            place(value, pos, size)
        elif cls is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise SourceError(
                    Problem(
                        "F007",
                        "file holds more than one YAML document (a second `---`); put one record in each file",
                        pos,
                    )
                )
        elif cls is ev.StreamEndEvent:
            break
    if not root_set or doc.data is None:
        raise SourceError(
            Problem(
                "F008", "file holds no record (only comments or an empty document); write the record or delete the file"
            )
        )
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        raise SourceError(
            Problem(
                "S001", f"a record must be a mapping of fields (kind: ..., id: ...), not {kind}", values.get((), (1, 1))
            )
        )
    return doc


def _awaits_key(frame: _Frame) -> bool:
    return isinstance(frame.container, dict) and frame.key is _NO_KEY
