"""Find the store root and load kscb.yaml."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kscb_cli.base import paths
from kscb_cli.base.diagnostics import Diagnostic, Severity
from kscb_cli.base.errors import KscbError

if TYPE_CHECKING:
    from kscb_cli.model.config import Config


def find_root(start: Path | None = None, store: str | None = None) -> Path:
    """The store root: --store, else KSCB_STORE, else the nearest folder at or above `start` with kscb.yaml."""
    explicit = store or os.environ.get("KSCB_STORE")
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / paths.CONFIG).is_file():
            raise KscbError(
                f"{root} is not a kscb store (no {paths.CONFIG}); check --store / KSCB_STORE, or run `kscb init {root}`"
            )
        _use(root)
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / paths.CONFIG).is_file():
            _use(folder)
            return folder
    raise KscbError(
        f"no {paths.CONFIG} found in {here} or any folder above it; cd into a store, pass --store DIR, or run `kscb init`"
    )


def _use(root: Path) -> None:
    """From now on, messages are masked with this store's deny-list too (mask.py)."""
    from kscb_cli.privacy.mask import use_store

    use_store(root)


def load_config(root: Path) -> Config:
    """Parse and validate kscb.yaml; an invalid file is a KscbError carrying its diagnostics."""
    from kscb_cli.model.config import Config as Model
    from kscb_cli.store.source import SourceError, read_file
    from kscb_cli.store.validate import schema_problems

    path = root / paths.CONFIG
    try:
        doc = read_file(path)
    except SourceError as exc:
        p = exc.problem
        diag = Diagnostic(paths.CONFIG, p.pos.line, p.pos.col, p.code, Severity.error, "config", p.message)
        raise KscbError(f"{paths.CONFIG} cannot be read", diagnostics=[diag]) from None
    config, problems = schema_problems(Model, doc)
    if problems:
        diags = [
            Diagnostic(paths.CONFIG, pos.line, pos.col, "S001", Severity.error, "schema", msg) for pos, msg in problems
        ]
        raise KscbError(f"{paths.CONFIG} is not valid; fix it before anything else can run", diagnostics=sorted(diags))
    valid: Config = config
    return valid
