"""T rules: nothing in the store can attack a terminal, and no name or label is a side door for personal data."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kscb_cli.base.paths import DENYLIST
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, Loc, rule
from kscb_cli.store.store import Entry

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _describe(ch: str) -> str:
    names = {
        "\x1b": "ESC",
        "\x07": "BEL",
        "\r": "CR",
        "\x08": "BS",
        "\x00": "NUL",
        "\x7f": "DEL",
        "\x9b": "CSI",
        "\x0c": "FF",
        "\x0b": "VT",
    }
    return f"U+{ord(ch):04X}" + (
        f" {names[ch]}" if ch in names else (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")
    )


def _strings(data: Any, path: Loc = ()) -> Iterator[tuple[Loc, str, bool]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key, True
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, path + (i,))
    elif isinstance(data, str):
        yield path, data, False


@rule("T001", "control-character", "warning", on="file")
def control_character(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A text field or key holds a control character (ESC, BEL, CR, backspace, a C1 code...).
    Why: written with a YAML escape (``"\\e[2J"``), such a character could clear a terminal,
    retitle the window or hide text when someone runs ``kscb show`` or reads a CI log; kscb
    always prints it escaped (``\\u001b``), but it has no place in a record.
    Fails: ``title: "Review\\e]0;owned\\a"``.
    Passes: tabs and line breaks in text.
    Fix: remove the character.
    """
    if entry.doc is None:
        return
    raw = entry.doc.text
    if "\\" not in raw and _CONTROL.search(raw.replace("\r\n", "\n")) is None:
        return  # no escape and no control character in the file: none can be in its values (the fast path)
    from kscb_cli.lint.rules.privacy import field_name

    for loc, text, is_key in _strings(entry.doc.data):
        m = _CONTROL.search(text)
        if m:
            what = f"the key {field_name(loc)}" if is_key else field_name(loc)
            yield Finding(
                loc,
                f"{what} holds the control character {_describe(m.group(0))}; remove it (a terminal would act on it)",
                at_key=is_key,
            )


@rule("T002", "config-personal-data", on="config")
def config_personal_data(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A label in kscb.yaml holds identifying personal data or a deny-listed term.
    The partnership's name and area and every workstream, priority and theme name and id are
    checked, like record text (the P001 detectors and the P002 deny-list).
    Why: these labels are printed in every briefing and report; a public render refuses them.
    Fails: ``workstreams: {ee: Rowan Quillfeather's team}`` with that name on the deny-list; an e-mail address as a priority's name.
    Passes: ordinary labels, such as ``workstreams: {ee: Evaluation and effectiveness}``.
    Fix: rename the label in kscb.yaml without the name or personal data.
    """
    from kscb_cli.privacy.labels import label_findings

    for loc, message in label_findings(ctx.store.root, ctx.config):
        yield Finding(loc, message)


BINARY_MESSAGE = (
    "a binary file sits under records/, which holds YAML records only; its content cannot be checked for personal data — "
    "move it out of the repository (if staged: git restore --staged) and keep documents elsewhere"
)


def stray_entries(root: Path) -> list[Entry]:
    """Binary files under records/ that are not records (a scan, a spreadsheet), as entries for T003."""
    import os

    from kscb_cli.base.paths import RECORD_SUFFIXES, RECORDS
    from kscb_cli.store.source import Problem
    from kscb_cli.store.staged import is_binary

    base = root / RECORDS
    out: list[Entry] = []
    if not base.is_dir() or base.is_symlink():
        return out
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.startswith(".") or name.endswith(RECORD_SUFFIXES) or os.path.islink(path):
                continue
            try:
                with open(path, "rb") as handle:
                    head = handle.read(8192)
            except OSError:
                continue
            if is_binary(head):
                p = Path(path)
                entry = Entry(p, p.relative_to(root).as_posix())
                entry.problem = Problem("T003", BINARY_MESSAGE)
                out.append(entry)
    return out


@rule("T003", "binary-file", on="file")
def binary_file(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A binary file (a document, an image, a spreadsheet) is under records/ — staged (`kscb guard`) or in the folder (`kscb lint`).
    Why: its content cannot be checked for personal data, and records/ holds YAML records only.
    Fails: ``records/reviews/report.docx``.
    Passes: a text note beside the records.
    Fix: move it out of the repository (if staged: ``git restore --staged``), keep documents elsewhere and link to them.
    """
    if entry.problem is not None and entry.problem.code == "T003":
        yield Finding(entry.problem.pos, entry.problem.message)


_SEPARATORS = re.compile(r"[-_./\\]+")


@functools.lru_cache(maxsize=4096)
def _detected(name: str) -> tuple[str, ...]:
    """The detector findings in a name (item ids and folder names repeat: cached)."""
    from kscb_cli.privacy.detectors import scan

    spaced = _SEPARATORS.sub(" ", name)
    texts = (spaced, name) if "@" in name else (spaced,)  # an e-mail address needs its dots
    out: dict[str, str] = {}
    for text in texts:
        for d in scan(text):
            out.setdefault(d.kind, f"holds {d.message} ({d.masked})")
    return tuple(out.values())


def name_findings(name: str, ctx: Context) -> Iterator[str]:
    """What is wrong with a file name, folder name or id: identifying data or a deny-listed term."""
    spaced = _SEPARATORS.sub(" ", name)
    yield from _detected(name)
    deny = ctx.denylist
    match = deny.search(spaced) if deny is not None else None
    if match is not None:
        yield f"contains a deny-listed term ({DENYLIST} line {match.line})"


@rule("T004", "identifying-name", on="file")
def identifying_name(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A file or folder name, a record id or an item id holds identifying data or a deny-listed term.
    Why: names are committed and shown in every listing, log and diagnostic, so an NHS number as
    a file name or a child's name as a folder is as much a leak as one in the text (kscb
    masks it when printing, but git keeps it).
    Fails: ``records/reviews/9434765919.yaml``.
    Passes: an ordinary id and file name, such as ``records/reviews/LCSPR-2025-004.yaml``.
    Fix: rename it to the record's id (``LCSPR-2025-004.yaml``), or the item to an id like ``A3``.
    """
    from kscb_cli.store.source import Pos

    for problem in name_findings(entry.rel, ctx):
        yield Finding(Pos(1, 1), f"the file name {problem}; rename the file")
    if entry.doc is None or not isinstance(entry.doc.data, dict):
        return
    data = entry.doc.data
    if isinstance(data.get("id"), str) and data.get("id") != entry.stem:
        for problem in name_findings(data["id"], ctx):
            yield Finding(("id",), f"the id {problem}; use an id like LCSPR-2025-004")
    from kscb_cli.model import ITEM_LISTS

    for name in ITEM_LISTS:
        items = data.get(name)
        if not isinstance(items, list):
            continue  # not a list (a number, a mapping): the schema rule reports it
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                for problem in name_findings(item["id"], ctx):
                    yield Finding((name, i, "id"), f"the item id {problem}; use an id like A3")
