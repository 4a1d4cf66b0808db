"""What a lint rule is: a documented function with a stable code that yields findings.

A rule receives one validated record (or, for file and config rules, one file entry) and
the lint ``Context``, and yields a ``Finding`` for each problem: where it is (a location
inside the record such as ``("actions", 2, "due")``, or a ``Pos`` in the file) and the
message. The linter turns the location into ``path:line:col``.

The rule's docstring is its documentation (``kscb rules CODE``, docs/rules.md) and has one
fixed shape, checked when the rule is made::

    What the rule finds, in one line.
    (more about what it finds, optional)
    Why: why it matters.
    Fails: a record (or value) the rule reports.
    Passes: a record (or value) the rule accepts.
    Fix: how to put it right.

This module imports no rule module: the rule modules import it, and the registry
(registry.py) imports them through the table of families (families.py), so there is no cycle.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kscb_cli.base.diagnostics import Severity
from kscb_cli.lint.rules.families import BY_LETTER, Family
from kscb_cli.store.source import Pos

if TYPE_CHECKING:
    from kscb_cli.lint.rules.context import Context
    from kscb_cli.model.common import RecordBase

Loc = tuple[str | int, ...]  # a location inside a record: keys and list indexes
On = Literal["record", "file", "config"]  # validated records; every file entry; kscb.yaml, once per lint


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: where it is and what is wrong.

    ``loc`` is a location inside the record (the linter maps it into the file) or a ``Pos``
    in the file; ``at_key`` points at the key rather than its value.
    """

    loc: Loc | Pos
    message: str
    at_key: bool = False


Check = Callable[[Any, "Context"], Iterable[Finding]]

# The labelled parts of a rule's docstring, in order; the first line (and what follows it
# up to "Why:") is the unlabelled "what".
PARTS: tuple[tuple[str, str], ...] = (("why", "Why:"), ("fails", "Fails:"), ("passes", "Passes:"), ("fix", "Fix:"))


@dataclass(frozen=True)
class RuleDoc:
    """A rule's docstring, in its fixed parts."""

    what: str
    why: str
    fails: str
    passes: str
    fix: str

    @property
    def summary(self) -> str:
        return self.what.splitlines()[0]

    def labelled(self) -> Iterator[tuple[str, str]]:
        """(label, text) for each labelled part, in order."""
        for attr, label in PARTS:
            yield label, getattr(self, attr)

    def text(self) -> str:
        """The documentation as shown by ``kscb rules CODE``: what, then one paragraph per part."""
        return "\n\n".join([self.what] + [f"{label} {body}" for label, body in self.labelled()])


class RuleDocError(ValueError):
    """A rule's docstring is not in the fixed shape."""


def parse_doc(code: str, doc: str) -> RuleDoc:
    """Split a rule's docstring into its parts; refuse one that lacks a part, repeats one or misorders them."""
    shape = "what (the first line), then Why:, Fails:, Passes:, Fix: each starting a line (kscb_cli/lint/rules/rule.py)"
    if not doc.strip():
        raise RuleDocError(f"rule {code} has no docstring: the docstring is its documentation — {shape}")
    labels = dict((label, attr) for attr, label in PARTS)
    found: dict[str, list[str]] = {"what": []}
    current = "what"
    for line in doc.strip().splitlines():
        head = line.split(" ", 1)[0]
        if head in labels:
            current = labels[head]
            if current in found:
                raise RuleDocError(f"rule {code}: its docstring has {head} twice; {shape}")
            found[current] = [line[len(head) :].strip()]
        else:
            found[current].append(line)
    order = [attr for attr in found if attr != "what"]
    missing = [label for attr, label in PARTS if attr not in found or not "\n".join(found[attr]).strip()]
    if missing or not "\n".join(found["what"]).strip():
        lacks = ", ".join((["what (the first line)"] if not "\n".join(found["what"]).strip() else []) + missing)
        raise RuleDocError(f"rule {code}: its docstring lacks {lacks}; a rule's docstring has {shape}")
    if order != [attr for attr, _ in PARTS]:
        raise RuleDocError(f"rule {code}: its docstring's parts are out of order; {shape}")
    parts = {attr: "\n".join(lines).strip() for attr, lines in found.items()}
    return RuleDoc(**parts)


@dataclass(frozen=True)
class Rule:
    """A registered rule: its code, name, default severity, what it applies to, and its check."""

    code: str
    name: str
    severity: Severity
    kinds: tuple[str, ...] | None  # None: every kind
    on: On
    check: Check
    parts: RuleDoc

    def __call__(self, subject: Any, ctx: Context) -> Iterable[Finding]:
        return self.check(subject, ctx)

    @property
    def doc(self) -> str:
        """The documentation, one paragraph per part (``kscb rules CODE``)."""
        return self.parts.text()

    @property
    def summary(self) -> str:
        return self.parts.summary

    @property
    def letter(self) -> str:
        """The family letter of the code: ``D`` for D001."""
        return self.code.rstrip("0123456789")

    @property
    def family(self) -> Family:
        """The family of the code's letter (families.py); the registry refuses a rule without one."""
        return BY_LETTER[self.letter]

    @property
    def module(self) -> str:
        """The module that defines the rule."""
        return self.check.__module__


def kind_of(record: RecordBase) -> str:
    """A record's kind: every model defines ``kind`` (a Literal), RecordBase itself does not."""
    kind: str = record.kind  # type: ignore[attr-defined]
    return kind


def rule(
    code: str, name: str, severity: str = "error", *, kinds: Iterable[str] | None = None, on: On = "record"
) -> Callable[[Check], Rule]:
    """Make a rule of a check function under a stable code and kebab-case name.

    The registry (registry.py) collects the rules of every module in the table of
    families; a docstring not in the fixed shape is refused here, when the module loads.
    """

    def make(func: Check) -> Rule:
        parts = parse_doc(code, inspect.getdoc(func) or "")
        return Rule(code, name, Severity(severity), tuple(kinds) if kinds else None, on, func, parts)

    return make
