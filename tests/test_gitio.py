"""Git plumbing on real temporary repositories (isolated from the user's git config)."""

from __future__ import annotations

import pytest
from conftest import git

from kscb_cli.base import gitio

AGENCY = """\
kind: agency
id: {id}
title: Agency {id}
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""


def test_log_follows_renames_and_reads_blobs_in_one_batch(git_store):
    root = git_store(
        {"records/agencies/WYP.yaml": AGENCY.format(id="WYP"), "records/agencies/CHFT.yaml": AGENCY.format(id="CHFT")}
    )
    git(root, "mv", "records/agencies/WYP.yaml", "records/agencies/WYP2.yaml")
    git(root, "commit", "-q", "-m", "Rename WYP\n\nwith a body")
    (root / "records/agencies/CHFT.yaml").write_text(AGENCY.format(id="CHFT").replace("active", "inactive"))
    git(root, "commit", "-q", "-am", "CHFT inactive")
    git(root, "rm", "-q", "records/agencies/CHFT.yaml")
    git(root, "commit", "-q", "-m", "Remove CHFT")

    commits = gitio.log(root)
    assert [c.subject for c in commits] == ["Remove CHFT", "CHFT inactive", "Rename WYP", "Initial records"]
    assert commits[2].message == "Rename WYP\n\nwith a body"
    assert commits[0].author == "Test Coordinator" and len(commits[0].date) >= 20
    (d,) = commits[0].changes
    assert (d.status, d.path, d.new_blob) == ("D", "records/agencies/CHFT.yaml", None)
    (r,) = commits[2].changes
    assert (r.status, r.old_path, r.path) == ("R", "records/agencies/WYP.yaml", "records/agencies/WYP2.yaml")
    assert {c.status for c in commits[3].changes} == {"A"}

    (m,) = commits[1].changes
    blobs = gitio.read_blobs(root, [m.old_blob, m.new_blob, "0" * 39 + "1"])
    assert b"status: active" in blobs[m.old_blob] and b"status: inactive" in blobs[m.new_blob]
    assert blobs["0" * 39 + "1"] is None

    assert set(gitio.tree_files(root, "HEAD")) == {"records/agencies/WYP2.yaml"}
    assert not gitio.is_shallow(root)


def test_store_in_a_subfolder_has_store_relative_paths(make_store, tmp_path):
    root = make_store({"records/agencies/WYP.yaml": AGENCY.format(id="WYP")})
    repo = root.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    (c,) = gitio.log(root)
    assert [ch.path for ch in c.changes] == ["records/agencies/WYP.yaml"]
    assert "records/agencies/WYP.yaml" in gitio.tree_files(root, "HEAD")


def test_refs_and_names_on_every_branch(git_store):
    root = git_store({"records/agencies/WYP.yaml": AGENCY.format(id="WYP")})
    git(root, "checkout", "-q", "-b", "other")
    (root / "records/agencies/NEW.yaml").write_text(AGENCY.format(id="NEW"))
    git(root, "add", "records/agencies/NEW.yaml")
    git(root, "commit", "-q", "-m", "new on other")
    git(root, "checkout", "-q", "main")
    names = gitio.names_on_refs(root)
    assert names["refs/heads/other"] == {"records/agencies/WYP.yaml", "records/agencies/NEW.yaml"}
    assert names["refs/heads/main"] == {"records/agencies/WYP.yaml"}


def test_commit_only_leaves_other_staged_work_alone(git_store):
    root = git_store(
        {"records/agencies/WYP.yaml": AGENCY.format(id="WYP"), "records/agencies/CHFT.yaml": AGENCY.format(id="CHFT")}
    )
    (root / "records/agencies/CHFT.yaml").write_text(AGENCY.format(id="CHFT").replace("Agency", "Staged"))
    git(root, "add", "records/agencies/CHFT.yaml")
    (root / "records/agencies/WYP.yaml").write_text(AGENCY.format(id="WYP").replace("active", "inactive"))
    gitio.commit_only(root, root / "records/agencies/WYP.yaml", "kscb: WYP status → inactive")
    assert git(root, "show", "--name-only", "--format=%s", "HEAD").split() == [
        "kscb:",
        "WYP",
        "status",
        "→",
        "inactive",
        "records/agencies/WYP.yaml",
    ]
    assert git(root, "diff", "--cached", "--name-only").split() == ["records/agencies/CHFT.yaml"]


def test_errors_name_the_fix(tmp_path):
    with pytest.raises(gitio.GitError, match="not inside a git repository"):
        gitio.require_repo(tmp_path)
    git(tmp_path, "init", "-q")
    assert gitio.log(tmp_path) == []
    with pytest.raises(gitio.GitError, match="no commit"):
        gitio.rev_parse(tmp_path, "nope")
