"""Zoom's government requests workbook: one sheet per half-year ("2021 - Q1 Q2"), one row per month, requester,
request type and outcome, with Zoom's own count (REPORT_COUNT). A sheet under another name is quarantined.

Period rule: a row's figure is for its REPORT_MONTH (a month's last day), the month as printed. Zoom's grouping
(DATE_GROUP, the sheet) is kept in `extra`. One month before the half-year is accepted with a note (the
2021 - Q1/Q2 sheet holds rows of 2020-12-31); any other month outside the sheet's half-year is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.spreadsheet import read_workbook
from parsers.formats.table import sheet_table
from parsers.normalise.periods import half_year, month_end

SERIES = (("zoom", "government-requests"),)

T = RequestType
SHEET = re.compile(r"^(?P<y>\d{4}) - (?P<q>Q1 Q2|Q3 Q4)$")  # the sheet name: one half-year
DATE_GROUP = re.compile(r"^(?P<y>\d{4}) - (?P<q>Q1/Q2|Q3/Q4)$")
TYPE = Key("type", "COMBINED_DESCRIPTION", "request_type", what="request type", values={
    "Emergency Request": As(T.EMERGENCY), "Intl Request - Emergency Request": As(T.EMERGENCY),
    "Intl Request - Non-Content": As(T.LEGAL_PROCESS), "Intl Request - Preservation Request": As(T.PRESERVATION),
    "MLAT/CLOUD": As(T.DIPLOMATIC), "Order (U.S) Only": As(T.COURT_ORDER), "Preservation Request": As(T.PRESERVATION),
    "Search Warrant": As(T.SEARCH_WARRANT), "Subpoena": As(T.SUBPOENA),
    # a demand to block content: a removal request
    "Withhold Access Request": As(T.CONTENT_REMOVAL, kind=Kind.CONTENT_REMOVAL)})
OUTCOMES = ("Fulfilled - Content", "Fulfilled - Non-Content Only", "Fulfilled - Preservation Request",
            "Fulfilled - Withhold Access Request", "Rejected - Insufficient Basis For Emergency Disclosure",
            "Rejected - Insufficient Information Provided", "Rejected - Invalid Service", "Rejected - Legally Invalid",
            "Rejected - MLAT Or Letters Rogatory Required", "Rejected - No Responsive Data",
            "Rejected - Overly Broad Or Vague", "Rejected - Withhold Access Request Legally Invalid",
            "Rejected - Withhold Access Request Overly Broad Or Vague", "Withdrawn")
# US_GROUP says whether the requester is in the US; Zoom then names a US requester, not a country
US_GROUP = Key("us_group", "US_GROUP", what="US_GROUP", extra="us_group",
               values={"U.S.": As(country_code="US"), "Non-U.S.": As()})
US_REQUESTERS = ("US Federal", "US State and Local")
EARLY = ("REPORT_MONTH {month} lies before the half-year in which Zoom's DATE_GROUP and sheet put this row "
         "({group}); the figure keeps its own month, Zoom's grouping is in extra")


def _half(row: Row) -> Period:
    m = SHEET.match(row.table.place.strip())
    assert m is not None  # the declaration claims only sheets named so
    return half_year(int(m["y"]), 1 if m["q"] == "Q1 Q2" else 2)


def _month(doc: Document, row: Row) -> Period:
    """REPORT_MONTH (a month's last day, stored as a date) -> that month; the month before the half-year too."""
    value, half = row.cell("month").value, _half(row)  # type: ignore[union-attr]
    where = f"sheet={row.table.place};row={row.number}"
    if not isinstance(value, dt.datetime) or value.time() != dt.time() or \
            value.date() != month_end(value.year, value.month):
        raise ParseError(doc, f"{where}: REPORT_MONTH {value!r} is not the last day of a month")
    end = value.date()
    if half[0] <= end.replace(day=1) <= half[1] or end == half[0] - dt.timedelta(days=1):
        return end.replace(day=1), end
    raise UnknownLayout(doc, f"{where}: REPORT_MONTH {end} is outside the sheet's half-year {half[0]} - {half[1]}")


def _check(doc: Document, row: Row) -> None:
    """DATE_GROUP names the sheet's half-year; US_GROUP agrees with the requester."""
    where, half = f"sheet={row.table.place};row={row.number}", _half(row)
    group = DATE_GROUP.match(row.get("date_group").strip())
    if not group or (int(group["y"]), group["q"] == "Q1/Q2") != (half[0].year, half[0].month == 1):
        raise UnknownLayout(doc, f"{where}: DATE_GROUP {row.get('date_group')!r} is not the sheet's half-year")
    if (row.get("us_group").strip() == "U.S.") != (row.get("country").strip() in US_REQUESTERS):
        raise UnknownLayout(doc, f"{where}: US_GROUP {row.get('us_group')!r} beside requester {row.get('country')!r}")


TABLES = (KnownTable("one row per month, requester, request type and outcome", (
    Key("month", "REPORT_MONTH", "period"), Key("date_group", "DATE_GROUP", extra="date_group"),
    Key("country", "REPORTER_COUNTRY_FINAL", "country"), TYPE, US_GROUP,
    Key("outcome", "ACTION_TAKEN_DESCRIPTION", what="outcome", extra="outcome", values=dict.fromkeys(OUTCOMES, As())),
), (Measure("REPORT_COUNT", "requests", Unit.REQUESTS),), where=SHEET.pattern, period=_month, check=_check),)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    tables = [dataclasses.replace(sheet_table(s, 1, range(1, s.max_column + 1)), unclaimed=f"unknown sheet {s.name!r}")
              for s in read_workbook(doc).sheets]
    reading = interpret(doc, TABLES, tables)
    reading.facts = [_early(f) for f in reading.facts]
    return reading


def _early(f: Fact) -> Fact:
    """A figure of the month before its sheet's half-year (the only one `_month` accepts) says where Zoom put it."""
    day = f.period_start
    if f"{day.year} - {'Q1/Q2' if day.month <= 6 else 'Q3/Q4'}" == f.extra["date_group"]:
        return f
    return dataclasses.replace(f, note=EARLY.format(month=f.period_end.isoformat(), group=f.extra["date_group"]))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
