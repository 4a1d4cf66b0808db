"""pyarrow and duckdb, imported only when a warehouse command runs, with a clean error when missing."""

from __future__ import annotations

import importlib
from typing import Any

from kscb_cli.base.errors import KscbError

INSTALL = "pip install 'kscb[warehouse]'"


def need(module: str) -> Any:
    """Import `module` (pyarrow, pyarrow.parquet, duckdb), or a user error saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise KscbError(f"{top} is needed for the warehouse commands and is not installed: {INSTALL}") from exc


__all__ = ["INSTALL", "need"]
