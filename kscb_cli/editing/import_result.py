"""What an import would write: the records planned, the rows refused, and the round-trip YAML they are written in.

An import plans first and writes after (kscb_cli.editing.importer): a `Planned` record
holds the text it would write and the bytes it found, so the write can refuse a file
changed in between; a `Rejected` row says why it was not imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class RowError(ValueError):
    """This row cannot be imported; the message says why and how to fix it."""


@dataclass
class Rejected:
    row: int
    reason: str


@dataclass
class Planned:
    record_id: str
    kind: str
    rel: str
    state: str  # new | updated | unchanged
    rows: list[int]
    text: str
    old: bytes | None = None
    items: int = 0  # actions, for a plan


@dataclass
class ImportResult:
    records: list[Planned]
    rejected: list[Rejected]
    skipped: list[Rejected]  # blank, heading and repeated header rows: not data
    notes: list[Rejected]
    header_rows: list[int]
    sheet: str | None
    rows: int  # data rows read

    @property
    def written(self) -> list[Planned]:
        return [p for p in self.records if p.state != "unchanged"]


def load_existing(path: Path) -> tuple[Any, bytes | None]:
    if not path.exists():
        return None, None
    raw = path.read_bytes()
    from kscb_cli.editing.yamlrt import round_trip_yaml as edit_yaml

    text = raw.decode("utf-8")
    try:
        return edit_yaml(text).load(text), raw
    except Exception as exc:  # noqa: BLE001 - ruamel raises many kinds for bad YAML
        raise RowError(
            f"{path.name} exists but cannot be read ({type(exc).__name__}); fix it with `kscb lint` first"
        ) from None


def dump_yaml(data: Any, old_text: str | None) -> str:
    import io

    from kscb_cli.editing.yamlrt import round_trip_yaml as edit_yaml

    y = edit_yaml(old_text or "")
    y.representer.ignore_aliases = lambda data: True  # a date used twice is written twice, never as an anchor
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def set_kept(node: Any, key: str, value: Any) -> None:
    """Set a key keeping the node's order; a new key goes at the end (or after `id`/`title` for the head fields)."""
    old = node.get(key)
    if key in node and old == value and isinstance(old, bool) == isinstance(value, bool):
        return  # the same value: keep its quoting and style
    node[key] = value


__all__ = ["ImportResult", "Planned", "Rejected", "RowError", "dump_yaml", "load_existing", "set_kept"]
