"""kscb lint side by side with the validators a partnership would otherwise use, on the same files.

    make bench                  # runs this after bench/run.py
    .venv/bin/python bench/compare.py [--sizes 1000,10000,50000] [--repeat 3] [--compare-at 1000,10000]

For each generated store (every kind, ~1.2 KB a record as in the demo store, references
between them; see generate.py) it times, in the same run and alternating between tools run by run:

- ``kscb lint`` cold (every rule on, an empty cache), warm (nothing changed) and with one
  file changed since the last run;
- ``check-jsonschema`` with kscb's own ``schemas/record.schema.json`` on every record file
  (in batches of 5,000 files when the command line would be too long);
- ``yamale`` (strict) with schemas translated from kscb's JSON Schemas, once per record
  folder, since Yamale has no discriminated union (yamale_schema.py);

and a store of the same size where most references point at ids that do not exist (every
review renamed: the bad-bulk-import case). Medians of --repeat runs, the ratio to
check-jsonschema, and peak memory: the largest total memory of the command's whole process
tree (proportional set sizes, so a page kscb's forked workers share is counted once), sampled every 10 ms in one extra run (so sampling never slows a timed run).
Targets (issue 17) are printed beside each figure; nothing here is a test.

The comparison tools come from the ``bench`` extra (``pip install -e '.[bench]'``), which
``make bench`` installs. A tool that is missing is reported, not silently skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bytecode import compile_kscb  # noqa: E402
from generate import generate  # noqa: E402
from machine import speed_line, versions_line  # noqa: E402
from yamale_schema import translate  # noqa: E402

BIN = Path(sys.executable).parent
KSCB = str(BIN / "kscb")
AS_OF = "2026-11-26"
BATCH = 5000


@dataclass
class Tool:
    label: str
    commands: list[list[str]]  # run one after another; the time is their sum
    env: dict[str, str] = field(default_factory=dict)
    before: object = None  # called before each run (e.g. change one file)
    runs: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def _memory_kb(pid: int) -> int:
    """One process's memory: its proportional set size (PSS: each page shared with the processes
    it forked counted once between them, as the machine pays for it), else its resident set."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _tree_rss_kb(pid: int) -> int:
    """The memory of `pid` and all its descendants, from /proc (0 for a process that has gone).

    Summed resident sets would count every page a forked worker shares with kscb once per
    process; PSS counts it once in all (``_memory_kb``)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += _memory_kb(p)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_once(tool: Tool, cwd: Path, *, sample: bool = False) -> tuple[float, float]:
    """(seconds, peak MB of the process tree, or 0 when not sampled) for one run of every command."""
    if callable(tool.before):
        tool.before()
    env = {**os.environ, **tool.env}
    seconds, peak = 0.0, 0
    for cmd in tool.commands:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if sample:
            while proc.poll() is None:
                peak = max(peak, _tree_rss_kb(proc.pid))
                time.sleep(0.01)
        tool.codes.add(proc.wait())
        seconds += time.perf_counter() - start
    return seconds, peak / 1024


def measure(tools: list[Tool], cwd: Path, repeat: int) -> None:
    """Alternate the tools run by run, so a change in the machine's load falls on all of them."""
    for _ in range(repeat):
        for tool in tools:
            tool.runs.append(run_once(tool, cwd)[0])
    for tool in tools:
        tool.peak_mb = run_once(tool, cwd, sample=True)[1]


def record_files(store: Path) -> list[str]:
    return sorted(p.relative_to(store).as_posix() for p in (store / "records").rglob("*.yaml"))


def check_jsonschema(store: Path) -> Tool | None:
    exe = BIN / "check-jsonschema"
    if not exe.exists():
        return None
    files = record_files(store)
    schema = str(ROOT / "schemas" / "record.schema.json")
    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    return Tool("check-jsonschema", [[str(exe), "--schemafile", schema, *b] for b in batches])


def yamale(store: Path, schemas: Path) -> Tool | None:
    exe = BIN / "yamale"
    if not exe.exists():
        return None
    commands = []
    for folder in sorted(p for p in (store / "records").iterdir() if p.is_dir()):
        first = next(folder.glob("*.yaml"))
        kind = re.search(r"^kind:\s*(\S+)", first.read_text(), re.M).group(1)  # type: ignore[union-attr]
        commands.append([str(exe), "-n", str(os.cpu_count() or 1), "-s", str(schemas / f"{kind}.yaml"), str(folder)])
    return Tool("yamale", commands)


def kscb_lint(label: str, cache: Path | None, before=None) -> Tool:
    """cache=None: a new empty cache each run (cold); else that cache folder, kept between runs."""
    tool = Tool(label, [[KSCB, "lint", "--as-of", AS_OF, "--format", "json"]], before=before)
    if cache is None:

        def fresh_cache() -> None:
            if "XDG_CACHE_HOME" in tool.env:
                shutil.rmtree(tool.env["XDG_CACHE_HOME"], ignore_errors=True)
            tool.env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kscb-cold-")

        tool.before = fresh_cache
    else:
        tool.env["XDG_CACHE_HOME"] = str(cache)
    return tool


def touch_one(store: Path):
    path = store / "records" / "reviews" / "LCSPR-00001.yaml"
    original = path.read_text()
    counter = iter(range(1_000_000))

    def change() -> None:
        path.write_text(original + f"# bench change {next(counter)}\n")
        past = time.time() - 10  # older than the caches' racy window, as an edit made a moment ago would be
        os.utime(path, (past, past))

    return change


def break_references(store: Path) -> int:
    """Rename every review (the references to them stay): return how many references now dangle."""
    reviews = store / "records" / "reviews"
    for path in sorted(reviews.glob("LCSPR-*.yaml")):
        new_id = path.stem.replace("LCSPR-", "LCSPX-")
        text = path.read_text().replace(f"id: {path.stem}\n", f"id: {new_id}\n", 1)
        (reviews / f"{new_id}.yaml").write_text(text)
        path.unlink()
    pattern = re.compile(r"\bLCSPR-\d{5}\b")
    return sum(len(pattern.findall(p.read_text())) for p in (store / "records").rglob("*.yaml"))


def store_of(size: int, broken: bool = False) -> Path:
    store = HERE / "out" / f"compare-{size}{'-broken' if broken else ''}"
    if not (store / "kscb.yaml").exists():
        print(f"generating {size} records in {store} ...", file=sys.stderr, flush=True)
        generate(store, size)
        if broken:
            print(f"  {break_references(store)} references now point at no record", file=sys.stderr, flush=True)
    return store


def row(tool: Tool, base: Tool | None, target: str = "") -> str:
    ratio = f"{tool.median / base.median:6.3f}" if base and base.runs else "     -"
    peak = f"{tool.peak_mb:6.0f} MB" if tool.peak_mb else "       -"
    codes = ",".join(str(c) for c in sorted(tool.codes))
    return f"  {tool.label:<34} {tool.median:8.2f}s {ratio} {peak}  exit {codes:<5} {target}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument(
        "--compare-at",
        default="1000,10000",
        help="sizes at which check-jsonschema and yamale also run (they take minutes per run beyond)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_kscb()  # timed as an installed kscb runs: from bytecode (bench/bytecode.py)
    print(versions_line())  # what it runs on: a library's new release moves figures too
    print(speed_line(), flush=True)  # how fast the machine is today (bench/machine.py)
    sizes = [int(s) for s in args.sizes.split(",")]
    compare_at = {int(s) for s in args.compare_at.split(",") if s}
    os.environ.pop("KSCB_STORE", None)

    schemas = Path(tempfile.mkdtemp(prefix="kscb-yamale-"))
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        if path.name not in ("record.schema.json", "kscb.schema.json"):
            (schemas / path.name.replace(".schema.json", ".yaml")).write_text(translate(json.loads(path.read_text())))

    print(
        f"kscb lint beside check-jsonschema and yamale: medians of {args.repeat} alternating runs, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'':<34} {'median':>9} {'ratio':>6} {'peak':>9}  (ratio: to check-jsonschema on the same files)")
    cold_at: dict[int, float] = {}
    for size in sizes:
        store = store_of(size)
        print(
            f"{size:,} records ({sum(p.stat().st_size for p in (store / 'records').rglob('*.yaml')) / 1e6:.0f} MB)",
            flush=True,
        )
        warm = Path(tempfile.mkdtemp(prefix="kscb-warm-"))
        cold = kscb_lint("kscb lint, cold", None)
        tools = [
            cold,
            kscb_lint("kscb lint, warm", warm),
            kscb_lint("kscb lint, one file changed", warm, touch_one(store)),
        ]
        others = [t for t in (check_jsonschema(store), yamale(store, schemas)) if t] if size in compare_at else []
        if size in compare_at and len(others) < 2:
            print("  ! check-jsonschema or yamale is not installed: pip install -e '.[bench]'")
        time.sleep(2.5)  # past the caches' racy window (a file written in the last 2 s is never cached)
        run_once(tools[1], store)  # fill the warm cache
        measure(tools + others, store, args.repeat)
        cjs = next((t for t in others if t.label == "check-jsonschema"), None)
        cold_at[size] = cold.median
        print(
            row(
                cold,
                cjs,
                f"target: ratio <= 0.040{', peak <= 250 MB' if size == 10_000 else ''}"
                f"{', peak <= 500 MB' if size == 50_000 else ''}",
            )
        )
        print(row(tools[1], cjs, "target: <= 0.2 s at 10,000"))
        print(row(tools[2], cjs, "target: <= 0.4 s at 10,000"))
        for tool in others:
            print(row(tool, cjs))
        if size == 50_000 and 10_000 in cold_at:
            print(f"  50,000 / 10,000 cold: {cold.median / cold_at[10_000]:.2f}x (target: <= 5.5x)")
        shutil.rmtree(warm, ignore_errors=True)
    if 10_000 in sizes:
        broken = store_of(10_000, broken=True)
        print("10,000 records, most references broken", flush=True)
        tool = kscb_lint("kscb lint, cold", None)
        measure([tool], broken, args.repeat)
        print(row(tool, None, f"{tool.median / cold_at[10_000]:.2f}x the clean store (target: <= 1.5x)"))
    shutil.rmtree(schemas, ignore_errors=True)


if __name__ == "__main__":
    main()
    print(speed_line())  # again at the end: the machine's speed can change during a run
