"""Microsoft's Law Enforcement Requests Report workbooks (2013 H2 - 2019 H1), one workbook per half-year.

Every sheet holds one table: a group header row ("Total Requests" / "Some Customer Data Disclosed" / "No Customer
Data Disclosed"), a label row, and the #/% sub-columns, then a TOTAL row and one row per country. Layouts seen
(each checked against every file in the corpus):
- 2013 H2: one sheet, title in row 1, header rows 2-4 (group, label, #/% marker row), labels in column A.
- 2014 H1 - 2016 H2: one sheet, title rows 1-2, header rows 4-6, column A; hidden unlabelled spacer columns E and J
  hold 0 or #REF! (ignored: any other content there is refused).
- 2017 H1 - H2: split into criminal, emergency (2017 H1's has no title: header rows 1-3) and, from 2017 H2, civil
  sheets; civil sheets use short labels ("Disclosure of Content", "Rejected").
- 2018 H1 - 2019 H1: labels in column B, header rows 3-4 with no #/% marker row: each outcome label is merged over
  two columns, % then # (checked: the % cells are fractions, the # cells whole numbers). Beside the criminal table,
  two cells count US warrants for content stored outside the US, printed under their labels on the US row.
Decisions: % cells are fractions of 1 (0.0232 for 2.32%), converted to 0-100 (noted on each fact). Blank rows and
rows with a label but no figures (2017 H2's emergencies sheet repeats 20 country names below its table, footnotes)
are not data. The period comes from the URL and each sheet's title; they must agree, except the reviewed case in
`_PERIOD_CONFLICTS`. Civil outcome counts from 2018 sum to the accounts column, not the requests column: the unit of
those columns is taken from the sheet's own TOTAL row arithmetic (`_basis`).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.spreadsheet import Sheet, fraction_percent, number, read_workbook
from parsers.formats.tabular import Column, Layout, header_key, recognise
from parsers.normalise.periods import half_year, parse_month_range
from parsers.normalise.values import CellValue

SERIES = (("microsoft", "law-enforcement-requests"),)

_OUTCOMES = {  # canonical name -> (long label of criminal sheets, short label of civil sheets)
    "content": ("Law Enforcement Requests Resulting in Disclosure of Content", "Disclosure of Content"),
    "non_content": ("Law Enforcement Requests Resulting in Disclosure of Only Subscriber/Transactional "
                    "(Non-Content) Data", "Only Subscriber/ Transactional (Non-Content) Data"),
    "no_data_found": ("Law Enforcement Requests Resulting in Disclosure of No Customer Data (No Data Found)",
                      "No Data Found"),
    "rejected": ("Law Enforcement Requests Resulting in Disclosure of No Customer Data (Request Rejected for Not "
                 "Meeting Legal Requirements)", "Rejected"),
}
TABLE = Layout("lerr-table", (
    Column("requests", ("Total Number of Law Enforcement Requests #", "Total Number of Requests #")),
    Column("accounts", ("Accounts / Users Specified in Requests #",)),
    *(Column(f"{k}_pct", tuple(f"{s} %" for s in v)) for k, v in _OUTCOMES.items()),
    *(Column(f"{k}_num", tuple(f"{s} #" for s in v)) for k, v in _OUTCOMES.items()),
), "columns of every LERR sheet, criminal (long) and civil (short) spellings; header = label + #/% marker")
LAYOUTS = (TABLE,)
_GROUPS = {header_key(g) for g in ("Total Requests", "Some Customer Data Disclosed", "No Customer Data Disclosed")}
_WARRANTS = {  # side cells of the 2018+ criminal sheets
    header_key("Number of warrants from U.S. law enforcement seeking consumer content data stored outside the "
               "United States"): "us_warrants_consumer_content_stored_outside_us",
    header_key("Number of warrants from U.S. law enforcement resulting in disclosure of enterprise content data "
               "stored outside the United States"): "us_warrants_enterprise_content_disclosed_stored_outside_us",
}
# Sheet kinds by keyword; a workbook with a single table is every law enforcement request the report counts.
_KINDS = (("emergenc", RequestType.EMERGENCY), ("civil", RequestType.CIVIL), ("criminal", RequestType.LEGAL_PROCESS))
# 2017 H2 names its criminal sheet "TOTAL (2)" beside "Emergencies (2)" and "Civil Legal Requests"; 2017 H1 named
# the same table "Total - Criminal".
_CRIMINAL_ALIASES = {header_key("TOTAL (2)")}
# Reviewed disagreements between a sheet's title and the workbook's period: (workbook half, sheet) -> decision.
_PERIOD_CONFLICTS = {
    ("2017-H2", header_key("Civil Legal Requests")): "the sheet's title says January 2017 - June 2017 in the 2017 H2 "
    "workbook (2017 H1's workbook had no civil sheet): the sheet's own period is used",
}
_URL_HALF = re.compile(r"LERR[-_ ](\d{4})[-_ ]H([12])", re.IGNORECASE)
_TITLE_RANGE = re.compile(r"(jan\w*|jul\w*)\s*(\d{4})?\s*[,]?\s*(?:-|–|to)\s*(jun\w*|dec\w*)\s*,?\s*(\d{4})?", re.I)


def _title_period(text: str) -> tuple[dt.date, dt.date] | None:
    m = _TITLE_RANGE.search(text)
    if not m:
        return None
    year = m[4] or m[2] or (re.findall(r"\b(20\d\d)\b", text) or [None])[-1]
    if year is None:
        return None
    return parse_month_range(f"{m[1][:3]} {m[2] or year} - {m[3][:3]} {year}")


def _header_rows(doc: Document, sheet: Sheet) -> tuple[int, int, int | None, int]:
    """(group row, label row, #/% marker row or None, first figure column)."""
    hits = sorted((r, c) for (r, c), cell in sheet.cells.items() if header_key(cell.text) == "total requests")
    if len(hits) != 1:
        raise UnknownLayout(doc, f"sheet={sheet.name}: expected one 'Total Requests' header cell, found {len(hits)}")
    group, first = hits[0]
    markers = {sheet.text(group + 2, c) for c in range(first, sheet.max_column + 1)} - {""}
    return group, group + 1, (group + 2 if markers and markers <= {"#", "%"} else None), first


def _columns(doc: Document, sheet: Sheet, rows: tuple[int, int, int | None, int]) -> dict[str, tuple[int, str]]:
    """Canonical column -> (column number, printed header) after checking the header against `TABLE`."""
    group, label_row, marker_row, first = rows
    headers: list[str] = []
    where: list[tuple[int, str]] = []
    last = max([c for (r, c), cell in sheet.cells.items() if r in (group, label_row) and cell.text.strip()]
               + [c2 for r1, c1, r2, c2 in sheet.merged if r1 <= label_row and r2 >= group])
    for c in range(first, last + 1):
        label = sheet.text(label_row, c)
        if not label and not sheet.text(group, c):
            _check_spacer(doc, sheet, c, label_row)
            continue
        if marker_row is not None:
            marker = sheet.text(marker_row, c)
        else:  # 2018+: an outcome label merged over two columns is % then #; a single-column label is #
            r1, c1, r2, c2 = sheet.merge_span(label_row, c)
            marker = "%" if c2 > c1 and c == c1 else "#"
        headers.append(f"{label} {marker}")
        where.append((c, f"{' '.join(label.split())} {marker}"))
    _, positions = recognise(doc, headers, LAYOUTS, where=f"sheet {sheet.name}")
    return {name: where[i] for name, i in positions.items()}


def _check_spacer(doc: Document, sheet: Sheet, column: int, label_row: int) -> None:
    for (r, c), cell in sheet.cells.items():
        if c == column and r > label_row and not cell.refused and cell.value not in (None, 0):
            raise UnknownLayout(doc, f"sheet={sheet.name}: unlabelled column {cell.letter} holds {cell.value!r}")


def _request_type(doc: Document, sheet: Sheet, tables: int) -> RequestType:
    key = header_key(sheet.name)
    for word, rtype in _KINDS:
        if word in key:
            return rtype
    if key in _CRIMINAL_ALIASES:
        return RequestType.LEGAL_PROCESS
    if tables == 1:
        return RequestType.ALL
    raise UnknownLayout(doc, f"sheet={sheet.name}: cannot tell which kind of requests this sheet counts")


def _basis(sheet: Sheet, total_row: int, cols: dict[str, tuple[int, str]]) -> tuple[str, Unit, str]:
    """What the outcome # columns count, from the TOTAL row: requests, accounts, or unclear (noted)."""
    outcomes = sum(float(sheet.value(total_row, cols[f"{k}_num"][0]) or 0) for k in _OUTCOMES)
    requests = float(sheet.value(total_row, cols["requests"][0]) or 0)
    accounts = float(sheet.value(total_row, cols["accounts"][0]) or 0)
    if abs(outcomes - requests) < 0.5:
        return "requests", Unit.REQUESTS, ""
    if abs(outcomes - accounts) < 0.5:
        return "accounts", Unit.ACCOUNTS, "the outcome counts of this sheet sum to its accounts column, not its requests"
    return "requests", Unit.REQUESTS, (f"the outcome counts of this sheet's TOTAL row sum to {outcomes:g}: neither its "
                                       f"requests ({requests:g}) nor its accounts ({accounts:g})")


def parse(doc: Document) -> list[Fact]:
    book = read_workbook(doc)
    m = _URL_HALF.search(doc.url)
    url_half = f"{m[1]}-H{m[2]}" if m else None
    tables = [s for s in book.sheets if any(header_key(c.text) == "total requests" for c in s.cells.values())]
    for s in book.sheets:
        if s not in tables and any(isinstance(c.value, (int, float)) for c in s.cells.values()):
            raise UnknownLayout(doc, f"sheet={s.name}: holds figures but no LERR table header")
    if not tables:
        raise ParseError(doc, f"no Law Enforcement Requests Report table in sheets {book.names}")
    titles = [p for s in tables if (p := _title_period(" ".join(_title_text(s))))]
    facts: list[Fact] = []
    for sheet in tables:
        period, note = _period(doc, sheet, url_half, titles)
        facts += _sheet_facts(doc, sheet, _request_type(doc, sheet, len(tables)), period, note)
    return facts


def _title_text(sheet: Sheet) -> list[str]:
    hits = [r for (r, c), cell in sheet.cells.items() if header_key(cell.text) == "total requests"]
    top = min(hits) if hits else 1
    return [c.text for (r, _), c in sorted(sheet.cells.items()) if r < top and c.text.strip()]


def _period(doc: Document, sheet: Sheet, url_half: str | None, titles: list[tuple[dt.date, dt.date]]) -> tuple[
    tuple[dt.date, dt.date], str
]:
    url_period = half_year(int(url_half[:4]), int(url_half[-1])) if url_half else None
    own = _title_period(" ".join(_title_text(sheet)))
    book = url_period or (titles[0] if titles else None)
    if book is None:
        raise ParseError(doc, "no period: neither the URL nor any sheet title names the half-year")
    if own is None:
        return book, "" if _title_text(sheet) else "period from the URL and the other sheets (this sheet has no title)"
    if own != book:
        reason = _PERIOD_CONFLICTS.get((url_half or "", header_key(sheet.name)))
        if reason is None:
            raise ParseError(doc, f"sheet={sheet.name}: title period {own[0]}..{own[1]} disagrees with the "
                                  f"workbook's {book[0]}..{book[1]}")
        return own, reason
    return own, ""


def _sheet_facts(doc: Document, sheet: Sheet, rtype: RequestType, period: tuple[dt.date, dt.date],
                 period_note: str) -> list[Fact]:
    rows = _header_rows(doc, sheet)
    cols = _columns(doc, sheet, rows)
    first_data = (rows[2] or rows[1]) + 1
    label_col = next((c for c in range(1, rows[3]) if sheet.text(first_data, c).upper() == "TOTAL"), None)
    if label_col is None:
        raise UnknownLayout(doc, f"sheet={sheet.name}: no TOTAL row right under the header (row {first_data})")
    basis, count_unit, basis_note = _basis(sheet, first_data, cols)
    kind_raw = sheet.name.strip()
    facts: list[Fact] = []
    last_col = max(c for c, _ in cols.values())
    us_row = None
    for r in range(first_data, sheet.max_row + 1):
        label = " ".join(sheet.text(r, label_col).split())
        figures = [sheet.cell(r, c) for c, _ in cols.values()]
        if all(f.is_blank for f in figures):
            continue  # blank row, footnote or a stray country name without figures (see module docstring)
        if not label:
            raise ParseError(doc, f"sheet={sheet.name};row={r}: figures without a country label")
        is_total = r == first_data
        us_row = r if label in ("United States", "USA") else us_row
        for name, (c, printed) in cols.items():
            facts.append(_fact(doc, sheet, r, c, printed, name, label, is_total, rtype, kind_raw, period,
                               (basis, count_unit, basis_note), period_note))
    facts += _warrants(doc, sheet, last_col, us_row, period, period_note)
    return facts


def _fact(doc: Document, sheet: Sheet, r: int, c: int, printed: str, name: str, label: str, is_total: bool,
          rtype: RequestType, kind_raw: str, period: tuple[dt.date, dt.date], basis: tuple[str, Unit, str],
          period_note: str) -> Fact:
    raw = number(doc, sheet, r, c)
    cell = sheet.cell(r, c)
    notes = [n for n in (period_note, cell.note) if n]
    parsed: CellValue | None = None
    if name == "requests":
        metric, unit = "requests", Unit.REQUESTS
    elif name == "accounts":
        metric, unit = "accounts_specified", Unit.ACCOUNTS
    elif name.endswith("_pct"):
        metric, unit = f"percent_{name[:-4]}", Unit.PERCENT
        parsed, how = fraction_percent(doc, sheet.locator(r, c, printed), raw)
        notes.append(f"{how}; of {basis[0]}" if how else "")
    else:
        metric, unit = f"{basis[0]}_{name[:-4]}", basis[1]
        notes.append(basis[2])
    if unit is not Unit.PERCENT and isinstance(raw, float) and not raw.is_integer():
        notes.append(f"non-integer count as stored ({cell.formula or 'no formula'}); kept as published")
    return figure(
        doc, period=period, country_raw="" if is_total else label, request_type=rtype, request_type_raw=kind_raw,
        metric=metric, unit=unit, raw=raw, cell=parsed, locator=sheet.locator(r, c, printed), kind=Kind.USER_DATA,
        is_total=is_total, note="; ".join(n for n in notes if n),
    )


def _warrants(doc: Document, sheet: Sheet, last_col: int, us_row: int | None, period: tuple[dt.date, dt.date],
              period_note: str) -> list[Fact]:
    """The 2018+ side cells: a label (merged over rows) and its figure right below it, on the US row."""
    side = [cell for (r, c), cell in sorted(sheet.cells.items()) if c > last_col and not cell.is_blank]
    labels = [cell for cell in side if isinstance(cell.value, str)]
    facts: list[Fact] = []
    used = set()
    for lab in labels:
        metric = _WARRANTS.get(header_key(lab.text))
        if metric is None:
            raise UnknownLayout(doc, f"sheet={sheet.name};cell={lab.coordinate}: unknown side label {lab.text!r}")
        below = sheet.merge_span(lab.row, lab.column)[2] + 1
        if below != us_row:
            raise UnknownLayout(doc, f"sheet={sheet.name}: side figure under {lab.coordinate} is not on the US row")
        used |= {lab.coordinate, sheet.cell(below, lab.column).coordinate}
        facts.append(figure(
            doc, period=period, country_raw="United States", request_type=RequestType.SEARCH_WARRANT,
            request_type_raw=lab.text.strip(), metric=metric, unit=Unit.REQUESTS,
            raw=number(doc, sheet, below, lab.column), locator=sheet.locator(below, lab.column, lab.text.strip()),
            kind=Kind.USER_DATA, note=period_note,
        ))
    stray = [c.coordinate for c in side if c.coordinate not in used]
    if stray:
        raise UnknownLayout(doc, f"sheet={sheet.name}: cells outside the table not understood: {stray}")
    return facts
