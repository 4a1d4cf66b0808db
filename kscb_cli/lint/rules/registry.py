"""The lint rule registry: every rule is a small documented function with a stable code.

A rule receives one validated record (or, for file rules, one file entry) and the
lint context, and yields hits: ``(location inside the record, message)`` or
``(location, message, True)`` to point at the key rather than the value. The
linter turns the location into ``path:line:col``. The docstring is the rule's
documentation (``kscb rules CODE``): what it checks, why, and an example.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from kscb_cli.base.diagnostics import Severity

Hit = tuple  # (loc, message) or (loc, message, at_key)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    kinds: tuple[str, ...] | None  # None: every kind
    on: str  # "record": validated records; "file": every file entry; "config": kscb.yaml, once per lint
    check: Callable[..., Iterable[Hit]]

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code.rstrip("0123456789"), "")


FAMILIES = {
    "F": "files and YAML",
    "S": "schema",
    "R": "references and ids",
    "D": "dates",
    "Q": "fields a status requires",
    "V": "vocabularies",
    "C": "content",
    "K": "clocks",
    "L": "learning loop and tracker",
    "N": "numbers that add up",
    "P": "data protection",
    "E": "performance, inspections, voice, guidance, meetings, challenge events and evaluation",
    "G": "governance",
    "T": "safe names, labels and text",
}

REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str = "error", *, kinds: Iterable[str] | None = None, on: str = "record"):
    """Register a rule function under a stable code and kebab-case name."""

    def register(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        if not inspect.getdoc(func):
            raise ValueError(f"rule {code} has no docstring: the docstring is its documentation")
        REGISTRY[code] = Rule(code, name, Severity(severity), tuple(kinds) if kinds else None, on, func)
        return func

    return register


@dataclass
class Context:
    """What rules may look at besides the record: the store, its configuration, and today."""

    store: Any
    today: date
    extra: dict = field(default_factory=dict)
    entry: Any = None  # the file entry being judged (set by the linter): rules report on it, never on another file of the same id

    @property
    def config(self) -> Any:
        return self.store.config

    @cached_property
    def themes(self) -> set[str]:
        from kscb_cli.model.vocab import THEMES

        return set(THEMES) | set(self.config.themes)

    @cached_property
    def standards(self) -> set[str]:
        from kscb_cli.model.vocab import SECTION11_STANDARDS

        return set(SECTION11_STANDARDS) | set(self.config.section11_standards)

    @cached_property
    def id_suggestions(self) -> Any:
        """'did you mean' among the store's record ids, indexed once per lint run (suggest.py).

        Ids share their shape (KIND-YEAR-NNN), so a loose match would suggest any id of the
        same year ("MACA-2025-002" -> "RR-2025-003"); only a near miss (0.8) is worth suggesting.
        """
        from kscb_cli.base.suggest import Suggestions

        return Suggestions(self.store.by_id, cutoff=0.8)

    @cached_property
    def calendar(self) -> Any:
        from kscb_cli.domain.calendar import WorkingCalendar

        cal = self.config.calendar
        return WorkingCalendar(cal.division, cal.closures)


def all_rules() -> list[Rule]:
    """Every rule, in code order (importing the rule modules registers them)."""
    from kscb_cli.lint.rules import (  # noqa: F401
        clocks,
        content,
        dates,
        files,
        governance,
        loop,
        numbers,
        privacy,
        references,
        safety,  # noqa: F401
        status,
        table_two,
        vocabulary,
    )

    return [REGISTRY[c] for c in sorted(REGISTRY)]


def walk_items(record: Any, list_name: str) -> Iterator[tuple[int, Any]]:
    yield from enumerate(getattr(record, list_name, None) or ())
