"""Designed PDF tables read as lines of "label  figure  figure": the rows a reader sees, not a ruled grid.

Many reports print their figures in tables with few or no rules (Kaspersky's rows have hairlines only) or with
rules pdfplumber splits oddly (a label wrapped over two lines, a value on the label's first or last line). This
module reads the words of the picked pages (pdfplumber), groups them into printed lines, splits each line into
cells at wide gaps, and takes the trailing cells that are figures (`1,234`, `63%`, `0 – 499`, `101*`) as the
row's values. A series declares where its blocks are (`BlockSpec`: the line that starts each one, its header, the
names of its figure columns); each block becomes a `Table` (`block_table`) for the one interpreter, which knows
the rows. A row with another number of figures refuses its table (its figures cannot be told apart); lines with
figures outside every declared block become a table nobody declared, which the interpreter quarantines.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pdfplumber

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats.pdf_tables import check_pdf_bytes, clean_text
from parsers.formats.table import Table, TableCell

BBox = tuple[float, float, float, float]

_LINE_TOLERANCE = 4.0  # points: words whose vertical middles are this close are one printed line
_CELL_GAP = 14.0  # points: a wider gap between two words on a line separates two cells (columns)
_FIGURE = re.compile(r"(?:\d[\d,]*(?:\.\d+)?%?|\d[\d,]*\s*[-–—]\s*\d[\d,]*)\s*[*†‡]*")


@dataclass(frozen=True, slots=True)
class PrintedCell:
    text: str
    bbox: BBox  # x0, top, x1, bottom in points, top-left origin


@dataclass(frozen=True, slots=True)
class PrintedLine:
    page: int
    cells: tuple[PrintedCell, ...]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    def split(self) -> tuple[str, tuple[PrintedCell, ...]]:
        """(label, figures): the trailing cells that are figures, and the text before them."""
        n = len(self.cells)
        while n > 0 and _FIGURE.fullmatch(self.cells[n - 1].text):
            n -= 1
        return " ".join(c.text for c in self.cells[:n]), self.cells[n:]


@dataclass(frozen=True)
class BlockSpec:
    """Where one table is: the lines that open and close it, its header, and the names of its figure columns."""

    name: str  # the table's `place`: what a `KnownTable.where` matches
    start: str  # regex matching the whole line that opens the block (a title or the header's first line)
    header: str  # regex matching the title/header text from the start line to the first row, joined
    columns: tuple[str, ...]  # one name per figure cell of a row, in printed order (the table's header)
    labels: Sequence[str] = ()  # regexes of the declared row labels: only to rejoin a label wrapped under its value
    end: str = ""  # regex matching the whole line that closes the block; also closed by another block or page end
    # A label line without figures that heads rows (regex) -> the labels printed under it (regex): such a row's
    # label is "heading / label", the heading's `period` group (if any) cut from it and kept in a `period` cell.
    groups: Mapping[str, str] = field(default_factory=dict)
    printed: Mapping[str, str] = field(default_factory=dict)  # column name -> printed header it shares


@dataclass(frozen=True)
class LabelRow:
    page: int
    number: int  # 1-based row of the block (header excluded)
    label: str  # as printed, wrapped lines joined with one space ("heading / label" under a group heading)
    figures: tuple[PrintedCell, ...]
    label_box: BBox | None = None
    period: str = ""  # the period printed in the row's group heading


@dataclass
class Block:
    """A declared block (spec) or, with spec None, a run of lines with figures outside every declared block."""

    spec: BlockSpec | None
    page: int
    index: int  # 1-based among the blocks found on the page
    header: re.Match[str] | None = None
    rows: list[LabelRow] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # text of the lines above the block, document order
    refused: str = ""  # why its rows cannot be read as declared
    printed_header: str = ""  # an undeclared run: the text line printed above its first figures


def read_lines(doc: Document, pages: Sequence[int]) -> dict[int, list[PrintedLine]]:
    """The printed lines of the given 1-based pages, top to bottom, each split into cells at wide gaps."""
    check_pdf_bytes(doc)
    out: dict[int, list[PrintedLine]] = {}
    try:
        pdf = pdfplumber.open(io.BytesIO(doc.data))
    except Exception as e:  # pdfminer raises many types for broken files
        raise ParseError(doc, f"unreadable PDF ({type(e).__name__}: {e})") from e
    with pdf:
        for number in pages:
            if not 1 <= number <= len(pdf.pages):
                raise ParseError(doc, f"page {number} does not exist (the PDF has {len(pdf.pages)})")
            words = sorted(pdf.pages[number - 1].extract_words(), key=lambda w: (w["top"] + w["bottom"]) / 2)
            clusters: list[list[dict[str, Any]]] = []
            for w in words:
                middle = (w["top"] + w["bottom"]) / 2
                if clusters and middle - (clusters[-1][0]["top"] + clusters[-1][0]["bottom"]) / 2 <= _LINE_TOLERANCE:
                    clusters[-1].append(w)
                else:
                    clusters.append([w])
            out[number] = [PrintedLine(number, _cells(sorted(c, key=lambda w: w["x0"]))) for c in clusters]
    return out


def _cells(words: list[dict[str, Any]]) -> tuple[PrintedCell, ...]:
    groups: list[list[dict[str, Any]]] = []
    for w in words:
        if groups and w["x0"] - groups[-1][-1]["x1"] <= _CELL_GAP:
            groups[-1].append(w)
        else:
            groups.append([w])
    return tuple(PrintedCell(clean_text(" ".join(w["text"] for w in g)),
                             (g[0]["x0"], min(w["top"] for w in g), g[-1]["x1"], max(w["bottom"] for w in g)))
                 for g in groups)


def _declared(spec: BlockSpec, label: str) -> bool:
    return any(re.fullmatch(p, label) for p in spec.labels)


def read_blocks(lines: Mapping[int, list[PrintedLine]], specs: Sequence[BlockSpec],
                ignore: Sequence[str] = ()) -> list[Block]:
    """Every block on the given lines, in printed order. Lines matching one of `ignore` (page numbers, footers,
    chart labels that repeat a table's figures) are skipped anywhere; other lines with figures outside all
    declared blocks make an undeclared block (spec None), for the interpreter to quarantine."""
    blocks: list[Block] = []
    before: list[str] = []
    for page, page_lines in lines.items():
        current: list[PrintedLine] | None = None
        spec: BlockSpec | None = None
        found: list[Block] = []
        declared: list[tuple[Block, list[PrintedLine]]] = []
        loose: Block | None = None
        for line in page_lines:
            opener = next((s for s in specs if re.fullmatch(s.start, line.text)), None)
            if opener is not None:
                current, spec, loose = [line], opener, None
                found.append(Block(spec, page, len(found) + 1, before=list(before)))
                declared.append((found[-1], current))
            elif spec is not None and spec.end and re.fullmatch(spec.end, line.text):
                current = spec = None
            elif any(re.fullmatch(p, line.text) for p in ignore):
                pass
            elif current is not None:
                current.append(line)
            elif (figures := line.split())[1]:
                if loose is None:
                    loose = Block(None, page, len(found) + 1, before=list(before),
                                  printed_header=before[-1] if before else "")
                    found.append(loose)
                loose.rows.append(LabelRow(page, len(loose.rows) + 1, figures[0], figures[1], _box(line.cells)))
            before.append(line.text)
        for block, block_lines in declared:
            _rows(block, block_lines)
        blocks += found
    return blocks


def _box(cells: Sequence[PrintedCell]) -> BBox | None:
    return (cells[0].bbox[0], min(c.bbox[1] for c in cells), cells[-1].bbox[2],
            max(c.bbox[3] for c in cells)) if cells else None


def _rows(block: Block, lines: list[PrintedLine]) -> None:
    spec = block.spec
    assert spec is not None
    pending: list[str] = []
    group: tuple[str, re.Match[str]] | None = None
    raw: list[list[object]] = []  # label, figures, group
    for line in lines:
        label, figures = line.split()
        if not figures:
            pending.append(line.text)
            hit = next(((g, m) for g in spec.groups if (m := re.fullmatch(g, " ".join(pending)))), None)
            if hit is not None and block.header is not None:
                group, pending = hit, []
            continue
        if block.header is None:
            # The title/header runs to the first row; a row whose label begins under the title takes the rest.
            for cut in range(len(pending), 0, -1):
                if m := re.fullmatch(spec.header, " ".join(pending[:cut])):
                    block.header, pending = m, pending[cut:]
                    break
            else:
                block.refused = f"header {' '.join(pending)!r} is not the declared one"
                return
        joined = " ".join([*pending, label]).strip()
        if pending and raw and not _declared(spec, joined):
            raw[-1][0] = f"{raw[-1][0]} {' '.join(pending)}"  # a label wrapped below its value (printed on its first line)
            joined = label
        raw.append([joined, figures, group])
        pending = []
    if pending and raw:
        raw[-1][0] = f"{raw[-1][0]} {' '.join(pending)}"
    if block.header is None:
        block.refused = "no rows under the title"
    for number, (label, figures, grp) in enumerate(raw, start=1):
        assert isinstance(label, str) and isinstance(figures, tuple)
        period = ""
        if isinstance(grp, tuple) and re.fullmatch(spec.groups[grp[0]], label):
            m = grp[1]
            heading = m.string
            if "period" in m.re.groupindex:
                period = m["period"]
                heading = (m.string[:m.start("period")].rstrip(" :") + m.string[m.end("period"):]).strip()
            label = f"{heading} / {label}"
        if len(figures) != len(spec.columns) and not block.refused:
            block.refused = f"row {label!r} has {len(figures)} figures, not {len(spec.columns)}"
        if any(r.label == label for r in block.rows) and not block.refused:  # two tables run together
            block.refused = f"row {label!r} is printed twice: the table's end is not where it was"
        block.rows.append(LabelRow(block.page, number, label, figures, None, period))


def block_table(block: Block, title: str = "") -> Table:
    """A block as a `Table`: a `label` column, one column per declared figure column (a `period` column where
    group headings print one), each cell with its page, row, column and box; an undeclared run has no place."""
    where = Locator(page=block.page, table=block.index)
    spec = block.spec
    if spec is None:
        width = max(len(r.figures) for r in block.rows)
        header = [block.printed_header, *[""] * width]
        title = "figures outside every known table"
    else:
        header = ["label", *spec.columns, *(["period"] if any("(?P<period>" in g for g in spec.groups) else [])]
        if not title and block.header is not None and "period" in block.header.re.groupindex:
            title = block.header["period"]
    rows = []
    for r in block.rows:
        cells = [TableCell(r.label, replace(where, row=r.number, column=header[0], bbox=r.label_box))]
        for i, c in enumerate(r.figures):
            name = header[i + 1] if i + 1 < len(header) else ""
            column = spec.printed.get(name, name) if spec is not None else name
            cells.append(TableCell(c.text, replace(where, row=r.number, column=column, bbox=c.bbox)))
        if spec is not None and "period" in header:
            cells += [TableCell("", where)] * (len(header) - 1 - len(cells)) + [TableCell(r.period, where)]
        rows.append(cells)
    return Table(where, header, rows, [r.number for r in block.rows], title, spec.name if spec else "",
                 refused=block.refused)


def recognise_layout(doc: Document, tables: Sequence[Table], layouts: Mapping[str, Sequence[str]]) -> str:
    """The layout whose tables (places, with repeats, in order) are those found; an undeclared table (no place)
    stands in for any one: it is quarantined, and the tables around it keep their places (and periods)."""
    found = [t.place for t in tables]
    for name, expected in layouts.items():
        if len(found) == len(expected) and all(f in ("", e) for f, e in zip(found, expected, strict=True)):
            return name
    raise UnknownLayout(doc, f"tables found {found} match no known layout ({', '.join(layouts)})")


__all__ = ["Block", "BlockSpec", "LabelRow", "PrintedCell", "PrintedLine", "block_table", "read_blocks",
           "read_lines", "recognise_layout"]
