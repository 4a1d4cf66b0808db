"""The answer cache (cli/answers.py): a query asked again of an unchanged store is replayed exactly.

Every test runs the real `kscb` program in a subprocess on a store in a temporary folder,
with the cache in the test's own home (conftest.isolated), and checks the answer against a
run with the cache off: a replayed answer is never stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import AGENCY, git, kscb_command

from kscb_cli.cli import answers

SECOND_AGENCY = AGENCY.replace("id: WYP", "id: NHS").replace("West Testshire Police", "Testshire ICB")
SECOND_AGENCY = SECOND_AGENCY.replace("sector: police", "sector: health")


def age(root: Path, seconds: int = 60) -> None:
    """Every file and folder under `root` last changed `seconds` ago (older than the racy window)."""
    when = time.time() - seconds
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), (when, when))


def kscb(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "KSCB_TODAY": "2026-01-15", **env}
    return subprocess.run([*kscb_command(), *args], cwd=root, env=environ, capture_output=True, text=True)


def kept() -> list[str]:
    where = Path(answers.folder())
    return sorted(p.name for p in where.glob("*.json")) if where.exists() else []


def same(a: subprocess.CompletedProcess[str], b: subprocess.CompletedProcess[str]) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_an_unchanged_store_is_answered_from_the_cache_exactly(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    first = kscb(root, "list", "agencies", "--format", "json")
    assert first.returncode == 0 and "WYP" in first.stdout
    assert len(kept()) == 1
    second = kscb(root, "list", "agencies", "--format", "json")
    same(first, second)
    same(second, kscb(root, "list", "agencies", "--format", "json", KSCB_NO_CACHE="1"))
    assert len(kept()) == 1  # the second run was a replay, not a new answer


def test_an_edited_added_or_removed_record_is_answered_afresh(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    kscb(root, "list", "agencies")
    path = root / "records/agencies/WYP.yaml"
    path.write_text(AGENCY.replace("West Testshire Police", "West Testshire Constabulary"), encoding="utf-8")
    age(root)
    edited = kscb(root, "list", "agencies")
    assert "Constabulary" in edited.stdout
    same(edited, kscb(root, "list", "agencies", KSCB_NO_CACHE="1"))
    (root / "records/agencies/NHS.yaml").write_text(SECOND_AGENCY, encoding="utf-8")
    age(root)
    assert "NHS" in kscb(root, "list", "agencies").stdout
    path.unlink()
    age(root)
    assert "WYP" not in kscb(root, "list", "agencies").stdout


def test_today_the_options_the_config_and_the_deny_list_are_in_the_key(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    for variant in (
        kscb(root, "list", "agencies", "--format", "json"),
        kscb(root, "list", "agencies", "--format", "csv"),
        kscb(root, "list", "agencies", "--format", "json", KSCB_TODAY="2026-02-01"),
    ):
        assert variant.returncode == 0
    assert len(kept()) == 3
    config = root / "kscb.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("Testshire Safeguarding", "Testshire Children"))
    (root / "private").mkdir()
    (root / "private/denylist.txt").write_text("Testshire\n", encoding="utf-8")
    age(root)
    again = kscb(root, "list", "agencies", "--format", "json")
    same(again, kscb(root, "list", "agencies", "--format", "json", KSCB_NO_CACHE="1"))
    assert len(kept()) == 4  # the key moved: a fourth answer


def test_a_commit_changes_the_answer_of_today(make_store):
    """`kscb today` reports the files changed since the last commit: git's HEAD and index are in the key."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    git(root, "init", "-q", "-b", "main")
    age(root)
    before = kscb(root, "today")
    assert before.returncode in (0, 1)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the police")
    age(root)
    after = kscb(root, "today")
    same(after, kscb(root, "today", KSCB_NO_CACHE="1"))
    assert after.stdout != before.stdout


def test_a_file_changed_within_two_seconds_is_not_kept(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    (root / "records/agencies/WYP.yaml").touch()
    kscb(root, "list", "agencies")
    assert kept() == []


def test_errors_and_writes_are_never_kept(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    missing = kscb(root, "show", "NO-SUCH-ID")
    assert missing.returncode == 2
    assert kept() == []
    assert not answers.cacheable(["set", "WYP", "title", "Police"])
    assert not answers.cacheable(["save", "-m", "x"])
    assert not answers.cacheable(["set", "WYP", "--title", "--help"])  # --help could be a value
    assert not answers.cacheable(["lint", "--no-cache"])  # asked to work afresh
    assert not answers.cacheable(["guard"])
    assert answers.cacheable(["set", "--help"]) and answers.cacheable([]) and answers.cacheable(["--version"])


def test_help_is_kept_and_replayed(tmp_path):
    first = kscb(tmp_path, "--help")
    assert first.returncode == 0 and "Usage" in first.stdout
    same(first, kscb(tmp_path, "--help"))
    same(first, kscb(tmp_path, "--help", KSCB_NO_CACHE="1"))
    assert len(kept()) == 1


def test_a_replay_imports_neither_typer_nor_pydantic(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    first = kscb(root, "list", "agencies")
    probe = (
        "import sys; from kscb_cli.cli import answers\n"
        "def run(argv): raise SystemExit('ran the command: not a replay')\n"
        "status = answers.answer(['list', 'agencies'], run)\n"
        "heavy = sorted(m for m in ('typer', 'pydantic', 'yaml', 'kscb_cli.cli.main') if m in sys.modules)\n"
        "sys.stderr.write(repr((status, heavy)))\n"
    )
    environ = {**os.environ, "KSCB_TODAY": "2026-01-15"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=root, env=environ, capture_output=True, text=True)
    assert result.stdout == first.stdout
    assert result.stderr == first.stderr + repr((0, []))


def test_bytes_written_past_the_copy_are_never_kept(make_store, monkeypatch):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    monkeypatch.chdir(root)

    def run(argv: list[str]) -> int:
        sys.stdout.buffer.write(b"")  # as a document written to stdout would
        return 0

    assert answers.answer(["list", "agencies"], run) == 0
    assert kept() == []


def test_a_damaged_answer_is_ignored_and_replaced(make_store):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    first = kscb(root, "list", "agencies")
    (name,) = kept()
    path = Path(answers.folder(), name)
    good = path.read_bytes()
    digest, _, payload = good.partition(b"\n")
    assert json.loads(payload)["status"] == 0
    for damaged in (
        b"{not json",
        good[: len(good) // 2],  # a half copy
        good.replace(b"WYP", b"WYQ"),  # a changed byte
        good.replace(b"Police", b"Polite"),
    ):
        path.write_bytes(damaged)
        same(first, kscb(root, "list", "agencies"))
        assert path.read_bytes() == good
    # well-formed JSON of the wrong shape, with its digest right: no traceback, no half replay
    for wrong in (
        {"key": name[:-5], "chunks": [[3, "x"]], "status": 0},
        {"key": name[:-5], "chunks": [[1, 5]], "status": 0},
        {"key": name[:-5], "chunks": "ab", "status": 0},
        {"key": name[:-5], "chunks": [], "status": "x"},
        {"key": name[:-5], "chunks": [], "status": None},
        {"key": "another", "chunks": [[1, "stale"]], "status": 0},
        [1],
    ):
        text = json.dumps(wrong).encode("ascii")
        path.write_bytes(hashlib.sha256(text).hexdigest().encode("ascii") + b"\n" + text)
        same(first, kscb(root, "list", "agencies"))
        assert path.read_bytes() == good


def test_shell_completion_is_never_kept_nor_replayed(make_store):
    """A completion request runs `kscb` with no arguments and the words typed so far in the
    environment (_KSCB_COMPLETE, COMP_WORDS): it was kept under the key of `kscb` alone, so
    every later TAB replayed the first one's candidates."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)

    def complete(words: str) -> subprocess.CompletedProcess[str]:
        return kscb(root, _KSCB_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD="1")

    first = complete("kscb li")
    assert first.returncode == 0 and "list" in first.stdout.split()
    second = complete("kscb sh")
    assert "show" in second.stdout.split() and "list" not in second.stdout.split()
    same(second, kscb(root, _KSCB_COMPLETE="complete_bash", COMP_WORDS="kscb sh", COMP_CWORD="1", KSCB_NO_CACHE="1"))
    assert kept() == []


def test_a_gitignore_change_changes_the_answer_of_today(make_store):
    """`kscb today` lists the record files git reports as new: a file newly ignored in the
    store's .gitignore (outside records/) must drop off the page, not be replayed."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the police")
    (root / "records/agencies/NHS.yaml").write_text(SECOND_AGENCY, encoding="utf-8")
    age(root)
    git(root, "status", "--porcelain")  # git settles its index after the files' times moved
    age(root / ".git", 30)  # the index newer than every file: git has no racy entry to look at again
    before = kscb(root, "today")
    assert "records/agencies/NHS.yaml" in before.stdout and len(kept()) == 1
    ignore = root / ".gitignore"
    ignore.write_text("records/agencies/NHS.yaml\n", encoding="utf-8")
    os.utime(ignore, (time.time() - 60,) * 2)  # nothing else the key holds has changed
    after = kscb(root, "today")
    same(after, kscb(root, "today", KSCB_NO_CACHE="1"))
    assert "records/agencies/NHS.yaml" not in after.stdout


def test_an_edit_that_keeps_size_and_time_changes_the_answer(make_store):
    """`rsync -t`, `cp -p` or an unzip can change a record and keep its size and mtime: git
    still sees it (its inode and change time moved), so `kscb today` lists it as modified;
    the replay did not."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the police")
    age(root)
    git(root, "status", "--porcelain")  # git settles its index after the files' times moved
    age(root / ".git", 30)
    before = kscb(root, "today")
    assert "WYP.yaml" not in before.stdout and len(kept()) == 1
    path = root / "records/agencies/WYP.yaml"
    st = path.stat()
    copy = path.with_name("copy.tmp")  # a copy put in place, as rsync and many editors do
    copy.write_text(AGENCY.replace("West Testshire Police", "East Testshire Police"), encoding="utf-8")
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    after = kscb(root, "today")
    same(after, kscb(root, "today", KSCB_NO_CACHE="1"))
    assert "modified  records/agencies/WYP.yaml" in after.stdout


def test_links_to_folders_are_not_followed(make_store):
    """Two links to the records folder inside it: the store skips them, but the key's walk
    followed them, down 2**40 paths, and the command never answered."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    (root / "records/loop").symlink_to("..")
    (root / "records/agencies/again").symlink_to("..")
    age(root)
    environ = {**os.environ, "KSCB_TODAY": "2026-01-15"}
    command = [*kscb_command(), "list", "agencies"]
    first = subprocess.run(command, cwd=root, env=environ, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and "WYP" in first.stdout
    same(first, kscb(root, "list", "agencies"))
    same(first, kscb(root, "list", "agencies", KSCB_NO_CACHE="1"))
    assert len(kept()) == 1


def test_a_library_installed_or_upgraded_answers_afresh(make_store, tmp_path):
    """click and typer format the help and holidays names the bank holidays: an upgrade of
    one (a new *.dist-info folder in site-packages) must not replay the old version's answer."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    site = tmp_path / "lib" / "site-packages"
    site.mkdir(parents=True)
    age(root)
    age(site.parent)
    program = f"import sys; sys.path.append({str(site)!r}); from kscb_cli.cli.entry import main; main()"
    environ = {**os.environ, "KSCB_TODAY": "2026-01-15"}

    def run() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", program, "deadlines"]
        return subprocess.run(command, cwd=root, env=environ, capture_output=True, text=True)

    first = run()
    assert first.returncode == 0 and len(kept()) == 1
    same(first, run())
    assert len(kept()) == 1
    (site / "holidays-99.0.dist-info").mkdir()
    age(site.parent)
    same(first, run())
    assert len(kept()) == 2  # the key moved: answered afresh


def test_an_empty_store_option_is_found_as_the_command_finds_it(make_store, tmp_path):
    """`--store ""` is no --store to the command, which then reads KSCB_STORE; the key read the
    store around the working folder instead, so an edit in KSCB_STORE's store replayed the old answer."""
    used = make_store({"records/agencies/WYP.yaml": AGENCY})
    here = make_store({"records/agencies/NHS.yaml": SECOND_AGENCY})
    age(used)
    age(here)
    first = kscb(here, "list", "agencies", "--store", "", KSCB_STORE=str(used))
    assert first.returncode == 0 and "WYP" in first.stdout and len(kept()) == 1
    path = used / "records/agencies/WYP.yaml"
    path.write_text(AGENCY.replace("West Testshire Police", "West Testshire Constabulary"), encoding="utf-8")
    age(used)
    again = kscb(here, "list", "agencies", "--store", "", KSCB_STORE=str(used))
    same(again, kscb(here, "list", "agencies", "--store", "", KSCB_STORE=str(used), KSCB_NO_CACHE="1"))
    assert "Constabulary" in again.stdout


def test_a_working_folder_removed_under_the_shell_is_no_traceback(tmp_path):
    """`kscb version` in a folder deleted meanwhile (another terminal, a checkout): the key's
    os.getcwd() raised and the command died with a traceback; without the cache it answers."""
    gone = tmp_path / "gone"
    gone.mkdir()
    program = " ".join(f"'{part}'" for part in kscb_command())
    script = f"cd '{gone}' && rmdir '{gone}' && exec {program} version"
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("kscb ")


def test_answers_in_a_folder_others_may_write_are_not_replayed(make_store):
    """A shared cache folder (XDG_CACHE_HOME on a shared disk): another user's file there,
    named by the key, was replayed as this store's answer."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    first = kscb(root, "list", "agencies")
    (name,) = kept()
    planted = json.dumps({"key": name[:-5], "chunks": [[1, "nothing to do\n"]], "status": 0}).encode("ascii")
    path = Path(answers.folder(), name)
    path.write_bytes(hashlib.sha256(planted).hexdigest().encode("ascii") + b"\n" + planted)
    assert kscb(root, "list", "agencies").stdout == "nothing to do\n"  # the folder is ours: replayed
    os.chmod(answers.folder(), 0o777)
    same(first, kscb(root, "list", "agencies"))


def test_lint_findings_are_replayed_exactly_and_no_cache_lints_afresh(make_store):
    """A store with a finding: exit 1 and its report are replayed; --no-cache never reads the answers."""
    broken = AGENCY.replace("sector: police", "sector: not-a-sector")
    root = make_store({"records/agencies/WYP.yaml": broken})
    age(root)
    first = kscb(root, "lint", "--format", "json")
    assert first.returncode == 1 and "WYP.yaml" in first.stdout
    assert len(kept()) == 1
    same(first, kscb(root, "lint", "--format", "json"))
    same(first, kscb(root, "lint", "--format", "json", "--no-cache"))
    assert len(kept()) == 1
    (root / "records/agencies/WYP.yaml").write_text(AGENCY, encoding="utf-8")
    age(root)
    fixed = kscb(root, "lint", "--format", "json")
    assert fixed.returncode == 0
    same(fixed, kscb(root, "lint", "--format", "json", "--no-cache"))


def test_lint_sees_an_edit_that_keeps_size_and_time(make_store):
    """The same `cp -p` edit under `kscb lint`: neither the answers nor lint's own per-file cache
    may take the old file's findings on trust."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    assert kscb(root, "lint").returncode == 0
    assert kscb(root, "lint", "--format", "json", KSCB_NO_CACHE="1").returncode == 0  # warms lint's cache only
    path = root / "records/agencies/WYP.yaml"
    st = path.stat()
    path.write_text(AGENCY.replace("sector: police", "sector: polica"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    for env in ({}, {"KSCB_NO_CACHE": "1"}):
        after = kscb(root, "lint", "--format", "json", **env)
        assert after.returncode == 1 and "polica" in after.stdout


def test_changes_and_history_follow_new_commits_and_moved_tags(make_store):
    """`changes` and `history` read the git history: a new commit, or a tag moved to another
    commit (`--until v1`), must give a fresh answer."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the police")
    git(root, "tag", "v1")
    (root / "records/agencies/NHS.yaml").write_text(SECOND_AGENCY, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the ICB")
    age(root)
    age(root / ".git", 30)
    args = ("changes", "--since", "2000-01-01", "--until", "v1", "--format", "json")
    before = kscb(root, *args)
    assert before.returncode == 0 and "NHS" not in before.stdout
    history = kscb(root, "history", "WYP")
    assert history.returncode == 0
    assert len(kept()) == 2  # both answers kept: what follows checks they are not replayed
    git(root, "tag", "-f", "v1", "HEAD")  # the index and HEAD untouched: only the tag moved
    moved = kscb(root, *args)
    same(moved, kscb(root, *args, KSCB_NO_CACHE="1"))
    assert "NHS" in moved.stdout
    (root / "records/agencies/WYP.yaml").write_text(AGENCY.replace("West", "North"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Rename the police")
    age(root)
    age(root / ".git", 30)
    after = kscb(root, "history", "WYP")
    same(after, kscb(root, "history", "WYP", KSCB_NO_CACHE="1"))
    assert after.stdout != history.stdout


def test_a_listing_follows_an_edit_that_keeps_size_and_time(make_store):
    """`cp -p`, `rsync -t` or an unzip can change a record and keep its size and mtime: the
    change time moves, and the answer must follow the new content, not replay the old."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    before = kscb(root, "list", "agencies", "--format", "json")
    assert "West Testshire Police" in before.stdout and len(kept()) == 1
    path = root / "records/agencies/WYP.yaml"
    st = path.stat()
    path.write_text(AGENCY.replace("West Testshire Police", "East Testshire Police"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    after = kscb(root, "list", "agencies", "--format", "json")
    same(after, kscb(root, "list", "agencies", "--format", "json", KSCB_NO_CACHE="1"))
    assert "East Testshire Police" in after.stdout


def test_help_and_version_do_not_depend_on_the_store(make_store):
    """The help and the version are made from the code alone: a change in the store does not
    ask them again (their key leaves the store out), and every other question still sees it."""
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    helped = kscb(root, "list", "--help")
    assert helped.returncode == 0 and len(kept()) == 1
    (root / "records/agencies/NHS.yaml").write_text(SECOND_AGENCY, encoding="utf-8")
    age(root)
    same(helped, kscb(root, "list", "--help"))
    assert len(kept()) == 1  # replayed: the new record is not in the help's key
    assert answers.store_free(["--help"]) and answers.store_free([]) and answers.store_free(["version"])
    assert not answers.store_free(["list", "agencies"]) and not answers.store_free(["rules"])


def test_a_scan_kept_for_one_command_is_never_seen_by_the_next(make_store, monkeypatch):
    """The key's scan of records/ is handed to the lint the same command runs (store.cache.recent_scan),
    and to nothing after it: in one process, a record edited after a replayed answer is linted as it is now."""
    from kscb_cli.store import cache

    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    age(root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("KSCB_TODAY", "2026-01-15")
    seen: list[dict[str, cache.Row]] = []

    def lint(argv: list[str]) -> int:
        seen.append(cache.recent_scan(root / "records"))  # the lint's own scan, as lint.incremental takes it
        return 0

    assert answers.answer(["lint"], lint) == 0 and answers.answer(["lint"], lint) == 0  # run, then replayed
    assert len(seen) == 1 and seen[0] == cache.scan(root / "records") and len(seen[0]) == 2  # the folder and the file
    path = root / "records/agencies/WYP.yaml"
    path.write_text(AGENCY + "# edited\n", encoding="utf-8")
    assert cache.recent_scan(root / "records")["agencies/WYP.yaml"] == cache.scan(root / "records")["agencies/WYP.yaml"]
    assert cache.recent_scan(root / "records")["agencies/WYP.yaml"][0] == path.stat().st_size
