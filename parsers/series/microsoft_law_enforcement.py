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
Decisions: % cells are fractions of 1, converted to 0-100 (noted). Rows with a label but no figures are not data.
The period comes from the URL and each sheet's title; they must agree, except the reviewed case in
`PERIOD_CONFLICTS`. Civil outcome counts from 2018 sum to the accounts column, not the requests column: the unit of
those columns is taken from the sheet's own TOTAL row arithmetic (`_basis`).
"""

from __future__ import annotations

import dataclasses
import re

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import Key, KnownTable, Measure, Period
from parsers.formats.figures import figure
from parsers.formats.interpreter import REFUSED, Finding, Reading, interpret, layouts, strict
from parsers.formats.spreadsheet import Sheet, number, read_workbook
from parsers.formats.table import Table, TableCell, grid_table
from parsers.formats.tabular import header_key
from parsers.normalise.periods import half_year, parse_month_range

SERIES = (("microsoft", "law-enforcement-requests"),)

OUTCOMES = {  # canonical name -> (long label of criminal sheets, short label of civil sheets)
    "content": ("Law Enforcement Requests Resulting in Disclosure of Content", "Disclosure of Content"),
    "non_content": ("Law Enforcement Requests Resulting in Disclosure of Only Subscriber/Transactional "
                    "(Non-Content) Data", "Only Subscriber/ Transactional (Non-Content) Data"),
    "no_data_found": ("Law Enforcement Requests Resulting in Disclosure of No Customer Data (No Data Found)",
                      "No Data Found"),
    "rejected": ("Law Enforcement Requests Resulting in Disclosure of No Customer Data (Request Rejected for Not "
                 "Meeting Legal Requirements)", "Rejected"),
}
REQUESTS, ACCOUNTS = "Total Number of Law Enforcement Requests #", "Accounts / Users Specified in Requests #"


def measures(rtype: RequestType, label: str, basis: str = "requests", unit: Unit = Unit.REQUESTS, note: str = "",
             period_note: str = "") -> tuple[Measure, ...]:
    """The columns of a sheet; what its outcome # columns count (`basis`) is read from its TOTAL row."""
    def m(header: str, metric: str, u: Unit, more: str = "", **kw: object) -> Measure:
        return Measure(header, metric, u, rtype, label, note="; ".join(n for n in (period_note, more) if n), **kw)
    return (m(REQUESTS, "requests", Unit.REQUESTS, spellings=("Total Number of Requests #",)),
            m(ACCOUNTS, "accounts_specified", Unit.ACCOUNTS),
            *(m(f"{long} %", f"percent_{k}", Unit.PERCENT, f"of {basis}", fraction=True, spellings=(f"{short} %",))
              for k, (long, short) in OUTCOMES.items()),
            *(m(f"{long} #", f"{basis}_{k}", unit, note, spellings=(f"{short} #",))
              for k, (long, short) in OUTCOMES.items()))


TABLE = KnownTable("lerr-table", (Key("country", "(country label)", "country", filled=True),),
                   measures(RequestType.ALL, ""), total_labels=("TOTAL",), total_is_no_country=True,
                   description="every LERR sheet: criminal (long) and civil (short) labels + #/% marker")
LAYOUTS = layouts((TABLE,))
WARRANTS = {  # side cells of the 2018+ criminal sheets
    header_key("Number of warrants from U.S. law enforcement seeking consumer content data stored outside the "
               "United States"): "us_warrants_consumer_content_stored_outside_us",
    header_key("Number of warrants from U.S. law enforcement resulting in disclosure of enterprise content data "
               "stored outside the United States"): "us_warrants_enterprise_content_disclosed_stored_outside_us",
}
# Sheet kinds by keyword; 2017 H2 names its criminal sheet "TOTAL (2)"; a single-table workbook counts everything.
KINDS = (("emergenc", RequestType.EMERGENCY), ("civil", RequestType.CIVIL), ("criminal", RequestType.LEGAL_PROCESS),
         ("total 2", RequestType.LEGAL_PROCESS))
PERIOD_CONFLICTS = {  # reviewed disagreements between a sheet's title and the workbook's period
    ("2017-H2", header_key("Civil Legal Requests")): "the sheet's title says January 2017 - June 2017 in the 2017 H2 "
    "workbook (2017 H1's workbook had no civil sheet): the sheet's own period is used",
}
URL_HALF = re.compile(r"LERR[-_ ](\d{4})[-_ ]H([12])", re.IGNORECASE)
TITLE_RANGE = re.compile(r"(jan\w*|jul\w*)\s*(\d{4})?\s*[,]?\s*(?:-|–|to)\s*(jun\w*|dec\w*)\s*,?\s*(\d{4})?", re.I)
GROUP = "total requests"


def _title(sheet: Sheet) -> tuple[list[str], Period | None]:
    """The sheet's title lines (above its header) and the half-year they name."""
    top = min((r for (r, c), cell in sheet.cells.items() if header_key(cell.text) == GROUP), default=1)
    lines = [c.text for (r, _), c in sorted(sheet.cells.items()) if r < top and c.text.strip()]
    m = TITLE_RANGE.search(" ".join(lines))
    year = m and (m[4] or m[2] or (re.findall(r"\b(20\d\d)\b", " ".join(lines)) or [None])[-1])
    return lines, parse_month_range(f"{m[1][:3]} {m[2] or year} - {m[3][:3]} {year}") if m and year else None


def _sheet_table(doc: Document, sheet: Sheet) -> tuple[Table, int, dict[str, int]]:
    """The hook for the merged #/% header: the sheet as a Table (label column + 'label #' / 'label %' columns)."""
    hits = sorted((r, c) for (r, c), cell in sheet.cells.items() if header_key(cell.text) == GROUP)
    if len(hits) != 1:
        raise UnknownLayout(doc, f"sheet={sheet.name}: expected one 'Total Requests' header cell, found {len(hits)}")
    (group, first), label_row = hits[0], hits[0][0] + 1
    marks = {sheet.text(group + 2, c) for c in range(first, sheet.max_column + 1)} - {""}
    marker_row = group + 2 if marks and marks <= {"#", "%"} else None
    last = max([c for (r, c), cell in sheet.cells.items() if r in (group, label_row) and cell.text.strip()]
               + [c2 for r1, c1, r2, c2 in sheet.merged if r1 <= label_row and r2 >= group])
    columns: dict[str, int] = {}
    for c in range(first, last + 1):
        label = " ".join(sheet.text(label_row, c).split())
        if not label and not sheet.text(group, c):
            if any(c2 == c and r > label_row and not x.refused and x.value not in (None, 0)
                   for (r, c2), x in sheet.cells.items()):
                raise UnknownLayout(doc, f"sheet={sheet.name}: unlabelled column {sheet.cell(label_row, c).letter} "
                                         "holds figures")
            continue  # a spacer column (0 or #REF!)
        r1, c1, r2, c2 = sheet.merge_span(label_row, c)  # 2018+: a label merged over two columns is % then #
        marker = sheet.text(marker_row, c) if marker_row else ("%" if c2 > c1 and c == c1 else "#")
        columns[f"{label} {marker}"] = c
    data = (marker_row or label_row) + 1
    label_col = next((c for c in range(1, first) if sheet.text(data, c).upper() == "TOTAL"), None)
    if label_col is None:
        raise UnknownLayout(doc, f"sheet={sheet.name}: no TOTAL row right under the header (row {data})")
    where = Locator(sheet=sheet.name)
    table = Table(where, ["(country label)", *columns], [], [], place=sheet.name)
    for r in range(data, sheet.max_row + 1):
        cells = [sheet.cell(r, c) for c in columns.values()]
        if all(x.is_blank for x in cells):
            continue  # blank row, footnote or a stray country name without figures
        label = " ".join(sheet.text(r, label_col).split())
        notes = [x.note or (f"non-integer count as stored ({x.formula or 'no formula'}); kept as published"
                            if isinstance(x.value, float) and not x.value.is_integer() and not h.endswith("%")
                            else "") for x, h in zip(cells, columns, strict=True)]
        table.rows.append([TableCell(label, dataclasses.replace(where, row=r)), *(
            TableCell(x.text, dataclasses.replace(where, row=r, column=f"{x.letter}:{h}"), x.value, True, n,
                      f"cell={x.coordinate}: {x.refused}" if x.refused else "")
            for x, h, n in zip(cells, columns, notes, strict=True))])
        table.numbers.append(r)
    return table, last, columns


def _basis(table: Table) -> tuple[str, Unit, str]:
    """What the outcome # columns count, from the TOTAL row: requests, accounts, or unclear (noted)."""
    total = {h: c.value for h, c in zip(table.header, table.rows[0], strict=True)}
    spelled = {header_key(s): m.header for m in TABLE.measures for s in (m.header, *m.spellings)}
    values = {spelled.get(header_key(h), h): float(v or 0) for h, v in total.items() if isinstance(v, (int, float))}
    outcomes = sum(values.get(f"{long} #", 0.0) for long, _ in OUTCOMES.values())
    requests, accounts = values.get(REQUESTS, 0.0), values.get(ACCOUNTS, 0.0)
    if abs(outcomes - requests) < 0.5:
        return "requests", Unit.REQUESTS, ""
    if abs(outcomes - accounts) < 0.5:
        return "accounts", Unit.ACCOUNTS, "the outcome counts of this sheet sum to its accounts column, not its requests"
    return "requests", Unit.REQUESTS, (f"the outcome counts of this sheet's TOTAL row sum to {outcomes:g}: neither its "
                                       f"requests ({requests:g}) nor its accounts ({accounts:g})")


def read(doc: Document) -> Reading:
    book = read_workbook(doc)
    m = URL_HALF.search(doc.url)
    url_half = f"{m[1]}-H{m[2]}" if m else ""
    lerr = [s for s in book.sheets if any(header_key(c.text) == GROUP for c in s.cells.values())]
    if not lerr:
        raise ParseError(doc, f"no Law Enforcement Requests Report table in sheets {book.names}")
    titled = [p for s in lerr if (p := _title(s)[1])]
    book_period = half_year(int(url_half[:4]), int(url_half[-1])) if m else (titled[0] if titled else None)
    if book_period is None:
        raise ParseError(doc, "no period: neither the URL nor any sheet title names the half-year")
    reading = Reading([])
    for sheet in book.sheets:
        if sheet not in lerr:  # a sheet of figures without a LERR header is a table nobody declared: quarantined
            if any(isinstance(c.value, (int, float)) for c in sheet.cells.values()):
                rows = [(r, [sheet.text(r, c) for c in range(1, sheet.max_column + 1)]) for r in sheet.rows()]
                part = interpret(doc, (TABLE,), [grid_table(Locator(sheet=sheet.name), rows[0][1], rows[1:],
                                                            place=sheet.name)])
                reading.findings += part.findings
            continue
        lines, own = _title(sheet)
        period, note = book_period, "" if lines else "period from the URL and the other sheets (this sheet has no title)"
        if own is not None and own != book_period:
            note = PERIOD_CONFLICTS.get((url_half, header_key(sheet.name)), "")
            if not note:
                raise ParseError(doc, f"sheet={sheet.name}: title period {own[0]}..{own[1]} disagrees with the "
                                      f"workbook's {book_period[0]}..{book_period[1]}")
            period = own
        key = header_key(sheet.name)
        rtype = next((t for word, t in KINDS if word in key), RequestType.ALL if len(lerr) == 1 else None)
        if rtype is None:
            raise UnknownLayout(doc, f"sheet={sheet.name}: cannot tell which kind of requests this sheet counts")
        try:
            table, last, _ = _sheet_table(doc, sheet)
        except UnknownLayout as e:  # this sheet's grain is not the one declared: refused, the other sheets load
            reading.findings.append(Finding("unknown_layout", f"sheet={sheet.name}", (), sheet.max_row, e.problem,
                                            REFUSED))
            continue
        kt = dataclasses.replace(TABLE, measures=measures(rtype, sheet.name.strip(), *_basis(table), note),
                                 period=lambda d, r, p=period: p)
        part = interpret(doc, (kt,), [table])
        reading.facts += part.facts + _warrants(doc, sheet, last, table, period, note)
        reading.findings += part.findings
    return reading


def _warrants(doc: Document, sheet: Sheet, last: int, table: Table, period: Period, note: str) -> list[Fact]:
    """The 2018+ side cells: a label (merged over rows) and its figure right below it, on the US row."""
    us_row = next((n for n, row in zip(table.numbers, table.rows, strict=True)
                   if row[0].text in ("United States", "USA")), None)
    side = [cell for (r, c), cell in sorted(sheet.cells.items()) if c > last and not cell.is_blank]
    facts, used = [], set()
    for lab in (cell for cell in side if isinstance(cell.value, str)):
        metric = WARRANTS.get(header_key(lab.text))
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
            kind=Kind.USER_DATA, note=note))
    if stray := [c.coordinate for c in side if c.coordinate not in used]:
        raise UnknownLayout(doc, f"sheet={sheet.name}: cells outside the table not understood: {stray}")
    return facts


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
