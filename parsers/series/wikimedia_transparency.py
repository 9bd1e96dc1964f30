"""The Wikimedia Foundation's transparency report: data workbooks (ODS 2014-2017, XLSX 2018), sum.csv and the
report pages (privacy.html: requests for user data; content.html: content alteration and takedown requests).

Format is detected from the bytes. Layouts:
- "period-sheets" (every ODS/XLSX): one sheet per reporting period, named by it ("July 2012 - June 2013",
  "Jan 2015 - June 2015"); each holds tables headed by "Country" or "Project Affected", for content requests and
  user-data requests, side by side or stacked, each ending with a "Total" row. Every release repeats all earlier
  periods (a later copy of a period is a restatement candidate, compared downstream). Column headers are
  "<type> Requests", "<type> Complied", "<type> Usernames Potentially/Actually Affected", "DMCA Counter-Notices
  Received"; an unknown <type> is an UnknownLayout.
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

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.csv_report import csv_rows
from parsers.formats.figures import figure
from parsers.formats.html_tables import HtmlTable, read_html, tables, text_before
from parsers.formats.spreadsheet import Sheet, number, read_workbook
from parsers.formats.tabular import header_key
from parsers.normalise.periods import month_end, parse_month_range

SERIES = (("wikimedia", "transparency-report"),)
LAYOUTS = ("period-sheets", "sum-csv", "report-pages")

_R = RequestType


def _type_key(label: str) -> str:
    """'Informal Request', 'Informal Private Requests' -> the type without the word 'request(s)'."""
    return header_key(re.sub(r"\s*requests?$", "", label.strip(), flags=re.IGNORECASE))


_USER_TYPES = {_type_key(k): v for k, v in {
    "Total User Data": _R.ALL, "Total": _R.ALL, "Informal Private": _R.OTHER, "Civil Subpoenas": _R.CIVIL,
    "Criminal Subpoenas": _R.SUBPOENA, "Informal Government": _R.OTHER, "Search Warrants": _R.SEARCH_WARRANT,
    "Administrative Subpoenas": _R.SUBPOENA, "Court Orders": _R.COURT_ORDER,
    # sum.csv spellings
    "Informal Request": _R.OTHER, "Civil Subpoena": _R.CIVIL, "Criminal Subpoena": _R.SUBPOENA,
    "Government": _R.OTHER, "Warrant": _R.SEARCH_WARRANT, "Administrative Subpoena": _R.SUBPOENA,
}.items()}
_CONTENT_TYPES = {_type_key(k) for k in ("Total Content", "Takedown/Alteration", "RTBF", "DMCA")}
_SUFFIXES = (  # header ending -> (metric, unit)
    ("Usernames Potentially Affected", "accounts_potentially_affected", Unit.ACCOUNTS),
    ("Usernames Actually Affected", "accounts_actually_affected", Unit.ACCOUNTS),
    ("Counter-Notices Received", "counter_notices_received", Unit.OTHER),
    ("Complied (Partial)", "requests_complied_partially", Unit.REQUESTS),
    ("Complied (All)", "requests_complied_fully", Unit.REQUESTS),
    ("Complied", "requests_complied", Unit.REQUESTS),
    ("Requests", "requests", Unit.REQUESTS),
    ("", "requests", Unit.REQUESTS),
)
_KEYS = {"country": "country", "project affected": "project"}


def parse(doc: Document) -> list[Fact]:
    head = doc.data.lstrip()[:500].lower()
    if doc.data.startswith(b"PK") or doc.data.startswith(b"\xd0\xcf\x11\xe0"):
        return _workbook(doc)
    if head.startswith((b"<!doctype", b"<html")) or b"<html" in head:
        return _pages(doc)
    if not doc.data.strip():
        raise ParseError(doc, "empty file")
    return _sum_csv(doc)


def _column(doc: Document, header: str, where: str) -> tuple[str, Unit, RequestType, bool, Kind]:
    """A header to (metric, unit, request type, is a total column, kind), or UnknownLayout."""
    text = " ".join(header.replace("complied", "Complied").split())
    for suffix, metric, unit in _SUFFIXES:
        if text.lower().endswith(suffix.lower()):
            kind_text = text[: len(text) - len(suffix)].strip() if suffix else text
            key = _type_key(kind_text)
            if key in _USER_TYPES:
                rtype = _USER_TYPES[key]
                return metric, unit, rtype, rtype is _R.ALL, Kind.USER_DATA
            if key in _CONTENT_TYPES:
                return metric, unit, _R.CONTENT_REMOVAL, key == "total content", Kind.CONTENT_REMOVAL
    raise UnknownLayout(doc, f"{where}: unknown column {header!r}")


def _workbook(doc: Document) -> list[Fact]:
    book = read_workbook(doc)
    facts: list[Fact] = []
    for sheet in book.sheets:
        if not any(isinstance(c.value, (int, float)) for c in sheet.cells.values()):
            continue  # a sheet without figures (notes, an empty sheet)
        try:
            period = parse_month_range(sheet.name)
        except ValueError as e:
            raise UnknownLayout(doc, f"sheet={sheet.name}: not a reporting-period sheet ({e})") from e
        found = [(r, c) for (r, c), cell in sorted(sheet.cells.items()) if header_key(cell.text) in _KEYS]
        if not found:
            raise UnknownLayout(doc, f"sheet={sheet.name}: no table headed 'Country' or 'Project Affected'")
        for r, c in found:
            ends = sorted(c2 for r2, c2 in found if r2 == r and c2 > c)
            facts += _sheet_table(doc, sheet, period, r, c, (ends[0] - 1) if ends else sheet.max_column)
    if not facts:
        raise ParseError(doc, f"no reporting-period sheet with figures in {book.names}")
    return facts


def _sheet_table(doc: Document, sheet: Sheet, period: tuple[dt.date, dt.date], head: int, key_col: int,
                 last: int) -> list[Fact]:
    breakdown = _KEYS[header_key(sheet.text(head, key_col))]
    relabel = ""
    if breakdown == "country" and _mislabelled(sheet, head, key_col):
        breakdown = "project"
        relabel = ("the file heads this table 'Country' but its rows are the projects listed beside it under "
                   "'Project Affected'")
    cols = [(c, sheet.text(head, c)) for c in range(key_col + 1, last + 1) if sheet.text(head, c)]
    specs = {c: _column(doc, h, f"sheet={sheet.name};row={head}") for c, h in cols}
    facts: list[Fact] = []
    for r in range(head + 1, sheet.max_row + 1):
        label = " ".join(sheet.text(r, key_col).split())
        if not label:
            if all(sheet.cell(r, c).is_blank for c, _ in cols):
                break  # the table ends at the first blank row
            raise ParseError(doc, f"sheet={sheet.name};row={r}: figures without a label")
        is_total_row = header_key(label) == "total"
        for c, h in cols:
            metric, unit, rtype, total_col, kind = specs[c]
            cell = sheet.cell(r, c)
            facts.append(figure(
                doc, period=period, country_raw="" if is_total_row or breakdown == "project" else label,
                request_type=rtype, request_type_raw=" ".join(h.split()), metric=metric, unit=unit,
                raw=number(doc, sheet, r, c), locator=sheet.locator(r, c, " ".join(h.split())), kind=kind,
                is_total=is_total_row or total_col, note="; ".join(n for n in (cell.note, relabel) if n),
                extra={"breakdown": breakdown} | ({"project": label} if breakdown == "project" and not is_total_row
                                                  else {}),
            ))
        if is_total_row:
            break
    return facts


def _labels(sheet: Sheet, head: int, column: int) -> list[str]:
    out: list[str] = []
    for r in range(head + 1, sheet.max_row + 1):
        if not (text := sheet.text(r, column)):
            break
        out.append(text)
    return out


def _mislabelled(sheet: Sheet, head: int, key_col: int) -> bool:
    """Jul-Dec 2015: a 'Country' table beside a 'Project Affected' table with the very same row labels."""
    twins = [c for c in range(1, sheet.max_column + 1)
             if c != key_col and header_key(sheet.text(head, c)) == "project affected"]
    return any(_labels(sheet, head, c) == _labels(sheet, head, key_col) for c in twins)


_DURATION = re.compile(r"^(?P<m1>jan|jul)(?P<y1>\d\d)?(?P<m2>jun|dec)(?P<y2>\d\d)$")
_MONTH = {"jan": 1, "jun": 6, "jul": 7, "dec": 12}


def _duration(doc: Document, text: str, where: str) -> tuple[dt.date, dt.date]:
    m = _DURATION.match(text.strip().lower())
    if not m:
        raise ParseError(doc, f"{where}: duration {text!r} is not a period code like 'janjun16'")
    y2 = 2000 + int(m["y2"])
    y1 = 2000 + int(m["y1"]) if m["y1"] else y2
    return dt.date(y1, _MONTH[m["m1"]], 1), month_end(y2, _MONTH[m["m2"]])


def _sum_csv(doc: Document) -> list[Fact]:
    rows = csv_rows(doc)
    header = [h.strip() for h in rows[0]]
    if not header or header[0] != "Country" or header[-1] != "duration":
        raise UnknownLayout(doc, f"sum.csv header must run from 'Country' to 'duration', not {header!r}")
    specs = {i: _column(doc, h, "row=1") for i, h in enumerate(header[1:-1], start=1)}
    facts: list[Fact] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise ParseError(doc, f"row={n}: {len(row)} cells for {len(header)} columns")
        period = _duration(doc, row[-1], f"row={n}")
        for i, (metric, unit, rtype, total_col, kind) in specs.items():
            facts.append(figure(
                doc, period=period, country_raw=row[0].strip(), request_type=rtype, request_type_raw=header[i],
                metric=metric, unit=unit, raw=row[i], locator=Locator(row=n, column=header[i]), kind=kind,
                is_total=total_col,
            ))
    return facts


_PAGE_PERIOD = re.compile(r"\b(Jan|Jul)[a-z]*\.?\s*(?:–|-|to)\s*(Jun|Dec)[a-z]*\.?\s*\d{4}\b")
# Summary rows of privacy.html: label -> (metric, unit, request type, is total)
_SUMMARY = {header_key(k): v for k, v in {
    "Total User Data Requests": ("requests", Unit.REQUESTS, _R.ALL, True),
    "Informal non-government requests": ("requests", Unit.REQUESTS, _R.OTHER, False),
    "Informal government requests": ("requests", Unit.REQUESTS, _R.OTHER, False),
    "Civil subpoenas": ("requests", Unit.REQUESTS, _R.CIVIL, False),
    "Criminal subpoenas": ("requests", Unit.REQUESTS, _R.SUBPOENA, False),
    "Administrative subpoenas": ("requests", Unit.REQUESTS, _R.SUBPOENA, False),
    "Search warrants": ("requests", Unit.REQUESTS, _R.SEARCH_WARRANT, False),
    "Court orders": ("requests", Unit.REQUESTS, _R.COURT_ORDER, False),
    "National security requests": ("requests", Unit.REQUESTS, _R.NATIONAL_SECURITY, False),
    "Information Produced": ("requests_information_produced", Unit.REQUESTS, _R.ALL, True),
    "User accounts potentially affected": ("accounts_potentially_affected", Unit.ACCOUNTS, _R.ALL, True),
    "User accounts actually affected": ("accounts_actually_affected", Unit.ACCOUNTS, _R.ALL, True),
    "User accounts notified": ("accounts_notified", Unit.ACCOUNTS, _R.ALL, True),
    "Voluntary Disclosures": ("voluntary_emergency_disclosures", Unit.OTHER, _R.EMERGENCY, False),
}.items()}


def _pages(doc: Document) -> list[Fact]:
    root = read_html(doc)
    content = doc.url.rstrip("/").endswith("content.html")
    facts: list[Fact] = []
    for table in tables(root):
        found = text_before(root, table.element, _PAGE_PERIOD)
        if found is None:
            raise ParseError(doc, f"table={table.index}: no period printed above the table")
        period = parse_month_range(found.replace("–", "-"))
        width = len(table.rows[0]) if table.rows else 0
        if width == 2:
            facts += _summary(doc, table, period)
        elif width == 3:
            facts += _breakdown(doc, table, period, content)
        else:
            raise UnknownLayout(doc, f"table={table.index}: {width} columns; known tables have 2 or 3")
    if not facts:
        raise ParseError(doc, "no report tables on the page")
    return facts


def _summary(doc: Document, table: HtmlTable, period: tuple[dt.date, dt.date]) -> list[Fact]:
    facts: list[Fact] = []
    for n, (label, value) in enumerate(table.rows, start=1):
        spec = _SUMMARY.get(header_key(label.text))
        if spec is None:
            raise UnknownLayout(doc, f"table={table.index};row={n}: unknown summary line {label.text!r}")
        metric, unit, rtype, is_total = spec
        facts.append(figure(doc, period=period, country_raw="", request_type=rtype, request_type_raw=label.text,
                            metric=metric, unit=unit, raw=value.text, locator=table.locator(n, "2"),
                            kind=Kind.USER_DATA, is_total=is_total))
    return facts


def _breakdown(doc: Document, table: HtmlTable, period: tuple[dt.date, dt.date], content: bool) -> list[Fact]:
    """Country | requester | count. On privacy.html a "<type> | Total | n" line opens each request type; a blank
    country continues the one above (Canada's second requester)."""
    facts: list[Fact] = []
    country, rtype_raw = "", "Government requests"
    for n, (first, requester, value) in enumerate(table.rows, start=1):
        is_type = requester.text == "Total" and not content
        if is_type:
            rtype_raw, country = first.text, ""
            if _page_type(rtype_raw) is None:
                raise UnknownLayout(doc, f"table={table.index};row={n}: unknown request type {rtype_raw!r}")
        elif first.text:
            country = first.text
        elif not country:
            raise ParseError(doc, f"table={table.index};row={n}: a breakdown line without a country")
        rtype = _R.CONTENT_REMOVAL if content else (_page_type(rtype_raw) or _R.OTHER)
        facts.append(figure(
            doc, period=period, country_raw="" if is_type else country, request_type=rtype,
            request_type_raw=rtype_raw, metric="requests", unit=Unit.REQUESTS, raw=value.text,
            locator=table.locator(n, "3"), kind=Kind.CONTENT_REMOVAL if content else Kind.USER_DATA,
            is_total=is_type, extra={} if is_type else {"requester": requester.text},
        ))
    return facts


def _page_type(label: str) -> RequestType | None:
    return _USER_TYPES.get(_type_key(label))
