"""Tables printed in PDF reports: a fast text pass (pypdfium2) picks the pages that hold the wanted tables,
then pdfplumber reads the ruled tables on those pages only, keeping each cell's text and bounding box.

Bad input is refused with a `ParseError` naming what is wrong: an empty file, an HTML page served instead of
the PDF, a file that is not a PDF, a truncated PDF, or one that needs a password. (A PDF encrypted only with an
owner password opens without one and is read like any other: its text is public.)
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium

from parsers.facts import Document, ParseError

BBox = tuple[float, float, float, float]

# A table whose box covers most of the page is the page's frame or background, not a table of figures.
_PAGE_FRAME_SHARE = 0.9
# `%%EOF` ends every complete PDF; writers may append a few bytes after it (newlines, padding).
_EOF_WINDOW = 4096

# Ligatures a PDF without a ToUnicode map turns into U+FFFD ("a\ufffdected"). The glyph alone does not say which
# ligature it was, so a candidate is accepted only when it forms a word from this list (words of these reports).
_LIGATURES = ("ff", "fi", "fl", "ffi", "ffl")
_LIGATURE_WORDS = frozenset(["affect", "affected", "affects", "affecting", "affiliate", "affiliated", "affiliates", "artificial", "beneficial", "benefit", "benefits", "certified", "classified", "clarification", "confidential", "confidentiality", "conflict", "conflicts", "define", "defined", "definition", "definitions", "differ", "difference", "different", "difficult", "effect", "effective", "effectively", "efficient", "effort", "efforts", "field", "fields", "fifth", "figure", "figures", "file", "filed", "files", "filing", "filter", "filtered", "filtering", "final", "finally", "financial", "find", "finding", "findings", "fine", "fines", "first", "firm", "firms", "fix", "fixed", "flag", "flagged", "flags", "flow", "identification", "identified", "identifies", "identify", "influence", "insufficient", "justified", "magnificent", "modified", "notification", "notifications", "notified", "offence", "offences", "offense", "offenses", "offensive", "offer", "offered", "offers", "office", "officer", "officers", "offices", "official", "officially", "officials", "offline", "offshore", "platform", "profile", "profiles", "qualified", "reflect", "reflects", "scientific", "significant", "significantly", "specific", "specifically", "specified", "staff", "sufficient", "traffic", "trafficking", "unjustified", "unqualified", "unverified", "verification", "verified", "workflow"])
_BROKEN_WORD = re.compile(r"\w*\ufffd\w*")


@dataclass(frozen=True, slots=True)
class PdfCell:
    """One cell as printed: its cleaned text and its box (x0, top, x1, bottom in points, top-left origin).

    `spanned` is True for a grid position covered by a merged cell printed elsewhere (left or above); its text
    and box are then those of the merged cell, so a number is never read twice by mistake without knowing it.
    """

    text: str
    bbox: BBox
    spanned: bool = False


@dataclass(frozen=True, slots=True)
class PdfTable:
    """A ruled table found on a page. `page` and `index` are 1-based (index counts tables on that page)."""

    page: int
    index: int
    bbox: BBox
    rows: list[list[PdfCell]]
    caption: str  # the page text between the previous table (or the page top) and this table

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]

    def header_rows(self) -> int:
        """How many rows the header takes: the first row plus the rows under it whose first cell is the first
        row's cell merged downwards (two-row headers such as "Content Data Disclosed" over "Controller")."""
        n = 1
        while n < len(self.rows) and self.rows[n] and self.rows[n][0].spanned and self.rows[n][0].bbox == self.rows[0][
            0
        ].bbox:
            n += 1
        return n

    def header(self, header_rows: int | None = None) -> list[str]:
        """Column names from the header rows; merged headers become "Upper / Lower"."""
        if header_rows is None:
            header_rows = self.header_rows()
        names: list[str] = []
        for col in range(len(self.rows[0]) if self.rows else 0):
            parts: list[str] = []
            for row in self.rows[:header_rows]:
                text = row[col].text
                if text and text not in parts:
                    parts.append(text)
            names.append(" / ".join(parts))
        return names


def fix_ligatures(text: str) -> str:
    """Ligature code points (ﬁ ﬂ ﬀ ﬃ ﬄ) to letters; U+FFFD inside a word to the ligature that makes a known word.

    A U+FFFD that no candidate explains is left in place, so a header holding it fails to match loudly.
    """
    text = "".join(unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch for ch in text)

    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        hits = {cand for lig in _LIGATURES if (cand := word.replace("\ufffd", lig)).casefold() in _LIGATURE_WORDS}
        return hits.pop() if len(hits) == 1 else word

    return _BROKEN_WORD.sub(repair, text)


def clean_text(text: str | None) -> str:
    """A cell's text on one line: ligatures repaired, line breaks and runs of spaces made single spaces."""
    if not text:
        return ""
    return " ".join(fix_ligatures(text).split())


def check_pdf_bytes(doc: Document) -> None:
    """Refuse what is plainly not a complete PDF before any PDF library sees it."""
    data = doc.data
    if not data.strip():
        raise ParseError(doc, "empty file")
    head = data.lstrip()[:256].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise ParseError(doc, "an HTML page was served instead of a PDF")
    if b"%PDF-" not in data[:1024]:
        raise ParseError(doc, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise ParseError(doc, "truncated PDF (no %%EOF marker at the end of the file)")


def page_texts(doc: Document) -> list[str]:
    """Plain text of every page by pypdfium2 (fast): used to pick pages, never to read figures."""
    check_pdf_bytes(doc)
    try:
        pdf = pdfium.PdfDocument(doc.data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ParseError(doc, "encrypted PDF: it needs a password to open") from e
        raise ParseError(doc, f"unreadable PDF ({e})") from e
    try:
        texts: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _squash(text: str) -> str:
    return " ".join(clean_text(text).casefold().split())


def pick_pages(texts: Sequence[str], *keyword_sets: Iterable[str]) -> list[int]:
    """1-based numbers of the pages whose text holds every keyword of at least one set (case/space-insensitive)."""
    sets = [[_squash(k) for k in ks] for ks in keyword_sets]
    picked: list[int] = []
    for number, text in enumerate(texts, start=1):
        flat = _squash(text)
        if any(all(k in flat for k in ks) for ks in sets):
            picked.append(number)
    return picked


def _covering(cells: list[list[BBox | None]], r: int, c: int, col_x: list[float], row_y: list[float]) -> tuple[
    int, int
] | None:
    """The grid position of the merged cell that covers empty position (r, c): the nearest up-left box holding
    the centre of that position."""
    x, y = col_x[c], row_y[r]
    for rr in range(r, -1, -1):
        for cc in range(c, -1, -1):
            box = cells[rr][cc]
            if box is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return rr, cc
    return None


def _centres(cells: list[list[BBox | None]], axis: int) -> list[float]:
    """Centre of each column (axis 0) or row (axis 1) from the first cell box seen on it."""
    if axis == 1:
        return [next(((b[1] + b[3]) / 2 for b in row if b is not None), 0.0) for row in cells]
    width = max(len(row) for row in cells)
    out: list[float] = []
    for c in range(width):
        out.append(next(((row[c][0] + row[c][2]) / 2 for row in cells if c < len(row) and row[c] is not None), 0.0))
    return out


def _grid(doc: Document, page_number: int, table: pdfplumber.table.Table) -> list[list[PdfCell]]:
    texts = table.extract()
    boxes: list[list[BBox | None]] = [list(row.cells) for row in table.rows]
    col_x, row_y = _centres(boxes, 0), _centres(boxes, 1)
    grid: list[list[PdfCell]] = []
    for r, row in enumerate(boxes):
        out: list[PdfCell] = []
        for c, box in enumerate(row):
            if box is not None:
                out.append(PdfCell(clean_text(texts[r][c]), tuple(box)))  # type: ignore[arg-type]
                continue
            pos = _covering(boxes, r, c, col_x, row_y)
            if pos is None:
                raise ParseError(doc, f"page={page_number}: table cell at row {r + 1}, column {c + 1} has no box")
            rr, cc = pos
            out.append(PdfCell(clean_text(texts[rr][cc]), boxes[rr][cc], spanned=True))  # type: ignore[arg-type]
        grid.append(out)
    return grid


def _describe(e: BaseException) -> str:
    """An exception, its arguments and its causes as one string (pdfplumber wraps pdfminer's errors)."""
    parts: list[str] = []
    seen: BaseException | None = e
    while seen is not None and len(parts) < 5:
        parts += [type(seen).__name__, str(seen)] + [repr(a) for a in seen.args]
        seen = seen.__cause__ or seen.__context__
    return " ".join(parts)


def read_tables(doc: Document, pages: Sequence[int], settings: dict[str, object] | None = None) -> list[PdfTable]:
    """Every ruled table on the given 1-based pages, in reading order, with cell texts and boxes."""
    check_pdf_bytes(doc)
    found: list[PdfTable] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(doc.data))
    except Exception as e:  # pdfminer raises many types for broken or encrypted files
        if "password" in _describe(e).lower():
            raise ParseError(doc, "encrypted PDF: it needs a password to open") from e
        raise ParseError(doc, f"unreadable PDF ({type(e).__name__}: {e})") from e
    with pdf:
        for number in pages:
            if not 1 <= number <= len(pdf.pages):
                raise ParseError(doc, f"page {number} does not exist (the PDF has {len(pdf.pages)})")
            page = pdf.pages[number - 1]
            page_area = float(page.width * page.height)
            tables = [t for t in page.find_tables(settings or {})
                      if (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]) < _PAGE_FRAME_SHARE * page_area]
            tables.sort(key=lambda t: (round(t.bbox[1]), t.bbox[0]))
            above = 0.0
            for index, table in enumerate(tables, start=1):
                top = float(table.bbox[1])
                caption = ""
                if top > above:
                    caption = clean_text(page.crop((0, above, page.width, top)).extract_text())
                found.append(PdfTable(number, index, tuple(table.bbox), _grid(doc, number, table),  # type: ignore[arg-type]
                                      caption))
                above = max(above, float(table.bbox[3]))
    return found


__all__ = ["PdfCell", "PdfTable", "check_pdf_bytes", "clean_text", "fix_ligatures", "page_texts", "pick_pages",
           "read_tables"]
