"""The one Markdown escaper for reporting: plain text made safe in a line, a table cell or a heading (md), and Markdown text made safe under a heading (mdblock).

(Not the terminal escape: reporting.terminal.escape makes text safe to print on a terminal.)
"""

from __future__ import annotations

import re
from typing import Any

# Escaped wherever they are: \\ ` * [ ] < > | ~; `_` unless inside a word; `#` starting a word;
# `&` that would begin an entity reference. One pass of a compiled pattern (renders of 10k records).
_SPECIAL = re.compile(r"[\\`*\[\]<>|~]|(?<![^\W_])_|_(?![^\W_])|(?:^|(?<= ))#|&(?=#?[0-9A-Za-z]+;)")
_LEAD_ORDERED = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_LEAD_MARK = frozenset("-+=")
_SPACE = re.compile(r"\s+")


def md(value: Any) -> str:
    """Plain text made safe for one line of Markdown, a heading or a table cell.

    Runs of whitespace (newlines too) become one space; characters that would start
    structure are backslash-escaped: ``\\ ` * [ ] < > | ~`` everywhere, ``_`` unless it is
    inside a word, ``#`` at the start of a word, ``&`` that would begin an entity, and a
    leading list or heading marker (``-``, ``+``, ``=``, ``1.``).
    """
    raw = _SPACE.sub(" ", str(value))
    text = raw.strip()
    if not text:
        return raw
    result = _SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    if result[0] in _LEAD_MARK:
        result = "\\" + result
    elif result[0].isdigit():
        result = _LEAD_ORDERED.sub(r"\1\\\2", result, count=1)
    return (" " if raw[0] == " " else "") + result + (" " if raw[-1] == " " else "")


_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def mdblock(value: Any, level: int = 2) -> str:
    """Text written in Markdown (a briefing section's body), made safe to place under a level-`level` heading.

    Keeps paragraphs, lists, emphasis and links; escapes ``<`` so raw HTML and autolinks
    stay text; pushes its own headings below ``level``; stops a ``---`` line under a
    paragraph turning it into a heading; closes a code fence left open.
    """
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        line = line.rstrip()
        opening = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        line = line.replace("<", "\\<")
        heading = _ATX.match(line)
        if heading:
            hashes = "#" * min(6, len(heading.group(2)) + level)
            line = heading.group(1) + hashes + line[heading.end() :]
        elif _SETEXT.match(line) and out and out[-1].strip():
            line = "\\" + line.lstrip()
        out.append(line)
    if fence is not None:
        out.append(fence)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out))
    return text
