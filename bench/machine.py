"""How fast this machine is today, printed with every benchmark so that figures taken on
different days can be read side by side.

Issue 17's targets are seconds on "this 2-core machine", but the machine is shared and its
speed varies from day to day (seen here: `kscb history` on the same repository, its code
unchanged, 1.02 s one day and 1.5-2.1 s the next). A fixed pure-Python workload that kscb's
code does not touch (dictionaries, strings, a sort: what parsing and linting spend their time
on) says how fast it runs today: compare it before comparing seconds across runs. The
libraries kscb runs on move figures too (typer 0.29 builds a pydantic adapter for every option
it parses), so `versions_line` names them: compare it as well.
"""

from __future__ import annotations

import platform
import statistics
import time
from importlib import metadata

# the libraries whose release changes what the benchmarks time: kscb's reading, validation and
# command line, and the tools it is compared with
LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "typer", "rapidfuzz", "check-jsonschema", "yamale")


def _workload() -> int:
    rows: dict[str, list[str]] = {}
    for i in range(200_000):
        key = f"record-{i % 5000:05d}"
        rows.setdefault(key, []).append(f"{i}:{key[::-1]}")
    return len(sorted(v for vs in rows.values() for v in vs))


def speed_line(repeat: int = 7) -> str:
    """One line: the median time of the fixed workload on this machine now."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        _workload()
        runs.append(time.perf_counter() - start)
    return f"machine today: {statistics.median(runs) * 1000:.0f} ms for bench/machine.py's fixed workload (median of {repeat}; lower is faster)"


def versions_line() -> str:
    """One line: the Python and the version of each library in LIBRARIES (``-`` where not installed)."""
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return f"versions: Python {platform.python_version()}, " + ", ".join(found)
