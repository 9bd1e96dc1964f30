"""The EU Digital Services Act's harmonised transparency-report template (Implementing Regulation 2024/2835, Annex I).

Every provider files the same eleven tables, as CSV files (one per table: separate downloads, or a ZIP of them
exported sheet by sheet under names of the provider's choosing) or as an XLSX workbook (a sheet per table). Tables
are recognised by their header, never by a file or sheet name, and each keeps where it was found (member or
sheet, 1-based row). This module only finds and reads the tables; what their cells mean is the series module's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.facts import Document, Locator, ParseError, UnknownLayout
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.tabular import decode_text, header_key, read_rows, zip_members
from parsers.formats.zip_csv import JUNK_MEMBER, NOTE_MEMBER
from parsers.normalise.values import CellValue, UnreadableCell, parse_number_cell

# Each table by the header cells that identify it (after `header_key` normalisation). Tables 7, 8 and 9 share one
# header; their Section column tells them apart, and none of them is about government demands.
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
PLACEHOLDER_PERIOD = "yyyy-mm-dd/yyyy-mm-dd"
# The template's own filler text, left in place by some filings: not a value.
PLACEHOLDERS = {'text to detail the "other" keyword.', "text", "free text", "yyyy-mm-dd"}
CONTEXT_PREFIX = "contextual information on "
# Member States (and the EEA states the DSA also covers) as Eurostat's glossary writes them; EL is ISO's GR.
MEMBER_STATES = {c: c for c in ("AT BE BG HR CY CZ DK EE FI FR DE HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
                                "IS LI NO").split()} | {"EL": "GR"}


@dataclass
class TemplateTable:
    """One table of a filing: which template table it is, where, its header as printed and its data rows."""

    name: str
    member: str | None
    sheet: str | None
    header: list[str]
    header_row: int  # 1-based
    rows: list[tuple[int, list[str]]]  # (1-based row number, cells), blank rows left out

    @property
    def where(self) -> str:
        return f"member {self.member}" if self.member else f"sheet {self.sheet}" if self.sheet else "the file"

    def column(self, name: str) -> int | None:
        key = header_key(name)
        return next((i for i, h in enumerate(self.header) if header_key(h) == key), None)

    def require_columns(self, doc: Document, names: Sequence[str]) -> dict[str, int]:
        """Where each named column is; an unknown column (other than contextual information) or a missing one
        means the table does not match the template: UnknownLayout naming the table and the column."""
        known = {header_key(n): n for n in names}
        positions: dict[str, int] = {}
        for i, printed in enumerate(self.header):
            k = header_key(printed)
            if k in known:
                positions[known[k]] = i
            elif printed and not k.startswith(header_key(CONTEXT_PREFIX)):
                raise UnknownLayout(doc, f"template table {self.name} ({self.where}): unknown column {printed!r}")
        missing = [n for n in names if n not in positions]
        if missing:
            raise UnknownLayout(doc, f"template table {self.name} ({self.where}): missing column {missing[0]!r}")
        return positions

    def context(self, cells: list[str], column: str) -> str:
        """The filing's contextual-information text for a figure column, if it gave any."""
        key = header_key(CONTEXT_PREFIX + column)
        i = next((j for j, h in enumerate(self.header) if header_key(h) == key), None)
        return cells[i].strip() if i is not None and i < len(cells) else ""


def which_table(header: list[str]) -> str | None:
    keys = {header_key(h) for h in header if h.strip()}
    for name in _ORDER:
        if set(SIGNATURES[name]) <= keys:
            if name == "10 average monthly active recipients" and "contextual information" in keys:
                continue
            return name
    return None


def _table(grid: list[list[str]], member: str | None, sheet: str | None) -> TemplateTable | None:
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        name = which_table(row)
        if name is None:
            continue
        width = max((j + 1 for j, c in enumerate(row) if c.strip()), default=0)
        rows = [(k + 1, cells) for k, cells in enumerate(grid[i + 1:], start=i + 1) if any(c.strip() for c in cells)]
        return TemplateTable(name, member, sheet, [c.strip() for c in row[:width]], i + 1, rows)
    return None


def _unknown(doc: Document, where: str, grid: list[list[str]]) -> UnknownLayout:
    first = next((r for r in grid if any(c.strip() for c in r)), [])
    return UnknownLayout(doc, f"{where}: not a table of the DSA template (first row {first[:8]!r})")


def read_filing(doc: Document) -> tuple[list[TemplateTable], list[str]]:
    """Every template table in a CSV, a ZIP of CSVs or an XLSX workbook, and what was set aside (as messages).

    A sheet or member that is not a template table is set aside with a message (never read); a CSV document
    that is not one is an error.
    """
    data = doc.data
    if data[:2] == b"PK":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as e:
            raise ParseError(doc, f"not a readable ZIP or XLSX file ({e})") from e
        if "xl/workbook.xml" in names:
            return _from_workbook(doc)
        return _from_zip(doc)
    grid = read_rows(decode_text(doc))
    table = _table(grid, None, None)
    if table is None:
        raise _unknown(doc, "the file", grid)
    return [table], []


def _from_zip(doc: Document) -> tuple[list[TemplateTable], list[str]]:
    tables, aside = [], []
    for member, data in zip_members(doc).items():
        base = member.rsplit("/", 1)[-1]
        if JUNK_MEMBER.search(member) or NOTE_MEMBER.fullmatch(base):
            continue
        if not base.lower().endswith(".csv"):
            aside.append(f"member {member}: not a CSV file, not read")
            continue
        grid = read_rows(decode_text(doc, data, member))
        table = _table(grid, member, None)
        if table is None:
            aside.append(str(_unknown(doc, f"member {member}", grid)))
        else:
            tables.append(table)
    return tables, aside


def _from_workbook(doc: Document) -> tuple[list[TemplateTable], list[str]]:
    tables, aside = [], []
    for sheet in read_workbook(doc).sheets:
        grid = [[sheet.text(r, c).strip() for c in range(1, sheet.max_column + 1)] for r in range(1, sheet.max_row + 1)]
        table = _table(grid, None, sheet.name)
        if table is None:
            if any(any(c for c in r) for r in grid):
                aside.append(str(_unknown(doc, f"sheet {sheet.name}", grid)))
        else:
            tables.append(table)
    return tables, aside


_DATE = re.compile(r"^\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\s*$")


def template_date(doc: Document, text: str, where: str) -> dt.date:
    """A date as filings write it: 2026-08-31, also 2026/8/31 (seen in real filings)."""
    m = _DATE.match(text)
    if m is None:
        raise ParseError(doc, f"{where}: {text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError as e:
        raise ParseError(doc, f"{where}: {text!r} is not a valid date ({e})") from e


def template_period(doc: Document, text: str, where: str) -> tuple[dt.date, dt.date] | None:
    """'2026-01-01/2026-06-30' as two dates; the template's own placeholder (or nothing) is None."""
    if not text.strip() or text.strip().lower() == PLACEHOLDER_PERIOD:
        return None
    parts = text.split("/") if text.count("/") == 1 else re.split(r"\s*/\s*(?=\d{4}[-/.])", text)
    if len(parts) != 2:
        raise ParseError(doc, f"{where}: reporting period {text!r} is not START/END")
    start, end = (template_date(doc, p, where) for p in parts)
    if start > end:
        raise ParseError(doc, f"{where}: reporting period {text!r} ends before it starts")
    return start, end


def is_placeholder(text: str) -> bool:
    return text.strip().lower() in PLACEHOLDERS


def names_one_scope(scope: str) -> bool:
    """False for the template's "AT, […], SE" (and "[_]", "[...]") left in place: it names no single scope."""
    return not any(mark in scope for mark in ("[", "…", "...", ","))


def member_state(doc: Document, scope: str, where: str) -> str | None:
    """The ISO code for a Scope cell: None for TOTAL (the all-EU total, never a country); anything else is an error."""
    if scope == "TOTAL":
        return None
    if scope not in MEMBER_STATES:
        raise ParseError(doc, f"{where}: scope {scope!r} is neither TOTAL nor a Member State code (Eurostat's glossary)")
    return MEMBER_STATES[scope]


def hours_cell(doc: Document, raw: str, locator: Locator) -> CellValue:
    """A median time in hours. "12,5" may be a decimal comma or a thousands separator: refused, never guessed."""
    if "," in raw:
        raise ParseError(doc, f"{locator.render()}: median time {raw!r} has a comma: ambiguous decimal separator")
    try:
        return parse_number_cell(raw)
    except UnreadableCell as e:
        raise ParseError(doc, f"{locator.render()}: {e}") from e


def summary(doc: Document, table: TemplateTable) -> tuple[tuple[dt.date, dt.date] | None, str]:
    """Table 1: the reporting period (when filled in) and the publication date (ISO, or '')."""
    ind, val = table.column("Indicator"), table.column("Value")
    if ind is None or val is None:
        raise UnknownLayout(doc, f"template table 1 ({table.where}): no Indicator/Value columns")
    values = {header_key(c[ind]): c[val].strip() for _, c in table.rows if max(ind, val) < len(c)}
    start, end = values.get("starting date of reporting period", ""), values.get("ending date of reporting period", "")
    period = None
    if start and end and not is_placeholder(start):
        period = (template_date(doc, start, "table 1 start"), template_date(doc, end, "table 1 end"))
    published = values.get("date of the publication of the report", "")
    if not published or is_placeholder(published):
        return period, ""
    return period, template_date(doc, published, "table 1 publication date").isoformat()
