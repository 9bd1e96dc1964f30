"""Cisco's law-enforcement requests: one CSV row per request (its report period, type of document, country,
content or not, and one Y among three outcome columns). Cisco prints no counts: the reader counts the rows
(`record_counts.count_table`) and every fact is a count of rows that cites them and says so.

Period rule: a row's period is its own `TR Start Date` - `TR End Date`, read day/month/year, which must be one
calendar half-year. Rows are counted by period, country, type of document (as printed, with its "(1 of 2)"
part marks), content/non-content and outcome; never across periods.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, RequestType, Unit
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.record_counts import (
    count_table,
    counted,
    day_first_date,
    half_year_span,
    require_day_first,
)
from parsers.formats.table import csv_tables

SERIES = (("cisco", "law-enforcement-requests"),)

OUTCOMES = ("Data Provided", "Rejected", "No Responsive Data")  # exactly one is "Y" on each row
TYPES = {"Law Enforcement Request": RequestType.LEGAL_PROCESS, "Government Subpoena": RequestType.SUBPOENA}
# "Law Enforcement Request (1 of 2)": Cisco splits one request over several rows; each row is counted as printed.
PARTS = ((1, 2), (2, 2))
PART = "{} ({} of {})"
RULE = ("Rows are counted by their own TR Start Date - TR End Date (day/month/year, one calendar half-year), "
        "country, type of document, content/non-content and outcome; never across periods")


def _period(doc: Document, row: Row) -> Period:
    where = f"row {row.number}"
    start = day_first_date(doc, row.get("start"), f"{where} TR Start Date")
    end = day_first_date(doc, row.get("end"), f"{where} TR End Date")
    return half_year_span(doc, start, end, where)


def _part(k: int, n: int) -> Correction:
    labels = {PART.format(t, k, n) for t in TYPES}
    return Correction((), lambda row, h: " ".join(row.get("type").split()) in labels, f"the type label marks each "
                      f"of these records as part {k} of {n} of one request; each row is counted once, as printed")


TABLES = (KnownTable("requests counted from one row per request", (
    Key("start", "TR Start Date", "period"), Key("end", "TR End Date", "period"),
    Key("type", "TYPE OF DOCUMENT", "request_type", what="type of document", values={
        label: As(rtype) for t, rtype in TYPES.items() for label in (t, *(PART.format(t, k, n) for k, n in PARTS))}),
    Key("country", "Country", "country"),
    Key("content", "Content/Non-Content", what="content/non-content value", extra="content",
        values={"Content": As(), "Non-Content": As()}),
    Key("outcome", "outcome", what="outcome", extra="outcome", values=dict.fromkeys(OUTCOMES, As())),
), (Measure("count", "requests", Unit.REQUESTS, reader=counted),), period=_period,
    corrections=tuple(_part(k, n) for k, n in PARTS)),)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    (records,) = csv_tables(doc)
    require_day_first(doc, [r[i].text for r in records.rows for i, h in enumerate(records.header)
                            if h.strip() in ("TR Start Date", "TR End Date")], "TR Start/End Date")
    return interpret(doc, TABLES, [count_table(doc, records, OUTCOMES, RULE)])


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
