"""PDF label blocks (`parsers.formats.pdf_blocks`) as `Table`s for the one interpreter, and their declarations.

A block's rows, matched to a series' `RowSpec`s, become one table row per printed figure: the declared row (its id
and request type label), the label and country heading as printed, the column heading (its period, as the block
reader read it) and the figure, each cell with its locator (page, block, row, column heading, box). What the
block reader could not place is reported at the grain of the table: a new row label is quarantined, a table whose
rows or headings no longer read is refused, figures under no known title are an unknown table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import QUARANTINED, REFUSED, Finding, Reading, Row, interpret
from parsers.formats.pdf_blocks import (
    IN_ORDER,
    BlockRow,
    Line,
    RowSpec,
    Segment,
    label_key,
    period_of,
    read_figure,
)
from parsers.formats.table import Table, TableCell
from parsers.normalise.values import CellValue, UnreadableCell

TYPE, ROW, LABEL, COUNTRY, PERIOD, FIGURE = "request type", "row", "label", "country", "period", "figure"
Matched = Sequence[tuple[BlockRow, RowSpec, str]]


def figure_value(text: str) -> CellValue:
    return read_figure(text)[0]


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
                country_code: str = "US", required: bool = False, corrections: Sequence[Correction] = (),
                country_aliases: Mapping[str, str] | None = None, part: str = "") -> KnownTable:
    """A block table a series knows: under one of `titles`, its rows `specs`; `grouped` rows stand under country
    headings (else every figure is of `country_code`; "" for none)."""
    keys = (Key(TYPE, TYPE, label=True), Key(ROW, ROW, "request_type", values=row_values(specs), extra="row"),
            Key(LABEL, LABEL, extra="label"), *([Key(COUNTRY, COUNTRY, "country")] if grouped else []),
            Key(PERIOD, PERIOD, "period"))
    return KnownTable(name, keys, (), where="|".join(re.escape(label_key(t)) for t in titles), ignored=(FIGURE,),
                      period=_period, corrections=tuple(corrections), title_extra="table", required=required,
                      country_code="" if grouped else country_code, country_aliases=country_aliases or {},
                      part=part)


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
            cells += [(col, Segment("", (col.x0, br.bbox[1], min(col.x1, col.x0 + 60), br.bbox[3])))
                      for col in br.columns if id(col) not in present]  # the empty cell: its column, the row
        at = Locator(page=br.page, table=index, row=r, column=LABEL, bbox=br.bbox)
        for column, seg in cells:
            if column.period is None or (doc.sha256[:12], br.page, column.raw, seg.text) in unread:
                continue  # a column or a figure the series declares unread, saying why
            period, fixed = period_of(doc, column, corrections)
            try:
                read_note = read_figure(seg.text)[1]
            except UnreadableCell as e:
                raise ParseError(doc, f"page {br.page}: {br.label!r} under {column.raw!r}: {e}") from e
            notes = [IN_ORDER if br.in_order else "", fixed, read_note, "" if seg.text else "a blank cell",
                     f"footnote mark {seg.marks!r} printed after the figure" if seg.marks else ""]
            rows.append([TableCell(spec.raw, at), TableCell(spec.id or "", at), TableCell(br.label, at),
                         *([TableCell(group, at)] if grouped else []),
                         TableCell(column.raw, Locator(page=column.page, table=index, column=PERIOD), period),
                         TableCell(seg.text, Locator(page=br.page, table=index, row=r, column=column.raw,
                                                     bbox=seg.bbox), note="; ".join(n for n in notes if n))])
    return Table(where, header, rows, [c[-1].locator.row or 0 for c in rows], title, label_key(title))


def new_rows(title: str, index: int, unknown: Sequence[BlockRow]) -> list[Finding]:
    return [Finding("new_row_label", Locator(page=br.page, table=index).render(), (br.label,), 1,
                    f"page {br.page}: row {br.label!r} of {title!r} is not a known row ({len(br.cells)} figures): "
                    "quarantined, the known rows load", QUARANTINED, br.label) for br in unknown]


def refused(title: str, page: int | None, index: int, error: ParseError) -> Finding:
    return Finding("unreadable_table", Locator(page=page, table=index).render(), (title,), 0,
                   f"{error.problem}: the table is refused", REFUSED)


def unknown_lines(lines: Sequence[Line]) -> list[Finding]:
    """Figures under no known title, by page: each an unknown table, quarantined."""
    pages = dict.fromkeys(x.page for x in lines)
    return [Finding("unknown_table", Locator(page=p).render(), tuple(x.text for x in lines if x.page == p)[:1],
                    sum(x.page == p for x in lines), f"page {p}: figures outside any known table: "
                    f"{next(x.text for x in lines if x.page == p)!r} (a table this parser does not know): quarantined")
            for p in pages]


def unknown_pages(pages: Iterable[int]) -> list[Finding]:
    return [Finding("unknown_table", Locator(page=p).render(), (), 0, f"page {p} holds figures under no table this "
                    "parser knows: quarantined") for p in pages]


def read_tables(doc: Document, known: Sequence[KnownTable], tables: Sequence[Table],
                findings: Sequence[Finding], refusals: Mapping[str, Finding] = {}) -> Reading:
    """The interpreter over the block tables, with the block reader's findings; `refusals` (title key -> finding)
    are the tables the reader refused: one the series cannot do without refuses the document."""
    for place, f in refusals.items():
        for kt in known:
            if kt.required and kt.claims(place):
                raise UnknownLayout(doc, f"the {kt.role!r} table, which this series cannot do without, was not "
                                         f"read ({f.message}): the document is refused")
    reading = interpret(doc, known, tables)
    return Reading(reading.facts, [*findings, *reading.findings])


def recognise(doc: Document, title: str, index: int, page: int | None,
              build: Callable[[list[BlockRow]], Table]) -> tuple[Table | None, list[Finding]]:
    """`build(unknown)` the table of one block; a `ParseError` refuses that table only (a finding)."""
    unknown: list[BlockRow] = []
    try:
        table = build(unknown)
    except ParseError as e:
        return None, [refused(title, page, index, e)]
    return table, new_rows(title, index, unknown)
