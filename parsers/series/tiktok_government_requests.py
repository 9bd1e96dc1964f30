"""TikTok's law-enforcement and government-requests workbook (the 2021 H1 release, with history back to 2019 H1).

Sheets: "Information" (global legal and emergency user-data requests per half-year, dated by the period's last
day), "Information Map" (the latest half-year by country: the workbook does not print its period, so it is taken
from the file name, `TikTok-LIPGR-2021H1`, and checked against the last date of "Information"), "Government" and
"Government Map" (government content-removal requests, the same way), and "IP 1"-"IP 4" (copyright and trademark
notices from rights holders over irregular windows: not government requests, recognised and not loaded).
Percentages are stored as fractions of 1 and converted to 0-100 (noted on each fact).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.declarations import Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.table import sheet_table
from parsers.normalise.periods import half_year, half_year_ending

SERIES = (("tiktok", "law-enforcement-and-government-requests"),)

T, R, A, P, N = RequestType, Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT, Unit.ITEMS
CR = Kind.CONTENT_REMOVAL
FILE_HALF = re.compile(r"(\d{4})\s*[-_ ]?\s*H([12])", re.IGNORECASE)


def _dated(doc: Document, row: Row) -> Period:
    """History rows are dated by the last day of their half-year (a date cell)."""
    stamp = row.cell("date").value  # type: ignore[union-attr]
    if not isinstance(stamp, (dt.date, dt.datetime)):
        raise ParseError(doc, f"sheet={row.table.where.sheet};row={row.number}: date cell {stamp!r} is not a date")
    return half_year_ending((stamp.date() if isinstance(stamp, dt.datetime) else stamp).isoformat())


def _latest(doc: Document, row: Row | None = None) -> Period:
    """The country sheets print no period: the file name's half-year (checked against the history sheets)."""
    m = FILE_HALF.search(doc.url.rsplit("/", 1)[-1])
    if m is None:
        raise ParseError(doc, "the file name does not name the half-year of the country sheets")
    return half_year(int(m[1]), int(m[2]))


DATE = (Key("date", "Date", "period"),)
TABLES = (
    KnownTable("Information", DATE, (Measure("Total Legal Requests", "requests", R, T.LEGAL_PROCESS, is_total=True),
                                     Measure("Total Emergency Requests", "requests", R, T.EMERGENCY, is_total=True)),
               period=_dated),
    KnownTable("Information Map", (Key("country", "Country", "country", filled=True),), (
        Measure("Legal Request", "requests", R, T.LEGAL_PROCESS), Measure("Emergency Request", "requests", R, T.EMERGENCY),
        Measure("Total Requests", "requests", R, T.ALL, is_total=True),
        Measure("Total Accounts Specified", "accounts_specified", A, T.ALL),
        Measure("Percentage of Legal Requests Where Some Data Was Produced", "percent_some_data_produced", P,
                T.LEGAL_PROCESS, fraction=True),
        Measure("Percentage of Emergency Requests Where Some Data Was Produced", "percent_some_data_produced", P,
                T.EMERGENCY, fraction=True)), period=_latest, required=True),
    KnownTable("Government", DATE, (Measure("Total Government Requests", "requests", R, T.CONTENT_REMOVAL, kind=CR,
                                            is_total=True),), period=_dated),
    KnownTable("Government Map", (Key("country", "Country/Market", "country", filled=True),), tuple(
        Measure(h, metric, unit, T.CONTENT_REMOVAL, kind=CR, is_total=total, fraction=unit is P)
        for h, metric, unit, total in (
            ("Total Requests Received", "requests", R, False), ("Total Content Received", "items_requested", N, True),
            ("Content Actioned due to Community Guidelines Violations", "items_removed_community_guidelines", N, False),
            ("Content Actioned due to (local) Law Violations", "items_restricted_local_law", N, False),
            ("Content Not Actioned", "items_not_actioned", N, False),
            ("Total Accounts Received", "accounts_specified", A, True),
            ("Accounts Actioned due to Community Guidelines Violations", "accounts_actioned_community_guidelines", A,
             False),
            ("Accounts Actioned due to (local) Law Violations", "accounts_actioned_local_law", A, False),
            ("Accounts Not Actioned", "accounts_not_actioned", A, False), ("Removal Rate", "percent_removed", P, False))),
        period=_latest, required=True),
    KnownTable("ip-notices", (Key("country", "Country/Region"), Key("range", "Date Range")), (), ignored=(
        "Total Copyright Take-down Reports", "Total Trademark Take-down Reports",
        *(f"{s} {k} Take-down Reports" for s in ("Succesful", "Successful") for k in ("Copyright", "Trademark")),
        "Percentage of Successful Reports"), facts=False,
        description="rights holders' notices: not government requests, no facts"),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    book = read_workbook(doc)
    latest = _latest(doc)
    # A sheet without a single number (a notes sheet) holds no figures; every other sheet is a table.
    tables = [sheet_table(s, 1, range(1, s.max_column + 1)) for s in book.sheets
              if any(isinstance(c.value, (int, float)) for c in s.cells.values())]
    reading = interpret(doc, TABLES, tables)
    for sheet in ("Information", "Government"):
        ends = [f.period_end for f in reading.facts if f.locator.sheet == sheet]
        if ends and max(ends) != latest[1]:
            raise ParseError(doc, f"sheet={sheet}: its last half-year is not the file's ({latest[0]}..{latest[1]})")
    return reading


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
