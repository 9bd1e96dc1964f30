"""The lines of a block as entries: the label printed on each, and its figures under the column headings in force
(headings found on the way set the columns); figures-only lines paired with the label line beside them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parsers.facts import Document, ParseError
from parsers.formats.pdf_chars import BBox
from parsers.formats.pdf_columns import Column
from parsers.formats.pdf_printed import is_figure, is_period, read_period, strip_bullet
from parsers.formats.pdf_text_lines import Line, Segment


@dataclass(slots=True)
class Entry:
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


def line_entries(doc: Document, lines: Sequence[Line], title: str, columns: list[Column],
             default: Column | None, unread: Callable[[str], bool]) -> list[Entry]:
    out: list[Entry] = []
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
            out.append(Entry(line, label, box, cells, tuple(active)))
    return out


def pair_lines(entries: list[Entry], step: int) -> list[Entry] | None:
    """Figures-only lines joined to the label-only line just before (step -1) or after (+1) them, or None."""
    entries = [Entry(e.line, e.label, e.label_box, list(e.cells), e.columns) for e in entries]
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


IN_ORDER = ("on this page the figures drift away from their labels; each was matched to its row by reading order "
            "(every row has exactly one figure per column)")
