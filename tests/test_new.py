"""kscb new: scaffolds with every required field, TODO where kscb cannot know, and ids free on every branch."""

from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import git

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.scaffold import create, ids_in_use, next_id, render, required_fields, scalar
from kscb_cli.model import MODELS
from kscb_cli.store.source import parse

NOTIFICATION = """\
kind: notification
id: SIN-2026-001
title: Serious incident notification – Child H
status: draft
subject: Child H
harm: serious_harm
abuse: suspected
looked_after: false
incident: 2026-01-10
aware: 2026-01-13
"""
TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_kind_scaffolds_every_required_field_and_reads_back(kind):
    text, todo = render(
        kind,
        "X-2026-001",
        {("agency",): "WYP", ("source",): "LCSPR-2025-001"} if kind in ("section11", "action_plan") else {},
    )
    data = parse(text).data
    assert data["kind"] == kind and data["id"] == "X-2026-001"
    for spec in required_fields(kind):
        value = data
        for part in spec.path:
            value = value[part]
        assert value is not None, spec.name
    assert "title" in todo and all(f"{name.split('.')[-1]}: TODO" in text for name in todo)


def test_scaffold_never_pretends(make_store):
    root = make_store({})
    made = create(root, "notification", {}, today=TODAY)
    data = parse(made.text).data
    assert data["status"] == "draft"  # the first status of the lifecycle is a fact, not a guess
    assert {k: data[k] for k in ("harm", "looked_after", "aware")} == {
        "harm": "TODO",
        "looked_after": "TODO",
        "aware": "TODO",
    }
    assert "harm: TODO  # death | serious_harm" in made.text
    assert "aware: TODO  # YYYY-MM-DD:" in made.text


def test_ids_follow_prefix_and_year_and_skip_what_is_taken(git_store):
    root = git_store({"records/notifications/SIN-2026-001.yaml": NOTIFICATION})
    assert next_id("notification", {}, TODAY, ids_in_use(root)) == "SIN-2026-002"
    assert next_id("notification", {}, date(2027, 1, 2), ids_in_use(root)) == "SIN-2027-001"
    assert next_id("review", {("review_type",): "dhr"}, TODAY, {}) == "DHR-2026-001"
    assert next_id("audit", {("audit_type",): "thematic"}, TODAY, {"THEM-2026-009": "x"}) == "THEM-2026-010"
    assert next_id("briefing", {}, TODAY, {}) == "7MB-2026-001"
    assert next_id("section11", {("agency",): "WYP", ("cycle",): "2026"}, TODAY, {}) == "S11-2026-WYP"
    assert next_id("action_plan", {("source",): "LCSPR-2025-001"}, TODAY, {}) == "AP-LCSPR-2025-001"
    with pytest.raises(KscbError, match="already exists"):
        next_id(
            "action_plan",
            {("source",): "LCSPR-2025-001"},
            TODAY,
            {"AP-LCSPR-2025-001": "records/action-plans/AP-LCSPR-2025-001.yaml"},
        )
    with pytest.raises(KscbError, match="--id"):
        next_id("agency", {}, TODAY, {})


def test_an_id_taken_on_another_branch_is_skipped(git_store, cli):
    root = git_store({"records/notifications/SIN-2026-001.yaml": NOTIFICATION})
    git(root, "checkout", "-q", "-b", "colleague")
    (root / "records/notifications/SIN-2026-002.yaml").write_text(NOTIFICATION.replace("SIN-2026-001", "SIN-2026-002"))
    git(root, "add", "records/notifications/SIN-2026-002.yaml")
    git(root, "commit", "-q", "-m", "Colleague's notification")
    git(root, "checkout", "-q", "main")
    # and one on a remote-tracking branch only
    git(root, "update-ref", "refs/remotes/origin/other", git(root, "rev-parse", "colleague").strip())
    git(root, "checkout", "-q", "-b", "tmp", "colleague")
    (root / "records/notifications/SIN-2026-003.yaml").write_text(NOTIFICATION.replace("SIN-2026-001", "SIN-2026-003"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "remote only")
    git(root, "update-ref", "refs/remotes/origin/other", "HEAD")
    git(root, "checkout", "-q", "main")
    git(root, "branch", "-q", "-D", "tmp")
    assert not (root / "records/notifications/SIN-2026-002.yaml").exists()
    r = cli(
        "new", "notification", "--title", "Serious incident notification – Child K", "--as-of", "2026-11-26", cwd=root
    )
    assert r.code == 0, r.err
    assert r.out == "records/notifications/SIN-2026-004.yaml\n"
    assert "has 6 field(s) to fill in" in r.err and "S001 harm is 'TODO'" in r.err
    r = cli("new", "notification", "--id", "SIN-2026-003", cwd=root)
    assert r.code == 2 and "SIN-2026-003 already exists (branch origin/other)" in r.err


def test_new_with_everything_given_lints_clean(make_store, cli):
    root = make_store({"records/notifications/SIN-2026-001.yaml": NOTIFICATION})
    r = cli(
        "new",
        "rapid_review",
        "--title",
        "Rapid review – Child H",
        "--set",
        "notification=SIN-2026-001",
        "--set",
        "subject=Child H",
        "--no-input",
        "--as-of",
        "2026-01-20",
        cwd=root,
    )
    assert r.code == 0, r.err
    assert r.out == "records/rapid-reviews/RR-2026-001.yaml\n" and "lints clean" in r.err
    text = (root / "records/rapid-reviews/RR-2026-001.yaml").read_text()
    assert (
        text
        == "kind: rapid_review\nid: RR-2026-001\ntitle: Rapid review – Child H\nstatus: open\nnotification: SIN-2026-001\nsubject: Child H\n"
    )


def test_new_section11_and_agency(make_store, cli):
    root = make_store({})
    r = cli(
        "new",
        "agency",
        "--id",
        "WYP",
        "--title",
        "West Yorkshire Police",
        "--set",
        "sector=police",
        "--set",
        "safeguarding_partner=true",
        "--set",
        "section11_duty=true",
        cwd=root,
    )
    assert r.code == 0 and r.out == "records/agencies/WYP.yaml\n", r.err
    r = cli(
        "new",
        "section11",
        "--set",
        "agency=WYP",
        "--set",
        "due=2026-06-30",
        "--title",
        "Section 11 – WYP",
        "--as-of",
        "2026-03-01",
        cwd=root,
    )
    assert r.out == "records/section11/S11-2026-WYP.yaml\n", r.err
    assert 'cycle: "2026"' in (root / "records/section11/S11-2026-WYP.yaml").read_text()
    r = cli("new", "section11", "--set", "agency=WYP", "--as-of", "2026-03-01", cwd=root)
    assert r.code == 2 and "already exists" in r.err
    r = cli("new", "revew", cwd=root)
    assert r.code == 2 and "did you mean 'review'" in r.err


def test_prompts_on_a_terminal_only(make_store, cli, monkeypatch):
    root = make_store({"records/notifications/SIN-2026-001.yaml": NOTIFICATION})
    monkeypatch.setattr("kscb_cli.cli.new._interactive", lambda no_input: not no_input)
    answers = "\n".join(["Rapid review – Child H", "SIN-2026-001", "Child H"]) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    r = cli("new", "rapid_review", "--as-of", "2026-01-20", cwd=root)
    assert r.code == 0, r.err
    assert "lints clean" in r.err
    # an empty answer leaves TODO; --no-input never prompts
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    r = cli("new", "rapid_review", "--no-input", "--as-of", "2026-01-20", cwd=root)
    assert r.code == 0 and r.out == "records/rapid-reviews/RR-2026-002.yaml\n"


def test_scalars_quote_only_when_needed():
    assert scalar("Child H") == "Child H" and scalar("2026") == '"2026"' and scalar("yes: no") == '"yes: no"'
    assert scalar(True) == "true" and scalar(["a", "b"]) == "[a, b]" and scalar("2026-01-02") == "2026-01-02"


def test_on_a_terminal_the_field_the_id_is_built_from_is_asked_first(make_store, cli, monkeypatch):
    root = make_store({"records/notifications/SIN-2026-001.yaml": NOTIFICATION})
    monkeypatch.setattr("kscb_cli.cli.new._interactive", lambda no_input: not no_input)
    asked: list[str] = []

    def prompt(text: str, **_: object) -> str:
        asked.append(text.split(" (")[0])
        return ""

    monkeypatch.setattr("kscb_cli.cli.new.typer.prompt", prompt)
    r = cli("new", "audit", "--as-of", "2026-01-20", cwd=root)
    assert r.code == 0, r.err
    assert asked[0] == "audit_type" and asked[1] == "title"
    assert asked.count("audit_type") == 1
