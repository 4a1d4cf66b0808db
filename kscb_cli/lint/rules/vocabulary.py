"""V rules: workstreams, priorities, themes and standards come from a known vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kscb_cli.base.paths import field_of
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, Loc, rule
from kscb_cli.model import Section11
from kscb_cli.store.validate import suggest


def _unknown(values: Iterable[tuple[Loc, str]], choices: Iterable[str], what: str, where: str) -> Iterator[Finding]:
    known = set(choices)
    for loc, value in values:
        if value not in known:
            hint = suggest(value, known)
            yield Finding(
                loc,
                f"{what} {value!r} is not defined{hint or ''}; use one {where}"
                + ("" if hint else f" ({', '.join(sorted(known)) or 'none defined'})"),
            )


@rule("V001", "unknown-workstream")
def unknown_workstream(record: Any, ctx: Context) -> Iterator[Finding]:
    """``workstream`` is not one of the workstreams defined in kscb.yaml.
    Why: work is reported by workstream; an unknown one is counted under none.
    Fails: ``workstream: e_and_e`` when kscb.yaml defines ``ee`` ("did you mean"; the defined ones are listed when none is close).
    Passes: ``workstream: ee``.
    Fix: use a defined id, or add the workstream to kscb.yaml ``workstreams``.
    """
    if record.workstream:
        yield from _unknown(
            [(("workstream",), record.workstream)], ctx.config.workstreams, "workstream", "of kscb.yaml workstreams"
        )


@rule("V002", "unknown-priority")
def unknown_priority(record: Any, ctx: Context) -> Iterator[Finding]:
    """A ``priorities`` entry is not one of the board priorities defined in kscb.yaml.
    Why: the board report counts work by priority; an unknown one is counted under none.
    Fails: ``priorities: [neglect, early_hlp]`` when kscb.yaml defines ``early_help`` (reported at its place in the list).
    Passes: priorities defined in kscb.yaml.
    Fix: use a defined id, or add the priority to kscb.yaml ``priorities``.
    """
    yield from _unknown(
        ((("priorities", i), p) for i, p in enumerate(record.priorities)),
        ctx.config.priorities,
        "priority",
        "of kscb.yaml priorities",
    )


@rule("V003", "unknown-theme")
def unknown_theme(record: Any, ctx: Context) -> Iterator[Finding]:
    """A theme (on the record or on a finding) is neither built in (DOMAIN.md) nor added in kscb.yaml ``themes``.
    Why: themes are how learning is found again across reviews and audits; a misspelt one is never found.
    Fails: ``themes: [was_not_bought]`` ("did you mean 'was_not_brought'?").
    Passes: ``themes: [was_not_brought]``, or a local theme defined in kscb.yaml.
    Fix: correct it, or add a local theme to kscb.yaml ``themes``.
    """
    values: list[tuple[Loc, str]] = [(("themes", i), t) for i, t in enumerate(record.themes)]
    for f, finding in enumerate(field_of(record, "findings") or ()):
        values += [(("findings", f, "themes", i), t) for i, t in enumerate(finding.themes)]
    yield from _unknown(values, ctx.themes, "theme", "of the built-in themes or add it to kscb.yaml themes")


@rule("V004", "unknown-standard", kinds=["section11"])
def unknown_standard(record: Section11, ctx: Context) -> Iterator[Finding]:
    """A Section 11 standard is neither one of the eight (DOMAIN.md) nor added in kscb.yaml ``section11_standards``.
    Why: Section 11 ratings are compared by standard across agencies and cycles; an unknown one compares with nothing.
    Fails: ``standard: safer_recruitmnt`` (a typo for ``safer_recruitment``).
    Passes: one of the eight standards, or a local one defined in kscb.yaml.
    Fix: correct the standard id (the message suggests the nearest), or add it to kscb.yaml ``section11_standards``.
    """
    values = [(("standards", i, "standard"), s.standard) for i, s in enumerate(record.standards)]
    yield from _unknown(
        values,
        ctx.standards,
        "Section 11 standard",
        "of the eight standards or add it to kscb.yaml section11_standards",
    )
