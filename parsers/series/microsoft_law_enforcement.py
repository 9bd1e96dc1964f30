"""Microsoft's Law Enforcement Requests Report workbooks (2013 H2 - 2019 H1), one workbook per half-year.

Every sheet holds one table: a group header row ("Total Requests" / "Some Customer Data Disclosed" / ...), a label
row, the #/% sub-columns, a TOTAL row and one row per country (`sheet_tables.grouped`). Layouts seen (each checked
against every file in the corpus):
- 2013 H2: one sheet, title in row 1, header rows 2-4 (group, label, #/% marker row), labels in column A.
- 2014 H1 - 2016 H2: one sheet, title rows 1-2, header rows 4-6, column A; hidden unlabelled spacer columns E and J
  hold 0 or #REF! (ignored: any other content there is refused).
- 2017 H1 - H2: split into criminal, emergency (2017 H1's has no title: header rows 1-3) and, from 2017 H2, civil
  sheets; civil sheets use short labels ("Disclosure of Content", "Rejected").
- 2018 H1 - 2019 H1: labels in column B, header rows 3-4 with no #/% marker row: each outcome label is merged over
  two columns, % then # (checked: the % cells are fractions, the # cells whole numbers). Beside the criminal table,
  two cells count US warrants for content stored outside the US, printed under their labels (`WARRANT_CELLS`).
Decisions: % cells are fractions of 1, converted to 0-100 (noted). Rows with a label but no figures are not data.
The period comes from the URL and each sheet's title; they must agree, except the reviewed `PERIOD_CONFLICTS`.
Civil outcome counts from 2018 sum to the accounts column, not the requests column: what those columns count is
taken from the sheet's own TOTAL row arithmetic (`_basis`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.facts import Document, Fact, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import Key, KnownTable, Measure, Period
from parsers.formats.interpreter import REFUSED, Finding, Reading, interpret, layouts, strict
from parsers.formats.sheet_tables import grouped, has_figures, title, under_labels, whole_sheet
from parsers.formats.spreadsheet import Sheet, read_workbook
from parsers.formats.table import Table
from parsers.formats.tabular import header_key
from parsers.normalise.periods import half_year

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
WARRANT_CELLS = KnownTable("us-warrants", (), tuple(Measure(
    f"Number of warrants from U.S. law enforcement {what} stored outside the United States", metric, Unit.REQUESTS,
    RequestType.SEARCH_WARRANT) for what, metric in (
        ("seeking consumer content data", "us_warrants_consumer_content_stored_outside_us"),
        ("resulting in disclosure of enterprise content data",
         "us_warrants_enterprise_content_disclosed_stored_outside_us"))),
    country="United States", printed_type_label=True, description="2018+: two figures beside the criminal table")
LAYOUTS = layouts((TABLE, WARRANT_CELLS))
# Sheet kinds by keyword; 2017 H2 names its criminal sheet "TOTAL (2)"; a single-table workbook counts everything.
KINDS = (("emergenc", RequestType.EMERGENCY), ("civil", RequestType.CIVIL), ("criminal", RequestType.LEGAL_PROCESS),
         ("total 2", RequestType.LEGAL_PROCESS))
PERIOD_CONFLICTS = {  # reviewed disagreements between a sheet's title and the workbook's period
    ("2017-H2", header_key("Civil Legal Requests")): "the sheet's title says January 2017 - June 2017 in the 2017 H2 "
    "workbook (2017 H1's workbook had no civil sheet): the sheet's own period is used",
}
URL_HALF = re.compile(r"LERR[-_ ](\d{4})[-_ ]H([12])", re.IGNORECASE)
GROUP = "Total Requests"


def read(doc: Document) -> Reading:
    book = read_workbook(doc)
    m = URL_HALF.search(doc.url)
    lerr = [s for s in book.sheets if any(header_key(c.text) == header_key(GROUP) for c in s.cells.values())]
    if not lerr:
        raise ParseError(doc, f"no Law Enforcement Requests Report table in sheets {book.names}")
    titled = [p for s in lerr if (p := title(s, GROUP)[1])]
    period = half_year(int(m[1]), int(m[2])) if m else (titled[0] if titled else None)
    if period is None:
        raise ParseError(doc, "no period: neither the URL nor any sheet title names the half-year")
    reading = Reading([])
    for sheet in book.sheets:  # a sheet of figures without a LERR header: a table nobody declared, quarantined
        if sheet in lerr or has_figures(sheet):
            part = _sheet(doc, sheet, period, f"{m[1]}-H{m[2]}" if m else "", len(lerr)) if sheet in lerr else (
                interpret(doc, (), [whole_sheet(sheet)]))
            reading.facts += part.facts
            reading.findings += part.findings
    return reading


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))


def _sheet(doc: Document, sheet: Sheet, period: Period, half: str, sheets: int) -> Reading:
    lines, own = title(sheet, GROUP)
    note = "" if lines else "period from the URL and the other sheets (this sheet has no title)"
    if own is not None and own != period:
        note = PERIOD_CONFLICTS.get((half, header_key(sheet.name)), "")
        if not note:
            raise ParseError(doc, f"sheet={sheet.name}: title period {own[0]}..{own[1]} disagrees with the "
                                  f"workbook's {period[0]}..{period[1]}")
        period = own
    rtype = next((t for word, t in KINDS if word in header_key(sheet.name)), RequestType.ALL if sheets == 1 else None)
    if rtype is None:
        raise UnknownLayout(doc, f"sheet={sheet.name}: cannot tell which kind of requests this sheet counts")
    try:
        table, last = grouped(doc, sheet, GROUP, "TOTAL", "(country label)", _mark)
    except UnknownLayout as e:  # this sheet's grain is not the one declared: refused, the other sheets load
        return Reading([], [Finding("unknown_layout", f"sheet={sheet.name}", (), sheet.max_row, e.problem, REFUSED)])
    side = under_labels(sheet, [c for (_, col), c in sorted(sheet.cells.items()) if col > last and not c.is_blank])
    known = (replace(TABLE, measures=measures(rtype, sheet.name.strip(), *_basis(table), note)),
             replace(WARRANT_CELLS, measures=tuple(replace(m, note=note) for m in WARRANT_CELLS.measures)))
    return interpret(doc, known, [table, *side], period=lambda d, r: period)


def _mark(sheet: Sheet, row: int, column: int) -> str:
    """2018+ (no #/% row): a label merged over two columns is % then #."""
    r1, c1, r2, c2 = sheet.merge_span(row, column)
    return "%" if c2 > c1 and column == c1 else "#"


def _basis(table: Table) -> tuple[str, Unit, str]:
    """What the outcome # columns count, from the TOTAL row: requests, accounts, or unclear (noted)."""
    values = {TABLE.spellings().get(header_key(h), h): float(c.value or 0) for h, c in zip(
        table.header, table.rows[0], strict=True) if isinstance(c.value, (int, float))}
    outcomes = sum(values.get(f"{long} #", 0.0) for long, _ in OUTCOMES.values())
    requests, accounts = values.get(REQUESTS, 0.0), values.get(ACCOUNTS, 0.0)
    if abs(outcomes - requests) < 0.5:
        return "requests", Unit.REQUESTS, ""
    if abs(outcomes - accounts) < 0.5:
        return "accounts", Unit.ACCOUNTS, "the outcome counts of this sheet sum to its accounts column, not its requests"
    return "requests", Unit.REQUESTS, (f"the outcome counts of this sheet's TOTAL row sum to {outcomes:g}: neither its "
                                       f"requests ({requests:g}) nor its accounts ({accounts:g})")
