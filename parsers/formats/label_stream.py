"""Labels declared in printed order, each taking the next figure printed after it (`text_figures.TextStream`), as
one `Table` of figures for the interpreter: the label as printed, the declared row, its period, the figure.

Every figure of the stream must be taken (`table()` checks): a figure nobody declared would shift the figures the
labels after it take, so it refuses the document rather than being quarantined.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Locator, UnknownLayout
from parsers.formats import text_figures as tf
from parsers.formats.pdf_block_tables import FIGURE, PERIOD, ROW, TYPE
from parsers.formats.table import Table, TableCell


class LabelStream:
    def __init__(self, doc: Document, stream: tf.TextStream, note: str = "") -> None:
        self.doc, self.stream, self.note = doc, stream, note
        self.at = 0  # labels are looked for from here on
        self.rows: list[list[TableCell]] = []

    def find(self, label: str, at: int | None = None) -> re.Match[str] | None:
        return self.stream.find(tf.label_pattern(label), self.at if at is None else at)

    def take(self, label: str, row: str, period: tuple[dt.date, dt.date], note: str = "") -> None:
        """The next figure after the next `label`: a row of the table, read as the declared `row`."""
        m = self.find(label)
        if m is None:
            raise UnknownLayout(self.doc, f"label {label!r} not found after position {self.at}")
        self.at = m.end()
        printed = " ".join(self.stream.printed[m.start():m.end()].replace("\xad", "").split())
        v = self.stream.take_after(m.end(), printed)
        where = Locator(page=v.line.page, row=v.line.number, column=printed)
        self.rows.append([TableCell(printed, where), TableCell(row, where), TableCell("", where, period),
                          TableCell(v.raw, where, note="; ".join(n for n in (self.note, note) if n))])

    def take_anywhere(self, label: str, row: str, period: tuple[dt.date, dt.date], note: str = "") -> None:
        """`take` for the first `label` of the whole stream (printed anywhere); the search goes on where it was."""
        at, self.at = self.at, 0
        self.take(label, row, period, note)
        self.at = at

    def table(self) -> Table:
        self.stream.check_all_taken()
        return Table(Locator(), [TYPE, ROW, PERIOD, FIGURE], self.rows, [r[-1].locator.row or 0 for r in self.rows])
