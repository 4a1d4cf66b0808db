"""Issue #12, hardening: no lost edit, no side door for personal data, nothing hostile reaches a screen.

Each test reproduces one finding of the security and reliability probe on real files, real
git repositories and the real CLI (in-process through `run`, or as separate processes where
concurrency or signals are the point).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import AGENCY, git, kscb_command, unescaped

NHS = "9434765919"  # a synthetic number with a valid check digit, as in the detector corpora
DENIED = "Rowan Quillfeather"  # an invented name, as in the P002 rule cases

REVIEW = """\
kind: review
id: LCSPR-2025-001
title: Child H review
status: published
classification: partnership
workstream: scr
priorities: [neglect]
themes: [neglect]
review_type: lcspr
subject: Child H
methodology: scie_learning_together
agencies: [WYP]
lead_reviewer:
  role: Independent lead reviewer
  independent: true
involvement: {practitioners: true, family: participated, child: true}
decided: 2025-02-10
commissioned: 2025-03-03
final_report: 2025-07-31
findings:
  - id: F1
    type: systemic
    category: multi_agency_longer_term
    summary: Missed appointments are recorded by each service separately.
recommendations:
  - id: R1
    findings: [F1]
    to: partnership
    text: Agree a single was-not-brought pathway.
    response: accepted
publication:
  decision: full_report
  legal_clearance: cleared
  sent_to_panel: 2025-10-01
  published: 2025-10-15
"""

PLAN_REL = "records/action-plans/AP-LCSPR-2025-001.yaml"
REVIEW_REL = "records/reviews/LCSPR-2025-001.yaml"
AGENCY_REL = "records/agencies/WYP.yaml"


def plan(n: int = 8) -> str:
    actions = "".join(
        textwrap.dedent(f"""\
          - id: A{i}
            recommendation: LCSPR-2025-001#R1
            action: Action number {i}.
            lead_agency: WYP
            lead_role: Named lead
            due: 2027-01-29
            status: not_started
            success_measure: Measured by audit.
        """)
        for i in range(1, n + 1)
    )
    return (
        textwrap.dedent("""\
        kind: action_plan
        id: AP-LCSPR-2025-001
        title: Action plan for Child H
        status: in_progress
        workstream: scr
        priorities: [neglect]
        source: LCSPR-2025-001
        approved: 2025-09-10
        actions:
        """)
        + actions
    )


def store_records(n: int = 8) -> dict[str, str]:
    return {AGENCY_REL: AGENCY, REVIEW_REL: REVIEW, PLAN_REL: plan(n)}


ENV = {"KSCB_TODAY": "2025-10-01"}


# --- 1. no lost update ---------------------------------------------------------------------------


def test_concurrent_sets_on_one_file_lose_no_edit(make_store):
    """Six `kscb set` processes at once on six items of one file: every one that reports success is in the file."""
    root = make_store(store_records(6))
    env = {**os.environ, **ENV}
    procs = [
        subprocess.Popen(
            [*kscb_command(), "set", f"AP-LCSPR-2025-001#A{i}", f"lead_role=Lead number {i}"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(1, 7)
    ]
    results = [(i, p.communicate(timeout=120)) for i, p in enumerate(procs, 1)]
    text = (root / PLAN_REL).read_text(encoding="utf-8")
    succeeded = [i for (i, _), p in zip(results, procs) if p.returncode == 0]
    for (i, (_out, err)), p in zip(results, procs):
        assert p.returncode in (0, 2), err  # a writer waits, or is refused with a reason: never a crash
        if p.returncode == 0:
            assert "lead_role → Lead number" in err
            assert f"lead_role: Lead number {i}\n" in text, f"writer {i} reported success but its edit is gone"
    assert succeeded, "no writer succeeded"
    assert len(succeeded) == 6  # with the lock they wait for each other rather than fail


def _lock_holder(root: Path) -> subprocess.Popen[str]:
    """Another process holding the store's write lock, until it is killed (it waits on its stdin,
    so it lets go when the test says, however slow the machine is: never on a timer)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from kscb_cli.base.atomic import locked\n"
            "with locked(Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.read()\n",
            str(root),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_waits_for_the_lock_then_gives_up_with_a_reason(make_store, cli):
    """While another process holds the store's write lock, `set` waits (here 0.3 s) and is refused with exit 2."""
    root = make_store(store_records(2))
    holder = _lock_holder(root)
    try:
        before = (root / PLAN_REL).read_bytes()
        r = cli("set", "AP-LCSPR-2025-001#A1", "lead_role=Someone", cwd=root, env={**ENV, "KSCB_LOCK_TIMEOUT": "0.3"})
        assert r.code == 2, r.err
        assert "another kscb command" in r.err and "run the command again" in r.err
        assert (root / PLAN_REL).read_bytes() == before
    finally:
        holder.kill()
        holder.communicate()
    r = cli("set", "AP-LCSPR-2025-001#A1", "lead_role=Someone", cwd=root, env=ENV)
    assert r.code == 0, r.err  # the lock died with its holder: no stale lock


def test_the_lock_is_reentrant_and_lives_in_the_git_directory(git_store):
    from kscb_cli.base.atomic import lock_path, locked

    root = git_store({AGENCY_REL: AGENCY})
    with locked(root) as path:
        with locked(root):  # the same process may take it again (edit.write inside a command)
            pass
    assert path == lock_path(root) == root / ".git" / "kscb.lock"
    assert git(root, "status", "--porcelain") == ""  # never an untracked file in the store


def test_new_and_init_take_the_lock(make_store, cli, tmp_path):
    root = make_store({AGENCY_REL: AGENCY})
    holder = _lock_holder(root)
    try:
        r = cli(
            "new",
            "training",
            "--title",
            "Neglect training",
            "--no-input",
            cwd=root,
            env={**ENV, "KSCB_LOCK_TIMEOUT": "0.2"},
        )
        assert r.code == 2 and "another kscb command" in r.err
        assert not list((root / "records").glob("training/*.yaml"))
    finally:
        holder.kill()
        holder.communicate()
    assert cli("new", "training", "--title", "Neglect training", "--no-input", cwd=root, env=ENV).code == 0
    made = tmp_path / "fresh"
    assert cli("init", str(made), "--no-input", "--no-hook").code == 0
    assert ".kscb.lock" in (made / ".gitignore").read_text().splitlines()


# --- 2. edits that respect the file and the store -------------------------------------------------


def test_a_symlinked_record_is_edited_through_the_link(make_store, cli):
    root = make_store({"drafts/WYP.yaml": AGENCY})
    link = root / AGENCY_REL
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(root / "drafts" / "WYP.yaml", link)
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 0, r.err
    assert link.is_symlink(), "the link was replaced by a copy"
    assert "status: inactive" in (root / "drafts" / "WYP.yaml").read_text()


def test_a_symlink_out_of_the_store_is_not_edited(make_store, cli, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(AGENCY)
    root = make_store({})
    (root / "records" / "agencies").mkdir(parents=True)
    os.symlink(outside, root / AGENCY_REL)
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 2 and "outside the store" in r.err
    assert outside.read_text() == AGENCY


def test_a_records_folder_that_is_a_symlink_out_of_the_store_gets_F009(tmp_path, cli):
    from conftest import write_store

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "agencies").mkdir(parents=True)
    (elsewhere / "agencies" / "WYP.yaml").write_text(AGENCY)
    root = write_store(tmp_path / "store", {})
    (root / "records").rmdir()
    os.symlink(elsewhere, root / "records")
    r = cli("lint", "--format", "json", cwd=root)
    diags = json.loads(r.out)["diagnostics"]
    assert [(d["code"], d["path"]) for d in diags] == [("F009", "records")]
    assert r.code == 1


def test_mixed_line_endings_change_only_the_edited_line(make_store, cli):
    root = make_store({})
    path = root / AGENCY_REL
    path.parent.mkdir(parents=True)
    lines = AGENCY.splitlines()
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))
    path.write_bytes(mixed.encode())
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 0, r.err
    expected = mixed.replace("status: active", "status: inactive")
    assert path.read_bytes() == expected.encode()


def test_tabs_that_lint_accepts_do_not_break_set(make_store, cli):
    text = AGENCY.replace("title: ", "title:\t").replace(
        "safeguarding_partner: true", "safeguarding_partner: true\t# agreed"
    )
    root = make_store({AGENCY_REL: text})
    assert cli("lint", cwd=root, env=ENV).code == 0
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 0, r.err
    assert (root / AGENCY_REL).read_text() == text.replace("status: active", "status: inactive")


def test_a_read_only_record_is_refused_not_replaced(make_store, cli):
    root = make_store({AGENCY_REL: AGENCY})
    path = root / AGENCY_REL
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        inode = path.stat().st_ino
        r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
        assert r.code == 2 and "read-only" in r.err
        assert path.read_text() == AGENCY and path.stat().st_ino == inode
    finally:
        path.chmod(0o644)


def test_a_read_only_record_is_refused_even_for_root(make_store, monkeypatch):
    """The check itself (os.access), whoever runs the tests."""
    from kscb_cli.base import atomic
    from kscb_cli.base.errors import KscbError

    root = make_store({AGENCY_REL: AGENCY})
    monkeypatch.setattr(atomic.os, "access", lambda p, mode: False)
    with pytest.raises(KscbError, match="read-only"):
        atomic.write_text(root / AGENCY_REL, "changed\n")
    assert (root / AGENCY_REL).read_text() == AGENCY


def test_renaming_an_item_others_reference_is_refused(make_store, cli):
    root = make_store(store_records(2))
    before = (root / REVIEW_REL).read_bytes()
    r = cli("set", "LCSPR-2025-001#R1", "id=R9", cwd=root, env=ENV)
    assert r.code == 2
    assert "LCSPR-2025-001#R1 is referenced by other records" in r.err
    assert "records/action-plans/AP-LCSPR-2025-001.yaml:" in r.err
    assert (root / REVIEW_REL).read_bytes() == before
    # an item nobody points at can be renamed
    assert cli("set", "AP-LCSPR-2025-001#A2", "id=A7", cwd=root, env=ENV).code == 0


def test_a_huge_value_is_refused_before_anything_is_parsed(make_store, cli, monkeypatch):
    import kscb_cli.editing.edit as edit

    root = make_store({AGENCY_REL: AGENCY})

    def never(*a, **k):
        raise AssertionError("the value was parsed before its size was checked")

    monkeypatch.setattr(edit, "parse_value", never)
    r = cli("set", "WYP", "notes=" + "word " * 2_000_000, cwd=root, env=ENV)
    assert r.code == 2 and "MB" in r.err and "more than a whole record file" in r.err
    assert (root / AGENCY_REL).read_text() == AGENCY


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "y"])
def test_yaml11_booleans_written_as_text_are_quoted(make_store, cli, word):
    import yaml

    root = make_store({AGENCY_REL: AGENCY})
    r = cli("set", "WYP", f"notes={word}", cwd=root, env=ENV)
    assert r.code == 0, r.err
    text = (root / AGENCY_REL).read_text()
    assert f'notes: "{word}"' in text
    assert yaml.load(text, Loader=yaml.SafeLoader)["notes"] == word  # YAML 1.1 readers see text too


def test_new_quotes_yaml11_booleans(make_store, cli):
    root = make_store({AGENCY_REL: AGENCY})
    r = cli("new", "training", "--title", "yes", "--no-input", cwd=root, env=ENV)
    assert r.code == 0, r.err
    made = root / r.out.strip()
    assert 'title: "yes"' in made.read_text()


# --- 3. rendering cannot be turned against its reader ---------------------------------------------

BRIEFING = """\
kind: briefing
id: 7MB-2025-004
title: Seven minute briefing
status: published
classification: public
workstream: ld
format: seven_minute
sources: [LCSPR-2025-001]
audience: All practitioners
sections:
  - {heading: Background, body: "Read [the guidance](javascript&#58;alert(1)) and [more](&#106;avascript:alert(2)) or [ok](https://example.org/ok). ![pixel](https://tracker.example/p.gif)"}
"""


def test_a_symlinked_store_template_is_refused(make_store, cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE\n")
    root = make_store({AGENCY_REL: AGENCY})
    (root / "templates").mkdir()
    os.symlink(secret, root / "templates" / "action-tracker.md.j2")
    r = cli("render", "action-tracker", cwd=root, env=ENV)
    assert r.code == 2 and "symbolic link" in r.err
    assert "TOP SECRET" not in r.out + r.err
    # the whole templates/ folder as a link out of the store
    os.unlink(root / "templates" / "action-tracker.md.j2")
    (root / "templates").rmdir()
    other = tmp_path / "other-templates"
    other.mkdir()
    (other / "action-tracker.md.j2").write_text("{{ 1 }} TOP SECRET\n")
    os.symlink(other, root / "templates")
    r = cli("render", "action-tracker", cwd=root, env=ENV)
    assert r.code == 2 and "TOP SECRET" not in r.out


def test_links_allow_only_http_https_and_mailto():
    from kscb_cli.privacy.linksafe import safe_links

    md = (
        "[a](javascript:alert(1)) [b](&#106;avascript:x) [c](javascript&#58;x) [d](JAVASCRIPT:x) "
        "[e](data:text/html;base64,xx) [f](vbscript:x) [g](java&#x09;script:x) [h](<javascript:x>) "
        "[ok1](https://example.org/a_(b)) [ok2](mailto:team@example.invalid) [ok3](#top) [ok4](http://example.org)\n"
        '[ref]: javascript:alert(1)\n<javascript:alert(1)> <a href="&#x6A;avascript:x">x</a>\n'
    )
    out = safe_links(md)
    assert (
        "javascript" not in out.lower().replace("\\<javascript", "").replace("\\>", "")
        or "](javascript" not in out.lower()
    )
    for bad in (
        "](javascript",
        "](&#106;",
        "](javascript&#58;",
        "](data:",
        "](vbscript",
        "(<javascript",
        'href="&#x6a;',
    ):
        assert bad not in out.lower()
    assert "[ref]: <>" in out and "\\<javascript:alert(1)\\>" in out and 'href="#"' in out
    for ok in (
        "[ok1](https://example.org/a_(b))",
        "[ok2](mailto:team@example.invalid)",
        "[ok3](#top)",
        "[ok4](http://example.org)",
    ):
        assert ok in out
    assert out.startswith("a b c d e f g h ")  # a refused link keeps its text


def test_public_render_drops_outside_images_and_script_links(make_store, cli):
    root = make_store({**store_records(1), "records/briefings/7MB-2025-004.yaml": BRIEFING})
    r = cli("render", "seven-minute-briefing", "7MB-2025-004", "--audience", "public", cwd=root, env=ENV)
    if r.code != 0 and "public" in r.err:
        pytest.skip(f"the briefing is not renderable publicly in this store: {r.err}")
    assert r.code == 0, r.err
    assert "javascript" not in r.out.lower()
    assert "tracker.example" not in r.out
    assert "[ok](https://example.org/ok)" in r.out


def test_kscb_yaml_labels_are_scanned(make_store, cli):
    from conftest import MINIMAL_CONFIG

    config = MINIMAL_CONFIG.replace("ee: Evaluation and Effectiveness", f"ee: {DENIED} team")
    root = make_store({AGENCY_REL: AGENCY, "private/denylist.txt": DENIED + "\n"}, config=config)
    r = cli("lint", "--format", "json", cwd=root, env=ENV)
    diags = json.loads(r.out)["diagnostics"]
    assert [(d["code"], d["path"]) for d in diags] == [("T002", "kscb.yaml")]
    assert DENIED.lower() not in (r.out + r.err).lower()
    r = cli("render", "action-tracker", "--audience", "public", cwd=root, env=ENV)
    assert r.code == 1 and "kscb.yaml workstreams.ee" in r.err
    assert DENIED.lower() not in (r.out + r.err).lower()


def test_a_render_has_a_size_limit(make_store, cli, monkeypatch):
    import kscb_cli.reporting.render as render

    root = make_store({AGENCY_REL: AGENCY})
    (root / "templates").mkdir()
    (root / "templates" / "action-tracker.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxxxx{% endfor %}{% endfor %}\n"
    )
    monkeypatch.setattr(render, "MAX_OUTPUT", 200_000)
    r = cli("render", "action-tracker", cwd=root, env=ENV)
    assert r.code == 2 and "was stopped" in r.err and r.out == ""


# --- 4. the guard sees every staged file ---------------------------------------------------------


def _repo(tmp_path, cli, deny: str = DENIED):
    root = tmp_path / "store"
    assert cli("init", str(root), "--no-input", "--no-hook").code == 0
    (root / "private" / "denylist.txt").write_text(deny + "\n")  # git-ignored: init's own first commit is the base
    return root


def test_guard_scans_text_files_outside_records(tmp_path, cli):
    root = _repo(tmp_path, cli)
    (root / "notes.txt").write_text(f"Spoke to the family, NHS {NHS}.\n")
    (root / "docs").mkdir()
    (root / "docs" / "minutes.md").write_text(f"Minutes: {DENIED.upper()} attended.\n")
    (root / "records" / "agencies" / "notes.txt").write_text("rowan\u00a0quillfeather\n")
    git(root, "add", "-A")
    r = cli("guard", "--format", "json", cwd=root, env=ENV)
    assert r.code == 1
    found = {(d["path"], d["code"]) for d in json.loads(r.out)["diagnostics"]}
    assert found == {("notes.txt", "P001"), ("docs/minutes.md", "P002"), ("records/agencies/notes.txt", "P002")}
    assert NHS not in r.out + r.err and "quillfeather" not in (r.out + r.err).lower()


def test_guard_refuses_binary_files_in_records(tmp_path, cli):
    root = _repo(tmp_path, cli)
    (root / "records" / "reviews" / "report.docx").write_bytes(b"PK\x03\x04\x00\x00binary\x00")
    git(root, "add", "-A")
    r = cli("guard", "--format", "json", cwd=root, env=ENV)
    assert r.code == 1
    assert [(d["path"], d["code"]) for d in json.loads(r.out)["diagnostics"]] == [
        ("records/reviews/report.docx", "T003")
    ]


def test_guard_checks_file_and_folder_names(tmp_path, cli):
    root = _repo(tmp_path, cli)
    (root / "records" / "agencies" / f"{NHS}.yaml").write_text(AGENCY.replace("id: WYP", f'id: "{NHS}"'))
    folder = root / "docs" / "rowan_quillfeather"
    folder.mkdir(parents=True)
    (folder / "plan.txt").write_text("Nothing here.\n")
    git(root, "add", "-A")
    r = cli("guard", "--format", "json", cwd=root, env=ENV)
    assert r.code == 1
    diags = json.loads(r.out)["diagnostics"]
    assert {d["code"] for d in diags} >= {"T004"}
    assert {d["path"] for d in diags if d["code"] == "T004"} == {
        "records/agencies/943 *** ****.yaml",
        "docs/[deny-listed]/plan.txt",
    }
    assert NHS not in r.out + r.err and "quillfeather" not in (r.out + r.err).lower()


@pytest.mark.parametrize(
    "written",
    [
        "Rowan  Quillfeather",  # two spaces
        "ROWAN QUILLFEATHER",  # case
        "Rowan\u00a0Quillfeather",  # a non-breaking space
        "Rowan\u200b Quill\u200dfeather",  # zero-width characters
        "Ｒｏｗａｎ Ｑｕｉｌｌｆｅａｔｈｅｒ",  # full-width letters (NFKC)
        "Rоwan Quillfeather",  # a Cyrillic о
        "Rowan\n    Quillfeather",  # folded over a line break
    ],
)
def test_denylist_matching_cannot_be_dodged(written):
    from kscb_cli.privacy.mask import DenyList

    deny = DenyList(["# names", DENIED])
    text = f"Met with {written} today."
    m = deny.search(text)
    assert m is not None, written
    assert m.line == 2
    assert text[m.start() : m.end()] == written


def test_lint_finds_disguised_denylisted_terms(make_store, cli):
    notes = 'notes: "Met ROWAN\\u00a0Quill\\u200bfeather and \\uff32owan Quillfeather"\nsummary_note: >-\n  Spoke to Rowan\n  Quillfeather again.\n'
    root = make_store({AGENCY_REL: AGENCY + notes, "private/denylist.txt": DENIED + "\n"})
    r = cli("lint", "--format", "json", cwd=root, env=ENV)
    p002 = [d for d in json.loads(r.out)["diagnostics"] if d["code"] == "P002"]
    assert sorted(d["message"].split(" contains")[0] for d in p002) == ["field notes", "field summary_note"], r.out
    assert "quillfeather" not in r.out.lower()


def test_denylist_is_still_whole_word():
    from kscb_cli.privacy.mask import DenyList

    assert DenyList(["Rowan"]).search("Rowanberry jam") is None


# --- 5. nothing identifying is echoed --------------------------------------------------------------


def test_diagnostics_that_quote_a_value_are_masked_in_every_format(make_store, cli):
    text = AGENCY + f"{NHS}: x\nsector_note: {DENIED}\n"
    text = text.replace("sector: police", f"sector: {DENIED}")
    root = make_store({AGENCY_REL: text, "private/denylist.txt": DENIED + "\n"})
    for fmt in ("text", "json", "github"):
        r = cli("lint", "--format", fmt, cwd=root, env=ENV)
        assert r.code == 1
        both = r.out + r.err
        assert NHS not in both, fmt
        assert DENIED.lower() not in both.lower(), fmt
        assert "S001" in both


def test_error_messages_and_paths_are_masked(make_store, cli):
    root = make_store({AGENCY_REL: AGENCY, "private/denylist.txt": DENIED + "\n"})
    r = cli("set", NHS, "status=inactive", cwd=root, env=ENV)
    assert r.code == 2 and NHS not in r.err and "943 *** ****" in r.err
    r = cli("show", "Rowan-Quillfeather", cwd=root, env=ENV)
    assert r.code == 2 and "quillfeather" not in r.err.lower()


def test_history_and_changes_mask_old_versions_and_commit_messages(git_store, cli):
    root = git_store({AGENCY_REL: AGENCY})
    (root / "private").mkdir()
    (root / "private" / "denylist.txt").write_text(DENIED + "\n")
    (root / AGENCY_REL).write_text(AGENCY + f"notes: Called {DENIED} on {NHS}\n")
    git(root, "commit", "-qam", f"Notes after call with {DENIED} ({NHS})")
    (root / AGENCY_REL).write_text(AGENCY + "notes: Called the family\n")
    git(root, "commit", "-qam", "Remove the name")
    for fmt in ("text", "json", "markdown"):
        r = cli("history", "WYP", "--format", fmt, cwd=root, env=ENV)
        assert r.code == 0, r.err
        assert NHS not in r.out and DENIED.lower() not in r.out.lower(), fmt
        assert "[deny-listed]" in unescaped(r.out) or fmt == "text" and "Notes after call with [deny-listed]" in r.out
        r = cli("changes", "--since", "2000-01-01", "--format", fmt, cwd=root, env=ENV)
        assert r.code == 0, r.err
        assert NHS not in r.out and DENIED.lower() not in r.out.lower(), fmt


def test_history_and_changes_mask_a_person_name_no_list_holds(git_store, cli):
    """Issue 10: a name that got into an old version (and its commit message) is masked by the
    name detector, not only by the deny-list, in history and changes."""
    root = git_store({AGENCY_REL: AGENCY})
    (root / AGENCY_REL).write_text(AGENCY + "notes: Child A was seen by Dr Sarah Mitchell on the ward\n")
    git(root, "commit", "-qam", "Notes after the visit by Dr Sarah Mitchell")
    (root / AGENCY_REL).write_text(AGENCY + "notes: Child A was seen by the paediatrician on the ward\n")
    git(root, "commit", "-qam", "Remove the name")
    for fmt in ("text", "json", "markdown"):
        for args in (["history", "WYP"], ["changes", "--since", "2000-01-01"]):
            r = cli(*args, "--format", fmt, cwd=root, env=ENV)
            assert r.code == 0, r.err
            assert "Mitchell" not in r.out and "Sarah" not in r.out, (args, fmt)
            assert "D***" in unescaped(r.out) or fmt == "json" or args[0] == "changes", (args, fmt, r.out)


# --- 6. terminal safety ---------------------------------------------------------------------------

HOSTILE = AGENCY.replace("title: West Testshire Police", 'title: "West\\e]0;owned\\a Testshire\\e[2J\\r\\x9b Police"')


def test_control_characters_are_escaped_in_human_formats(make_store, cli):
    root = make_store({AGENCY_REL: HOSTILE})
    for args in (
        ["show", "WYP"],
        ["list", "agency"],
        ["list", "agency", "--format", "markdown"],
        ["actions"],
        ["lint"],
    ):
        r = cli(*args, cwd=root, env=ENV)
        both = r.out + r.err
        assert "West" in both or args[0] in ("actions", "lint"), (args, r.err)
        assert "\x1b" not in both and "\x07" not in both and "\r" not in both and "\x9b" not in both, args
    r = cli("show", "WYP", cwd=root, env=ENV)
    assert "\\u001b]0;owned\\u0007" in r.out


def test_machine_formats_stay_exact(make_store, cli):
    root = make_store({AGENCY_REL: HOSTILE})
    title = "West\x1b]0;owned\x07 Testshire\x1b[2J\r\x9b Police"
    r = cli("show", "WYP", "--format", "json", cwd=root, env=ENV)
    assert json.loads(r.out)["fields"]["title"] == title  # valid JSON, and the value exactly as in the record
    r = cli("list", "agency", "--format", "json", cwd=root, env=ENV)
    assert json.loads(r.out)["agency"][0]["title"] == title
    import csv
    import io

    r = cli("list", "agency", "--format", "csv", cwd=root, env=ENV)
    rows = list(csv.reader(io.StringIO(r.out, newline="")))
    assert rows[1][:2] == ["WYP", title]  # CSV cells are data: written exactly, and read back whole


def test_control_characters_in_commit_messages_and_file_names_are_escaped(git_store, cli):
    root = git_store({AGENCY_REL: AGENCY})
    (root / AGENCY_REL).write_text(AGENCY + "notes: changed\n")
    git(root, "commit", "-qam", "Routine\x1b[2J\x1b]0;owned\x07 message")
    r = cli("history", "WYP", cwd=root, env=ENV)
    assert r.code == 0 and "\x1b" not in r.out and "\x07" not in r.out
    assert "Routine\\u001b[2J" in r.out
    evil = root / "records" / "agencies" / "X\x1b[31m.yaml"
    evil.write_text(AGENCY.replace("WYP", "XYZ"))
    r = cli("lint", cwd=root, env=ENV)
    assert "\x1b" not in r.out + r.err and "X\\u001b[31m.yaml" in r.out


def test_render_to_a_terminal_is_escaped(make_store, cli):
    records = store_records(1)
    records[PLAN_REL] = records[PLAN_REL].replace("action: Action number 1.", 'action: "Action\\e[2J number\\a one"')
    root = make_store(records)
    r = cli("render", "action-tracker", cwd=root, env=ENV)
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x07" not in r.out and "Action\\u001b" in r.out and "number\\u0007 one" in r.out


def test_the_set_summary_is_escaped(make_store, cli):
    root = make_store({AGENCY_REL: AGENCY})
    r = cli("set", "WYP", "notes=bad\x1b[2Jnews", cwd=root, env=ENV)
    assert "\x1b" not in r.err and "bad\\u001b[2Jnews" in r.err


def test_escape_leaves_tabs_and_newlines_and_is_json_compatible():
    from kscb_cli.reporting.terminal import escape

    assert escape("a\tb\nc") == "a\tb\nc"
    assert json.loads('"' + escape("x\x9by") + '"') == "x\x9by"


# --- 7. git edge cases ----------------------------------------------------------------------------


def test_edits_made_in_a_merge_commit_appear_in_history_and_changes(git_store, cli):
    root = git_store({AGENCY_REL: AGENCY})
    git(root, "checkout", "-q", "-b", "other")
    (root / AGENCY_REL).write_text(AGENCY.replace("status: active", "status: inactive"))
    git(root, "commit", "-qam", "Inactive on a branch")
    git(root, "checkout", "-q", "main")
    (root / AGENCY_REL).write_text(AGENCY + "notes: main line\n")
    git(root, "commit", "-qam", "A note on main")
    subprocess.run(["git", "merge", "-q", "--no-commit", "--no-ff", "other"], cwd=root, capture_output=True)
    # an edit of our own while merging, committed with the merge
    (root / AGENCY_REL).write_text(
        AGENCY.replace("status: active", "status: inactive") + "notes: settled in the merge\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-edit", "-m", "Merge other")
    assert len(git(root, "log", "-1", "--format=%P").split()) == 2, "the last commit is a merge"
    assert git(root, "status", "--porcelain") == ""
    r = cli("history", "WYP", "--format", "json", cwd=root, env=ENV)
    assert r.code == 0, r.err
    versions = json.loads(r.out)["versions"]
    assert all(v["commit"] is not None for v in versions), "a clean tree has no uncommitted version"
    merge = next((v for v in versions if v["message"] == "Merge other"), None)
    assert merge is not None, "the merge's own edit is missing from the history"
    assert "notes" in json.dumps(merge["changes"]) and "inactive" in json.dumps(merge["changes"])
    r = cli("changes", "--since", "2000-01-01", "--format", "json", cwd=root, env=ENV)
    assert r.code == 0, r.err
    assert "Merge other" in r.out or json.loads(r.out)["commits"] >= 3


def test_history_of_an_old_id_points_to_the_new_one(git_store, cli):
    root = git_store({AGENCY_REL: AGENCY})
    new = root / "records" / "agencies" / "WTP.yaml"
    git(root, "mv", AGENCY_REL, "records/agencies/WTP.yaml")
    new.write_text(AGENCY.replace("id: WYP", "id: WTP"))
    git(root, "commit", "-qam", "Rename WYP to WTP")
    r = cli("history", "WYP", "--format", "json", cwd=root, env=ENV)
    assert r.code == 0, r.err
    assert "renamed to WTP" in r.err
    doc = json.loads(r.out)
    assert doc["renamed_to"] == "WTP" and doc["path"] == "records/agencies/WTP.yaml"
    assert [v["message"] for v in doc["versions"]] == ["Rename WYP to WTP", "Initial records"]


# --- 8. exit codes say whose fault it is --------------------------------------------------------


def test_render_out_into_an_unwritable_folder_is_exit_2(make_store, cli, tmp_path):
    root = make_store({AGENCY_REL: AGENCY})
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir()
    locked_dir.chmod(0o500)
    try:
        if os.access(locked_dir, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        r = cli("render", "action-tracker", "--out", str(locked_dir / "t.md"), cwd=root, env=ENV)
        assert r.code == 2, r.err
        assert "permission" in r.err.lower() and "internal error" not in r.err
    finally:
        locked_dir.chmod(0o700)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(28, "No space left on device", "records/agencies/WYP.yaml"), "free some space"),
        (PermissionError(13, "Permission denied", "records/agencies"), "permissions"),
        (IsADirectoryError(21, "Is a directory", "out"), "folder"),
    ],
)
def test_environment_errors_are_exit_2_with_the_fix(make_store, cli, monkeypatch, error, words):
    import kscb_cli.base.atomic as atomic

    root = make_store({AGENCY_REL: AGENCY})

    def fail(*a, **k):
        raise error

    monkeypatch.setattr(atomic.tempfile, "mkstemp", fail)
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 2, r.err
    assert words in r.err and "internal error" not in r.err
    assert (root / AGENCY_REL).read_text() == AGENCY


def test_init_where_the_folder_cannot_be_made_is_exit_2(tmp_path, cli):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    r = cli("init", str(blocker / "store"), "--no-input", "--no-hook")
    assert r.code == 2, r.err
    assert "internal error" not in r.err and "not a folder" in r.err.lower() or "path" in r.err


def test_ctrl_c_says_interrupted(make_store, cli, monkeypatch):
    import kscb_cli.store.store as store

    root = make_store({AGENCY_REL: AGENCY})

    def interrupt(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.Store, "open", classmethod(interrupt))
    r = cli("set", "WYP", "status=inactive", cwd=root, env=ENV)
    assert r.code == 130 and r.err.strip().endswith("kscb: interrupted")


def test_ctrl_c_on_a_real_process(make_store):
    import signal

    root = make_store({AGENCY_REL: AGENCY})
    # a writer waiting for the lock is a process that is certainly still running when the signal comes
    holder = _lock_holder(root)
    try:
        proc = subprocess.Popen(
            [*kscb_command(), "set", "WYP", "status=inactive"],
            cwd=root,
            env={**os.environ, **ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Ctrl-C as a terminal sends it, even where this suite runs in the background: a shell
            # without job control starts background commands ignoring SIGINT, and so would kscb be
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        lock = root / ".kscb.lock"
        started = time.monotonic()
        deadline = started + 60
        while time.monotonic() < deadline and proc.poll() is None and not _has_open(proc.pid, lock):
            time.sleep(0.1)
        waited = (time.monotonic() - started, proc.poll(), holder.poll())  # said if it fails: why
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, (err, waited)
        assert "kscb: interrupted" in err and "Traceback" not in err
        assert lock.exists()
    finally:
        holder.kill()
        holder.communicate()


def _has_open(pid: int, path: Path) -> bool:
    """Whether the process has `path` open (it is waiting for the lock, well inside kscb's own code)."""
    fds = Path(f"/proc/{pid}/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc to see when the process is waiting")
    try:
        return any(os.readlink(fd) == str(path) for fd in fds.iterdir())
    except OSError:
        return False
