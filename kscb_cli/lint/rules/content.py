"""C rules: the content a kind's format or outcome requires."""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.registry import Hit, rule
from kscb_cli.model.vocab import SEVEN_MINUTE_HEADINGS


@rule("C001", "seven-minute-sections", kinds=["briefing"])
def seven_minute_sections(record, ctx) -> Iterator[Hit]:
    """A seven-minute briefing does not have exactly seven sections.

    The format is read aloud in a team meeting and has the same structure every time:
    Background, Why it matters, three of Information, Things to remember, What to do.
    Fails: a ``format: seven_minute`` briefing with six sections.
    """
    if record.format == "seven_minute" and len(record.sections) != 7:
        headings = ", ".join(SEVEN_MINUTE_HEADINGS)
        yield (
            ("sections",),
            f"a seven_minute briefing has exactly seven sections ({headings}); this one has {len(record.sections)}",
        )


@rule("C002", "modifiable-factor", kinds=["child_death"])
def modifiable_factor(record, ctx) -> Iterator[Hit]:
    """``modifiable: identified`` but no factor is marked ``modifiable: true``.

    The Panel's finding that modifiable factors were identified must name at least one.
    Fails: ``modifiable: identified`` with an empty ``factors`` list.
    """
    if record.modifiable == "identified" and not any(f.modifiable for f in record.factors):
        yield (
            ("modifiable",),
            "modifiable: identified needs at least one factor with modifiable: true; add the factor or correct the finding",
        )


def _placeholders(value, loc: tuple):
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
def placeholder(record, ctx) -> Iterator[Hit]:
    """A text field still holds the ``TODO`` placeholder that ``kscb new`` writes.

    A new record's scaffold marks every required field it cannot know with ``TODO``. In a
    date, choice, number or yes/no field that fails the schema; in a text field this rule
    catches it, so a half-filled record cannot pass as finished.
    Fails: ``subject: TODO`` on a notification.
    """
    entry = ctx.entry if ctx.entry is not None and ctx.entry.record is record else ctx.store.entry(record.id)
    doc = entry.doc
    if "TODO" not in doc.text:
        return  # the common case, decided without walking the record
    for loc in _placeholders(doc.data, ()):
        where = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        yield (
            doc.pos(loc),
            f"{where} is still the placeholder TODO; write the real value",
        )  # a location in the file, not the record
