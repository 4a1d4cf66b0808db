"""kscb init, the commit guard and the pre-commit hook, on real git repositories."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml
from conftest import AGENCY, ROOT, git


def test_init_creates_a_working_store(tmp_path, cli):
    root = tmp_path / "store"
    result = cli("init", str(root), "--name", "Testshire Safeguarding Children Partnership", "--no-input", "--no-hook")
    assert result.code == 0, result.err
    assert (root / "kscb.yaml").is_file() and (root / ".git").is_dir()
    assert "private/" in (root / ".gitignore").read_text().splitlines()
    assert (root / "private" / "denylist.txt").is_file()
    assert (root / "schemas" / "review.schema.json").is_file()
    assert all((root / "records" / f).is_dir() for f in ("reviews", "action-plans", "child-deaths"))
    config = yaml.safe_load((root / "kscb.yaml").read_text())
    assert config["partnership"]["short_name"] == "TSCP"
    assert cli("lint", "--store", str(root)).code == 0
    # the deny-list is ignored by git, so it can never be committed
    git(root, "add", "-A")
    assert "private/denylist.txt" not in git(root, "diff", "--cached", "--name-only")
    again = cli("init", str(root), "--no-input", "--no-hook")
    assert again.code == 2 and "already" in again.err


def _staged_store(tmp_path, cli, extra: str = "", deny: str = ""):
    root = tmp_path / "store"
    assert cli("init", str(root), "--no-input", "--no-hook").code == 0  # init makes the first commit
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY + extra)
    if deny:
        with open(root / "private" / "denylist.txt", "a") as handle:
            handle.write(deny + "\n")
    git(root, "add", "records")
    return root


def test_guard_passes_a_clean_change(tmp_path, cli):
    root = _staged_store(tmp_path, cli)
    result = cli("guard", "--store", str(root))
    assert result.code == 0 and "in 1 file" in result.out


def test_guard_checks_staged_content_not_the_working_tree(tmp_path, cli):
    root = _staged_store(tmp_path, cli, extra="notes: Seen by the team, NHS number 943 476 5919.\n")
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)  # fixed on disk, not staged
    result = cli("guard", "--store", str(root), "--format", "json")
    doc = json.loads(result.out)
    assert result.code == 1
    assert [d["code"] for d in doc["diagnostics"]] == ["P001"]
    assert "943 *** ****" in doc["diagnostics"][0]["message"] and "476" not in result.out


def test_guard_never_echoes_a_denylisted_term(tmp_path, cli):
    root = _staged_store(
        tmp_path, cli, extra="notes: Discussed with Rowan Quillfeather at the meeting.\n", deny="Rowan Quillfeather"
    )
    for fmt in ("github", "json", "text"):
        result = cli("lint", "--staged", "--store", str(root), "--format", fmt)
        assert result.code == 1
        assert "P002" in result.out
        assert "Quillfeather" not in result.out + result.err and "rowan" not in (result.out + result.err).lower()


def test_hook_refuses_a_commit_with_an_nhs_number(tmp_path, cli):
    root = _staged_store(tmp_path, cli, extra="notes: NHS 943 476 5919\n")
    assert cli("init", str(tmp_path / "other"), "--no-input", "--hook").code == 0  # hook on a second store works too
    from kscb_cli.editing.init import install_hook

    hook = install_hook(root)
    assert hook.read_text().startswith("#!/bin/sh") and sys.executable in hook.read_text()
    commit = subprocess.run(["git", "commit", "-m", "add police"], cwd=root, capture_output=True, text=True)
    assert commit.returncode != 0
    assert "P001" in commit.stdout + commit.stderr and "commit refused" in commit.stderr
    assert git(root, "log", "--format=%s").splitlines() == [
        "Start the ESCP kscb store"
    ]  # only the commit kscb init made
    # fixed and restaged, the same commit goes through
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    git(root, "add", "records")
    ok = subprocess.run(["git", "commit", "-m", "add police"], cwd=root, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_hook_never_replaces_another_hook(tmp_path, cli):
    root = _staged_store(tmp_path, cli)
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    from kscb_cli.base.errors import KscbError
    from kscb_cli.editing.init import install_hook

    try:
        install_hook(root)
    except KscbError as exc:
        assert "not written by kscb" in exc.message
    else:
        raise AssertionError("an existing hook was replaced")
    assert hook.read_text() == "#!/bin/sh\necho mine\n"


def test_pre_commit_hooks_manifest():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "kscb-guard" and hooks[0]["entry"] == "kscb guard"
