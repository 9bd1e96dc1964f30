"""AT&T's Transparency Report (PDF, 2014-2021): "label  figure" tables under orange titles, a column per half-year.

An edition covers the previous half-year and reprints the one before; national-security figures lag six months
more, under their own column headings. Every figure keeps the period printed above it.
"""

from __future__ import annotations

import re

from parsers.facts import Document, Fact
from parsers.formats import pdf_block_reading as drift
from parsers.formats import pdf_block_tables as blocks
from parsers.formats import pdf_blocks as pdf
from parsers.formats.interpreter import Reading, strict
from parsers.formats.pdf_blocks import declare_rows, label_key
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.countries import country_iso2

SERIES = (("att", "transparency-report"),)

# id | labels (spellings split by "~") | request type | request_type_raw | parts | metric | unit | kind
NATIONAL_SECURITY = declare_rows("""
-                        | National Security Letters
nsl                      | Total Received              | | National Security Letters
nsl_accounts             | Number of Customer Accounts | | National Security Letters | | accounts_specified | accounts
nsl_selectors            | Customer Selectors Targeted | | National Security Letters | | selectors_targeted | selectors
-                        | Foreign Intelligence Surveillance Act
fisa_content             | Total Content               | | FISA content
fisa_content_accounts    | Customer Accounts           | | FISA content              | | accounts_specified | accounts
fisa_content_selectors   | Customer Selectors Targeted | | FISA content              | | selectors_targeted | selectors
fisa_noncontent          | Total Non-Content           | | FISA non-content
fisa_noncontent_accounts | Customer Accounts           | | FISA non-content          | | accounts_specified | accounts
fisa_noncontent_selectors| Customer Selectors Targeted | | FISA non-content          | | selectors_targeted | selectors
""", type="national_security", kind="national-security")  # accounts until 2015, then selectors
_SW = "Search Warrants / Probable Cause Court Orders"
CRIMINAL_CIVIL = declare_rows(f"""
total        | Total Demands (Federal, State and Local; Criminal and Civil) | legal_process | Total Demands
             | subpoenas court_orders sw_historic sw_realtime
subpoenas    | Subpoenas               | subpoena       | Subpoenas                         | criminal civil
criminal     | Criminal                | subpoena       | Subpoenas / Criminal
civil        | Civil                   | civil          | Subpoenas / Civil
court_orders | Court Orders (General)  | court_order    | Court Orders (General)            | co_historic co_realtime
co_historic  | Historic                | court_order    | Court Orders (General) / Historic
co_realtime  | Real-Time (Pen registers) | court_order  | Court Orders (General) / Real-Time
-            | {_SW}
sw_historic  | Historic                | search_warrant | {_SW} / Historic                  | stored other
stored       | Stored Content          | search_warrant | {_SW} / Historic / Stored Content
other        | Other ~ All Others       | search_warrant | {_SW} / Historic / Other
sw_realtime  | Real-Time               | search_warrant | {_SW} / Real-Time                 | wiretaps locate
wiretaps     | Wiretaps                | search_warrant | {_SW} / Real-Time / Wiretaps
locate       | Mobile Locate Demands   | search_warrant | {_SW} / Real-Time / Mobile Locate Demands
""")
_REJECTED = """
{p}rejected_total | {total}                   | | Demands Rejected/Partial or No Data Provided | {p}rejected {p}partial
                  | requests_rejected_partial_or_no_data
{p}rejected       | Rejected/Challenged       | | Rejected/Challenged       | | requests_rejected
{p}partial        | Partial or No Information | | Partial or No Information | | requests_partial_or_no_data
"""
LOCATION = declare_rows("""
location     | Total                          | | Location Demands             | loc_historic loc_realtime cell_tower
loc_historic | Historic ~ Historical           | | Location Demands / Historic
loc_realtime | Real-Time                      | | Location Demands / Real-Time
cell_tower   | Cell Tower ~ Cell Tower Searches | | Location Demands / Cell Tower
""")
EMERGENCY = declare_rows("""
emergency | Total   | | Emergency Requests | e911 exigent
e911      | 911     | | Emergency Requests / 911
exigent   | Exigent | | Emergency Requests / Exigent
""", type="emergency")
INTERNATIONAL_TOTALS = declare_rows("""
intl          | Total Demands   | all             | International Demands | intl_le intl_blocking
intl_le       | Law Enforcement | legal_process   | International Demands / Law Enforcement
intl_blocking | URL/IP Blocking | content_removal | International Demands / URL/IP Blocking | | | | content-removal
""")  # 2014-2015: one total for all countries
COUNTRY_ROWS = declare_rows("""
-            | Total International Demands
subscriber   | Subscriber Information ~ Historic ~ Historic: Subscriber Information | | Historic: Subscriber Information
blocking     | IP Blocking ~ IP/URL Blocking | content_removal | IP/URL Blocking | | | | content-removal
mx_historic  | Historic: Subscriber Information / Call Detail Records
             ~ Historic: Subscriber Information and Call Detail Records
mx_cell_site | Location Information (Cell Site)
mx_realtime  | Real-Time                    | | Real-Time | mx_pen mx_precise
mx_pen       | Pen Registers / Wiretaps / Cell Site ~ Wiretaps | | Real-Time / Wiretaps
mx_precise   | Location Information (Precise) | | Real-Time / Location (Precise)
""") + declare_rows(_REJECTED.format(p="mx_", total="Demands Rejected/Partial or No Data Provided"))
INTERNATIONAL = "International Demands"
TABLES = {
    "National Security Demands": NATIONAL_SECURITY, "Total U.S. Criminal & Civil Demands": CRIMINAL_CIVIL,
    "Total U.S. Criminal & Civil Litigation Demands": CRIMINAL_CIVIL,
    "Demands Rejected/Partial or No Data Provided": declare_rows(_REJECTED.format(p="", total="Total")),
    "Location Demands": LOCATION, "Emergency Requests": EMERGENCY, INTERNATIONAL: INTERNATIONAL_TOTALS + COUNTRY_ROWS,
}
COUNTRY_ALIASES = {"Columbia": "CO"}  # the July 2015 report misspells Colombia
# Column headings AT&T misprinted: (sha256 prefix, page, heading) -> (heading meant, why).
CORRECTIONS = {("3472a329be85", 3, "Jan. – July 2016"): (
    "Jan. – June 2016", "the column is the first half of 2016, as every other table of this report says"),
    ("b8ac89b52cd8", 4, "Jan. – June 2014"): ("Jan. – June 2015", "beside 'July – Dec. 2014' the column is the first "
                                              "half of 2015; the next report reprints these figures so headed")}
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
# The July 2014 report prints no column headings; its introduction names the period.
REPORT_PERIOD = re.compile(r"from (Jan\. 1, \d{4}) through (June 30, \d{4})")
_HEADINGS = {label_key(x) for table in TABLES.values() for r in table if r.id is None for x in r.labels}


def _country(label: str) -> str | None:
    name = re.sub(r"\d+$", "", label).strip()  # "Turkey3": a footnote mark printed inline
    return COUNTRY_ALIASES.get(name) or country_iso2(name)


def _heading(label: str) -> bool:
    """A row printed without figures: a declared heading, or a country over its rows."""
    return re.sub(r"(?<=[a-z])\d$", "", label_key(label)) in _HEADINGS or _country(label) is not None


# US tables are US-only; international figures are of the country heading over them (2014-15 totals: none).
KNOWN = blocks.known_blocks(TABLES, grouped=INTERNATIONAL, country_aliases=COUNTRY_ALIASES)
_BY_TITLE = {label_key(t): rows for t, rows in TABLES.items()}  # titles are matched as `label_key`s


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    international = pick_pages(texts, [INTERNATIONAL])  # the last table; its pages after the first have no title
    pages = sorted({*pick_pages(texts, *([t] for t in TABLES)), *range((international or [999])[0], len(texts) + 1)})
    named = " – ".join(m.groups()) if (m := REPORT_PERIOD.search(" ".join(" ".join(texts[:3]).split()))) else ""
    default = pdf.Column(named, pdf.read_period(named), 0.0, 10_000.0, 0) if named else None
    split = pdf.split_blocks(doc, pdf.page_lines(doc, pages), list(TABLES), SKIP, (INTERNATIONAL,), pdf.starts_table(
        pdf.row_labels(COUNTRY_ROWS), _heading), lambda x: pdf.is_prose(x) or bool(AFTER_TABLES.match(x.text)),
        outside := [])
    return drift.read_blocks(doc, KNOWN, [blocks.label_block(
        doc, t, b, rows, default=default, heading=_heading, corrections=CORRECTIONS,
        group=_country if rows is TABLES[INTERNATIONAL] else None)
        for t, b in split if (doc.sha256[:12], label_key(t)) not in UNREAD for rows in [_BY_TITLE[label_key(t)]]],
        unread_pages=pdf.pages_unread(texts, pages), outside=outside)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
