"""Shared fixtures: tiny stores built in tmp_path, the contract examples, the real CLI, isolated git."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The workplace's ../shared material the tests use, vendored under tests/shared/ so a plain clone
# runs every test; tests/test_vendored.py checks the copies against ../shared where it exists.
VENDORED = ROOT / "tests" / "shared"
UPSTREAM = ROOT.parent / "shared"
EXAMPLES = VENDORED / "design" / "examples"
CORPUS = VENDORED / "corpora" / "yaml-test-suite" / "cases"
SEED = VENDORED / "seed" / "learning-and-improvement-framework.txt"


def kscb_command() -> list[str]:
    """The installed `kscb` program (as a user runs it), else `python -m kscb_cli`."""
    script = Path(sys.executable).parent / "kscb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kscb_cli"]


MINIMAL_CONFIG = """\
schema_version: 1
partnership: {name: Testshire Safeguarding Children Partnership, short_name: TSCP, area: Testshire}
workstreams: {ee: Evaluation and Effectiveness, scr: Case Reviews, ld: Learning and Development, cdop: Child Death Overview Panel}
priorities: {neglect: Neglect, early_help: Early help}
"""

AGENCY = """\
kind: agency
id: WYP
title: West Testshire Police
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path_factory):
    """Never touch the user's home, git config or kscb environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in {
        "GIT_AUTHOR_NAME": "Test Coordinator",
        "GIT_AUTHOR_EMAIL": "coordinator@example.invalid",
        "GIT_COMMITTER_NAME": "Test Coordinator",
        "GIT_COMMITTER_EMAIL": "coordinator@example.invalid",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("KSCB_STORE", "KSCB_TODAY", "KSCB_DEBUG", "NO_COLOR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)


def write_store(root: Path, records: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """Write kscb.yaml and records ({"records/reviews/X.yaml": yaml_text}) under root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "kscb.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    (root / "records").mkdir(exist_ok=True)
    for rel, text in records.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_store(tmp_path):
    """make_store({"records/agencies/WYP.yaml": "..."}, config=...) -> store root."""
    counter = iter(range(1000))

    def make(records: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
        return write_store(tmp_path / f"store{next(counter)}", records, config)

    return make


@pytest.fixture
def examples(tmp_path) -> Path:
    """A writable copy of the contract examples (../shared/design/examples, vendored in tests/shared)."""
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest)
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """cli("lint", "--format", "json", cwd=root) -> Result(code, out, err), through the real entry point."""
    from kscb_cli.cli.main import run

    def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def unescaped(markdown: str) -> str:
    """The text a Markdown reader sees: kscb's Markdown escapes every special character (``\\*``, ``\\[``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def git(cwd: Path, *args: str) -> str:
    """Run git in cwd (the environment is isolated by the autouse fixture)."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_store(make_store):
    """make a store and make it a git repository with one commit."""

    def make(records: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
        root = make_store(records, config)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Initial records")
        return root

    return make


def bench_module(name: str):
    """A module of the repository's bench/ folder (the store and history generators), imported once."""
    import importlib
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "bench"))
