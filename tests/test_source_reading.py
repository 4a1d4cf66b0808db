"""The fast read path keeps its answers: memoised scalars, sized reads, packed positions, the file listing."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from kscb_cli.store import source
from kscb_cli.store.source import MAX_BYTES, Document, parse, read_file, resolve_plain
from kscb_cli.store.store import record_files, record_paths

RECORD = """\
kind: agency
id: LA
title: Benchmark agency LA
status: active
sector: other
safeguarding_partner: false
section11_duty: true
numbers: [1, 0o17, 0x1F, 1.5, -.inf, .nan, 2025-03-01, "12", ~, 1:20]
nested:
  - {a: 1, b: [x, y]}
  - plain words here
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-.inf", -math.inf),
        ("~", None),
        ("null", None),
        ("True", True),
        ("false", False),
        ("2025-03-01", "2025-03-01"),
        ("1:20", "1:20"),
        ("no", "no"),
        ("9" * 60, int("9" * 60)),  # too long to memoise: worked out each time, the same answer
    ],
)
def test_a_plain_scalar_resolves_the_same_every_time(text, expected):
    for _ in range(3):  # the first call works it out, the next ones may come from the memo
        value = resolve_plain(text)
        assert value == expected and type(value) is type(expected)


def test_nan_resolves_to_nan_every_time():
    assert all(math.isnan(resolve_plain(".nan")) for _ in range(3))


def test_field_names_and_short_words_are_shared_between_documents():
    one, two = parse(RECORD), parse(RECORD)
    assert [k for k in one.data] == [k for k in two.data]
    assert all(a is b for a, b in zip(one.data, two.data))  # interned: one string for every record
    assert one.data["status"] is two.data["status"]


def test_a_file_is_read_whole_whatever_its_size_was_when_seen(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a" * 200_000)
    assert source._read_bytes(path, 10) == b"a" * 200_000  # it grew after stat: read on to the end
    assert source._read_bytes(path, 200_000) == b"a" * 200_000
    path.write_bytes(b"b" * (MAX_BYTES + 5000))
    assert len(source._read_bytes(path, 10)) == MAX_BYTES + 1  # never past the limit
    path.write_bytes(b"")
    assert source._read_bytes(path, 0) == b""


def test_read_file_gives_what_parse_gives(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(RECORD, encoding="utf-8")
    doc = read_file(path)
    assert doc == parse(RECORD)
    assert doc.text == RECORD


def _every_path(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _every_path(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _every_path(value, path + (i,))


def test_packed_positions_give_the_same_positions():
    plain = parse(RECORD)
    other = parse("kind: agency\nid: POL\n")
    packed = Document(plain.data, text=plain.text, packed=plain.packed_positions())
    packed_other = Document(other.data, text=other.text, packed=other.packed_positions())
    assert packed == plain and packed.values == plain.values and packed.keys == plain.keys
    for path in _every_path(plain.data):
        # alternate between two packed documents: each answers with its own positions
        assert packed.pos(path) == plain.pos(path)
        assert packed.pos(path, key=True) == plain.pos(path, key=True)
        assert packed_other.pos(("id",)) == other.pos(("id",))
    assert packed.pos(("no", "such", "path")) == plain.pos(())


def _walked(root: Path) -> tuple[list[Path], list[str]]:
    """The listing as the os.walk version of record_files made it (the reference)."""
    base = root / "records"
    real_root = root.resolve()
    files: list[Path] = []
    outside: list[str] = []

    def inside(path: Path) -> bool:
        return path.resolve().is_relative_to(real_root)

    for folder, dirs, names in os.walk(base):
        here = Path(folder)
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                if not inside(here / d):
                    outside.append((here / d).relative_to(root).as_posix())
            elif d.endswith((".yaml", ".yml")):
                dirs.remove(d)
                files.append(here / d)
        for name in names:
            path = here / name
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            if path.is_symlink() and not inside(path):
                outside.append(path.relative_to(root).as_posix())
                continue
            files.append(path)
    return sorted(files), sorted(outside)


def test_the_record_listing_is_the_one_os_walk_gave(tmp_path):
    root = tmp_path / "store"
    away = tmp_path / "away"
    (away / "sub").mkdir(parents=True)
    (away / "far.yaml").write_text("kind: agency\n")
    records = root / "records"
    for folder in ("agencies", "reviews/2025", "a-b", "a", ".hidden", "dir.yaml"):
        (records / folder).mkdir(parents=True)
    for rel in (
        "agencies/LA.yaml",
        "agencies/POL.yml",
        "agencies/.draft.yaml",
        "agencies/notes.txt",
        "reviews/2025/R-1.yaml",
        "a-b/x.yaml",
        "a/x.yaml",
        ".hidden/h.yaml",
        "dir.yaml/inner.yaml",
    ):
        (records / rel).write_text("kind: agency\n")
    os.symlink(records / "agencies" / "LA.yaml", records / "a" / "link.yaml")  # inside: read
    os.symlink(away / "far.yaml", records / "a" / "far.yaml")  # outside: refused
    os.symlink(records / "reviews", records / "inner-dir")  # a folder inside: skipped
    os.symlink(away / "sub", records / "outer-dir")  # a folder outside: refused
    os.symlink(tmp_path / "missing.yaml", records / "a" / "broken.yaml")
    files, outside = record_files(root)
    want_files, want_outside = _walked(root)
    assert sorted(files) == want_files
    assert sorted(e.rel for e in outside) == want_outside
    assert all(e.problem is not None and e.problem.code == "F009" for e in outside)
    pairs, _ = record_paths(root)
    assert [rel for _, rel in pairs] == sorted(p.relative_to(root).as_posix() for p in files)
    assert all(rel == path.relative_to(root).as_posix() for path, rel in pairs)
