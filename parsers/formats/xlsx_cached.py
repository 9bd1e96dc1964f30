"""An XLSX workbook read once: openpyxl's formulas view, plus the value the file caches for each formula cell.

openpyxl shows either the formulas (`data_only=False`) or the cached values (`data_only=True`), one full parse of
every sheet each; the two differ only in formula cells, so loading the workbook twice (as `spreadsheet` once did)
parsed every cell twice. Here the workbook is loaded once with its formulas, and each sheet's XML is scanned again
by lxml for its formula cells only, each read by openpyxl's own cell reader in cached-value mode (the same casts:
numbers, dates by number format, shared strings, booleans, errors). A sheet whose cells do not all say where they
are (no `r` attribute: openpyxl then counts positions itself) falls back to the second full load.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

Cached = dict[tuple[int, int], object]


def load(data: bytes) -> tuple[Any, list[Cached]]:
    """(the workbook with its formulas, per worksheet in workbook order: (row, column) -> cached value of each
    formula cell). openpyxl's exceptions propagate as `load_workbook`'s would."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(io.BytesIO(data), data_only=False)
    reader.read()
    book = reader.wb
    targets = [rel.target for _, rel in reader.parser.find_sheets()
               if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    cached: list[Cached] | None = None
    if len(targets) == len(book.worksheets):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            found = [_formula_values(zf.read(t), reader.shared_strings, book) for t in targets]
        cached = None if any(c is None for c in found) else [c for c in found if c is not None]
    if cached is None:  # positions openpyxl would count itself: take its cached-value load
        import openpyxl

        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        cached = [{(c.row, c.column): values[ws.title].cell(c.row, c.column).value
                   for row in ws.iter_rows() for c in row if c.data_type == "f"} for ws in book.worksheets]
    return book, cached


def _formula_values(xml: bytes, shared_strings: list[str], book: Any) -> Cached | None:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    cells = WorkSheetParser(None, shared_strings, data_only=True, epoch=book.epoch,
                            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    out: Cached = {}
    for _, el in etree.iterparse(io.BytesIO(xml), tag=f"{{{SHEET_MAIN_NS}}}c", huge_tree=True,
                                 resolve_entities=False):
        if not el.get("r"):
            return None
        if el.find(FORMULA_TAG) is not None:
            cell = cells.parse_cell(el)
            out[(cell["row"], cell["column"])] = cell["value"]
        el.clear()
    return out
