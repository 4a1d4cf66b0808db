"""The checks an edit passes before it is written: references, layout, meaning, lifecycle, validity."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.yamlrt import comment_lines, hunks
from kscb_cli.model import ITEM_LISTS

if TYPE_CHECKING:
    from kscb_cli.base.diagnostics import Diagnostic
    from kscb_cli.editing.edit import Edit


def _targets(data: Any) -> set[str]:
    """What other records can point at in this record: its id, and ID#ITEM for each item."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return set()
    rid = data["id"]
    out = {rid}
    for name in ITEM_LISTS:
        for value in data.get(name) or ():
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                out.add(f"{rid}#{value['id']}")
    return out


def check_references(store: Any, entry: Any, before: Any, after: Any) -> None:
    """Refuse an edit that renames (or removes) a record or item id that other records point at."""
    from kscb_cli.store.refs import references

    lost = _targets(before) - _targets(after)
    if not lost:
        return
    broken: list[str] = []
    for other in store.entries:
        if other.record is None or other.rel == entry.rel:
            continue
        try:
            refs = list(references(other.record))
        except Exception:  # noqa: BLE001 - a record the reference walker cannot read is lint's business
            continue
        for r in refs:
            if r.ref in lost:
                pos = other.pos(r.loc)
                broken.append(f"{other.rel}:{pos.line}:{pos.col} ({r.ref})")
    if broken:
        names = sorted({b.rsplit(" (", 1)[1][:-1] for b in broken})
        shown = "; ".join(sorted(broken)[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise KscbError(
            f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} referenced by other records ({shown}); "
            "renaming or removing it would break those references, so nothing was written — change the references first, "
            "or keep the id and change the title"
        )


def check_layout(rel: str, old: str, new: str, edits: int) -> None:
    """Refuse a dump that changed more than the edited blocks, or lost a comment."""
    lost = comment_lines(old) - comment_lines(new)
    if lost:
        line = next(iter(lost))
        raise KscbError(
            f"{rel}: this edit would drop the comment {line!r}; nothing was written — make this change by hand in an editor"
        )
    if hunks(old, new) > edits:
        raise KscbError(
            f"{rel}: kscb could not make this edit without also changing other lines of the file; nothing was written — make this change by hand in an editor"
        )


def check_meaning(rel: str, before: Any, new_text: str, locs: list[tuple[Any, ...]]) -> Any:
    """Read the new text back with the fast reader: only the edited fields may differ."""
    from kscb_cli.history import diff
    from kscb_cli.store.source import SourceError, parse

    try:
        after = parse(new_text)
    except SourceError as exc:  # pragma: no cover - ruamel wrote something the reader refuses: a bug
        raise KscbError(
            f"{rel}: the edited file would not read back ({exc.problem.message}); nothing was written"
        ) from None
    for change in diff(before.data, after.data):
        if not any(change.loc[: len(loc)] == loc or loc[: len(change.loc)] == change.loc for loc in locs):
            raise KscbError(
                f"{rel}: the edit would also change {change.where or 'the record'}; nothing was written — make this change by hand in an editor"
            )
    return after


def check_lifecycle(old: Any, new: Any, *, force: bool, reason: str | None) -> list[str]:
    from kscb_cli.domain.lifecycle import transitions

    bad = [t for t in transitions(old, new) if not t.ok]
    if not bad:
        return []
    if not force:
        lines = "; ".join(t.message() for t in bad)
        raise KscbError(f'{lines}. Set the steps in between, or pass --force --reason "why" if the jump is right')
    if not reason or not reason.strip():
        raise KscbError('--force needs --reason "why": the reason goes into the commit so the jump is explained')
    return [f"{t.label} status {t.old} → {t.new}" for t in bad]


def check_valid(store: Any, entry: Any, edit: Edit, today: date) -> list[Diagnostic]:
    """Lint the record as it would be; errors it did not have before refuse the edit. The new warnings."""
    from kscb_cli.base.diagnostics import Severity
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.store import Store, load_entry

    new_entry = load_entry(entry.path, entry.rel, edit.new_bytes)
    others = [e for e in store.entries if e.rel != entry.rel]
    before = lint(store, today=today, paths=[entry.path]).diagnostics
    after = lint(Store(store.root, store.config, others + [new_entry]), today=today, paths=[entry.path]).diagnostics

    def key(d: Diagnostic) -> tuple[Any, ...]:
        return (d.code, d.severity, d.message)

    had = Counter(key(d) for d in before)
    new = []
    for d in after:
        if had[key(d)] > 0:
            had[key(d)] -= 1
        else:
            new.append(d)
    errors = [d for d in new if d.severity is Severity.error]
    if errors:
        raise KscbError(
            f"the edit would make {edit.target} invalid (nothing was written); fix the values and try again",
            diagnostics=errors,
        )
    return [d for d in new if d.severity is Severity.warning]
