"""A PDF page as `Line`s of `Segment`s (runs of characters with no wide gap: a label, a figure, a heading),
grouped by character box or by baseline; small raised digits are footnote marks, kept apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from parsers.facts import Document, ParseError
from parsers.formats.pdf_chars import BBox, Char, baseline_rows, box_rows, page_chars
from parsers.formats.pdf_tables import check_pdf_bytes, clean_text

# A horizontal gap wider than this (points) between two characters starts a new segment: wider than a word space
# in these reports' fonts (about 3 pt), narrower than the gutter between a label and its figure.
SEGMENT_GAP = 9.0
# A raised character smaller than this share of its line's height is a footnote mark, not text.
MARK_SHARE = 0.75
TALL_SHARE = 1.8


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    bbox: BBox  # x0, top, x1, bottom in points, top-left origin (as pdfplumber and `Locator.bbox`)
    marks: str = ""  # footnote marks printed raised at its end ("1", "*")
    chars: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)  # (char + space, x centre)


@dataclass(frozen=True, slots=True)
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def _segments(chars: list[Char]) -> list[Segment]:
    groups: list[tuple[list[float], list[Char]]] = []
    for c in sorted(chars, key=lambda c: c.box[0]):
        box = c.box
        if groups and box[0] - groups[-1][0][2] < SEGMENT_GAP:
            b, members = groups[-1]
            b[1], b[2], b[3] = min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])
            members.append(c)
        else:
            groups.append(([*box], [c]))
    out: list[Segment] = []
    for b, members in groups:
        text = clean_text("".join(c.text + " " * c.space for c in members))
        if text:
            out.append(Segment(text, (b[0], b[1], b[2], b[3]), chars=tuple(
                (c.text + " " * c.space, (c.box[0] + c.box[2]) / 2) for c in members)))
    return out


def _lines(number: int, chars: list[Char], by_baseline: bool) -> list[Line]:
    """Rows of full-size characters first; then small characters: a raised digit or star touching a row is a
    footnote mark of the segment it follows, other small text touching a row is part of it, the rest are rows.

    Rows are made from the characters' boxes (their centres), or, `by_baseline`, from the glyph origins PDFium
    reports: for text whose font boxes overlap the next line's (Verizon's two-line labels)."""
    heights = sorted(c.box[3] - c.box[1] for c in chars)
    median = heights[len(heights) // 2] if heights else 0.0

    def normal(c: Char) -> bool:  # glyphs much taller than the text (an odd loose box) join rows last
        return MARK_SHARE * median <= c.box[3] - c.box[1] <= TALL_SHARE * median

    make_rows = baseline_rows if by_baseline else box_rows
    rows = make_rows([c for c in chars if normal(c)])
    for row in rows:
        row.top, row.bottom = min(c.box[1] for c in row.chars), max(c.box[3] for c in row.chars)
    loose: list[Char] = []
    for c in (c for c in chars if not normal(c)):
        mid = (c.box[1] + c.box[3]) / 2
        row = next((r for r in rows if r.top <= mid <= r.bottom), None)
        if row is None:
            loose.append(c)
        elif c.text in "0123456789*†‡" and (mid < (row.top + row.bottom) / 2 or c.box[3] - c.box[1] > TALL_SHARE
                                            * median):
            row.marks.append(c)
        else:
            row.chars.append(c)
    lines: list[Line] = []
    for row in sorted(rows + make_rows(loose), key=lambda r: r.top):
        segs = _segments(row.chars)
        for mark in sorted(row.marks, key=lambda c: c.box[0]):  # a mark belongs to the segment just left of it
            near = [j for j, s in enumerate(segs) if abs(mark.box[0] - s.bbox[2]) < SEGMENT_GAP]
            if near:
                s = segs[near[0]]
                segs[near[0]] = Segment(s.text, s.bbox, s.marks + mark.text, s.chars)
        if segs:
            top, bottom = min(c.box[1] for c in row.chars), max(c.box[3] for c in row.chars)
            lines.append(Line(number, top, bottom, tuple(segs)))
    return lines


def page_lines(doc: Document, pages: Sequence[int], by_baseline: bool = False) -> list[Line]:
    """The text lines of the given 1-based pages, top to bottom, each split into segments (see `_lines`)."""
    check_pdf_bytes(doc)
    try:
        pdf = pdfium.PdfDocument(doc.data)
    except pdfium.PdfiumError as e:
        raise ParseError(doc, f"unreadable PDF ({e})") from e
    try:
        out: list[Line] = []
        for number in pages:
            if not 1 <= number <= len(pdf):
                raise ParseError(doc, f"page {number} does not exist (the PDF has {len(pdf)})")
            page = pdf[number - 1]
            out += _lines(number, page_chars(page), by_baseline)
            page.close()
        return out
    finally:
        pdf.close()
