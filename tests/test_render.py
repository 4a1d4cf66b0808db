"""kscb render: escaping, golden outputs on the demo and example stores, audiences, templates, wiring.

Golden files live in tests/golden/; rewrite them with KSCB_UPDATE_GOLDEN=1 after an intended change
and read the diff before committing.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, git
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting import views
from kscb_cli.reporting.render import DEFAULTS, list_templates, md, mdblock, render
from kscb_cli.store.store import Store

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("KSCB_UPDATE_GOLDEN") == "1"
AS_OF = date(2026, 11, 26)


# --- helpers --------------------------------------------------------------------


def load(root: Path):
    return Store.open(root)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> Path:
    """The demo store (kscb.yaml + records/), copied out of git so "what changed" uses record dates only."""
    dest = tmp_path_factory.mktemp("demo")
    shutil.copy(ROOT / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(ROOT / "records", dest / "records")
    return dest


@pytest.fixture(scope="module")
def examples_root(tmp_path_factory) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip("../shared/design/examples is not present outside the workplace")
    dest = tmp_path_factory.mktemp("examples")
    shutil.copy(EXAMPLES / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(EXAMPLES / "records", dest / "records")
    return dest


def _md() -> object:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _cells(line: str) -> int:
    return len(re.split(r"(?<!\\)\|", line.strip())) - 2


def assert_commonmark(text: str) -> None:
    """Valid CommonMark (+ tables): headings parse as headings, tables as tables with even rows, no raw HTML."""
    tokens = _md().parse(text)
    types = [t.type for t in tokens]
    assert "html_block" not in types, "raw HTML block in the output"
    for t in tokens:
        if t.type == "inline":
            assert not [c for c in t.children or () if c.type == "html_inline"], f"raw HTML in: {t.content!r}"
    headings = tables = 0
    fence = False
    header = None
    for line in text.split("\n"):
        if line.startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        if re.match(r"#{1,6} ", line):
            headings += 1
        if line.startswith("|"):
            if header is None:
                header = _cells(line)
                tables += 1
            assert _cells(line) == header, f"table row with {_cells(line)} cells under a header of {header}: {line}"
        else:
            header = None
    assert not fence, "a code fence is left open"
    assert types.count("heading_open") == headings, "a line starting with # did not parse as a heading (or text did)"
    assert types.count("table_open") == tables, "a table did not parse as a table"
    for t in tokens:
        if t.type == "fence":
            assert t.info == "mermaid"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"tests/golden/{name}.md is missing; run KSCB_UPDATE_GOLDEN=1 pytest tests/test_render.py"
    assert text == path.read_text(encoding="utf-8"), (
        f"tests/golden/{name}.md differs; if the change is intended, rerun with KSCB_UPDATE_GOLDEN=1 and review the diff"
    )


def walk(value, seen=None):
    """Every value inside a view."""
    seen = set() if seen is None else seen
    yield value
    if isinstance(value, (str, int, float, date, type(None))) or id(value) in seen:
        return
    seen.add(id(value))
    if is_dataclass(value):
        for f in fields(value):
            yield from walk(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk(k, seen)
            yield from walk(v, seen)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from walk(v, seen)


def narrative(store) -> dict[str, list[str]]:
    """Every narrative text in the store's records, by the record's classification."""
    from kscb_cli.lint.rules.privacy import texts

    out: dict[str, list[str]] = {"public": [], "partnership": [], "restricted": []}
    for entry in store.entries:
        if entry.record is not None:
            out[entry.record.classification] += [t for _, t in texts(entry.doc.data)]
            r = entry.record
            pub = getattr(r, "publication", None)
            if (
                r.kind == "review"
                and pub
                and pub.published
                and pub.decision != "not_published"
                and r.classification != "restricted"
            ):
                # what the partnership published is public (issue #9): title, learning, its response, the link
                out["public"] += (
                    [r.title, pub.url or ""] + [f.summary for f in r.findings] + [rec.text for rec in r.recommendations]
                )
    return out


# --- Markdown escaping ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("4.5 out of 5", "4.5 out of 5"),
        ("a | b", "a \\| b"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[link](https://example.org)", "\\[link\\](https://example.org)"),
        ("*bold* and `code`", "\\*bold\\* and \\`code\\`"),
        ("snake_case stays, _emphasis_ does not", "snake_case stays, \\_emphasis\\_ does not"),
        ("C# and #hashtag", "C# and \\#hashtag"),
        ("A&amp;E", "A\\&amp;E"),
        ("line one\nline two", "line one line two"),
    ],
)
def test_md_escapes_what_would_change_structure(text, escaped):
    assert md(text) == escaped


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from("#|*_[]<>`\\&-+=!~.()0123456789 \n"),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_md_text_renders_as_itself_in_a_paragraph_and_a_table_cell(text):
    expected = " ".join(text.split())
    if not expected:
        return
    parser = _md()
    tokens = parser.parse(md(text))
    inline = [t for t in tokens if t.type == "inline"]
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert "".join(c.content for c in inline[0].children if c.type == "text") == expected
    assert all(c.type == "text" for c in inline[0].children)
    table = parser.parse(f"| a | b |\n| --- | --- |\n| {md(text)} | x |\n")
    cells = [t for t in table if t.type == "td_open"]
    assert len(cells) == 2


def test_mdblock_keeps_markdown_but_not_html_or_top_level_headings():
    out = mdblock("Intro\n\n- one\n- two\n\n# Heading\n<img src=x onerror=alert(1)>\nText\n---\n```\ncode", 2)
    tokens = _md().parse(out)
    types = [t.type for t in tokens]
    assert "bullet_list_open" in types
    assert "html_block" not in types and "html_inline" not in [c.type for t in tokens if t.children for c in t.children]
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings] == ["h3"]  # nested under the level-2 section heading; "---" is not a heading
    assert out.rstrip().endswith("```")  # the open fence is closed


# --- golden files ---------------------------------------------------------------

DEMO_CASES = [
    ("seven-minute-briefing", "partnership", {"id": "7MB-2026-001"}, ""),
    ("seven-minute-briefing", "public", {"id": "7MB-2025-001"}, ""),
    ("seven-minute-briefing", "partnership", {"id": "7MB-2026-002"}, "-draft"),
    ("newsletter", "partnership", {"since": date(2026, 9, 1)}, ""),
    ("newsletter", "public", {"since": date(2026, 1, 1)}, ""),
    ("board-report", "partnership", {"since": date(2026, 9, 1)}, ""),
    ("board-report", "public", {"since": date(2026, 9, 1)}, ""),
    ("board-report", "restricted", {"since": date(2026, 9, 1)}, ""),
    ("action-tracker", "partnership", {}, ""),
    ("action-tracker", "partnership", {"workstream": "crg"}, "-crg"),
    ("action-tracker", "partnership", {"source": "LCSPR-2025-001"}, "-lcspr"),
    ("yearly-report", "partnership", {"year": "2025-26"}, ""),
    ("yearly-report", "public", {"year": "2025-26"}, ""),
    ("yearly-report", "restricted", {"year": "2025-26"}, ""),
    ("section11-summary", "partnership", {"id": "2025"}, ""),
    ("section11-summary", "public", {"id": "2025"}, ""),
    ("performance-report", "partnership", {}, ""),
    ("performance-report", "public", {}, ""),
    ("performance-report", "restricted", {}, ""),
    ("you-said-we-did", "partnership", {}, ""),
    ("you-said-we-did", "public", {}, ""),
    ("you-said-we-did", "restricted", {}, ""),
]
EXAMPLE_CASES = [
    ("seven-minute-briefing", "public", {"id": "7MB-2025-004"}, ""),
    ("newsletter", "partnership", {"since": date(2025, 10, 1)}, ""),
    ("newsletter", "public", {"since": date(2025, 10, 1)}, ""),
    ("board-report", "partnership", {"since": date(2026, 1, 1)}, ""),
    ("action-tracker", "partnership", {}, ""),
    ("yearly-report", "partnership", {"year": "2025-26"}, ""),
    ("section11-summary", "partnership", {"id": "2025"}, ""),
]


@pytest.mark.parametrize(("template", "audience", "options", "suffix"), DEMO_CASES)
def test_golden_demo(demo_root, template, audience, options, suffix):
    text, _title = render(load(demo_root), template, audience=audience, today=AS_OF, options=options)
    assert_commonmark(text)
    check_golden(f"demo-{template}-{audience}{suffix}", text)


@pytest.mark.parametrize(("template", "audience", "options", "suffix"), EXAMPLE_CASES)
def test_golden_examples(examples_root, template, audience, options, suffix):
    text, _title = render(load(examples_root), template, audience=audience, today=AS_OF, options=options)
    assert_commonmark(text)
    check_golden(f"examples-{template}-{audience}{suffix}", text)


def test_rendering_is_byte_stable(demo_root):
    store = load(demo_root)
    one = render(store, "board-report", today=AS_OF, options={"since": date(2026, 9, 1)})
    two = render(load(demo_root), "board-report", today=AS_OF, options={"since": date(2026, 9, 1)})
    assert one == two


# --- audiences ------------------------------------------------------------------


def test_public_newsletter_of_the_examples_leaks_no_text_and_no_small_count(examples_root):
    store = load(examples_root)
    text, _ = render(store, "newsletter", audience="public", today=AS_OF, options={"since": date(2025, 1, 1)})
    by_class = narrative(store)
    public = " ".join(" ".join(t.split()) for t in by_class["public"])
    private = [t for t in by_class["partnership"] + by_class["restricted"] if " ".join(t.split()) not in public]
    assert private, "the examples should hold partnership and restricted text to test against"
    flat = " ".join(text.split())
    for value in private:
        whole = " ".join(value.split())
        pieces = [whole] + [p for p in re.split(r"(?<=[.;:])\s+", whole) if len(p) >= 20 and p not in public]
        for piece in pieces:
            assert piece not in flat and md(piece) not in flat, (
                f"partnership/restricted text in a public newsletter: {piece[:60]!r}"
            )
    # in the view itself: a small count of children or families is never carried, only its
    # suppressed form (counts of training places and actions are shown: publication.suppress)
    context = views.build("newsletter", store, "public", AS_OF, {"since": date(2025, 1, 1)})
    for value in walk(context):
        if isinstance(value, views.Count) and value.of in store.config.publication.suppress:
            assert value.value is None or value.value == 0 or value.value >= 5
    from kscb_cli.model.config import COUNT_SUBJECTS

    store.config.publication.suppress = list(COUNT_SUBJECTS)
    strict, _ = render(store, "newsletter", audience="public", today=AS_OF, options={"since": date(2025, 1, 1)})
    assert small_counts(strict) == [], "counts under 5 in a public newsletter that suppresses every count"


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def small_counts(text: str) -> list[str]:
    """Standalone numbers 1-4 outside headings, dates, ids, list numbers and labels such as "Level 1"."""
    body = re.sub(r"(?m)^#.*$", "", text)
    body = re.sub(r"(?i)level \d|to 1 year", "", body)
    return re.findall(rf"(?<![\w./:#-])([1-4])(?![\w./:%-])(?! (?:{MONTHS}))", body)


@pytest.mark.parametrize(("template", "options"), [(t, o) for t, a, o, _ in DEMO_CASES if a == "public"])
def test_public_demo_renderings_show_no_count_under_the_threshold(demo_root, template, options):
    """With suppression on for everything, no small count reaches a public document; by default
    (children and families only), no small count of children or families does."""
    from kscb_cli.model.config import COUNT_SUBJECTS

    store = load(demo_root)
    for value in walk(views.build(template, store, "public", AS_OF, options)):
        if isinstance(value, views.Count) and value.of in ("children", "families"):
            assert value.value is None or value.value == 0 or value.value >= 5
    store.config.publication.suppress = list(COUNT_SUBJECTS)
    text, _ = render(store, template, audience="public", today=AS_OF, options=options)
    assert small_counts(text) == []
    for value in walk(views.build(template, store, "public", AS_OF, options)):
        if isinstance(value, views.Count):
            assert value.value is None or value.value == 0 or value.value >= 5


def test_small_numbers_suppress_children_not_the_partnership_s_own_work(demo_root):
    """Issue 9: counts of audits, training events, attendees, agencies and actions are not
    suppressed by default; counts of children and families are; publication.suppress says which."""
    from kscb_cli.reporting.views.audience import Audience

    store = load(demo_root)
    public = Audience("public", store.config)
    assert public.count(3).suppressed and public.count(3, of="families").suppressed
    for of in ("audits", "training", "practitioners", "agencies", "actions"):
        assert public.count(3, of=of).shown == "3" and public.pct(2, 3, of=of) == "67%"
    assert public.pct(2, 3) == "—"
    store.config.publication.suppress = ["children", "families", "training"]
    stricter = Audience("public", store.config)
    assert stricter.count(3, of="training").suppressed and not stricter.count(3, of="audits").suppressed
    assert not Audience("partnership", store.config).count(3).suppressed


@pytest.mark.parametrize(("template", "options"), [(t, o) for t, a, o, _ in DEMO_CASES if a == "partnership"])
def test_record_text_reaches_views_only_as_text_with_its_source(demo_root, template, options):
    """Provenance is what lets a public rendering name the record and field it refuses."""
    store = load(demo_root)
    texts = {" ".join(t.split()) for ts in narrative(store).values() for t in ts if len(t) > 20}
    context = views.build(template, store, "partnership", AS_OF, options)
    for value in walk(context):
        if isinstance(value, str) and not isinstance(value, views.Text):
            assert " ".join(value.split()) not in texts, (
                f"record text reached the view without its source: {value[:60]!r}"
            )
        if isinstance(value, views.Text):
            assert store.get(value.record) is not None and value.field
        assert not isinstance(value, (BaseModel, Store)), f"a template would reach a {type(value).__name__}"


def test_restricted_records_stay_out_of_a_partnership_report(demo_root):
    store = load(demo_root)
    by_class = narrative(store)
    visible = " ".join(" ".join(t.split()) for t in by_class["public"] + by_class["partnership"])
    secret = [" ".join(t.split()) for t in by_class["restricted"]]
    secret = [t for t in secret if t not in visible]
    for template, options in (
        ("board-report", {"since": date(2025, 1, 1)}),
        ("yearly-report", {"year": "2025-26"}),
        ("action-tracker", {}),
        ("newsletter", {"since": date(2025, 1, 1)}),
    ):
        text, _ = render(store, template, audience="partnership", today=AS_OF, options=options)
        flat = " ".join(text.split())
        for value in secret:
            assert value not in flat and md(value) not in flat, (
                f"restricted text in a partnership {template}: {value[:60]!r}"
            )
    restricted, _ = render(
        store, "board-report", audience="restricted", today=AS_OF, options={"since": date(2025, 1, 1)}
    )
    assert "| RR-2025-001 |" in restricted


def _briefing(body: str, classification: str = "public") -> str:
    """A public 7-minute briefing; `body` is the first section's body as YAML (a scalar, or a block scalar indented 6)."""
    headings = [
        "Background",
        "Why it matters",
        "Information",
        "Information",
        "Information",
        "Things to remember",
        "What to do",
    ]
    sections = "\n".join(f"  - heading: {h}\n    body: {body if i == 0 else 'Text.'}" for i, h in enumerate(headings))
    return f"""\
kind: briefing
id: 7MB-2026-009
title: 7-minute briefing – Child T
status: approved
classification: {classification}
format: seven_minute
audience: Everyone
sections:
{sections}
approved: 2026-01-10
"""


def test_public_rendering_refuses_identifying_data_naming_record_and_field(make_store, cli):
    root = make_store(
        {"records/briefings/7MB-2026-009.yaml": _briefing("'Child T, DOB 12/03/2019, was seen at home.'")}
    )
    result = cli(
        "render", "seven-minute-briefing", "7MB-2026-009", "--audience", "public", "--as-of", "2026-11-26", cwd=root
    )
    assert result.code == 1
    assert "7MB-2026-009" in result.err and "sections[0].body" in result.err
    assert "12/03/2019" not in result.err and result.out == ""
    assert "Traceback" not in result.err
    ok = cli(
        "render",
        "seven-minute-briefing",
        "7MB-2026-009",
        "--audience",
        "partnership",
        "--as-of",
        "2026-11-26",
        cwd=root,
    )
    assert ok.code == 0  # partnership readers are not the public; lint guards the record itself


def test_public_rendering_refuses_a_denylisted_term_without_printing_it(make_store, cli):
    root = make_store({"records/briefings/7MB-2026-009.yaml": _briefing("Child T went to Brookside Primary.")})
    (root / "private").mkdir()
    (root / "private" / "denylist.txt").write_text("# schools\nBrookside Primary\n", encoding="utf-8")
    result = cli(
        "render", "seven-minute-briefing", "7MB-2026-009", "--audience", "public", "--as-of", "2026-11-26", cwd=root
    )
    assert result.code == 1
    assert "deny-listed" in result.err and "line 2" in result.err and "sections[0].body" in result.err
    assert "Brookside" not in result.err and result.out == ""


def test_a_record_the_audience_may_not_see_is_refused(make_store, cli):
    root = make_store({"records/briefings/7MB-2026-009.yaml": _briefing("Text.", classification="partnership")})
    result = cli("render", "seven-minute-briefing", "7MB-2026-009", "--audience", "public", cwd=root)
    assert result.code == 1 and "classification" in result.err and "7MB-2026-009" in result.err


def test_briefing_markdown_body_is_kept_but_html_is_not(make_store):
    body = "|\n      Read this:\n\n      - see the child\n      - **ask** who lives there\n\n      <script>alert(1)</script>"
    root = make_store({"records/briefings/7MB-2026-009.yaml": _briefing(body)})
    text, _ = render(
        load(root), "seven-minute-briefing", audience="public", today=AS_OF, options={"id": "7MB-2026-009"}
    )
    assert_commonmark(text)
    assert "- **ask** who lives there" in text and "\\<script>" in text


# --- templates: overrides, eject, errors ------------------------------------------


def test_store_template_overrides_the_default(make_store, cli):
    root = make_store({"records/briefings/7MB-2026-009.yaml": _briefing("Text.")})
    (root / "templates").mkdir()
    (root / "templates" / "seven-minute-briefing.md.j2").write_text(
        "# {{ doc.title }} for {{ meta.short_name }}\n\n{% for s in doc.sections %}{{ s.number }}) {{ s.heading }}\n{% endfor %}",
        encoding="utf-8",
    )
    result = cli("render", "seven-minute-briefing", "7MB-2026-009", cwd=root)
    assert result.code == 0, result.err
    assert result.out.startswith("# 7-minute briefing – Child T for TSCP\n")
    listing = {t.name: t for t in list_templates(root)}
    assert listing["seven-minute-briefing"].origin == "store" and listing["seven-minute-briefing"].overrides
    assert listing["newsletter"].origin == "default"
    shown = cli("templates", cwd=root)
    assert shown.code == 0
    line = next(l for l in shown.out.splitlines() if "seven-minute-briefing" in l)
    assert "store" in line and "overrides" in line


def test_undefined_variable_names_the_template_file_and_line(make_store, cli):
    root = make_store({})
    (root / "templates").mkdir()
    (root / "templates" / "newsletter.md.j2").write_text(
        "# {{ meta.partnership }}\n\nline two\n{{ doc.nothing_here }}\n", encoding="utf-8"
    )
    result = cli("render", "newsletter", "--since", "2026-01-01", cwd=root)
    assert result.code == 2
    assert "templates/newsletter.md.j2:4" in result.err and "nothing_here" in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_syntax_error_names_the_template_file_and_line(make_store, cli):
    root = make_store({})
    (root / "templates").mkdir()
    (root / "templates" / "action-tracker.md.j2").write_text(
        "# Tracker\n\n{% for a in doc.plans %}\n{{ a.id }}\n", encoding="utf-8"
    )
    result = cli("render", "action-tracker", cwd=root)
    assert result.code == 2
    assert "templates/action-tracker.md.j2:" in result.err and "syntax error" in result.err
    assert "Traceback" not in result.err


def test_templates_are_sandboxed(make_store, cli):
    root = make_store({})
    (root / "templates").mkdir()
    (root / "templates" / "action-tracker.md.j2").write_text(
        "{{ doc.brag.__class__.__init__.__globals__ }}\n", encoding="utf-8"
    )
    result = cli("render", "action-tracker", cwd=root)
    assert result.code == 2 and "templates/action-tracker.md.j2:1" in result.err


def test_eject_copies_a_default_and_never_overwrites(make_store, cli):
    root = make_store({})
    first = cli("templates", "eject", "newsletter", cwd=root)
    assert first.code == 0, first.err
    copied = root / "templates" / "newsletter.md.j2"
    assert copied.read_text(encoding="utf-8") == (DEFAULTS / "newsletter.md.j2").read_text(encoding="utf-8")
    copied.write_text(copied.read_text(encoding="utf-8") + "\nLocal footer.\n", encoding="utf-8")
    again = cli("eject", "newsletter", cwd=root)
    assert again.code == 2 and "already exists" in again.err
    assert copied.read_text(encoding="utf-8").endswith("Local footer.\n")
    rendered = cli("render", "newsletter", "--since", "2026-01-01", "--as-of", "2026-11-26", cwd=root)
    assert rendered.code == 0 and rendered.out.endswith("Local footer.\n")
    unknown = cli("eject", "newslet", cwd=root)
    assert unknown.code == 2 and "did you mean 'newsletter'" in unknown.err


def test_a_store_template_that_overrides_nothing_is_an_error(make_store, cli):
    root = make_store({})
    (root / "templates").mkdir()
    (root / "templates" / "newsleter.md.j2").write_text("x\n", encoding="utf-8")
    (root / "templates" / "_mine.md.j2").write_text("{% macro x() %}{% endmacro %}\n", encoding="utf-8")
    result = cli("templates", cwd=root)
    assert result.code == 1
    assert "newsleter" in result.err and "did you mean 'newsletter'" in result.err
    assert "_mine" not in result.err  # a partial of the store's own is fine


# --- the command ----------------------------------------------------------------


def test_out_writes_the_same_bytes_atomically(make_store, cli, tmp_path):
    root = make_store({"records/briefings/7MB-2026-009.yaml": _briefing("Text.")})
    shown = cli("render", "seven-minute-briefing", "7MB-2026-009", "--as-of", "2026-11-26", cwd=root)
    target = tmp_path / "briefing.md"
    written = cli(
        "render", "seven-minute-briefing", "7MB-2026-009", "--as-of", "2026-11-26", "--out", str(target), cwd=root
    )
    assert written.code == 0 and written.out == "" and "wrote" in written.err
    assert target.read_text(encoding="utf-8") == shown.out


def test_word_and_html_need_pandoc(make_store, cli, tmp_path, monkeypatch):
    root = make_store({})
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # as without the documents extra
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    result = cli("render", "action-tracker", "--out", str(tmp_path / "tracker.docx"), cwd=root)
    assert result.code == 2 and "pandoc" in result.err and not (tmp_path / "tracker.docx").exists()
    binary = cli("render", "action-tracker", "--format", "docx", cwd=root)
    assert binary.code == 2 and "--out" in binary.err
    pandoc_style = cli("render", "action-tracker", "--to", "html", cwd=root)
    assert pandoc_style.code == 2 and "pandoc" in pandoc_style.err


def test_pandoc_converts_to_html(make_store, cli):
    root = make_store({})
    result = cli("render", "action-tracker", "--format", "html", cwd=root)
    assert result.code == 0 and "<h1" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["newsletter"], "needs --since"),
        (["action-tracker", "--since", "2026-01-01"], "does not take --since"),
        (["action-tracker", "--workstream", "cr"], "not a workstream"),
        (["newsletter", "NEWS-1", "--since", "2026-01-01"], "takes no"),
        (["yearly-report", "--year", "2025-27"], "2025-26"),
        (["yearly-report", "--from", "2025-04-01"], "both --from and --to"),
        (["seven-minute-briefing"], "needs the briefing's id"),
        (["section11-summary", "1999"], "cycles in the store"),
        (["news"], "no template 'news'"),
        (["board-report", "--since", "yesterday"], "not a date"),
    ],
)
def test_usage_errors_exit_2_with_the_fix(make_store, cli, args, message):
    root = make_store({})
    result = cli("render", *args, cwd=root)
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err


def test_seven_minute_briefing_refuses_another_kind(examples_root, cli):
    result = cli("render", "seven-minute-briefing", "LCSPR-2025-001", cwd=examples_root)
    assert result.code == 2 and "review record" in result.err


def test_reporting_year():
    assert views.reporting_year("2025-26", None, None, AS_OF) == ("2025-26", date(2025, 4, 1), date(2026, 3, 31))
    assert views.reporting_year(None, None, None, AS_OF)[0] == "2025-26"
    assert views.reporting_year(None, None, None, date(2026, 3, 1))[0] == "2024-25"
    with pytest.raises(KscbError):
        views.reporting_year("2025", None, None, AS_OF)


def test_board_report_uses_the_git_audit_trail_when_there_is_one(git_store, cli):
    pytest.importorskip("kscb_cli.history")

    plan = """\
    kind: action_plan
    id: AP-1
    title: Action plan – audit
    status: in_progress
    source: AUD-1
    actions:
      - {id: A1, action: Write the standard., lead_agency: LA, lead_role: Principal Social Worker, due: 2026-12-31,
         status: in_progress, success_measure: Published.}
    """
    audit = """\
    kind: audit
    id: AUD-1
    title: Audit of strategy discussions
    status: reported
    audit_type: dip_sample
    period: {from: 2026-01-01, to: 2026-03-31}
    sample: {cases: 10, selection: random}
    planned: 2026-04-01
    reported: 2026-06-01
    """
    agency = "kind: agency\nid: LA\ntitle: Testshire Council\nstatus: active\nsector: local_authority\nsafeguarding_partner: true\nsection11_duty: true\n"
    root = git_store(
        {"records/action-plans/AP-1.yaml": plan, "records/audits/AUD-1.yaml": audit, "records/agencies/LA.yaml": agency}
    )
    path = root / "records" / "action-plans" / "AP-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "status: in_progress, success",
            "status: complete, completed: 2026-11-20,\n     evidence: [{date: 2026-11-20, text: Published.}], success",
        ),
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "A1 complete")
    result = cli("render", "board-report", "--since", "2000-01-01", "--as-of", "2026-11-26", cwd=root)
    assert result.code == 0, result.err
    assert "### Recorded in git" in result.out and "action completed A1" in result.out
