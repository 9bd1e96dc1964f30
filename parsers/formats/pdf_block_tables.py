"""PDF label blocks (`parsers.formats.pdf_blocks`) as `Table`s for the one interpreter, and their declarations.

A block's rows, matched to a series' `RowSpec`s, become one table row per printed figure: the declared row (its id
and request type label), the label and country heading as printed, the column heading (its period, as the block
reader read it) and the figure, each cell with its locator (page, block, row, column heading, box). What the
block reader could not place is reported at the grain of the table: a new row label is quarantined, a table whose
rows or headings no longer read is refused, figures under no known title are an unknown table
(`pdf_block_reading`). `figure_known` declares any such table of figures (Comcast's `label_stream` too).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from parsers.facts import Document, Locator, ParseError
from parsers.formats import pdf_blocks as pdf
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Row
from parsers.formats.pdf_blocks import BlockRow, RowSpec, label_key
from parsers.formats.table import Table, TableCell
from parsers.normalise.values import CellValue, UnreadableCell

TYPE, ROW, LABEL, COUNTRY, PERIOD, FIGURE = "request type", "row", "label", "country", "period", "figure"
Matched = Sequence[tuple[BlockRow, RowSpec, str]]
Build = Callable[[list[BlockRow], int], Table]  # (new rows found, table index) -> the table of one block


def figure_value(text: str) -> CellValue:
    return pdf.read_figure(text)[0]


def _as(spec: RowSpec) -> As:
    total = bool(spec.parts)
    return As(spec.type, is_total=total, kind=spec.kind, measure=Measure(
        FIGURE, spec.metric, spec.unit, spec.type, kind=spec.kind, is_total=total, reader=figure_value))


def row_values(specs: Iterable[RowSpec]) -> dict[str, As]:
    """The declared rows as the closed vocabulary of the `row` key: what each row's figures count."""
    out: dict[str, As] = {}
    for spec in (s for s in specs if s.id is not None):
        if out.setdefault(spec.id, _as(spec)) != _as(spec):  # type: ignore[arg-type]
            raise ValueError(f"row {spec.id!r} is declared twice with different meanings")
    return out


def _period(doc: Document, row: Row) -> tuple:  # type: ignore[type-arg]
    return row.cell(PERIOD).value  # type: ignore[union-attr,return-value]  # read with its heading by the reader


def block_known(name: str, specs: Sequence[RowSpec], *, titles: Sequence[str], grouped: bool = False,
                country_code: str = "US", **options: Any) -> KnownTable:
    """A block table a series knows: under one of `titles`, its rows `specs`; `grouped` rows stand under country
    headings (else every figure is of `country_code`; "" for none). `options`: `figure_known`'s."""
    return figure_known(name, row_values(specs), where="|".join(re.escape(label_key(t)) for t in titles),
                        grouped=grouped, country_code="" if grouped else country_code, **options)


def figure_known(name: str, values: Mapping[str, As], *, where: str | None = None, grouped: bool = False,
                 labels: bool = True, row_extra: str = "row", **options: Any) -> KnownTable:
    """A table of one row per printed figure (request type label as printed, declared row id, [label, country,]
    period, figure); `values` say what each row id counts. The row id is kept in `extra` under `row_extra`, the
    label as printed under "label" (`labels`). `options`: further `KnownTable` fields (required, corrections...)."""
    keys = (Key(TYPE, TYPE, label=True), Key(ROW, ROW, "request_type", values=values, extra=row_extra),
            *([Key(LABEL, LABEL, extra="label")] if labels else []),
            *([Key(COUNTRY, COUNTRY, "country")] if grouped else []), Key(PERIOD, PERIOD, "period"))
    return KnownTable(name, keys, (), where=where, ignored=(FIGURE,), period=_period, title_extra="table", **options)


def known_blocks(tables: Mapping[str, tuple[RowSpec, ...]], *, grouped: str = "", **options: Any) -> tuple[
        KnownTable, ...]:
    """One KnownTable per declared row table, under every title printed over it; the `grouped` title's rows stand
    under country headings (the others are the US's). `options`: `figure_known`'s."""
    titles: dict[int, list[str]] = {}
    for title, rows in tables.items():
        titles.setdefault(id(rows), []).append(title)
    return tuple(block_known(ts[0], tables[ts[0]], titles=ts, grouped=grouped in ts, **options)
                 for ts in titles.values())


def rows_block(doc: Document, title: str, page: int, declared: Sequence[RowSpec],
               rows: Callable[[], Sequence[BlockRow]], *, group: Callable[[str], object] | None = None,
               **table: Any) -> tuple[str, int, Build]:
    """A block whose rows `rows()` reads, matched to `declared` (under country headings for which `group` holds),
    as a part for `pdf_block_reading.read_blocks`; `table`: `block_table`'s options."""
    def build(unknown: list[BlockRow], index: int) -> Table:
        matched = pdf.match_rows(doc, title, rows(), declared, group, unknown)  # type: ignore[arg-type]
        return block_table(doc, title, matched, index=index, grouped=group is not None, **table)
    return title, page, build


def label_block(doc: Document, title: str, block: list[pdf.Line], declared: Sequence[RowSpec], *,
                default: pdf.Column | None = None, heading: Callable[[str], bool] | None = None,
                **options: Any) -> tuple[str, int, Build]:
    """A "label  figure" block (`pdf_blocks.block_rows`) as a part for `read_blocks`."""
    return rows_block(doc, title, block[0].page, declared, lambda: pdf.block_rows(
        doc, title, block, pdf.row_labels(declared), default, heading), **options)


def block_table(doc: Document, title: str, matched: Matched, *, index: int, grouped: bool = False,
                corrections: Mapping[tuple[str, int, str], tuple[str, str]] = {}, blanks: bool = False,
                unread: Mapping[tuple[str, int, str, str], str] = {}) -> Table:
    """One table row per printed figure of the matched rows (see the module docstring). `blanks`: a column left
    empty in a row with figures is a blank cell. `unread`: figures declared unreadable, with why, keyed by
    (sha256 prefix, page, heading, figure as printed): left out. `corrections`: misprinted headings."""
    header = [TYPE, ROW, LABEL, *([COUNTRY] if grouped else []), PERIOD, FIGURE]
    page = matched[0][0].page if matched else None
    where = Locator(page=page, table=index)
    rows: list[list[TableCell]] = []
    for r, (br, spec, group) in enumerate(matched, start=1):
        cells = list(br.cells)
        if blanks and cells:
            present = {id(col) for col, _ in cells}
            cells += [(col, pdf.Segment("", (col.x0, br.bbox[1], min(col.x1, col.x0 + 60), br.bbox[3])))
                      for col in br.columns if id(col) not in present]  # the empty cell: its column, the row
        at = Locator(page=br.page, table=index, row=r, column=LABEL, bbox=br.bbox)
        for column, seg in cells:
            if column.period is None or (doc.sha256[:12], br.page, column.raw, seg.text) in unread:
                continue  # a column or a figure the series declares unread, saying why
            period, fixed = pdf.period_of(doc, column, corrections)
            try:
                read_note = pdf.read_figure(seg.text)[1]
            except UnreadableCell as e:
                raise ParseError(doc, f"page {br.page}: {br.label!r} under {column.raw!r}: {e}") from e
            notes = [pdf.IN_ORDER if br.in_order else "", fixed, read_note, "" if seg.text else "a blank cell",
                     f"footnote mark {seg.marks!r} printed after the figure" if seg.marks else ""]
            rows.append([TableCell(spec.raw, at), TableCell(spec.id or "", at), TableCell(br.label, at),
                         *([TableCell(group, at)] if grouped else []),
                         TableCell(column.raw, Locator(page=column.page, table=index, column=PERIOD), period),
                         TableCell(seg.text, Locator(page=br.page, table=index, row=r, column=column.raw,
                                                     bbox=seg.bbox), note="; ".join(n for n in notes if n))])
    return Table(where, header, rows, [c[-1].locator.row or 0 for c in rows], title, label_key(title))
