"""Tables printed in PDF reports as text laid out in columns, read from pypdfium2's characters (fast enough for
every page), for layouts pdfplumber's ruled-table finder cannot cut into cells: AT&T's "label  figure" tables (a
frame and column rules, no row rules) and Verizon's grids with headings stacked over several lines.

The mechanics live in one small module each (`pdf_text_lines`, `pdf_printed`, `pdf_columns`, `pdf_row_entries`,
`pdf_block_rows`, `pdf_stacked_tables`, `pdf_label_blocks`, `pdf_row_declarations`); this module is their one
entry point (series call `pdf_blocks.page_lines`, so a test can retype the real text layer in one place).

- `page_lines`: a page as `Line`s of `Segment`s (runs of characters with no wide gap: a label, a figure, a
  heading), grouped by character box or by baseline; small raised digits are footnote marks, kept apart.
- `split_blocks`, `block_rows`: the lines under each known table title; their labels joined over continuation
  lines into known row labels, each figure under the column heading above it (`stacked_table` for headings
  stacked over lines). Figures printed a little off their label line, or drifting, are paired explicitly.
- `declare_rows`, `match_rows`: a series declares its rows as a small table; printed rows are matched in order
  (a new label with figures is set apart, for the caller to quarantine). `parsers.formats.pdf_block_tables`
  turns the matched rows into `Table`s for the one interpreter; each figure keeps its own column's period.
- `read_period` reads period headings ("Jan. – June 2015", "July 1 – Dec. 31, 2013", "1H 2019", "2nd Half of
  2014") strictly: a heading that is not a run of whole months is refused, so a misprint is a declared correction
  in the series module (with its reason), never a guess. Anything not recognised is a `ParseError` naming it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from parsers.facts import Fact, Status
from parsers.formats.pdf_block_rows import BlockRow, block_rows
from parsers.formats.pdf_columns import Column, column_texts, figure_columns, period_of, stacked_columns
from parsers.formats.pdf_label_blocks import is_prose, split_blocks, starts_table
from parsers.formats.pdf_printed import (
    check_pages_read,
    is_figure,
    is_period,
    label_key,
    normalise_band,
    pages_unread,
    read_figure,
    read_period,
    strip_bullet,
)
from parsers.formats.pdf_row_declarations import RowSpec, declare_rows, match_rows, row_labels
from parsers.formats.pdf_row_entries import IN_ORDER
from parsers.formats.pdf_stacked_tables import (
    attach_suffixes,
    figure_first,
    find_row,
    join_split_bands,
    stacked_table,
)
from parsers.formats.pdf_text_lines import Line, Segment, page_lines


def flag_repeated_columns(facts: Sequence[Fact], least: int = 4) -> list[Fact]:
    """Facts of a column whose exact counts repeat, figure for figure, the column printed before it (at least
    `least` of them): kept as printed, each saying so in its note: a likely copy error in the report."""
    columns: dict[tuple[int | None, str, str | None], dict[str, str]] = {}
    for f in facts:
        if f.status in (Status.REPORTED, Status.ZERO):
            columns.setdefault((f.locator.page, f.extra.get("table", ""), f.locator.column), {})[
                f.extra.get("row", "")] = f.raw_text
    keys = list(columns)
    repeats = {b: a for a, b in zip(keys, keys[1:], strict=False) if a[:2] == b[:2] and len(columns[b]) >= least
               and columns[a] == columns[b]}
    out: list[Fact] = []
    for f in facts:
        before = repeats.get((f.locator.page, f.extra.get("table", ""), f.locator.column))
        if before is None:
            out.append(f)
            continue
        said = f"every figure of this column repeats the column {before[2]!r} before it (a likely copy error)"
        out.append(dataclasses.replace(f, note="; ".join(n for n in (f.note, said) if n)))
    return out


__all__ = ["BlockRow", "Column", "IN_ORDER", "Line", "RowSpec", "Segment", "attach_suffixes", "block_rows",
           "check_pages_read", "column_texts", "declare_rows", "figure_columns", "figure_first",
           "find_row", "flag_repeated_columns", "is_figure", "is_period", "is_prose",
           "join_split_bands", "label_key", "match_rows", "normalise_band", "page_lines", "period_of",
           "pages_unread", "read_figure", "read_period", "row_labels", "split_blocks", "stacked_columns",
           "stacked_table", "starts_table", "strip_bullet"]
