"""What an audience may see: which records, which text, which counts; and the checks before a public rendering.

- ``restricted`` sees every record; ``partnership`` sees ``public`` and ``partnership``
  records; ``public`` sees ``public`` records only.
- In ``public``, counts under ``publication.small_numbers`` are shown as "fewer than 5";
  where one figure of a breakdown is suppressed, the next smallest is too, so it cannot
  be worked out from the total.
- Every piece of record text travels as :class:`Text`, which remembers its record and
  field, so :func:`check_public` can refuse a rendering naming the record and field,
  never the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from kscb_cli.base.audiences import AUDIENCES
from kscb_cli.base.errors import KscbError

if TYPE_CHECKING:
    from kscb_cli.privacy.mask import DenyList, DenyMatch

SEES: dict[str, tuple[str, ...]] = {
    audience: AUDIENCES[: i + 1] for i, audience in enumerate(AUDIENCES)
}  # each sees its level and below
AUDIENCE_LABELS = {
    "public": "Public",
    "partnership": "Partner agencies only",
    "restricted": "Restricted: named panel members only",
}


class RenderRefused(KscbError):
    """A rendering that would show what its audience may not see, or identifying data in public (exit 1)."""

    exit_code = 1


# --- the values a view holds ------------------------------------------------------


class Text(str):
    """Record text on its way to a template; remembers the record and field it came from."""

    record: str
    field: str

    def __new__(cls, value: str, record: str, field_: str) -> Text:
        obj = super().__new__(cls, value)
        obj.record = record
        obj.field = field_
        return obj


@dataclass(frozen=True)
class Count:
    """A count as an audience may see it: ``shown`` is "fewer than 5" when it is suppressed."""

    value: int | None  # None when suppressed: the template cannot print what it may not show
    shown: str
    suppressed: bool = False
    of: str = "children"  # what is counted (model.config.COUNT_SUBJECTS)

    @property
    def any(self) -> bool:
        return self.suppressed or bool(self.value)

    def __str__(self) -> str:
        return self.shown


class Audience:
    """One audience's rules: which records it sees, its record text as Text, its counts suppressed."""

    def __init__(self, audience: str, config: Any):
        if audience not in AUDIENCES:
            raise KscbError(f"--audience {audience!r}: use one of {', '.join(AUDIENCES)}")
        self.audience = audience
        self.public = audience == "public"
        self.threshold = config.publication.small_numbers if self.public else 0
        self.suppressed_subjects = frozenset(config.publication.suppress)

    def sees(self, record: Any) -> bool:
        return record is not None and record.classification in SEES[self.audience]

    @overload
    def text(self, record: Any, where: str, value: str) -> Text: ...
    @overload
    def text(self, record: Any, where: str, value: None) -> None: ...
    @overload
    def text(self, record: Any, where: str, value: str | None) -> Text | None: ...
    def text(self, record: Any, where: str, value: str | None) -> Text | None:
        return None if value is None else Text(value.strip(), record.id, where)

    def count(self, n: int, of: str = "children") -> Count:
        """`n` as this audience may see it. `of` says what is counted (model.config.COUNT_SUBJECTS):
        only counts of what publication.suppress names (children and families by default) are
        suppressed; a count site that does not say is taken to count children, the safe side."""
        if 0 < n < self.threshold and of in self.suppressed_subjects:
            return Count(None, f"fewer than {self.threshold}", True, of)
        return Count(n, str(n), False, of)

    def counts(self, values: dict[str, int], of: str = "children") -> dict[str, Count]:
        """Counts of one breakdown; in public, one suppressed figure takes the next smallest with it."""
        out = {k: self.count(v, of) for k, v in values.items()}
        hidden = [k for k, c in out.items() if c.suppressed]
        if len(hidden) == 1:
            rest = sorted((v, k) for k, v in values.items() if k not in hidden and v > 0)
            if rest:
                k = rest[0][1]
                out[k] = Count(None, "withheld", True, of)
        return out

    def pct(self, part: int, whole: int, of: str = "children") -> str:
        """A percentage; in public, none of a base under the small-number threshold (for what is suppressed)."""
        if not whole or (self.public and whole < self.threshold and of in self.suppressed_subjects):
            return "—"
        if part > whole:  # the counts do not add up (lint N001-N004): never print more than 100%
            return "— (the counts do not add up)"
        return f"{round(100 * part / whole)}%"

    def n(self, value: int) -> str:
        return self.count(value).shown

    def chartable(self, values: list[int]) -> bool:
        return not self.public or all(v == 0 or v >= self.threshold for v in values)

    def shown(
        self, items: Sequence[Any], build: Callable[[Any, Any], Any], visible: Callable[[Any], bool] | None = None
    ) -> tuple[list[Any], int]:
        """``build(self, item)`` for each item the audience sees (``visible``, else ``sees``), in order; and how many it may not see."""
        visible = visible or self.sees
        out = [build(self, item) for item in items if visible(item)]
        return out, len(items) - len(out)


# --- the public check -------------------------------------------------------------


def texts_of(value: Any, seen: set[int] | None = None) -> Iterator[Text]:
    """Every Text inside a view (dataclasses, lists, tuples, dicts)."""
    seen = set() if seen is None else seen
    if isinstance(value, Text):
        yield value
        return
    if isinstance(value, (str, int, float, date, type(None))):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if is_dataclass(value):
        for f in fields(value):
            yield from texts_of(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts_of(k, seen)
            yield from texts_of(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from texts_of(v, seen)


def check_public(context: dict[str, Any], root: Path, names: Any = None) -> None:
    """Refuse (exit 1) a public rendering whose record text holds identifying data, a person's
    name (`names`: the store's name finder, rules.privacy.name_finder) or a deny-listed term."""
    from kscb_cli.privacy.detectors import scan

    terms, pattern = _denylist(root)
    for text in texts_of(context):
        found = scan(text, public=True, names=names)
        if found:
            d = found[0]
            raise RenderRefused(
                f"{text.record} field {text.field} holds {d.message} ({d.masked}); {d.fix}. Nothing was rendered for --audience public"
            )
        if pattern is not None:
            match = pattern.search(text)
            if match:
                raise RenderRefused(
                    f"{text.record} field {text.field} contains a deny-listed term (private/denylist.txt line {_term_line(terms, match)}); "
                    "replace it with a pseudonym or a role. Nothing was rendered for --audience public"
                )


def check_output(markdown: str, root: Path) -> None:
    """The deny-list over the whole public document too (a template's own words, the partnership's configuration)."""
    terms, pattern = _denylist(root)
    if pattern is None:
        return
    match = pattern.search(markdown)
    if match:
        line_no = markdown.count("\n", 0, match.start()) + 1
        raise RenderRefused(
            f"line {line_no} of the rendered document contains a deny-listed term (private/denylist.txt line {_term_line(terms, match)}); "
            "it comes from the template or kscb.yaml. Nothing was rendered for --audience public"
        )


def _denylist(root: Path) -> tuple[list[str], DenyList | None]:
    """The store's deny-listed terms (private/denylist.txt) and one pattern for them all (None: no terms)."""
    from kscb_cli.privacy.mask import compile_denylist, read_terms

    terms = read_terms(root)
    return terms, compile_denylist(terms)


def _term_line(terms: list[str], match: DenyMatch) -> int:
    """The line of private/denylist.txt holding the term matched (a match ignores case)."""
    line: int | None = getattr(match, "line", None)
    if line is not None:
        return line
    return next((n for n, t in enumerate(terms, 1) if t.lower() == match.group(0).lower()), 0)
