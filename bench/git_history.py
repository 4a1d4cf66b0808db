"""Benchmark the git audit trail: a repository of 10,000 records and 2,000 commits.

    .venv/bin/python bench/git_history.py [--records 10000] [--commits 2000] [--repeat 3]

The repository is built once under bench/out/ with `git fast-import` (one process, a
few seconds, deterministic): an initial commit of the synthetic store (bench/generate.py),
then commits that each touch one to five records the way a coordinator does — action
status moves, progress updates, review and audit status changes, new findings, new
records, deletions and moves between folders (renames). Then it times the commands that
read history, medians of --repeat runs, against issue 17's target: `kscb changes --since`
over 10,000 records and 2,000 commits in at most 1 s. The first run parses every version
it needs and keeps them (store/versions.py); the median is of runs that find them kept,
but never a kept answer (removed before each run: see CACHE).
`KSCB_NO_CACHE=1` times every run cold.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bytecode import compile_kscb  # noqa: E402
from generate import audit, generate  # noqa: E402
from machine import speed_line, versions_line  # noqa: E402

KSCB = str(Path(sys.executable).with_name("kscb"))
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
PEOPLE = [
    ("Business Manager", "bm@example.invalid"),
    ("Coordinator", "coord@example.invalid"),
    ("L&D Officer", "ld@example.invalid"),
]
ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}
ENV.pop("KSCB_STORE", None)
# The bench's own cache folder. Its kept answers (cli/answers.py) are removed before every
# run, so each run computes the digest (from the parsed versions the first run kept): a
# replayed answer (about 0.07 s) would time nothing.
CACHE = HERE / "out" / "cache-history"
ENV["XDG_CACHE_HOME"] = str(CACHE)
NEXT_ACTION = {"not_started": "in_progress", "in_progress": "complete"}


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


class Builder:
    """Keep the files in memory and write fast-import commits."""

    def __init__(self, files: dict[str, str], rng: random.Random):
        self.files = files
        self.rng = rng
        self.out: list[bytes] = []
        self.mark = 0
        self.when = START

    def commit(self, message: str, changes: list[tuple[str, str, str | None]]) -> None:
        """changes: ("M", path, text) | ("D", path, None) | ("R", old, new)."""
        self.mark += 1
        name, email = self.rng.choice(PEOPLE)
        stamp = f"{int(self.when.timestamp())} +0000"
        self.out.append(
            f"commit refs/heads/main\nmark :{self.mark}\nauthor {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n".encode()
        )
        self.out.append(_data(message))
        if self.mark > 1:
            self.out.append(f"from :{self.mark - 1}\n".encode())
        for op, a, b in changes:
            if op == "M":
                self.files[a] = b
                self.out.append(f"M 100644 inline {a}\n".encode() + _data(b))
            elif op == "D":
                self.files.pop(a)
                self.out.append(f"D {a}\n".encode())
            else:
                self.files[b] = self.files.pop(a)
                self.out.append(f'R "{a}" "{b}"\n'.encode())
        self.out.append(b"\n")
        self.when += timedelta(hours=self.rng.randrange(1, 10))

    def stream(self) -> bytes:
        return b"".join(self.out)


def _pick(files: dict[str, str], rng: random.Random, folder: str) -> str | None:
    paths = [p for p in files if p.startswith(f"records/{folder}/")]
    return rng.choice(paths) if paths else None


def edit_action(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "action-plans")
    if path is None:
        return None
    text = files[path]
    actions = [
        m
        for m in re.finditer(r"  - id: (A\d+)\n(?:    .*\n|      .*\n)*?    status: (not_started|in_progress)\n", text)
    ]
    if not actions:
        return None
    m = rng.choice(actions)
    aid, status = m.group(1), m.group(2)
    new = NEXT_ACTION[status]
    block = m.group(0).replace(f"    status: {status}\n", f"    status: {new}\n")
    if new == "complete":
        rest = text[m.end() :]
        end = re.search(r"\n  - id: |\Z", rest)
        cut = end.start() + (1 if end.group(0) else 0)
        tail = (
            rest[:cut]
            + "    evidence:\n      - {date: 2026-02-01, text: Evidence received by the workstream.}\n    completed: 2026-02-01\n"
        )
        text = text[: m.start()] + block + tail + rest[cut:]
    else:
        text = text[: m.start()] + block + text[m.end() :]
    rid = path.rsplit("/", 1)[1][:-5]
    return f"kscb: {rid}#{aid} status → {new}", [("M", path, text)]


def add_update(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "action-plans")
    if path is None:
        return None
    text = files[path]
    spots = [m.end() for m in re.finditer(r"    updates:\n(?:      - .*\n)+", text)]
    if not spots:
        return None
    at = rng.choice(spots)
    text = text[:at] + "      - {date: 2026-03-01, text: Progress reported to the workstream; on track.}\n" + text[at:]
    return f"Update {path.rsplit('/', 1)[1][:-5]}", [("M", path, text)]


def review_status(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "reviews")
    if path is None:
        return None
    text = files[path]
    order = ["commissioned", "in_progress", "draft_report"]
    m = re.search(r"^status: (\w+)$", text, re.M)
    if not m or m.group(1) not in order[:-1]:
        return None
    new = order[order.index(m.group(1)) + 1]
    return f"Review {path.rsplit('/', 1)[1][:-5]} {new}", [
        ("M", path, text[: m.start()] + f"status: {new}" + text[m.end() :])
    ]


def audit_finding(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "audits")
    if path is None:
        return None
    text = files[path]
    n = len(re.findall(r"^  - id: F\d+$", text, re.M)) + 1
    finding = (
        f"  - id: F{n}\n    type: systemic\n    summary: A further pattern found when the audit was quality assured.\n"
    )
    m = re.search(r"^findings:\n(?:  .*\n)+", text, re.M)
    if not m:
        return None
    text = text[: m.end()] + finding + text[m.end() :]
    if "qa_approved:" not in text:
        text = text.replace("status: reported", "status: qa_approved").replace(
            "reported: 2025-09-12\n", "reported: 2025-09-12\nqa_approved: 2026-01-20\n", 1
        )
    return f"QA of {path.rsplit('/', 1)[1][:-5]}: F{n}", [("M", path, text)]


_AUDITS = [90000]  # the last new audit's number, across calls


def new_audit(files, rng) -> tuple[str, list]:
    _AUDITS[0] += 1
    return f"New audit MACA-{_AUDITS[0]:05d}", [
        ("M", f"records/audits/MACA-{_AUDITS[0]:05d}.yaml", audit(_AUDITS[0], rng))
    ]


def delete_training(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "training")
    return (f"Remove {path.rsplit('/', 1)[1][:-5]}", [("D", path, None)]) if path else None


def move_record(files, rng) -> tuple[str, list] | None:
    path = _pick(files, rng, "training")
    if path is None:
        return None
    return f"Move {path.rsplit('/', 1)[1][:-5]} to the archive folder", [
        ("R", path, path.replace("records/training/", "records/training-archive/"))
    ]


EDITS = [
    (edit_action, 40),
    (add_update, 25),
    (review_status, 12),
    (audit_finding, 10),
    (new_audit, 6),
    (delete_training, 3),
    (move_record, 4),
]


def build(repo: Path, records: int, commits: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    store = repo.with_name(repo.name + "-files")
    generate(store, records)
    files = {p.relative_to(store).as_posix(): p.read_text() for p in sorted(store.rglob("*")) if p.is_file()}
    b = Builder(files, rng)
    b.commit("Synthetic store", [("M", path, text) for path, text in sorted(files.items())])
    weights = [w for _, w in EDITS]
    while b.mark < commits + 1:
        changes: list = []
        messages = []
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            func = rng.choices([f for f, _ in EDITS], weights)[0]
            got = func(b.files, rng)
            if got and not any(c[1] == got[1][0][1] for c in changes):
                messages.append(got[0])
                changes += got[1]
                for op, a, text in got[1]:  # apply now so later edits in the commit see it
                    if op == "M":
                        b.files[a] = text
        if changes:
            b.commit(messages[0] if len(messages) == 1 else f"{messages[0]} (+{len(messages) - 1} more)", changes)
    if repo.exists():
        subprocess.run(["rm", "-rf", str(repo)], check=True)
    repo.mkdir(parents=True)
    git = lambda *a, **kw: subprocess.run(["git", *a], cwd=repo, env=ENV, check=True, capture_output=True, **kw)  # noqa: E731
    git("init", "-q", "-b", "main")
    git("fast-import", "--quiet", input=b.stream())
    git("reset", "-q", "--hard", "main")
    # The index just written is as new as the files it lists, so git would read and hash every
    # one of them on every `git diff` ("racily clean" entries) until the index is written again.
    # A coordinator's repository was refreshed by their own git long ago: so is this one.
    time.sleep(1.1)
    git("status", "--short")
    git("commit-graph", "write", "--reachable", "--changed-paths")
    subprocess.run(["rm", "-rf", str(store)], check=True)


def timed(args: list[str], cwd: Path, repeat: int) -> tuple[float, float, int, str]:
    """Median wall time, median CPU time (kscb, its git processes and workers), exit code, output."""
    import resource

    runs, cpu, code, out = [], [], 0, ""
    for _ in range(repeat):
        shutil.rmtree(CACHE / "kscb" / "answers", ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([KSCB, *args], cwd=cwd, env=ENV, capture_output=True, text=True)
        runs.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code, out = proc.returncode, proc.stdout
    return statistics.median(runs), statistics.median(cpu), code, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    compile_kscb()  # timed as an installed kscb runs: from bytecode (bench/bytecode.py)
    print(versions_line())  # what it runs on: a library's new release moves figures too
    print(speed_line(), flush=True)  # how fast the machine is today (bench/machine.py)
    repo = HERE / "out" / f"history-{args.records}-{args.commits}"
    if args.rebuild or not (repo / ".git").exists():
        start = time.perf_counter()
        print(f"building {repo} ...", file=sys.stderr)
        build(repo, args.records, args.commits)
        print(f"built in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    count = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=repo, env=ENV, capture_output=True, text=True
    ).stdout.strip()
    files = subprocess.run(["git", "ls-files"], cwd=repo, env=ENV, capture_output=True, text=True).stdout.count("\n")
    mid = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--skip", str(int(count) // 10)],
        cwd=repo,
        env=ENV,
        capture_output=True,
        text=True,
    ).stdout.strip()
    busiest = subprocess.run(
        "git log --format= --name-only -- records/action-plans | sort | uniq -c | sort -rn | head -1",
        shell=True,
        cwd=repo,
        env=ENV,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    rid = busiest.rsplit("/", 1)[1][:-5]
    last = subprocess.run(
        ["git", "log", "-1", "--format=%cs"], cwd=repo, env=ENV, capture_output=True, text=True
    ).stdout.strip()
    print(f"{files} files, {count} commits up to {last}; a board period = commits since {mid}; busiest record {rid}")
    rows = [
        (
            f"kscb changes --since {mid} (last ~10%)",
            ["changes", "--since", mid, "--as-of", last, "--format", "json"],
            1.0,
        ),
        (
            "kscb changes --since 2000-01-01 (all)",
            ["changes", "--since", "2000-01-01", "--as-of", last, "--format", "json"],
            5.0,
        ),
        (
            "kscb changes --since REV (~10%) --until HEAD",
            ["changes", "--since", f"HEAD~{int(count) // 10}", "--until", "HEAD", "--format", "json"],
            1.0,
        ),
        (f"kscb history {rid}", ["history", rid, "--format", "json"], 5.0),
        ("kscb history --check (all commits)", ["history", "--check", "--format", "json"], 5.0),
        (
            "kscb set --dry-run (10k store)",
            ["set", f"{rid}#A1", "due=2027-01-29", "--dry-run", "--as-of", "2026-11-26"],
            None,
        ),
    ]
    print(
        f"{'command':<46} {'median':>8} {'cpu':>7} {'target':>7}  exit  (n={args.repeat}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    )
    for label, cmd, target in rows:
        median, cpu, code, _ = timed(cmd, repo, args.repeat)
        flag = "" if target is None or median <= target else "  SLOWER THAN TARGET"
        print(f"{label:<46} {median:>7.2f}s {cpu:>6.2f}s {str(target or '-'):>7}s  {code:>4}{flag}")
    print(
        f"(load average after: {os.getloadavg()[0]:.1f}; cpu = user + system time of kscb, its git processes and workers)"
    )


if __name__ == "__main__":
    main()
    print(speed_line())  # again at the end: the machine's speed can change during a run
