"""The README's install for real use: build the wheel, install it in a fresh environment, run kscb from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv

import pytest
from conftest import ROOT


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to build from the working tree")
def test_the_built_wheel_installs_and_runs(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheels = list(dist.glob("kscb-*.whl"))
    assert len(wheels) == 1
    # a fresh environment holding only the wheel; its dependencies are borrowed from this one (read-only, no network)
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(fresh / "bin" / "python"),
            "install",
            "--no-deps",
            "--quiet",
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    site = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    with open(os.path.join(site, "zz_borrowed_dependencies.pth"), "w") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    kscb = fresh / "bin" / "kscb"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    version = subprocess.run([str(kscb), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    from kscb_cli import __version__

    assert version.returncode == 0 and version.stdout == f"kscb {__version__}\n", version.stderr
    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import kscb_cli; print(kscb_cli.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(fresh)), where.stdout  # the wheel's copy, not this checkout
    # the packaged templates and schemas work: a new store from the installed tool lints clean and lists its templates
    store = tmp_path / "store"
    made = subprocess.run(
        [str(kscb), "init", str(store), "--no-input", "--no-hook", "--no-commit"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    templates = subprocess.run(
        [str(kscb), "templates", "--store", str(store)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert templates.returncode == 0 and "board-report" in templates.stdout, templates.stderr
