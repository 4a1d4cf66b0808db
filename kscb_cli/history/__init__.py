"""The git audit trail as field-level changes: one record's history, the store's digest.

Everything comes from one ``git log -z --raw -M`` pass over ``records/`` and one
``git cat-file --batch`` process (gitio.py); old versions are parsed with the fast,
safe reader (source.parse). A version that does not parse is reported as such.

- old versions are read and parsed once each by kscb_cli.store.versions (``parse_blob``, ``Versions``)
- diff.py: field-level changes between two versions (``diff`` → ``Change``)
- record.py: one record's history, ``kscb history`` (``record_history`` → ``History``)
- events.py, digest.py, period.py, facts.py: the store's digest, ``kscb changes`` (``changes`` → ``Digest``)
- transitions.py: status changes recorded in git against the lifecycles (``check_history``)
"""

from __future__ import annotations

# the public names, importable from kscb_cli.history as before the split (CATEGORIES... too)
from kscb_cli.base.paths import ITEM_LISTS  # noqa: E402
from kscb_cli.history.diff import SHORT, Change, diff  # noqa: E402
from kscb_cli.history.digest import changes  # noqa: E402
from kscb_cli.history.events import CATEGORIES, CATEGORY_TITLES, Digest, Event  # noqa: E402
from kscb_cli.history.record import History, Version, record_history  # noqa: E402
from kscb_cli.history.transitions import (  # noqa: E402
    HISTORY_CODE,
    HISTORY_RULE,
    RecordedTransition,
    check_history,
    recorded_transitions,
)
from kscb_cli.store.versions import parse_blob  # noqa: E402

__all__ = [
    "Change",
    "Digest",
    "Event",
    "History",
    "RecordedTransition",
    "Version",
    "changes",
    "check_history",
    "diff",
    "parse_blob",
    "record_history",
    "recorded_transitions",
]
