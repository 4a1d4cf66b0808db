"""The reader and the models: the contract examples validate unchanged, and invariants hold for any input.

Property tests (hypothesis): a position lookup never fails; parsing any text raises only
SourceError; validating and linting mutated examples never raises, and every message it
gives has a position inside the file.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kscb_cli.lint.linter import lint
from kscb_cli.model import FOLDERS, MODELS, Record
from kscb_cli.store.source import MAX_DEPTH, Document, Pos, SourceError, decode, parse, read_file
from kscb_cli.store.store import Store
from kscb_cli.store.validate import schema_problems

EXAMPLE_FILES = sorted((EXAMPLES / "records").rglob("*.yaml")) if EXAMPLES.is_dir() else []
NO_EXAMPLES = "../shared/design/examples is not present outside the workplace"
needs_examples = pytest.mark.skipif(not EXAMPLE_FILES, reason=NO_EXAMPLES)
FOUNDATION_FAMILIES = "F,S,R,D,Q,V,C"
QUICK = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _example_params():
    return [pytest.param(p, id=p.relative_to(EXAMPLES).as_posix()) for p in EXAMPLE_FILES] or [
        pytest.param(None, marks=pytest.mark.skip(reason=NO_EXAMPLES))
    ]


# --- the contract examples ---------------------------------------------------------------


@pytest.mark.parametrize("path", _example_params())
def test_example_validates_unchanged(path):
    """Each example is a valid record whose model keeps every value exactly as written."""
    doc = read_file(path)
    record, problems = schema_problems(Record, doc)
    assert problems == []
    assert record.id == path.stem
    assert path.parent.name == FOLDERS[record.kind]
    assert record.model_dump(mode="json", by_alias=True, exclude_unset=True) == doc.data


@needs_examples
def test_examples_lint_with_nothing_from_the_foundation_rules(examples, cli):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in examples.rglob("*") if p.is_file()}
    everything = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=examples)
    doc = json.loads(everything.out)
    assert everything.code == 0
    assert [d for d in doc["diagnostics"] if d["severity"] == "error"] == []
    assert [d for d in doc["diagnostics"] if d["code"][0] in FOUNDATION_FAMILIES] == []
    foundation = cli("lint", "--strict", "--select", FOUNDATION_FAMILIES, "--as-of", "2026-11-26", cwd=examples)
    assert (foundation.code, foundation.out) == (0, "0 errors, 0 warnings in 18 files\n")
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in examples.rglob("*") if p.is_file()} == before, (
        "lint wrote to the store"
    )


@needs_examples
def test_examples_cover_every_kind():
    """The contract's examples cover every contract kind; the kinds added since (docs/records.md) live in the demo store."""
    from kscb_cli.model import TABLE_TWO_KINDS

    kinds = {read_file(p).data["kind"] for p in EXAMPLE_FILES}
    assert kinds == set(MODELS) - set(TABLE_TWO_KINDS)


def test_demo_store_holds_several_records_of_every_new_kind():
    from kscb_cli.model import TABLE_TWO_KINDS

    demo = Path(__file__).resolve().parent.parent / "records"
    kinds = [read_file(p).data["kind"] for p in demo.rglob("*.yaml")]
    assert {k: kinds.count(k) for k in TABLE_TWO_KINDS} == {k: max(kinds.count(k), 2) for k in TABLE_TWO_KINDS}


def test_field_of_reads_what_getattr_reads_for_every_field_of_every_kind():
    """field_of (base/paths.py) answers as ``getattr(record, name, None)`` for any field name of
    any kind, on every record of the demo store (which holds every kind), present or not."""
    from types import SimpleNamespace

    from kscb_cli.base.paths import field_of
    from kscb_cli.store.config import load_config

    root = Path(__file__).resolve().parent.parent
    records = list(Store.open(root, config=load_config(root)).records)
    names = sorted({name for model in MODELS.values() for name in model.model_fields})
    assert {r.kind for r in records} == set(MODELS) and "recommendations" in names
    checked = 0
    for record in records:
        for name in names:
            assert field_of(record, name) == getattr(record, name, None), (record.id, name)
            checked += name not in type(record).model_fields
    assert checked > len(records)  # absent fields were asked for, not only present ones
    assert field_of(SimpleNamespace(regime="x"), "regime") == "x"
    assert field_of((1, 2), "regime") is None  # no __dict__: getattr's answer


# --- Document.pos -------------------------------------------------------------------------


def _paths(doc: Document) -> list[tuple]:
    return sorted(set(doc.values) | set(doc.keys), key=repr)


@needs_examples
def test_pos_of_every_path_of_every_example():
    for path in EXAMPLE_FILES:
        text = path.read_text(encoding="utf-8")
        doc = parse(text)
        lines = text.splitlines()
        for loc in _paths(doc):
            for key in (False, True):
                pos = doc.pos(loc, key=key)
                assert 1 <= pos.line <= len(lines) and 1 <= pos.col <= len(lines[pos.line - 1]) + 1, (path.name, loc)
            if loc in doc.values:
                assert doc.pos(loc) == doc.values[loc]
            if loc in doc.keys:
                assert doc.pos(loc, key=True) == doc.keys[loc]
                name = loc[-1]
                line = lines[doc.pos(loc, key=True).line - 1]
                assert line[doc.pos(loc, key=True).col - 1 :].startswith(name), (path.name, loc)


def _docs() -> list[tuple[str, Document]]:
    return [(p.name, parse(p.read_text(encoding="utf-8"))) for p in EXAMPLE_FILES]


_PARSED = _docs()
part = st.one_of(
    st.integers(min_value=-3, max_value=50),
    st.text(max_size=12),
    st.sampled_from(["findings", "id", "recommendations", "actions", "kind", "from", "status", "sections", "0"]),
)


@needs_examples
@QUICK
@given(
    which=st.integers(min_value=0),
    prefix_len=st.integers(min_value=0, max_value=8),
    suffix=st.lists(part, max_size=6),
    key=st.booleans(),
)
def test_pos_never_fails_for_random_paths(which, prefix_len, suffix, key):
    name, doc = _PARSED[which % len(_PARSED)]
    real = _paths(doc)
    base = real[(which // len(_PARSED)) % len(real)][:prefix_len]
    pos = doc.pos(base + tuple(suffix), key=key)
    assert isinstance(pos, Pos) and pos.line >= 1 and pos.col >= 1
    if not suffix and base in doc.values and not key:
        assert pos == doc.values[base]


def test_pos_of_anything_on_an_empty_document():
    doc = Document({})
    assert doc.pos(()) == Pos(1, 1) and doc.pos(("a", 0, "b"), key=True) == Pos(1, 1)


# --- parse never raises anything but SourceError -----------------------------------------------

YAML_BITS = [
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "&b ",
    "*b",
    "!",
    "!!str ",
    "!!int ",
    "!!map",
    "!!python/object ",
    "!local ",
    "|",
    ">",
    "|-",
    "'",
    '"',
    "#",
    "?",
    "? ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "---",
    "...",
    "\n",
    "\t",
    " ",
    "  ",
    "kind",
    "id",
    "title",
    "agency",
    "0",
    "1.5",
    "0o17",
    "0x1F",
    "~",
    "null",
    "true",
    "no",
    "2025-01-10",
    "2025-13-45",
    "é",
    "\u2028",
    "\ufeff",
    "\x85",
    "\x00",
    "\x07",
    "\U0001f600",
    "<<",
    "\\",
    "\r\n",
]
yamlish = st.lists(st.sampled_from(YAML_BITS), max_size=60).map("".join)


def _only_source_errors(text: str) -> Document | None:
    try:
        doc = parse(text)
    except SourceError as exc:
        assert exc.problem.code in {"F001", "F002", "F003", "F004", "F006", "F007", "F008", "S001"}
        assert exc.problem.pos.line >= 1 and exc.problem.pos.col >= 1
        return None
    assert isinstance(doc.data, dict)
    for loc in _paths(doc):
        doc.pos(loc)
    return doc


@QUICK
@given(st.text(max_size=200))
def test_parse_random_text_raises_only_source_error(text):
    _only_source_errors(text)


@settings(max_examples=400, deadline=None)
@given(yamlish)
def test_parse_yaml_like_text_raises_only_source_error(text):
    _only_source_errors(text)


@QUICK
@given(st.binary(max_size=200))
def test_decode_and_parse_random_bytes_raise_only_source_error(raw):
    try:
        text = decode(raw)
    except SourceError as exc:
        assert exc.problem.code in {"F004", "F005", "F008"}
        return
    _only_source_errors(text)


# Both emitters write NEL (U+0085) raw inside single quotes, where YAML folds it to a space
# (their own loaders agree), so it is left out.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85"), max_size=8)


@QUICK
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | _text,
        lambda c: st.lists(c, max_size=4) | st.dictionaries(_text, c, max_size=4),
        max_leaves=30,
    )
)
def test_dumped_data_parses_back_to_the_same_data(data):
    """Whatever a YAML 1.2 emitter (ruamel) writes as a mapping, the reader reads back identically.

    (PyYAML's emitter is YAML 1.1: it leaves strings such as 0E0 or 0o17 unquoted, which
    the 1.2 core schema rightly reads as numbers.)
    """
    import io

    from ruamel.yaml import YAML

    if not isinstance(data, dict) or not data:
        return
    buffer = io.StringIO()
    emitter = YAML(typ="safe", pure=True)
    emitter.default_flow_style = False  # block style, as records are written
    emitter.dump(data, buffer)
    doc = _only_source_errors(buffer.getvalue())
    if doc is not None:
        assert doc.data == data


def test_nesting_limit_is_the_composers():
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert isinstance(parse(ok).data, dict)
    with pytest.raises(SourceError) as exc:
        parse("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert exc.value.problem.code == "F006"


# --- validating and linting mutated examples never raises ------------------------------------------


def _leaves(value, out: list) -> list:
    if isinstance(value, dict):
        for v in value.values():
            _leaves(v, out)
    elif isinstance(value, list):
        for v in value:
            _leaves(v, out)
    else:
        out.append(value)
    return out


_DATA = [(p.relative_to(EXAMPLES).as_posix(), read_file(p).data) for p in EXAMPLE_FILES]
_POOL = sorted({repr(v): v for _, d in _DATA for v in _leaves(d, [])}.values(), key=repr) + [
    None,
    "",
    [],
    {},
    -1,
    10**12,
    "x" * 300,
]


def _locations(value, here=()) -> list[tuple]:
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _locations(v, here + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _locations(v, here + (i,))
    return out


def _mutate(data, loc: tuple, action: str, new):
    data = copy.deepcopy(data)
    if not loc:
        return data
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    last = loc[-1]
    if action == "delete":
        del parent[last]
    elif action == "rename" and isinstance(last, str):
        parent[last + "s"] = parent.pop(last)
    else:
        parent[last] = new
    return data


mutation = st.tuples(
    st.integers(min_value=0),
    st.integers(min_value=0),
    st.sampled_from(["replace", "replace", "delete", "rename"]),
    st.sampled_from(_POOL),
)


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(NO_EXAMPLES)
    dest = tmp_path_factory.mktemp("mutants") / "store"
    shutil.copytree(EXAMPLES, dest)
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


@needs_examples
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_examples_validate_and_lint_without_raising(example_store, mutations):
    """A changed value, a removed field or a misspelt key: always a list of positioned problems, never an exception."""
    originals: dict[str, bytes] = {}
    state: dict[str, object] = {}
    try:
        for which, where, action, new in mutations:
            rel, data = _DATA[which % len(_DATA)]
            path = example_store / rel
            originals.setdefault(rel, path.read_bytes())
            current = state.get(rel, data)
            locs = _locations(current)
            current = state[rel] = _mutate(current, locs[where % len(locs)], action, new)
            text = (
                yaml.safe_dump(current, allow_unicode=True, sort_keys=False, default_flow_style=False)
                if isinstance(current, dict)
                else "x: 1\n"
            )
            path.write_text(text, encoding="utf-8")
            try:
                doc = parse(text)
            except SourceError:
                continue
            lines = text.splitlines()
            _, problems = schema_problems(Record, doc)
            for pos, message in problems:
                assert 1 <= pos.line <= max(1, len(lines)) and pos.col >= 1, message
                assert message and "\n" not in message
        result = lint(Store.open(example_store), today=date(2026, 11, 26))
        for d in result.diagnostics:
            assert d.line >= 1 and d.col >= 1 and d.message and d.code
    finally:
        for rel, raw in originals.items():
            (example_store / rel).write_bytes(raw)


def test_models_given_the_same_fields_share_one_set_of_their_names():
    """pydantic keeps the names a model was given in a set per model (half a kilobyte each):
    kscb's models share one per distinct set of names. A copy gets its own (model_copy adds to it);
    changing a validated record in place fails loudly instead of changing every model that shares it."""
    store = Store.open(EXAMPLES)
    models = list(store.records)
    shared = {id(m.__pydantic_fields_set__) for m in models}
    assert len(shared) < len(models)
    plan = store.get("AP-LCSPR-2025-001")
    assert plan is not None
    before = plan.model_dump(exclude_unset=True)
    changed = plan.model_copy(update={"title": "Another title"})
    assert changed.title == "Another title" and plan.title != "Another title"
    assert "title" in changed.model_fields_set and type(changed.__pydantic_fields_set__) is set
    assert copy.deepcopy(plan) == plan and copy.copy(plan) == plan
    with pytest.raises(TypeError, match="never changed in place"):
        plan.reviewed = []
    with pytest.raises(TypeError):
        plan.__pydantic_fields_set__.add("anything")
    other = store.get("AP-LCSPR-2025-001")
    assert other is not None and "anything" not in other.model_fields_set
    assert plan.model_dump(exclude_unset=True).keys() == before.keys()
