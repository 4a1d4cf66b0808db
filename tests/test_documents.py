"""html, docx and pdf from `kscb render`: pandoc, charts and Typst from the documents extra, in the house style.

These never skip: `make test` installs the documents extra (pandoc in the pypandoc-binary
wheel, vl-convert, typst). Each document is rendered once per module from the demo store.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from kscb_cli.reporting.documents import PICTURE_FORMAT, convert, fill_fields, marking
from kscb_cli.reporting.render import render_document
from kscb_cli.store.config import load_config
from kscb_cli.store.store import Store

AS_OF = date(2026, 11, 26)
PRODUCED = date(2026, 11, 27)
REPORTS = {
    "board-report": {"since": date(2026, 6, 1)},
    "action-tracker": {},
    "yearly-report": {"year": "2025-26"},
    "section11-summary": {"id": "2025"},
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("demo")
    shutil.copy(ROOT / "kscb.yaml", dest / "kscb.yaml")
    shutil.copytree(ROOT / "records", dest / "records")
    return dest


_MADE: dict[tuple, tuple[bytes, str, int]] = {}


def made(root: Path, name: str, fmt: str, audience: str = "partnership") -> tuple[bytes, str, int]:
    """produce(), once per module for the same arguments (the byte-stability tests call produce() afresh)."""
    key = (str(root), name, fmt, audience)
    if key not in _MADE:
        _MADE[key] = produce(root, name, fmt, audience)
    return _MADE[key]


def produce(
    root: Path, name: str, fmt: str, audience: str = "partnership", options: dict | None = None
) -> tuple[bytes, str, int]:
    """(document bytes, the Markdown of the same rendering, how many charts its Markdown has as Mermaid)."""
    store = Store.open(root, config=load_config(root))
    opts = REPORTS.get(name, {}) if options is None else options
    markdown, _meta, _ = render_document(store, name, audience=audience, today=AS_OF, options=opts)
    text, meta, pictures = render_document(
        store, name, audience=audience, today=AS_OF, options=opts, pictures=PICTURE_FORMAT[fmt]
    )
    data = convert(text, fmt, title=meta.title, meta=meta, pictures=pictures, root=root, produced=PRODUCED)
    return data, markdown, markdown.count("```mermaid")


@pytest.fixture(scope="module")
def board(demo):
    return {fmt: made(demo, "board-report", fmt) for fmt in ("html", "docx", "pdf")}


def _docx_text(data: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode("utf-8")


# --- html -------------------------------------------------------------------------


def test_html_draws_every_chart_as_a_picture_and_no_mermaid(board):
    data, markdown, charts = board["html"]
    html = data.decode("utf-8")
    assert charts >= 3  # BRAG pie, BRAG by agency, clocks by quarter
    pictures = re.findall(r"<svg\b|<img\b", html)
    assert len(pictures) == charts
    assert "mermaid" not in html and "pie showData" not in html and "xychart" not in html
    for title in (
        "Actions by BRAG colour",
        "Actions by lead agency and BRAG colour",
        "Clocks met and missed, by quarter",
    ):
        assert title in html  # as alt text and inside the drawing


def test_html_has_one_title_a_marking_and_both_dates(board):
    html = board["html"][0].decode("utf-8")
    assert html.count("<h1") == 1
    assert html.count("OFFICIAL-SENSITIVE") >= 2  # header and footer
    assert "Northdale Safeguarding Children Partnership" in html.split("<main>")[0]
    assert "Produced 27 November 2026" in html and "Records as of 26 November 2026" in html


def test_html_keeps_ids_and_dates_whole_and_colours_brag_cells(board):
    html = board["html"][0].decode("utf-8")
    assert re.search(r'<span class="nobr">AP-LCSPR-2025-001#A\d</span>', html)
    assert re.search(r'<span class="nobr">20\d\d-\d\d-\d\d</span>', html)
    assert re.search(r'<td class="brag brag-red"[^>]*>Red \(overdue\)</td>', html)  # coloured, the word kept
    assert ".nobr { white-space: nowrap; }" in html


def test_html_is_byte_stable(demo, board):
    assert produce(demo, "board-report", "html")[0] == board["html"][0]


# --- docx -------------------------------------------------------------------------


def test_docx_embeds_an_image_for_each_chart_and_no_mermaid(board):
    data, _markdown, charts = board["docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        document = z.read("word/document.xml").decode("utf-8")
    assert len(media) == charts and all(n.endswith(".png") for n in media)
    assert document.count("<pic:pic") == charts
    assert "mermaid" not in document and "pie showData" not in document and "xychart" not in document


def test_docx_header_and_footer_carry_partnership_marking_and_dates(board):
    data = board["docx"][0]
    header, footer = _docx_text(data, "word/header1.xml"), _docx_text(data, "word/footer1.xml")
    assert "Northdale Safeguarding Children Partnership" in header and "OFFICIAL-SENSITIVE" in header
    assert "OFFICIAL-SENSITIVE" in footer and "27 November 2026" in footer and "26 November 2026" in footer
    assert "PAGE" in footer
    custom = _docx_text(data, "docProps/custom.xml")
    assert "OFFICIAL-SENSITIVE" in custom  # the DOCPROPERTY fields update to the same values in Word


def test_docx_colours_brag_cells_keeps_ids_whole_and_is_landscape(board):
    document = _docx_text(board["docx"][0])
    assert '<w:rStyle w:val="BRAGRed" />' in document or '<w:rStyle w:val="BRAGRed"/>' in document
    assert "AP\u2011LCSPR\u20112025\u2011001#A" in document  # non-breaking hyphens
    assert 'w:orient="landscape"' in document
    styles = _docx_text(board["docx"][0], "word/styles.xml")
    assert 'w:styleId="BRAGRed"' in styles and 'w:fill="F6D1CB"' in styles


def test_docx_is_byte_stable(demo, board):
    assert produce(demo, "board-report", "docx")[0] == board["docx"][0]


def test_a_store_reference_docx_replaces_the_house_one(demo, tmp_path):
    from kscb_cli.reporting.documents import HOUSE

    root = tmp_path / "mine"
    shutil.copytree(demo, root)
    (root / "templates").mkdir()
    source = (HOUSE / "reference.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as z, zipfile.ZipFile(out, "w") as w:
        for info in z.infolist():
            body = z.read(info.filename)
            if info.filename == "word/header1.xml":
                body = body.replace(
                    b"<w:r><w:tab/></w:r>", b'<w:r><w:t xml:space="preserve"> OUR OWN HEADER </w:t></w:r>'
                )
            w.writestr(info, body)
    (root / "templates" / "reference.docx").write_bytes(out.getvalue())
    data = produce(root, "action-tracker", "docx")[0]
    header = _docx_text(data, "word/header1.xml")
    assert "OUR OWN HEADER" in header and "OFFICIAL-SENSITIVE" in header


def test_fill_fields_fills_only_known_docproperty_fields():
    xml = (
        '<w:fldSimple w:instr=" DOCPROPERTY partnership \\* MERGEFORMAT "><w:r><w:t>x</w:t></w:r></w:fldSimple>'
        '<w:fldSimple w:instr=" DOCPROPERTY other "><w:r><w:t>keep</w:t></w:r></w:fldSimple>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    out = fill_fields(xml, {"partnership": "A & B <C>"})
    assert "A &amp; B &lt;C&gt;" in out and "keep" in out and ">1<" in out


# --- pdf --------------------------------------------------------------------------


def _pages(data: bytes) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_pdf_marks_every_page_with_partnership_marking_and_dates(board):
    data = board["pdf"][0]
    assert data.startswith(b"%PDF")
    pages = _pages(data)
    assert len(pages) >= 2
    for text in pages:
        assert "Northdale Safeguarding Children Partnership" in text
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # header and footer
        assert "Produced 27 November 2026" in text and "Records as of 26 November 2026" in text
    whole = "\n".join(pages)
    assert "mermaid" not in whole and "pie showData" not in whole
    assert whole.count("board report") == 1  # one title


def test_pdf_embeds_a_picture_for_each_chart(board):
    import pypdfium2
    import pypdfium2.raw as raw

    data, _markdown, charts = board["pdf"]
    pdf = pypdfium2.PdfDocument(data)
    images = sum(1 for i in range(len(pdf)) for obj in pdf[i].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
    assert images == charts


def test_pdf_is_byte_stable(demo, board):
    assert produce(demo, "board-report", "pdf")[0] == board["pdf"][0]


def test_public_documents_are_marked_public(demo):
    assert marking("public") == "PUBLIC" and marking("restricted") == "OFFICIAL-SENSITIVE"
    data = produce(demo, "action-tracker", "pdf", audience="public")[0]
    for text in _pages(data):
        assert "PUBLIC" in text and "OFFICIAL-SENSITIVE" not in text


# --- every report, every format ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_draws_each_chart_in_html_and_docx(demo, name):
    html, _markdown, charts = made(demo, name, "html")
    assert charts >= 1
    assert len(re.findall(r"<svg\b|<img\b", html.decode("utf-8"))) == charts
    docx = made(demo, name, "docx")[0]
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert sum(1 for n in z.namelist() if n.startswith("word/media/")) == charts
        assert "xychart" not in z.read("word/document.xml").decode("utf-8")


def test_the_yearly_report_has_training_and_theme_charts(demo):
    html = made(demo, "yearly-report", "html")[0].decode("utf-8")
    for title in (
        "Training places booked and attended, by agency",
        "Training events evaluated, by Kirkpatrick level",
        "Themes in reviews and audits, by year",
    ):
        assert title in html


def test_the_section11_summary_has_ratings_by_standard(demo):
    _html, markdown, _charts = made(demo, "section11-summary", "html")
    assert "Ratings by standard, cycle 2025" in markdown


# --- the command ------------------------------------------------------------------


def test_out_suffix_picks_the_format(demo, cli, tmp_path):
    for suffix, magic in ((".pdf", b"%PDF"), (".docx", b"PK"), (".html", b"<!DOCTYPE html>")):
        target = tmp_path / f"tracker{suffix}"
        result = cli("render", "action-tracker", "--as-of", "2026-11-26", "--out", str(target), cwd=demo)
        assert result.code == 0, result.err
        assert target.read_bytes().startswith(magic)


def test_pdf_and_docx_need_out(demo, cli):
    for fmt in ("pdf", "docx"):
        result = cli("render", "action-tracker", "--format", fmt, cwd=demo)
        assert result.code == 2 and "--out" in result.err


def test_without_the_documents_extra_kscb_says_how_to_get_it(demo, cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # import fails, as without the extra
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    result = cli("render", "action-tracker", "--out", str(tmp_path / "t.html"), cwd=demo)
    assert result.code == 2 and "kscb[documents]" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "t.html").exists()


# --- the chart mechanism ----------------------------------------------------------


def test_a_chart_is_data_drawn_by_one_function():
    from kscb_cli.reporting.charts import Chart, chart_of, draw, mermaid_source, spec

    c = chart_of(
        "Indicator trend",
        "line",
        {"2024-25": {"Met": 3, "Missed": 1}, "2025-26": {"Met": 4, "Missed": 0}},
        ["Met", "Missed"],
        axis="Clocks",
    )
    assert isinstance(c, Chart) and c.categories == ("2024-25", "2025-26")
    s = spec(c)
    assert s["mark"]["type"] == "line" and s["encoding"]["y"]["axis"]["values"] == [0, 1, 2, 3, 4]  # whole numbers only
    assert draw(c, "svg").startswith(b"<svg") and draw(c, "png").startswith(b"\x89PNG")
    assert draw(c, "svg") == draw(c, "svg")
    source = mermaid_source(c)
    assert source.startswith("```mermaid") and "line [3, 4]" in source and "line [1, 0]" in source
    assert chart_of("Nothing", "bar", {"a": {"x": 0}}, ["x"]) is None
    with pytest.raises(ValueError):
        Chart("bad", "bar", ("a", "b"), (("x", (1,)),))


def test_stacked_bars_in_mermaid_read_as_a_stack():
    from kscb_cli.reporting.charts import Chart, mermaid_source

    c = Chart("BRAG", "stacked", ("Police", "Health"), (("Red", (1, 0)), ("Green", (2, 3))))
    source = mermaid_source(c)
    assert source.index("bar [3, 3]") < source.index("bar [1, 0]")  # running totals, tallest drawn first
    assert "0 --> 3" in source  # the axis reaches the tallest stack
    assert "Series (stacked, bottom to top): Red, Green." in source
