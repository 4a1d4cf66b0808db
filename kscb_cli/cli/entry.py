"""The `kscb` program: answer from the answer cache when it can, else run the command line.

Kept apart from `cli.main` so that an answer replayed from the cache never imports typer,
the commands or the core (`cli.answers`).
"""

from __future__ import annotations

import sys


def main() -> None:
    from kscb_cli.cli.answers import answer

    sys.exit(answer(sys.argv[1:], _run))


def _run(argv: list[str]) -> int:
    from kscb_cli.cli.main import run

    return run(argv)
