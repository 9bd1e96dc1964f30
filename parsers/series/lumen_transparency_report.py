"""Lumen's half-yearly U.S. Transparency Report (PDF, since 2021 H1): one small table of U.S. criminal demands by
type, emergency requests, and NSLs and FISA orders together as one band (`0-249`).

Each part of the table prints its own period ("U.S. Emergency Requests: January 1, 2021 - June 30, 2021"); every
figure takes the period printed over it, and all of them must be the half-year the report's title names. The
report counts demands received in the period and prints no total.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, interpret, strict
from parsers.formats.pdf_label_values import BlockSpec, block_table, read_blocks, read_lines, recognise_layout
from parsers.formats.pdf_tables import page_texts, pick_pages

SERIES = (("lumen", "transparency-report"),)

T, R = RequestType, Unit.REQUESTS
FIGURE = "(no header printed)"
US_ONLY = "U.S. government demands only, as the report says"
COURT = "Court Orders/Warrants"  # a heading over the rows below it: their label is "heading / row"
COURT_ROWS = {"Pen Register/Trap & Trace": T.COURT_ORDER, "Wiretaps": T.COURT_ORDER,
              "Content Warrants": T.SEARCH_WARRANT, "Non-Content Warrants": T.SEARCH_WARRANT}
NATIONAL_SECURITY = "U.S. National Security Letters & FISA Orders"  # a heading that prints its own period
EMERGENCY = r"U\.S\. Emergency Requests: ?(?P<period>.+\d{4})"  # a row whose label prints its own period
LABEL = Key("label", "label", "request_type", patterns=True, values={
    "Subpoenas": As(T.SUBPOENA),
    **{re.escape(f"{COURT} / {row}"): As(rtype) for row, rtype in COURT_ROWS.items()},
    EMERGENCY: As(T.EMERGENCY),
    re.escape(f"{NATIONAL_SECURITY} / Combined Number of Requests"): As(
        T.NATIONAL_SECURITY, kind=Kind.NATIONAL_SECURITY,
        measure=Measure(FIGURE, "requests", R, note=f"NSLs and FISA orders together; {US_ONLY}")),
})
TABLES = (KnownTable("us-demands", (LABEL, Key("period", "period", "period")), (
    Measure(FIGURE, "requests", R, note=US_ONLY),), where="us-demands", required=True, new_rows_quarantined=True),)
DEMANDS = BlockSpec(
    "us-demands", start=r"U\.S\. Criminal Demands:.*", header=r"U\.S\. Criminal Demands: ?(?P<period>.+\d{4})",
    columns=(FIGURE,), end=r"Types of Demands Received.*",
    labels=(*LABEL.values, *map(re.escape, COURT_ROWS), "Combined Number of Requests"),
    groups={re.escape(COURT): "|".join(map(re.escape, COURT_ROWS)),
            re.escape(NATIONAL_SECURITY) + r": ?(?P<period>.+\d{4})": "Combined Number of Requests"})
LAYOUTS = {"2021h1": ("us-demands",)}
IGNORED_LINES = (r"Page \d+",)
_TITLE = re.compile(r"U\.S\. Transparency Report\s+(?P<period>[A-Z][a-z]+ \d{1,2}, \d{4}\s*[-–]\s*[A-Z][a-z]+ \d{1,2}, "
                    r"\d{4})")
_RANGE = re.compile(r"(?P<m1>[A-Z][a-z]+) (?P<d1>\d{1,2}), (?P<y1>\d{4}) ?[-–] ?(?P<m2>[A-Z][a-z]+) (?P<d2>\d{1,2}), "
                    r"(?P<y2>\d{4})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def printed_period(doc: Document, text: str) -> tuple[dt.date, dt.date]:
    """'January 1, 2021 - June 30, 2021' (any dash, with or without spaces) as dates."""
    m = _RANGE.fullmatch(" ".join(text.split()))
    if m is None or m["m1"] not in _MONTHS or m["m2"] not in _MONTHS:
        raise UnknownLayout(doc, f"period {text!r} is not 'Month D, YYYY - Month D, YYYY'")
    return (dt.date(int(m["y1"]), _MONTHS.index(m["m1"]) + 1, int(m["d1"])),
            dt.date(int(m["y2"]), _MONTHS.index(m["m2"]) + 1, int(m["d2"])))


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    title = _TITLE.search(" ".join(texts[0].split())) if texts else None
    if title is None:
        raise UnknownLayout(doc, "page 1 does not name the report's period under 'U.S. Transparency Report'")
    report_period = printed_period(doc, title["period"])

    def period(doc: Document, row: Row) -> tuple[dt.date, dt.date]:
        """The period printed over the figure: its heading's, its label's own, else the table's."""
        own = re.fullmatch(EMERGENCY, row.get("label"))
        text = row.get("period") or (own["period"] if own else row.table.title)
        if printed_period(doc, text) != report_period:
            raise UnknownLayout(doc, f"page={row.table.where.page}: {row.get('label')!r} is printed for {text!r}, "
                                     f"not the report's period {title['period']!r}")
        return report_period

    blocks = read_blocks(read_lines(doc, pick_pages(texts, ["U.S. Criminal Demands"])), (DEMANDS,), IGNORED_LINES)
    tables = [block_table(b) for b in blocks]
    recognise_layout(doc, tables, LAYOUTS)
    return interpret(doc, TABLES, tables, period=period)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
