"""Mask identifying data in old versions before they are shown (``kscb history``, ``kscb changes``).

A name or an NHS number that got into a commit stays in git history until the history is
rewritten (docs/purge.md, ``kscb purge``); until then the audit trail must not print it
again. Every value of a field-level change, the commit message and the digest's titles and
details pass through :func:`kscb_cli.privacy.detectors.mask` with the store's name finder. The
author of a commit is the practitioner who made it (the audit trail's "who"), not masked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any


def masker(root: Path) -> Callable[[Any], Any]:
    """A function masking every string inside a value, with the store's allow-list."""
    from kscb_cli.privacy.detectors import NAMES, mask

    try:
        from kscb_cli.privacy.namefinder import name_finder
        from kscb_cli.store.config import load_config

        names = name_finder(load_config(root))
    except Exception:  # noqa: BLE001 - an unreadable kscb.yaml still gets the built-in finder
        names = NAMES

    def hide(value: Any) -> Any:
        if isinstance(value, str):
            return mask(value, names=names)
        if isinstance(value, list):
            return [hide(v) for v in value]
        if isinstance(value, tuple):
            return tuple(hide(v) for v in value)
        if isinstance(value, dict):
            return {k: hide(v) for k, v in value.items()}
        return value

    return hide


def mask_history(history: Any, root: Path) -> Any:
    """The record's history with every old value and commit message masked (in place)."""
    hide = masker(root)
    for v in history.versions:
        v.message = hide(v.message)
        v.changes = [dataclasses.replace(c, old=hide(c.old), new=hide(c.new)) for c in v.changes]
    return history


def mask_digest(digest: Any, root: Path) -> Any:
    """The digest with every event's title, values and detail masked."""
    hide = masker(root)
    digest.events = [
        dataclasses.replace(e, title=hide(e.title), old=hide(e.old), new=hide(e.new), detail=hide(e.detail))
        for e in digest.events
    ]
    return digest
