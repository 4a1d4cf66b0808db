"""C rules: the content a kind's format or outcome requires."""

from __future__ import annotations

from typing import Iterator

from ..model.vocab import SEVEN_MINUTE_HEADINGS
from .registry import Hit, rule


@rule("C001", "seven-minute-sections", kinds=["briefing"])
def seven_minute_sections(record, ctx) -> Iterator[Hit]:
    """A seven-minute briefing does not have exactly seven sections.

    The format is read aloud in a team meeting and has the same structure every time:
    Background, Why it matters, three of Information, Things to remember, What to do.
    Fails: a ``format: seven_minute`` briefing with six sections.
    """
    if record.format == "seven_minute" and len(record.sections) != 7:
        headings = ", ".join(SEVEN_MINUTE_HEADINGS)
        yield ("sections",), f"a seven_minute briefing has exactly seven sections ({headings}); this one has {len(record.sections)}"


@rule("C002", "modifiable-factor", kinds=["child_death"])
def modifiable_factor(record, ctx) -> Iterator[Hit]:
    """``modifiable: identified`` but no factor is marked ``modifiable: true``.

    The Panel's finding that modifiable factors were identified must name at least one.
    Fails: ``modifiable: identified`` with an empty ``factors`` list.
    """
    if record.modifiable == "identified" and not any(f.modifiable for f in record.factors):
        yield ("modifiable",), "modifiable: identified needs at least one factor with modifiable: true; add the factor or correct the finding"
