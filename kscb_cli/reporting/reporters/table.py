"""Rows as a table (colour on a terminal only), json, csv, yaml or markdown.

Shared by ``kscb actions``, ``deadlines``, ``list`` and ``stats``. A command hands over
one or more ``Section``s of JSON-ready rows; machine formats are sorted and byte-stable:
json with sorted keys, csv and yaml in the given row order (which the core already sorted).

- ``table``: aligned columns per section, titled; colour (``style``) only on a terminal,
  and never with ``NO_COLOR`` (``--color always|never`` decides instead); on a terminal,
  ids are never cut, long text wraps, and text columns that still do not fit are left out
  (named on stderr); a pipe, a file or ``--wide`` gets every cell whole on one line.
- ``json``: ``{meta..., section.key: [rows...]}``; rows carry every field, not only the
  columns shown.
- ``csv``: the first section's columns only (a CSV file holds one table).
- ``yaml``: like json.
- ``markdown``: one pipe table per section, under a ``###`` heading when titled.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from kscb_cli.reporting.markdown import md

FORMATS = ("table", "json", "csv", "yaml", "markdown")


@dataclass
class Section:
    key: str  # the json / yaml key
    columns: list[tuple[str, str]]  # (row key, header)
    rows: list[dict[str, Any]]
    title: str | None = None
    style: Callable[[dict[str, Any], str], str | None] | None = None  # (row, column) -> rich style, terminal only
    show: dict[str, Callable[[Any, dict[str, Any]], str]] = field(
        default_factory=dict
    )  # column -> how to write it (table, markdown)
    right: tuple[str, ...] = ()  # columns aligned right (numbers)
    keep: tuple[str, ...] | None = None  # columns never cut or wrapped on a terminal (default: the id-like ones, KEEP)
    drop: tuple[str, ...] = ()  # columns to leave out first when a terminal is too narrow


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


def _shown(section: Section, row: dict[str, Any], key: str) -> str:
    fn = section.show.get(key)
    return fn(row.get(key), row) if fn else cell(row.get(key))


def emit(
    sections: list[Section],
    fmt: str,
    *,
    meta: dict[str, Any] | None = None,
    out: TextIO | None = None,
    color: bool | None = None,
    wide: bool = False,
) -> None:
    """Write the sections in one format to ``out`` (stdout). ``color``: None follows the terminal and NO_COLOR; ``wide``: never fit."""
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

        from kscb_cli.reporting.terminal import exact

        s = sections[0]
        body = [[cell(row.get(k)) for k, _ in s.columns] for row in s.rows]
        # cells are data, written exactly; a bare CR in one is quoted (the csv module only quotes LF)
        bare_cr = any("\r" in c for r in body for c in r)
        writer = csv.writer(exact(out), lineterminator="\n", quoting=csv.QUOTE_ALL if bare_cr else csv.QUOTE_MINIMAL)
        writer.writerow([k for k, _ in s.columns])
        writer.writerows(body)
    elif fmt == "markdown":
        parts = []
        for s in sections:
            lines = [f"### {s.title}", ""] if s.title else []
            lines.append("| " + " | ".join(h for _, h in s.columns) + " |")
            lines.append("| " + " | ".join("---:" if k in s.right else "---" for k, _ in s.columns) + " |")
            for row in s.rows:
                lines.append("| " + " | ".join(md(_shown(s, row, k)) for k, _ in s.columns) + " |")
            parts.append("\n".join(lines))
        out.write("\n\n".join(parts) + "\n")
    else:
        _table(sections, out, color, wide)


_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34"}


def _paint(text: str, style: str | None) -> str:
    codes = [_SGR[w] for w in (style or "").split() if w in _SGR]
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes and text else text


MIN_WIDTH = 12  # a column this narrow is short: never wrapped
MIN_WRAP = 24  # a text column is never wrapped narrower than this; past that it is left out
KEEP = frozenset({"id", "ref", "record", "record_id", "plan", "action"})  # ids: never cut, never wrapped


def _kept(section: Section) -> set[str]:
    return set(section.keep) if section.keep is not None else {k for k, _ in section.columns if k in KEEP}


def _layout(section: Section, natural: list[int], limit: int) -> tuple[list[int], list[int]]:
    """(widths, indexes of the columns shown) fitting ``limit``: ids and short columns whole, long text wrapped
    (never narrower than MIN_WRAP); then columns left out, the section's ``drop`` first, then long text, then
    short columns, from the right; ids always stay."""
    keys = [k for k, _ in section.columns]
    kept = _kept(section)
    fixed = {i for i, k in enumerate(keys) if k in kept or natural[i] <= MIN_WIDTH}
    shown = list(range(len(keys)))
    while True:
        widths = list(natural)

        def total(widths: list[int] = widths) -> int:  # bound now: called only in this pass
            return sum(widths[i] for i in shown) + 2 * (len(shown) - 1)

        while total() > limit:
            flexible = [i for i in shown if i not in fixed and widths[i] > MIN_WRAP]
            if not flexible:
                break
            i = max(flexible, key=lambda j: (widths[j], j))
            widths[i] = max(MIN_WRAP, widths[i] - (total() - limit))
        if total() <= limit:
            return widths, shown
        first = [keys.index(k) for k in section.drop if k in keys and keys.index(k) in shown and k not in kept]
        droppable = [i for i in shown if i not in fixed] or [i for i in shown if keys[i] not in kept]
        if not first and not droppable:
            return widths, shown  # only ids left: print them whole, wider than the terminal
        shown.remove(first[0] if first else droppable[-1])


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _table(sections: list[Section], out: TextIO, color: bool | None, wide: bool = False) -> None:
    """Aligned plain-text columns; on a terminal, fitted to its width, coloured unless NO_COLOR (``color`` forces either way).

    Fitting never cuts an id (``Section.keep``: id, ref, record, ...) or a short column such
    as a date; long text columns wrap onto more lines, and where even that cannot fit, the
    right-most text columns are left out, with a note on stderr naming them. A pipe or a
    file, or ``wide``, gets every cell whole on one line. Written by hand rather than with
    rich's Table, which takes seconds for thousands of rows.
    """
    import os
    import shutil

    from kscb_cli.reporting.terminal import escape, exact

    terminal = out.isatty()
    paint = (color is True) or (color is None and terminal and not os.environ.get("NO_COLOR"))
    limit = shutil.get_terminal_size((120, 24)).columns if terminal and not wide else None
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
        shown = list(range(len(keys)))
        if limit:
            widths, shown = _layout(s, widths, limit)
            dropped = [heads[i] for i in range(len(keys)) if i not in shown]
            if dropped:
                sys.stderr.write(
                    f"kscb: {', '.join(dropped)} left out to fit {limit} columns; --wide shows every column, --columns chooses\n"
                )

        def block(
            cells: list[str],
            styles: list[str | None],
            widths: list[int] = widths,
            shown: list[int] = shown,
            keys: list[str] = keys,
            s: Section = s,
        ) -> list[str]:  # this section's layout, bound now
            wrapped = {i: _wrap(cells[i], widths[i]) for i in shown}
            height = max(len(v) for v in wrapped.values())
            out_lines = []
            for y in range(height):
                parts = []
                for i in shown:
                    text = wrapped[i][y] if y < len(wrapped[i]) else ""
                    pad = " " * max(0, widths[i] - len(text))
                    painted = _paint(text, styles[i]) if paint else text
                    parts.append(pad + painted if keys[i] in s.right else painted + pad)
                out_lines.append("  ".join(parts).rstrip())
            return out_lines

        lines.extend(block(heads, ["bold"] * len(heads)))
        lines.append("  ".join("-" * widths[i] for i in shown))
        for row, cells in zip(s.rows, body):
            styles = [s.style(row, k) if (paint and s.style) else None for k in keys]
            lines.extend(block(cells, styles))
    # the cells are escaped above, so the only control characters left are the colours' own
    (exact(out) if paint else out).write("\n".join(lines) + "\n")


def choose(section: Section, names: list[str]) -> Section:
    """The section with only the named columns (by key or header, in the order given); a user error naming the choices otherwise."""
    if not names:
        return section
    if names == ["all"]:
        return section
    from kscb_cli.base.errors import KscbError

    by_name = {k: (k, h) for k, h in section.columns} | {h: (k, h) for k, h in section.columns}
    chosen = []
    for name in names:
        if name not in by_name:
            from kscb_cli.store.validate import suggest

            have = ", ".join(k if k == h else f"{k} ({h})" for k, h in section.columns)
            raise KscbError(f"--columns {name!r} is not a column{suggest(name, sorted(by_name))}; columns: {have}")
        chosen.append(by_name[name])
    from dataclasses import replace

    return replace(section, columns=chosen)


# Terminal styles for the derived colours and clock states.
BRAG_STYLE = {
    "red": "bold red",
    "amber": "bold yellow",
    "green": "green",
    "blue": "blue",
    "withdrawn": "dim",
    "draft": "italic",
    "invalid": "bold magenta reverse",
}
STATE_STYLE = {"overdue": "bold red", "missed": "red", "due_soon": "bold yellow", "running": "", "met": "green"}
