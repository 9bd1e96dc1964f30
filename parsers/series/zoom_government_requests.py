"""Zoom's government requests workbook: one sheet per half-year ("2021 - Q1 Q2"), one row per month, requester,
request type and outcome, with Zoom's own count (REPORT_COUNT). An unknown sheet is refused, naming it.

Period rule: a row's figure is for its REPORT_MONTH (a month's last day), the month as printed. Zoom's grouping
(DATE_GROUP, the sheet) is kept in `extra`. One month before the half-year is accepted with a note (the
2021 - Q1/Q2 sheet holds rows of 2020-12-31); any other month outside the sheet's half-year is refused.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.csv_report import require_known
from parsers.formats.figures import figure
from parsers.formats.spreadsheet import Sheet, number, read_workbook
from parsers.formats.tabular import Column, Layout, recognise
from parsers.normalise.periods import half_year, month_end

SERIES = (("zoom", "government-requests"),)

T = RequestType
REQUESTS = Layout("one row per month, requester, request type and outcome", tuple(Column(c, (c,)) for c in (
    "REPORT_MONTH", "DATE_GROUP", "REPORTER_COUNTRY_FINAL", "US_GROUP", "COMBINED_DESCRIPTION",
    "ACTION_TAKEN_DESCRIPTION", "REPORT_COUNT")))
LAYOUTS = (REQUESTS,)
SHEET = re.compile(r"^(?P<y>\d{4}) - (?P<q>Q1 Q2|Q3 Q4)$")  # the sheet name: one half-year
DATE_GROUP = re.compile(r"^(?P<y>\d{4}) - (?P<q>Q1/Q2|Q3/Q4)$")
TYPES = {
    "Emergency Request": T.EMERGENCY, "Intl Request - Emergency Request": T.EMERGENCY,
    "Intl Request - Non-Content": T.LEGAL_PROCESS, "Intl Request - Preservation Request": T.PRESERVATION,
    "MLAT/CLOUD": T.DIPLOMATIC, "Order (U.S) Only": T.COURT_ORDER, "Preservation Request": T.PRESERVATION,
    "Search Warrant": T.SEARCH_WARRANT, "Subpoena": T.SUBPOENA,
    "Withhold Access Request": T.CONTENT_REMOVAL,  # a demand to block content: a removal request
}
OUTCOME = re.compile(r"^(Fulfilled - .+|Rejected - .+|Withdrawn)$")
US_GROUPS = {"U.S.": True, "Non-U.S.": False}
US_REQUESTERS = {"US Federal": "US", "US State and Local": "US"}  # requesters Zoom names instead of a country
EARLY = ("REPORT_MONTH {month} lies before the half-year in which Zoom's DATE_GROUP and sheet put this row "
         "({group}); the figure keeps its own month, Zoom's grouping is in extra")


def parse(doc: Document) -> list[Fact]:
    book = read_workbook(doc)
    facts: list[Fact] = []
    for sheet in book.sheets:
        m = SHEET.match(sheet.name.strip())
        if not m:
            raise UnknownLayout(doc, f"unknown sheet {sheet.name!r}: sheets are named by half-year "
                                     f"('2021 - Q1 Q2'); the workbook has {book.names}")
        facts += _sheet(doc, sheet, half_year(int(m["y"]), 1 if m["q"] == "Q1 Q2" else 2))
    return facts


def _sheet(doc: Document, sheet: Sheet, half: tuple[dt.date, dt.date]) -> list[Fact]:
    header = [sheet.text(1, c) for c in range(1, sheet.max_column + 1)]
    _, col = recognise(doc, header, (REQUESTS,), f"sheet {sheet.name}")
    pos = {name: i + 1 for name, i in col.items()}
    facts: list[Fact] = []
    for r in range(2, sheet.max_row + 1):
        text = {name: sheet.text(r, c) for name, c in pos.items()}
        if not any(text.values()):
            continue
        where = f"sheet={sheet.name};row={r}"
        group = DATE_GROUP.match(text["DATE_GROUP"])
        if not group or (int(group["y"]), group["q"] == "Q1/Q2") != (half[0].year, half[0].month == 1):
            raise UnknownLayout(doc, f"{where}: DATE_GROUP {text['DATE_GROUP']!r} is not the sheet's half-year")
        period, note = _month(doc, sheet.value(r, pos["REPORT_MONTH"]), half, text["DATE_GROUP"], where)
        rtype = require_known(doc, text["COMBINED_DESCRIPTION"], TYPES, "request type", where)
        if not OUTCOME.match(text["ACTION_TAKEN_DESCRIPTION"]):
            raise UnknownLayout(doc, f"{where}: unknown outcome {text['ACTION_TAKEN_DESCRIPTION']!r}")
        country = text["REPORTER_COUNTRY_FINAL"]
        is_us = require_known(doc, text["US_GROUP"], US_GROUPS, "US_GROUP", where)
        if is_us != (country in US_REQUESTERS):
            raise UnknownLayout(doc, f"{where}: US_GROUP {text['US_GROUP']!r} beside requester {country!r}")
        c = pos["REPORT_COUNT"]
        facts.append(figure(
            doc, period=period, country_raw=country, country_code_hint=US_REQUESTERS.get(country),
            request_type=rtype, request_type_raw=text["COMBINED_DESCRIPTION"], metric="requests",
            unit=Unit.REQUESTS, raw=number(doc, sheet, r, c), locator=sheet.locator(r, c, "REPORT_COUNT"),
            kind=Kind.CONTENT_REMOVAL if rtype is T.CONTENT_REMOVAL else Kind.USER_DATA, note=note,
            extra={"outcome": text["ACTION_TAKEN_DESCRIPTION"], "date_group": text["DATE_GROUP"],
                   "us_group": text["US_GROUP"]},
        ))
    return facts


def _month(doc: Document, value: object, half: tuple[dt.date, dt.date], group: str,
           where: str) -> tuple[tuple[dt.date, dt.date], str]:
    """REPORT_MONTH (a month's last day, stored as a date) -> that month, and a note when it is the month
    before the half-year."""
    if not isinstance(value, dt.datetime) or value.time() != dt.time() or \
            value.date() != month_end(value.year, value.month):
        raise ParseError(doc, f"{where}: REPORT_MONTH {value!r} is not the last day of a month")
    end = value.date()
    start = end.replace(day=1)
    if half[0] <= start <= half[1]:
        return (start, end), ""
    if end == half[0] - dt.timedelta(days=1):
        return (start, end), EARLY.format(month=end.isoformat(), group=group)
    raise UnknownLayout(doc, f"{where}: REPORT_MONTH {end} is outside the sheet's half-year {half[0]} - {half[1]}")
