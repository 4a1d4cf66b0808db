"""The rule registry: the table of families, the fixed docstring shape, no import cycle, the typed context."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from kscb_cli.lint.rules import families, registry
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.registry import RegistryError, all_rules, collect
from kscb_cli.lint.rules.rule import PARTS, Finding, Rule, RuleDocError, parse_doc, rule

RULES_DIR = Path(registry.__file__).parent
SHAPE = """What it finds.
More about what it finds.
Why: because.
Fails: ``a: 1``.
Passes: ``a: 2``.
Fix: write 2.
"""


def test_every_module_that_defines_rules_is_in_the_table():
    """A rule module missing from families.py would never load: its rules would silently not run."""
    defining = set()
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "rule" for d in node.decorator_list
            ):
                defining.add(path.stem)
    named = {m for f in families.FAMILIES for m in f.modules}
    assert defining == named, f"modules with rules: {sorted(defining)}; named in families.py: {sorted(named)}"


def test_every_family_has_rules_and_every_rule_a_family():
    rules = all_rules()
    letters = [f.letter for f in families.FAMILIES]
    assert len(letters) == len(set(letters))
    assert {r.letter for r in rules} == set(letters)
    for r in rules:
        assert r.module.rsplit(".", 1)[1] in r.family.modules, r.code
        assert r.family.title and r.family.checks


def test_rules_load_without_an_import_cycle():
    """Importing a rule module never imports the registry; the registry imports the rule modules."""
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {registry.modules()!r}]; "
        "sys.exit('kscb_cli.lint.rules.registry' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, f"a rule module imports the registry: {done.stderr}"
    for path in RULES_DIR.glob("*.py"):
        if path.stem == "registry":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "kscb_cli.lint.rules.registry":
                pytest.fail(f"{path.name} imports the registry")


def test_every_rule_doc_has_every_part():
    for r in all_rules():
        for label, text in r.parts.labelled():
            assert text.strip(), f"{r.code}: empty {label}"
        assert r.summary == r.parts.what.splitlines()[0]
        assert r.doc.startswith(r.parts.what) and all(f"\n\n{label} " in r.doc for _, label in PARTS)


def test_parse_doc_splits_the_parts():
    doc = parse_doc("X001", SHAPE)
    assert doc.what == "What it finds.\nMore about what it finds."
    assert (doc.why, doc.fails, doc.passes, doc.fix) == ("because.", "``a: 1``.", "``a: 2``.", "write 2.")
    assert doc.text() == (
        "What it finds.\nMore about what it finds.\n\nWhy: because.\n\nFails: ``a: 1``.\n\nPasses: ``a: 2``.\n\nFix: write 2."
    )


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        ("", "has no docstring"),
        (SHAPE.replace("Passes: ``a: 2``.\n", ""), "lacks Passes:"),
        (SHAPE.replace("Why: because.\n", "").replace("Fix: write 2.\n", ""), "lacks Why:, Fix:"),
        (SHAPE.replace("What it finds.\nMore about what it finds.\n", ""), "lacks what (the first line)"),
        (SHAPE.replace("Fix: write 2.", "Fix:"), "lacks Fix:"),
        (SHAPE + "Why: again.\n", "has Why: twice"),
        (SHAPE.replace("Fails: ``a: 1``.\nPasses: ``a: 2``.", "Passes: ``a: 2``.\nFails: ``a: 1``."), "out of order"),
    ],
)
def test_a_rule_whose_docstring_lacks_a_part_does_not_register(doc, says):
    def check(record: object, ctx: Context) -> list[Finding]:
        return []

    check.__doc__ = doc
    with pytest.raises(RuleDocError, match="X001") as raised:
        rule("X001", "x-rule")(check)
    assert says in str(raised.value)
    assert "Why:, Fails:, Passes:, Fix:" in str(raised.value)  # the message says what the shape is


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


RULE_SOURCE = '''
from kscb_cli.lint.rules.rule import rule

@rule("{code}", "{name}")
def check(record, ctx):
    """What it finds.
    Why: because.
    Fails: ``a: 1``.
    Passes: ``a: 2``.
    Fix: write 2.
    """
    return []
'''


def test_the_registry_refuses_a_rule_outside_its_family(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "r13_stray_rules", RULE_SOURCE.format(code="D901", name="stray"))
    with pytest.raises(RegistryError, match=r"D901 is defined in r13_stray_rules, but family D \(dates\) names dates"):
        collect([name])


def test_the_registry_refuses_a_letter_with_no_family(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "r13_unknown_family", RULE_SOURCE.format(code="Z001", name="zed"))
    with pytest.raises(RegistryError, match="no family 'Z'"):
        collect([name])


def test_the_registry_refuses_a_code_or_name_twice(tmp_path, monkeypatch):
    dates = families.BY_LETTER["D"]
    monkeypatch.setitem(
        families.BY_LETTER,
        "D",
        families.Family("D", ("r13_twice_a", "r13_twice_b", "r13_twice_c"), dates.title, dates.checks),
    )
    a = _module(tmp_path, monkeypatch, "r13_twice_a", RULE_SOURCE.format(code="D901", name="once"))
    b = _module(tmp_path, monkeypatch, "r13_twice_b", RULE_SOURCE.format(code="D901", name="twice"))
    with pytest.raises(RegistryError, match="rule D901 twice clashes with D901 once"):
        collect([a, b])
    c = _module(tmp_path, monkeypatch, "r13_twice_c", RULE_SOURCE.format(code="D902", name="once"))
    with pytest.raises(RegistryError, match="rule D902 once clashes with D901 once"):
        collect([a, c])


def test_a_rule_is_callable_and_yields_findings():
    r = next(r for r in all_rules() if r.code == "Q004")
    assert isinstance(r, Rule)

    class Withdrawn:
        status = "withdrawn"
        withdrawn_reason = None

    ctx = Context(store=None, today=date(2026, 1, 1))  # type: ignore[arg-type]
    assert list(r(Withdrawn(), ctx)) == [
        Finding(("status",), "a withdrawn notification needs withdrawn_reason; add why it was withdrawn")
    ]


def test_the_context_computes_each_index_once_per_run(examples):
    """The named properties are the store-wide indexes rules share: built on first use, then kept."""
    from kscb_cli.domain.links import Links
    from kscb_cli.model import Agency
    from kscb_cli.store.store import Store

    store = Store.open(examples)
    ctx = Context(store, date(2026, 11, 26))
    links = Context.links.built(ctx)  # what the rules see is a view of it that records their lookups
    assert isinstance(links, Links) and links is Context.links.built(ctx)
    assert ctx.links.actions_for_rec.get("nothing") is None and ctx.reads.linked == {"nothing"}
    clocks = Context.clocks_by_record.built(ctx)
    assert clocks is Context.clocks_by_record.built(ctx)
    found = {rid: clocks.get(rid) for rid in store.by_id}
    assert any(found.values()), "the examples have clocks"
    assert all(c.record_id == rid for rid, cs in found.items() for c in cs)
    assert ctx.agencies == [r for r in store.records if isinstance(r, Agency)] and ctx.agencies
    assert ctx.denylist_terms == [] and ctx.denylist is None  # the examples have no private/denylist.txt
    assert ctx.names is ctx.names
    assert ctx.statutory_calendar is not ctx.calendar
