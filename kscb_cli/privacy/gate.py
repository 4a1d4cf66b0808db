"""The doors into and out of the store: refuse identifying values before anything is written.

``kscb new`` (``--title``, ``--set`` and the prompts), ``kscb set`` and ``kscb add`` pass every
value through :func:`refuse_identifying` before they write. A value is refused when the
detectors find identifying data in it (shape detectors and names, with the store's
allow-list) or it holds a term of the store's deny-list. The message names the field and
what kind of thing was found, masked ("J*** S***"), never the value itself.

On the way out, ``kscb export`` (csv, xlsx, parquet) passes every cell it would write through
:func:`refuse_leaving`: a deny-listed term refuses the export at any audience, and for
``--audience public`` so does anything the detectors find (as ``kscb render`` refuses).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import DENYLIST


class Gate:
    """The checks for one store: its name finder (made when first asked for) and its deny-list."""

    def __init__(self, root: Path, config: Any) -> None:
        from kscb_cli.privacy.mask import compile_denylist, read_terms

        self.config = config
        self.terms = read_terms(root)
        self.denylist = compile_denylist(self.terms)

    @cached_property
    def names(self) -> Any:
        from kscb_cli.privacy.namefinder import name_finder

        return name_finder(self.config)

    def problem(self, text: str) -> str | None:
        """What is identifying in ``text``, masked; None when nothing is found."""
        from kscb_cli.privacy.detectors import scan

        found = scan(text, names=self.names)
        if found:
            return "; ".join(f"{d.message} ({d.masked})" for d in found) + f"; {found[0].fix}"
        return self.denied(text)

    def denied(self, text: str) -> str | None:
        """Which line of the deny-list ``text`` holds a term of, as a message; None when none."""
        if self.denylist is not None:
            match = self.denylist.search(text)
            if match:  # the match knows its line, however the term was written ("rowan-quillfeather")
                return f"a deny-listed term ({DENYLIST} line {match.line}); replace it with a pseudonym or a role"
        return None


def refuse_identifying(root: Path, config: Any, values: Iterable[tuple[str, Any]]) -> None:
    """Raise KscbError (nothing written) when any (field, value) holds identifying data."""
    found = _first(Gate(root, config).problem, values)
    if found:
        raise KscbError(
            f"{found[0]} holds {found[1]}. Nothing was written: personal data must never enter the store (once committed it stays in the history)"
        )


def refuse_leaving(root: Path, config: Any, cells: Iterable[tuple[str, str, Any]], *, audience: str, what: str) -> None:
    """Raise KscbError (nothing written) when a (record, column, value) about to leave the store
    holds a deny-listed term, or, for the public, anything identifying."""
    gate = Gate(root, config)
    found = _first(gate.problem if audience == "public" else gate.denied, ((f"{r} {c}", v) for r, c, v in cells))
    if found:
        raise KscbError(
            f"{found[0]} holds {found[1]}. Nothing was written: {what} for --audience {audience} "
            f"would carry it out of the store (kscb lint names every such value)"
        )


def _first(check: Callable[[str], str | None], values: Iterable[tuple[str, Any]]) -> tuple[str, str] | None:
    """(where, what `check` says) for the first text among `values` it flags; None when none is."""
    for where, value in values:
        for text in _strings(value):
            problem = check(text)
            if problem:
                return where, problem
    return None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
