"""The incremental lint cache (lint/incremental.py): cached and uncached results are byte-identical
after every kind of change, and an unchanged store is answered without reading a record."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, bench_module

AS_OF = ("--as-of", "2026-11-26")
FORMATS = ("text", "json")


def _age(root: Path, seconds: int = 60) -> None:
    """Make every file look older than the racy window, as on a real working copy."""
    past = time.time() - seconds
    for path in [root / "kscb.yaml", *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def demo(tmp_path) -> Path:
    """A writable copy of the demo partnership's store (the repository root's records)."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(ROOT / "kscb.yaml", root / "kscb.yaml")
    shutil.copytree(ROOT / "records", root / "records")
    _age(root)
    return root


def same(cli, root: Path, *args: str) -> dict[str, str]:
    """Lint with and without the cache, in text and json, twice cached; every answer identical."""
    outputs = {}
    for fmt in FORMATS:
        fresh = cli("lint", "--no-cache", "--format", fmt, *args, cwd=root)
        for _ in range(2):  # the first may fill the cache, the second answers from it
            cached = cli("lint", "--format", fmt, *args, cwd=root)
            assert (cached.code, cached.out) == (fresh.code, fresh.out), f"cached differs ({fmt}, {args})"
        outputs[fmt] = fresh.out
    return outputs


def _referenced(root: Path) -> tuple[Path, str, list[Path]]:
    """A record whose id other files reference: (its file, its id, the files that mention it)."""
    files = sorted((root / "records").rglob("*.yaml"))
    for path in files:
        rid = path.stem
        others = [p for p in files if p != path and rid in p.read_text(encoding="utf-8")]
        if len(others) >= 2 and f"id: {rid}\n" in path.read_text(encoding="utf-8"):
            return path, rid, others
    raise AssertionError("the demo store has no referenced record")


def test_unchanged_store_is_identical_and_replayed_without_reading(demo, cli, monkeypatch):
    same(cli, demo, *AS_OF)
    from kscb_cli.store.store import Store

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged store was read again")

    monkeypatch.setattr(Store, "open", refuse)
    assert cli("lint", "--format", "json", *AS_OF, cwd=demo).code in (0, 1)
    # touching a file changes its timestamp, not its content: still answered from the cache
    some = next((demo / "records").rglob("*.yaml"))
    os.utime(some, None)
    assert cli("lint", *AS_OF, cwd=demo).code in (0, 1)


def test_an_edit_that_adds_an_error(demo, cli):
    before = same(cli, demo, *AS_OF)
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("status: active", "status: actve"), encoding="utf-8")
    after = same(cli, demo, *AS_OF)
    assert after["text"] != before["text"] and "actve" in after["text"]
    _age(demo, 30)  # the same edit, now old enough to be trusted by its timestamp
    same(cli, demo, *AS_OF)


def test_a_deleted_and_an_added_file(demo, cli):
    same(cli, demo, *AS_OF)
    path, rid, others = _referenced(demo)
    text = path.read_text(encoding="utf-8")
    path.unlink()
    gone = same(cli, demo, *AS_OF)
    assert any(o.relative_to(demo).as_posix() in gone["text"] for o in others)  # its references now break
    copy = path.with_name(path.stem + "-copy.yaml")
    copy.write_text(text, encoding="utf-8")
    same(cli, demo, *AS_OF)
    path.write_text(text, encoding="utf-8")  # back again, beside its copy: a duplicate id
    dup = same(cli, demo, *AS_OF)
    assert rid in dup["text"]


def test_a_renamed_id_updates_the_other_files(demo, cli):
    before = same(cli, demo, *AS_OF)
    path, rid, others = _referenced(demo)
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: {rid}\n", f"id: {rid}X\n"), encoding="utf-8")
    after = same(cli, demo, *AS_OF)
    newly = set(after["text"].splitlines()) - set(before["text"].splitlines())
    referring = {o.relative_to(demo).as_posix() for o in others}
    assert any(line.split(":", 1)[0] in referring for line in newly), "no new finding in a referring file"


def test_config_as_of_and_select_changes(demo, cli):
    same(cli, demo, *AS_OF)
    config = demo / "kscb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nlint:\n  ignore: [K]\n", encoding="utf-8")
    same(cli, demo, *AS_OF)
    same(cli, demo, "--as-of", "2027-06-30")
    same(cli, demo, *AS_OF, "--select", "R,F")
    same(cli, demo, *AS_OF, "--ignore", "R")
    same(cli, demo, *AS_OF, "records/agencies")


def test_a_stray_binary_file(demo, cli):
    same(cli, demo, *AS_OF)
    (demo / "records" / "agencies" / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01binary")
    out = same(cli, demo, *AS_OF)
    assert "T003" in out["text"]


def test_the_warm_path_loads_neither_pydantic_nor_yaml(demo, tmp_path):
    """The second run of an unchanged store imports no model and parses no file."""
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from kscb_cli.lint.linter import run\n"
        "r = run(Path(sys.argv[1]), today=date(2026, 11, 26))\n"
        "heavy = [m for m in ('pydantic', 'kscb_cli.model', 'kscb_cli.store.store', 'yaml') if m in sys.modules]\n"
        "print(len(r.result.diagnostics), heavy)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", code, str(demo)], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run(
        [sys.executable, "-c", code, str(demo)], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout.split()[0] == second.stdout.split()[0]
    assert second.stdout.strip().endswith("[]"), second.stdout


def test_one_changed_file_is_the_only_one_judged_by_every_rule(demo, cli, monkeypatch):
    same(cli, demo, *AS_OF)
    from kscb_cli.lint.linter import Checker

    full, partial = [], []
    check = Checker.check

    def spy(self, entry, only=None):
        (full if only is None else partial).append(entry.rel)
        return check(self, entry, only)

    monkeypatch.setattr(Checker, "check", spy)
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    _age(demo)
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert full == [path.relative_to(demo).as_posix()]
    # the other files are judged again only where their cross-record rules read what the edit
    # could change (lint/rules/recording.py): here, whatever looks the agency up or lists agencies
    assert 0 < len(partial) < len(list((demo / "records").rglob("*.yaml"))) - 1
    assert path.relative_to(demo).as_posix() not in partial
    assert (cached.code, cached.out) == _fresh(cli, demo)


def _fresh(cli, root: Path) -> tuple[int, str]:
    r = cli("lint", "--no-cache", "--format", "json", *AS_OF, cwd=root)
    return r.code, r.out


def _kept_after_a_second_lint(cli, root: Path) -> None:
    """Lint, edit one file, lint again: from the second lint on, the documents are kept."""
    same(cli, root, *AS_OF)
    some = sorted((root / "records").rglob("*.yaml"))[-1]
    some.write_text(some.read_text(encoding="utf-8") + "# seen\n", encoding="utf-8")
    _age(root)
    same(cli, root, *AS_OF)
    assert _parsed_file(root).is_file()


def _parsed_file(root: Path) -> Path:
    from kscb_cli.store import parsed

    return parsed.cache_file(root)


def test_a_changed_store_parses_only_the_changed_file(demo, cli, monkeypatch):
    """After an edit, the unchanged files' documents come from the kept parses (store/parsed.py):
    only the edited file is read and parsed, and the answer is the uncached lint's. The first
    lint of a store keeps none (a CI clone never reads them back); the second, after an edit, does."""
    same(cli, demo, *AS_OF)
    kept = _parsed_file(demo)
    assert not kept.exists()
    first = next((demo / "records" / "agencies").glob("*.yaml"))
    first.write_text(first.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    _age(demo)
    same(cli, demo, *AS_OF)
    assert kept.is_file() and (kept.stat().st_mode & 0o777) == 0o600 and (kept.parent.stat().st_mode & 0o777) == 0o700
    import kscb_cli.store.parallel as parallel

    read: list[str] = []
    original = parallel.read_documents

    def spy(paths, *rest):
        read.extend(Path(p).relative_to(demo).as_posix() for p in paths)
        return original(paths, *rest)

    monkeypatch.setattr(parallel, "read_documents", spy)
    path = next((demo / "records" / "reviews").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    _age(demo)
    fresh = cli("lint", "--no-cache", "--format", "json", *AS_OF, cwd=demo)
    read.clear()
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert read == [path.relative_to(demo).as_posix()]
    assert (cached.code, cached.out) == (fresh.code, fresh.out)


def test_an_undone_edit_is_judged_on_its_own_content(demo, cli):
    """A, then B, then A again (an undo): every answer is the uncached lint's, whatever was kept for which content."""
    path = next((demo / "records" / "action-plans").glob("*.yaml"))
    a = path.read_text(encoding="utf-8")
    b = a.replace("status: ", "status: not-a-status-", 1)
    for text in (a, b, a, b, a):
        path.write_text(text, encoding="utf-8")
        _age(demo)
        same(cli, demo, *AS_OF)


def test_kept_documents_are_keyed_by_the_text_they_were_parsed_from(demo, cli, monkeypatch):
    """A file rewritten between the scan and the read is kept under the hash of what was read,
    never of what the scan saw; a file with a byte-order mark is parsed each time."""
    from kscb_cli.store import parsed

    _kept_after_a_second_lint(cli, demo)
    kept = parsed.load(demo)
    assert kept and all(parsed.text_hash(kept.document(key).text) == key for key in kept.keys())
    path = next((demo / "records" / "agencies").glob("*.yaml"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _age(demo)
    same(cli, demo, *AS_OF)


def test_a_broken_kept_file_is_ignored(demo, cli):
    _kept_after_a_second_lint(cli, demo)
    path = next((demo / "records" / "reviews").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# again\n", encoding="utf-8")
    _age(demo)
    _parsed_file(demo).write_bytes(b"\x00not marshal")
    same(cli, demo, *AS_OF)


def test_a_kept_file_damaged_inside_is_ignored(demo, cli):
    """One byte changed in the middle of the kept documents (a disk error): the CRC refuses the
    whole file, so no document is served from it, and the answer is the uncached lint's."""
    from kscb_cli.store import parsed

    _kept_after_a_second_lint(cli, demo)
    path = next((demo / "records" / "reviews").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "# again\n", encoding="utf-8")
    _age(demo)
    raw = bytearray(_parsed_file(demo).read_bytes())
    assert len(parsed.load(demo)) > 0
    raw[len(raw) // 2] ^= 0x20
    _parsed_file(demo).write_bytes(bytes(raw))
    assert len(parsed.load(demo)) == 0
    same(cli, demo, *AS_OF)


def test_a_lint_after_one_edit_decodes_only_the_kept_documents_it_reads(tmp_path, cli, monkeypatch):
    """After one edit in a store of hundreds of records, the kept documents of the files no rule
    looks at stay undecoded bytes (store.parsed.KeptDocument); the answer is the uncached lint's."""
    from conftest import bench_module

    from kscb_cli.store import parsed

    root = tmp_path / "store"
    bench_module("generate").generate(root, 450, seed=5)
    _age(root)
    _kept_after_a_second_lint(cli, root)
    decoded: list[bytes] = []
    original = parsed.KeptDocument._decode

    def spy(self):
        decoded.append(bytes(self.encoded()))
        original(self)

    monkeypatch.setattr(parsed.KeptDocument, "_decode", spy)
    path = sorted((root / "records" / "reviews").glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    _age(root)
    kept = len(parsed.load(root))
    fresh = cli("lint", "--no-cache", "--format", "json", *AS_OF, cwd=root)
    decoded.clear()
    cached = cli("lint", "--format", "json", *AS_OF, cwd=root)
    assert (cached.code, cached.out) == (fresh.code, fresh.out)
    assert kept > 400 and 0 < len(decoded) < kept / 4, (len(decoded), kept)


def test_the_kept_documents_are_written_again_only_when_enough_changed():
    from kscb_cli.store.parsed import worth_writing

    assert worth_writing(10, 10, 0)  # nothing kept yet
    assert not worth_writing(10_000, 1, 0)  # one edit: parsing it again costs less than writing 40 MB
    assert not worth_writing(10_000, 150, 50)
    assert worth_writing(10_000, 150, 51)
    assert worth_writing(100, 0, 51)  # many kept documents gone


def test_no_parse_is_kept_with_kscb_no_cache(demo, cli, monkeypatch):
    monkeypatch.setenv("KSCB_NO_CACHE", "1")
    same(cli, demo, *AS_OF)
    assert not _parsed_file(demo).exists()


_ID = __import__("re").compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")
_DAY = __import__("re").compile(r"\b20\d\d-\d\d-\d\d\b")


def _edit(root: Path, rng, originals: dict[Path, str]) -> str:
    """One edit a user (or a bulk change) might make to a store, chosen by `rng`; says what it did."""
    import datetime as dt
    import re

    files = sorted((root / "records").rglob("*.yaml"))
    path = rng.choice(files)
    text = path.read_text(encoding="utf-8")
    ids = sorted({m.group() for f in files for m in re.finditer(r"^id: (\S+)$", f.read_text(encoding="utf-8"), re.M)})
    how = rng.choice(["retarget", "break-ref", "status", "date", "delete", "copy", "reid", "yaml", "undo", "move"])
    rel = path.relative_to(root).as_posix()
    if how in ("retarget", "break-ref"):
        found = [m for m in _ID.finditer(text) if m.group() in ids and not text[: m.start()].endswith("id: ")]
        if found:
            m = rng.choice(found)
            new = rng.choice(ids) if how == "retarget" else m.group() + "-GONE"
            text = text[: m.start()] + new + text[m.end() :]
    elif how == "status":
        text = re.sub(
            r"^status: \S+",
            "status: " + rng.choice(["closed", "in_progress", "draft", "complete"]),
            text,
            count=1,
            flags=re.M,
        )
    elif how == "date":
        days = list(_DAY.finditer(text))
        if days:
            m = rng.choice(days)
            try:
                new = (dt.date.fromisoformat(m.group()) + dt.timedelta(days=rng.randint(-400, 400))).isoformat()
            except ValueError:
                new = m.group()
            text = text[: m.start()] + new + text[m.end() :]
    elif how == "delete":
        originals.setdefault(path, text)
        path.unlink()
        return f"{how} {rel}"
    elif how == "copy":
        copy = path.with_name(f"{path.stem}-COPY{rng.randint(1, 99)}.yaml")
        if rng.random() < 0.5:  # a new record, or the same id twice
            text = re.sub(r"^id: (\S+)$", lambda m: f"id: {m.group(1)}-COPY", text, count=1, flags=re.M)
        copy.write_text(text, encoding="utf-8")
        return f"{how} {rel} -> {copy.name}"
    elif how == "reid":
        text = re.sub(r"^id: (\S+)$", lambda m: f"id: {m.group(1)}X", text, count=1, flags=re.M)
    elif how == "yaml":
        text += "broken: [unclosed\n"
    elif how == "undo" and originals:
        back = rng.choice(sorted(originals))
        back.write_text(originals.pop(back), encoding="utf-8")
        return f"{how} {back.relative_to(root).as_posix()}"
    elif how == "move":
        target = path.parent.parent / rng.choice(["agencies", "reviews", "audits"]) / path.name
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            originals.setdefault(path, text)
            path.rename(target)
            return f"{how} {rel}"
    originals.setdefault(path, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return f"{how} {rel}"


@pytest.mark.parametrize("links", ["whole", "lazy"])
@pytest.mark.parametrize("store", ["demo", "generated"])
def test_after_any_run_of_edits_the_cached_lint_is_the_uncached_one(store, links, demo, tmp_path, cli, monkeypatch):
    """Random edits, one at a time (references retargeted or broken, statuses, dates, deletions,
    copies, duplicate and renamed ids, broken YAML, undos, moves): after each, the lint that keeps
    what no edit could change (kept documents, kept findings, kept cross-record findings whose
    reads the edit does not reach) answers exactly as a lint from scratch. "lazy": the links are
    worked out per record id (LazyLinks) whenever anything is kept, not only when few files are judged."""
    import random

    if links == "lazy":
        monkeypatch.setattr("kscb_cli.lint.incremental.LAZY_LINKS_UNDER", 0)

    if store == "generated":
        generate = bench_module("generate").generate
        root = tmp_path / "generated"
        generate(root, records=240, seed=3)
        _age(root)
    else:
        root = demo
    rng = random.Random(17)
    originals: dict[Path, str] = {}
    assert cli("lint", "--format", "json", *AS_OF, cwd=root).code in (0, 1)  # fills the caches
    for step in range(24):
        done = _edit(root, rng, originals)
        _age(root)
        cached = cli("lint", "--format", "json", *AS_OF, cwd=root)
        assert (cached.code, cached.out) == _fresh(cli, root), f"step {step}: {done}"


NEW_PARTNER = """\
kind: agency
id: POL-NEW
title: A police force that joined the partnership
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""


def _finding(out: str, code: str, text: str) -> bool:
    import json

    return any(d["code"] == code and text in d["message"] for d in json.loads(out)["diagnostics"])


def test_a_new_section11_cycle_reaches_every_agency(demo, cli):
    """The agencies' Section 11 rule (L006) asks for the current cycle, read from every return and
    from nothing else (a read of the kind, not of everything): a return for a new cycle is news to
    every agency with the duty; after it and after an edit to a review, the lint answers as from scratch."""
    import json

    assert cli("lint", "--format", "json", *AS_OF, cwd=demo).code in (0, 1)
    s11 = demo / "records/section11/S11-2025-ICBNV.yaml"
    (demo / "records/section11/S11-2026-ICBNV.yaml").write_text(
        s11.read_text(encoding="utf-8")
        .replace("S11-2025-ICBNV", "S11-2026-ICBNV")
        .replace('cycle: "2025"', 'cycle: "2026"'),
        encoding="utf-8",
    )
    _age(demo)
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert _finding(cached.out, "L006", "no return for the current cycle '2026'")
    assert (cached.code, cached.out) == _fresh(cli, demo)
    missing = [d for d in json.loads(cached.out)["diagnostics"] if d["code"] == "L006"]
    assert not any("ICB-NV" in d["message"] for d in missing) and len(missing) > 2

    review = demo / "records/reviews/LCSPR-2025-001.yaml"
    review.write_text(review.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _age(demo)
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert (cached.code, cached.out) == _fresh(cli, demo)


def test_a_new_agency_reaches_every_rule_that_lists_the_agencies(demo, cli):
    """A board meeting's representation rule (E022) lists every agency: a new statutory partner,
    which the meeting never names, is still news to it (the kind is recorded, not only ids)."""
    assert cli("lint", "--format", "json", *AS_OF, cwd=demo).code in (0, 1)
    (demo / "records/agencies/POL-NEW.yaml").write_text(NEW_PARTNER, encoding="utf-8")
    _age(demo)
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert _finding(cached.out, "E022", "POL-NEW is a statutory safeguarding partner")
    assert (cached.code, cached.out) == _fresh(cli, demo)


def test_a_new_id_reaches_the_did_you_mean_of_every_broken_reference(demo, cli):
    """A broken reference's suggestion is made from every id in the store: a record added with a
    near id changes it, though the referring file never looked that id up (it read everything)."""
    plan = demo / "records/action-plans/AP-ILACS-2025-001.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("source: ILACS-2025-001", "source: QQQQ-7777-ABCD"))
    _age(demo)
    before = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert not _finding(before.out, "R002", "QQQQ-7777-ABCE")
    (demo / "records/agencies/QQQQ-7777-ABCE.yaml").write_text(NEW_PARTNER.replace("POL-NEW", "QQQQ-7777-ABCE"))
    _age(demo)
    cached = cli("lint", "--format", "json", *AS_OF, cwd=demo)
    assert _finding(cached.out, "R002", "QQQQ-7777-ABCE")
    assert (cached.code, cached.out) == _fresh(cli, demo)


def test_an_edit_reaches_the_ids_it_names_and_the_records_that_name_it():
    """`affected`: the contract of every store-wide index, as ids (lint/rules/recording.py)."""
    from kscb_cli.lint.rules.recording import Contribution, affected, must_judge_again

    plan = Contribution("AP-1", "action_plan", ("RV-1",))
    review = Contribution("RV-1", "review", ("N-1",))
    note = Contribution("N-1", "notification", ())
    meeting = Contribution("M-1", "meeting", ("AP-1",))
    everyone = [plan, review, note, meeting]
    # the review edited: a store lookup of it; a links or clocks lookup of it, of the
    # notification it names and of the plan that names it; a list of every review
    edit = affected([review], everyone)
    assert (edit.ids, edit.linked, edit.kinds) == ({"RV-1"}, {"RV-1", "N-1", "AP-1"}, {"review"})
    # a meeting edited before and after (it stopped naming the plan): both versions count
    edit = affected([meeting, Contribution("M-1", "meeting", ())], everyone)
    assert (edit.ids, edit.linked) == ({"M-1"}, {"M-1", "AP-1"})
    edit = affected([review], everyone)
    assert must_judge_again([["RV-1"], [], [], False], edit)
    assert not must_judge_again([["N-1", "AP-1"], [], [], False], edit)  # their own files are unchanged
    assert must_judge_again([[], ["AP-1"], [], False], edit)  # the plan's links may be
    assert not must_judge_again([["X"], ["Y"], ["agency"], False], edit)
    assert must_judge_again([["X"], [], ["review"], False], edit)
    assert must_judge_again([[], [], [], True], edit)


def test_reading_the_store_at_large_is_recorded_as_reading_everything(demo):
    """Only the lookups named in the views are taken as reads by id; a table walked, a list of
    every record or a method not named counts as reading the whole store."""
    from kscb_cli.domain.links import Links
    from kscb_cli.lint.rules.recording import Reads, links_view, store_view
    from kscb_cli.store.store import Store

    store = Store.open(demo)
    reads = Reads()
    view, links = store_view(store, lambda: reads), links_view(Links(store), lambda: reads)
    view.get("ILACS-2025-001"), view.by_id.get("AP-ILACS-2025-001"), view.resolve("RR-2025-001#R1", context="X-1")
    links.actions_for_rec.get("ILACS-2025-001#R1"), links.links_in("SIN-2025-001"), view.config, view.root
    assert reads == Reads(
        {"ILACS-2025-001", "AP-ILACS-2025-001", "RR-2025-001", "X-1"}, {"ILACS-2025-001", "SIN-2025-001"}
    )
    reads = Reads()
    links.current_cycle(), links.previous_cycle("2026")  # the cycles are the Section 11 returns'
    assert reads == Reads(kinds={"section11"})
    for at_large in (
        lambda: list(view.records),
        lambda: list(view.by_id),
        lambda: view.of_kind("agency"),
        lambda: list(links.plan_reviews.items()),
        lambda: view.entries,
    ):
        reads = Reads()
        at_large()
        assert reads.everything


def _lazy_stores(demo: Path, tmp_path: Path) -> list[Path]:
    from conftest import EXAMPLES

    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    generated = tmp_path / "generated"
    bench_module("generate").generate(generated, records=240, seed=3)
    return [demo, examples, generated]


@pytest.mark.parametrize("part_at_most", [200, 1, 0])
def test_links_worked_out_per_record_id_are_the_links_of_the_whole_store(part_at_most, demo, tmp_path, monkeypatch):
    """LazyLinks answers every table for every key, and every question, as Links built over the
    whole store: on the demo, the contract's examples and a generated store; with parts built
    from the holders of an id, and (`part_at_most` 1, 0) with the whole built instead."""
    from kscb_cli.domain import links as links_module
    from kscb_cli.domain.links import TABLES, LazyLinks, Links
    from kscb_cli.lint.rules.recording import contribution, holders
    from kscb_cli.store.store import Store

    monkeypatch.setattr(links_module, "_PART_AT_MOST", part_at_most)
    for root in _lazy_stores(demo, tmp_path):
        store = Store.open(root)
        whole = Links(store)
        everyone = [None if e.record is None else contribution(e.record) for e in store.entries]
        lazy = LazyLinks(store, holders(everyone))
        ids = sorted({r.id for r in store.records})
        keys = set(ids) | {"NO-SUCH-ID", "NO-SUCH-ID#R1", f"{ids[0]}#NO-SUCH-ITEM"}
        for name in TABLES:
            keys |= {k for k in getattr(whole, name) if isinstance(k, str)}
        checked = 0
        for key in sorted(keys):
            for name in TABLES:
                table = getattr(whole, name)
                assert getattr(lazy, name).get(key) == table.get(key), f"{root.name}: {name}[{key!r}]"
                assert (key in getattr(lazy, name)) == (key in table), f"{root.name}: {key!r} in {name}"
                checked += key in table
        for rid in ids:
            assert lazy.links_in(rid) == whole.links_in(rid), f"{root.name}: links_in({rid})"
            assert lazy.disseminated_by(rid) == whole.disseminated_by(rid), f"{root.name}: disseminated_by({rid})"
            assert lazy.evaluations_for(rid) == whole.evaluations_for(rid), f"{root.name}: evaluations_for({rid})"
            assert lazy.last_review(rid) == whole.last_review(rid), f"{root.name}: last_review({rid})"
        cycle = whole.current_cycle()
        assert lazy.current_cycle() == cycle
        if cycle is not None:
            assert lazy.previous_cycle(cycle) == whole.previous_cycle(cycle)
        for name in TABLES:  # a table read whole is the whole store's
            assert dict(getattr(lazy, name).items()) == getattr(whole, name), f"{root.name}: {name} whole"
            assert len(getattr(lazy, name)) == len(getattr(whole, name))
        assert checked > 20, f"{root.name}: only {checked} keys found in a table"


def test_links_worked_out_per_record_id_read_only_the_records_that_hold_them(demo):
    """A lookup of one id builds its part from that id's holders only, never the whole store."""
    from kscb_cli.domain.links import LazyLinks
    from kscb_cli.lint.rules.recording import contribution, holders
    from kscb_cli.store.store import Store

    store = Store.open(demo)
    everyone = [None if e.record is None else contribution(e.record) for e in store.entries]
    held = holders(everyone)
    lazy = LazyLinks(store, held)
    rid = "ILACS-2025-001"
    lazy.links_in(rid), lazy.actions_of_source.get(rid), lazy.evaluations_for(rid)
    assert lazy._whole is None
    assert [r.id for r in lazy._parts[rid].store.records] == [store.entries[i].record.id for i in held[rid]]
    assert len(held[rid]) < len(everyone) / 4


def _entry_as_read(entry) -> tuple:
    return (
        entry.rel,
        entry.id,
        entry.kind,
        entry.title,
        entry.classification,
        entry.readable,
        entry.partial,
        None if entry.record is None else entry.record.model_dump(),
        [(tuple(p), m) for p, m in entry.schema],
        entry.dropped,
        entry.index_map,
    )


def test_a_record_validated_when_first_read_is_the_record_validated_at_once(demo, tmp_path):
    """DeferredEntry: a file known to have validated from exactly its content is indexed by the id
    it had and validated when first read, with the same record, problems, items left out and
    index map as a file validated as it is read; the store's indexes are the same. The demo, with
    an action plan missing an item (A1 left out), a record invalid as a whole and one unparseable."""
    from kscb_cli.store.store import DeferredEntry, Store

    plan = demo / "records/action-plans/AP-LCSPR-2025-001.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("  - id: A1\n    recommendation:", "  - id: A1\n    recomendation:", 1)
    )
    audit = demo / "records/audits/THEM-2025-001.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("title:", "   title:", 1))
    (demo / "records/audits/NO-KIND.yaml").write_text("id: NO-KIND\ntitle: An audit without a kind\n")
    for root in _lazy_stores(demo, tmp_path):
        at_once = Store.open(root)
        documents = {e.rel: e.doc for e in at_once.entries if e.doc is not None}
        ids = {e.rel: (e.record.id, e.record.kind) for e in at_once.entries if e.record is not None}
        deferred = Store.open(root, documents=documents, known_ids=ids)
        lazy = [e for e in deferred.entries if isinstance(e, DeferredEntry)]
        assert len(lazy) == len(ids) and not any("_record" in e.__dict__ for e in lazy)  # none validated yet
        assert {k: [e.rel for e in v] for k, v in deferred.by_id.items()} == {
            k: [e.rel for e in v] for k, v in at_once.by_id.items()
        }
        assert {k: [e.rel for e in v] for k, v in deferred.unreadable_ids.items()} == {
            k: [e.rel for e in v] for k, v in at_once.unreadable_ids.items()
        }
        assert not any("_record" in e.__dict__ for e in lazy)  # indexing read no record
        assert [e.kind for e in deferred.entries] == [e.kind for e in at_once.entries]  # known, not read
        assert not any("_record" in e.__dict__ for e in lazy)
        for kind in ("review", "action_plan", "audit", "agency"):
            assert [r.id for r in deferred.of_kind(kind)] == [r.id for r in at_once.of_kind(kind)]
        assert [_entry_as_read(e) for e in deferred.entries] == [_entry_as_read(e) for e in at_once.entries]
        if root == demo:
            assert deferred.entry("AP-LCSPR-2025-001").partial and deferred.entry("AP-LCSPR-2025-001").dropped
            assert deferred.find("NO-KIND").record is None


def test_a_lint_that_judges_one_file_validates_few_records(tmp_path, cli, monkeypatch):
    """With the last result kept, changing one file validates that file and the few records its
    rules read, not the store (a generated store of 240 records); it answers as a lint from scratch."""
    import re

    from kscb_cli.store import store as store_module

    root = tmp_path / "generated"
    bench_module("generate").generate(root, records=240, seed=3)
    _age(root)
    path = root / "records/reviews/LCSPR-00001.yaml"
    assert cli("lint", "--format", "json", *AS_OF, cwd=root).code in (0, 1)
    for again in range(2):  # the first lint with a result kept keeps the documents too
        text = re.sub(r"^(title: .*)$", r"\1 again", path.read_text(encoding="utf-8"), count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
        _age(root)
        if not again:
            assert cli("lint", "--format", "json", *AS_OF, cwd=root).code in (0, 1)
    validated = store_module.validated
    seen: list[object] = []
    monkeypatch.setattr(store_module, "validated", lambda doc: seen.append(doc) or validated(doc))
    monkeypatch.setattr("kscb_cli.lint.incremental.LAZY_LINKS_UNDER", 0)  # links per id, however many are judged
    cached = cli("lint", "--format", "json", *AS_OF, cwd=root)
    files = len(list((root / "records").rglob("*.yaml")))
    assert 1 <= len(seen) < files / 4, (len(seen), files)
    monkeypatch.setattr(store_module, "validated", validated)
    assert (cached.code, cached.out) == _fresh(cli, root)


def test_forget_deletes_every_kept_parse(demo, cli):
    """After `kscb purge`: the store's kept parses, and any other (an older kscb's, a clone's), may hold the purged text."""
    from kscb_cli.store import parsed

    _kept_after_a_second_lint(cli, demo)
    other = _parsed_file(demo).with_name("0123456789abcdef01234567.marshal")
    other.write_bytes(b"an older kscb's kept parses")
    parsed.forget(demo)
    assert not _parsed_file(demo).exists() and not other.exists()
