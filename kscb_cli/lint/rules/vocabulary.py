"""V rules: workstreams, priorities, themes and standards come from a known vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kscb_cli.lint.rules.registry import Hit, rule
from kscb_cli.store.validate import suggest


def _unknown(values: Iterable[tuple[tuple, str]], known: Iterable[str], what: str, where: str) -> Iterator[Hit]:
    known = set(known)
    for loc, value in values:
        if value not in known:
            hint = suggest(value, known)
            yield (
                loc,
                f"{what} {value!r} is not defined{hint or ''}; use one {where}"
                + ("" if hint else f" ({', '.join(sorted(known)) or 'none defined'})"),
            )


@rule("V001", "unknown-workstream")
def unknown_workstream(record, ctx) -> Iterator[Hit]:
    """``workstream`` is not one of the workstreams defined in kscb.yaml.

    Fails: ``workstream: e_and_e`` when kscb.yaml defines ``ee``. Fix: use a defined id or add it.
    """
    if record.workstream:
        yield from _unknown(
            [(("workstream",), record.workstream)], ctx.config.workstreams, "workstream", "of kscb.yaml workstreams"
        )


@rule("V002", "unknown-priority")
def unknown_priority(record, ctx) -> Iterator[Hit]:
    """A ``priorities`` entry is not one of the board priorities defined in kscb.yaml."""
    yield from _unknown(
        ((("priorities", i), p) for i, p in enumerate(record.priorities)),
        ctx.config.priorities,
        "priority",
        "of kscb.yaml priorities",
    )


@rule("V003", "unknown-theme")
def unknown_theme(record, ctx) -> Iterator[Hit]:
    """A theme (on the record or on a finding) is neither built in (DOMAIN.md) nor added in kscb.yaml ``themes``.

    Passes: ``themes: [was_not_brought]``. Fails: ``themes: [was_not_bought]`` ("did you mean
    'was_not_brought'?"). Fix: correct it, or add a local theme to kscb.yaml.
    """
    values = [(("themes", i), t) for i, t in enumerate(record.themes)]
    for f, finding in enumerate(getattr(record, "findings", None) or ()):
        values += [(("findings", f, "themes", i), t) for i, t in enumerate(finding.themes)]
    yield from _unknown(values, ctx.themes, "theme", "of the built-in themes or add it to kscb.yaml themes")


@rule("V004", "unknown-standard", kinds=["section11"])
def unknown_standard(record, ctx) -> Iterator[Hit]:
    """A Section 11 standard is neither one of the eight (DOMAIN.md) nor added in kscb.yaml ``section11_standards``."""
    values = [(("standards", i, "standard"), s.standard) for i, s in enumerate(record.standards)]
    yield from _unknown(
        values,
        ctx.standards,
        "Section 11 standard",
        "of the eight standards or add it to kscb.yaml section11_standards",
    )
