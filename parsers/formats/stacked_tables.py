"""Several tables stacked in one CSV without "Table i/n:" titles: blank rows between them, title rows above some.

`split_stack` cuts the rows into blocks of consecutive non-blank rows. A block's first row is a *title* when it
holds one filled cell, in the first column: it names that block and the blocks after it up to the next title (a
section). A one-cell row that starts with a footnote mark ('* text', '(1) text') is a footnote line, kept by its
mark. The next row of a block is its header, the rest its data. `stacked_table` recognises one block's header
among declared shapes and returns a `csv_report.Table` that `measure_facts` reads; a header cell left blank
above figures is named `UNLABELLED` (a parser declares it like any other spelling), never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.facts import Document, ParseError, UnknownLayout
from parsers.formats.csv_report import Shape, Table
from parsers.formats.tabular import Row, recognise

UNLABELLED = "(unlabelled)"  # the name a blank header cell over figures goes by in declarations
FOOTNOTE_LINE = re.compile(r"^\s*(?P<mark>[*†‡]+|\(\d{1,2}\))\s*(?P<text>\S.*)$")
CELL_MARK = re.compile(r"(?<=[\w%)])\s*(?P<mark>[*†‡]+)$")  # '1*', '72%*', 'Emergency*'


@dataclass
class Block:
    """One table of the stack: the title of its section, its header and its data rows (1-based line numbers)."""

    title: str
    title_row: int | None
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def non_blank(self) -> dict[tuple[int, int], str]:
        """Every filled data cell by (1-based line, 0-based column), for parsers that read a block as a form."""
        return {(n, i): c.strip() for n, cells in self.rows for i, c in enumerate(cells) if c.strip()}


@dataclass
class Stack:
    blocks: list[Block]
    footnotes: dict[str, str] = field(default_factory=dict)  # mark -> footnote text as printed


def _single(cells: Sequence[str]) -> tuple[int, str] | None:
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    return filled[0] if len(filled) == 1 else None


def split_stack(doc: Document, rows: Sequence[Sequence[str]]) -> Stack:
    """Blocks separated by blank rows, with their section titles; footnote lines set aside by mark."""
    runs: list[list[tuple[int, list[str]]]] = [[]]
    for n, cells in enumerate(rows, start=1):
        if any(c.strip() for c in cells):
            runs[-1].append((n, list(cells)))
        elif runs[-1]:
            runs.append([])
    stack = Stack([])
    title, title_row = "", None
    for run in runs:
        lines = []
        for n, cells in run:
            one = _single(cells)
            if one and (m := FOOTNOTE_LINE.match(one[1])):
                if m["mark"] in stack.footnotes:
                    raise ParseError(doc, f"row {n}: footnote {m['mark']!r} is printed twice")
                stack.footnotes[m["mark"]] = m["text"].strip()
            else:
                lines.append((n, cells))
        if lines and (one := _single(lines[0][1])) and one[0] == 0:
            title, title_row = one[1], lines[0][0]
            lines = lines[1:]
        if lines:
            stack.blocks.append(Block(title, title_row, lines[0][0], lines[0][1], lines[1:]))
    return stack


def stacked_table(doc: Document, block: Block, shapes: Sequence[Shape], where: str,
                  number: int | None = None) -> Table:
    """One block as a recognised table. Blank header cells over figures become UNLABELLED; figures past the
    header's last column are refused."""
    width = len(block.header)
    filled = {i for _, cells in block.rows for i, c in enumerate(cells) if c.strip()}
    past = sorted(i for i in filled if i >= width)
    if past:
        raise UnknownLayout(doc, f"{where}: values past the header's last column (positions {past})")
    named = [h if h.strip() or i not in filled else UNLABELLED for i, h in enumerate(block.header)]
    layout, positions = recognise(doc, named, [s.layout for s in shapes], f"{where} (header row {block.header_row})")
    found = next(s for s in shapes if s.layout is layout)
    rows = [Row(n, cells, positions) for n, cells in block.rows]
    return Table(found, block.header, positions, rows, block.title, number)


def split_mark(text: str) -> tuple[str, str]:
    """'1*' -> ('1', '*'); text without a trailing footnote mark -> (text, '')."""
    m = CELL_MARK.search(text.strip())
    return (text.strip()[: m.start()], m["mark"]) if m else (text.strip(), "")


def footnote_note(mark: str, footnotes: dict[str, str]) -> str:
    """What a fact says about a footnote mark on its cell or label: the footnote's text where the file has it."""
    if not mark:
        return ""
    if mark in footnotes:
        return f"footnote {mark}: {footnotes[mark]}"
    return f"footnote mark {mark!r} printed; the file holds no footnote text for it"
