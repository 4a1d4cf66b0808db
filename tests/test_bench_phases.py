"""bench/phases.py, which wraps kscb's own functions to stamp a cold lint's phases, still finds
them: run on a small generated store, it stamps the workers' parsing and every phase here, and
times every rule that runs."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_module


def test_phases_stamps_every_phase_and_times_every_rule(tmp_path: Path) -> None:
    phases = bench_module("phases")
    root = tmp_path / "store"
    bench_module("generate").generate(root, 450, seed=7)
    lines = phases.timeline(root)
    assert any("worker  parse" in line for line in lines), lines  # 450 files: read on the pool
    for phase in ("relint:", "read_disk:", "the result, from the report", "kscb lint, from its options"):
        assert sum(phase in line for line in lines) == 1, (phase, lines)
    parsed = sum(int(line.split("parse ")[1].split()[0]) for line in lines if "parse " in line)
    assert parsed == 450
    from kscb_cli.lint.linter import active_rules
    from kscb_cli.store.store import Store

    times = phases.rule_times(root)
    store = Store.open(root)
    ran = {r.code for r in active_rules(store, [], [])[0] if r.on != "config"}
    assert {code for code, *_ in times} <= ran and len(times) > 40
    assert all(seconds >= 0 and files > 0 and 0 <= wide <= files for _, seconds, files, wide in times)
    assert any(wide == files for _, _, files, wide in times) and any(wide == 0 for *_, wide in times)
