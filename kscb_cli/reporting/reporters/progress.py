"""A progress bar for long runs, on stderr, only when stderr is a terminal.

    with progress("Linting", total) as advance:
        core_function(..., progress=advance)   # the core calls advance(done) now and then

Piped, redirected or in CI (stderr not a terminal), or for a run shorter than ``minimum``
items, nothing is drawn and ``advance`` does nothing: logs stay clean. ``NO_COLOR`` is
honoured by rich. The core never imports this: it takes a plain callable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

MINIMUM = 500  # items; fewer finish before a bar would be read


def _nothing(done: int) -> None:
    return None


@contextmanager
def progress(
    label: str, total: int, *, minimum: int = MINIMUM, stream: TextIO | None = None
) -> Iterator[Callable[[int], None]]:
    stream = stream if stream is not None else sys.stderr
    if total < minimum or not getattr(stream, "isatty", lambda: False)():
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=stream, stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)

        def advance(done: int) -> None:
            bar.update(task, completed=done)

        yield advance
