"""Ruled grids whose column headings are stacked over several lines (Verizon): figures continued below their line
("(approx)") and bands broken over two lines joined, headings repeated on a continuation page checked."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from parsers.facts import Document, ParseError
from parsers.formats.pdf_block_rows import BlockRow, block_rows
from parsers.formats.pdf_columns import column_texts, stacked_columns
from parsers.formats.pdf_printed import is_figure, label_key
from parsers.formats.pdf_text_lines import Line, Segment


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
