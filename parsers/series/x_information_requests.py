"""Twitter's (now X's) information-request CSVs: a single half-year (2017), or the full history in two stacked
tables (government requests; non-government requests), as published for July - December 2020.
"""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, RequestType, Status, Unit
from parsers.formats.declarations import Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, half_year_starting_in, interpret, layouts, strict
from parsers.formats.table import csv_tables
from parsers.normalise.periods import parse_date, parse_month_range
from parsers.normalise.values import CellValue

SERIES = (("x", "information-requests"),)

R, A, P = Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT
T = RequestType
COUNTRY = Key("country", "Country", "country")
START = (Key("start", "Time period start", "period"), COUNTRY)
GOVERNMENT = (
    Measure("Routine requests", "requests", R, T.LEGAL_PROCESS),
    Measure("Emergency requests", "requests", R, T.EMERGENCY),
    Measure("Combined requests", "requests", R, T.ALL, is_total=True),
    Measure("Routine compliance rate", "percent_some_data_produced", P, T.LEGAL_PROCESS, "Routine requests",
            fraction=True),
    Measure("Emergency compliance rate", "percent_some_data_produced", P, T.EMERGENCY, "Emergency requests",
            fraction=True),
    Measure("Combined compliance rate", "percent_some_data_produced", P, T.ALL, "Combined requests",
            is_total=True, fraction=True),
    Measure("Routine accounts specified", "accounts_specified", A, T.LEGAL_PROCESS, "Routine requests"),
    Measure("Emergency accounts specified", "accounts_specified", A, T.EMERGENCY, "Emergency requests"),
    Measure("Combined accounts specified", "accounts_specified", A, T.ALL, "Combined requests", is_total=True),
    Measure("Preservation accounts", "accounts_specified", A, T.PRESERVATION, "Preservation requests"),
    Measure("Preservation requests", "requests", R, T.PRESERVATION),
)
NON_GOVERNMENT = tuple(Measure(h, metric, unit, T.CIVIL, "Non-Government Information Requests", fraction=unit is P)
                       for h, metric, unit in (("Information requests", "requests", R),
                                               ("Compliance", "percent_some_data_produced", P),
                                               ("Accounts specified", "accounts_specified", A),
                                               ("User notice", "percent_users_notified", P)))

# Reviewed correction: before 2016 H2 the history prints 0 in every row for the routine / emergency split and
# for preservation, beside non-zero combined figures: Twitter did not publish those then. The zeros are
# placeholders, kept as raw text with status not_reported; every such cell is checked to be 0 or NULL.
SPLIT_PUBLISHED_FROM = dt.date(2016, 7, 1)
PLACEHOLDERS = Correction(
    ("Routine requests", "Emergency requests", "Routine compliance rate", "Emergency compliance rate",
     "Routine accounts specified", "Emergency accounts specified", "Preservation accounts", "Preservation requests"),
    lambda row, _: parse_date(row.get("start")) < SPLIT_PUBLISHED_FROM,
    "printed 0/NULL, but before 2016 H2 Twitter published no routine/emergency split nor preservation figures: "
    "a placeholder, not a zero", cell=CellValue(None, None, None, Status.NOT_REPORTED),
    check=lambda row, column: row.get(column).strip().upper() in ("0", "NULL"))


def _no_rate(rate: str, count: str) -> Correction:
    """A rate is NULL where there were no requests to rate: not applicable, not unreported."""
    return Correction((rate,), lambda row, _: row.get(rate).strip().upper() == "NULL" and row.get(count).strip() == "0",
                      f"NULL printed: no rate, as there were 0 {count.lower()}",
                      cell=CellValue(None, None, None, Status.NOT_APPLICABLE))


def _months(doc: Document, row: Row) -> tuple[dt.date, dt.date]:
    return parse_month_range(row.get("period"))


TABLES = (
    KnownTable("one half-year (2017)", (
        Key("period", "TIME PERIOD", "period"), Key("country", "COUNTRY", "country"),
        Key("code", "ISO CODE", "country_code")), (
        Measure("ACCOUNT INFORMATION REQUESTS", "requests", R, T.ALL),
        Measure("PERCENTAGE WHERE SOME INFORMATION PRODUCED", "percent_some_data_produced", P, T.ALL,
                "ACCOUNT INFORMATION REQUESTS"),
        Measure("ACCOUNTS SPECIFIED", "accounts_specified", A, T.ALL, "ACCOUNT INFORMATION REQUESTS")),
        ignored=("FLAGS", "LINKS", "REPORT LINKS"),  # links to the web site's flag images and pages, not figures
        period=_months, total_labels=("total",)),
    KnownTable("history table 1: government requests", START, GOVERNMENT, total_labels=("total",), title_extra="table",
               corrections=(PLACEHOLDERS, *(_no_rate(f"{k} compliance rate", f"{k} requests")
                                            for k in ("Routine", "Emergency", "Combined")))),
    KnownTable("history table 2: non-government requests", START, NON_GOVERNMENT, total_labels=("total",),
               title_extra="table", corrections=(_no_rate("Compliance", "Information requests"),)),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, csv_tables(doc), period=half_year_starting_in("start"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
