"""Rows as a table (colour on a terminal only), json, csv, yaml or markdown.

Shared by ``kscb actions``, ``deadlines``, ``list`` and ``stats``. A command hands over
one or more ``Section``s of JSON-ready rows; machine formats are sorted and byte-stable:
json with sorted keys, csv and yaml in the given row order (which the core already sorted).

- ``table``: aligned columns per section, titled; colour (``style``) only on a terminal,
  and never with ``NO_COLOR``; a terminal's width cuts the widest cells with "…", while a
  pipe or file gets every cell whole.
- ``json``: ``{meta..., section.key: [rows...]}``; rows carry every field, not only the
  columns shown.
- ``csv``: the first section's columns only (a CSV file holds one table).
- ``yaml``: like json.
- ``markdown``: one pipe table per section, under a ``###`` heading when titled.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

FORMATS = ("table", "json", "csv", "yaml", "markdown")


@dataclass
class Section:
    key: str  # the json / yaml key
    columns: list[tuple[str, str]]  # (row key, header)
    rows: list[dict]
    title: str | None = None
    style: Callable[[dict, str], str | None] | None = None  # (row, column) -> rich style, terminal only
    show: dict[str, Callable[[Any, dict], str]] = field(default_factory=dict)  # column -> how to write it (table, markdown)
    right: tuple[str, ...] = ()  # columns aligned right (numbers)


def cell(value: Any) -> str:
    """A value as text for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    return str(value)


def _shown(section: Section, row: dict, key: str) -> str:
    fn = section.show.get(key)
    return fn(row.get(key), row) if fn else cell(row.get(key))


def emit(sections: list[Section], fmt: str, *, meta: dict | None = None, out: TextIO | None = None, color: bool | None = None) -> None:
    """Write the sections in one format to ``out`` (stdout)."""
    out = out or sys.stdout
    if fmt == "json":
        doc = dict(meta or {})
        for s in sections:
            doc[s.key] = s.rows
        out.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    elif fmt == "yaml":
        import yaml

        doc = dict(meta or {})
        for s in sections:
            doc[s.key] = s.rows
        out.write(yaml.safe_dump(doc, sort_keys=True, allow_unicode=True, default_flow_style=False, width=10_000))
    elif fmt == "csv":
        import csv

        from ..terminal import exact

        s = sections[0]
        body = [[cell(row.get(k)) for k, _ in s.columns] for row in s.rows]
        # cells are data, written exactly; a bare CR in one is quoted (the csv module only quotes LF)
        quoting = csv.QUOTE_ALL if any("\r" in c for r in body for c in r) else csv.QUOTE_MINIMAL
        writer = csv.writer(exact(out), lineterminator="\n", quoting=quoting)
        writer.writerow([k for k, _ in s.columns])
        writer.writerows(body)
    elif fmt == "markdown":
        parts = []
        for s in sections:
            lines = [f"### {s.title}", ""] if s.title else []
            lines.append("| " + " | ".join(h for _, h in s.columns) + " |")
            lines.append("| " + " | ".join("---:" if k in s.right else "---" for k, _ in s.columns) + " |")
            for row in s.rows:
                lines.append("| " + " | ".join(_md(_shown(s, row, k)) for k, _ in s.columns) + " |")
            parts.append("\n".join(lines))
        out.write("\n\n".join(parts) + "\n")
    else:
        _table(sections, out, color)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34"}


def _paint(text: str, style: str | None) -> str:
    codes = [_SGR[w] for w in (style or "").split() if w in _SGR]
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes and text else text


def _fit(widths: list[int], limit: int) -> list[int]:
    """Shrink the widest columns until the row fits ``limit`` (a terminal's width); never below 12."""
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > limit:
        i = max(range(len(widths)), key=lambda j: widths[j])
        if widths[i] <= 12:
            break
        widths[i] -= 1
    return widths


def _table(sections: list[Section], out: TextIO, color: bool | None) -> None:
    """Aligned plain-text columns. On a terminal: coloured (unless NO_COLOR) and cut to its width with '…'.

    Written by hand rather than with rich's Table, which takes seconds for thousands of rows.
    """
    import os
    import shutil

    from ..terminal import escape, exact

    terminal = out.isatty() if color is None else color
    paint = terminal and not os.environ.get("NO_COLOR")
    limit = shutil.get_terminal_size((120, 24)).columns if terminal else None
    lines: list[str] = []
    for n, s in enumerate(sections):
        if n:
            lines.append("")
        if s.title:
            lines.append(_paint(escape(s.title), "bold") if paint else s.title)
        if not s.rows:
            lines.append("none")
            continue
        keys = [k for k, _ in s.columns]
        heads = [h for _, h in s.columns]
        body = [[escape(_shown(s, row, k).replace("\n", " ")) for k in keys] for row in s.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(heads)]
        if limit:
            widths = _fit(widths, limit)

        def line(cells: list[str], styles: list[str | None]) -> str:
            parts = []
            for i, (text, w) in enumerate(zip(cells, widths)):
                if len(text) > w:
                    text = text[: w - 1] + "…"
                pad = " " * (w - len(text))
                shown = _paint(text, styles[i]) if paint else text
                parts.append(pad + shown if keys[i] in s.right else shown + pad)
            return "  ".join(parts).rstrip()

        lines.append(line(heads, ["bold"] * len(heads)))
        lines.append("  ".join("-" * w for w in widths))
        for row, cells in zip(s.rows, body):
            styles = [s.style(row, k) if (paint and s.style) else None for k in keys]
            lines.append(line(cells, styles))
    # the cells are escaped above, so the only control characters left are the colours' own
    (exact(out) if paint else out).write("\n".join(lines) + "\n")


# Terminal styles for the derived colours and clock states.
BRAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "green", "blue": "blue", "withdrawn": "dim"}
STATE_STYLE = {"overdue": "bold red", "missed": "red", "due_soon": "bold yellow", "running": "", "met": "green"}
