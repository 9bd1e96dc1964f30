"""Designed PDF tables read as lines of "label  figure  figure": the rows a reader sees, not a ruled grid.

Many reports print their figures in tables with few or no rules (Kaspersky's rows have hairlines only) or with
rules pdfplumber splits oddly (a label wrapped over two lines, a value on the label's first or last line). This
module reads the words of the picked pages (pdfplumber), groups them into printed lines, splits each line into
cells at wide gaps, and takes the trailing cells that are figures (`1,234`, `63%`, `0 – 499`, `101*`) as the
row's values. A series declares its blocks (`BlockSpec`): the line that starts each one, its header, the row
labels it knows (regexes, matched whole) and how many figures each row has. Anything else is refused loudly:
a row label nobody declared, a row with another number of figures, a block missing or found twice, or a line
with figures outside every block (a table nobody declared).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pdfplumber

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats.pdf_tables import check_pdf_bytes, clean_text

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
    """One declared table. `rows` maps a label regex (matched whole) to the series' declaration for it."""

    name: str
    start: str  # regex matching the whole line that opens the block (a title or the header's first line)
    header: str  # regex matching the title/header text from the start line to the first row, joined
    rows: Mapping[str, Any]
    figures: int  # figure cells on every row
    end: str = ""  # regex matching the whole line that closes the block; also closed by another block or page end
    groups: Sequence[str] = ()  # regexes of label lines without figures that head the rows under them


@dataclass(frozen=True)
class LabelRow:
    page: int
    number: int  # 1-based row of the block (header excluded)
    label: str  # as printed, wrapped lines joined with one space
    figures: tuple[PrintedCell, ...]
    declared: Any  # the declaration `BlockSpec.rows` holds for the pattern that matched
    match: re.Match[str]
    group: str = ""  # the latest group line above the row, as printed


@dataclass(frozen=True)
class Block:
    spec: BlockSpec
    page: int
    index: int  # 1-based among the blocks found on the page
    header: re.Match[str]
    rows: list[LabelRow] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # text of the lines above the block, document order


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


def _declared(spec: BlockSpec, label: str) -> tuple[Any, re.Match[str]] | None:
    for pattern, declaration in spec.rows.items():
        if m := re.fullmatch(pattern, label):
            return declaration, m
    return None


def read_blocks(doc: Document, lines: Mapping[int, list[PrintedLine]], specs: Sequence[BlockSpec],
                ignore: Sequence[str] = ()) -> list[Block]:
    """Every declared block on the given lines. Lines matching one of `ignore` (page numbers, footers, chart
    labels that repeat a table's figures) are skipped anywhere; any other line with figures outside all blocks
    is refused."""
    blocks: list[Block] = []
    before: list[str] = []
    for page, page_lines in lines.items():
        current: list[PrintedLine] | None = None
        spec: BlockSpec | None = None
        found: list[tuple[BlockSpec, list[PrintedLine], list[str]]] = []
        for line in page_lines:
            opener = next((s for s in specs if re.fullmatch(s.start, line.text)), None)
            if opener is not None:
                current, spec = [line], opener
                found.append((spec, current, list(before)))
            elif spec is not None and spec.end and re.fullmatch(spec.end, line.text):
                current = spec = None
            elif any(re.fullmatch(p, line.text) for p in ignore):
                pass
            elif current is not None:
                current.append(line)
            elif line.split()[1]:
                raise UnknownLayout(doc, f"page={page}: figures outside every known table: {line.text!r}")
            before.append(line.text)
        for index, (s, block_lines, above) in enumerate(found, start=1):
            blocks.append(_rows(doc, s, page, index, block_lines, above))
    return blocks


def _rows(doc: Document, spec: BlockSpec, page: int, index: int, lines: list[PrintedLine],
          above: list[str]) -> Block:
    where = f"page={page}: table {spec.name!r}"
    pending: list[str] = []
    header: re.Match[str] | None = None
    group = ""
    raw: list[tuple[str, tuple[PrintedCell, ...], str]] = []
    for line in lines:
        label, figures = line.split()
        if not figures:
            pending.append(line.text)
            if any(re.fullmatch(g, " ".join(pending)) for g in spec.groups) and header is not None:
                group, pending = " ".join(pending), []
            continue
        if header is None:
            # The title/header runs to the first row; a row whose label begins under the title takes the rest.
            for cut in range(len(pending), 0, -1):
                if m := re.fullmatch(spec.header, " ".join(pending[:cut])):
                    header, pending = m, pending[cut:]
                    break
            else:
                raise UnknownLayout(doc, f"{where}: header {' '.join(pending)!r} is not the declared one")
        joined = " ".join([*pending, label]).strip()
        if pending and raw and not _declared(spec, joined):
            # A label wrapped below its value (the value printed on the label's first line).
            prev_label, prev_figures, prev_group = raw[-1]
            raw[-1] = (f"{prev_label} {' '.join(pending)}", prev_figures, prev_group)
            joined = label
        raw.append((joined, figures, group))
        pending = []
    if pending and raw:
        prev_label, prev_figures, prev_group = raw[-1]
        raw[-1] = (f"{prev_label} {' '.join(pending)}", prev_figures, prev_group)
    if header is None:
        raise UnknownLayout(doc, f"{where}: no rows under the title")
    block = Block(spec, page, index, header, before=above)
    for number, (label, figures, row_group) in enumerate(raw, start=1):
        hit = _declared(spec, label)
        if hit is None:
            raise UnknownLayout(doc, f"{where}: row {label!r} is not a declared row")
        if len(figures) != spec.figures:
            raise UnknownLayout(doc, f"{where}: row {label!r} has {len(figures)} figures, not {spec.figures}")
        block.rows.append(LabelRow(page, number, label, figures, hit[0], hit[1], row_group))
    return block


def locator(block: Block, row: LabelRow, column: str, cell: PrintedCell) -> Locator:
    """Where a figure was printed: page, the block's place on the page, its row, the declared column, the box."""
    return Locator(page=row.page, table=block.index, row=row.number, column=column, bbox=cell.bbox)


def recognise_layout(doc: Document, blocks: Sequence[Block], layouts: Mapping[str, Sequence[str]]) -> str:
    """The name of the layout whose blocks (names, with repeats, in order) are exactly those found."""
    found = [b.spec.name for b in blocks]
    for name, expected in layouts.items():
        if found == list(expected):
            return name
    raise UnknownLayout(doc, f"tables found {found} match no known layout ({', '.join(layouts)})")


__all__ = ["Block", "BlockSpec", "LabelRow", "PrintedCell", "PrintedLine", "locator", "read_blocks",
           "read_lines", "recognise_layout"]
