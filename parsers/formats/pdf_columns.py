"""Figure columns of a PDF table: their extents, their headings (stacked over several lines, split by character
position) and the period each heading names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from parsers.facts import Document, ParseError
from parsers.formats.pdf_printed import is_figure, read_period
from parsers.formats.pdf_tables import clean_text
from parsers.formats.pdf_text_lines import Line


@dataclass(frozen=True, slots=True)
class Column:
    """A figure column: its heading as printed, the period it names and its horizontal extent."""

    raw: str
    period: tuple[dt.date, dt.date] | None  # None: a column the series declares unread (and says why)
    x0: float
    x1: float
    page: int


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


def column_texts(lines: Sequence[Line], bounds: Sequence[tuple[float, float]]) -> list[str]:
    """The text printed inside each horizontal range (x0, x1) over the given lines, top to bottom: column
    headings stacked over several lines, split by character position, not by segment (a heading may touch the
    next column's)."""
    out: list[str] = []
    for x0, x1 in bounds:
        parts = ["".join(ch for s in line.segments for ch, x in s.chars if x0 <= x < x1) for line in lines]
        out.append(clean_text(" ".join(p for p in parts if p.strip())))
    return out


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
