"""Every door closed: `kscb new`, `set`, `add`, the commit hook, publish-check and the
exports refuse a person's name (and other identifying data) without echoing it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import AGENCY, ROOT, git, kscb_command, unescaped

NAME = "Jayden Smith"


def _leaked(result) -> bool:
    text = result.out + result.err
    return "Jayden" in text or "Smith" in text


def test_new_refuses_a_name_in_title_or_set(make_store, cli):
    root = make_store({})
    r = cli("new", "briefing", "--title", f"Seven-minute briefing: {NAME}", "--no-input", cwd=root)
    assert r.code == 2 and "person's name (J*** S***)" in r.err and "Nothing was written" in r.err, r.err
    assert not _leaked(r)
    assert not list((root / "records").rglob("*.yaml"))
    r = cli(
        "new",
        "agency",
        "--id",
        "WYP",
        "--title",
        "West Yorkshire Police",
        "--set",
        "notes=Seen by Dr Patel",
        "--set",
        "sector=police",
        "--no-input",
        cwd=root,
    )
    assert r.code == 2 and "notes holds" in r.err and "Patel" not in r.err + r.out
    r = cli(
        "new",
        "agency",
        "--id",
        "WYP",
        "--title",
        "West Yorkshire Police",
        "--set",
        "notes=NHS 943 476 5919",
        "--set",
        "sector=police",
        "--no-input",
        cwd=root,
    )
    assert r.code == 2 and "943 *** ****" in r.err and "5919" not in r.err
    assert not list((root / "records").rglob("*.yaml"))


def test_new_prompt_asks_again_for_a_flagged_value(make_store, monkeypatch):
    from kscb_cli.cli import new as new_cli
    from kscb_cli.editing.scaffold import required_fields
    from kscb_cli.privacy.gate import Gate
    from kscb_cli.store.config import load_config

    root = make_store({})
    answers = iter([f"Rapid review – {NAME}", "Rapid review – Child H"])
    monkeypatch.setattr(new_cli.typer, "prompt", lambda *a, **k: next(answers))
    said = []
    monkeypatch.setattr(new_cli.typer, "echo", lambda message, **k: said.append(message))
    values: dict = {}
    spec = next(s for s in required_fields("rapid_review") if s.path == ("title",))
    new_cli._ask("rapid_review", values, spec, Gate(root, load_config(root)))
    assert values == {("title",): "Rapid review – Child H"}
    assert len(said) == 1 and "J*** S***" in said[0] and "Jayden" not in said[0]


def test_set_and_add_refuse_a_name_before_writing(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    before = (root / "records/agencies/WYP.yaml").read_bytes()
    r = cli("set", "WYP", f"notes=Discussed with {NAME}", cwd=root)
    assert r.code == 2 and "notes holds" in r.err and not _leaked(r), r.err
    r = cli("set", "WYP", "title=Mother, Kelly, said", cwd=root)
    assert r.code == 2 and "K***" in r.err and "Kelly" not in r.err
    r = cli("add", "WYP", "contacts", f"role=Head of Service {NAME}", cwd=root)
    assert r.code == 2 and not _leaked(r), r.err
    assert (root / "records/agencies/WYP.yaml").read_bytes() == before
    assert cli("set", "WYP", "notes=Seen by the Designated Nurse", cwd=root).code == 0


def test_set_names_the_deny_list_line_of_a_term_written_another_way(make_store, cli):
    root = make_store(
        {"records/agencies/WYP.yaml": AGENCY, "private/denylist.txt": "# names of our area\nRowan Quillfeather\n"}
    )
    r = cli("set", "WYP", "notes=Discussed with rowan-quillfeather", cwd=root)
    assert r.code == 2 and "deny-listed term (private/denylist.txt line 2)" in r.err, r.err
    assert "quillfeather" not in (r.err + r.out).lower()


def test_exports_refuse_a_deny_listed_term_at_any_audience_and_a_name_for_the_public(make_store, cli, tmp_path):
    """csv, xlsx and parquet carry titles out of the store: a deny-listed term refuses them at
    every audience, a person's name at --audience public; nothing is written or echoed."""
    deny = AGENCY.replace("West Testshire Police", "Brackenmoor Primary liaison")
    deny = deny.replace("status: active", "status: active\nclassification: public")
    root = make_store({"records/agencies/WYP.yaml": deny, "private/denylist.txt": "Brackenmoor Primary\n"})
    for audience in ("public", "partnership", "restricted"):
        for fmt in ("csv", "xlsx"):
            out = tmp_path / f"agency-{audience}.{fmt}"
            r = cli("export", "agency", "--format", fmt, "--audience", audience, "--out", str(out), cwd=root)
            assert r.code == 2 and "WYP title holds a deny-listed term (private/denylist.txt line 1)" in r.err, r.err
            assert "Nothing was written" in r.err and not out.exists()
            assert "brackenmoor" not in (r.err + r.out).lower()
        lake = tmp_path / f"parquet-{audience}"
        r = cli("export", "--format", "parquet", "--audience", audience, "--out", str(lake), cwd=root)
        assert r.code == 2 and "deny-listed term" in r.err and not lake.exists(), r.err
        assert "brackenmoor" not in (r.err + r.out).lower()
    named = AGENCY.replace("West Testshire Police", f"Police team of {NAME}").replace(
        "status: active", "status: active\nclassification: public"
    )
    root = make_store({"records/agencies/WYP.yaml": named})
    r = cli("export", "agency", "--format", "csv", "--audience", "public", cwd=root)
    assert r.code == 2 and "person's name (J*** S***)" in r.err and not _leaked(r), r.err
    r = cli("export", "agency", "--format", "csv", "--audience", "partnership", cwd=root)
    assert r.code == 0  # inside the partnership a flagged name is lint's finding (P004), not a refusal


def _demo_store(tmp_path):
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(ROOT / "kscb.yaml", root / "kscb.yaml")
    shutil.copytree(ROOT / "records", root / "records")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "demo")
    return root


def test_hook_refuses_a_briefing_titled_with_a_full_name_and_publish_check_fails(tmp_path, cli):
    root = _demo_store(tmp_path)
    from kscb_cli.editing.init import install_hook

    install_hook(root)
    path = root / "records/briefings/7MB-2025-001.yaml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, f'title: "Seven-minute briefing: {NAME}"'), encoding="utf-8")
    git(root, "add", "records")
    commit = subprocess.run(["git", "commit", "-m", "briefing"], cwd=root, capture_output=True, text=True)
    out = commit.stdout + commit.stderr
    assert commit.returncode != 0 and "P004" in out and "commit refused" in commit.stderr, out
    assert "Jayden" not in out and "Smith" not in out
    assert git(root, "log", "--format=%s").splitlines() == ["demo"]
    r = cli("publish-check", "7MB-2025-001", "--store", str(root), "--as-of", "2026-01-10")
    assert r.code == 1 and "[ ] data protection" in r.out and "P004" in r.out and not _leaked(r), r.out


def test_public_render_refuses_a_name_in_record_text(tmp_path, cli):
    """The public rendering is a door too: a name no deny-list holds stops it, and is not echoed."""
    root = _demo_store(tmp_path)
    path = root / "records/briefings/7MB-2025-001.yaml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, f'title: "Seven-minute briefing: {NAME}"'), encoding="utf-8")
    r = cli(
        "render", "seven-minute-briefing", "7MB-2025-001", "--audience", "public", "--as-of", "2026-01-10", cwd=root
    )
    assert r.code != 0 and r.out == "" and "7MB-2025-001 field title" in r.err and not _leaked(r), r.err
    path.write_text(text, encoding="utf-8")
    ok = cli(
        "render", "seven-minute-briefing", "7MB-2025-001", "--audience", "public", "--as-of", "2026-01-10", cwd=root
    )
    assert ok.code == 0, ok.err


def test_publish_check_says_what_it_checked(tmp_path, cli):
    root = _demo_store(tmp_path)
    r = cli("publish-check", "7MB-2025-001", "--store", str(root), "--as-of", "2026-01-10")
    line = next(line for line in r.out.splitlines() if "data protection" in line)
    assert line.startswith("[x]") and "the name detector" in line and "cannot know every name" in line
    assert "no deny-list terms" in line and "a person must still read it" in line
    assert "no real names" not in r.out and "no identifying data" not in r.out


def test_history_and_changes_mask_what_got_in(git_store, cli):
    leaked = AGENCY + "notes: Discussed with Jayden Smith, NHS 943 476 5919.\n"
    root = git_store({"records/agencies/WYP.yaml": AGENCY})
    (root / "records/agencies/WYP.yaml").write_text(leaked)
    git(root, "commit", "-qam", "Notes from the meeting with Jayden Smith")
    (root / "records/agencies/WYP.yaml").write_text(AGENCY.replace("West Testshire Police", "Police for Kelly Brown"))
    git(root, "commit", "-qam", "Remove the notes")
    for fmt in ("text", "json", "markdown"):
        r = cli("history", "WYP", "-f", fmt, cwd=root)
        assert r.code == 0, r.err
        # since #12 landed, its mask_text masks old versions (shape detectors and deny-list)
        assert "943 *** ****" in unescaped(r.out), r.out
        for secret in ("5919",):
            assert secret not in r.out + r.err, (fmt, secret)
        r = cli("changes", "--since", "2000-01-01", "-f", fmt, "--as-of", "2026-01-10", cwd=root)
        assert r.code == 0, r.err
        for secret in ("5919",):
            assert secret not in r.out + r.err, (fmt, secret)


def test_purge_removes_a_value_from_the_whole_history(git_store, cli):
    import pytest

    pytest.importorskip("git_filter_repo", reason="the purge extra (git-filter-repo) is not installed")
    root = git_store({"records/agencies/WYP.yaml": AGENCY})
    (root / ".gitignore").write_text("private/\n")
    git(root, "add", ".gitignore")
    git(root, "commit", "-qm", "ignore private")
    (root / "records/agencies/WYP.yaml").write_text(AGENCY + "notes: Discussed with Jayden Smith.\n")
    git(root, "commit", "-qam", "Notes about Jayden Smith")
    (root / "records/agencies/WYP.yaml").write_text(AGENCY + "notes: Discussed with the family.\n")
    git(root, "commit", "-qam", "Remove the name")
    assert "Jayden Smith" in git(root, "log", "-p", "--all")
    (root / "private").mkdir()
    (root / "private/purge.txt").write_text("# values to remove\nJayden Smith==>Child J\n")
    r = cli("purge", "--values", "private/purge.txt", cwd=root)
    assert r.code == 2 and "--yes" in r.err and "Jayden Smith" in git(root, "log", "-p", "--all")
    import os
    import time

    from kscb_cli.store import parsed

    assert cli("lint", cwd=root).code in (0, 1)
    (root / "records/agencies/WYP.yaml").write_text(AGENCY + "notes: Discussed with Jayden Smith.\n")
    os.utime(root / "records/agencies/WYP.yaml", (time.time() - 10, time.time() - 10))
    assert cli("lint", cwd=root).code in (0, 1) and parsed.cache_file(root).is_file()  # a kept parse holds the name
    git(root, "checkout", "--", "records/agencies/WYP.yaml")
    from kscb_cli.history import facts
    from kscb_cli.store import versions

    assert cli("changes", "--since", "2000-01-01", cwd=root).code == 0
    assert versions.cache_file(root).is_file() and facts.facts_file(root).is_file()
    r = cli("purge", "--values", "private/purge.txt", "--yes", cwd=root)
    assert r.code == 0, r.err
    assert not parsed.cache_file(root).exists()  # kscb purge forgets the lint's kept parses too
    assert not versions.cache_file(root).exists() and not facts.facts_file(root).exists()  # and the history's
    assert "Jayden" not in r.out + r.err
    log = git(root, "log", "-p", "--all")
    assert "Jayden" not in log and "Child J" in log
    assert git(root, "log", "--format=%s").splitlines() == [
        "Remove the name",
        "Notes about Child J",
        "ignore private",
        "Initial records",
    ]
    assert (root / "records/agencies/WYP.yaml").read_text().endswith("Discussed with the family.\n")
    assert cli("lint", cwd=root).code == 0
    # a dirty working tree is refused
    (root / "records/agencies/WYP.yaml").write_text(AGENCY)
    r = cli("purge", "--values", "private/purge.txt", "--yes", cwd=root)
    assert r.code == 2 and "uncommitted" in r.err


SPY_PLUGIN = """
import os

class _Spy:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, plugin_settings):
        def seen(input, *args, **kwargs):
            with open(os.environ["SPY_LOG"], "a", encoding="utf-8") as log:
                log.write(repr(input) + "\\n")
        return (type("Handler", (), {"on_enter": staticmethod(seen)})(), None, None)

plugin = _Spy()
"""


def test_no_pydantic_plugin_sees_a_record(make_store, tmp_path):
    """A pydantic plugin installed beside kscb (an observability tool) is never loaded: it would
    see every record as it is validated. The same plugin does load for any other program."""
    site = tmp_path / "site"
    (site / "kscb_spy_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "kscb_spy_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kscb-spy-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (site / "kscb_spy_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nspy = kscb_spy_plugin:plugin\n", encoding="utf-8"
    )
    (site / "kscb_spy_plugin.py").write_text(SPY_PLUGIN, encoding="utf-8")
    log = tmp_path / "seen.log"
    env = {**os.environ, "PYTHONPATH": str(site), "SPY_LOG": str(log)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    other = "import pydantic; pydantic.TypeAdapter(str).validate_python('Child H')"
    subprocess.run([sys.executable, "-c", other], env=env, check=True)
    assert "'Child H'" in log.read_text(encoding="utf-8")  # the plugin loads and sees what is validated
    log.unlink()

    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    for args in (["lint", "--no-cache"], ["show", "WYP"], ["list", "agency"]):
        done = subprocess.run([*kscb_command(), *args], cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        assert not log.exists(), f"kscb {' '.join(args)} let a pydantic plugin see: {log.read_text(encoding='utf-8')}"
