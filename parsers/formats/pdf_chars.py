"""The characters of a PDF page as pypdfium2 reports them (loose box, baseline, a space after), and rows of
characters grouped by box or by baseline: the raw material of `pdf_text_lines`."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.quick_init import quick_init

BBox = tuple[float, float, float, float]


@quick_init
@dataclass(frozen=True, slots=True)
class Char:
    box: BBox  # loose box (the font's ascent to descent), top-left origin
    text: str
    space: bool  # a space follows it in the text stream
    baseline: float  # distance of the glyph's origin from the page top


@dataclass(slots=True)
class CharRow:
    top: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    marks: list[Char] = field(default_factory=list)


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """Every printed character with its loose box, baseline, and whether a space follows it (raw PDFium calls
    with reused buffers: this loop is most of the reading time)."""
    textpage = page.get_textpage()
    height = page.get_height()
    raw, n = textpage.raw, textpage.count_chars()
    rect, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    loose_box, origin, unicode = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin, \
        pdfium_c.FPDFText_GetUnicode
    found: list[tuple[BBox, str, float]] = []
    spaced: set[int] = set()  # indexes (in `found`) of characters a space follows
    try:
        for i in range(n):
            code = unicode(raw, i)
            if code in (0, 0xFFFE) or chr(code).isspace():
                if found:
                    spaced.add(len(found) - 1)
                continue
            loose_box(raw, i, rect)
            origin(raw, i, px, py)
            box = (rect.left, height - rect.top, rect.right, height - rect.bottom)
            found.append((box, chr(code), height - y.value))
    finally:
        textpage.close()
    return [Char(box, ch, i in spaced, base) for i, (box, ch, base) in enumerate(found)]


def box_rows(chars: list[Char]) -> list[CharRow]:
    """Rows of characters whose box centres fall inside the first box of the row."""
    rows: list[CharRow] = []
    for c in sorted(chars, key=lambda c: (c.box[1] + c.box[3]) / 2):
        mid = (c.box[1] + c.box[3]) / 2
        row = rows[-1] if rows else None
        if row is not None and mid < row.bottom:
            row.chars.append(c)
            row.bottom = max(row.bottom, min(c.box[3], row.bottom + 2))  # a tall glyph does not swallow the next
        else:
            rows.append(CharRow(c.box[1], c.box[3], [c]))
    return rows


def baseline_rows(chars: list[Char]) -> list[CharRow]:
    """Rows of characters sharing a baseline (within a third of their height)."""
    rows: list[CharRow] = []
    for c in sorted(chars, key=lambda c: c.baseline):
        row = rows[-1] if rows else None
        if row is not None and c.baseline - row.chars[0].baseline <= 0.3 * (c.box[3] - c.box[1]):
            row.chars.append(c)
        else:
            rows.append(CharRow(c.box[1], c.box[3], [c]))
    return rows
