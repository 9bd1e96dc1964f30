"""AT&T's Transparency Report (PDF, 2014-2021): "label  figure" tables under orange titles, one column per half-year.

Each edition covers the previous half-year and reprints the one before it; national-security figures lag six
months more, under their own column headings. Every figure keeps the period printed above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit
from parsers.formats.figures import figure
from parsers.formats.pdf_blocks import (
    BlockRow,
    Column,
    Line,
    block_rows,
    is_period,
    is_prose,
    label_key,
    page_lines,
    read_period,
    split_blocks,
    strip_bullet,
)
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.countries import country_iso2

SERIES = (("att", "transparency-report"),)

R, A, S = Unit.REQUESTS, Unit.ACCOUNTS, Unit.SELECTORS
NS, UD, CR = Kind.NATIONAL_SECURITY, Kind.USER_DATA, Kind.CONTENT_REMOVAL
T = RequestType


@dataclass(frozen=True)
class Row:
    id: str | None  # None: a heading printed without figures
    labels: tuple[str, ...]
    type: RequestType = T.LEGAL_PROCESS
    raw: str = ""  # request_type_raw: the row's place in the table, as printed
    metric: str = "requests"
    unit: Unit = R
    kind: Kind = UD
    parts: tuple[str, ...] = ()  # the rows this one is the printed total of


def H(*labels: str) -> Row:
    return Row(None, labels)


_SEL = ("Customer Selectors Targeted",)
NATIONAL_SECURITY = (
    H("National Security Letters"),
    Row("nsl", ("Total Received",), T.NATIONAL_SECURITY, "National Security Letters", kind=NS),
    Row("nsl_accounts", ("Number of Customer Accounts",), T.NATIONAL_SECURITY, "National Security Letters",
        "accounts_specified", A, NS),
    Row("nsl_selectors", _SEL, T.NATIONAL_SECURITY, "National Security Letters", "selectors_targeted", S, NS),
    H("Foreign Intelligence Surveillance Act"),
    Row("fisa_content", ("Total Content",), T.NATIONAL_SECURITY, "FISA content", kind=NS),
    Row("fisa_content_accounts", ("Customer Accounts",), T.NATIONAL_SECURITY, "FISA content", "accounts_specified",
        A, NS),
    Row("fisa_content_selectors", _SEL, T.NATIONAL_SECURITY, "FISA content", "selectors_targeted", S, NS),
    Row("fisa_noncontent", ("Total Non-Content",), T.NATIONAL_SECURITY, "FISA non-content", kind=NS),
    Row("fisa_noncontent_accounts", ("Customer Accounts",), T.NATIONAL_SECURITY, "FISA non-content",
        "accounts_specified", A, NS),
    Row("fisa_noncontent_selectors", _SEL, T.NATIONAL_SECURITY, "FISA non-content", "selectors_targeted", S, NS),
)
SW = "Search Warrants / Probable Cause Court Orders"
CRIMINAL_CIVIL = (
    Row("total", ("Total Demands (Federal, State and Local; Criminal and Civil)",), T.LEGAL_PROCESS,
        "Total Demands", parts=("subpoenas", "court_orders", "sw_historic", "sw_realtime")),
    Row("subpoenas", ("Subpoenas",), T.SUBPOENA, "Subpoenas", parts=("criminal", "civil")),
    Row("criminal", ("Criminal",), T.SUBPOENA, "Subpoenas / Criminal"),
    Row("civil", ("Civil",), T.CIVIL, "Subpoenas / Civil"),
    Row("court_orders", ("Court Orders (General)",), T.COURT_ORDER, "Court Orders (General)",
        parts=("co_historic", "co_realtime")),
    Row("co_historic", ("Historic",), T.COURT_ORDER, "Court Orders (General) / Historic"),
    Row("co_realtime", ("Real-Time (Pen registers)",), T.COURT_ORDER, "Court Orders (General) / Real-Time"),
    H(SW),
    Row("sw_historic", ("Historic",), T.SEARCH_WARRANT, f"{SW} / Historic", parts=("stored", "other")),
    Row("stored", ("Stored Content",), T.SEARCH_WARRANT, f"{SW} / Historic / Stored Content"),
    Row("other", ("Other", "All Others"), T.SEARCH_WARRANT, f"{SW} / Historic / Other"),
    Row("sw_realtime", ("Real-Time",), T.SEARCH_WARRANT, f"{SW} / Real-Time", parts=("wiretaps", "mobile_locate")),
    Row("wiretaps", ("Wiretaps",), T.SEARCH_WARRANT, f"{SW} / Real-Time / Wiretaps"),
    Row("mobile_locate", ("Mobile Locate Demands",), T.SEARCH_WARRANT, f"{SW} / Real-Time / Mobile Locate Demands"),
)
REJECTED = (
    Row("rejected_total", ("Total",), T.LEGAL_PROCESS, "Demands Rejected/Partial or No Data Provided",
        "requests_rejected_partial_or_no_data", parts=("rejected", "partial")),
    Row("rejected", ("Rejected/Challenged",), T.LEGAL_PROCESS, "Rejected/Challenged", "requests_rejected"),
    Row("partial", ("Partial or No Information",), T.LEGAL_PROCESS, "Partial or No Information",
        "requests_partial_or_no_data"),
)
LOCATION = (
    Row("location", ("Total",), T.LEGAL_PROCESS, "Location Demands", parts=("loc_historic", "loc_realtime",
                                                                               "cell_tower")),
    Row("loc_historic", ("Historic", "Historical"), T.LEGAL_PROCESS, "Location Demands / Historic"),
    Row("loc_realtime", ("Real-Time",), T.LEGAL_PROCESS, "Location Demands / Real-Time"),
    Row("cell_tower", ("Cell Tower", "Cell Tower Searches"), T.LEGAL_PROCESS, "Location Demands / Cell Tower"),
)
EMERGENCY = (
    Row("emergency", ("Total",), T.EMERGENCY, "Emergency Requests", parts=("e911", "exigent")),
    Row("e911", ("911",), T.EMERGENCY, "Emergency Requests / 911"),
    Row("exigent", ("Exigent",), T.EMERGENCY, "Emergency Requests / Exigent"),
)
# 2014-2015: international demands as one total; later: per country, with Mexico's own breakdown.
INTERNATIONAL_TOTALS = (
    Row("intl", ("Total Demands",), T.ALL, "International Demands", parts=("intl_le", "intl_blocking")),
    Row("intl_le", ("Law Enforcement",), T.LEGAL_PROCESS, "International Demands / Law Enforcement"),
    Row("intl_blocking", ("URL/IP Blocking",), T.CONTENT_REMOVAL, "International Demands / URL/IP Blocking",
        kind=CR),
)
INTL_TOTAL_IDS = {r.id for r in INTERNATIONAL_TOTALS}
COUNTRY_ROWS = (
    H("Total International Demands"),
    Row("subscriber", ("Subscriber Information", "Historic", "Historic: Subscriber Information"), T.LEGAL_PROCESS,
        "Historic: Subscriber Information"),
    Row("blocking", ("IP Blocking", "IP/URL Blocking"), T.CONTENT_REMOVAL, "IP/URL Blocking", kind=CR),
    Row("mx_historic", ("Historic: Subscriber Information / Call Detail Records",
                        "Historic: Subscriber Information and Call Detail Records"), T.LEGAL_PROCESS,
        "Historic: Subscriber Information / Call Detail Records"),
    Row("mx_cell_site", ("Location Information (Cell Site)",), T.LEGAL_PROCESS, "Location Information (Cell Site)"),
    Row("mx_realtime", ("Real-Time",), T.LEGAL_PROCESS, "Real-Time", parts=("mx_pen", "mx_precise")),
    Row("mx_pen", ("Pen Registers / Wiretaps / Cell Site", "Wiretaps"), T.LEGAL_PROCESS, "Real-Time / Wiretaps"),
    Row("mx_precise", ("Location Information (Precise)",), T.LEGAL_PROCESS, "Real-Time / Location (Precise)"),
    Row("mx_rejected_total", ("Demands Rejected/Partial or No Data Provided",), T.LEGAL_PROCESS,
        "Demands Rejected/Partial or No Data Provided", "requests_rejected_partial_or_no_data",
        parts=("mx_rejected", "mx_partial")),
    Row("mx_rejected", ("Rejected/Challenged",), T.LEGAL_PROCESS, "Rejected/Challenged", "requests_rejected"),
    Row("mx_partial", ("Partial or No Information",), T.LEGAL_PROCESS, "Partial or No Information",
        "requests_partial_or_no_data"),
)
TABLES = {
    "National Security Demands": NATIONAL_SECURITY, "Total U.S. Criminal & Civil Demands": CRIMINAL_CIVIL,
    "Total U.S. Criminal & Civil Litigation Demands": CRIMINAL_CIVIL,
    "Demands Rejected/Partial or No Data Provided": REJECTED, "Location Demands": LOCATION,
    "Emergency Requests": EMERGENCY, "International Demands": INTERNATIONAL_TOTALS + COUNTRY_ROWS,
}
COUNTRY_ALIASES = {"Columbia": "CO"}  # AT&T's July 2015 report misspells Colombia
# Period headings AT&T misprinted, with the period the column holds and why (sha256 prefix, page, heading).
CORRECTIONS = {
    ("3472a329be85", 3, "Jan. – July 2016"): ("Jan. – June 2016", "misprinted 'Jan. – July 2016'; the column "
                                              "is the first half of 2016, as the other tables of this report say"),
    ("b8ac89b52cd8", 4, "Jan. – June 2014"): ("Jan. – June 2015", "misprinted 'Jan. – June 2014' beside "
                                              "'July – Dec. 2014'; the figures are the first half of 2015 "
                                              "(AT&T's next report reprints them under 'Jan. – June 2015')"),
}
# Page furniture, notes printed inside tables, and a stray drop-cap letter under the 2018 international tables.
# Tables left unread, with why: (sha256 prefix, title key).
UNREAD = {
    # July 2014: the figures stand in a staircase, one column per indent level, and the search-warrant total is
    # printed on the pen-register line; no column rule says which row a figure is. AT&T's January 2015 report
    # reprints the same half-year (Jan - June 2014) in an ordinary table, which is read.
    ("3e9284eea9e2", "totaluscriminal&civillitigationdemands"),
}
SKIP = re.compile(r"AT&T Intellectual Property|^\d+ AT&T Inc\.|^\(Breakout detail|^Mexico Demands\)$|^\(Includes judicial|^[A-Z]$|"
                  r"^\d? ?(See Section 604|The USA Freedom Act and|The Department of Justice imposes)")
IN_ORDER = ("on this page the figures drift away from their labels; each was matched to its row by reading order "
            "(every row has exactly one figure per column)")
AFTER_TABLES = re.compile(r"(?i)^additional resources$")  # the heading after the last table
# The July 2014 report prints its US tables without column headings; its introduction names the period.
REPORT_PERIOD = re.compile(r"from (Jan\. 1, \d{4}) through (June 30, \d{4})")


PARTS = {r.id: r.parts for table in TABLES.values() for r in table if r.parts}
HEADINGS = {label_key(x) for table in TABLES.values() for r in table if r.id is None for x in r.labels}


def _heading(label: str) -> bool:
    """A row printed without figures: a declared heading, or a country over its rows."""
    return re.sub(r"(?<=[a-z])\d$", "", label_key(label)) in HEADINGS or _country(label) is not None


def _country(label: str) -> str | None:
    name = re.sub(r"\d+$", "", label).strip()
    return COUNTRY_ALIASES.get(name) or country_iso2(name)


def _rows(doc: Document, title: str, rows: list[BlockRow], declared: tuple[Row, ...]) -> list[tuple[BlockRow, Row,
                                                                                                    str]]:
    """Each printed row with its declaration, in order (labels repeat, so order decides), and its country."""
    out: list[tuple[BlockRow, Row, str]] = []
    grouped = any(d.id == "subscriber" for d in declared)
    i, country = 0, ""
    for br in rows:
        if grouped and not br.cells and _country(br.label):
            country = br.label
            continue
        key = label_key(br.label)
        hits = [d for d in (declared if country else declared[i:]) if key in {label_key(x) for x in d.labels}]
        if not hits:
            raise ParseError(doc, f"page {br.page}: row {br.label!r} of {title!r} is not where the layout has it")
        row = hits[0]
        i = declared.index(row) + 1
        if row.id is None and br.cells:
            raise ParseError(doc, f"page {br.page}: heading {br.label!r} of {title!r} carries figures")
        if row.id is not None:
            out.append((br, row, country))
    return out


def _continues(line: Line) -> bool:
    """The international table goes on over the page when the page starts with its headings, a country or one
    of its rows."""
    first = next((strip_bullet(s.text) for s in line.segments if strip_bullet(s.text)), "")
    return all(is_period(s.text) for s in line.segments) or _heading(first) or label_key(first) in {
        label_key(x) for r in COUNTRY_ROWS for x in r.labels}


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    # The international table, the last one, runs over pages that repeat no title: all pages after it are read.
    picked = pick_pages(texts, *([t] for t in TABLES))
    international = pick_pages(texts, ["International Demands"])
    pages = sorted(set(picked) | set(range(international[0], len(texts) + 1) if international else ()))
    lines = page_lines(doc, pages)
    prose = REPORT_PERIOD.search(" ".join(" ".join(texts[:3]).split()))
    named = f"{prose[1]} – {prose[2]}" if prose else ""
    default = Column(named, read_period(named), 0.0, 10_000.0, 0) if prose else None
    facts: list[Fact] = []
    for title, block in split_blocks(doc, lines, list(TABLES), SKIP, ("International Demands",), _continues,
                                     lambda line: is_prose(line) or bool(AFTER_TABLES.match(line.text))):
        if (doc.sha256[:12], label_key(title)) in UNREAD:
            continue
        declared = TABLES[next(t for t in TABLES if label_key(t) == label_key(title))]
        labels = [x for d in declared for x in d.labels]
        for br, row, country in _rows(doc, title, block_rows(doc, title, block, labels, default, _heading),
                                      declared):
            for col, seg in br.cells:
                note, heading = (IN_ORDER if br.in_order else ""), col.raw
                fix = CORRECTIONS.get((doc.sha256[:12], col.page, col.raw))
                if fix:
                    heading = fix[0]
                period = read_period(heading)
                # US tables are US-only; the international totals of 2014-2015 name no country.
                code = _country(country) if country else (None if row.id in INTL_TOTAL_IDS else "US")
                facts.append(figure(
                    doc, period=period, country_raw=country, country_code_hint=code, request_type=row.type,
                    request_type_raw=row.raw, metric=row.metric, unit=row.unit, kind=row.kind,
                    raw=seg.text,
                    locator=Locator(page=br.page, table=None, row=None, column=col.raw, bbox=seg.bbox),
                    is_total=bool(row.parts), note="; ".join(n for n in (note, fix[1] if fix else "") if n),
                    extra={"table": title, "row": row.id or "", "label": br.label}))
    return facts
