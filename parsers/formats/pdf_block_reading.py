"""What the PDF block reader could not place, reported at the grain of a table, and the interpreter over the rest.

A new row label in a known table is quarantined (the known rows load); a block whose rows or headings no longer
read is refused alone, unless the series cannot do without it; figures under no known title, and pages of figures
no block covers, are unknown tables, quarantined. Nothing is loaded from a quarantined or refused part.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats import pdf_blocks as pdf
from parsers.formats.declarations import KnownTable
from parsers.formats.interpreter import QUARANTINED, REFUSED, Finding, Reading, interpret
from parsers.formats.pdf_block_tables import Build
from parsers.formats.pdf_blocks import BlockRow, label_key
from parsers.formats.table import Table


def new_rows(title: str, index: int, unknown: Sequence[BlockRow]) -> list[Finding]:
    return [Finding("new_row_label", Locator(page=br.page, table=index).render(), (br.label,), 1,
                    f"page {br.page}: row {br.label!r} of {title!r} is not a known row ({len(br.cells)} figures): "
                    "quarantined, the known rows load", QUARANTINED, br.label) for br in unknown]


def refused(title: str, page: int | None, index: int, error: ParseError) -> Finding:
    return Finding("unreadable_table", Locator(page=page, table=index).render(), (title,), 0,
                   f"{error.problem}: the table is refused", REFUSED)


def unknown_lines(lines: Sequence[pdf.Line]) -> list[Finding]:
    """Figures under no known title, by page: each an unknown table, quarantined."""
    pages = dict.fromkeys(x.page for x in lines)
    return [Finding("unknown_table", Locator(page=p).render(), tuple(x.text for x in lines if x.page == p)[:1],
                    sum(x.page == p for x in lines), f"page {p}: figures outside any known table: "
                    f"{next(x.text for x in lines if x.page == p)!r} (a table this parser does not know): quarantined")
            for p in pages]


def unknown_pages(pages: Iterable[int]) -> list[Finding]:
    return [Finding("unknown_table", Locator(page=p).render(), (), 0, f"page {p} holds figures under no table this "
                    "parser knows: quarantined") for p in pages]


def read_blocks(doc: Document, known: Sequence[KnownTable], parts: Iterable[tuple[str, int | None, Build]], *,
                unread_pages: Iterable[int] = (), outside: Sequence[pdf.Line] = (),
                flag_repeats: bool = False) -> Reading:
    """The interpreter over the tables of the blocks `parts` (title, page, build), with what the block reader
    could not place: a block whose `build` raises a `ParseError` is refused alone, unless the series cannot do
    without it (the document is refused); new rows are quarantined; `unread_pages` (pages of figures no block
    covers) and `outside` (figure lines under no known title) are unknown tables. `flag_repeats`: notes on
    columns that repeat the one before (`pdf_blocks.flag_repeated_columns`)."""
    tables: list[Table] = []
    out = [*unknown_pages(unread_pages), *unknown_lines(outside)]
    for index, (title, page, build) in enumerate(parts, start=1):
        unknown: list[BlockRow] = []
        try:
            tables.append(build(unknown, index))
        except ParseError as e:
            f = refused(title, page, index, e)
            for kt in known:
                if kt.required and kt.claims(label_key(title)):
                    raise UnknownLayout(doc, f"the {kt.role!r} table, which this series cannot do without, was "
                                             f"not read ({f.message}): the document is refused") from e
            out.append(f)
            continue
        out += new_rows(title, index, unknown)
    reading = interpret(doc, known, tables)
    facts = pdf.flag_repeated_columns(reading.facts) if flag_repeats else reading.facts
    return Reading(facts, [*out, *reading.findings])
