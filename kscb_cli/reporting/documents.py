"""Documents people read: the rendered Markdown as html, docx or pdf, in the house style, charts as pictures.

Everything comes from the ``documents`` extra (``pip install 'kscb[documents]'``), so
nothing is installed by hand: pandoc from the ``pypandoc-binary`` wheel converts; charts are
drawn by ``charts.draw`` (vl-convert); pdf is pandoc's Typst output set by the ``typst``
wheel (its own fonts; no cairo or pango). A pandoc on PATH is used only when the wheel is
missing.

The house style (``kscb_cli/reporting/templates/house/``; a file of the same name in the store's
``templates/`` replaces it):

- ``house.lua``: BRAG cells coloured (the word kept), ids and dates never broken;
- ``house.html`` + ``house.css``: one title, a wide layout, running header and footer;
- ``house.typ``: A4 landscape pages with the partnership's name and the classification
  marking in every page's header, the marking, production and as-of dates and page number
  in every footer;
- ``reference.docx``: Word styles, landscape pages, header and footer. Its header and footer
  hold DOCPROPERTY fields (partnership, classification, produced, as_of, audience) that
  kscb fills in, so a partnership's own reference document can place them anywhere.

The marking comes from the audience: ``public`` is PUBLIC; ``partnership`` and
``restricted`` are OFFICIAL-SENSITIVE. "Produced" is the date the document is made
(``KSCB_TODAY``, else the system date); "as of" is the records' date (``--as-of``). The
same inputs give the same bytes: pandoc and the zip get a fixed timestamp, Typst a fixed
(absent) document date.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import TEMPLATES

HOUSE = Path(__file__).resolve().parent / "templates" / "house"
MARKINGS = {"public": "PUBLIC", "partnership": "OFFICIAL-SENSITIVE", "restricted": "OFFICIAL-SENSITIVE"}
PICTURE_FORMAT = {"html": "svg", "docx": "png", "pdf": "png"}
EXTRA = "pip install 'kscb[documents]'"


def marking(audience: str) -> str:
    """The classification marking printed on every page for this audience."""
    return MARKINGS.get(audience, "OFFICIAL-SENSITIVE")


def asset(name: str, root: Path | None) -> Path:
    """A house-style file: the store's templates/NAME when there is one, else the default."""
    if root is not None:
        mine = root / TEMPLATES / name
        if mine.is_file():
            return mine
    return HOUSE / name


def pandoc_path() -> str:
    """pandoc from the pypandoc-binary wheel, else on PATH; a user error naming the extra when neither."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        if path:
            return str(path)
    except (ImportError, OSError):
        pass
    found = shutil.which("pandoc")
    if found is None:
        raise KscbError(
            f"html, docx and pdf need pandoc, which comes with the documents extra: {EXTRA} (or install pandoc 3 on PATH)"
        )
    return found


def _run(args: list[str], cwd: Path, epoch: int) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    done = subprocess.run(args, capture_output=True, check=False, cwd=cwd, env=env)
    if done.returncode != 0:
        raise KscbError(f"pandoc could not convert the document: {done.stderr.decode('utf-8', 'replace').strip()}")


def _meta_file(folder: Path, values: dict[str, str]) -> Path:
    """Metadata as literal text: escaped for Markdown (pandoc reads metadata as Markdown), escaped again by each writer."""
    from kscb_cli.reporting.markdown import md

    path = folder / "meta.json"
    path.write_text(json.dumps({k: md(v) for k, v in values.items()}, sort_keys=True), encoding="utf-8")
    return path


def convert(
    markdown: str,
    to: str,
    *,
    title: str,
    meta: Any = None,
    pictures: Any = None,
    root: Path | None = None,
    produced: date | None = None,
) -> bytes:
    """The Markdown as html, docx or pdf bytes; ``pictures`` (render.Pictures) are drawn and embedded."""
    from kscb_cli.reporting.charts import draw
    from kscb_cli.reporting.render import longdate

    pandoc = pandoc_path()
    audience = getattr(meta, "audience", "partnership")
    as_of = getattr(meta, "as_of", None)
    produced = produced or as_of or date(1970, 1, 1)
    values = {
        "pagetitle": title or getattr(meta, "title", "") or "kscb",
        "partnership": getattr(meta, "partnership", "") or "",
        "classification": marking(audience),
        "audience": getattr(meta, "audience_label", audience),
        "produced": longdate(produced),
        "as_of": longdate(as_of) if as_of else "—",
    }
    epoch = int(datetime(produced.year, produced.month, produced.day, tzinfo=UTC).timestamp())
    with tempfile.TemporaryDirectory(prefix="kscb-render-") as tmp:
        folder = Path(tmp)
        for name, chart in pictures.charts if pictures is not None else []:
            (folder / name).write_bytes(draw(chart, name.rsplit(".", 1)[1]))
        (folder / "document.md").write_text(markdown, encoding="utf-8")
        args = [
            pandoc,
            "document.md",
            "--from",
            "gfm",
            "--columns",
            "10000",
            "--resource-path",
            str(folder),
            "--metadata-file",
            str(_meta_file(folder, values)),
            "--lua-filter",
            str(asset("house.lua", root)),
        ]
        if to == "html":
            css = asset("house.css", root).read_text(encoding="utf-8")
            args += [
                "--to",
                "html5",
                "--standalone",
                "--embed-resources",
                "--template",
                str(asset("house.html", root)),
                "--variable",
                "css=" + css,
                "--output",
                "out.html",
            ]
            _run(args, folder, epoch)
            return (folder / "out.html").read_bytes()
        if to == "docx":
            args += ["--to", "docx", "--reference-doc", str(asset("reference.docx", root)), "--output", "out.docx"]
            _run(args, folder, epoch)
            return fill_docx((folder / "out.docx").read_bytes(), values, produced)
        if to == "pdf":
            args += [
                "--to",
                "typst",
                "--standalone",
                "--template",
                str(asset("house.typ", root)),
                "--output",
                "out.typ",
            ]
            _run(args, folder, epoch)
            return typeset(folder / "out.typ", folder)
    raise KscbError(f"unknown format {to!r}; use md, html, docx or pdf")


def typeset(source: Path, folder: Path) -> bytes:
    """A Typst file as PDF bytes, by the typst wheel."""
    try:
        import typst
    except ImportError:
        raise KscbError(f"pdf needs Typst, which comes with the documents extra: {EXTRA}") from None
    try:
        return typst.compile(str(source), root=str(folder))
    except Exception as exc:  # typst reports a template or content problem as a plain exception
        raise KscbError(f"the pdf could not be typeset: {' '.join(str(exc).split())[:600]}") from None


# --- Word: fill the header and footer fields, fix the zip's timestamps -----------

_FIELD = re.compile(r'(<w:fldSimple\b[^>]*w:instr="\s*DOCPROPERTY\s+"?(\w+)"?[^"]*"[^>]*>)(.*?)(</w:fldSimple>)', re.S)
_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)(.*?)(</w:t>)", re.S)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fill_fields(xml: str, values: dict[str, str]) -> str:
    """Each simple DOCPROPERTY field shows its value now (Word would show the reference document's text until fields update)."""

    def one(m: re.Match[str]) -> str:
        name = m.group(2)
        if name not in values:
            whole: str = m.group(0)
            return whole
        inner = m.group(3)
        shown = _xml(values[name])
        if _TEXT.search(inner):
            first = [True]

            def text(t: re.Match[str]) -> str:
                if first[0]:
                    first[0] = False
                    opening = '<w:t xml:space="preserve">' if t.group(1) == "<w:t>" else t.group(1)
                    return f"{opening}{shown}{t.group(3)}"
                return f"{t.group(1)}{t.group(3)}"

            inner = _TEXT.sub(text, inner)
        else:
            inner = f'<w:r><w:t xml:space="preserve">{shown}</w:t></w:r>'
        rebuilt: str = m.group(1) + inner + m.group(4)
        return rebuilt

    return _FIELD.sub(one, xml)


def fill_docx(data: bytes, values: dict[str, str], produced: date) -> bytes:
    """The docx with its header and footer fields filled in and every zip entry dated `produced`."""
    stamp = (max(produced.year, 1980), produced.month, produced.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if re.fullmatch(r"word/(header|footer)\d*\.xml", info.filename):
                body = fill_fields(body.decode("utf-8"), values).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, body)
    return out.getvalue()
