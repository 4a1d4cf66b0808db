"""Where a cold `kscb lint` spends its time: the phases of one run, then each rule's CPU time.

    .venv/bin/python bench/phases.py [--records N]     # default 10,000; the store goes under bench/out/

Part one runs the real command (every rule, an empty cache) once in this process, with the
read workers' chunks, the judging runs (here and in the forked worker) and the main phases
stamped as they start and end, and prints them in time order with which process ran each.
Part two opens the same store in one process and times every rule over every file, with
whether it read other records (the part the incremental lint must judge again after an edit).

What it shows is the budget the cold-lint target has to fit (docs/performance.md); nothing
here is a test of speed. It wraps kscb's own functions, so it names them: a rename there
is a failure here (tests/test_bench_phases.py runs it on a small store).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-26"


_STAMPS: list[Path] = []  # the file every process appends its stamps to (forked workers too)
_ORIGINAL: dict[str, Any] = {}  # the functions of kscb's that the stamped ones below stand in for


def _stamp(start: float, what: str) -> None:
    line = f"{start} {time.perf_counter()} {os.getpid()} {what}\n".encode()
    fd = os.open(_STAMPS[0], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


# Module functions, not closures: the process pool pickles what it sends a worker by name.
def _read_chunk(hashed: bool, paths: list[str]) -> bytes:
    start = time.perf_counter()
    try:
        found: bytes = _ORIGINAL["read_chunk"](hashed, paths)
        return found
    finally:
        _stamp(start, f"parse {len(paths)} files")


def _judge_run(indexes: list[int]) -> bytes:
    start = time.perf_counter()
    try:
        found: bytes = _ORIGINAL["judge_run"](indexes)
        return found
    finally:
        _stamp(start, f"judge {len(indexes)} files")


def _phase(name: str, what: str) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return _ORIGINAL[name](*args, **kwargs)
        finally:
            _stamp(start, what)

    return timed


def timeline(root: Path) -> list[str]:
    """The stamped phases of one cold lint of `root` (every rule, an empty cache), in time order."""
    import kscb_cli.lint.fanout as fanout
    import kscb_cli.lint.incremental as incremental
    import kscb_cli.store.parallel as parallel
    import kscb_cli.store.store as store
    from kscb_cli.cli.main import run

    here = os.getpid()
    places = {
        "read_chunk": (parallel, "_read_chunk", _read_chunk),
        "judge_run": (fanout, "_judge_run", _judge_run),
        "relint": (incremental, "relint", _phase("relint", "relint: read the store and judge it")),
        "read_disk": (store, "read_disk", _phase("read_disk", "read_disk: parsed (workers), validated (here)")),
        "scoped": (incremental, "scoped", _phase("scoped", "the result, from the report")),
    }
    cache = os.environ.get("XDG_CACHE_HOME")
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        _STAMPS[:] = [Path(scratch) / "stamps"]
        for name, (module, attr, stand_in) in places.items():
            _ORIGINAL[name] = getattr(module, attr)
            setattr(module, attr, stand_in)
        try:
            os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
            os.chdir(root)
            begun = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                run(["lint", "--as-of", AS_OF, "--format", "json"])
            _stamp(begun, "kscb lint, from its options to the report printed and the cache written")
        finally:
            os.chdir(cwd)
            for name, (module, attr, _) in places.items():
                setattr(module, attr, _ORIGINAL[name])
            if cache is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = cache
        rows = [line.split(" ", 3) for line in _STAMPS[0].read_text().splitlines()]
    log = sorted((float(start), float(end), int(pid), what) for start, end, pid, what in rows)
    return [
        f"{start - begun:6.2f}-{end - begun:6.2f} s  {'here  ' if pid == here else 'worker'}  {what}"
        for start, end, pid, what in log
    ]


def rule_times(root: Path) -> list[tuple[str, float, int, int]]:
    """(code, seconds, files judged, files where it read other records) of every active rule, slowest first."""
    from kscb_cli.lint.linter import Checker, active_rules
    from kscb_cli.lint.rules.recording import Reads
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    store = Store.open(root, config=load_config(root))
    rules, sev = active_rules(store, [], [])
    checker = Checker(store, date.fromisoformat(AS_OF), rules, sev)
    checker.check(store.entries[0])  # the store-wide indexes, built once, are not any rule's time
    spent: dict[str, float] = {}
    runs: Counter[str] = Counter()
    wide: Counter[str] = Counter()
    ctx = checker.ctx
    enabled = gc.isenabled()
    gc.disable()
    try:
        for entry in store.entries:
            ctx.entry, ctx.reads = entry, Reads()
            for rule in checker.rules_for(entry):
                ctx.touched = False
                start = time.perf_counter()
                for finding in rule.check(entry if rule.on == "file" else entry.record, ctx):
                    checker.diagnostic(entry, rule, finding)
                spent[rule.code] = spent.get(rule.code, 0.0) + time.perf_counter() - start
                runs[rule.code] += 1
                wide[rule.code] += ctx.touched
    finally:
        if enabled:
            gc.enable()
    slowest = sorted(spent.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(code, seconds, runs[code], wide[code]) for code, seconds in slowest]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--store", type=Path, help="a store to time instead of a generated one")
    args = parser.parse_args()
    root = args.store
    if root is None:
        root = HERE / "out" / f"phases-{args.records}"
        if not (root / "kscb.yaml").exists():
            generate(root, args.records)
    print(f"One cold `kscb lint --format json` of {root} (every rule, an empty cache):")
    for line in timeline(root):
        print("  " + line)
    times = rule_times(root)
    total = sum(seconds for _, seconds, _, _ in times)
    local = sum(seconds for _, seconds, _, touched in times if touched == 0)
    print(
        f"\nEvery rule over every file, one process: {total:.2f} s of CPU, {local:.2f} s of it by rules that read only the file"
    )
    print(f"  {'rule':<6} {'seconds':>8} {'files':>7} {'read other records':>19}")
    for code, seconds, runs, touched in times:
        print(f"  {code:<6} {seconds:8.3f} {runs:7d} {touched:19d}")


if __name__ == "__main__":
    main()
