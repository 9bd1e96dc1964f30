"""Tables printed in PDF reports as text laid out in columns, read from pypdfium2's characters (fast enough for
every page), for layouts pdfplumber's ruled-table finder cannot cut into cells: AT&T's "label  figure" tables (a
frame and column rules, no row rules) and Verizon's grids with headings stacked over several lines.

- `page_lines`: a page as `Line`s of `Segment`s (runs of characters with no wide gap: a label, a figure, a
  heading), grouped by character box or by baseline; small raised digits are footnote marks, kept apart.
- `split_blocks`, `block_rows`: the lines under each known table title; their labels joined over continuation
  lines into known row labels, each figure under the column heading above it (`stacked_table` for headings
  stacked over lines). Figures printed a little off their label line, or drifting, are paired explicitly.
- `declare_rows`, `match_rows`: a series declares its rows as a small table; printed rows are matched in order
  (a new label with figures is set apart, for the caller to quarantine). `parsers.formats.pdf_block_tables`
  turns the matched rows into `Table`s for the one interpreter; each figure keeps its own column's period.
- `read_period` reads period headings ("Jan. – June 2015", "July 1 – Dec. 31, 2013", "1H 2019", "2nd Half of
  2014") strictly: a heading that is not a run of whole months is refused, so a misprint is a declared correction
  in the series module (with its reason), never a guess. Anything not recognised is a `ParseError` naming it.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit
from parsers.formats.pdf_tables import check_pdf_bytes, clean_text
from parsers.normalise.periods import half_year, month_end
from parsers.normalise.values import CellValue, parse_number_cell

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


@dataclass(frozen=True, slots=True)
class _Char:
    box: BBox  # loose box (the font's ascent to descent), top-left origin
    text: str
    space: bool  # a space follows it in the text stream
    baseline: float  # distance of the glyph's origin from the page top


@dataclass(slots=True)
class _Row:
    top: float
    bottom: float
    chars: list[_Char] = field(default_factory=list)
    marks: list[_Char] = field(default_factory=list)


def _page_chars(page: pdfium.PdfPage) -> list[_Char]:
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
    return [_Char(box, ch, i in spaced, base) for i, (box, ch, base) in enumerate(found)]


def _segments(chars: list[_Char]) -> list[Segment]:
    groups: list[tuple[list[float], list[_Char]]] = []
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


def _box_rows(chars: list[_Char]) -> list[_Row]:
    """Rows of characters whose box centres fall inside the first box of the row."""
    rows: list[_Row] = []
    for c in sorted(chars, key=lambda c: (c.box[1] + c.box[3]) / 2):
        mid = (c.box[1] + c.box[3]) / 2
        row = rows[-1] if rows else None
        if row is not None and mid < row.bottom:
            row.chars.append(c)
            row.bottom = max(row.bottom, min(c.box[3], row.bottom + 2))  # a tall glyph does not swallow the next
        else:
            rows.append(_Row(c.box[1], c.box[3], [c]))
    return rows


def _baseline_rows(chars: list[_Char]) -> list[_Row]:
    """Rows of characters sharing a baseline (within a third of their height)."""
    rows: list[_Row] = []
    for c in sorted(chars, key=lambda c: c.baseline):
        row = rows[-1] if rows else None
        if row is not None and c.baseline - row.chars[0].baseline <= 0.3 * (c.box[3] - c.box[1]):
            row.chars.append(c)
        else:
            rows.append(_Row(c.box[1], c.box[3], [c]))
    return rows


def _lines(number: int, chars: list[_Char], by_baseline: bool) -> list[Line]:
    """Rows of full-size characters first; then small characters: a raised digit or star touching a row is a
    footnote mark of the segment it follows, other small text touching a row is part of it, the rest are rows.

    Rows are made from the characters' boxes (their centres), or, `by_baseline`, from the glyph origins PDFium
    reports: for text whose font boxes overlap the next line's (Verizon's two-line labels)."""
    heights = sorted(c.box[3] - c.box[1] for c in chars)
    median = heights[len(heights) // 2] if heights else 0.0

    def normal(c: _Char) -> bool:  # glyphs much taller than the text (an odd loose box) join rows last
        return MARK_SHARE * median <= c.box[3] - c.box[1] <= TALL_SHARE * median

    make_rows = _baseline_rows if by_baseline else _box_rows
    rows = make_rows([c for c in chars if normal(c)])
    for row in rows:
        row.top, row.bottom = min(c.box[1] for c in row.chars), max(c.box[3] for c in row.chars)
    loose: list[_Char] = []
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
            out += _lines(number, _page_chars(page), by_baseline)
            page.close()
        return out
    finally:
        pdf.close()


def figure_columns(lines: Sequence[Line], left: float) -> list[tuple[float, float]]:
    """The horizontal extents of the figure columns over the given lines: figures right of `left` whose extents
    overlap form one column (figures may be left- or right-aligned, a lone "*" stands anywhere in its cell)."""
    spans = sorted([s.bbox[0], s.bbox[2]] for line in lines for s in line.segments
                   if s.bbox[0] >= left and is_figure(s.text))
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def stacked_columns(doc: Document, head: Sequence[Line], rows: Sequence[Line], left: float,
                    unread: Callable[[str], bool] = lambda text: False,
                    corrections: Mapping[tuple[str, int, str], tuple[str, str]] = {}) -> list[Column]:
    """Columns whose headings are stacked over several lines (Verizon's "Jan. 1, 2013 –" / "June 30, 2013"):
    one per figure column of `rows` (right of `left`), plus one per heading standing right of every figure (a
    column printed empty). A heading's text is what is printed over its column, split by character position.
    Text over the labels belongs to no column. A heading must read as a period, be declared `unread`, or be a
    declared correction (keyed by sha256 prefix, page and heading as printed)."""
    spans = figure_columns(rows, left)
    last = spans[-1][1] if spans else left
    starts = [x0 for x0, _ in spans]
    for x0 in sorted(s.bbox[0] for line in head for s in line.segments if s.bbox[0] > last + 4):
        if not starts or x0 - starts[-1] > 12:
            starts.append(x0)
    bounds = [(x0 - 4, starts[i + 1] - 4 if i + 1 < len(starts) else 10_000.0) for i, x0 in enumerate(starts)]
    page = head[-1].page if head else rows[0].page
    columns: list[Column] = []
    for (x0, x1), text in zip(bounds, column_texts(head, bounds), strict=True):
        if unread(text):
            period = None
        elif (doc.sha256[:12], page, text) in corrections:
            period = read_period(corrections[(doc.sha256[:12], page, text)][0])
        else:
            try:
                period = read_period(text)
            except ValueError as e:
                raise ParseError(doc, f"page {page}: column heading {text!r} is not a period") from e
        columns.append(Column(text, period, x0, x1, page))
    return columns


def attach_suffixes(lines: Sequence[Line], suffix: re.Pattern[str]) -> list[Line]:
    """Lines with a segment such as "(approx)" printed under a figure joined to that figure ("50,000 (approx)"):
    the segment overlapping it horizontally on the nearest line above."""
    out = [Line(x.page, x.top, x.bottom, tuple(x.segments)) for x in lines]
    for i, line in enumerate(out):
        for seg in [s for s in line.segments if suffix.match(s.text)]:
            for j in range(i - 1, max(i - 3, -1), -1):
                above = out[j]
                hits = [k for k, a in enumerate(above.segments) if min(a.bbox[2], seg.bbox[2]) > max(
                    a.bbox[0], seg.bbox[0]) and not suffix.match(a.text)]
                if hits and above.page == line.page:
                    a = above.segments[hits[0]]
                    joined = Segment(f"{a.text} {seg.text}", (min(a.bbox[0], seg.bbox[0]), a.bbox[1], max(
                        a.bbox[2], seg.bbox[2]), seg.bbox[3]), a.marks, a.chars + seg.chars)
                    out[j] = Line(above.page, above.top, above.bottom, tuple(
                        joined if k == hits[0] else x for k, x in enumerate(above.segments)))
                    out[i] = Line(line.page, line.top, line.bottom, tuple(x for x in out[i].segments if x is not seg))
                    break
    return [x for x in out if x.segments]


_OPEN_BAND = re.compile(r"^\d[\d,]*\s*[-–\xad]$")
_BAND_END = re.compile(r"^\d[\d,]*\*?$")


def join_split_bands(lines: Sequence[Line]) -> list[Line]:
    """Bands broken over two lines in a narrow cell ("1000-" over "1499") joined into one figure ("1000-1499"),
    kept on the upper line: the lower part is the segment overlapping it on one of the next two lines."""
    out = [Line(x.page, x.top, x.bottom, tuple(x.segments)) for x in lines]
    for i, line in enumerate(out):
        for seg in [s for s in line.segments if _OPEN_BAND.match(s.text)]:
            for j in range(i + 1, min(i + 3, len(out))):
                below = out[j]
                hit = next((b for b in below.segments if _BAND_END.match(b.text) and below.page == line.page
                            and min(b.bbox[2], seg.bbox[2]) > max(b.bbox[0], seg.bbox[0])), None)
                if hit is not None:
                    joined = Segment(seg.text + hit.text, (seg.bbox[0], seg.bbox[1], max(seg.bbox[2], hit.bbox[2]),
                                                           hit.bbox[3]), hit.marks, seg.chars + hit.chars)
                    out[i] = Line(line.page, line.top, line.bottom, tuple(
                        joined if x is seg else x for x in out[i].segments))
                    rest = tuple(x for x in below.segments if x is not hit)
                    out[j] = Line(below.page, below.top, below.bottom, rest)
                    break
    return [x for x in out if x.segments]


def find_row(lines: Sequence[Line], start: int, label: str) -> int | None:
    """The first line from `start` that begins a table row labelled `label` (or whose label is the start of it:
    a label printed over several lines), with figures on it or on one of the next two lines."""
    want = label_key(label)
    for i in range(start, len(lines)):
        key = label_key(lines[i].segments[0].text)
        if key and (key == want or (want.startswith(key) and len(key) < len(want))) and any(
                len(x.segments) > 1 for x in lines[i:i + 3]):
            return i
    return None


def figure_first(line: Line) -> Line:
    """A one-segment line that prints its figure before its label ("62,857 General Orders"): label, figure."""
    seg = line.segments[-1]
    m = re.match(r"^([\d,]+) (\D.*)$", seg.text)
    if len(line.segments) != 1 or not m:
        return line
    x = seg.bbox[0]
    return Line(line.page, line.top, line.bottom, (Segment(m[2], (0.0, seg.bbox[1], 1.0, seg.bbox[3])),
                                                    Segment(m[1], (x, seg.bbox[1], x + 1, seg.bbox[3]))))


def stacked_table(doc: Document, lines: Sequence[Line], first: int, last: int, labels: Sequence[str], *,
                  left: float, is_title: Callable[[Line], bool], prose: Callable[[Line], bool],
                  unread: Callable[[str], bool] = lambda text: False,
                  corrections: Mapping[tuple[str, int, str], tuple[str, str]] = {},
                  unread_columns: Iterable[tuple[str, int, int]] = (),
                  suffix: re.Pattern[str] | None = None) -> list[BlockRow]:
    """The rows of a ruled table whose rows are lines first..last and whose column headings are stacked on the
    lines above them, back to its title or to prose (headings stand, at least in part, right of `left`, where
    the labels end). Figures continued on a line below ("(approx)") and bands broken over two lines are joined
    first; headings repeated at the top of a continuation page must repeat the first ones. `unread_columns`:
    columns (sha256 prefix, page, 0-based position) the series declares unread."""
    top = first
    while top > 0 and not prose(lines[top - 1]) and not is_title(lines[top - 1]) and any(
            s.bbox[0] > left for s in lines[top - 1].segments):
        top -= 1
    body = join_split_bands(attach_suffixes(lines[first:last + 1], suffix) if suffix else lines[first:last + 1])
    columns = stacked_columns(doc, lines[top:first], body, left, unread, corrections)
    skipped = set(unread_columns)
    columns = [dataclasses.replace(c, period=None) if (doc.sha256[:12], c.page, i) in skipped else c
               for i, c in enumerate(columns)]
    repeated = [x for x in body if all(s.bbox[0] >= columns[0].x0 and not is_figure(s.text) for s in x.segments)]
    if repeated and column_texts(repeated, [(c.x0, c.x1) for c in columns]) != [c.raw for c in columns]:
        raise ParseError(doc, f"page {repeated[0].page}: headings {[x.text for x in repeated]} differ from the "
                              f"table's {[c.raw for c in columns]}")
    return block_rows(doc, "table", [x for x in body if x not in repeated], labels, columns=columns)


def column_texts(lines: Sequence[Line], bounds: Sequence[tuple[float, float]]) -> list[str]:
    """The text printed inside each horizontal range (x0, x1) over the given lines, top to bottom: column
    headings stacked over several lines, split by character position, not by segment (a heading may touch the
    next column's)."""
    out: list[str] = []
    for x0, x1 in bounds:
        parts = ["".join(ch for s in line.segments for ch, x in s.chars if x0 <= x < x1) for line in lines]
        out.append(clean_text(" ".join(p for p in parts if p.strip())))
    return out


_FIGURE_LINE = re.compile(r"(?m)(?:^|\s)(?:\d[\d,]*|\d[\d,]*\s*[–-]\s*\d[\d,]*|n/a)\s*$")


def check_pages_read(doc: Document, texts: Sequence[str], read: Iterable[int],
                     unread: re.Pattern[str] | None = None, least: int = 4) -> None:
    """Refuse a document with a page of figures (`least` lines ending in a number or band, by the fast text
    pass) that the parser did not read and does not declare unread (`unread` matches its text): a new table on
    a page of its own must not be lost silently."""
    for number in pages_unread(texts, read, unread, least):
        raise ParseError(doc, f"page {number} holds figures under no table this parser knows")


def pages_unread(texts: Sequence[str], read: Iterable[int], unread: re.Pattern[str] | None = None,
                 least: int = 4) -> list[int]:
    """The pages of figures (see `check_pages_read`) the parser neither read nor declares unread."""
    seen = set(read)
    return [number for number, text in enumerate(texts, start=1)
            if number not in seen and len(_FIGURE_LINE.findall(text)) >= least and not (
                unread is not None and unread.search(" ".join(text.split())))]


def strip_bullet(text: str) -> str:
    """A label without the list glyphs printed before it ("§ Subpoenas", "o Criminal")."""
    words = text.split()
    while words and (all(ch in _BULLETS for ch in words[0]) or words[0] == "o"):
        words.pop(0)
    return " ".join(words)


_FIGURE = re.compile(r"^(?:[0-9][0-9,.]*(?:\s*[-–\xad]\s*[0-9][0-9,.]*)?\*?(?: \(approx(?:imately)?\))?|n/a|N/A|\*|-|"
                     r"–|\(approx(?:imately)?\))$")


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
_HALF = re.compile(r"^(?P<h>[12])\s*(?:H|st\s*half of|nd\s*half of)\s*(?P<y>\d{4})$", re.IGNORECASE)
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
    period: tuple[dt.date, dt.date] | None  # None: a column the series declares unread (and says why)
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
    columns: tuple[Column, ...] = ()  # the columns in force: a column without a cell is a blank
    in_order: bool = False  # figures dealt by reading order, not found beside the label (see `_in_order`)
    known: bool = True  # False: a label with figures that no declaration lists (a new row: quarantined)


@dataclass(slots=True)
class _Entry:
    line: Line
    label: str
    label_box: BBox | None
    cells: list[tuple[Column, Segment]]
    columns: tuple[Column, ...] = ()  # the columns in force on this line


_LABEL_PERIOD = re.compile(r"^(.*\S)\s*\(([^()]*\d{4})\)$")


def _column_for(seg: Segment, columns: Sequence[Column]) -> Column | None:
    overlap = [(min(seg.bbox[2], c.x1) - max(seg.bbox[0], c.x0), c) for c in columns]
    best = max(overlap, key=lambda oc: oc[0], default=None)
    return best[1] if best is not None and best[0] > 0 else None


def _entries(doc: Document, lines: Sequence[Line], title: str, columns: list[Column],
             default: Column | None, unread: Callable[[str], bool]) -> list[_Entry]:
    out: list[_Entry] = []
    for line in lines:
        segs = list(line.segments)
        if segs and (m := _LABEL_PERIOD.match(segs[0].text)) and is_period(m[2]):
            # "National Security Letters (Jan. 1 – June 30, 2014)": one column, named in the label
            columns[:] = [Column(m[2], read_period(m[2]), 0.0, 10_000.0, line.page)]
            segs = [Segment(m[1], segs[0].bbox), *segs[1:]]
        heads = [s for s in segs if is_period(s.text) or unread(s.text)]
        rest = [s for s in segs if s not in heads]
        if len(segs) == 1 and is_period(segs[0].text.strip("()")) and segs[0].text.startswith("("):
            # "(July 1 – Dec. 31, 2013)" under a heading: one column for what follows (no column headings)
            s = segs[0]
            columns[:] = [Column(s.text.strip("()"), read_period(s.text.strip("()")), 0.0, 10_000.0, line.page)]
            continue
        if heads and (not rest or rest == segs[:1]):
            columns[:] = [Column(s.text, None if unread(s.text) else read_period(s.text), s.bbox[0], s.bbox[2],
                                 line.page) for s in heads]
            segs = rest
        active = columns or ([default] if default else [])
        left = min((c.x0 for c in active), default=10_000.0) - 2
        if active and active[0].x0 == 0.0:  # one column without a heading: figures are wherever they are
            # ... after the label, so that a label such as "911" is not taken for one
            texts = [i for i, s in enumerate(segs) if strip_bullet(s.text)]
            named = -1 if len(texts) == 1 and is_figure(segs[texts[0]].text) else (texts or [0])[0]
            left = min((s.bbox[0] for s in segs[named + 1:] if is_figure(s.text)), default=10_000.0) - 2
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
            out.append(_Entry(line, label, box, cells, tuple(active)))
    return out


def _pair(entries: list[_Entry], step: int) -> list[_Entry] | None:
    """Figures-only lines joined to the label-only line just before (step -1) or after (+1) them, or None."""
    entries = [_Entry(e.line, e.label, e.label_box, list(e.cells), e.columns) for e in entries]
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
    in_order: bool = False  # labels without their figures (dealt by reading order afterwards)

    def key(self, text: str) -> str:
        key = label_key(text)
        if key not in self.known and key not in self.prefixes and re.sub(r"(?<=[a-z])\d$", "", key) in self.known:
            return key[:-1]
        return key


def _join(doc: Document, title: str, entries: list[_Entry], names: _Labels) -> list[
        tuple[str, list[_Entry], bool]]:
    """Label lines joined into rows: a line that continues the label before it (towards a known label) joins it,
    one that does not starts a new row; the figures of all the lines of a row are the row's. A label no
    declaration lists is a new row (known False) when figures stand beside it; without figures it may be a new
    heading that changes what the rows under it mean, and is refused."""
    rows: list[tuple[str, list[_Entry], bool]] = []
    acc: list[_Entry] = []

    def text(group: list[_Entry]) -> str:
        return " ".join(e.label for e in group if e.label)

    def close() -> None:
        key = names.key(text(acc))
        if key not in names.known:
            raise ParseError(doc, f"page {acc[-1].line.page}: row {text(acc)!r} of {title!r} is not a known row")
        label = text(acc) if key == label_key(text(acc)) else re.sub(r"\s?\d$", "", text(acc))
        rows.append((label, list(acc), True))
        acc.clear()

    for e in entries:
        if acc and names.key(text([*acc, e])) not in names.known | names.prefixes and names.key(
                text(acc)) in names.known:
            close()
        if not acc and not e.cells and names.heading(e.label):
            rows.append((e.label, [e], True))
            continue
        acc.append(e)
        key = names.key(text(acc))
        if key not in names.known and key not in names.prefixes:
            if not any(x.cells for x in acc) and not names.in_order:
                raise ParseError(doc, f"page {e.line.page}: row {text(acc)!r} of {title!r} is not a known row")
            rows.append((text(acc), list(acc), False))
            acc.clear()
            continue
        if key in names.known and key not in names.prefixes:
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
        labelled = [_Entry(e.line, e.label, e.label_box, [], e.columns) for e in on_page if e.label]
        joined = _join(doc, title, labelled, dataclasses.replace(names, in_order=True))
        takers = [i for i, (label, _, _) in enumerate(joined) if not names.heading(label)]
        for col, segs in figures.items():
            if len(segs) != len(takers):
                raise ParseError(doc, f"page {page}: {len(segs)} figures under {col.raw!r} of {title!r} for "
                                      f"{len(takers)} rows: figures beside no label")
        for i, (label, group, known) in enumerate(joined):
            cells = tuple((col, segs[takers.index(i)]) for col, segs in figures.items()) if i in takers else ()
            rows.append(BlockRow(title, label, page, _box(group), cells, group[-1].columns, True, known))
    return rows


def block_rows(doc: Document, title: str, lines: Sequence[Line], labels: Sequence[str],
               default: Column | None = None, heading: Callable[[str], bool] | None = None,
               columns: Sequence[Column] = (), unread: Callable[[str], bool] = lambda text: False) -> list[BlockRow]:
    """The rows of one block (the lines under its title), continuation lines joined into the known `labels`.

    A line without figures whose text, joined to the lines before it, starts a known label waits for the rest of
    the label (figures are printed beside the last or a middle line of a long label). A label that is neither
    known nor the start of one is refused, naming it. Column headings (period texts) found on the way set the
    columns (`columns` are those in force before the first line; headings for which `unread` holds make columns
    whose figures are not read). Lines of figures alone join the label line just above or just below them, the
    same way throughout a page; when neither way pairs every such line, the page's figures are dealt to its rows
    in order (`_in_order`), which must come out exactly even.
    """
    known = {label_key(k) for k in labels}
    names = _Labels(known, {k[:i] for k in known for i in range(1, len(k))}, heading or (lambda label: False))
    entries = _entries(doc, lines, title, list(columns), default, unread)
    rows: list[BlockRow] = []
    for page in dict.fromkeys(e.line.page for e in entries):
        on_page = [e for e in entries if e.line.page == page]
        paired = on_page if all(e.label or not e.cells for e in on_page) else _pair(on_page, -1) or _pair(
            on_page, 1)
        if paired is None:
            rows += _in_order(doc, title, on_page, names)
            continue
        for label, group, known in _join(doc, title, paired, names):
            cells = tuple(c for e in group for c in e.cells)
            if len({id(col) for col, _ in cells}) < len(cells):
                raise ParseError(doc, f"page {page}: row {label!r} of {title!r} has two figures under one heading")
            rows.append(BlockRow(title, label, page, _box(group), cells, group[-1].columns, known=known))
    return rows


def is_prose(line: Line, longest: int = 60) -> bool:
    """Running text, not a table row: a segment longer than any label, or two text columns side by side."""
    texts = [s.text for s in line.segments if strip_bullet(s.text)]
    return any(len(t) > longest for t in texts) or (len(texts) > 1 and not any(
        is_figure(t) or is_period(t) for t in texts[1:]))


def starts_table(labels: Iterable[str], heading: Callable[[str], bool]) -> Callable[[Line], bool]:
    """A `continues` test for `split_blocks`: the page's first line is column headings, a heading or a row."""
    keys = {label_key(x) for x in labels}

    def test(line: Line) -> bool:
        first = next((strip_bullet(s.text) for s in line.segments if strip_bullet(s.text)), "")
        return all(is_period(s.text) for s in line.segments) or heading(first) or label_key(first) in keys
    return test


def split_blocks(doc: Document, lines: Sequence[Line], titles: Sequence[str], skip: re.Pattern[str],
                 spans_pages: Sequence[str] = (), continues: Callable[[Line], bool] = lambda line: True,
                 ends: Callable[[Line], bool] = is_prose,
                 outside: list[Line] | None = None) -> list[tuple[str, list[Line]]]:
    """The lines under each known title, up to the next title or a line for which `ends` holds (prose).

    Lines matching `skip` (page headers and footers, notes inside tables) are dropped. A line of column headings
    alone just above a title belongs to that title's block. A block ends at the end of its page, except the
    blocks named in `spans_pages`, which prose only interrupts until the next page and which go on at the top of
    the next page if `continues` holds for its first line. Figures found outside any
    block are refused (or, given `outside`, collected there for the caller to quarantine): a table under a title
    this parser does not know must not be lost silently.
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
            if outside is None:
                raise ParseError(doc, f"page {line.page}: figures outside any known table: {text!r}")
            outside.append(line)  # the caller quarantines them: an unknown table
        pending = []
    # A title with no figures under it is a heading of the explanatory text, not a table.
    return [(t, b) for t, b in blocks if any(is_figure(s.text) for line in b for s in line.segments)]


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A declared table row: the labels it is printed under, and what its figures count.

    `id` None declares a heading printed without figures. `parts` names the rows this one is the printed total
    of (checked by tests, flagged `is_total`)."""

    id: str | None
    labels: tuple[str, ...]
    type: RequestType = RequestType.LEGAL_PROCESS
    raw: str = ""  # request_type_raw: the row's place in its table, as printed
    metric: str = "requests"
    unit: Unit = Unit.REQUESTS
    kind: Kind = Kind.USER_DATA
    parts: tuple[str, ...] = ()


def declare_rows(table: str, **defaults: str) -> tuple[RowSpec, ...]:
    """Row declarations written as a table, one row a line, fields split by "|":
    id (or "-" for a heading) | labels, spellings split by "~" | request type | request_type_raw | parts (ids
    split by spaces) | metric | unit | kind; a line starting with "|" or "~" goes on with the line before. Empty or
    missing fields take `defaults` (type, raw, metric, unit,
    kind: the enums' values, e.g. type="subpoena", unit="selectors", kind="national-security")."""
    rows: list[RowSpec] = []
    names = ("id", "labels", "type", "raw", "parts", "metric", "unit", "kind")
    joined: list[str] = []
    for line in table.strip().splitlines():  # a line starting with "|" or "~" goes on with the line before
        if line.strip().startswith(("|", "~")) and joined:
            joined[-1] += " " + line.strip()
        elif line.strip() and not line.lstrip().startswith("#"):
            joined.append(line)
    for line in joined:
        given = dict(zip(names, (f.strip() for f in line.split("|")), strict=False))
        f = {k: given.get(k) or defaults.get(k, "") for k in names}
        labels = tuple(x.strip() for x in f["labels"].split("~"))
        if f["id"] == "-":
            rows.append(RowSpec(None, labels))
            continue
        rows.append(RowSpec(f["id"], labels, RequestType(f["type"] or "legal_process"), f["raw"] or labels[0],
                            f["metric"] or "requests", Unit(f["unit"] or "requests"), Kind(f["kind"] or "user-data"),
                            tuple(f["parts"].split())))
    return tuple(rows)


def row_labels(specs: Iterable[RowSpec]) -> list[str]:
    return [x for spec in specs for x in spec.labels]


def match_rows(doc: Document, title: str, rows: Sequence[BlockRow], declared: Sequence[RowSpec],
               group: Callable[[str], bool] | None = None,
               unknown: list[BlockRow] | None = None) -> list[tuple[BlockRow, RowSpec, str]]:
    """Each printed row with its declaration, and the group heading (a country) it stands under.

    Labels repeat ("Historic", "Customer Selectors Targeted"), so rows are matched in declared order: each
    printed row takes the first declaration at or after the previous one's that lists its label. Under a `group`
    heading (a figure-less row for which `group` holds) any declared row may follow, in any order. A heading
    with figures, or a row the declarations do not list where it stands, is refused.

    A new row (a label with figures no declaration lists) goes to `unknown` (without it: refused), unless the row
    after it is printed under a label several declarations share ("Customer Selectors Targeted" belongs to the
    row above it): then nothing says whether it belongs to the new row, and the table is refused.
    """
    out: list[tuple[BlockRow, RowSpec, str]] = []
    keys = [{label_key(x) for x in spec.labels} for spec in declared]
    i, current = 0, ""
    after: BlockRow | None = None  # the new row just before
    for br in rows:
        if group is not None and not br.cells and group(br.label):
            current, after = br.label, None
            continue
        if not br.known:
            if unknown is None:
                raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} is not a known row")
            unknown.append(br)
            after = br
            continue
        if after is not None and sum(label_key(br.label) in k for k in keys) > 1:
            raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} follows the new row "
                                  f"{after.label!r} and may belong to it")
        after = None
        key = re.sub(r"(?<=[a-z])\d$", "", label_key(br.label)) if not any(
            label_key(br.label) in k for k in keys) else label_key(br.label)
        start = 0 if current else i
        hit = next((j for j in range(start, len(declared)) if key in keys[j]), None)
        if hit is None:
            raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} is not where the layout has it")
        i, spec = hit + 1, declared[hit]
        if spec.id is None and br.cells:
            raise ParseError(doc, f"page {br.page}: heading {br.label!r} of {title!r} carries figures")
        if spec.id is not None:
            out.append((br, spec, current))
    return out


_APPROX = re.compile(r"\s*\(approx(?:imately)?\)$", re.IGNORECASE)


def read_figure(raw: str) -> tuple[CellValue, str]:
    """A printed figure to its value, and a note on anything read around the number: "50,000 (approx)" is
    50,000 said to be approximate; `0\\xad999` (a soft hyphen for the dash) is the band 0-999; a lone "*" is a
    figure withheld (the caller's note says why)."""
    text, note = raw.strip(), ""
    if _APPROX.search(text):
        text, note = _APPROX.sub("", text), "printed as approximate"
    if text == "*":
        return CellValue(None, None, None, Status.WITHHELD), note
    return parse_number_cell(normalise_band(text)), note


def period_of(doc: Document, column: Column, corrections: Mapping[tuple[str, int, str], tuple[str, str]]) -> tuple[
        tuple[dt.date, dt.date], str]:
    """A column's period, and a note when the series declares its printed heading a misprint (keyed by the
    document's sha256 prefix, page and heading as printed), with the heading meant and why."""
    meant, why = corrections.get((doc.sha256[:12], column.page, column.raw), (column.raw, ""))
    if why:
        return read_period(meant), f"column heading printed {column.raw!r}, read as {meant!r}: {why}"
    if column.period is None:
        raise ParseError(doc, f"page {column.page}: column {column.raw!r} has no period")
    return column.period, ""


def flag_repeated_columns(facts: Sequence[Fact], least: int = 4) -> list[Fact]:
    """Facts of a column whose exact counts repeat, figure for figure, the column printed before it (at least
    `least` of them): kept as printed, each saying so in its note: a likely copy error in the report."""
    columns: dict[tuple[int | None, str, str | None], dict[str, str]] = {}
    for f in facts:
        if f.status in (Status.REPORTED, Status.ZERO):
            columns.setdefault((f.locator.page, f.extra.get("table", ""), f.locator.column), {})[
                f.extra.get("row", "")] = f.raw_text
    keys = list(columns)
    repeats = {b: a for a, b in zip(keys, keys[1:], strict=False) if a[:2] == b[:2] and len(columns[b]) >= least
               and columns[a] == columns[b]}
    out: list[Fact] = []
    for f in facts:
        before = repeats.get((f.locator.page, f.extra.get("table", ""), f.locator.column))
        if before is None:
            out.append(f)
            continue
        said = f"every figure of this column repeats the column {before[2]!r} before it (a likely copy error)"
        out.append(dataclasses.replace(f, note="; ".join(n for n in (f.note, said) if n)))
    return out


IN_ORDER = ("on this page the figures drift away from their labels; each was matched to its row by reading order "
            "(every row has exactly one figure per column)")


__all__ = ["BlockRow", "Column", "IN_ORDER", "Line", "RowSpec", "Segment", "attach_suffixes", "block_rows",
           "check_pages_read", "column_texts", "declare_rows", "figure_columns", "figure_first",
           "find_row", "flag_repeated_columns", "is_figure", "is_period", "is_prose",
           "join_split_bands", "label_key", "match_rows", "normalise_band", "page_lines", "period_of",
           "pages_unread", "read_figure", "read_period", "row_labels", "split_blocks", "stacked_columns",
           "stacked_table", "starts_table", "strip_bullet"]
