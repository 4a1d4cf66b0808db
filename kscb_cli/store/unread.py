"""What every answer says about the records it could not read (issue #9: nothing vanishes).

A query, render, publish-check or digest that left a record out says so on stderr,
naming the files, and every rendered document carries the same notice for its
audience: a public document gives only the count; a partnership one names records that
are not restricted (a record whose classification cannot be read is not named); a
restricted one names every file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kscb_cli.store.store import Entry, Store


def _what(entry: Entry) -> str:
    """'records/x.yaml' or 'records/x.yaml (A1, F2 left out)'."""
    if entry.record is None:
        return entry.rel
    return f"{entry.rel} ({', '.join(label for _, label in entry.dropped) or 'some of it'} left out)"


def _records(n: int) -> str:
    return f"{n} record{'s' * (n != 1)}"


def stderr_lines(store: Store) -> list[str]:
    """The lines to print on stderr (none when every record was read in full)."""
    unread = store.unread
    whole = [e for e in unread if e.record is None]
    part = [e for e in unread if e.record is not None]
    lines = []
    if whole:
        lines.append(
            f"{_records(len(whole))} could not be read and {'are' if len(whole) != 1 else 'is'} left out: "
            f"{', '.join(_what(e) for e in whole)} — run `kscb lint`"
        )
    if part:
        lines.append(
            f"{_records(len(part))} could not be fully read: {', '.join(_what(e) for e in part)} — run `kscb lint`"
        )
    return lines


def document_notice(store: Store, audience: str) -> str | None:
    """The sentence a rendered document carries for `audience`, or None when every record was read."""
    unread = store.unread
    if not unread:
        return None
    n = len(unread)
    head = f"{_records(n)} could not be read in full and {'are' if n != 1 else 'is'} left out of this document, in whole or in part; its figures may be incomplete."
    if audience == "public":
        return head
    if audience == "restricted":
        named = unread
    else:
        named = [e for e in unread if e.classification in ("public", "partnership")]
    names = [(e.id or e.stem) + ("" if e.record is None else f" ({', '.join(l for _, l in e.dropped)})") for e in named]
    rest = n - len(named)
    if not names:
        return head
    tail = f" and {rest} other{'s' * (rest != 1)}" if rest else ""
    return f"{head} Affected: {', '.join(names)}{tail}."
