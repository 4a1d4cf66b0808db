"""What can still be read of a record that fails validation (issue #9: nothing vanishes).

A record whose only problems are inside some of its items (an action with an unknown
field, a finding with a date written ``30/11/2026``) or unknown top-level keys keeps
everything else: the record is validated again without those items and keys, and the
entry remembers what was left out so every answer can say so. A problem anywhere else
(a missing or wrong top-level field) means the record cannot be read: guessing its
other fields would be a confident wrong answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kscb_cli.store.validate import adapter


def _label(data: dict[str, Any], list_name: str, index: int) -> str:
    items = data.get(list_name)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    label = item.get("id") if isinstance(item, dict) else None
    if isinstance(label, str):
        return label
    return f"{list_name}[{index}]"


def salvage(data: Any) -> tuple[Any, list[tuple[tuple[Any, ...], str]], dict[str, list[int]]]:
    """(record without the bad items and unknown keys, [(loc, label)] left out, {list: kept indices}); record None when it cannot be read."""
    from kscb_cli.model import ITEM_LISTS, MODELS

    kind = data.get("kind") if isinstance(data, dict) else None
    model = MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return None, [], {}
    try:
        adapter(model).validate_python(data)
        return None, [], {}  # valid as a whole: nothing to salvage (the caller validated it already)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    bad_items: dict[str, set[int]] = {}
    bad_keys: set[str] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if len(loc) >= 2 and loc[0] in ITEM_LISTS and isinstance(loc[1], int) and isinstance(data.get(loc[0]), list):
            bad_items.setdefault(str(loc[0]), set()).add(loc[1])
        elif len(loc) == 1 and err["type"] == "extra_forbidden":
            bad_keys.add(str(loc[0]))
        else:
            return None, [], {}
    work = {k: v for k, v in data.items() if k not in bad_keys}
    index_map: dict[str, list[int]] = {}
    dropped: list[tuple[tuple[Any, ...], str]] = [((key,), key) for key in sorted(bad_keys)]
    for name, bad in sorted(bad_items.items()):
        kept = [i for i in range(len(data[name])) if i not in bad]
        work[name] = [data[name][i] for i in kept]
        index_map[name] = kept
        dropped += [((name, i), _label(data, name, i)) for i in sorted(bad)]
    try:
        record = adapter(model).validate_python(work)
    except ValidationError:
        return None, [], {}
    return record, dropped, index_map
