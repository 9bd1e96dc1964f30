"""Cisco's law-enforcement request list (2022-09-15 capture): one CSV row per request, 71 rows, 2022 H1.

Cisco prints no counts: every fact is a count of rows, must say so, and must cite its rows. The file's own
arithmetic is the number of records: the counts add up to the rows. Synthetic variants are built here from the
real bytes (never stored).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from functools import cache

import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, Fact, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.formats.record_counts import RecordsLocator
from parsers.series import cisco_law_enforcement_requests as cisco
from tests.corpus import captures, document

URL = "cisco-transparency-report-data.csv"
Rows = list[list[str]]


@cache
def real() -> tuple[Document, tuple[Fact, ...]]:
    doc = document(URL)
    return doc, tuple(cisco.parse(doc))


def records(doc: Document) -> Rows:
    """The CSV read independently of the parser: header then one row per request."""
    return list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"), newline="")))


def variant(change: Callable[[Rows], Rows]) -> Document:
    doc = real()[0]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(change(records(doc)))
    return dataclasses.replace(doc, data=out.getvalue().encode(), sha256="synthetic")


def group(country: str, type_raw: str, outcome: str, content: str = "Non-Content") -> Fact:
    hits = [f for f in real()[1] if (f.country_raw, f.request_type_raw, f.extra["outcome"], f.extra["content"])
            == (country, type_raw, outcome, content)]
    assert len(hits) == 1, (country, type_raw, outcome, len(hits))
    return hits[0]


def test_every_capture_parses_and_counts_every_record_once() -> None:
    caps = [c for c in captures() if c.company == "cisco"]
    assert caps
    for c in caps:
        doc = document(c.url, c.captured_at)
        facts = parse_document(doc)
        data_rows = len(records(doc)) - 1
        assert data_rows == 71
        # the file's own arithmetic: the counts add up to the number of request records
        assert sum(f.value for f in facts if f.value is not None) == data_rows
        cited = [n for f in facts for n in f.locator.rows]  # type: ignore[attr-defined]
        assert sorted(cited) == list(range(2, data_rows + 2))  # every row cited exactly once
        for f in facts:
            assert isinstance(f.locator, RecordsLocator)
            assert f.value == len(f.locator.rows)
            assert f"counted from {int(f.value or 0)} request records in the CSV" in f.note
            assert "day/month/year" in f.note and "never across periods" in f.note
            assert (f.status, f.unit, f.metric) == (Status.REPORTED, Unit.REQUESTS, "requests")
            assert (f.period_start, f.period_end) == (dt.date(2022, 1, 1), dt.date(2022, 6, 30))
            assert f.raw_text  # never blank beside a value


def test_known_groups_read_by_hand() -> None:
    # Germany, "Law Enforcement Request", Non-Content, Y under "Data Provided": lines 2-28, 31, 34, 39, 41, 42
    f = group("Germany", "Law Enforcement Request", "Data Provided")
    assert (f.value, f.country_iso2, f.request_type) == (32, "DE", RequestType.LEGAL_PROCESS)
    assert f.locator.render() == "rows=2-28,31,34,39,41-42;column=Data Provided"
    assert "rows 2-28,31,34,39,41-42" in f.note
    # the "(1 of 2)" parts stay their own request type as printed, and the note says how they were counted
    f = group("Germany", "Law Enforcement Request (1 of 2)", "Data Provided")
    assert (f.value, f.locator.rows) == (3, (29, 35, 37))  # type: ignore[attr-defined]
    assert "part 1 of 2 of one request" in f.note
    # line 72, the last: United States, Government Subpoena, Content, rejected
    f = group("United States", "Government Subpoena", "Rejected", "Content")
    assert (f.value, f.request_type, f.country_iso2, f.locator.render()) == (
        1, RequestType.SUBPOENA, "US", "rows=72;column=Rejected")
    # United States, Government Subpoena, Non-Content: 4 without responsive data, 3 rejected
    assert group("United States", "Government Subpoena", "No Responsive Data").value == 4
    assert group("United States", "Government Subpoena", "Rejected").value == 3


def test_outcomes_and_countries_add_up_like_the_rows() -> None:
    doc, facts = real()
    rows = records(doc)[1:]
    by_country = Counter(r[3] for r in rows)
    got: Counter[str] = Counter()
    for f in facts:
        got[f.country_raw] += int(f.value or 0)
    assert got == by_country == Counter({"Germany": 42, "United States": 22, "India": 3, "United Kingdom": 2,
                                         "Netherlands": 1, "Poland": 1})
    by_outcome: Counter[str] = Counter()
    for f in facts:
        by_outcome[f.extra["outcome"]] += int(f.value or 0)
    assert by_outcome == {"Data Provided": 45, "Rejected": 13, "No Responsive Data": 13}


def replace_cell(column: int, value: str, rows_from: int = 1) -> Callable[[Rows], Rows]:
    return lambda rows: [rows[0]] + [r[:column] + [value] + r[column + 1:] if i >= rows_from else r
                                     for i, r in enumerate(rows[1:], start=1)]


@pytest.mark.parametrize(("change", "error", "message"), [
    (lambda rows: [rows[0] + ["Requesting Agency"]] + [r + ["BKA"] for r in rows[1:]], UnknownLayout,
     "unknown column 'Requesting Agency'"),
    # month/day/year dates: "06/30/2022" has no 30th month
    (replace_cell(1, "06/30/2022"), ParseError, "not a valid day/month/year date"),
    # every date could be read either way: nothing proves day/month/year
    (lambda rows: replace_cell(1, "12/12/2022")(replace_cell(0, "01/07/2022")(rows)), ParseError,
     "no date in the file proves the order"),
    (replace_cell(1, "31/05/2022"), ParseError, "is not a calendar half-year"),
    (replace_cell(0, "2022-01-01"), ParseError, "is not a day/month/year date"),
    (replace_cell(5, "Y", rows_from=71), UnknownLayout, "one Y and two N"),  # line 72: Y, Y, N
    (replace_cell(2, "Emergency Disclosure Request", rows_from=71), UnknownLayout, "unknown type of document"),
    (replace_cell(4, "Metadata", rows_from=71), UnknownLayout, "unknown content/non-content value"),
])
def test_layout_changes_are_refused(change: Callable[[Rows], Rows], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        cisco.parse(variant(change))


def test_the_real_file_still_parses_through_the_variant_writer() -> None:
    # the variant writer itself changes nothing: the same rows give the same facts
    assert [(f.locator.render(), f.value) for f in cisco.parse(variant(lambda rows: rows))] == [
        (f.locator.render(), f.value) for f in real()[1]]
