"""The spreadsheet base: format detection, cached values vs formulas, uncached formulas, ODS repeats, merges.

Every workbook here is synthetic, built in the test (openpyxl, or an ODS content.xml written by hand).
"""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
import pytest

from parsers.facts import Document, Locator, ParseError
from parsers.formats.spreadsheet import detect_format, fraction_percent, number, read_workbook


def _doc(data: bytes, url: str = "https://example.org/synthetic.xlsx") -> Document:
    return Document(data, hashlib.sha256(data).hexdigest(), url, "synthetic", "synthetic")


def _xlsx(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="Synthetic">{rows_xml}</table:table>'
        '</office:spreadsheet></office:body></office:document-content>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    return out.getvalue()


def test_sum_without_cached_value_is_computed_from_the_cells_it_names() -> None:
    # openpyxl writes formulas without cached values: exactly the case of a workbook saved by a script.
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        ws["A1"], ws["B1"], ws["B2"], ws["B3"] = "Total", 7, 5, "=SUM(B1:B2)"
        ws["B4"] = "=B1+B2+B3"

    book = read_workbook(_doc(_xlsx(build)))
    sheet = book.sheets[0]
    assert sheet.cell(3, 2).value == 12 and "computed" in sheet.cell(3, 2).note
    assert sheet.cell(3, 2).formula == "=SUM(B1:B2)"
    assert sheet.cell(4, 2).value == 24  # a sum of references, one of them itself computed


@pytest.mark.parametrize("formula", ["=B1*2", "=B1/B2", "=Other!B1", "=SUM(B1,C1)"])
def test_formula_that_cannot_be_evaluated_is_refused_never_zero(formula: str) -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        ws["B1"], ws["B2"], ws["C1"], ws["B3"] = 7, 5, "n/a", formula

    doc = _doc(_xlsx(build))
    sheet = read_workbook(doc).sheets[0]
    cell = sheet.cell(3, 2)
    assert cell.value is None and cell.refused, cell
    with pytest.raises(ParseError, match="cell=B3"):
        number(doc, sheet, 3, 2)


def test_cached_values_and_formulas_both_kept() -> None:
    # A workbook whose formula cell has a cached value: write the XML so the cache is present.
    data = _xlsx(lambda wb: wb.active.append([1, 2, "=SUM(A1:B1)"]))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>SUM(A1:B1)</f><v></v>" in sheet_xml or "<f>SUM(A1:B1)</f><v />" in sheet_xml
    sheet_xml = sheet_xml.replace("<f>SUM(A1:B1)</f><v></v>", "<f>SUM(A1:B1)</f><v>99</v>").replace(
        "<f>SUM(A1:B1)</f><v />", "<f>SUM(A1:B1)</f><v>99</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    cell = read_workbook(_doc(out.getvalue())).sheets[0].cell(1, 3)
    # the cached 99 is what the publisher's program showed: it wins, and the formula is kept beside it
    assert (cell.value, cell.formula, cell.note) == (99, "=SUM(A1:B1)", "")


def test_merged_header_cells_spread_over_the_columns_they_cover() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        ws["C1"], ws["C2"], ws["D2"] = "Some Customer Data Disclosed", "%", "#"
        ws.merge_cells("C1:D1")

    sheet = read_workbook(_doc(_xlsx(build))).sheets[0]
    assert sheet.header([1, 2], 3) == ("Some Customer Data Disclosed", "%")
    assert sheet.header([1, 2], 4) == ("Some Customer Data Disclosed", "#")
    assert sheet.merge_span(1, 4) == (1, 3, 1, 4)


def test_ods_repeats_are_expanded_and_the_empty_rest_is_capped() -> None:
    rows = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Country</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="3">'
        '<text:p>3</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string">'
        '<text:p>A<text:s text:c="2"/>B</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=SUM([.B1:.C1])"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
    )
    doc = _doc(_ods(rows), "https://example.org/synthetic.ods")
    assert detect_format(doc) == "ods"
    sheet = read_workbook(doc).sheets[0]
    assert (sheet.value(1, 2), sheet.value(1, 3), sheet.value(1, 4)) == (3, 3, None)
    assert sheet.text(2, 1) == "A  B" and sheet.text(3, 1) == "A  B"  # a repeated row, <text:s c=2/> spaces
    assert sheet.value(2, 2) == 6 and "computed" in sheet.cell(2, 2).note  # ODF formula without a result
    assert sheet.max_row == 3 and sheet.max_column == 3


def test_ods_non_empty_row_repeated_beyond_the_cap_is_refused() -> None:
    rows = ('<table:table-row table:number-rows-repeated="50000"><table:table-cell office:value-type="float" '
            'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    with pytest.raises(ParseError, match="repeated 50000 times"):
        read_workbook(_doc(_ods(rows), "https://example.org/synthetic.ods"))


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Excel"),
    (b"<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>", "HTML page"),
    (b"Country,Requests\nFrance,3\n", "no ZIP signature"),
])
def test_not_a_spreadsheet_is_a_parse_error_naming_the_document(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as e:
        read_workbook(_doc(data))
    assert "synthetic.xlsx" in str(e.value)


def test_truncated_and_foreign_zips_are_parse_errors() -> None:
    data = _xlsx(lambda wb: wb.active.append([1, 2]))
    with pytest.raises(ParseError, match="truncated|damaged|unreadable"):
        read_workbook(_doc(data[: len(data) // 2]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("report.csv", "a,b\n")
    with pytest.raises(ParseError, match="neither an XLSX"):
        read_workbook(_doc(out.getvalue()))


def test_fraction_percent_converts_to_0_100_and_refuses_values_above_1() -> None:
    doc = _doc(b"x")
    cell, note = fraction_percent(doc, Locator(sheet="S", row=2, column="F:%"), 0.0232)
    assert cell is not None and cell.value == pytest.approx(2.32) and "0-100" in note
    assert fraction_percent(doc, Locator(), None) == (None, "")
    with pytest.raises(ParseError, match="not a fraction"):
        fraction_percent(doc, Locator(sheet="S", row=2, column="F:%"), 54)
