"""The composer: libyaml's events -> plain data, with the position of every key and value.

The read path of every record (kscb_cli.store.source has the file and the scalars; this
has the loop). An iterative composer with an explicit stack (never recursion), so deep
nesting cannot overflow a stack; aliases are counted as they would expand, so an alias
bomb is refused early; nothing is ever built from a tag.
"""

from __future__ import annotations

from sys import intern
from typing import Any

from kscb_cli.store.source import (
    ALLOWED_TAGS,
    MAX_DEPTH,
    MAX_NODES,
    Document,
    EventSource,
    Path_,
    Pos,
    Problem,
    SourceError,
    resolve_plain,
    tagged_value,
)

# `compose` is the loop. It places scalars itself (they are most events, and this is the
# hot path of every lint); containers, aliases, tags, anchors, documents and every refusal
# are the methods of `_Composer`, which holds the document being built.

LineCol = tuple[int, int]  # a position as the composer keeps it: (line, col), 1-based
_NO_KEY: Any = object()  # an open mapping waiting for its next key


class _Frame:
    """An open mapping or sequence: where it is, and (a mapping) the key waiting for its value."""

    __slots__ = ("container", "path", "key", "key_path", "is_map", "anchor", "before")

    def __init__(self, container: Any, path: Path_, anchor: str | None, before: int):
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_path: Path_ = ()  # path + (key,): one tuple for the key's and the value's position
        self.is_map = isinstance(container, dict)
        self.anchor = anchor
        self.before = before  # nodes counted before this container: its expanded size is the rest


def compose(loader: EventSource) -> Document:
    """The document the loader's events describe: one branch for each kind of event."""
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    c = _Composer()
    values, keys = c.values, c.keys
    top: _Frame | None = None  # the innermost open container
    total = 0  # expanded nodes so far: aliases count everything they repeat
    get_event = loader.get_event
    no_key, resolve, most, intern_ = _NO_KEY, resolve_plain, MAX_NODES, intern  # locals: read for every event
    while True:
        event = get_event()
        cls = type(event)
        if cls is ScalarEvent:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            awaits_key = top is not None and top.is_map and top.key is no_key
            if event.tag is not None or event.anchor is not None:
                value = c.marked_scalar(event, pos, awaits_key)
            elif event.implicit[0] and not event.style and not awaits_key:
                value = resolve(event.value)
            else:
                value = event.value
            total += 1
            if total > most:
                raise c.too_many(pos)
            if top is None:
                c.set_root(value, pos)
            elif awaits_key:
                if value in top.container:
                    raise c.duplicate(top, value, pos)
                value = intern_(value)  # field names repeat in every record: one string each, shared
                top.key = value
                top.key_path = top.path + (value,)
                keys[top.key_path] = pos
            elif top.is_map:
                values[top.key_path] = pos
                top.container[top.key] = value
                top.key = no_key
            else:
                values[top.path + (len(top.container),)] = pos
                top.container.append(value)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            top = c.close(total)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            mark = event.start_mark
            total += 1
            top = c.open(event, (mark.line + 1, mark.column + 1), total, cls is MappingStartEvent)
        elif cls is AliasEvent:
            mark = event.start_mark
            total = c.alias(event.anchor, (mark.line + 1, mark.column + 1), total)
        elif cls is DocumentStartEvent:
            c.document((event.start_mark.line + 1, event.start_mark.column + 1))
        elif event is None or cls is StreamEndEvent:
            break
    return c.finish()


class _Composer:
    """The document being composed: its data and positions, the open containers, anchors, budget."""

    def __init__(self) -> None:
        self.doc = Document(None)
        self.values = self.doc.values
        self.keys = self.doc.keys
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, expanded size)
        self.open_anchors: set[str] = set()  # anchored containers not yet closed: an alias to one is a cycle
        self.documents = 0
        self.root_set = False

    def marked_scalar(self, event: Any, pos: LineCol, awaits_key: bool) -> Any:
        """The value of a scalar with a tag or an anchor (a key is never resolved: it stays text)."""
        tag = event.tag
        if tag is not None and tag not in ALLOWED_TAGS:
            raise _tag_refused(tag, pos)
        if tag in (None, "!") and event.implicit[0] and not event.style and not awaits_key:
            value = resolve_plain(event.value)
        elif tag not in (None, "!") and not awaits_key:
            value = tagged_value(tag, event.value, Pos._make(pos))
        else:
            value = event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        return value

    def set_root(self, value: Any, pos: LineCol) -> None:
        self.doc.data = value
        self.values[()] = pos
        self.root_set = True

    def place(self, value: Any, pos: LineCol) -> None:
        """Attach a value that is not a plain scalar (an alias's) to the open container, or make it the root."""
        if not self.stack:
            self.set_root(value, pos)
            return
        top = self.stack[-1]
        if not top.is_map:
            self.values[top.path + (len(top.container),)] = pos
            top.container.append(value)
        elif top.key is not _NO_KEY:
            self.values[top.key_path] = pos
            top.container[top.key] = value
            top.key = _NO_KEY
        else:
            if not isinstance(value, str):
                if isinstance(value, (dict, list)):
                    raise _complex_key(pos)
                value = str(value).lower() if isinstance(value, bool) else ("" if value is None else str(value))
            if value in top.container:
                raise self.duplicate(top, value, pos)
            top.key = value
            top.key_path = top.path + (value,)
            self.keys[top.key_path] = pos

    def open(self, event: Any, pos: LineCol, total: int, mapping: bool) -> _Frame:
        """A mapping or sequence starts (already counted in `total`): its frame is the new innermost."""
        tag = event.tag
        if tag is not None and tag not in ALLOWED_TAGS:
            raise _tag_refused(tag, pos)
        stack = self.stack
        if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
            raise _complex_key(pos)
        if len(stack) >= MAX_DEPTH:
            raise SourceError(
                Problem(
                    "F006",
                    f"values nest more than {MAX_DEPTH} levels deep; no record needs that — flatten it",
                    Pos._make(pos),
                )
            )
        if not stack:
            path: Path_ = ()
        else:
            top = stack[-1]
            path = top.key_path if top.is_map else top.path + (len(top.container),)
        frame = _Frame({} if mapping else [], path, event.anchor, total - 1)
        if total > MAX_NODES:
            raise self.too_many(pos)
        stack.append(frame)
        self.values[path] = pos
        if event.anchor:
            self.open_anchors.add(event.anchor)
        return frame

    def close(self, total: int) -> _Frame | None:
        """The innermost container ends: attach it to its parent; the parent is the innermost again."""
        stack = self.stack
        frame = stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, total - frame.before)
        if not stack:  # its position was recorded when it opened
            self.doc.data = frame.container
            self.root_set = True
            return None
        top = stack[-1]
        if top.is_map:
            top.container[top.key] = frame.container
            top.key = _NO_KEY
        else:
            top.container.append(frame.container)
        return top

    def alias(self, name: str, pos: LineCol, total: int) -> int:
        """Place what `*name` repeats; the node budget after counting all of it."""
        if name in self.open_anchors:
            raise SourceError(
                Problem(
                    "F006",
                    f"alias *{name} refers to a value that contains it (a cycle); remove the alias",
                    Pos._make(pos),
                )
            )
        if name not in self.anchors:
            raise SourceError(
                Problem(
                    "F001",
                    f"alias *{name} refers to no anchor &{name}; define the anchor first or remove the alias",
                    Pos._make(pos),
                )
            )
        value, size = self.anchors[name]
        total += size
        if total > MAX_NODES:
            raise self.too_many(pos)
        self.place(value, pos)
        return total

    def document(self, pos: LineCol) -> None:
        self.documents += 1
        if self.documents > 1:
            raise SourceError(
                Problem(
                    "F007",
                    "file holds more than one YAML document (a second `---`); put one record in each file",
                    Pos._make(pos),
                )
            )

    def too_many(self, pos: LineCol) -> SourceError:
        """The refusal when the expanded node budget is spent (aliases are the usual cause)."""
        if self.anchors or self.open_anchors:
            message = f"the document expands to more than {MAX_NODES:,} values (aliases repeat content); remove the anchors and aliases"
        else:
            message = f"the document holds more than {MAX_NODES:,} values; no record needs that many — split it"
        return SourceError(Problem("F006", message, Pos._make(pos)))

    def duplicate(self, top: _Frame, key: str, pos: LineCol) -> SourceError:
        first = self.keys.get(top.path + (key,))
        where = f" (first at line {first[0]})" if first else ""
        return SourceError(
            Problem("F002", f"duplicate key {key!r}{where}; keep one and delete the other", Pos._make(pos))
        )

    def finish(self) -> Document:
        """The document, once every event is read: one record, a mapping."""
        doc = self.doc
        if not self.root_set or doc.data is None:
            raise SourceError(
                Problem(
                    "F008",
                    "file holds no record (only comments or an empty document); write the record or delete the file",
                )
            )
        if not isinstance(doc.data, dict):
            kind = "a list" if isinstance(doc.data, list) else "a single value"
            raise SourceError(
                Problem(
                    "S001",
                    f"a record must be a mapping of fields (kind: ..., id: ...), not {kind}",
                    Pos._make(self.values.get((), (1, 1))),
                )
            )
        return doc


def _tag_refused(tag: str, pos: LineCol) -> SourceError:
    return SourceError(
        Problem(
            "F003",
            f"YAML tag {tag!r} is not allowed: kscb never builds objects from tags; remove the tag",
            Pos._make(pos),
        )
    )


def _complex_key(pos: LineCol) -> SourceError:
    return SourceError(
        Problem("F001", "a mapping key must be a plain word, not a list or mapping; rewrite the key", Pos._make(pos))
    )
