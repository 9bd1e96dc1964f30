"""AT&T's Transparency Report (PDF, 2014-2021): "label  figure" tables under orange titles, a column per half-year.

An edition covers the previous half-year and reprints the one before; national-security figures lag six months
more, under their own column headings. Every figure keeps the period printed above it.
"""

from __future__ import annotations

import re

from parsers.facts import Document, Fact, Kind, RequestType, Unit
from parsers.formats.pdf_blocks import (
    Column,
    Line,
    RowSpec,
    block_rows,
    heading,
    is_period,
    is_prose,
    label_key,
    match_rows,
    page_lines,
    read_period,
    row_facts,
    row_labels,
    split_blocks,
    strip_bullet,
)
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.countries import country_iso2

SERIES = (("att", "transparency-report"),)

T, R, A, S = RequestType, Unit.REQUESTS, Unit.ACCOUNTS, Unit.SELECTORS
NS, CR = Kind.NATIONAL_SECURITY, Kind.CONTENT_REMOVAL


def _ns(id: str, labels: tuple[str, ...], raw: str, metric: str = "requests", unit: Unit = R) -> RowSpec:
    return RowSpec(id, labels, T.NATIONAL_SECURITY, raw, metric, unit, NS)


_ACC, _SEL = ("Customer Accounts",), ("Customer Selectors Targeted",)
NATIONAL_SECURITY = (  # 2014-2015 count customer accounts, later editions customer selectors
    heading("National Security Letters"), _ns("nsl", ("Total Received",), "National Security Letters"),
    _ns("nsl_accounts", ("Number of Customer Accounts",), "National Security Letters", "accounts_specified", A),
    _ns("nsl_selectors", _SEL, "National Security Letters", "selectors_targeted", S),
    heading("Foreign Intelligence Surveillance Act"), _ns("fisa_content", ("Total Content",), "FISA content"),
    _ns("fisa_content_accounts", _ACC, "FISA content", "accounts_specified", A),
    _ns("fisa_content_selectors", _SEL, "FISA content", "selectors_targeted", S),
    _ns("fisa_noncontent", ("Total Non-Content",), "FISA non-content"),
    _ns("fisa_noncontent_accounts", _ACC, "FISA non-content", "accounts_specified", A),
    _ns("fisa_noncontent_selectors", _SEL, "FISA non-content", "selectors_targeted", S),
)
SW = "Search Warrants / Probable Cause Court Orders"
CRIMINAL_CIVIL = (
    RowSpec("total", ("Total Demands (Federal, State and Local; Criminal and Civil)",), T.LEGAL_PROCESS,
            "Total Demands", parts=("subpoenas", "court_orders", "sw_historic", "sw_realtime")),
    RowSpec("subpoenas", ("Subpoenas",), T.SUBPOENA, "Subpoenas", parts=("criminal", "civil")),
    RowSpec("criminal", ("Criminal",), T.SUBPOENA, "Subpoenas / Criminal"),
    RowSpec("civil", ("Civil",), T.CIVIL, "Subpoenas / Civil"),
    RowSpec("court_orders", ("Court Orders (General)",), T.COURT_ORDER, "Court Orders (General)",
            parts=("co_historic", "co_realtime")),
    RowSpec("co_historic", ("Historic",), T.COURT_ORDER, "Court Orders (General) / Historic"),
    RowSpec("co_realtime", ("Real-Time (Pen registers)",), T.COURT_ORDER, "Court Orders (General) / Real-Time"),
    heading(SW),
    RowSpec("sw_historic", ("Historic",), T.SEARCH_WARRANT, f"{SW} / Historic", parts=("stored", "other")),
    RowSpec("stored", ("Stored Content",), T.SEARCH_WARRANT, f"{SW} / Historic / Stored Content"),
    RowSpec("other", ("Other", "All Others"), T.SEARCH_WARRANT, f"{SW} / Historic / Other"),
    RowSpec("sw_realtime", ("Real-Time",), T.SEARCH_WARRANT, f"{SW} / Real-Time", parts=("wiretaps", "locate")),
    RowSpec("wiretaps", ("Wiretaps",), T.SEARCH_WARRANT, f"{SW} / Real-Time / Wiretaps"),
    RowSpec("locate", ("Mobile Locate Demands",), T.SEARCH_WARRANT, f"{SW} / Real-Time / Mobile Locate Demands"),
)
_REJ = "Demands Rejected/Partial or No Data Provided"


def _rejected(prefix: str, total: tuple[str, ...]) -> tuple[RowSpec, ...]:
    return (RowSpec(f"{prefix}rejected_total", total, T.LEGAL_PROCESS, _REJ, "requests_rejected_partial_or_no_data",
                    parts=(f"{prefix}rejected", f"{prefix}partial")),
            RowSpec(f"{prefix}rejected", ("Rejected/Challenged",), T.LEGAL_PROCESS, "Rejected/Challenged",
                    "requests_rejected"),
            RowSpec(f"{prefix}partial", ("Partial or No Information",), T.LEGAL_PROCESS, "Partial or No Information",
                    "requests_partial_or_no_data"))


def _plain(rows: tuple[tuple[str, tuple[str, ...]], ...], rtype: RequestType, raw: str) -> tuple[RowSpec, ...]:
    """A "Total" row over its parts, all of one request type."""
    (total_id, total_labels), parts = rows[0], rows[1:]
    return (RowSpec(total_id, total_labels, rtype, raw, parts=tuple(p for p, _ in parts)),
            *(RowSpec(p, labels, rtype, f"{raw} / {labels[0]}") for p, labels in parts))


LOCATION = _plain((("location", ("Total",)), ("loc_historic", ("Historic", "Historical")),
                   ("loc_realtime", ("Real-Time",)), ("cell_tower", ("Cell Tower", "Cell Tower Searches"))),
                  T.LEGAL_PROCESS, "Location Demands")
EMERGENCY = _plain((("emergency", ("Total",)), ("e911", ("911",)), ("exigent", ("Exigent",))), T.EMERGENCY,
                   "Emergency Requests")
INTERNATIONAL_TOTALS = (  # 2014-2015 print one total for all countries
    RowSpec("intl", ("Total Demands",), T.ALL, "International Demands", parts=("intl_le", "intl_blocking")),
    RowSpec("intl_le", ("Law Enforcement",), T.LEGAL_PROCESS, "International Demands / Law Enforcement"),
    RowSpec("intl_blocking", ("URL/IP Blocking",), T.CONTENT_REMOVAL, "International Demands / URL/IP Blocking",
            kind=CR))
COUNTRY_ROWS = (  # later editions: rows under each country, Mexico with its own breakdown
    heading("Total International Demands"),
    RowSpec("subscriber", ("Subscriber Information", "Historic", "Historic: Subscriber Information"),
            T.LEGAL_PROCESS, "Historic: Subscriber Information"),
    RowSpec("blocking", ("IP Blocking", "IP/URL Blocking"), T.CONTENT_REMOVAL, "IP/URL Blocking", kind=CR),
    RowSpec("mx_historic", ("Historic: Subscriber Information / Call Detail Records",
                            "Historic: Subscriber Information and Call Detail Records"), T.LEGAL_PROCESS,
            "Historic: Subscriber Information / Call Detail Records"),
    RowSpec("mx_cell_site", ("Location Information (Cell Site)",), T.LEGAL_PROCESS, "Location Information (Cell Site)"),
    RowSpec("mx_realtime", ("Real-Time",), T.LEGAL_PROCESS, "Real-Time", parts=("mx_pen", "mx_precise")),
    RowSpec("mx_pen", ("Pen Registers / Wiretaps / Cell Site", "Wiretaps"), T.LEGAL_PROCESS, "Real-Time / Wiretaps"),
    RowSpec("mx_precise", ("Location Information (Precise)",), T.LEGAL_PROCESS, "Real-Time / Location (Precise)"),
    *_rejected("mx_", (_REJ,)))
TABLES = {
    "National Security Demands": NATIONAL_SECURITY, "Total U.S. Criminal & Civil Demands": CRIMINAL_CIVIL,
    "Total U.S. Criminal & Civil Litigation Demands": CRIMINAL_CIVIL, _REJ: _rejected("", ("Total",)),
    "Location Demands": LOCATION, "Emergency Requests": EMERGENCY,
    "International Demands": INTERNATIONAL_TOTALS + COUNTRY_ROWS,
}
PARTS = {r.id: r.parts for table in TABLES.values() for r in table if r.parts}
COUNTRY_ALIASES = {"Columbia": "CO"}  # the July 2015 report misspells Colombia
# Column headings AT&T misprinted: (sha256 prefix, page, heading) -> (heading meant, why).
CORRECTIONS = {
    ("3472a329be85", 3, "Jan. – July 2016"): ("Jan. – June 2016", "the column is the first half of 2016, as "
                                              "every other table of this report says"),
    ("b8ac89b52cd8", 4, "Jan. – June 2014"): ("Jan. – June 2015", "beside 'July – Dec. 2014' the column is the "
                                              "first half of 2015; AT&T's next report reprints these figures "
                                              "under 'Jan. – June 2015'"),
}
# Tables left unread, with why: (sha256 prefix, title key).
UNREAD = {
    # July 2014: the figures stand in a staircase, one column per indent level, with the search-warrant total
    # on the pen-register line; nothing on the page says which row a figure is. AT&T's January 2015 report
    # reprints the same half-year (Jan - June 2014) in an ordinary table, which is read.
    ("3e9284eea9e2", "totaluscriminal&civillitigationdemands"),
}
# Page furniture, notes inside tables, footnotes under them, and a stray drop-cap letter (2018).
SKIP = re.compile(r"AT&T Intellectual Property|^\d+ AT&T Inc\.|^\(Breakout detail|^Mexico Demands\)$|"
                  r"^\(Includes judicial|^[A-Z]$|^\d? ?(See Section 604|The USA Freedom Act and|"
                  r"The Department of Justice imposes)")
AFTER_TABLES = re.compile(r"(?i)^additional resources$")  # the heading after the last table
# The July 2014 report prints its tables without column headings; its introduction names the period.
REPORT_PERIOD = re.compile(r"from (Jan\. 1, \d{4}) through (June 30, \d{4})")
_HEADINGS = {label_key(x) for table in TABLES.values() for r in table if r.id is None for x in r.labels}
_COUNTRY_ROW_LABELS = {label_key(x) for x in row_labels(COUNTRY_ROWS)}


def _country(label: str) -> str | None:
    name = re.sub(r"\d+$", "", label).strip()  # "Turkey3": a footnote mark printed inline
    return COUNTRY_ALIASES.get(name) or country_iso2(name)


def _heading(label: str) -> bool:
    """A row printed without figures: a declared heading, or a country over its rows."""
    return re.sub(r"(?<=[a-z])\d$", "", label_key(label)) in _HEADINGS or _country(label) is not None


def _continues(line: Line) -> bool:
    """The international table goes on over the page if the page starts with its headings, a country or a row."""
    first = next((strip_bullet(s.text) for s in line.segments if strip_bullet(s.text)), "")
    return all(is_period(s.text) for s in line.segments) or _heading(first) or label_key(first) in (
        _COUNTRY_ROW_LABELS)


def _where(country: str, spec: RowSpec) -> tuple[str, str | None]:
    """US tables are US-only; the international totals of 2014-2015 name no country."""
    if country:
        return country, _country(country)
    return "", None if spec in INTERNATIONAL_TOTALS else "US"


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    # The international table, the last one, runs over pages that repeat no title: all pages after it are read.
    international = pick_pages(texts, ["International Demands"])
    pages = sorted(set(pick_pages(texts, *([t] for t in TABLES))) | set(
        range(international[0], len(texts) + 1) if international else ()))
    prose = REPORT_PERIOD.search(" ".join(" ".join(texts[:3]).split()))
    named = f"{prose[1]} – {prose[2]}" if prose else ""
    default = Column(named, read_period(named), 0.0, 10_000.0, 0) if prose else None
    facts: list[Fact] = []
    for title, block in split_blocks(doc, page_lines(doc, pages), list(TABLES), SKIP, ("International Demands",),
                                     _continues, lambda line: is_prose(line) or bool(AFTER_TABLES.match(line.text))):
        if (doc.sha256[:12], label_key(title)) in UNREAD:
            continue
        declared = TABLES[next(t for t in TABLES if label_key(t) == label_key(title))]
        rows = block_rows(doc, title, block, row_labels(declared), default, _heading)
        grouped = declared[-1] is COUNTRY_ROWS[-1]
        matched = match_rows(doc, title, rows, declared, _country if grouped else None)
        facts += row_facts(doc, matched, country=_where, corrections=CORRECTIONS)
    return facts
