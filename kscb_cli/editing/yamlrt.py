"""Round-trip YAML for edits: a file's own indentation detected, loaded and dumped keeping its layout and line endings."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import date
from typing import Any

# --- layout ---------------------------------------------------------------------------


def detect_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) used by the file, for ruamel's `indent()`.

    Counted from every block that opens under a `key:` line; the most common wins.
    A file with no nested blocks gets the layout of RECORDS.md (2, 4, 2).
    """
    maps: Counter[int] = Counter()
    seqs: Counter[tuple[int, int]] = Counter()
    key_col, opens = 0, False
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if opens:
            if stripped.startswith("- ") or stripped == "-":
                after = stripped[1:]
                content = indent + 1 + (len(after) - len(after.lstrip(" ")))
                if indent >= key_col:
                    seqs[(content - key_col, indent - key_col)] += 1
            elif indent > key_col:
                maps[indent - key_col] += 1
        body = re.sub(r"\s+#.*$", "", stripped)
        key_col = indent
        while body.startswith("- "):  # `- key:` opens a block at the key's column
            rest = body[2:].lstrip(" ")
            key_col += len(body) - len(rest)
            body = rest
        opens = bool(re.match(r"[^\s#'\"|>][^:]*:\Z", body) or re.match(r"(['\"]).*\1:\Z", body))
    mapping = maps.most_common(1)[0][0] if maps else 2
    sequence, offset = seqs.most_common(1)[0][0] if seqs else (4, 2)
    return mapping, sequence, offset


def round_trip_yaml(text: str = "") -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16  # never re-wrap: a long line stays one line
    mapping, sequence, offset = detect_indent(text)
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    if first.startswith("---"):
        y.explicit_start = True
    return y


def hunks(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return sum(1 for tag, *_ in matcher.get_opcodes() if tag != "equal")


_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def comment_lines(text: str) -> Counter[str]:
    """Full-line comments, not counting lines inside block scalars (a `#` there is text)."""
    out: Counter[str] = Counter()
    block: int | None = None  # the indent a block scalar's lines must exceed
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block is not None:
            if not stripped or indent > block:
                continue
            block = None
        if stripped.startswith("#"):
            out[stripped.strip()] += 1
        elif _BLOCK_START.search(line):
            rest = stripped.lstrip("- ")
            keyed = stripped.startswith("- ") and not rest.startswith(("|", ">"))
            block = indent + (len(stripped) - len(rest) if keyed else 0)  # `- key: |` indents from the key
    return out


# --- ruamel helpers -------------------------------------------------------------------


def styled(new: Any, old: Any) -> Any:
    """`new` as a ruamel node, in the style of the value it replaces (quotes, folded or literal block, flow)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString

    if isinstance(new, dict):
        node = CommentedMap()
        for k, v in new.items():
            node[k] = styled(v, None)
        node.fa.set_flow_style()
        return node
    if isinstance(new, list):
        seq = CommentedSeq(styled(v, None) for v in new)
        seq.fa.set_flow_style()
        return seq
    if (
        isinstance(new, (date, int, float))
        and not isinstance(new, bool)
        and isinstance(old, ScalarString)
        and not isinstance(old, (FoldedScalarString, LiteralScalarString))
    ):
        return type(old)(
            new.isoformat() if isinstance(new, date) else str(new)
        )  # a quoted date or number stays quoted text
    if isinstance(new, str) and isinstance(old, ScalarString):
        if isinstance(old, FoldedScalarString):
            return _folded(new, old)
        if isinstance(old, LiteralScalarString):
            return LiteralScalarString(new)
        return type(old)(new)
    if isinstance(new, str) and YAML11_SPECIAL.match(new):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(
            new
        )  # text that YAML 1.1 readers (PyYAML, many editors) take as true/false/null
    return new


# Plain words YAML 1.1 reads as booleans or null (YAML 1.2, which kscb reads, takes them as text):
# written as text they are quoted, so no other tool reads `answer: no` as false.
YAML11_SPECIAL = re.compile(
    r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)\Z"
)


def _folded(text: str, old: Any) -> Any:
    """A folded (>-) block with the new text, wrapped at the width of the block it replaces."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if "\n" in text:
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(text)
    folds = list(getattr(old, "fold_pos", None) or [])
    bounds = [-1] + folds + [len(old)]
    # the widest line of the old block, where it was folded; else the width the demo store uses
    width = max(max(b - a - 1 for a, b in zip(bounds, bounds[1:])), 40) if folds else 92
    node = FoldedScalarString(text)
    pos, start, last_space = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " " and i + 1 < len(text) and text[i + 1] != " " and (i == 0 or text[i - 1] != " "):
            if i - start > width and last_space > start:
                pos.append(last_space)
                start = last_space + 1
            last_space = i
    if len(text) - start > width and last_space > start:
        pos.append(last_space)
    node.fold_pos = pos  # type: ignore[attr-defined]  # a slot ruamel declares in __slots__ only
    return node


def _tail(node: Any, key: Any) -> tuple[Any, Any, int] | None:
    """Where ruamel keeps the comment that follows `node[key]`: (container, key, slot), else None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.get(key)
    if entry is not None and len(entry) > slot and entry[slot] is not None:
        return node, key, slot
    value = node[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _tail(value, list(value.keys())[-1])
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        return _tail(value, len(value) - 1)
    return None


def _split_comment(value: str) -> tuple[str, str]:
    """A post-value comment token → (the end-of-line part, the lines after it)."""
    head, nl, rest = value.partition("\n")
    return head + nl, rest


def _set_token(container: Any, key: Any, slot: int, value: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) < 4:
        entry.append(None)
    old = entry[slot]
    column = old.column if old is not None else 0
    entry[slot] = CommentToken(value, CommentMark(column), None) if value else None


def delete_key(node: Any, key: str) -> None:
    """Delete `node[key]`, keeping the comment lines that follow it (they introduce the next key)."""
    keys = list(node.keys())
    i = keys.index(key)
    where = _tail(node, key)
    rest = ""
    if where is not None:
        container, k, slot = where
        _, rest = _split_comment(container.ca.items[k][slot].value)
    del node[key]
    if key in node.ca.items:
        del node.ca.items[key]
    if not rest.strip():
        return
    if i > 0:
        prev = keys[i - 1]
        target = _tail(node, prev)
        if target is None:
            _set_token(node, prev, 2, "\n" + rest)
        else:
            container, k, slot = target
            head, old_rest = _split_comment(container.ca.items[k][slot].value)
            _set_token(container, k, slot, (head or "\n") + old_rest + rest)
    # the first key of a mapping: there is nowhere safe to keep the comment; the layout check refuses the edit


def insert_key(node: Any, key: str, value: Any, order: list[str]) -> None:
    """Insert `key` where the model puts it: after the last present key that comes before it."""
    keys = list(node.keys())
    rank = {k: i for i, k in enumerate(order)}
    pos = len(keys)
    if key in rank:
        before = [i for i, k in enumerate(keys) if rank.get(k, len(order)) < rank[key]]
        pos = before[-1] + 1 if before else 0
    if 0 < pos:
        # comment lines after the previous key introduce the key after it: keep them above that key
        prev = keys[pos - 1]
        where = _tail(node, prev)
        simple = not hasattr(value, "fa") or value.fa.flow_style()
        if where is not None and simple and pos < len(keys):
            container, k, slot = where
            head, rest = _split_comment(container.ca.items[k][slot].value)
            if rest.strip():
                _set_token(container, k, slot, head)
                node.insert(pos, key, value)
                _set_token(node, key, 2, "\n" + rest)
                return
    node.insert(pos, key, value)


# --- planning an edit -----------------------------------------------------------------


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def restore_line_endings(original: str, new_lf: str) -> str:
    """`new_lf` (LF line endings) with each line's ending as it was in `original`: a file with
    mixed endings changes only on the edited lines; new lines take the ending of the lines they
    replace, else the file's most common one."""
    old = _LINE.findall(original)
    old_body = [ln[:-2] if ln.endswith("\r\n") else ln[:-1] if ln.endswith("\n") else ln for ln in old]
    old_end = [ln[len(b) :] for ln, b in zip(old, old_body)]
    crlf, lf = sum(e == "\r\n" for e in old_end), sum(e == "\n" for e in old_end)
    dominant = "\r\n" if crlf > lf else "\n"
    new = _LINE.findall(new_lf)
    new_body = [ln[:-1] if ln.endswith("\n") else ln for ln in new]
    has_nl = [ln.endswith("\n") for ln in new]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_body, new_body, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                out.append(new_body[j1 + k] + ((old_end[i1 + k] or dominant) if has_nl[j1 + k] else ""))
            continue
        end = next((e for e in old_end[i1:i2] if e), None) or (
            old_end[i1 - 1] if i1 > 0 and old_end[i1 - 1] else dominant
        )
        for j in range(j1, j2):
            out.append(new_body[j] + (end if has_nl[j] else ""))
    return "".join(out)


def restore_lines(original: str, edited_copy: str, new: str) -> str:
    """`new` (a dump of `edited_copy`, a same-length-lines copy of `original`) with every line it
    did not change taken from `original` again."""
    orig = _LINE.findall(original)
    copy = _LINE.findall(edited_copy)
    lines = _LINE.findall(new)
    if len(orig) != len(copy):  # pragma: no cover - the copy only swaps characters
        return new
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, copy, lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(orig[i1:i2] if tag == "equal" else lines[j1:j2])
    return "".join(out)
