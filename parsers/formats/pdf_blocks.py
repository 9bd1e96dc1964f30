"""Figures printed in PDF reports as "label  value  value" lines rather than ruled grids (AT&T's tables: a frame and
column rules, no row rules), read from pypdfium2's character boxes, which is fast enough to run on every page.

A page becomes `Line`s (characters sharing a baseline band), each made of `Segment`s (runs of characters with no
wide gap between them: a label, a figure, a period heading). Small raised digits (footnote marks) are kept apart
from the text they mark. `read_period` reads the period headings these reports print ("Jan. – June 2015",
"July 1 – Dec. 31, 2013", "1H 2019", "2nd Half of 2014"), strictly: a heading that is not a whole run of months is
refused, so a misprinted heading is a declared correction in the series module, never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.facts import Document, ParseError
from parsers.formats.pdf_tables import check_pdf_bytes, clean_text
from parsers.normalise.periods import half_year, month_end

BBox = tuple[float, float, float, float]

# A horizontal gap wider than this (points) between two characters starts a new segment: wider than a word space
# in these reports' fonts (about 3 pt), narrower than the gutter between a label and its figure.
SEGMENT_GAP = 9.0
# A raised character smaller than this share of its line's height is a footnote mark, not text.
MARK_SHARE = 0.75
TALL_SHARE = 1.8
_BULLETS = frozenset("•§▪o!\uf0a7\u25aa\u2022\uf0b7-–")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    bbox: BBox  # x0, top, x1, bottom in points, top-left origin (as pdfplumber and `Locator.bbox`)
    marks: str = ""  # footnote marks printed raised at its end ("1", "*")


@dataclass(frozen=True, slots=True)
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(slots=True)
class _Row:
    top: float
    bottom: float
    chars: list[tuple[BBox, str, bool]] = field(default_factory=list)  # box, char, followed by a space


def _page_chars(page: pdfium.PdfPage) -> list[tuple[BBox, str, bool]]:
    textpage = page.get_textpage()
    height = page.get_height()
    out: list[tuple[BBox, str, bool]] = []
    try:
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            ch = chr(code) if code else ""
            if not ch.strip() or ch == "\ufffe":
                if out:
                    out[-1] = (out[-1][0], out[-1][1], True)
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            out.append(((left, height - top, right, height - bottom), ch, False))
    finally:
        textpage.close()
    return out


def _segments(chars: list[tuple[BBox, str, bool]]) -> list[Segment]:
    segs: list[tuple[list[float], str]] = []
    for box, ch, space in sorted(chars, key=lambda c: c[0][0]):
        if segs and box[0] - segs[-1][0][2] < SEGMENT_GAP:
            b, text = segs[-1]
            segs[-1] = ([b[0], min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])], text + ch + " " * space)
        else:
            segs.append(([*box], ch + " " * space))
    return [Segment(clean_text(t), (b[0], b[1], b[2], b[3])) for b, t in segs if clean_text(t)]


def _rows(chars: list[tuple[BBox, str, bool]]) -> list[_Row]:
    rows: list[_Row] = []
    for box, ch, space in sorted(chars, key=lambda c: (c[0][1] + c[0][3]) / 2):
        mid = (box[1] + box[3]) / 2
        row = rows[-1] if rows else None
        if row is not None and mid < row.bottom:
            row.chars.append((box, ch, space))
            row.bottom = max(row.bottom, min(box[3], row.bottom + 2))  # a tall glyph does not swallow the next line
        else:
            rows.append(_Row(box[1], box[3], [(box, ch, space)]))
    return rows


def _lines(number: int, chars: list[tuple[BBox, str, bool]]) -> list[Line]:
    """Rows of full-size characters first; then small characters: a raised digit or star touching a row is a
    footnote mark of the segment it follows, other small text touching a row is part of it, the rest are rows."""
    heights = sorted(b[3] - b[1] for b, _, _ in chars)
    median = heights[len(heights) // 2] if heights else 0.0
    # Glyphs much taller than the text (a font's odd loose box) would swallow the next line: they join rows last.
    def normal(c: tuple[BBox, str, bool]) -> bool:
        return MARK_SHARE * median <= c[0][3] - c[0][1] <= TALL_SHARE * median

    rows = _rows([c for c in chars if normal(c)])
    loose: list[tuple[BBox, str, bool]] = []
    for box, ch, space in (c for c in chars if not normal(c)):
        mid = (box[1] + box[3]) / 2
        row = next((r for r in rows if r.top <= mid <= r.bottom), None)
        if row is None:
            loose.append((box, ch, space))
        else:
            raised = ch in "0123456789*†‡" and (mid < (row.top + row.bottom) / 2 or box[3] - box[1] > TALL_SHARE
                                                   * median)
            row.chars.append((box, "\x00" + ch if raised else ch, space))
    rows = sorted(rows + _rows(loose), key=lambda r: r.top)
    lines: list[Line] = []
    for row in rows:
        plain = [(b, c, s) for b, c, s in row.chars if not c.startswith("\x00")]
        marks = sorted(((b, c[1:]) for b, c, _ in row.chars if c.startswith("\x00")), key=lambda m: m[0][0])
        segs = _segments(plain)
        for box, mark in marks:  # a mark belongs to the segment that ends just left of it
            near = [j for j, s in enumerate(segs) if abs(box[0] - s.bbox[2]) < SEGMENT_GAP]
            if near:
                s = segs[near[0]]
                segs[near[0]] = Segment(s.text, s.bbox, s.marks + mark)
        if segs:
            lines.append(Line(number, row.top, row.bottom, tuple(segs)))
    return lines


def page_lines(doc: Document, pages: Sequence[int]) -> list[Line]:
    """The text lines of the given 1-based pages, top to bottom, each split into segments."""
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
            out += _lines(number, _page_chars(page))
            page.close()
        return out
    finally:
        pdf.close()


def strip_bullet(text: str) -> str:
    """A label without the list glyphs printed before it ("§ Subpoenas", "o Criminal")."""
    words = text.split()
    while words and (all(ch in _BULLETS for ch in words[0]) or words[0] == "o"):
        words.pop(0)
    return " ".join(words)


_FIGURE = re.compile(r"^(?:[0-9][0-9,.]*(?:\s*[-–\xad]\s*[0-9][0-9,.]*)?\*?|n/a|N/A|\*|-|–)$")


def is_figure(text: str) -> bool:
    """A figure cell as these reports print them: 1,234 / 000–499 / 0-999* / n/a / * / -."""
    return bool(_FIGURE.match(text.strip()))


def normalise_band(text: str) -> str:
    """`0\\xad999` (a soft hyphen used as the dash) and `2000- 2999` to the plain band form the value reader knows;
    leading zeros (`000–499`) and en dashes are read by `parse_number_cell` as printed."""
    return re.sub(r"\s*[\xad–-]\s*", "-", text.strip()) if re.search(r"\d\s*[\xad–-]\s*\d", text) else text.strip()


_MONTH = r"(?P<{0}>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_RANGE = re.compile(
    _MONTH.format("m1") + r"\s*(?:(?P<d1>\d{1,2})\b,?)?\s*(?P<y1>\d{4})?\s*[–-]\s*"
    + _MONTH.format("m2") + r"\s*(?:(?P<d2>\d{1,2})\b,?)?\s*(?P<y2>\d{4})$", re.IGNORECASE)
_HALF = re.compile(r"^(?P<h>[12])(?:H|st\s*half of|nd\s*half of)\s*(?P<y>\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?P<y>\d{4})(?:\s*\(full year\))?$", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def read_period(text: str) -> tuple[dt.date, dt.date]:
    """A printed period heading to (start, end). Raises ValueError for anything that is not whole months."""
    t = " ".join(text.replace("\xad", "-").split())
    if m := _HALF.match(t):
        return half_year(int(m["y"]), int(m["h"]))
    if m := _YEAR.match(t):
        return dt.date(int(m["y"]), 1, 1), dt.date(int(m["y"]), 12, 31)
    m = _RANGE.match(t)
    if not m:
        raise ValueError(f"not a period heading: {text!r}")
    y2 = int(m["y2"])
    y1 = int(m["y1"]) if m["y1"] else y2
    m1, m2 = _MONTHS.index(m["m1"].lower()) + 1, _MONTHS.index(m["m2"].lower()) + 1
    start, end = dt.date(y1, m1, 1), month_end(y2, m2)
    if (m["d1"] and int(m["d1"]) != 1) or (m["d2"] and int(m["d2"]) != end.day) or start > end:
        raise ValueError(f"period heading {text!r} is not a run of whole months")
    return start, end


def is_period(text: str) -> bool:
    try:
        read_period(text)
    except ValueError:
        return False
    return True


def label_key(text: str) -> str:
    """A row label or title for matching: bullets, case, spacing and punctuation do not count."""
    return re.sub(r"[^a-z0-9&]", "", strip_bullet(text).casefold())


@dataclass(frozen=True, slots=True)
class Column:
    """A figure column: its heading as printed, the period it names and its horizontal extent."""

    raw: str
    period: tuple[dt.date, dt.date]
    x0: float
    x1: float
    page: int


@dataclass(frozen=True, slots=True)
class BlockRow:
    """One row of a label block: its label (continuation lines joined), and its figures by column."""

    title: str  # the block's title as printed
    label: str
    page: int
    bbox: BBox  # the label's box
    cells: tuple[tuple[Column, Segment], ...]
    in_order: bool = False  # figures dealt by reading order, not found beside the label (see `_in_order`)


@dataclass(slots=True)
class _Entry:
    line: Line
    label: str
    label_box: BBox | None
    cells: list[tuple[Column, Segment]]


_LABEL_PERIOD = re.compile(r"^(.*\S)\s*\(([^()]*\d{4})\)$")


def _column_for(seg: Segment, columns: Sequence[Column]) -> Column | None:
    overlap = [(min(seg.bbox[2], c.x1) - max(seg.bbox[0], c.x0), c) for c in columns]
    best = max(overlap, key=lambda oc: oc[0], default=None)
    return best[1] if best is not None and best[0] > 0 else None


def _entries(doc: Document, lines: Sequence[Line], title: str, columns: list[Column],
             default: Column | None) -> list[_Entry]:
    out: list[_Entry] = []
    for line in lines:
        segs = list(line.segments)
        if segs and (m := _LABEL_PERIOD.match(segs[0].text)) and is_period(m[2]):
            # "National Security Letters (Jan. 1 – June 30, 2014)": one column, named in the label
            columns[:] = [Column(m[2], read_period(m[2]), 0.0, 10_000.0, line.page)]
            segs = [Segment(m[1], segs[0].bbox), *segs[1:]]
        heads = [s for s in segs if is_period(s.text)]
        rest = [s for s in segs if s not in heads]
        if len(segs) == 1 and is_period(segs[0].text.strip("()")) and segs[0].text.startswith("("):
            # "(July 1 – Dec. 31, 2013)" under a heading: one column for what follows (no column headings)
            s = segs[0]
            columns[:] = [Column(s.text.strip("()"), read_period(s.text.strip("()")), 0.0, 10_000.0, line.page)]
            continue
        if heads and (not rest or rest == segs[:1]):
            columns[:] = [Column(s.text, read_period(s.text), s.bbox[0], s.bbox[2], line.page) for s in heads]
            segs = rest
        active = columns or ([default] if default else [])
        left = min((c.x0 for c in active), default=10_000.0) - 2
        if active and active[0].x0 == 0.0:  # one column without a heading: figures are wherever they are
            # ... right of the page's middle, so that a label such as "911" is not taken for one
            left = min((s.bbox[0] for s in segs if is_figure(s.text) and s.bbox[0] > 300), default=10_000.0) - 2
        labels = [s for s in segs if s.bbox[2] < left or not is_figure(s.text)]
        figures = [s for s in segs if s not in labels]
        if labels and any(s.bbox[0] >= left for s in labels):
            raise ParseError(doc, f"page {line.page}: text {line.text!r} among the figures of {title!r}")
        cells: list[tuple[Column, Segment]] = []
        for s in figures:
            col = _column_for(s, active) if columns else default
            if col is None:
                raise ParseError(doc, f"page {line.page}: figure {s.text!r} in {title!r} under no column heading")
            if any(c is col for c, _ in cells):
                raise ParseError(doc, f"page {line.page}: two figures of {line.text!r} in {title!r} under one "
                                      f"column heading {col.raw!r}")
            cells.append((col, s))
        label = strip_bullet(" ".join(s.text for s in labels))
        box = None
        if labels:
            box = (min(s.bbox[0] for s in labels), line.top, max(s.bbox[2] for s in labels), line.bottom)
        if label or cells:
            out.append(_Entry(line, label, box, cells))
    return out


def _pair(entries: list[_Entry], step: int) -> list[_Entry] | None:
    """Figures-only lines joined to the label-only line just before (step -1) or after (+1) them, or None."""
    entries = [_Entry(e.line, e.label, e.label_box, list(e.cells)) for e in entries]
    for i, e in enumerate(entries):
        if e.label or not e.cells:
            continue
        j = i + step
        n = entries[j] if 0 <= j < len(entries) else None
        if n is None or not n.label or n.cells or n.line.page != e.line.page or abs(
                n.line.top - e.line.top) > 1.5 * (e.line.bottom - e.line.top):
            return None
        n.cells, e.cells = e.cells, []
    return [e for e in entries if e.label or e.cells]


@dataclass(slots=True)
class _Labels:
    """Which labels a block knows, and how a footnote mark printed inline ("Act 1") is told from a label."""

    known: set[str]
    prefixes: set[str]
    heading: Callable[[str], bool]

    def key(self, text: str) -> str:
        key = label_key(text)
        if key not in self.known and key not in self.prefixes and re.sub(r"(?<=[a-z])\d$", "", key) in self.known:
            return key[:-1]
        return key


def _join(doc: Document, title: str, entries: list[_Entry], names: _Labels, positional: bool) -> list[
        tuple[str, list[_Entry]]]:
    """Label lines joined into rows. A line that does not continue the label before it starts a new one; in
    `positional` mode a line with figures ends its row (figures stand beside a row's last or middle line)."""
    rows: list[tuple[str, list[_Entry]]] = []
    acc: list[_Entry] = []

    def text(group: list[_Entry]) -> str:
        return " ".join(e.label for e in group if e.label)

    def close() -> None:
        key = names.key(text(acc))
        if key not in names.known:
            raise ParseError(doc, f"page {acc[-1].line.page}: row {text(acc)!r} of {title!r} is not a known row")
        label = text(acc) if key == label_key(text(acc)) else re.sub(r"\s?\d$", "", text(acc))
        rows.append((label, list(acc)))
        acc.clear()

    for e in entries:
        if acc and names.key(text([*acc, e])) not in names.known | names.prefixes and names.key(
                text(acc)) in names.known:
            close()
        if not acc and not e.cells and names.heading(e.label):
            rows.append((e.label, [e]))
            continue
        acc.append(e)
        key = names.key(text(acc))
        if key not in names.known and key not in names.prefixes:
            raise ParseError(doc, f"page {e.line.page}: row {text(acc)!r} of {title!r} is not a known row")
        if key in names.known and (key not in names.prefixes or (positional and e.cells)):
            close()
    if acc:
        close()
    return rows


def _box(group: list[_Entry]) -> BBox:
    boxes = [e.label_box for e in group if e.label_box is not None] or [group[-1].line.segments[0].bbox]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _in_order(doc: Document, title: str, entries: list[_Entry], names: _Labels) -> list[BlockRow]:
    """Figures dealt to a page's rows in reading order, column by column: for a page whose figures drift away
    from their labels (AT&T January 2016, page 11). Every row but a heading must get exactly one per column."""
    rows: list[BlockRow] = []
    for page in dict.fromkeys(e.line.page for e in entries):  # called with one page's entries
        on_page = [e for e in entries if e.line.page == page]
        figures: dict[Column, list[Segment]] = {}
        for e in sorted(on_page, key=lambda e: e.line.top):
            for col, seg in e.cells:
                figures.setdefault(col, []).append(seg)
        labelled = [_Entry(e.line, e.label, e.label_box, []) for e in on_page if e.label]
        joined = _join(doc, title, labelled, names, positional=False)
        takers = [i for i, (label, _) in enumerate(joined) if not names.heading(label)]
        for col, segs in figures.items():
            if len(segs) != len(takers):
                raise ParseError(doc, f"page {page}: {len(segs)} figures under {col.raw!r} of {title!r} for "
                                      f"{len(takers)} rows: figures beside no label")
        for i, (label, group) in enumerate(joined):
            cells = tuple((col, segs[takers.index(i)]) for col, segs in figures.items()) if i in takers else ()
            rows.append(BlockRow(title, label, page, _box(group), cells, in_order=True))
    return rows


def block_rows(doc: Document, title: str, lines: Sequence[Line], labels: Sequence[str],
               default: Column | None = None, heading: Callable[[str], bool] | None = None) -> list[BlockRow]:
    """The rows of one block (the lines under its title), continuation lines joined into the known `labels`.

    A line without figures whose text, joined to the lines before it, starts a known label waits for the rest of
    the label (figures are printed beside the last or a middle line of a long label). A label that is neither
    known nor the start of one is refused, naming it. Column headings (period texts) found on the way set the
    columns. Lines of figures alone join the label line just above or just below them, the same way throughout
    a page; when neither way pairs every such line, the page's figures are dealt to its rows in order
    (`_in_order`), which must come out exactly even.
    """
    known = {label_key(k) for k in labels}
    names = _Labels(known, {k[:i] for k in known for i in range(1, len(k))}, heading or (lambda label: False))
    entries = _entries(doc, lines, title, [], default)
    rows: list[BlockRow] = []
    for page in dict.fromkeys(e.line.page for e in entries):
        on_page = [e for e in entries if e.line.page == page]
        paired = on_page if all(e.label or not e.cells for e in on_page) else _pair(on_page, -1) or _pair(
            on_page, 1)
        if paired is None:
            rows += _in_order(doc, title, on_page, names)
            continue
        rows += [BlockRow(title, label, page, _box(group), tuple(c for e in group for c in e.cells))
                 for label, group in _join(doc, title, paired, names, positional=True)]
    return rows


def is_prose(line: Line, longest: int = 60) -> bool:
    """Running text, not a table row: a segment longer than any label, or two text columns side by side."""
    texts = [s.text for s in line.segments if strip_bullet(s.text)]
    return any(len(t) > longest for t in texts) or (len(texts) > 1 and not any(
        is_figure(t) or is_period(t) for t in texts[1:]))


def split_blocks(doc: Document, lines: Sequence[Line], titles: Sequence[str], skip: re.Pattern[str],
                 spans_pages: Sequence[str] = (), continues: Callable[[Line], bool] = lambda line: True,
                 ends: Callable[[Line], bool] = is_prose) -> list[tuple[str, list[Line]]]:
    """The lines under each known title, up to the next title or a line for which `ends` holds (prose).

    Lines matching `skip` (page headers and footers, notes inside tables) are dropped. A line of column headings
    alone just above a title belongs to that title's block. A block ends at the end of its page, except the
    blocks named in `spans_pages`, which prose only interrupts until the next page and which go on at the top of
    the next page if `continues` holds for its first line. Figures found outside any
    block are refused: a table under a title this parser does not know must not be lost silently.
    """
    wanted = {label_key(t): t for t in titles}
    spanning = {label_key(t) for t in spans_pages}
    blocks: list[tuple[str, list[Line]]] = []
    current: list[Line] | None = None
    pending: list[Line] = []
    page, span, paused = 0, False, False
    for line in lines:
        text = line.text
        if skip.search(text):
            continue
        if line.page != page:
            page, paused = line.page, False
            if not span or not continues(line):
                current, span = None, False
        if paused:
            continue
        key = label_key(text)
        if key in wanted:
            current = [*pending]
            span = key in spanning
            blocks.append((text, current))
        elif current is not None and ends(line):
            if span:
                paused = True
                continue
            current = None
        elif current is None and all(is_period(s.text) for s in line.segments):
            pending = [line]
            continue
        elif current is not None:
            current.append(line)
        elif len(line.segments) > 1 and any(is_figure(s.text) for s in line.segments[1:]):
            raise ParseError(doc, f"page {line.page}: figures outside any known table: {text!r}")
        pending = []
    # A title with no figures under it is a heading of the explanatory text, not a table.
    return [(t, b) for t, b in blocks if any(is_figure(s.text) for line in b for s in line.segments)]


def grid_texts(doc: Document, pages: Sequence[int]) -> list[tuple[int, int, list[list[str]]]]:
    """(page, table index, cell texts) of the ruled tables on the given pages, by pdfplumber's `extract_tables`.

    For grids whose merged cells `pdf_tables.read_tables` cannot box (Verizon's): texts only, no cell boxes.
    """
    check_pdf_bytes(doc)
    out: list[tuple[int, int, list[list[str]]]] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(doc.data))
    except Exception as e:  # pdfminer raises many types for broken files
        raise ParseError(doc, f"unreadable PDF ({type(e).__name__}: {e})") from e
    with pdf:
        for number in pages:
            for index, rows in enumerate(pdf.pages[number - 1].extract_tables(), start=1):
                out.append((number, index, [[clean_text(c) for c in row] for row in rows]))
    return out


__all__ = ["grid_texts", "BlockRow", "Column", "Line", "Segment", "block_rows", "is_figure", "is_period", "label_key",
           "is_prose", "normalise_band", "page_lines", "read_period", "split_blocks", "strip_bullet"]
