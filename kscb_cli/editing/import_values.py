"""A spreadsheet cell as a field's value: dates typed every way, RAG words, agency names, yes/no.

Where kscb cannot be sure what a cell means it does not guess: `RowError` says why, and the
row is not imported.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from typing import Any

from kscb_cli.base.dates import NotADate, parse_flexible
from kscb_cli.editing.import_mapping import AGENCY_FIELDS, Mapping
from kscb_cli.editing.import_result import RowError
from kscb_cli.editing.sheets import cell_text, norm

# The words trackers use for an action's state, and the status each means. A tracker's own
# words go in the mapping's `values: {status: {...}}`, which is read first.
RAG_STATUS = {
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "blue": "complete",
    "closed": "complete",
    "achieved": "complete",
    "finished": "complete",
    "embedded": "embedded",
    "green": "in_progress",
    "amber": "in_progress",
    "red": "in_progress",
    "ongoing": "in_progress",
    "in progress": "in_progress",
    "on track": "in_progress",
    "started": "in_progress",
    "off track": "in_progress",
    "at risk": "in_progress",
    "delayed": "in_progress",
    "partially complete": "in_progress",
    "overdue": "in_progress",
    "not started": "not_started",
    "not yet started": "not_started",
    "pending": "not_started",
    "not due": "not_started",
    "withdrawn": "withdrawn",
    "superseded": "withdrawn",
    "cancelled": "withdrawn",
    "no longer required": "withdrawn",
}
RAG_COLOUR = {"red": "red", "amber": "amber", "green": "green", "blue": "blue", "complete": "blue", "completed": "blue"}

# Headers a tracker or log uses for each field (normalised), for --init-map.


class Agencies:
    """Agency names as spreadsheets spell them, matched to the store's agency ids — exactly, never by a guess."""

    STOP = {"the", "and", "of", "for", "nhs", "ft", "trust", "foundation", "service", "services", "council", "team"}

    def __init__(self, store: Any, aliases: dict[str, str]):
        self.titles = {r.id: r.title for r in store.of_kind("agency")}
        self.exact: dict[str, set[str]] = {}
        for rid, title in self.titles.items():
            self._add(norm(rid), rid)
            self._add(norm(title), rid)
            self._add(norm(title).replace(" and ", " "), rid)
            initials = "".join(w[0] for w in norm(title).split() if w not in ("and", "of", "the", "for"))
            if len(initials) >= 2:
                self._add(initials, rid)
        self.aliases = aliases
        self.unmatched: dict[str, list[int]] = {}

    def _add(self, key: str, rid: str) -> None:
        self.exact.setdefault(key, set()).add(rid)

    def match(self, name: str, row: int | None = None) -> str:
        key = norm(name)
        if key in self.aliases:
            rid = self.aliases[key]
            if rid not in self.titles:
                raise RowError(
                    f"the mapping's agencies: says {name!r} is {rid}, but there is no agency {rid} in the store (kscb new agency --id {rid})"
                )
            return rid
        found = self.exact.get(key) or self.exact.get(key.replace(" and ", " "))
        if found and len(found) == 1:
            return next(iter(found))
        if row is not None:
            self.unmatched.setdefault(name, []).append(row)
        if found:
            raise RowError(
                f"agency {name!r} could be any of {', '.join(sorted(found))}; say which under agencies: in the mapping"
            )
        hint = self.suggest(name)
        if not self.titles:
            raise RowError(
                f"agency {name!r}: the store has no agencies yet; add them first (kscb new agency, or kscb import agencies.csv --kind agency)"
            )
        raise RowError(
            f'agency {name!r} is not one of the store\'s agencies{hint}; add "{name}: AGENCY-ID" under agencies: in the mapping'
        )

    def suggest(self, name: str) -> str:
        """'; did you mean X (title)?' from the closest agency names."""
        choices = {f"{rid} {title}": rid for rid, title in self.titles.items()}
        try:
            from rapidfuzz import fuzz, process

            best = process.extract(
                norm(name),
                {k: norm(k) for k in choices},
                scorer=fuzz.token_set_ratio,
                processor=None,
                limit=2,
                score_cutoff=60,
            )
            keys = [b[2] for b in best]
        except ImportError:  # the spreadsheets extra is not installed: the standard library's matcher
            import difflib

            by_norm = {norm(k): k for k in choices}
            keys = [by_norm[k] for k in difflib.get_close_matches(norm(name), list(by_norm), n=2, cutoff=0.5)]
        if not keys:
            return ""
        return "; did you mean " + " or ".join(f"{choices[k]} ({self.titles[choices[k]]})" for k in keys) + "?"


def cell_date(value: Any, what: str) -> date:
    try:
        return parse_flexible(value)
    except NotADate as exc:
        raise RowError(f"{what}: {exc}") from None


def cell_word(value: Any, table: dict[str, str], builtin: dict[str, str], what: str, choices: tuple[str, ...]) -> str:
    key = norm(value)
    if key in table:
        return table[key]
    if key in builtin:
        return builtin[key]
    snake = key.replace(" ", "_")
    if snake in choices:
        return snake
    from kscb_cli.base.suggest import suggest

    raise RowError(
        f"{what} {cell_text(value)!r} is not a word kscb knows{suggest(snake, choices)}; "
        f'add it under values: {{{what}: {{"{cell_text(value)}": ...}}}} in the mapping (one of: {", ".join(choices)})'
    )


def convert_cell(value: Any, annotation: Any, loc: tuple[Any, ...], m: Mapping, agencies: Agencies, number: int) -> Any:
    from kscb_cli.editing.scaffold import field_choices, is_bool, is_date, unwrap

    name = ".".join(loc)
    if annotation is None:
        return cell_text(value)
    types = unwrap(annotation)
    is_list = any(typing.get_origin(t) is list for t in types)
    if is_list:
        inner = [a for t in types if typing.get_origin(t) is list for a in typing.get_args(t)]
        parts = value if isinstance(value, list) else [p for p in re.split(r"[;,\n]| and ", str(value)) if p.strip()]
        return [
            convert_cell(p.strip() if isinstance(p, str) else p, inner[0] if inner else None, loc, m, agencies, number)
            for p in parts
        ]
    if loc[-1] in AGENCY_FIELDS and not field_choices(annotation):
        return agencies.match(cell_text(value) or "", number)
    if is_date(annotation):
        return cell_date(value, name)
    if is_bool(annotation):
        key = norm(value)
        if key in ("yes", "y", "true", "1", "x"):
            return True
        if key in ("no", "n", "false", "0", ""):
            return False
        raise RowError(f"{name} {cell_text(value)!r} is not yes or no")
    choices = field_choices(annotation)
    if choices:
        return cell_word(value, m.values.get(name, {}), {}, name, choices)
    if any(t is int for t in types):
        try:
            return int(float(str(value).strip()))
        except ValueError:
            raise RowError(f"{name} {cell_text(value)!r} is not a whole number") from None
    if any(t is float for t in types):
        try:
            return float(str(value).strip())
        except ValueError:
            raise RowError(f"{name} {cell_text(value)!r} is not a number") from None
    return cell_text(value)


__all__ = ["Agencies", "RAG_COLOUR", "RAG_STATUS", "cell_date", "cell_word", "convert_cell"]
