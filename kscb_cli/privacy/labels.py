"""The labels in kscb.yaml — partnership, workstream, priority and theme names — are printed in
every document like record text, so they are scanned like record text: by the detectors and
the deny-list (rule T002, and a public render refuses them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kscb_cli.base.paths import DENYLIST

if TYPE_CHECKING:
    from kscb_cli.model.config import Config

#: Where a label is in kscb.yaml: ("partnership", "name"), ("workstreams", "ee").
LabelLoc = tuple[str, str]


def labels(config: Config) -> Iterator[tuple[LabelLoc, str]]:
    """(location in kscb.yaml, text) of every label kscb prints."""
    p = config.partnership
    for name in ("name", "short_name", "area"):
        value = getattr(p, name, None)
        if isinstance(value, str):
            yield ("partnership", name), value
    for group in ("workstreams", "priorities", "themes"):
        for key, value in sorted((getattr(config, group, None) or {}).items()):
            yield (group, key), str(key).replace("_", " ")
            if isinstance(value, str):
                yield (group, key), value


def label_findings(root: Path, config: Config, *, public: bool = False) -> Iterator[tuple[LabelLoc, str]]:
    """(location, message) for each label that holds identifying data or a deny-listed term; never the value."""
    from kscb_cli.privacy.detectors import scan
    from kscb_cli.privacy.mask import denylist_for

    deny = denylist_for(root)
    for loc, text in labels(config):
        where = ".".join(str(p) for p in loc)
        for d in scan(text, public=public):
            yield loc, f"{where} holds {d.message}: {d.masked}; {d.fix}"
        if deny is not None:
            for m in deny.finditer(text):
                yield (
                    loc,
                    f"{where} contains a deny-listed term ({DENYLIST} line {m.line}); replace it with a neutral name",
                )
