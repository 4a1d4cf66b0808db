"""Where things live in a store, named once: the folders and files every layer refers to.

A store is a folder (usually a git repository) holding ``kscb.yaml``, ``records/`` (one
folder per kind: ``model.FOLDERS``), ``templates/`` (the store's own templates),
``schemas/`` (written by ``kscb schema``) and ``private/`` (never committed: the deny-list
and purge lists). Paths here are relative to the store root, in git's spelling (``/``).
"""

from __future__ import annotations

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

# What `kscb save` may commit: the store's own files, never private/
STORE_PATHS = (RECORDS, CONFIG, TEMPLATES, SCHEMAS, GITIGNORE)
