"""Read a spreadsheet — CSV or .xlsx — into a grid of cells, as the people who keep it see it.

CSV: UTF-8 (with or without a BOM), else Windows-1252 (what Excel on Windows saves);
comma, semicolon or tab, sniffed. Cells are text.

.xlsx: read with openpyxl (the `spreadsheets` extra), values as Excel stored them
(numbers, dates, text; formulas as their last computed value). A merged range takes
its top-left value in every cell, so a merged heading over two columns, or a
recommendation merged down over its actions, reads the way it looks.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError

Grid = list[list[Any]]  # rows of cells; row 1 is grid[0]
EXTRA_HINT = "pip install 'kscb[spreadsheets]' (or pipx inject kscb openpyxl rapidfuzz)"


def read_grid(path: Path, sheet: str | None = None) -> tuple[Grid, str | None]:
    """(rows, sheet name) of a .csv or .xlsx file."""
    path = Path(path)
    if not path.is_file():
        raise KscbError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet:
            raise KscbError(f"{path}: a CSV file has no sheets; leave out sheet")
        return _csv(path), None
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet)
    if suffix in (".xls", ".ods"):
        raise KscbError(
            f"{path}: kscb reads .xlsx and .csv; open the file in Excel or LibreOffice and save it as .xlsx"
        )
    raise KscbError(f"{path}: not a spreadsheet kscb reads (.xlsx or .csv)")


def _csv(path: Path) -> Grid:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise KscbError(f"{path}: not UTF-8 or Windows text; save it from Excel as 'CSV UTF-8'")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c if c.strip() else None for c in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def openpyxl() -> Any:
    """The openpyxl module, or a clear message saying how to install it."""
    try:
        import openpyxl as module
    except ImportError:
        raise KscbError(f"reading and writing .xlsx needs openpyxl: {EXTRA_HINT}") from None
    return module


def _xlsx(path: Path, sheet: str | None) -> tuple[Grid, str]:
    module = openpyxl()
    import zipfile

    try:
        book = module.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise KscbError(f"{path}: cannot be read as .xlsx ({exc}); open it in Excel and save it again") from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        from kscb_cli.base.suggest import suggest

        raise KscbError(
            f"{path}: no sheet {sheet!r}{suggest(sheet, book.sheetnames)}; its sheets: {', '.join(book.sheetnames)}"
        )
    grid: Grid = [[_cell(c.value) for c in row] for row in ws.iter_rows()]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            row = grid[r]
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(row):
                    row[c] = top
    return grid, ws.title


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def norm(text: Any) -> str:
    """A header or name compared loosely: case, punctuation, '&', spaces."""
    value = str(text).lower().replace("&", " and ")
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return " ".join(value.split())


def to_id(text: Any) -> str:
    """A cell as a record id: "lcspr 2025/01" → LCSPR-2025-01."""
    return "-".join(re.sub(r"[^A-Z0-9]+", " ", str(text).upper()).split())


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers as typed (1.0 → 1), dates as ISO."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return text or None


__all__ = ["EXTRA_HINT", "Grid", "cell_text", "norm", "openpyxl", "read_grid", "to_id"]
