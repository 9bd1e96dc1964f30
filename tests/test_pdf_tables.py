"""The PDF table base: page picking, cell boxes, merged headers, ligature repair and refusal of bad files."""

from __future__ import annotations

import hashlib
import io

import pdfplumber
import pypdfium2 as pdfium
import pytest

from parsers.facts import Document, ParseError
from parsers.formats.pdf_tables import clean_text, fix_ligatures, page_texts, pick_pages, read_tables
from tests.corpus import document, require_corpus
from tests.fixtures.synthetic_pdf import Page, Table, build_pdf


def doc_of(data: bytes, name: str = "synthetic.pdf") -> Document:
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url=f"https://example.test/{name}",
                    company="x", series="global-transparency-report")


def small_pdf(**kwargs: object) -> bytes:
    """SYNTHETIC: two pages, a 3x2 ruled table on page 2."""
    table = Table(40, 100, [120.0, 80.0], [["Country", "Requests"], ["Japan", "1,234"], ["Brazil", "<10"]])
    return build_pdf([Page(lines=[(40, 40, "Cover")]), Page(lines=[(40, 40, "Requests by country")],
                                                             tables=[table])], **kwargs)  # type: ignore[arg-type]


# --- ligatures ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("broken", "fixed"), [
    ("Number of a\ufffdected clients", "Number of affected clients"),  # ff (Platform.sh 2020, page 1)
    ("other o\ufffdcial law enforcement demand", "other official law enforcement demand"),  # ffi
    ("legally sound and veri\ufffded requests", "legally sound and verified requests"),  # fi
    ("USA speci\ufffdc type", "USA specific type"),
    ("\ufb01rst \ufb02ag \ufb00ect", "first flag ffect"),  # ligature code points become letters
])
def test_ligatures_repaired(broken: str, fixed: str) -> None:
    assert fix_ligatures(broken) == fixed


def test_unexplained_replacement_glyph_stays() -> None:
    # No ligature turns "x\ufffdz" into a known word: it is left for the header match to refuse loudly.
    assert fix_ligatures("x\ufffdz") == "x\ufffdz"
    assert clean_text(" Number of\nrequests ") == "Number of requests"


# --- tables and cells --------------------------------------------------------------------------------------

def test_pick_pages_then_cells_with_boxes() -> None:
    doc = doc_of(small_pdf())
    texts = page_texts(doc)
    assert len(texts) == 2
    assert pick_pages(texts, ("requests by COUNTRY",)) == [2]
    assert pick_pages(texts, ("nothing like this",)) == []
    (table,) = read_tables(doc, [2])
    assert (table.page, table.index) == (2, 1)
    assert table.texts() == [["Country", "Requests"], ["Japan", "1,234"], ["Brazil", "<10"]]
    cell = table.rows[1][1]
    # Column 2 starts at x=160 (40 + 120) and row 2 at top=120 (100 + 20) in the synthetic layout.
    assert cell.bbox == pytest.approx((160, 120, 240, 140), abs=0.6)
    assert table.header() == ["Country", "Requests"]


def test_merged_two_row_header_platformsh() -> None:
    require_corpus()
    doc = document("2020_platformsh")
    tables = read_tables(doc, [1])
    first = tables[0]
    assert first.header_rows() == 2
    assert first.header() == [
        "Requesting authority", "Number of requests", "Content Data Disclosed / Controller",
        "Content Data Disclosed / Processor", "Metadata Disclosed / Controller", "Metadata Disclosed / Processor",
        "Number of affected clients",  # printed "a\ufffdected": repaired
    ]
    assert first.rows[0][3].spanned and first.rows[0][3].bbox == first.rows[0][2].bbox
    assert "Non-EU Authorities" in first.caption


def test_page_frame_is_not_a_table_x_report() -> None:
    require_corpus()
    doc = document("x-global-transparency-report-h1")
    texts = page_texts(doc)
    assert len(texts) == 15
    assert pick_pages(texts, ("TOTAL INFORMATION REQUESTS",), ("TOTAL REMOVAL REQUESTS",)) == [13]
    tables = read_tables(doc, [13])
    # pdfplumber also reports the page-sized background rectangle as a table: dropped.
    assert [t.index for t in tables] == [1, 2]
    assert tables[0].rows[2][0].text == "USA"


# --- bad files ---------------------------------------------------------------------------------------------

def test_empty_file() -> None:
    with pytest.raises(ParseError, match="empty file"):
        page_texts(doc_of(b""))


def test_html_instead_of_pdf() -> None:
    with pytest.raises(ParseError, match="HTML page"):
        page_texts(doc_of(b"\n<!DOCTYPE html>\n<html><head><title>Not found</title></head></html>"))


def test_not_a_pdf() -> None:
    with pytest.raises(ParseError, match="not a PDF"):
        page_texts(doc_of(b"Country,Requests\nJapan,1\n"))


def test_truncated_pdf() -> None:
    data = small_pdf()
    with pytest.raises(ParseError, match="truncated"):
        page_texts(doc_of(data[: len(data) // 2]))
    with pytest.raises(ParseError, match="truncated"):
        read_tables(doc_of(data[: len(data) // 2]), [1])


def test_encrypted_pdf() -> None:
    data = small_pdf(user_password="secret")
    # It is a real encrypted PDF: both libraries read it with the password ...
    assert "Requests by country" in pdfium.PdfDocument(data, password="secret")[1].get_textpage().get_text_range()
    with pdfplumber.open(io.BytesIO(data), password="secret") as pdf:
        assert pdf.pages[1].extract_tables()[0][1] == ["Japan", "1,234"]
    # ... and the parser, which has none, refuses it clearly.
    with pytest.raises(ParseError, match="encrypted"):
        page_texts(doc_of(data))
    with pytest.raises(ParseError, match="encrypted"):
        read_tables(doc_of(data), [2])


def test_missing_page_is_an_error() -> None:
    with pytest.raises(ParseError, match="page 7 does not exist"):
        read_tables(doc_of(small_pdf()), [7])
