"""A base for spreadsheet publications (XLSX and ODS): detect the format, read every sheet as a grid of cells.

Each cell keeps what the file stores: the cached value (what a spreadsheet program shows), the formula if any,
and the text as stored. A formula whose cached value is missing is evaluated only when it is a plain SUM of
ranges/cells, a single cell reference, or a sum of cell references on the same sheet; anything else is refused
(`Cell.refused` says why) and is never read as zero. Merged cells are kept so header rows merged over two
columns (#/% sub-columns) or two rows can be read as the publisher laid them out.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from parsers.facts import Document, Locator, ParseError, Status
from parsers.formats.tabular import header_key, zip_members
from parsers.normalise.values import CellValue

Format = Literal["xlsx", "ods"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A sheet of a transparency report is a few hundred rows. Repeats beyond the used area are formatting only:
# LibreOffice writes `number-rows-repeated="1048000"` for the empty rest of a sheet.
MAX_REPEAT = 2000
MAX_ROWS = 100_000
_ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "Err:502", "Err:504", "Err:522"}


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class Cell:
    """One stored cell: `value` is the cached (or computed) value, `formula` the formula as stored."""

    row: int
    column: int
    value: object = None
    formula: str | None = None
    text: str = ""  # the cell as stored, as text (numbers as Python prints them)
    note: str = ""  # e.g. "computed from =SUM(E6:E10): no cached value in the file"
    refused: str = ""  # why this cell has no usable value (an uncached formula we could not evaluate, #REF!)

    @property
    def letter(self) -> str:
        return column_letter(self.column)

    @property
    def coordinate(self) -> str:
        return f"{self.letter}{self.row}"

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.formula and not self.refused and not self.text.strip()


@dataclass
class Sheet:
    """A sheet as a sparse grid: 1-based rows and columns, merged ranges as (row1, col1, row2, col2)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_column(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def cell(self, row: int, column: int) -> Cell:
        return self.cells.get((row, column)) or Cell(row, column)

    def value(self, row: int, column: int) -> object:
        return self.cell(row, column).value

    def text(self, row: int, column: int) -> str:
        """The stored text of a cell, stripped; merged cells give the text of their top-left cell."""
        top = self.merge_origin(row, column)
        return self.cell(*top).text.strip()

    def merge_origin(self, row: int, column: int) -> tuple[int, int]:
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= column <= c2:
                return r1, c1
        return row, column

    def merge_span(self, row: int, column: int) -> tuple[int, int, int, int]:
        for span in self.merged:
            r1, c1, r2, c2 = span
            if r1 <= row <= r2 and c1 <= column <= c2:
                return span
        return row, column, row, column

    def row_cells(self, row: int) -> list[Cell]:
        return [c for (r, _), c in sorted(self.cells.items()) if r == row]

    def rows(self) -> Iterator[int]:
        """Row numbers holding at least one non-blank cell, in order."""
        yield from sorted({r for (r, _), c in self.cells.items() if not c.is_blank})

    def header(self, rows: Sequence[int], column: int) -> tuple[str, ...]:
        """The texts stacked above a column over several header rows, merged cells spread over what they cover."""
        return tuple(self.text(r, column) for r in rows)

    def locator(self, row: int, column: int, header: str = "") -> Locator:
        label = column_letter(column) + (f":{header}" if header else "")
        return Locator(sheet=self.name, row=row, column=label)


@dataclass
class Workbook:
    format: Format
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet | None:
        """A sheet by name, ignoring case and spacing."""
        key = header_key(name)
        return next((s for s in self.sheets if header_key(s.name) == key), None)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]


def detect_format(doc: Document) -> Format:
    """XLSX or ODS from the bytes; everything else (legacy XLS, HTML, empty, other ZIPs) is a ParseError."""
    data = doc.data
    if not data.strip():
        raise ParseError(doc, "empty file (expected a spreadsheet)")
    if data.startswith(CFB_MAGIC):
        raise ParseError(doc, "legacy Excel 97-2003 (.xls, OLE compound file) workbook: not supported, "
                              "ask the publisher for XLSX or convert it outside the pipeline")
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise ParseError(doc, "an HTML page was served instead of a spreadsheet")
    if not data.startswith(b"PK"):
        raise ParseError(doc, "not a spreadsheet: neither XLSX nor ODS (no ZIP signature)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and zf.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
    except zipfile.BadZipFile as e:
        raise ParseError(doc, f"damaged or truncated spreadsheet: not a readable ZIP ({e})") from e
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ParseError(doc, "a ZIP file that is neither an XLSX workbook nor an ODS spreadsheet")


def read_workbook(doc: Document) -> Workbook:
    """Every sheet of an XLSX or ODS document, with uncached formulas evaluated or refused."""
    fmt = detect_format(doc)
    book = Workbook(fmt, _read_xlsx(doc) if fmt == "xlsx" else _read_ods(doc))
    for sheet in book.sheets:
        _fill_uncached(sheet)
    return book


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _read_xlsx(doc: Document) -> list[Sheet]:
    from parsers.formats import xlsx_cached  # imported here: ODS-only callers do not pay for openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Unknown extension is not supported" on conditional formats
            formulas, cached = xlsx_cached.load(doc.data)  # one parse: formulas, and each formula's cached value
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise ParseError(doc, f"damaged or truncated XLSX workbook ({type(e).__name__}: {e})") from e
    except Exception as e:  # openpyxl raises bare exceptions of its own on malformed XML
        raise ParseError(doc, f"unreadable XLSX workbook ({type(e).__name__}: {e})") from e
    sheets: list[Sheet] = []
    for ws, formula_values in zip(formulas.worksheets, cached, strict=True):
        sheet = Sheet(ws.title, hidden=ws.sheet_state != "visible")
        for rng in ws.merged_cells.ranges:
            sheet.merged.append((rng.min_row, rng.min_col, rng.max_row, rng.max_col))
        for row in ws.iter_rows():
            for fc in row:
                raw = fc.value
                if raw is None:
                    continue
                # the cached value of a formula cell; any other cell stores the same value in both views
                value = formula_values.get((fc.row, fc.column)) if fc.data_type == "f" else raw
                formula_text: str | None = None
                if isinstance(raw, str) and raw.startswith("="):
                    formula_text = raw
                elif getattr(raw, "text", None) is not None:  # ArrayFormula / DataTableFormula objects
                    formula_text = str(raw.text)
                cell = Cell(fc.row, fc.column, value, formula_text, _text(value))
                if isinstance(value, str) and value.strip() in _ERRORS:
                    cell.value, cell.refused = None, f"the file stores the error value {value.strip()}"
                sheet.cells[(fc.row, fc.column)] = cell
        sheets.append(sheet)
    return sheets


_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


@functools.cache  # called per element and attribute of a sheet
def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_TEXT_P = _q("text", "p")


def _ods_text(el: etree._Element) -> str:
    """The text of a cell's paragraphs, with <text:s/> runs of spaces, tabs and line breaks."""

    def walk(node: etree._Element, out: list[str]) -> None:
        if node.tag == _q("text", "s"):
            out.append(" " * int(node.get(_q("text", "c"), "1")))
        elif node.tag == _q("text", "tab"):
            out.append("\t")
        elif node.tag == _q("text", "line-break"):
            out.append("\n")
        elif node.text:
            out.append(node.text)
        for child in node:
            walk(child, out)
            if child.tail:
                out.append(child.tail)

    paragraphs: list[str] = []
    for p in el.iterfind(_TEXT_P):
        if not len(p):  # the common case: plain text, no spans or spacing elements
            paragraphs.append(p.text or "")
            continue
        chunk: list[str] = []
        walk(p, chunk)
        paragraphs.append("".join(chunk))
    return "\n".join(paragraphs)


def _ods_value(el: etree._Element, text: str) -> object:
    vtype = el.get(_q("office", "value-type"))
    if vtype in ("float", "percentage", "currency"):
        raw = el.get(_q("office", "value"))
        if raw is None:
            return None
        v = float(raw)
        return int(v) if v.is_integer() and "." not in raw and "e" not in raw.lower() else v
    if vtype == "date":
        return el.get(_q("office", "date-value"))
    if vtype == "time":
        return el.get(_q("office", "time-value"))
    if vtype == "boolean":
        return el.get(_q("office", "boolean-value")) == "true"
    return text if text != "" else None


def _read_ods(doc: Document) -> list[Sheet]:
    members = zip_members(doc)
    content = members.get("content.xml")
    if content is None:
        raise ParseError(doc, "ODS spreadsheet without content.xml")
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as e:
        raise ParseError(doc, f"damaged ODS content.xml ({e})") from e
    sheets: list[Sheet] = []
    for table in root.iter(_q("table", "table")):
        sheet = Sheet(table.get(_q("table", "name"), f"Sheet{len(sheets) + 1}"))
        row_no = 0
        for row in table.iter(_q("table", "table-row")):
            repeat_rows = int(row.get(_q("table", "number-rows-repeated"), "1"))
            cells_in_row = _ods_row(row, sheet.name, doc)
            if not any(c is not None for _, c in cells_in_row):
                row_no += repeat_rows  # an empty row (or the empty rest of the sheet): nothing to store
                continue
            if repeat_rows > MAX_REPEAT:
                raise ParseError(doc, f"sheet {sheet.name}: a non-empty row repeated {repeat_rows} times")
            for _ in range(repeat_rows):
                row_no += 1
                if row_no > MAX_ROWS:
                    raise ParseError(doc, f"sheet {sheet.name}: more than {MAX_ROWS} rows")
                for col_no, el in cells_in_row:
                    if el is None:
                        continue
                    text = _ods_text(el)
                    formula = el.get(_q("table", "formula"))
                    value = _ods_value(el, text)
                    cell = Cell(row_no, col_no, value, formula, text)
                    # a formula without a stored result keeps value None: evaluated or refused by _fill_uncached
                    if formula and el.get(_q("office", "value-type")) is None and text.strip() in _ERRORS:
                        cell.value, cell.refused = None, f"the file stores the error value {text.strip()}"
                    sheet.cells[(row_no, col_no)] = cell
                    cs = int(el.get(_q("table", "number-columns-spanned"), "1"))
                    rs = int(el.get(_q("table", "number-rows-spanned"), "1"))
                    if cs > 1 or rs > 1:
                        sheet.merged.append((row_no, col_no, row_no + rs - 1, col_no + cs - 1))
        sheets.append(sheet)
    if not sheets:
        raise ParseError(doc, "ODS spreadsheet holds no sheets")
    return sheets


def _ods_row(row: etree._Element, sheet: str, doc: Document) -> list[tuple[int, etree._Element | None]]:
    """(column number, cell element or None for an empty cell) for one row, expanding column repeats."""
    out: list[tuple[int, etree._Element | None]] = []
    col = 0
    for el in row:
        if el.tag not in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
            continue
        repeat = int(el.get(_q("table", "number-columns-repeated"), "1"))
        empty = (el.tag == _q("table", "covered-table-cell") or (
            el.get(_q("office", "value-type")) is None and el.get(_q("table", "formula")) is None
            and not len(el)))
        if empty:
            col += repeat  # empty cells (often the rest of the row, repeated 1000+ times): skipped
            continue
        if repeat > MAX_REPEAT:
            raise ParseError(doc, f"sheet {sheet}: a non-empty cell repeated {repeat} times")
        for _ in range(repeat):
            col += 1
            out.append((col, el))
    return out


# Formula evaluation for uncached cells: only what can be checked by eye.
_REF = r"\$?([A-Z]{1,3})\$?(\d+)"
_RANGE = re.compile(rf"^{_REF}(?::{_REF})?$")
_SUM = re.compile(r"^SUM\((?P<args>[^()]*)\)$", re.IGNORECASE)


def _normalise_formula(formula: str) -> str:
    """Excel `=SUM(E6:E10)` and ODF `of:=SUM([.E6:.E10])` to one form: `SUM(E6:E10)`."""
    f = formula.strip()
    if f.startswith("of:"):
        f = f[3:]
        f = re.sub(r"\[\.(\$?[A-Z]+\$?\d+)(?::\.(\$?[A-Z]+\$?\d+))?\]",
                   lambda m: m[1] + (":" + m[2] if m[2] else ""), f)
        f = f.replace(";", ",")
    return f.lstrip("=").replace(" ", "")


def _refs(arg: str) -> list[tuple[int, int]] | None:
    m = _RANGE.match(arg)
    if not m:
        return None
    c1, r1 = column_index(m[1]), int(m[2])
    c2, r2 = (column_index(m[3]), int(m[4])) if m[3] else (c1, r1)
    if (r2 - r1 + 1) * (c2 - c1 + 1) > 1_000_000:
        return None
    return [(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)]


def _evaluate(sheet: Sheet, cell: Cell, seen: set[tuple[int, int]]) -> tuple[float | None, str]:
    """(value, problem). A SUM counts blank cells as Excel does (as nothing); any other content must be a number."""
    assert cell.formula is not None
    f = _normalise_formula(cell.formula)
    if m := _SUM.match(f):
        args = [a for a in m["args"].split(",") if a]
    elif "+" in f and all(_RANGE.match(a) and ":" not in a for a in f.split("+")):
        args = f.split("+")
    elif _RANGE.match(f) and ":" not in f:
        args = [f]
    else:
        return None, f"formula {cell.formula} is not a plain SUM or cell reference"
    total = 0.0
    for arg in args:
        refs = _refs(arg)
        if refs is None:
            return None, f"formula {cell.formula}: cannot read argument {arg!r} (other sheets and files are refused)"
        for key in refs:
            if key in seen:
                return None, f"formula {cell.formula} refers to itself"
            ref = sheet.cells.get(key)
            if ref is None or (ref.value is None and not ref.formula and not ref.refused):
                continue
            if ref.value is None and ref.formula and not ref.refused:
                v, problem = _evaluate(sheet, ref, seen | {key})
                if v is None:
                    return None, f"{ref.coordinate}: {problem}"
                total += v
                continue
            if ref.refused:
                return None, f"{ref.coordinate}: {ref.refused}"
            if isinstance(ref.value, bool) or not isinstance(ref.value, (int, float)):
                return None, f"formula {cell.formula}: {ref.coordinate} holds {ref.value!r}, not a number"
            total += float(ref.value)
    return total, ""


def _fill_uncached(sheet: Sheet) -> None:
    for key, cell in sheet.cells.items():
        if cell.formula and cell.value is None and not cell.refused:
            value, problem = _evaluate(sheet, cell, {key})
            if value is None:
                cell.refused = f"formula {cell.formula} has no cached value in the file and was not evaluated: {problem}"
            else:
                cell.value = int(value) if value.is_integer() else value
                cell.note = f"computed by govreq from {cell.formula}: the file stores no cached value"


def number(doc: Document, sheet: Sheet, row: int, column: int) -> object:
    """The value of a figure cell for `figure(raw=...)`; a refused cell is a ParseError naming it."""
    cell = sheet.cell(row, column)
    if cell.refused:
        raise ParseError(doc, f"sheet={sheet.name};cell={cell.coordinate}: {cell.refused}")
    return cell.value


def fraction_percent(doc: Document, where: Locator, raw: object) -> tuple[CellValue | None, str]:
    """A percentage stored as a fraction of 1 (0.76 shown as 76%) on the 0-100 scale, with the note that says so.

    Blank and non-numeric cells are left to `parse_number_cell` (cell None); a number above 1 is refused.
    """
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, ""
    if not 0 <= raw <= 1:
        raise ParseError(doc, f"{where.render()}: percentage cell {raw!r} is not a fraction of 1")
    v = round(float(raw) * 100, 10)
    status = Status.ZERO if v == 0 else Status.REPORTED
    return CellValue(v, v, v, status), f"stored as the fraction {raw!r}; shown on the 0-100 scale"
