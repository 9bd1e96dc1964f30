"""The EU Digital Services Act's harmonised transparency-report template (Implementing Regulation 2024/2835, Annex I).

Every provider files the same eleven tables, as CSV files (one per table: separate downloads, or a ZIP of them
exported sheet by sheet under names of the provider's choosing) or as an XLSX workbook (a sheet per table, a title
row may sit above the header). Each form yields `Table`s (`parsers.formats.table`) whose `place` is the template
table its header is, never a file or sheet name ("" when it is none). What the cells mean is declared by the series.
"""

from __future__ import annotations

import io
import zipfile

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats.interpreter import QUARANTINED, Finding
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.table import JUNK_MEMBER, NOTE_MEMBER, Table, grid_table, sheet_table
from parsers.formats.tabular import decode_text, header_key, read_rows, zip_members

# Each table by the header cells that identify it (after `header_key` normalisation). Tables 7, 8 and 9 share one
# header; their Section column tells them apart.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "1 summary": ("applicability", "service", "indicator", "value"),
    "2 categories names": ("category label", "category description"),
    "3 member states orders": ("category of illegal content", "scope"),
    "4 notices": ("number of notices received",),
    "5 own initiative illegal": ("category of illegal content", "number of measures taken at the provider s own "
                                 "initiative"),
    "6 own initiative terms and conditions": ("category of incompatibility with the provider s terms and "
                                              "conditions",),
    "7-9 appeals, automated means, human resources": ("section", "indicator", "scope", "value",
                                                      "contextual information"),
    "10 average monthly active recipients": ("section", "indicator", "scope", "value"),
    "11 qualitative": ("reporting period", "indicator", "value"),
}
# Most specific first: table 10's header is table 7-9's without the contextual column; table 11's is a subset too.
_ORDER = ("3 member states orders", "4 notices", "5 own initiative illegal", "6 own initiative terms and conditions",
          "2 categories names", "7-9 appeals, automated means, human resources",
          "10 average monthly active recipients", "11 qualitative", "1 summary")
HEADER_SEARCH_ROWS = 10  # a workbook sheet may put title rows above the header


def which_table(header: list[str]) -> str:
    keys = {header_key(h) for h in header if h.strip()}
    for name in _ORDER:
        if set(SIGNATURES[name]) <= keys and not (name.startswith("10 ") and "contextual information" in keys):
            return name
    return ""


def _header_at(rows: list[list[str]]) -> int | None:
    return next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if which_table(r)), None)


def _csv(doc: Document, data: bytes | None, member: str | None) -> Table | None:
    """A template table from one CSV (its header found under any title rows); None when it is none."""
    rows = read_rows(decode_text(doc, data, member))
    i = _header_at(rows)
    start = i if i is not None else next((k for k, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if start is None or (i is None and member is None):
        return None
    body = [(k + 1, r) for k, r in enumerate(rows[start + 1:], start=start + 1) if any(c.strip() for c in r)]
    title = " ".join(c.strip() for r in rows[:start] for c in r if c.strip())
    return grid_table(Locator(member=member), [c.strip() for c in rows[start]], body, title=title,
                      place=which_table(rows[start]))


def filing_tables(doc: Document) -> tuple[list[Table], list[Finding]]:
    """Every table of a CSV, a ZIP of CSVs or an XLSX workbook, and findings for members that are no table.

    A member or sheet that is no template table comes with place "" (the interpreter quarantines it); a CSV
    document that is none is refused.
    """
    if doc.data[:2] == b"PK":
        try:
            names = zipfile.ZipFile(io.BytesIO(doc.data)).namelist()
        except zipfile.BadZipFile as e:
            raise ParseError(doc, f"not a readable ZIP or XLSX file ({e})") from e
        return (_workbook(doc), []) if "xl/workbook.xml" in names else _bundle(doc)
    table = _csv(doc, None, None)
    if table is None:
        first = next((r for r in read_rows(decode_text(doc)) if any(c.strip() for c in r)), [])
        raise UnknownLayout(doc, f"the file: not a table of the DSA template (first row {first[:8]!r})")
    return [table], []


def _bundle(doc: Document) -> tuple[list[Table], list[Finding]]:
    tables, aside = [], []
    for member, data in zip_members(doc).items():
        base = member.rsplit("/", 1)[-1]
        if JUNK_MEMBER.search(member) or NOTE_MEMBER.fullmatch(base):
            continue
        if not base.lower().endswith(".csv"):
            aside.append(Finding("unknown_table", f"member={member}", (), 0, f"member={member}: not a CSV file, "
                                 "not read: quarantined", QUARANTINED))
        elif (table := _csv(doc, data, member)) is not None:
            tables.append(table)
    return tables, aside


def _workbook(doc: Document) -> list[Table]:
    out = []
    for sheet in read_workbook(doc).sheets:
        width = range(1, sheet.max_column + 1)
        grid = [[sheet.text(r, c).strip() for c in width] for r in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1)]
        i = _header_at(grid)
        if i is None and not any(any(r) for r in grid):
            continue
        row = 1 if i is None else i + 1  # no template header: the first row, as a table nobody claims
        out.append(sheet_table(sheet, row, list(width), place=which_table(grid[row - 1])))
    return out
