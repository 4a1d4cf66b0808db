"""The README's tutorial is run, command by command, in a temporary folder, and its output checked."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ELLIPSIS = "…"


def _blocks(readme: str) -> list[list[tuple[str, list[str]]]]:
    """Each ```console block of the tutorial as [(command, expected output lines)]."""
    section = readme.split("## Tutorial", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", section, re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        blocks.append(steps)
    return blocks


def _pattern(expected: list[str]) -> re.Pattern:
    """A line `…` stands for any number of lines; `…` inside a line for any text."""
    parts = []
    for line in expected:
        if line == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*".join(re.escape(p) for p in line.split(ELLIPSIS)) + r"\n")
    return re.compile("".join(parts))


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _blocks(readme)
    assert len(blocks) >= 5
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "200", "NO_COLOR": "1"}
    cwd = tmp_path
    ran = 0
    for steps in blocks:
        for command, expected in steps:
            if command.startswith("export "):
                name, _, value = command[len("export ") :].partition("=")
                env[name] = value
                continue
            if command.startswith("cd "):
                cwd = (cwd / shlex.split(command)[1]).resolve()
                continue
            command = command.replace("~/kscb", shlex.quote(str(ROOT)))
            proc = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
            output = proc.stdout + proc.stderr if not proc.stdout or not proc.stderr else _interleaved(proc)
            assert _pattern(expected).fullmatch(output), (
                f"$ {command}\n--- expected\n" + "\n".join(expected) + f"\n--- got\n{output}"
            )
            ran += 1
    assert ran >= 15


def _interleaved(proc) -> str:
    """kscb writes messages to stderr and answers to stdout; the tutorial shows stderr's lines first
    for commands whose answer is a single summary line, and stdout's first otherwise."""
    out, err = proc.stdout, proc.stderr
    if err.startswith("kscb: initialised"):
        first, _, rest = err.partition("\n")
        return first + "\n" + out + rest
    if len(out.splitlines()) == 1:
        return err + out
    return out + err
