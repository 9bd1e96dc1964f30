"""Twitter's (now X's) information-request CSVs: a single half-year (2017), or the full history in two stacked
tables (government requests; non-government requests), as published for July - December 2020.
"""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, ParseError, RequestType, Status, Unit
from parsers.formats.csv_report import Measure, Table, csv_rows, measure_facts, read_tables, shape
from parsers.formats.tabular import Column, Row
from parsers.normalise.periods import half_year, parse_date, parse_month_range
from parsers.normalise.values import CellValue

SERIES = (("x", "information-requests"),)

R, A, P = Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT
T = RequestType
HALF_YEAR = shape("one half-year (2017)", (
    Column("period", ("TIME PERIOD",)), Column("country", ("COUNTRY",)), Column("code", ("ISO CODE",))), (
    Measure("ACCOUNT INFORMATION REQUESTS", "requests", R, T.ALL),
    Measure("PERCENTAGE WHERE SOME INFORMATION PRODUCED", "percent_some_data_produced", P, T.ALL,
            "ACCOUNT INFORMATION REQUESTS"),
    Measure("ACCOUNTS SPECIFIED", "accounts_specified", A, T.ALL, "ACCOUNT INFORMATION REQUESTS"),
), ignored=("FLAGS", "LINKS", "REPORT LINKS"))  # links to the web site's flag images and pages, not figures
START_KEYS = (Column("start", ("Time period start",)), Column("country", ("Country",)))
GOVERNMENT = shape("history table 1: government requests", START_KEYS, (
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
))
NON_GOVERNMENT = shape("history table 2: non-government requests", START_KEYS, tuple(
    Measure(h, metric, unit, T.CIVIL, "Non-Government Information Requests", fraction=unit is P)
    for h, metric, unit in (("Information requests", "requests", R),
                            ("Compliance", "percent_some_data_produced", P),
                            ("Accounts specified", "accounts_specified", A),
                            ("User notice", "percent_users_notified", P))))
SHAPES = (HALF_YEAR, GOVERNMENT, NON_GOVERNMENT)
LAYOUTS = tuple(s.layout for s in SHAPES)

# A rate is NULL where there were no requests to rate: not applicable, not unreported.
RATE_OF = {"Routine compliance rate": "Routine requests", "Emergency compliance rate": "Emergency requests",
           "Combined compliance rate": "Combined requests", "Compliance": "Information requests"}
# Reviewed correction: before 2016 H2 the history prints 0 in every row for the routine / emergency split and
# for preservation, beside non-zero combined figures: Twitter did not publish those then. The zeros are
# placeholders, kept as raw text with status not_reported. The parser checks the claim on every such row.
SPLIT_PUBLISHED_FROM = dt.date(2016, 7, 1)
PLACEHOLDER_COLUMNS = ("Routine requests", "Emergency requests", "Routine compliance rate",
                       "Emergency compliance rate", "Routine accounts specified", "Emergency accounts specified",
                       "Preservation accounts", "Preservation requests")
PLACEHOLDER_NOTE = ("printed 0/NULL, but before 2016 H2 Twitter published no routine/emergency split nor "
                    "preservation figures: a placeholder, not a zero")
TOTAL_LABELS = {"total"}


def _period(doc: Document, table: Table, row: Row) -> tuple[dt.date, dt.date]:
    try:
        if row.has("period"):
            return parse_month_range(row.get("period"))
        start = parse_date(row.get("start"))
        if (start.month, start.day) not in ((1, 1), (7, 1)):
            raise ValueError(f"period start {row.get('start')!r} does not begin a half-year")
        return half_year(start.year, 1 if start.month == 1 else 2)
    except ValueError as e:
        raise ParseError(doc, f"row {row.number}: {e}") from e


def _corrections(doc: Document, table: Table, row: Row, period: tuple[dt.date, dt.date]) -> tuple[
    dict[str, CellValue], dict[str, str]
]:
    overrides: dict[str, CellValue] = {}
    notes: dict[str, str] = {}
    for rate, count in RATE_OF.items():
        if row.has(rate) and row.get(rate).strip().upper() == "NULL" and row.get(count).strip() == "0":
            overrides[rate] = CellValue(None, None, None, Status.NOT_APPLICABLE)
            notes[rate] = f"NULL printed: no rate, as there were 0 {count.lower()}"
    if table.shape is GOVERNMENT and period[0] < SPLIT_PUBLISHED_FROM:
        for col in PLACEHOLDER_COLUMNS:
            if row.get(col).strip().upper() not in ("0", "NULL"):
                raise ParseError(doc, f"row {row.number} column {col!r}: {row.get(col)!r} before 2016 H2, where "
                                      "every row printed a 0/NULL placeholder: the correction no longer holds")
            overrides[col] = CellValue(None, None, None, Status.NOT_REPORTED)
            notes[col] = PLACEHOLDER_NOTE
    return overrides, notes


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for table in read_tables(doc, csv_rows(doc), SHAPES):
        for row in table.rows:
            period = _period(doc, table, row)
            country = row.get("country").strip()
            is_total = country.casefold() in TOTAL_LABELS
            overrides, notes = _corrections(doc, table, row, period)
            extra = {"table": table.title} if table.title else {}
            facts += measure_facts(doc, table, row, period=period, country_raw=country,
                                   country_code=row.get("code").strip(), row_is_total=is_total,
                                   extra=extra, overrides=overrides, notes=notes)
    return facts
