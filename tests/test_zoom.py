"""Zoom's government-requests workbook (2023-01-17 capture): four half-year sheets, 2021 H1 - 2022 H2, one row per
month, requester, request type and outcome. Cells below were read by hand (openpyxl, outside the parser).

Synthetic variants are built here with openpyxl from the real workbook (never stored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from functools import cache

import openpyxl
import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import zoom_government_requests as zoom
from tests.corpus import captures, document

URL = "transparency-data-export.xlsx"
SHEETS = {"2021 - Q1 Q2": 242, "2021 - Q3 Q4": 173, "2022 - Q1 Q2": 156, "2022 - Q3 Q4": 82}  # data rows


@cache
def real() -> tuple[Document, tuple[Fact, ...]]:
    doc = document(URL)
    return doc, tuple(zoom.parse(doc))


def cell(sheet: str, row: int) -> Fact:
    hits = [f for f in real()[1] if (f.locator.sheet, f.locator.row) == (sheet, row)]
    assert len(hits) == 1, (sheet, row, len(hits))
    return hits[0]


def variant(change: Callable[[openpyxl.Workbook], None]) -> Document:
    doc = real()[0]
    wb = openpyxl.load_workbook(io.BytesIO(doc.data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return dataclasses.replace(doc, data=out.getvalue(), sha256="synthetic")


def test_every_capture_parses_one_fact_per_row() -> None:
    caps = [c for c in captures() if c.company == "zoom"]
    assert caps
    for c in caps:
        facts = parse_document(document(c.url, c.captured_at))
        assert Counter(f.locator.sheet for f in facts) == SHEETS
        for f in facts:
            assert (f.metric, f.unit, f.status) == ("requests", Unit.REQUESTS, Status.REPORTED)
            assert f.value is not None and f.value >= 1 and f.locator.column == "G:REPORT_COUNT"
            assert f.country_raw and f.country_iso2, f.country_raw
            assert f.extra["date_group"].replace("/", " ") == f.locator.sheet  # Zoom's grouping, as printed


def test_cells_read_by_hand() -> None:
    # 2021 - Q1 Q2, row 10: 2020-12-31, India, Intl Request - Non-Content, Rejected - Legally Invalid, 7
    f = cell("2021 - Q1 Q2", 10)
    assert (f.value, f.country_iso2, f.request_type, f.request_type_raw, f.extra["outcome"]) == (
        7, "IN", RequestType.LEGAL_PROCESS, "Intl Request - Non-Content", "Rejected - Legally Invalid")
    # a month before the sheet's half-year keeps its own month, and the note says where Zoom put it
    assert (f.period_start, f.period_end) == (dt.date(2020, 12, 1), dt.date(2020, 12, 31))
    assert "2021 - Q1/Q2" in f.note and "before the half-year" in f.note
    # row 51: 2021-01-31, US Federal, Subpoena, Fulfilled - Non-Content Only, 11
    f = cell("2021 - Q1 Q2", 51)
    assert (f.value, f.country_raw, f.country_iso2, f.request_type, f.period_start, f.period_end, f.note) == (
        11, "US Federal", "US", RequestType.SUBPOENA, dt.date(2021, 1, 1), dt.date(2021, 1, 31), "")
    # row 27: 2021-01-31, China, Withhold Access Request, Withdrawn, 1: a content-removal request
    f = cell("2021 - Q1 Q2", 27)
    assert (f.value, f.kind, f.request_type, f.extra["outcome"]) == (1, Kind.CONTENT_REMOVAL,
                                                                     RequestType.CONTENT_REMOVAL, "Withdrawn")
    # 2022 - Q3 Q4, row 47: 2022-11-30, US Federal, Subpoena, Fulfilled - Non-Content Only, 18
    f = cell("2022 - Q3 Q4", 47)
    assert (f.value, f.period_start, f.period_end, f.extra["us_group"]) == (
        18, dt.date(2022, 11, 1), dt.date(2022, 11, 30), "U.S.")


def test_sheet_totals_and_months() -> None:
    """Zoom prints no totals: the sheet sums below were added up outside the parser (openpyxl over each sheet's
    REPORT_COUNT column), and only the first sheet holds rows of a month outside its half-year (22 rows of
    2020-12-31)."""
    sums: Counter[str] = Counter()
    for f in real()[1]:
        sums[f.locator.sheet or ""] += int(f.value or 0)
    assert sums == {"2021 - Q1 Q2": 577, "2021 - Q3 Q4": 401, "2022 - Q1 Q2": 327, "2022 - Q3 Q4": 188}
    early = [f for f in real()[1] if f.note]
    assert len(early) == 22 and {(f.locator.sheet, f.period_end) for f in early} == {
        ("2021 - Q1 Q2", dt.date(2020, 12, 31))}


def rename(wb: openpyxl.Workbook) -> None:
    wb.worksheets[1].title = "2021 - Q3 Q4 (revised)"


def add_column(wb: openpyxl.Workbook) -> None:
    wb.worksheets[0]["H1"] = "REQUEST_CHANNEL"


def set_cell(coordinate: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        wb.worksheets[2][coordinate] = value
    return change


@pytest.mark.parametrize(("change", "error", "message"), [
    (rename, UnknownLayout, r"unknown sheet '2021 - Q3 Q4 \(revised\)'"),
    (add_column, UnknownLayout, "unknown column 'REQUEST_CHANNEL'"),
    (set_cell("E2", "Tower Dump Order"), UnknownLayout, "unknown request type 'Tower Dump Order'"),
    (set_cell("F2", "Partially Fulfilled"), UnknownLayout, "unknown outcome 'Partially Fulfilled'"),
    (set_cell("B2", "2022 - Q3/Q4"), UnknownLayout, "is not the sheet's half-year"),
    (set_cell("A2", dt.datetime(2022, 8, 31)), UnknownLayout, "outside the sheet's half-year"),
    (set_cell("A2", dt.datetime(2022, 2, 14)), ParseError, "not the last day of a month"),
    (set_cell("D2", "U.S."), UnknownLayout, "US_GROUP 'U.S.' beside requester"),
])
def test_layout_changes_are_refused(change: Callable[[openpyxl.Workbook], None], error: type[Exception],
                                    message: str) -> None:
    with pytest.raises(error, match=message):
        zoom.parse(variant(change))


def test_an_unchanged_resave_parses_the_same() -> None:
    assert [(f.locator.render(), f.value) for f in zoom.parse(variant(lambda wb: None))] == [
        (f.locator.render(), f.value) for f in real()[1]]
