"""Microsoft's Law Enforcement Requests Report workbooks, 2013 H2 - 2019 H1 (12 real files from the corpus).

Values are looked up in the real files (sheet, row, column cited). Synthetic variants are built with openpyxl from
the real 2018 H1 workbook (loaded with its cached values, so nothing needs recomputing) and say so.
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

from parsers.facts import Document, Fact, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import microsoft_law_enforcement as ms
from tests.corpus import document, require_corpus

HALVES = ["2013-H2", "2014-H1", "2014-H2", "2015-H1", "2015-H2", "2016-H1", "2016-H2", "2017-H1", "2017-H2",
          "2018-H1", "2018-H2", "2019-H1"]
# Facts per file (sheets x rows x 10 columns, plus 2 US-warrant cells from 2018): a change here is a change in
# what the parser reads, to be explained.
COUNTS = {"2013-H2": 680, "2014-H1": 700, "2014-H2": 580, "2015-H1": 660, "2015-H2": 600, "2016-H1": 640,
          "2016-H2": 570, "2017-H1": 840, "2017-H2": 830, "2018-H1": 812, "2018-H2": 842, "2019-H1": 942}


@functools.cache
def doc(half: str) -> Document:
    require_corpus()
    return document(f"Microsoft-LERR-{half}")


@functools.cache
def facts(half: str) -> tuple[Fact, ...]:
    return tuple(ms.parse(doc(half)))


def at(half: str, sheet: str, row: int, letter: str) -> Fact:
    hits = [f for f in facts(half) if f.locator.sheet == sheet and f.locator.row == row
            and (f.locator.column or "").startswith(letter + ":")]
    assert len(hits) == 1, hits
    return hits[0]


def test_fact_counts_per_file() -> None:
    assert {h: len(facts(h)) for h in HALVES} == COUNTS


def test_exact_values_at_known_cells() -> None:
    # 2013 H2, sheet "All Microsoft Services", row 5 (TOTAL), C = 35083, F = 0.023230624518997805 (a fraction)
    f = at("2013-H2", "All Microsoft Services", 5, "C")
    assert (f.value, f.metric, f.is_total, f.request_type, f.country_raw) == (35083, "requests", True,
                                                                              RequestType.ALL, "")
    assert f.period_start == dt.date(2013, 7, 1) and f.period_end == dt.date(2013, 12, 31)
    p = at("2013-H2", "All Microsoft Services", 5, "F")
    assert p.unit is Unit.PERCENT and p.value == pytest.approx(2.3230624518997805)
    assert p.raw_text == "0.023230624518997805" and "fraction" in p.note
    assert p.locator.column == ("F:Law Enforcement Requests Resulting in Disclosure of Content %")
    # 2014 H1, "Combined LERR", row 74 United States, D (accounts) = 15730
    us = at("2014-H1", "Combined LERR", 74, "D")
    assert (us.value, us.metric, us.country_iso2) == (15730, "accounts_specified", "US")
    # 2018 H1, "Criminal", row 5 E = 46488, stored as =SUM(E6:E558) with its cached value
    e5 = at("2018-H1", "Criminal", 5, "E")
    assert e5.value == 46488 and e5.request_type is RequestType.LEGAL_PROCESS
    # 2018 H1, "Criminal", Q57: warrants for consumer content stored outside the US = 133 (label in Q54:Q56)
    q = at("2018-H1", "Criminal", 57, "Q")
    assert (q.value, q.country_iso2, q.request_type) == (133, "US", RequestType.SEARCH_WARRANT)
    # 2018 H2, "Emergencies", row 29 United States, O (rejected #) = 11
    o = at("2018-H2", "Emergencies", 29, "O")
    assert (o.value, o.metric, o.request_type) == (11, "requests_rejected", RequestType.EMERGENCY)
    # 2019 H1, "Civil Legal Requests", row 12 "USA", D = 98
    assert at("2019-H1", "Civil Legal Requests", 12, "D").value == 98


def test_fractional_counts_are_kept_as_published_and_noted() -> None:
    # 2015 H2, "LERR", I35 (Israel) = 6.142857142857143: its formula adds a % cell of the source workbook.
    f = at("2015-H2", "LERR", 35, "I")
    assert f.value == pytest.approx(6.142857142857143) and "non-integer" in f.note and "SKYPE!K30" in f.note


def test_spacer_columns_with_ref_errors_are_ignored() -> None:
    # 2015 H2: E and J hold #REF! with no header; no fact comes from them
    assert not [f for f in facts("2015-H2") if (f.locator.column or "")[:2] in ("E:", "J:")]


def test_layout_per_file_sheets_and_request_types() -> None:
    kinds = {h: sorted({(f.locator.sheet, f.request_type.value) for f in facts(h)}) for h in HALVES}
    assert kinds["2016-H2"] == [("TOTAL", "all")]
    assert kinds["2017-H1"] == [("Total - Criminal", "legal_process"), ("Total - Emergencies", "emergency")]
    assert kinds["2017-H2"] == [("Civil Legal Requests", "civil"), ("Emergencies (2)", "emergency"),
                                ("TOTAL (2)", "legal_process")]
    assert kinds["2019-H1"] == [("Civil Legal Requests", "civil"), ("Criminal", "legal_process"),
                                ("Criminal", "search_warrant"), ("Emergencies", "emergency")]


def test_period_from_url_and_titles_and_the_one_reviewed_conflict() -> None:
    for h in HALVES:
        year, half = int(h[:4]), int(h[-1])
        start = dt.date(year, 1 if half == 1 else 7, 1)
        assert {f.period_start for f in facts(h) if f.locator.sheet != "Civil Legal Requests" or h != "2017-H2"} \
            == {start}, h
    civil = [f for f in facts("2017-H2") if f.locator.sheet == "Civil Legal Requests"]
    assert {(f.period_start, f.period_end) for f in civil} == {(dt.date(2017, 1, 1), dt.date(2017, 6, 30))}
    assert all("January 2017 - June 2017" in f.note for f in civil)


def test_country_rows_sum_to_the_total_row_per_sheet_and_column() -> None:
    checked = 0
    for h in HALVES:
        parts: dict[tuple[str | None, str | None], float] = collections.defaultdict(float)
        totals: dict[tuple[str | None, str | None], float] = {}
        for f in facts(h):
            if f.unit is Unit.PERCENT or f.request_type is RequestType.SEARCH_WARRANT:
                continue
            key = (f.locator.sheet, f.locator.column)
            if f.is_total:
                totals[key] = f.value or 0
            else:
                parts[key] += f.value or 0
        for key, total in totals.items():
            assert parts[key] == pytest.approx(total), (h, key)
            checked += 1
    assert checked == 21 * 6  # 21 sheets, 6 count columns each


def test_outcome_counts_add_up_to_requests_except_civil_sheets() -> None:
    for h in HALVES:
        rows: dict[tuple[str | None, int | None], dict[str, float]] = collections.defaultdict(dict)
        for f in facts(h):
            if f.unit is not Unit.PERCENT and f.request_type is not RequestType.SEARCH_WARRANT:
                rows[(f.locator.sheet, f.locator.row)][f.metric] = f.value or 0
        for (sheet, row), m in rows.items():
            outcomes = sum(v for k, v in m.items() if k.startswith(("requests_", "accounts_")) and k != "accounts_specified")
            if sheet != "Civil Legal Requests":
                assert outcomes == pytest.approx(m["requests"]), (h, sheet, row)
    # civil sheets from 2018 count outcomes in accounts (their TOTAL rows say so)
    assert {f.unit for f in facts("2018-H2") if f.metric == "accounts_content"} == {Unit.ACCOUNTS}
    assert not [f for f in facts("2017-H2") if f.metric.startswith("accounts_") and f.metric != "accounts_specified"]


def test_percentages_within_0_100_and_statuses() -> None:
    for h in HALVES:
        for f in facts(h):
            if f.unit is Unit.PERCENT:
                assert f.value is not None and 0 <= f.value <= 100, f
            assert f.status in (Status.REPORTED, Status.ZERO), f


def test_country_labels_map_to_iso_codes() -> None:
    unmapped = {f.country_raw for h in HALVES for f in facts(h) if f.country_raw and not f.country_iso2}
    assert unmapped == set()


# ---- synthetic variants of the real 2018 H1 workbook (built here with openpyxl) ----

def variant(change) -> Document:  # type: ignore[no-untyped-def]
    real = doc("2018-H1")
    wb = openpyxl.load_workbook(io.BytesIO(real.data), data_only=True)  # cached values, no formulas
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    return dataclasses.replace(real, data=data, sha256=hashlib.sha256(data).hexdigest())


def numbers(fs: list[Fact] | tuple[Fact, ...]) -> collections.Counter[tuple[object, ...]]:
    return collections.Counter((f.locator.sheet, f.country_raw, f.metric, f.request_type, f.value) for f in fs)


@functools.cache
def baseline() -> collections.Counter[tuple[object, ...]]:
    return numbers(ms.parse(variant(lambda wb: None)))


def test_synthetic_resave_reads_the_same_numbers() -> None:
    assert baseline() == numbers(facts("2018-H1"))


def test_synthetic_cosmetic_header_rename_parses_the_same() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Criminal"]["D4"] = "  TOTAL number of law-enforcement requests "
        wb["Emergencies"]["G4"] = "law enforcement requests resulting in disclosure of CONTENT"
    assert numbers(ms.parse(variant(change))) == baseline()


def test_synthetic_reordered_columns_parse_the_same() -> None:
    def change(wb: openpyxl.Workbook) -> None:  # swap D (requests) and E (accounts) below the merged group row
        ws = wb["Civil Legal Requests"]
        for r in range(4, ws.max_row + 1):
            ws.cell(r, 4).value, ws.cell(r, 5).value = ws.cell(r, 5).value, ws.cell(r, 4).value
    assert numbers(ms.parse(variant(change))) == baseline()


def test_synthetic_extra_text_sheet_is_ignored() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb.create_sheet("Notes")["A1"] = "Microsoft publishes this report twice a year."
    assert numbers(ms.parse(variant(change))) == baseline()


def test_synthetic_renamed_sheet_keeps_its_kind() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Criminal"].title = "Criminal Requests"
    renamed = numbers(ms.parse(variant(change)))
    assert renamed == collections.Counter({(("Criminal Requests" if k[0] == "Criminal" else k[0]), *k[1:]): n
                                          for k, n in baseline().items()})


def test_synthetic_unknown_request_type_column_is_an_unknown_layout() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Emergencies"]
        ws["P4"], ws["P5"], ws["P6"] = "Law Enforcement Requests Resulting in Preservation Only", 4, 1
    with pytest.raises(UnknownLayout, match="Preservation Only"):
        ms.parse(variant(change))


def test_synthetic_unknown_sheet_with_figures_is_an_unknown_layout() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("National Security")
        ws.append(["FISA orders", "0-499"])
        ws.append(["Accounts", 1500])
    with pytest.raises(UnknownLayout, match="National Security"):
        ms.parse(variant(change))


def test_synthetic_uncached_sum_is_computed_and_uncomputable_formula_refused() -> None:
    def summed(wb: openpyxl.Workbook) -> None:
        wb["Criminal"]["E5"] = "=SUM(E6:E558)"  # saved by openpyxl: no cached value
    e5 = next(f for f in ms.parse(variant(summed)) if f.locator.sheet == "Criminal" and f.locator.row == 5
              and f.metric == "accounts_specified")
    assert e5.value == 46488 and "computed" in e5.note

    def ratio(wb: openpyxl.Workbook) -> None:
        wb["Criminal"]["G5"] = "=(H5/D5)"
    with pytest.raises(ParseError, match=r"cell=G5.*no cached value"):
        ms.parse(variant(ratio))


def test_synthetic_title_disagreeing_with_the_url_is_refused() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Emergencies"]["B2"] = "Requests received for all Microsoft Services from July to December 2018"
    with pytest.raises(ParseError, match="disagrees"):
        ms.parse(variant(change))


# ---- bad files ----

@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d[: len(d) // 3], "truncated|damaged|unreadable"),
    (lambda d: b"<!DOCTYPE html><html><head><title>Page not found</title></head><body>404</body></html>", "HTML"),
    (lambda d: b"", "empty"),
])
def test_bad_files_are_parse_errors_naming_the_document(make, message: str) -> None:  # type: ignore[no-untyped-def]
    real = doc("2018-H1")
    bad = dataclasses.replace(real, data=make(real.data))
    with pytest.raises(ParseError, match=message) as e:
        ms.parse(bad)
    assert "Microsoft-LERR-2018-H1" in str(e.value)


def test_workbook_without_a_recognisable_sheet_is_a_parse_error() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in ("Criminal", "Emergencies", "Civil Legal Requests"):
            del wb[name]
        wb.create_sheet("Readme")["A1"] = "nothing here"
    with pytest.raises(ParseError, match="no Law Enforcement Requests Report table") as e:
        ms.parse(variant(change))
    assert "Microsoft-LERR-2018-H1" in str(e.value)
