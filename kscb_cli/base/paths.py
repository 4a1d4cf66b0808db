"""Where things live in a store, named once: the folders and files every layer refers to.

A store is a folder (usually a git repository) holding ``kscb.yaml``, ``records/`` (one
folder per kind: ``model.FOLDERS``), ``templates/`` (the store's own templates),
``schemas/`` (written by ``kscb schema``) and ``private/`` (never committed: the deny-list
and purge lists). Paths here are relative to the store root, in git's spelling (``/``).
"""

from __future__ import annotations

from typing import Any

CONFIG = "kscb.yaml"
RECORDS = "records"
RECORD_SUFFIXES = (".yaml", ".yml")
TEMPLATES = "templates"
SCHEMAS = "schemas"
PRIVATE = "private"
DENYLIST = f"{PRIVATE}/denylist.txt"
GITIGNORE = ".gitignore"

# The lists inside records whose items are addressable as ID#ITEM (findings, actions, ...).
# Here, not in the models, so that what reads records without validating them (the git
# history's diffs) need not import pydantic; ``kscb_cli.model.ITEM_LISTS`` is this tuple.
ITEM_LISTS = ("findings", "recommendations", "actions", "standards", "training_needs")


def field_of(record: Any, name: str) -> Any:
    """``getattr(record, name, None)`` for a field only some kinds have (a model's fields are in
    its ``__dict__``): asking a pydantic model for a field its kind lacks costs an AttributeError
    raised and caught inside pydantic, 14x the dictionary read, and a 10k lint asks tens of thousands of times."""
    fields = getattr(record, "__dict__", None)
    return getattr(record, name, None) if fields is None else fields.get(name)


def item_lists_of(record: Any) -> list[tuple[str, Any]]:
    """(name, items) of each non-empty item list `record` holds, in ITEM_LISTS order (`field_of`)."""
    fields = getattr(record, "__dict__", None)
    if fields is None:
        return [(name, items) for name in ITEM_LISTS if (items := getattr(record, name, None))]
    return [(name, items) for name in ITEM_LISTS if (items := fields.get(name))]


# What `kscb save` may commit: the store's own files, never private/
STORE_PATHS = (RECORDS, CONFIG, TEMPLATES, SCHEMAS, GITIGNORE)
