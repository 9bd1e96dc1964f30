"""The Wikimedia Foundation's transparency report: data workbooks (ODS 2014-2017, XLSX 2018), sum.csv and the
report pages (privacy.html: requests for user data; content.html: content alteration and takedown requests).

Format is detected from the bytes. Layouts:
- "period-sheets" (every ODS/XLSX): one sheet per reporting period, named by it ("July 2012 - June 2013"); each
  holds tables headed by "Country" or "Project Affected", side by side or stacked, each ending with a "Total" row.
  Every release repeats all earlier periods (a later copy of a period is a restatement candidate). Column headers
  are "<type> Requests", "<type> Complied", "<type> Usernames Potentially/Actually Affected", "DMCA Counter-Notices
  Received": every type x figure is declared below; a new <type> is a new column, quarantined.
- "sum-csv": user-data requests by country and period (`duration` = "jul12jun13", "janjun16"), with "Complied
  (Partial)" columns blank before Wikimedia began to report partial compliance in July 2016 (blank: not reported).
- "report-pages": the summary and breakdown tables of the pages, for the period printed above them ("Jul – Dec
  2018"). These tables print no header row: locators name the column by its number.
Informal private requests and DMCA notices are not from governments; they are kept with their raw type
(request type "other" / "content_removal") so that the report's own totals can be checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.html_tables import HtmlTable, read_html, tables, text_before
from parsers.formats.interpreter import Reading, Row, interpret, strict
from parsers.formats.sheet_tables import has_figures, regions, whole_sheet
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.table import Table, csv_tables, grid_table
from parsers.formats.tabular import header_key
from parsers.normalise.periods import month_end, parse_month_range

SERIES = (("wikimedia", "transparency-report"),)
LAYOUTS = ("period-sheets", "sum-csv", "report-pages")

R, U, C = RequestType, Kind.USER_DATA, Kind.CONTENT_REMOVAL
TYPES = {  # the <type> of a column header (with or without "Request(s)") -> (request type, kind, a total column)
    "Total User Data": (R.ALL, U, True), "Total": (R.ALL, U, True), "Informal Private": (R.OTHER, U, False),
    "Civil Subpoenas": (R.CIVIL, U, False), "Criminal Subpoenas": (R.SUBPOENA, U, False),
    "Informal Government": (R.OTHER, U, False), "Search Warrants": (R.SEARCH_WARRANT, U, False),
    "Administrative Subpoenas": (R.SUBPOENA, U, False), "Court Orders": (R.COURT_ORDER, U, False),
    "Informal Request": (R.OTHER, U, False), "Civil Subpoena": (R.CIVIL, U, False),  # sum.csv spellings
    "Criminal Subpoena": (R.SUBPOENA, U, False), "Government": (R.OTHER, U, False),
    "Warrant": (R.SEARCH_WARRANT, U, False), "Administrative Subpoena": (R.SUBPOENA, U, False),
    "Total Content": (R.CONTENT_REMOVAL, C, True), "Takedown/Alteration": (R.CONTENT_REMOVAL, C, False),
    "RTBF": (R.CONTENT_REMOVAL, C, False), "DMCA": (R.CONTENT_REMOVAL, C, False),
}
FIGURES = (  # header ending -> (metric, unit); "" is the bare type: its requests
    ("Usernames Potentially Affected", "accounts_potentially_affected", Unit.ACCOUNTS),
    ("Usernames Actually Affected", "accounts_actually_affected", Unit.ACCOUNTS),
    ("Counter-Notices Received", "counter_notices_received", Unit.OTHER),
    ("Complied (Partial)", "requests_complied_partially", Unit.REQUESTS),
    ("Complied (All)", "requests_complied_fully", Unit.REQUESTS),
    ("Complied", "requests_complied", Unit.REQUESTS), ("Requests", "requests", Unit.REQUESTS))
MEASURES = tuple(
    Measure(f"{t} {suffix}", metric, unit, rtype, kind=kind, is_total=total, spellings=tuple(
        f"{t}{word} {s}".strip() for word in ("", " Request", " Requests")
        for s in ((suffix, "") if metric == "requests" else (suffix,))))
    for t, (rtype, kind, total) in TYPES.items() for suffix, metric, unit in FIGURES)


def _duration(doc: Document, row: Row) -> Period:
    m = re.match(r"^(?P<m1>jan|jul)(?P<y1>\d\d)?(?P<m2>jun|dec)(?P<y2>\d\d)$", row.get("duration").strip().lower())
    if not m:
        raise ParseError(doc, f"row={row.number}: duration {row.get('duration')!r} is not a period code like 'janjun16'")
    month = {"jan": 1, "jun": 6, "jul": 7, "dec": 12}
    y2 = 2000 + int(m["y2"])
    return dt.date(2000 + int(m["y1"]) if m["y1"] else y2, month[m["m1"]], 1), month_end(y2, month[m["m2"]])


BY_COUNTRY = KnownTable("period-sheet by country", (Key("country", "Country", "country", filled=True),), MEASURES,
                        total_labels=("Total",), total_is_no_country=True, extra={"breakdown": "country"},
                        printed_type_label=True)
BY_PROJECT = KnownTable("period-sheet by project", (Key("project", "Project Affected", extra="project", filled=True),),
                        MEASURES,
                        total_labels=("Total",), total_key="project", total_is_no_country=True,
                        extra={"breakdown": "project"}, printed_type_label=True)
SUM_CSV = KnownTable("sum-csv", (Key("country", "Country", "country"), Key("duration", "duration", "period")),
                     MEASURES, period=_duration, required=True, printed_type_label=True)
SUMMARY = KnownTable("page summary", (Key("label", "label", "request_type", values={
    label: As(rtype, is_total=total, measure=Measure("2", metric, unit, rtype)) for label, (metric, unit, rtype, total)
    in {"Total User Data Requests": ("requests", Unit.REQUESTS, R.ALL, True),
        **{k: ("requests", Unit.REQUESTS, t, False) for k, t in (
            ("Informal non-government requests", R.OTHER), ("Informal government requests", R.OTHER),
            ("Civil subpoenas", R.CIVIL), ("Criminal subpoenas", R.SUBPOENA), ("Administrative subpoenas", R.SUBPOENA),
            ("Search warrants", R.SEARCH_WARRANT), ("Court orders", R.COURT_ORDER),
            ("National security requests", R.NATIONAL_SECURITY))},
        "Information Produced": ("requests_information_produced", Unit.REQUESTS, R.ALL, True),
        "User accounts potentially affected": ("accounts_potentially_affected", Unit.ACCOUNTS, R.ALL, True),
        "User accounts actually affected": ("accounts_actually_affected", Unit.ACCOUNTS, R.ALL, True),
        "User accounts notified": ("accounts_notified", Unit.ACCOUNTS, R.ALL, True),
        "Voluntary Disclosures": ("voluntary_emergency_disclosures", Unit.OTHER, R.EMERGENCY, False)}.items()}),),
    (Measure("2", "figure", Unit.OTHER),))
BREAKDOWN_KEYS = (Key("country", "country", "country"), Key("requester", "requester", extra="requester"))
BREAKDOWN = KnownTable("page breakdown", (Key("type", "type", "request_type", values={  # "Civil subpoenas"
    re.sub(r"(?i)\s*requests?$", "", t) + word: As(rtype) for t, (rtype, kind, _) in TYPES.items() if kind is U
    for word in ("", " request", " requests")}), *BREAKDOWN_KEYS), (Measure("3", "requests", Unit.REQUESTS),),
    total_labels=("Total",), total_key="requester", total_is_no_country=True)
CONTENT_BREAKDOWN = KnownTable("content page breakdown", (Key("type", "type"), *BREAKDOWN_KEYS), (
    Measure("3", "requests", Unit.REQUESTS, R.CONTENT_REMOVAL, "Government requests", C),))
PAGE_PERIOD = re.compile(r"\b(Jan|Jul)[a-z]*\.?\s*(?:–|-|to)\s*(Jun|Dec)[a-z]*\.?\s*\d{4}\b")


def read(doc: Document) -> Reading:
    head = doc.data.lstrip()[:500].lower()
    if doc.data.startswith(b"PK") or doc.data.startswith(b"\xd0\xcf\x11\xe0"):
        return _workbook(doc)
    if head.startswith((b"<!doctype", b"<html")) or b"<html" in head:
        return _pages(doc)
    if not doc.data.strip():
        raise ParseError(doc, "empty file")
    return interpret(doc, (SUM_CSV,), csv_tables(doc))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))


def _workbook(doc: Document) -> Reading:
    book = read_workbook(doc)
    reading = Reading([])
    for sheet in filter(has_figures, book.sheets):  # a sheet without figures: notes, an empty sheet
        try:
            period = parse_month_range(sheet.name)
        except ValueError:  # not a reporting-period sheet: a table nobody declared, quarantined
            reading.findings += interpret(doc, (), [whole_sheet(sheet)]).findings
            continue
        tables = regions(sheet, ("country", "project affected"))
        if not tables:
            raise UnknownLayout(doc, f"sheet={sheet.name}: no table headed 'Country' or 'Project Affected'")
        part = interpret(doc, (BY_COUNTRY, BY_PROJECT), [_relabelled(t, tables) for t in tables],
                         period=lambda d, row, p=period: p)
        reading.facts += part.facts
        reading.findings += part.findings
    if not reading.facts:
        raise UnknownLayout(doc, f"no reporting-period sheet with figures in {book.names}")
    return reading


def _relabelled(table: Table, tables: list[Table]) -> Table:
    """Jul-Dec 2015: a 'Country' table beside a 'Project Affected' table with the very same row labels."""
    labels = [r[0].text for r in table.rows]
    if header_key(table.header[0]) != "country" or not any(
            header_key(t.header[0]) == "project affected" and t.header_locators[0].row == table.header_locators[0].row
            and [r[0].text for r in t.rows] == labels for t in tables):
        return table
    note = "the file heads this table 'Country' but its rows are the projects listed beside it under 'Project Affected'"
    return replace(table, header=["Project Affected", *table.header[1:]], rows=[
        [row[0], *(replace(c, note="; ".join(n for n in (c.note, note) if n)) for c in row[1:])] for row in table.rows])


def _pages(doc: Document) -> Reading:
    root = read_html(doc)
    known = (SUMMARY, CONTENT_BREAKDOWN if doc.url.rstrip("/").endswith("content.html") else BREAKDOWN)
    reading = Reading([])
    for table in tables(root):
        found = text_before(root, table.element, PAGE_PERIOD)
        if found is None:
            raise ParseError(doc, f"table={table.index}: no period printed above the table")
        period = parse_month_range(found.replace("–", "-"))
        width = len(table.rows[0]) if table.rows else 0
        grid = _breakdown(doc, table, known[1] is BREAKDOWN) if width == 3 else grid_table(
            Locator(table=table.index), ["label", "2"] if width == 2 else [""] * width,
            [(n, [c.text for c in row]) for n, row in enumerate(table.rows, start=1)])
        part = interpret(doc, known, [grid], period=lambda d, r, p=period: p)
        reading.facts += part.facts
        reading.findings += part.findings
    if not reading.facts:
        raise ParseError(doc, "no report tables on the page")
    return reading


def _breakdown(doc: Document, table: HtmlTable, typed: bool) -> Table:
    """The hook for the breakdown's carried-over cells: country | requester | count, with the request type and the
    country carried down. On privacy.html a "<type> | Total | n" line opens each request type; a blank country
    continues the one above (Canada's second requester)."""
    rows, country, rtype = [], "", "Government requests"
    for n, (first, requester, value) in enumerate(table.rows, start=1):
        if requester.text == "Total" and typed:
            rtype, country = first.text, ""
        elif first.text:
            country = first.text
        elif not country:
            raise ParseError(doc, f"table={table.index};row={n}: a breakdown line without a country")
        rows.append((n, [rtype, country, requester.text, value.text]))
    return grid_table(Locator(table=table.index), ["type", "country", "requester", "3"], rows)
