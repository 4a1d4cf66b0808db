"""Compile kscb's bytecode before timing it, as installing the wheel does.

An editable install (``make`` installs one) leaves kscb's modules uncompiled, and where
``PYTHONDONTWRITEBYTECODE`` is set (this machine's environment sets it) every run would
compile the ~180 modules it imports again (60-100 ms a command): a cost no installed kscb pays.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kscb_cli"


def compile_kscb() -> None:
    """Write the ``__pycache__`` of every kscb module (quietly; those up to date are left)."""
    compileall.compile_dir(str(PACKAGE), quiet=1)
