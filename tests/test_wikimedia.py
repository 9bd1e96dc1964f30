"""Wikimedia's transparency report: 7 ODS workbooks, the 2018 XLSX, sum.csv and the two report pages (real files
from the corpus). Synthetic variants are built here (openpyxl, from the real XLSX) and say so.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
import hashlib
import io

import openpyxl
import pytest

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.series import wikimedia_transparency as wm
from tests.corpus import document, require_corpus

FILES = {  # file -> facts it yields (a change is a change in what the parser reads, to be explained)
    "data_aug2014.ods": 5462, "data_jun_2015.ods": 11571, "data_dec_2015.ods": 14359, "data_jun_2016.ods": 18459,
    "data_dec_2016.ods": 21083, "data_june_2017.ods": 25019, "data_dec_2017.ods": 28340,
    "data_jun_2018.xlsx": 31866, "sum.csv": 2398, "privacy.html": 30, "content.html": 6,
}
WORKBOOKS = [f for f in FILES if f.endswith(("ods", "xlsx"))]
# The one printed total that is not the sum of its rows: "July 2012 - June 2013", T13 ("Informal Government
# Usernames Potentially Affected") prints 0 while its country rows add up to 7. Kept as published.
KNOWN_BAD_TOTALS = {("July 2012 - June 2013", "country", "T:Informal Government Usernames Potentially Affected")}


@functools.cache
def doc(name: str) -> Document:
    require_corpus()
    return document(f"/{name}")


@functools.cache
def facts(name: str) -> tuple[Fact, ...]:
    return tuple(wm.parse(doc(name)))


def at(name: str, row: int, column: str, sheet: str | None = None, table: int | None = None) -> Fact:
    hits = [f for f in facts(name) if f.locator.sheet == sheet and f.locator.table == table
            and f.locator.row == row and (f.locator.column or "").split(":")[0] == column]
    assert len(hits) == 1, hits
    return hits[0]


def test_fact_counts_per_file() -> None:
    assert {name: len(facts(name)) for name in FILES} == FILES


def test_exact_values_in_the_workbooks() -> None:
    # data_aug2014.ods, sheet "July 2012 - June 2013", row 9 United States, B (Total User Data Requests) = 15
    us = at("data_aug2014.ods", 9, "B", sheet="July 2012 - June 2013")
    assert (us.value, us.country_iso2, us.request_type, us.is_total) == (15, "US", RequestType.ALL, True)
    assert (us.period_start, us.period_end) == (dt.date(2012, 7, 1), dt.date(2013, 6, 30))
    # same sheet, row 43 (content "Total" row), B (Total Content Requests) = 180
    content = at("data_aug2014.ods", 43, "B", sheet="July 2012 - June 2013")
    assert (content.value, content.kind, content.country_raw) == (180, Kind.CONTENT_REMOVAL, "")
    # data_jun_2018.xlsx, "Jan 2018 - June 2018", row 3 ar.wikipedia, B (Total Content Requests) = 4
    ar = at("data_jun_2018.xlsx", 3, "B", sheet="Jan 2018 - June 2018")
    assert (ar.value, ar.extra) == (4, {"breakdown": "project", "project": "ar.wikipedia"})


def test_mislabelled_project_table_is_read_as_projects() -> None:
    # data_dec_2015.ods, "Jul 2015 - Dec 2015": K2 says "Country" but rows 3-34 are the projects of column A
    f = at("data_dec_2015.ods", 11, "L", sheet="Jul 2015 - Dec 2015")
    assert f.extra == {"breakdown": "project", "project": "en.wikipedia"} and "Project Affected" in f.note


def test_exact_values_in_sum_csv_and_pages() -> None:
    # sum.csv row 2: USA, Total 15, duration jul12jun13
    total = at("sum.csv", 2, "Total")
    assert (total.value, total.country_iso2, total.period_start, total.period_end) == (
        15, "US", dt.date(2012, 7, 1), dt.date(2013, 6, 30))
    # privacy.html, table 1 row 1: Total User Data Requests 25 for Jul - Dec 2018
    t = at("privacy.html", 1, "2", table=1)
    assert (t.value, t.period_start, t.period_end) == (25, dt.date(2018, 7, 1), dt.date(2018, 12, 31))
    # table 3 row 4: the blank country cell continues Canada (Federal police, 1)
    canada = at("privacy.html", 4, "3", table=3)
    assert (canada.country_raw, canada.extra, canada.value) == ("Canada", {"requester": "Federal police"}, 1)
    # content.html table 1 row 4: Italy, Postal Police, 1 content request
    italy = at("content.html", 4, "3", table=1)
    assert (italy.country_iso2, italy.kind, italy.extra["requester"]) == ("IT", Kind.CONTENT_REMOVAL, "Postal Police")


def test_partial_compliance_blank_before_july_2016_is_not_reported() -> None:
    partial = [f for f in facts("sum.csv") if f.metric == "requests_complied_partially"]
    early = [f for f in partial if f.period_start < dt.date(2016, 7, 1) and f.raw_text == ""]
    assert early and all(f.value is None and f.status.value == "not_reported" for f in early)


def test_total_rows_are_the_sum_of_their_rows_in_every_workbook() -> None:
    for name in WORKBOOKS:
        parts: dict[tuple[object, ...], float] = collections.defaultdict(float)
        totals: dict[tuple[object, ...], float] = {}
        for f in facts(name):
            key = (f.locator.sheet, f.extra["breakdown"], f.locator.column)
            if f.country_raw == "" and "project" not in f.extra:
                totals[key] = f.value or 0
            else:
                parts[key] += f.value or 0
        bad = {k for k, v in totals.items() if parts[k] != pytest.approx(v)}
        assert bad == KNOWN_BAD_TOTALS, name
        assert len(totals) > 150


def test_total_columns_are_the_sum_of_the_request_types() -> None:
    # sum.csv: "Total" = the seven request-type columns, every row
    rows: dict[int | None, dict[str, float]] = collections.defaultdict(dict)
    for f in facts("sum.csv"):
        if f.metric == "requests":
            rows[f.locator.row][f.locator.column or ""] = f.value or 0
    for row, cols in rows.items():
        assert cols.pop("Total") == sum(cols.values()), row
    # privacy.html table 1: Total User Data Requests = the eight type lines; table 3: each "<type> | Total"
    summary = [at("privacy.html", r, "2", table=1).value or 0 for r in range(1, 10)]
    assert summary[0] == sum(summary[1:]) == 25
    breakdown = [f for f in facts("privacy.html") if f.locator.table == 3]
    for kind in {f.request_type_raw for f in breakdown}:
        lines = [f for f in breakdown if f.request_type_raw == kind]
        assert sum(f.value or 0 for f in lines if f.is_total) == sum(f.value or 0 for f in lines if not f.is_total)


def test_units_and_counts_are_whole_numbers() -> None:
    for name in FILES:
        for f in facts(name):
            assert f.unit is not Unit.PERCENT
            assert f.value is None or float(f.value).is_integer(), f


def test_country_labels_map_except_unknown() -> None:
    unmapped = {f.country_raw for n in FILES for f in facts(n) if f.country_raw and not f.country_iso2}
    assert unmapped == {"Unknown"}


LATEST = "Jan 2018 - June 2018"


def _saved(wb: openpyxl.Workbook) -> Document:
    out = io.BytesIO()
    wb.save(out)
    return dataclasses.replace(doc("data_jun_2018.xlsx"), data=out.getvalue(),
                               sha256=hashlib.sha256(out.getvalue()).hexdigest())


@functools.cache
def base() -> bytes:
    """Synthetic: the real 2018 workbook cut down to its latest sheet (fast to rebuild), cached values only."""
    wb = openpyxl.load_workbook(io.BytesIO(doc("data_jun_2018.xlsx").data), data_only=True)
    for name in wb.sheetnames[:-1]:
        del wb[name]
    return _saved(wb).data


def variant(change) -> Document:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(io.BytesIO(base()), data_only=True)
    change(wb)
    return _saved(wb)


def test_synthetic_cut_down_workbook_reads_the_same_numbers_as_the_real_sheet() -> None:
    real = [f for f in facts("data_jun_2018.xlsx") if f.locator.sheet == LATEST]
    assert numbers(wm.parse(variant(lambda wb: None))) == numbers(real) and len(real) == 3526


def numbers(fs: list[Fact] | tuple[Fact, ...]) -> collections.Counter[tuple[object, ...]]:
    return collections.Counter((f.locator.sheet, f.locator.row, f.metric, f.request_type, f.value) for f in fs)


def test_synthetic_cosmetic_rename_and_extra_sheet_parse_the_same() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb[LATEST]["M2"] = "total user data requests  COMPLIED"
        wb.create_sheet("About")["A1"] = "synthetic notes"
    assert numbers(wm.parse(variant(change))) == numbers(wm.parse(variant(lambda wb: None)))


def test_synthetic_unknown_request_type_is_an_unknown_layout() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb[LATEST]["N2"] = "National Security Letters"
    with pytest.raises(UnknownLayout, match="National Security Letters"):
        wm.parse(variant(change))


def test_synthetic_sheet_not_named_by_a_period_is_an_unknown_layout() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb[LATEST].title = "Latest"
    with pytest.raises(UnknownLayout, match="Latest"):
        wm.parse(variant(change))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("data_dec_2017.ods", b"", "empty"),
    ("data_dec_2017.ods", b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body></body></html>",
     "error page|HTML"),
    ("privacy.html", b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head></html>",
     "error page"),
    ("data_dec_2017.ods", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "legacy Excel"),
])
def test_bad_files_are_parse_errors_naming_the_document(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as e:
        wm.parse(dataclasses.replace(doc(name), data=data))
    assert name in str(e.value)


def test_truncated_ods_is_a_parse_error() -> None:
    real = doc("data_dec_2017.ods")
    with pytest.raises(ParseError, match="ZIP|truncated|damaged"):
        wm.parse(dataclasses.replace(real, data=real.data[: len(real.data) // 2]))
