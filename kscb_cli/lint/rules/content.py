"""C rules: the content a kind's format or outcome requires."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, Loc, rule
from kscb_cli.model import Briefing, ChildDeath
from kscb_cli.model.vocab import SEVEN_MINUTE_HEADINGS


@rule("C001", "seven-minute-sections", kinds=["briefing"])
def seven_minute_sections(record: Briefing, ctx: Context) -> Iterator[Finding]:
    """A seven-minute briefing does not have exactly seven sections.
    Why: the format is read aloud in a team meeting and has the same structure every time: Background, Why it matters, three of Information, Things to remember, What to do.
    Fails: a ``format: seven_minute`` briefing with six sections (reported at ``sections``).
    Passes: a seven-minute briefing with seven sections; a briefing of another format with any number.
    Fix: add or merge sections so that there are the seven headings.
    """
    if record.format == "seven_minute" and len(record.sections) != 7:
        headings = ", ".join(SEVEN_MINUTE_HEADINGS)
        yield Finding(
            ("sections",),
            f"a seven_minute briefing has exactly seven sections ({headings}); this one has {len(record.sections)}",
        )


@rule("C002", "modifiable-factor", kinds=["child_death"])
def modifiable_factor(record: ChildDeath, ctx: Context) -> Iterator[Finding]:
    """``modifiable: identified`` but no factor is marked ``modifiable: true``.
    Why: the Panel's finding that modifiable factors were identified must name at least one.
    Fails: ``modifiable: identified`` with an empty ``factors`` list, or with no factor ``modifiable: true``.
    Passes: ``modifiable: identified`` with a factor ``modifiable: true``; ``modifiable: not_identified`` with none.
    Fix: add the modifiable factor, or correct the finding.
    """
    if record.modifiable == "identified" and not any(f.modifiable for f in record.factors):
        yield Finding(
            ("modifiable",),
            "modifiable: identified needs at least one factor with modifiable: true; add the factor or correct the finding",
        )


def _placeholders(value: Any, loc: Loc) -> Iterator[Loc]:
    """Locations of text values that are still a TODO placeholder, through the record's data."""
    if isinstance(value, str):
        if value == "TODO" or value.startswith(("TODO:", "TODO ")):
            yield loc
    elif isinstance(value, dict):
        for key, v in value.items():
            yield from _placeholders(v, loc + (key,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _placeholders(v, loc + (i,))


@rule("C003", "placeholder")
def placeholder(record: Any, ctx: Context) -> Iterator[Finding]:
    """A text field still holds the ``TODO`` placeholder that ``kscb new`` writes.
    A new record's scaffold marks every required field it cannot know with ``TODO``. In a
    date, choice, number or yes/no field that fails the schema; in a text field this rule
    catches it, anywhere in the record, items included.
    Why: a half-filled record must not pass as finished.
    Fails: ``subject: TODO`` on a notification; ``summary: "TODO: what was found"`` on a finding.
    Passes: every text field filled in; a "TODO" inside a sentence is text.
    Fix: write the real value in the field the message names.
    """
    entry = ctx.entry if ctx.entry is not None and ctx.entry.record is record else ctx.store.entry(record.id)
    doc = entry.doc if entry is not None else None
    if doc is None or "TODO" not in doc.text:
        return  # the common case, decided without walking the record
    for loc in _placeholders(doc.data, ()):
        where = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        yield Finding(
            doc.pos(loc),
            f"{where} is still the placeholder TODO; write the real value",
        )  # a location in the file, not the record
