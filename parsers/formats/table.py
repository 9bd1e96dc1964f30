"""One table model for every format: header cells and rows of cells, each cell with its `Locator` and printed text.

Readers here turn a CSV (one table or several stacked under "Table i/n:" titles), the data members of a ZIP, a
worksheet, a PDF table, an HTML table and "label: number" lines of text into `Table`s. The interpreter
(`parsers.formats.interpreter`) reads them against a series' declarations; it never knows which format a table
came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from parsers.facts import Document, Locator, ParseError
from parsers.formats.tabular import decode_text, header_key, read_rows, zip_members
from parsers.quick_init import quick_init

TABLE_TITLE = re.compile(r"^\s*Table\s+(?P<i>\d+)\s*/\s*(?P<n>\d+)\s*:", re.IGNORECASE)
# Members that explain the data rather than hold it, and archive tooling junk: read by people, not parsed.
NOTE_MEMBER = re.compile(r"(readme|notes?|licen[cs]e|changelog)([._ -].*)?\.(txt|md|rtf|pdf|html?)$|^readme$",
                         re.IGNORECASE)
JUNK_MEMBER = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$)")


@quick_init
@dataclass(frozen=True, slots=True)
class TableCell:
    """One printed cell. `value` is the stored value where the format keeps one (spreadsheets: `typed`)."""

    text: str
    locator: Locator
    value: object = None
    typed: bool = False
    note: str = ""  # e.g. a formula computed by govreq
    refused: str = ""  # why the cell has no usable value (an uncomputable formula, #REF!)

    @property
    def raw(self) -> object:
        """What `figure()` reads: the stored value of a typed cell, else the printed text."""
        return self.value if self.typed else self.text

    @property
    def blank(self) -> bool:
        return (self.value is None if self.typed else True) and not self.text.strip() and not self.refused


@dataclass
class Table:
    """A table as printed. `where` says which (member/sheet/page/table); `place` is what declarations match."""

    where: Locator
    header: list[str]
    rows: list[list[TableCell]]
    numbers: list[int]  # each row's number as the reader cites it (a CSV's line number)
    title: str = ""
    place: str = ""  # the member's file name, the sheet's name or the table's title
    header_locators: list[Locator] = field(default_factory=list)
    refused: str = ""  # why a recognised table's cells cannot be laid out (a row with another number of figures)
    unclaimed: str = ""  # how a finding names this table when no declaration claims it ("unknown sheet 'X'")
    width: int = 0  # the printed header's width: cells past it are "past the header's last column"

    def column(self, i: int) -> list[TableCell]:
        return [r[i] for r in self.rows if i < len(r)]


def _cell_locator(where: Locator, row: int, column: str) -> Locator:
    return Locator(where.member, where.sheet, where.page, where.table, row, column)  # not replace(): 3x faster


def grid_table(where: Locator, header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]], *, title: str = "",
               place: str = "") -> Table:
    """A table from printed text: `rows` are (row number, cells); cells past the header get a blank header."""
    width = max([len(header), *(len(c) for _, c in rows)])
    head = [*header, *([""] * (width - len(header)))]
    m, s, p, t = where.member, where.sheet, where.page, where.table
    out = [[TableCell(cells[i] if i < len(cells) else "", Locator(m, s, p, t, n, head[i])) for i in range(width)]
           for n, cells in rows]
    return Table(where, head, out, [n for n, _ in rows], title, place, width=len(header))


def csv_tables(doc: Document, data: bytes | None = None, member: str | None = None) -> list[Table]:
    """Every table of a CSV: one, or several stacked under 'Table i/n:' title rows. Row numbers are line numbers."""
    rows = read_rows(decode_text(doc, data, member))
    place = member.rsplit("/", 1)[-1] if member else ""
    titles = [i for i, r in enumerate(rows) if _title(r)]
    if not titles:
        return [_csv_table(doc, rows, 0, len(rows), Locator(member=member), "", place)]
    declared = {int(m["n"]) for i in titles if (m := TABLE_TITLE.match(_title(rows[i])))}
    if declared != {len(titles)}:
        raise ParseError(doc, f"table titles announce {sorted(declared)} tables but {len(titles)} were found")
    if any(any(c.strip() for c in r) for r in rows[:titles[0]]):
        raise ParseError(doc, "rows before the first table title")
    out = []
    for k, start in enumerate(titles):
        end = titles[k + 1] if k + 1 < len(titles) else len(rows)
        title = _title(rows[start])
        out.append(_csv_table(doc, rows, start + 1, end, Locator(member=member, table=k + 1), title, place or title))
    return out


def _title(row: list[str]) -> str:
    filled = [c.strip() for c in row if c.strip()]
    return filled[0] if len(filled) == 1 and TABLE_TITLE.match(filled[0]) else ""


def _csv_table(doc: Document, rows: list[list[str]], start: int, end: int, where: Locator, title: str,
               place: str) -> Table:
    first = next((i for i in range(start, end) if any(c.strip() for c in rows[i])), None)
    if first is None:
        raise ParseError(doc, f"no rows{' in ' + where.render() if where.render() else ''}")
    data = [(i + 1, rows[i]) for i in range(first + 1, end) if any(c.strip() for c in rows[i])]
    return grid_table(where, rows[first], data, title=title, place=place)


def sniff(doc: Document) -> str:
    """What the bytes are: 'workbook' (ZIP or OLE: ODS, XLSX, legacy Excel), 'html' or 'text'; empty is refused."""
    if doc.data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        return "workbook"
    if (head := doc.data.lstrip()[:500].lower()).startswith(b"<!doctype") or b"<html" in head:
        return "html"
    if not doc.data.strip():
        raise ParseError(doc, "empty file")
    return "text"


FOOTNOTE_LINE = re.compile(r"^\s*(?P<mark>[*†‡]+|\(\d{1,2}\))\s*(?P<text>\S.*)$")


def stacked_tables(doc: Document, data: bytes | None = None, member: str | None = None) -> tuple[
    list[Table], dict[str, str]
]:
    """Tables stacked in one CSV without 'Table i/n:' titles, and its footnotes (mark -> text as printed).

    Blank rows separate the tables. A row with one filled cell, in the first column, is a title: it names the
    tables after it up to the next title (a section; `title`, and `place` after the member's file name). A one-cell
    row that starts with a footnote mark ('* text', '(1) text') is a footnote. Tables are numbered when several.
    """
    rows = read_rows(decode_text(doc, data, member))
    file = member.rsplit("/", 1)[-1] if member else ""
    blocks: list[tuple[str, list[tuple[int, list[str]]]]] = []
    footnotes: dict[str, str] = {}
    title, run = "", []
    for n, cells in [*enumerate(rows, start=1), (len(rows) + 1, [])]:
        filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
        if len(filled) == 1 and (m := FOOTNOTE_LINE.match(filled[0][1])):
            if m["mark"] in footnotes:
                raise ParseError(doc, f"row {n}: footnote {m['mark']!r} is printed twice")
            footnotes[m["mark"]] = m["text"].strip()
        elif filled and not run and len(filled) == 1 and filled[0][0] == 0:
            title = filled[0][1]
        elif filled:
            run.append((n, cells))
        elif run:
            blocks.append((title, run))
            run = []
    if not blocks:
        raise ParseError(doc, f"no rows{' in ' + member if member else ''}")
    several = len(blocks) > 1
    return [grid_table(Locator(member=member, table=k if several else None), run[0][1], run[1:], title=title,
                       place=" / ".join(p for p in (file, title) if p)) for k, (title, run) in
            enumerate(blocks, start=1)], footnotes


CELL_MARK = re.compile(r"(?<=[\w%)])\s*(?P<mark>[*†‡]+)$")  # '1*', '72%*', 'Emergency*'


def footnoted(table: Table, footnotes: dict[str, str], label: int = 0) -> Table:
    """Footnote marks ('1*') said on the cells' facts: a cell's own mark, and its row's label's (column `label`),
    with the footnote's text where the file prints it. The cells keep their printed text."""
    def said(text: str) -> str:
        m = CELL_MARK.search(text.strip())
        if not m:
            return ""
        found = footnotes.get(m["mark"])
        return f"footnote {m['mark']}: {found}" if found else \
            f"footnote mark {m['mark']!r} printed; the file holds no footnote text for it"
    rows = []
    for row in table.rows:
        of_row = said(row[label].text) if label < len(row) else ""
        rows.append([replace(c, note="; ".join(n for n in (c.note, of_row, said(c.text)) if n)) if i != label and (
            of_row or CELL_MARK.search(c.text.strip())) else c for i, c in enumerate(row)])
    return replace(table, rows=rows)


def split_by(table: Table, column: str, what: str) -> list[Table]:
    """A long table as one Table per value of `column` (its `place`), rows and locators as printed; a value no
    declaration claims is quarantined as "unknown <what> '<value>'"."""
    i = next((i for i, h in enumerate(table.header) if header_key(h) == header_key(column)), None)
    if i is None:  # the column is gone: the table as printed (the interpreter says which key is missing)
        return [table]
    parts: dict[str, tuple[list[list[TableCell]], list[int]]] = {}
    for n, row in zip(table.numbers, table.rows, strict=True):
        rows, numbers = parts.setdefault(" ".join(row[i].text.split()), ([], []))
        rows.append(row)
        numbers.append(n)
    return [replace(table, rows=rows, numbers=numbers, place=value, unclaimed=f"unknown {what} {value!r}")
            for value, (rows, numbers) in parts.items()]


def zip_tables(doc: Document) -> list[Table]:
    """The tables of every data member of a ZIP of CSVs (notes and tooling junk skipped, never parsed)."""
    if doc.data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ParseError(doc, "an HTML page was served instead of the ZIP file")
    out: list[Table] = []
    for member, data in zip_members(doc).items():
        if JUNK_MEMBER.search(member) or NOTE_MEMBER.fullmatch(member.rsplit("/", 1)[-1]):
            continue
        out += csv_tables(doc, data, member)
    if not out:
        raise ParseError(doc, "the ZIP holds no data member (only notes)")
    return out


def label_number_table(where: Locator, lines: Sequence[tuple[int, str]], pattern: re.Pattern[str], *,
                       place: str = "") -> Table:
    """'Label: number' lines of text as a two-column table (header 'label', 'figure'); `pattern` has both groups."""
    rows = [(n, [m["label"].strip(), m["figure"].strip()]) for n, line in lines if (m := pattern.search(line))]
    return grid_table(where, ["label", "figure"], rows, place=place)


def pdf_table(table: object, header_rows: int | None = None, *, place: str = "") -> Table:
    """A `pdf_tables.PdfTable` as a Table: merged headers as 'Upper / Lower', cells keep their boxes."""
    from parsers.formats.pdf_tables import PdfTable

    assert isinstance(table, PdfTable)
    n = table.header_rows() if header_rows is None else header_rows
    header = table.header(n)
    where = Locator(page=table.page, table=table.index)
    body = [(r, row) for r, row in enumerate(table.rows[n:], start=n + 1) if any(c.text for c in row)]
    rows = [[TableCell(c.text, replace(where, row=r, column=header[i] if i < len(header) else "", bbox=c.bbox))
             for i, c in enumerate(row)] for r, row in body]
    return Table(where, header, rows, [r for r, _ in body], table.caption, place or table.caption)


def html_table(table: object, header_rows: int = 1, *, place: str = "", header: Sequence[str] | None = None) -> Table:
    """An `html_tables.HtmlTable` as a Table: the first `header_rows` grid rows make the header (`header` names the
    columns of a table that prints none)."""
    from parsers.formats.html_tables import HtmlTable

    assert isinstance(table, HtmlTable)
    head = list(header) if header is not None else [
        " / ".join(dict.fromkeys(r[c].text for r in table.rows[:header_rows] if r[c].text))
        for c in range(len(table.rows[0]) if table.rows else 0)]
    rows = [(row[0].row if row else i, [c.text for c in row])
            for i, row in enumerate(table.rows[header_rows:], start=header_rows + 1)]
    return grid_table(Locator(table=table.index), head, rows, place=place)


def sheet_table(sheet: object, header_row: int, columns: Sequence[int], *, first_row: int | None = None,
                header: Sequence[str] | None = None, place: str = "") -> Table:
    """Rows of a worksheet under `header_row`, for the given 1-based columns; cells keep their stored values."""
    from parsers.formats.spreadsheet import Sheet, column_letter

    assert isinstance(sheet, Sheet)
    head = list(header) if header is not None else [" ".join(sheet.text(header_row, c).split()) for c in columns]
    where = Locator(sheet=sheet.name)
    rows, numbers = [], []
    for r in range((first_row or header_row + 1), sheet.max_row + 1):
        cells = [sheet.cell(r, c) for c in columns]
        if all(c.is_blank for c in cells):
            continue
        rows.append([TableCell(c.text, replace(where, row=r, column=f"{column_letter(col)}:{h}" if h else
                                               column_letter(col)), c.value, True, c.note, c.refused)
                     for c, col, h in zip(cells, columns, head, strict=True)])
        numbers.append(r)
    return Table(where, head, rows, numbers, place=place or sheet.name)
