"""Property: for any record of the demo store and any single-field edit that kscb accepts, the file
after `kscb set` differs from the file before only on the edited value's lines (difflib), and reads
back with the new value; an edit kscb refuses leaves the file byte for byte as it was."""

from __future__ import annotations

import difflib
import os
import shutil
import string
import typing
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.edit import plan_set, write
from kscb_cli.editing.values import field_info
from kscb_cli.store.source import parse
from kscb_cli.store.store import Store

ITEM_LISTS = ("findings", "recommendations", "actions", "standards")
TODAY = date(2026, 11, 26)
SKIP = {"kind", "id"}
# Explore harder by hand: KSCB_PROP_EXAMPLES=2000 KSCB_PROP_RANDOM=1 KSCB_PROP_CONTRACT=1 (the contract examples)
EXAMPLES_N = int(os.environ.get("KSCB_PROP_EXAMPLES", "150"))
RANDOM = bool(os.environ.get("KSCB_PROP_RANDOM"))
CONTRACT = bool(os.environ.get("KSCB_PROP_CONTRACT"))


def _demo() -> Path:
    """The repository's demo store, else the contract examples."""
    if (
        not CONTRACT
        and (ROOT / "records").is_dir()
        and any((ROOT / "records").rglob("*.yaml"))
        and (ROOT / "kscb.yaml").is_file()
    ):
        return ROOT
    if EXAMPLES.is_dir():
        return EXAMPLES
    pytest.skip("no demo store (records/) and no ../shared/design/examples")


def _scalar(v) -> bool:
    return v is not None and not isinstance(v, (dict, list))


def _fields(data: dict):
    """(item id or None, dotted field, location) of every scalar field `kscb set` can address."""
    for key, value in data.items():
        if key in SKIP:
            continue
        if _scalar(value):
            yield None, key, (key,)
        elif isinstance(value, dict):
            for k, v in value.items():
                if _scalar(v):
                    yield None, f"{key}.{k}", (key, k)
    for name in ITEM_LISTS:
        for i, item in enumerate(data.get(name) or ()):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            for key, value in item.items():
                if key == "id":
                    continue
                if _scalar(value):
                    yield item["id"], key, (name, i, key)
                elif isinstance(value, dict):
                    for k, v in value.items():
                        if _scalar(v):
                            yield item["id"], f"{key}.{k}", (name, i, key, k)


def _candidates(store):
    out = []
    for entry in store.entries:
        if entry.record is None:
            continue
        for item, dotted, loc in _fields(entry.doc.data):
            out.append((entry, item, dotted, loc))
    return out


TEXT = (
    st.text(alphabet=string.ascii_letters + string.digits + " ,.;:'\"#-()–é/&", min_size=1, max_size=140)
    .map(str.strip)
    .filter(lambda s: s and s not in ("null", "~", "true", "false") and s[0] not in "[{'\"" and not s[0].isdigit())
)


def _literals(annotation) -> list[str]:
    found = []
    if typing.get_origin(annotation) is typing.Literal:
        found += [a for a in typing.get_args(annotation) if isinstance(a, str)]
    for arg in typing.get_args(annotation):
        if typing.get_origin(annotation) is not typing.Literal:
            found += _literals(arg)
    return found


@st.composite
def edits(draw, candidates):
    entry, item, dotted, loc = draw(st.sampled_from(candidates))
    old = entry.doc.data
    for part in loc:
        old = old[part]
    kind = entry.doc.data["kind"]
    _, info = field_info(kind, loc)
    choices = _literals(info.annotation) if info is not None else []
    if isinstance(old, bool):
        new, raw = (not old), str(not old).lower()
    elif isinstance(old, int):
        new = draw(st.integers(0, 60))
        raw = str(new)
    elif isinstance(old, float):
        new = draw(st.integers(10, 50)) / 10
        raw = str(new)
    elif isinstance(old, str) and len(old) == 10 and old[4] == "-" and old[7] == "-":
        new = (date.fromisoformat(old) + timedelta(days=draw(st.integers(-400, 400)))).isoformat()
        raw = new
    elif choices:
        new = raw = draw(st.sampled_from(choices))
    else:
        new = raw = draw(TEXT)
    return entry, item, dotted, loc, new, raw


def _span(text: str, loc: tuple) -> tuple[int, int]:
    """0-based [first, last] lines of the edited field in `text`: its key line to the line before the next key or value."""
    doc = parse(text)
    start = doc.pos(loc, key=True).line - 1
    value_line = doc.pos(loc).line - 1
    later = sorted({p[0] - 1 for p in list(doc.keys.values()) + list(doc.values.values()) if p[0] - 1 > value_line})
    lines = text.splitlines()
    end = (later[0] - 1) if later else len(lines) - 1
    while end > value_line and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return start, end


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    src = _demo()
    dest = tmp_path_factory.mktemp("demo")
    shutil.copy(src / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(src / "records", dest / "records")
    return dest


def test_any_accepted_single_field_edit_changes_only_its_lines(demo_copy):
    store = Store.open(demo_copy)
    candidates = _candidates(store)
    assert len(candidates) > 50
    stats = {"accepted": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES_N, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=not RANDOM
    )
    @given(edits(candidates))
    def check(edit):
        entry, item, dotted, loc, new, raw = edit
        path = entry.path
        before = path.read_bytes()
        target = f"{entry.id}#{item}" if item else entry.id
        try:
            try:
                planned = plan_set(store, target, [f"{dotted}={raw}"], today=TODAY)
            except KscbError:
                stats["refused"] += 1
                assert path.read_bytes() == before
                return
            write(planned)
            after = path.read_bytes()
            old_text, new_text = before.decode(), after.decode()
            first, last = _span(old_text, loc)
            matcher = difflib.SequenceMatcher(None, old_text.splitlines(), new_text.splitlines(), autojunk=False)
            hunks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
            assert len(hunks) <= 1, f"{target} {dotted}={raw!r}: more than one block changed\n" + "".join(
                difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True))
            )
            for _tag, i1, i2, _j1, _j2 in hunks:
                assert first <= i1 and (i2 - 1 <= last if i2 > i1 else i1 <= last + 1), (
                    f"{target} {dotted}={raw!r}: changed lines {i1 + 1}-{i2} outside the field's lines {first + 1}-{last + 1}\n"
                    + "".join(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True)))
                )
            value = parse(new_text).data
            for part in loc:
                value = value[part]
            assert value == new or str(value) == str(new), f"{target} {dotted}: reads back {value!r}, not {new!r}"
            stats["accepted"] += 1
        finally:
            path.write_bytes(before)

    check()
    assert stats["accepted"] >= 30, stats
