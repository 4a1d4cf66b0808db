"""Benchmarks: time real commands on a synthetic 10,000-record store (medians of several runs).

    make bench            # or: .venv/bin/python bench/run.py [--records N] [--repeat R]

Targets (from the issues) are printed beside each figure; nothing here is a test, so a
busy machine cannot make CI flaky. The store is generated once under bench/out/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bytecode import compile_kscb  # noqa: E402
from generate import generate  # noqa: E402
from machine import speed_line, versions_line  # noqa: E402

KSCB = str(Path(sys.executable).with_name("kscb"))

# (label, arguments, target seconds or None): the target is for the warm run (issue 17), but
# for --help and lint, whose targets are for a cold run (lint's warm targets: compare.py)
COMMANDS = [
    ("kscb --help", ["--help"], 0.15),
    ("kscb lint (10k records)", ["lint", "--as-of", "2026-11-26", "--format", "json"], 10.0),
    ("kscb lint one file (10k store)", ["lint", "--as-of", "2026-11-26", "records/reviews/LCSPR-00001.yaml"], 10.0),
]
OPTIONAL = [  # commands from later issues, timed when they exist
    ("kscb actions", ["actions", "--as-of", "2026-11-26", "--format", "json"], 0.4),
    ("kscb deadlines", ["deadlines", "--as-of", "2026-11-26", "--format", "json"], 0.4),
    ("kscb list review", ["list", "review", "--format", "json"], 0.4),
    ("kscb show LCSPR-00001", ["show", "LCSPR-00001"], 0.4),
    ("kscb stats", ["stats", "--as-of", "2026-11-26", "--format", "json"], 0.4),
]


def available(command: str) -> bool:
    out = subprocess.run([KSCB, "--help"], capture_output=True, text=True).stdout
    return any(line.strip().startswith(command + " ") or line.strip() == command for line in out.splitlines())


def timed(args: list[str], cwd: Path, repeat: int, cache: Path | None) -> tuple[float, int]:
    """Median wall time. cache=None: every run starts with an empty cache (cold); else that cache, warmed first."""
    runs = []
    code = 0
    if cache is not None:
        subprocess.run([KSCB, *args], cwd=cwd, env={**os.environ, "XDG_CACHE_HOME": str(cache)}, capture_output=True)
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as empty:
            env = {**os.environ, "XDG_CACHE_HOME": str(cache or empty)}
            start = time.perf_counter()
            code = subprocess.run(
                [KSCB, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            ).returncode
            runs.append(time.perf_counter() - start)
    return statistics.median(runs), code


def git_ready(store: Path) -> None:
    """Make the benchmark store a git repository with everything committed, and stage a typical change."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    run = lambda *a: subprocess.run(["git", *a], cwd=store, env=env, check=True, capture_output=True)  # noqa: E731
    if not (store / ".git").exists():
        run("init", "-q")
        run("add", "-A")
        run("commit", "-q", "-m", "bench store")
    for rel in (
        "records/reviews/LCSPR-00001.yaml",
        "records/action-plans/AP-LCSPR-00001.yaml",
        "records/audits/MACA-00001.yaml",
    ):
        path = store / rel
        text = path.read_text()
        if "# staged change" not in text:
            path.write_text(text + "# staged change\n")
        run("add", rel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only-privacy", action="store_true", help="only the detectors' cost on a cold lint")
    args = parser.parse_args()
    compile_kscb()  # timed as an installed kscb runs: from bytecode (bench/bytecode.py)
    print(versions_line())  # what it runs on: a library's new release moves figures too
    print(speed_line(), flush=True)  # how fast the machine is today (bench/machine.py)
    store = HERE / "out" / f"store-{args.records}"
    if not (store / "kscb.yaml").exists():
        print(f"generating {args.records} records in {store} ...", file=sys.stderr)
        generate(store, args.records)
    os.environ.pop("KSCB_STORE", None)
    print(
        f"{'command':<40} {'cold':>7} {'warm':>7} {'target':>7}  exit  (medians of {args.repeat}, {os.cpu_count()} cores)"
    )
    print(
        "cold: empty cache each run; warm: nothing changed since the last run (the caches under $XDG_CACHE_HOME/kscb)"
    )
    git_ready(store)
    if not args.only_privacy:
        commands(store, args.repeat)
    privacy_cost(store, args.repeat)


def privacy_cost(store: Path, repeat: int) -> None:
    """What the data-protection rules (P001-P004: shape detectors, deny-list, pseudonyms,
    names) add to a cold lint of the whole store, and the name detector (P004) alone."""
    import resource

    lint = ["lint", "--as-of", "2026-11-26", "--format", "json"]

    def both(args: list[str]) -> tuple[float, float]:
        """(median wall seconds, mean CPU seconds of the child processes): CPU is what
        to read on a loaded machine, where wall time measures the other users too."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, _ = timed(args, store, repeat, None)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) / repeat

    without = both([*lint, "--ignore", "P001,P002,P003,P004"])
    no_names = both([*lint, "--ignore", "P004"])
    full = both(lint)
    for i, what in ((1, "CPU"), (0, "wall")):
        extra = full[i] - without[i]
        flag = "" if extra <= 0.2 * without[i] else "  OVER TARGET"
        print(
            f"{f'detectors on a cold lint ({what})':<40} {full[i]:>6.2f}s vs {without[i]:.2f}s without P001-P004: "
            f"+{extra:.2f}s ({extra / without[i]:+.0%}; names alone +{full[i] - no_names[i]:.2f}s)  target <= +20%{flag}",
            flush=True,
        )


def commands(store: Path, repeat: int) -> None:
    rows = COMMANDS + [("kscb guard (3 staged files, 10k store)", ["guard", "--as-of", "2026-11-26"], 1.0)]
    rows += [c for c in OPTIONAL if available(c[1][0])]
    with tempfile.TemporaryDirectory() as warm_cache:
        for label, cmd, target in rows:
            cold, code = timed(cmd, store, repeat, None)
            warm, _ = timed(cmd, store, repeat, Path(warm_cache))
            judged, which = (cold, "COLD") if cmd[0] in ("--help", "lint") else (warm, "WARM")
            flag = "" if target is None or judged <= target else f"  {which} RUN SLOWER THAN TARGET"
            print(f"{label:<40} {cold:>6.2f}s {warm:>6.2f}s {target or '':>6}s  {code:>4}{flag}", flush=True)


if __name__ == "__main__":
    main()
    print(speed_line())  # again at the end: the machine's speed can change during a run
