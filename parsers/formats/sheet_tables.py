"""Tables a worksheet holds beyond one header row over plain rows (that is `table.sheet_table`): several tables
anywhere on a sheet (`regions`), a table under a grouped header with #/% sub-columns (`grouped`), figures printed
under their labels beside a table (`under_labels`), and a whole sheet as printed (`whole_sheet`: how a sheet nobody
declared is reported); also the half-year a sheet's title or name gives. Cells keep their stored values; a refused
cell names its coordinate. The interpreter reads the result against a series' declarations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from parsers.facts import Document, Locator, UnknownLayout
from parsers.formats.declarations import Period
from parsers.formats.spreadsheet import Cell, Sheet
from parsers.formats.table import Table, TableCell, grid_table
from parsers.formats.tabular import header_key
from parsers.normalise.periods import parse_month_range


def cells(sheet: Sheet, row: int, columns: Sequence[int], header: Sequence[str], note: str = "") -> list[TableCell]:
    """Row `row` of the given 1-based columns, each cell located as 'letter:header'; `note` is said on every cell."""
    name = sheet.name
    return [TableCell(x.text, Locator(sheet=name, row=row, column=f"{x.letter}:{h}" if h else x.letter), x.value,
                      True, (f"{x.note}; {note}" if x.note else note) if note else x.note,
                      f"cell={x.coordinate}: {x.refused}" if x.refused else "")
            for x, h in ((sheet.cell(row, c), h) for c, h in zip(columns, header, strict=True))]


def label(sheet: Sheet, row: int, column: int) -> TableCell:
    """A row's label (a key cell), its spacing normalised."""
    return TableCell(" ".join(sheet.text(row, column).split()), Locator(sheet=sheet.name, row=row))


def whole_sheet(sheet: Sheet) -> Table:
    """Every filled row as printed text, the first as the header: what a finding about an unknown sheet shows."""
    rows = [(r, [sheet.text(r, c) for c in range(1, sheet.max_column + 1)]) for r in sheet.rows()]
    return grid_table(Locator(sheet=sheet.name), rows[0][1] if rows else [], rows[1:], place=sheet.name)


def has_figures(sheet: Sheet) -> bool:
    return any(isinstance(c.value, (int, float)) and not isinstance(c.value, bool) for c in sheet.cells.values())


def named_periods(sheets: Sequence[Sheet]) -> dict[str, Period]:
    """The sheets named by the reporting period they hold ('July 2012 - June 2013'), with that period."""
    out = {}
    for sheet in sheets:
        try:
            out[sheet.name] = parse_month_range(sheet.name)
        except ValueError:
            continue
    return out


def regions(sheet: Sheet, keys: Collection[str], last: Collection[str] = ("total",)) -> list[Table]:
    """Every table headed by a cell reading one of `keys` (compared by `header_key`), side by side or stacked: its
    header runs right up to the next such header on its row, its rows down to the first blank row or to the row
    labelled one of `last` (included). The key column is the table's first; `header_locators` hold the header row."""
    found = [(r, c) for (r, c), cell in sorted(sheet.cells.items()) if header_key(cell.text) in keys]
    out = []
    for head, key in found:
        end = min([c for r, c in found if r == head and c > key], default=sheet.max_column + 1)
        columns = [c for c in range(key + 1, end) if sheet.text(head, c)]
        header = [" ".join(sheet.text(head, c).split()) for c in columns]
        table = Table(Locator(sheet=sheet.name), [sheet.text(head, key), *header], [], [], place=sheet.name,
                      header_locators=[sheet.locator(head, c) for c in (key, *columns)])
        for r in range(head + 1, sheet.max_row + 1):
            row = [label(sheet, r, key), *cells(sheet, r, columns, header)]
            if not row[0].text and all(sheet.cell(r, c).is_blank for c in columns):
                break  # the table ends at the first blank row
            table.rows.append(row)
            table.numbers.append(r)
            if header_key(row[0].text) in last:
                break
        out.append(table)
    return out


def under_labels(sheet: Sheet, side: Sequence[Cell]) -> list[Table]:
    """Figures printed right under their labels (a label may be merged over rows) outside any table: one table per
    row of figures, its labels the header. A figure with no label above it gets a blank header (and a finding)."""
    above = {(sheet.merge_span(c.row, c.column)[2] + 1, c.column): " ".join(c.text.split())
             for c in side if isinstance(c.value, str)}
    spots = sorted({(c.row, c.column) for c in side if not isinstance(c.value, str)} | set(above))
    out = []
    for row in sorted({r for r, _ in spots}):
        columns = [c for r, c in spots if r == row]
        header = [above.get((row, c), "") for c in columns]
        out.append(Table(Locator(sheet=sheet.name), header, [cells(sheet, row, columns, header)], [row],
                         place=sheet.name))
    return out


HALF_YEAR_TITLE = re.compile(r"(jan\w*|jul\w*)\s*(\d{4})?\s*[,]?\s*(?:-|–|to)\s*(jun\w*|dec\w*)\s*,?\s*(\d{4})?",
                             re.IGNORECASE)


def title(sheet: Sheet, anchor: str) -> tuple[list[str], Period | None]:
    """The title lines above the first cell reading `anchor` (a table's header) and the half-year they name
    ('January - June 2018', 'July to December 2017')."""
    top = min((r for (r, _), c in sheet.cells.items() if header_key(c.text) == header_key(anchor)), default=1)
    lines = [c.text for (r, _), c in sorted(sheet.cells.items()) if r < top and c.text.strip()]
    m = HALF_YEAR_TITLE.search(" ".join(lines))
    year = m and (m[4] or m[2] or (re.findall(r"\b(20\d\d)\b", " ".join(lines)) or [None])[-1])
    return lines, parse_month_range(f"{m[1][:3]} {m[2] or year} - {m[3][:3]} {year}") if m and year else None


def grouped(doc: Document, sheet: Sheet, anchor: str, key_label: str, key_header: str,
            mark: Callable[[Sheet, int, int], str]) -> tuple[Table, int]:
    """A table under a header that starts at the one cell reading `anchor`: group labels over column labels and,
    when the next row prints only '#' and '%', a row of those marks; without it `mark(sheet, label row, column)`
    gives them. Columns are 'label #' / 'label %'; a '#' cell stored as a non-integer is noted (kept as published).
    Unlabelled columns holding only 0 or errors are spacers; one holding figures refuses the table. The key column
    is the one printing `key_label` right under the header; rows without figures are not data. Returns the table
    (key column first, headed `key_header`) and its last column."""
    hits = sorted((r, c) for (r, c), cell in sheet.cells.items() if header_key(cell.text) == header_key(anchor))
    if len(hits) != 1:
        raise UnknownLayout(doc, f"sheet={sheet.name}: expected one {anchor!r} header cell, found {len(hits)}")
    (group, first), label_row = hits[0], hits[0][0] + 1
    marks = {sheet.text(group + 2, c) for c in range(first, sheet.max_column + 1)} - {""}
    marker_row = group + 2 if marks and marks <= {"#", "%"} else None
    last = max([c for (r, c), cell in sheet.cells.items() if r in (group, label_row) and cell.text.strip()]
               + [c2 for r1, c1, r2, c2 in sheet.merged if r1 <= label_row and r2 >= group])
    columns: dict[str, int] = {}
    for c in range(first, last + 1):
        text = " ".join(sheet.text(label_row, c).split())
        if not text and not sheet.text(group, c):
            if any(c2 == c and r > label_row and not x.refused and x.value not in (None, 0)
                   for (r, c2), x in sheet.cells.items()):
                raise UnknownLayout(doc, f"sheet={sheet.name}: unlabelled column {sheet.cell(label_row, c).letter} "
                                         "holds figures")
            continue  # a spacer column (0 or #REF!)
        columns[f"{text} {sheet.text(marker_row, c) if marker_row else mark(sheet, label_row, c)}"] = c
    data = (marker_row or label_row) + 1
    key = next((c for c in range(1, first) if sheet.text(data, c).upper() == key_label.upper()), None)
    if key is None:
        raise UnknownLayout(doc, f"sheet={sheet.name}: no {key_label} row right under the header (row {data})")
    header, where = list(columns), list(columns.values())
    table = Table(Locator(sheet=sheet.name), [key_header, *header], [], [], place=sheet.name)
    for r in range(data, sheet.max_row + 1):
        if all(sheet.cell(r, c).is_blank for c in where):
            continue  # blank row, footnote or a stray label without figures
        row = zip(cells(sheet, r, where, header), where, header, strict=True)
        table.rows.append([label(sheet, r, key), *(replace(t, note=t.note or _fractional(sheet.cell(r, c), h))
                                                   for t, c, h in row)])
        table.numbers.append(r)
    return table, last


def _fractional(x: Cell, header: str) -> str:
    if header.endswith("#") and isinstance(x.value, float) and not x.value.is_integer():
        return f"non-integer count as stored ({x.formula or 'no formula'}); kept as published"
    return ""
