"""The Wikimedia Foundation's transparency report: data workbooks (ODS 2014-2017, XLSX 2018), sum.csv and the
report pages (privacy.html: requests for user data; content.html: content alteration and takedown requests).

Format is detected from the bytes. Layouts:
- "period-sheets" (every ODS/XLSX): one sheet per reporting period, named by it ("July 2012 - June 2013"), holding
  tables headed "Country" or "Project Affected", side by side or stacked, each ending with its "Total" row. Every
  release repeats all earlier periods (a later copy is a restatement candidate). Headers are "<type> Requests",
  "<type> Complied", "<type> Usernames Potentially/Actually Affected", "DMCA Counter-Notices Received": every type x
  figure is declared; a new <type> is a new column, quarantined.
- "sum-csv": user-data requests by country and period (`duration` = "jul12jun13"); "Complied (Partial)" is blank
  (not reported) before Wikimedia began to report partial compliance in July 2016.
- "report-pages": the pages' summary and breakdown tables, for the period printed above each ("Jul – Dec 2018").
  They print no header row: locators name the column by its number.
Informal private requests and DMCA notices are not from governments: kept with their raw type (request type "other"
/ "content_removal") so that the report's own totals can be checked.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.html_tables import HtmlTable, read_html, tables, text_before
from parsers.formats.interpreter import Reading, interpret, month_code_in, strict
from parsers.formats.sheet_tables import has_figures, named_periods, regions, whole_sheet
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.table import Table, csv_tables, grid_table, html_table, sniff
from parsers.formats.tabular import header_key
from parsers.normalise.periods import parse_month_range

SERIES = (("wikimedia", "transparency-report"),)
LAYOUTS = ("period-sheets", "sum-csv", "report-pages")

R, U, C = RequestType, Kind.USER_DATA, Kind.CONTENT_REMOVAL
TYPES = {  # the <type> of a column header (with or without "Request(s)") -> (request type, kind, a total column)
    **dict.fromkeys(("Total User Data", "Total"), (R.ALL, U, True)), "Court Orders": (R.COURT_ORDER, U, False),
    **dict.fromkeys(("Informal Private", "Informal Government", "Informal Request", "Government"), (R.OTHER, U, False)),
    **dict.fromkeys(("Criminal Subpoenas", "Administrative Subpoenas", "Criminal Subpoena", "Administrative Subpoena"),
                    (R.SUBPOENA, U, False)),  # the singular spellings are sum.csv's
    **dict.fromkeys(("Civil Subpoenas", "Civil Subpoena"), (R.CIVIL, U, False)),
    **dict.fromkeys(("Search Warrants", "Warrant"), (R.SEARCH_WARRANT, U, False)),
    **dict.fromkeys(("Takedown/Alteration", "RTBF", "DMCA"), (R.CONTENT_REMOVAL, C, False)),
    "Total Content": (R.CONTENT_REMOVAL, C, True),
}
FIGURES = (  # header ending -> (metric, unit); "" is the bare type: its requests
    ("Usernames Potentially Affected", "accounts_potentially_affected", Unit.ACCOUNTS),
    ("Usernames Actually Affected", "accounts_actually_affected", Unit.ACCOUNTS),
    ("Counter-Notices Received", "counter_notices_received", Unit.OTHER), ("Complied (Partial)",
     "requests_complied_partially", Unit.REQUESTS), ("Complied (All)", "requests_complied_fully", Unit.REQUESTS),
    ("Complied", "requests_complied", Unit.REQUESTS), ("Requests", "requests", Unit.REQUESTS))
MEASURES = tuple(
    Measure(f"{t} {suffix}", metric, unit, rtype, kind=kind, is_total=total, spellings=tuple(
        f"{t}{word} {s}".strip() for word in ("", " Request", " Requests")
        for s in ((suffix, "") if metric == "requests" else (suffix,))))
    for t, (rtype, kind, total) in TYPES.items() for suffix, metric, unit in FIGURES)
BY_COUNTRY = KnownTable("period-sheet by country", (Key("country", "Country", "country", filled=True),), MEASURES,
                        total_labels=("Total",), total_is_no_country=True, extra={"breakdown": "country"},
                        printed_type_label=True)
BY_PROJECT = KnownTable("period-sheet by project", (Key("project", "Project Affected", extra="project", filled=True),),
                        MEASURES, total_labels=("Total",), total_key="project", total_is_no_country=True,
                        extra={"breakdown": "project"}, printed_type_label=True)
SUM_CSV = KnownTable("sum-csv", (Key("country", "Country", "country"), Key("duration", "duration", "period")),
                     MEASURES, period=month_code_in("duration"), required=True, printed_type_label=True)
SUMMARY = KnownTable("page summary", (Key("label", "label", "request_type", values={
    label: As(rtype, is_total=total, measure=Measure("2", metric, unit, rtype)) for label, (metric, unit, rtype, total)
    in {"Total User Data Requests": ("requests", Unit.REQUESTS, R.ALL, True),
        **{k: ("requests", Unit.REQUESTS, t, False) for k, t in (
            ("Informal non-government requests", R.OTHER), ("Informal government requests", R.OTHER),
            ("Civil subpoenas", R.CIVIL), ("Criminal subpoenas", R.SUBPOENA), ("Administrative subpoenas", R.SUBPOENA),
            ("Search warrants", R.SEARCH_WARRANT), ("Court orders", R.COURT_ORDER),
            ("National security requests", R.NATIONAL_SECURITY))},
        "Information Produced": ("requests_information_produced", Unit.REQUESTS, R.ALL, True),
        **{f"User accounts {w}": (f"accounts_{w.replace(' ', '_')}", Unit.ACCOUNTS, R.ALL, True)
           for w in ("potentially affected", "actually affected", "notified")},
        "Voluntary Disclosures": ("voluntary_emergency_disclosures", Unit.OTHER, R.EMERGENCY, False)}.items()}),),
    (Measure("2", "figure", Unit.OTHER),))
BREAKDOWN_KEYS = (Key("country", "country", "country", filled=True), Key("requester", "requester", extra="requester"))
BREAKDOWN = KnownTable("page breakdown", (Key("type", "type", "request_type", values={  # "Civil subpoenas"
    re.sub(r"(?i)\s*requests?$", "", t) + word: As(rtype) for t, (rtype, kind, _) in TYPES.items() if kind is U
    for word in ("", " request", " requests")}), *BREAKDOWN_KEYS), (Measure("3", "requests", Unit.REQUESTS),),
    total_labels=("Total",), total_key="requester", total_is_no_country=True)
CONTENT_BREAKDOWN = KnownTable("content page breakdown", (Key("type", "type"), *BREAKDOWN_KEYS), (
    Measure("3", "requests", Unit.REQUESTS, R.CONTENT_REMOVAL, "Government requests", C),))
PAGE_PERIOD = re.compile(r"\b(Jan|Jul)[a-z]*\.?\s*(?:–|-|to)\s*(Jun|Dec)[a-z]*\.?\s*\d{4}\b")


def read(doc: Document) -> Reading:
    readers = {"workbook": _workbook, "html": _pages}  # told apart by the bytes; anything else is sum.csv
    return readers.get(sniff(doc), lambda d: interpret(d, (SUM_CSV,), csv_tables(d)))(doc)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))


def _workbook(doc: Document) -> Reading:
    book = read_workbook(doc)
    periods, sheets = named_periods(book.sheets), [s for s in book.sheets if has_figures(s)]  # others: notes
    found = {s.name: regions(s, ("country", "project affected")) for s in sheets if s.name in periods}
    reading = interpret(doc, (BY_COUNTRY, BY_PROJECT), [_relabelled(t, ts) for ts in found.values() for t in ts],
                        period=lambda d, row: periods[row.table.place])
    # a sheet not named by a period, or holding no table headed Country or Project Affected: quarantined
    reading.findings += interpret(doc, (), [whole_sheet(s) for s in sheets if not found.get(s.name)]).findings
    if not reading.facts:
        raise UnknownLayout(doc, f"no reporting-period sheet with figures in {book.names}")
    return reading


def _relabelled(table: Table, tables: list[Table]) -> Table:
    """Jul-Dec 2015: a 'Country' table beside a 'Project Affected' table with the very same row labels."""
    if header_key(table.header[0]) != "country" or not any(header_key(t.header[0]) == "project affected" and (
            t.header_locators[0].row, [r[0].text for r in t.rows]) == (
            table.header_locators[0].row, [r[0].text for r in table.rows]) for t in tables):
        return table
    note = "the file heads this table 'Country' but its rows are the projects listed beside it under 'Project Affected'"
    return replace(table, header=["Project Affected", *table.header[1:]], rows=[
        [row[0], *(replace(c, note="; ".join(n for n in (c.note, note) if n)) for c in row[1:])] for row in table.rows])


def _pages(doc: Document) -> Reading:
    root = read_html(doc)
    known = (SUMMARY, CONTENT_BREAKDOWN if doc.url.rstrip("/").endswith("content.html") else BREAKDOWN)
    periods, grids = {}, []
    for table in tables(root):  # each table's period is printed above it
        if (found := text_before(root, table.element, PAGE_PERIOD)) is None:
            raise ParseError(doc, f"table={table.index}: no period printed above the table")
        periods[table.index] = parse_month_range(found.replace("–", "-"))
        width = len(table.rows[0]) if table.rows else 0
        grids.append(_breakdown(table, known[1] is BREAKDOWN) if width == 3 else html_table(
            table, 0, header=["label", "2"] if width == 2 else None))
    reading = interpret(doc, known, grids, period=lambda d, row: periods[row.table.where.table])
    if not reading.facts:
        raise ParseError(doc, "no report tables on the page")
    return reading


def _breakdown(table: HtmlTable, typed: bool) -> Table:
    """The hook for the breakdown's carried-over cells (country | requester | count): on privacy.html a "<type> |
    Total | n" line opens each request type; a blank country continues the one above (Canada's second requester)."""
    rows, country, rtype = [], "", "Government requests"
    for n, (first, requester, value) in enumerate(table.rows, start=1):
        if requester.text == "Total" and typed:
            rtype, country = first.text, ""
        else:  # a line without a country before any country is refused (the country key is `filled`)
            country = first.text or country
        rows.append((n, [rtype, country, requester.text, value.text]))
    return grid_table(Locator(table=table.index), ["type", "country", "requester", "3"], rows)
