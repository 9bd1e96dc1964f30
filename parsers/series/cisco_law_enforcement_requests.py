"""Cisco's law-enforcement requests: one CSV row per request (its report period, type of document, country,
content or not, and one Y among three outcome columns). Cisco prints no counts: every fact is a count of rows,
and says so.

Period rule: a row's period is its own `TR Start Date` - `TR End Date`, read day/month/year, which must be one
calendar half-year. Rows are counted by period, country, type of document (as printed, with its "(1 of 2)"
part marks), content/non-content and outcome; never across periods.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple, cast

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.csv_report import csv_rows, read_tables, require_known, shape
from parsers.formats.figures import figure
from parsers.formats.record_counts import (
    RecordGroup,
    RecordsLocator,
    count_records,
    day_first_date,
    half_year_span,
    require_day_first,
)
from parsers.formats.tabular import Column, Row

SERIES = (("cisco", "law-enforcement-requests"),)

OUTCOMES = ("Data Provided", "Rejected", "No Responsive Data")  # exactly one is "Y" on each row
REQUESTS = shape("one row per request", (
    Column("start", ("TR Start Date",)), Column("end", ("TR End Date",)), Column("type", ("TYPE OF DOCUMENT",)),
    Column("country", ("Country",)), Column("content", ("Content/Non-Content",)),
    *(Column(o, (o,)) for o in OUTCOMES),
), ())
LAYOUTS = (REQUESTS.layout,)
TYPES = {"Law Enforcement Request": RequestType.LEGAL_PROCESS, "Government Subpoena": RequestType.SUBPOENA}
CONTENT = {"Content": True, "Non-Content": False}  # kept as printed in extra["content"]
# "Law Enforcement Request (1 of 2)": Cisco splits one request over several rows; each row is counted as printed.
PART = re.compile(r"\s*\((?P<k>\d+) of (?P<n>\d+)\)$")
RULE = ("Rows are counted by their own TR Start Date - TR End Date (day/month/year, one calendar half-year), "
        "country, type of document, content/non-content and outcome; never across periods.")


def parse(doc: Document) -> list[Fact]:
    (table,) = read_tables(doc, csv_rows(doc), (REQUESTS,))
    if not table.rows:
        raise UnknownLayout(doc, "the request list has a header but no request rows")
    require_day_first(doc, [r.get(c) for r in table.rows for c in ("start", "end")], "TR Start/End Date")
    return [_fact(doc, g) for g in count_records(table.rows, lambda row: _key(doc, row))]


class Key(NamedTuple):
    period: tuple[dt.date, dt.date]
    country: str
    type_raw: str
    content: str
    outcome: str


def _key(doc: Document, row: Row) -> Key:
    where = f"row {row.number}"
    start = day_first_date(doc, row.get("start"), f"{where} TR Start Date")
    end = day_first_date(doc, row.get("end"), f"{where} TR End Date")
    period = half_year_span(doc, start, end, where)
    kind_raw = " ".join(row.get("type").split())
    require_known(doc, PART.sub("", kind_raw), TYPES, "type of document", where)
    content = row.get("content").strip()
    require_known(doc, content, CONTENT, "content/non-content value", where)
    marks = {o: row.get(o).strip().upper() for o in OUTCOMES}
    if sorted(marks.values()) != ["N", "N", "Y"]:
        raise UnknownLayout(doc, f"{where}: the outcome columns must hold one Y and two N, not {marks}")
    outcome = next(o for o, v in marks.items() if v == "Y")
    return Key(period, row.get("country").strip(), kind_raw, content, outcome)


def _fact(doc: Document, group: RecordGroup) -> Fact:
    key = cast(Key, group.key)
    part = PART.search(key.type_raw)
    part_note = (f" The type label marks each of these records as part {part['k']} of {part['n']} of one "
                 "request; each row is counted once, as printed." if part else "")
    n = len(group.rows)
    return figure(
        doc, period=key.period, country_raw=key.country, request_type=TYPES[PART.sub("", key.type_raw)],
        request_type_raw=key.type_raw, metric="requests", unit=Unit.REQUESTS,
        raw=f"{n} row{'s' * (n != 1)} marked Y under {key.outcome}", kind=Kind.USER_DATA, cell=group.count,
        locator=RecordsLocator(column=key.outcome, rows=group.numbers), note=group.note(RULE) + part_note,
        extra={"outcome": key.outcome, "content": key.content},
    )
