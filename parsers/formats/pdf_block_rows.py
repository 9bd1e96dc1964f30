"""The rows of one block: label lines joined over continuation lines into known labels, each with its figures;
figures that drift from their labels dealt in reading order; a new label with figures set apart."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parsers.facts import Document, ParseError
from parsers.formats.pdf_chars import BBox
from parsers.formats.pdf_columns import Column
from parsers.formats.pdf_printed import label_key
from parsers.formats.pdf_row_entries import Entry, line_entries, pair_lines
from parsers.formats.pdf_text_lines import Line, Segment


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


def _join(doc: Document, title: str, entries: list[Entry], names: _Labels) -> list[
        tuple[str, list[Entry], bool]]:
    """Label lines joined into rows: a line that continues the label before it (towards a known label) joins it,
    one that does not starts a new row; the figures of all the lines of a row are the row's. A label no
    declaration lists is a new row (known False) when figures stand beside it; without figures it may be a new
    heading that changes what the rows under it mean, and is refused."""
    rows: list[tuple[str, list[Entry], bool]] = []
    acc: list[Entry] = []

    def text(group: list[Entry]) -> str:
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


def _box(group: list[Entry]) -> BBox:
    boxes = [e.label_box for e in group if e.label_box is not None] or [group[-1].line.segments[0].bbox]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _in_order(doc: Document, title: str, entries: list[Entry], names: _Labels) -> list[BlockRow]:
    """Figures dealt to a page's rows in reading order, column by column: for a page whose figures drift away
    from their labels (AT&T January 2016, page 11). Every row but a heading must get exactly one per column."""
    rows: list[BlockRow] = []
    for page in dict.fromkeys(e.line.page for e in entries):  # called with one page's entries
        on_page = [e for e in entries if e.line.page == page]
        figures: dict[Column, list[Segment]] = {}
        for e in sorted(on_page, key=lambda e: e.line.top):
            for col, seg in e.cells:
                figures.setdefault(col, []).append(seg)
        labelled = [Entry(e.line, e.label, e.label_box, [], e.columns) for e in on_page if e.label]
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
    entries = line_entries(doc, lines, title, list(columns), default, unread)
    rows: list[BlockRow] = []
    for page in dict.fromkeys(e.line.page for e in entries):
        on_page = [e for e in entries if e.line.page == page]
        paired = on_page if all(e.label or not e.cells for e in on_page) else pair_lines(on_page, -1) or pair_lines(
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
