"""Build ``kscb_cli/reporting/templates/house/reference.docx``: pandoc's default reference document in kscb's house style.

Run ``python -m kscb_cli.devtools.docx_reference`` to rebuild it (tests check the shipped file has
what kscb relies on). It adds, to pandoc's own styles:

- A4 landscape pages (board papers carry wide tables);
- a header (partnership name; classification marking) and a footer (marking; produced and
  as-of dates; page number) made of DOCPROPERTY fields that kscb fills in on every render;
- character styles "BRAG Red", "BRAG Amber", "BRAG Green", "BRAG Blue" and "BRAG Withdrawn"
  (shaded, bold) used for BRAG table cells;
- a bordered "Table" style with a shaded header row; Arial body text, 10pt.

A partnership replaces it by putting its own ``templates/reference.docx`` in the store
(``pandoc -o custom.docx --print-default-data-file reference.docx`` is a start, or copy this one
and edit its styles in Word). kscb fills in any simple DOCPROPERTY field named partnership,
classification, produced, as_of, audience or pagetitle in its header and footer.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FILLS = {"Red": "F6D1CB", "Amber": "FDE1CF", "Green": "CCE2D8", "Blue": "D2E2F1", "Withdrawn": "E8E9E9"}


def _field(name: str, placeholder: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:fldSimple w:instr=" DOCPROPERTY {name} \\* MERGEFORMAT "><w:r>{rpr}'
        f'<w:t xml:space="preserve">{placeholder}</w:t></w:r></w:fldSimple>'
    )


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


_TABS = '<w:tabs><w:tab w:val="right" w:pos="14570"/></w:tabs>'
_SMALL = '<w:rPr><w:sz w:val="17"/></w:rPr>'

HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}><w:p><w:pPr><w:pStyle w:val="Header"/>{_TABS}'
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="B1B4B6"/></w:pBdr></w:pPr>'
    f"{_field('partnership', 'Partnership')}<w:r><w:tab/></w:r>{_field('classification', 'CLASSIFICATION', bold=True)}</w:p></w:hdr>"
)

FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}><w:p><w:pPr><w:pStyle w:val="Footer"/>{_TABS}'
    '<w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="B1B4B6"/></w:pBdr></w:pPr>'
    f"{_field('classification', 'CLASSIFICATION', bold=True)}{_run('   Produced ')}{_field('produced', 'date')}"
    f"{_run('. Records as of ')}{_field('as_of', 'date')}{_run('. Audience: ')}{_field('audience', 'audience')}{_run('.')}"
    "<w:r><w:tab/></w:r>"
    + _run("Page ")
    + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    + _run(" of ")
    + '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
)

SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdKscbHeader"/><w:footerReference w:type="default" r:id="rIdKscbFooter"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
    '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
)

RELS = (
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Id="rIdKscbHeader" Target="header1.xml" />'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Id="rIdKscbFooter" Target="footer1.xml" />'
)

TYPES = (
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml" />'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
)

TABLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table" /><w:basedOn w:val="TableNormal" /><w:qFormat />'
    '<w:pPr><w:spacing w:before="20" w:after="20"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa" /><w:tblBorders>'
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa" /><w:left w:w="85" w:type="dxa" /><w:bottom w:w="28" w:type="dxa" />'
    '<w:right w:w="85" w:type="dxa" /></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/>'
    '<w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr></w:style>'
)


def _brag_styles() -> str:
    out = []
    for name, fill in FILLS.items():
        out.append(
            f'<w:style w:type="character" w:customStyle="1" w:styleId="BRAG{name}"><w:name w:val="BRAG {name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:rPr></w:style>'
        )
    return "".join(out)


def build(pandoc: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [pandoc, "-o", f"{tmp}/default.docx", "--print-default-data-file", "reference.docx"],
            capture_output=True,
            check=True,
        )
        default = Path(tmp, "default.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename).decode("utf-8")
            if info.filename == "word/document.xml":
                body = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, body, flags=re.S)
                body = (
                    body.replace(
                        "<w:document ",
                        '<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
                        1,
                    )
                    if "xmlns:r=" not in body
                    else body
                )
            elif info.filename == "word/_rels/document.xml.rels":
                body = body.replace("</Relationships>", RELS + "</Relationships>")
            elif info.filename == "[Content_Types].xml":
                body = body.replace("</Types>", TYPES + "</Types>")
            elif info.filename == "word/styles.xml":
                body = re.sub(
                    r'<w:style w:type="table" w:default="1" w:styleId="Table">.*?</w:style>',
                    TABLE,
                    body,
                    count=1,
                    flags=re.S,
                )
                body = re.sub(
                    r"<w:rFonts [^>]*/>",
                    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial" />',
                    body,
                    count=1,
                )
                body = body.replace(
                    '<w:sz w:val="24" />\n        <w:szCs w:val="24" />',
                    '<w:sz w:val="20" />\n        <w:szCs w:val="20" />',
                    1,
                )
                body = body.replace('w:val="en-US" w:eastAsia="zh-CN"', 'w:val="en-GB" w:eastAsia="zh-CN"', 1)
                body = body.replace("</w:styles>", _brag_styles() + "</w:styles>")
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body.encode("utf-8"))
        for name, text in (("word/header1.xml", HEADER), ("word/footer1.xml", FOOTER)):
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, text.encode("utf-8"))
    return out.getvalue()


def main() -> None:
    from kscb_cli.reporting.documents import HOUSE, pandoc_path

    dest = HOUSE / "reference.docx"
    dest.write_bytes(build(pandoc_path()))
    print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
