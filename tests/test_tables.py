"""Terminal tables for people: ids never cut, text wrapped or left out, --columns, --wide, --color, NO_COLOR.

The terminal tests run the real `kscb` in a pseudo-terminal of a given width, as a person would.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from conftest import ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("demo")
    shutil.copy(ROOT / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(ROOT / "records", dest / "records")
    return dest


def in_terminal(root: Path, columns: int, *args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """(what a terminal `columns` wide shows, stderr) for `kscb ARGS` run in a pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environ = {**os.environ, "KSCB_TODAY": "2026-10-01", **(env or {})}
    environ.pop("COLUMNS", None)
    environ.pop("LINES", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kscb_cli", *args], stdout=slave, stderr=subprocess.PIPE, cwd=root, env=environ
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait() == 0, err
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), err


def action_refs(cli, root: Path) -> list[str]:
    result = cli("actions", "--format", "json", "--as-of", "2026-10-01", cwd=root)
    return [row["ref"] for row in json.loads(result.out)["actions"]]


@pytest.mark.parametrize("columns", [80, 120])
def test_every_action_ref_is_whole_at_80_and_120_columns(demo, cli, columns):
    refs = action_refs(cli, demo)
    assert len(refs) > 10
    shown, _err = in_terminal(demo, columns, "actions")
    lines = [ANSI.sub("", line) for line in shown.splitlines()]
    first_cells = [line.split("  ")[0].strip() for line in lines]
    for ref in refs:
        assert ref in first_cells, f"{ref} is not shown whole at {columns} columns"
    assert "…" not in shown
    assert all(len(line) <= columns for line in lines)


def test_at_120_columns_long_text_wraps_and_nothing_is_lost(demo, cli):
    shown, err = in_terminal(demo, 120, "actions", "--color", "never")
    assert "left out" not in err or "what" not in err.split("left out")[0]
    words = " ".join(shown.split())
    piped = cli("actions", "--as-of", "2026-10-01", cwd=demo).out
    longest = max((line.split("  ")[-1] for line in piped.splitlines()[2:30]), key=len).strip()
    assert len(longest) > 60
    assert longest in words  # wrapped over lines, every word there


def test_what_does_not_fit_is_left_out_and_named(demo):
    shown, err = in_terminal(demo, 80, "actions", "--color", "never")
    assert "what" not in shown.splitlines()[0]
    assert "left out to fit 80 columns" in err and "--wide" in err


def test_wide_prints_every_column_whole(demo):
    shown, err = in_terminal(demo, 80, "actions", "--wide", "--color", "never")
    header = shown.splitlines()[0]
    assert "what" in header and "lead role" in header and "left out" not in err
    assert max(len(line) for line in shown.splitlines()) > 80


def test_columns_chooses_on_every_table_command(demo, cli):
    shown, _ = in_terminal(demo, 80, "actions", "--columns", "ref,what", "--color", "never")
    assert shown.splitlines()[0].split() == ["action", "what"]
    clocks = cli("deadlines", "--columns", "record,clock,due", "--format", "csv", "--as-of", "2026-10-01", cwd=demo)
    assert clocks.code == 0 and clocks.out.splitlines()[0] == "record,clock,due"
    wrong = cli("actions", "--columns", "wat", cwd=demo)
    assert wrong.code == 2 and "did you mean 'what'" in wrong.err


def test_colour_follows_the_terminal_no_color_and_the_flag(demo, cli):
    coloured, _ = in_terminal(demo, 120, "actions")
    assert ANSI.search(coloured)
    plain, _ = in_terminal(demo, 120, "actions", env={"NO_COLOR": "1"})
    assert not ANSI.search(plain)
    never, _ = in_terminal(demo, 120, "actions", "--color", "never")
    assert not ANSI.search(never)
    forced = cli("actions", "--color", "always", "--as-of", "2026-10-01", cwd=demo)
    assert ANSI.search(forced.out)


def test_piped_output_is_plain_and_unbounded(demo, cli):
    result = cli("actions", "--as-of", "2026-10-01", cwd=demo, env={"COLUMNS": "40"})
    assert not ANSI.search(result.out) and "…" not in result.out
    assert max(len(line) for line in result.out.splitlines()) > 120
    assert "left out" not in result.err


def test_deadlines_rows_are_told_apart_at_80_columns(demo):
    shown, _ = in_terminal(demo, 80, "deadlines", "--all", "--color", "never")
    rows = [line for line in shown.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", line)]
    assert len(rows) == len(set(rows))


# --- progress on stderr -----------------------------------------------------------


class _Stream:
    def __init__(self, tty: bool):
        import io

        self.buffer = io.StringIO()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass


def test_progress_draws_only_on_a_terminal_and_only_for_long_runs():
    from kscb_cli.reporting.reporters.progress import progress

    terminal = _Stream(True)
    with progress("Linting", 1000, stream=terminal) as advance:
        for done in range(0, 1001, 100):
            advance(done)
    assert "Linting" in terminal.buffer.getvalue()
    piped = _Stream(False)
    with progress("Linting", 1000, stream=piped) as advance:
        advance(500)
    assert piped.buffer.getvalue() == ""
    short = _Stream(True)
    with progress("Linting", 10, stream=short) as advance:
        advance(5)
    assert short.buffer.getvalue() == ""


def test_lint_reports_progress_to_its_callback(make_store):
    from datetime import date

    from conftest import AGENCY

    from kscb_cli.lint.linter import lint
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    root = make_store(
        {f"records/agencies/A{i:03d}.yaml": AGENCY.replace("id: WYP", f"id: A{i:03d}") for i in range(250)}
    )
    store = Store.open(root, config=load_config(root))
    seen: list[int] = []
    lint(store, today=date(2026, 10, 1), progress=seen.append)
    assert len(store.entries) == 250 and seen == [100, 200]


def test_piped_lint_writes_no_progress(demo, cli):
    result = cli("lint", cwd=demo)
    assert "Linting" not in result.err and "\x1b[" not in result.err
