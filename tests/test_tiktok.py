"""TikTok's law-enforcement and government-requests workbook (TikTok-LIPGR-2021H1.xlsx, real, from the corpus).

Synthetic variants are built here with openpyxl from the real workbook and say so.
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
from parsers.series import tiktok_government_requests as tt
from tests.corpus import document, require_corpus

H1_2021 = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))


@functools.cache
def doc() -> Document:
    require_corpus()
    return document("TikTok-LIPGR-2021H1")


@functools.cache
def facts() -> tuple[Fact, ...]:
    return tuple(tt.parse(doc()))


def at(sheet: str, row: int, letter: str) -> Fact:
    hits = [f for f in facts() if f.locator.sheet == sheet and f.locator.row == row
            and (f.locator.column or "").startswith(letter + ":")]
    assert len(hits) == 1, hits
    return hits[0]


def total(sheet: str, letter: str) -> float:
    return sum(f.value or 0 for f in facts() if f.locator.sheet == sheet
               and (f.locator.column or "").startswith(letter + ":"))


def test_fact_counts_per_sheet() -> None:
    assert collections.Counter(f.locator.sheet for f in facts()) == {
        "Information": 10, "Information Map": 378, "Government": 5, "Government Map": 360}


def test_exact_values_at_known_cells() -> None:
    # "Information Map" row 62 United States: B (legal) 577, E (accounts) 1385, F (% legal) 0.78
    assert (at("Information Map", 62, "B").value, at("Information Map", 62, "E").value) == (577, 1385)
    pct = at("Information Map", 62, "F")
    assert (pct.value, pct.unit, pct.raw_text, pct.country_iso2) == (78.0, Unit.PERCENT, "0.78", "US")
    assert (pct.period_start, pct.period_end) == H1_2021
    # "Government Map" row 11 Israel: C (content received) 375, E (local law) 102
    israel = at("Government Map", 11, "C")
    assert (israel.value, israel.unit, israel.kind) == (375, Unit.ITEMS, Kind.CONTENT_REMOVAL)
    assert at("Government Map", 11, "E").value == 102
    # "Information" row 2: 2019-06-30, legal 250 -> 2019 H1
    first = at("Information", 2, "B")
    assert (first.value, first.period_start, first.request_type) == (250, dt.date(2019, 1, 1),
                                                                     RequestType.LEGAL_PROCESS)
    # "Information Map" row 4 prints "Austria " with a trailing space: the label is kept without it
    assert at("Information Map", 4, "B").country_raw == "Austria"


def test_printed_totals_against_the_country_sheets() -> None:
    # emergency requests: sum of "Information Map" C = "Information" C6 (2021-06-30) = 715
    assert total("Information Map", "C") == at("Information", 6, "C").value == 715
    # government requests: sum of "Government Map" B = "Government" B6 = 2434
    assert total("Government Map", "B") == at("Government", 6, "B").value == 2434
    # legal requests do NOT agree in the published file: the countries sum to 1775, "Information" B6 says 1175
    # (transposed digits in TikTok's file); kept as published, this test records the discrepancy.
    assert (total("Information Map", "B"), at("Information", 6, "B").value) == (1775, 1175)


def test_row_totals_are_sums_of_their_parts() -> None:
    for row in {f.locator.row for f in facts() if f.locator.sheet == "Information Map"}:
        b, c, d = (at("Information Map", row, x).value for x in "BCD")
        assert d == b + c  # Total Requests = Legal + Emergency, every country row


def test_percentages_within_0_100() -> None:
    pcts = [f for f in facts() if f.unit is Unit.PERCENT]
    assert len(pcts) == 63 * 2 + 36 and all(0 <= (f.value or 0) <= 100 for f in pcts)


def test_ip_sheets_are_recognised_but_not_loaded() -> None:
    assert not [f for f in facts() if (f.locator.sheet or "").startswith("IP")]


def variant(change) -> Document:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(io.BytesIO(doc().data), data_only=True)
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return dataclasses.replace(doc(), data=out.getvalue(), sha256=hashlib.sha256(out.getvalue()).hexdigest())


def values(fs: list[Fact] | tuple[Fact, ...]) -> collections.Counter[tuple[object, ...]]:
    return collections.Counter((f.locator.sheet, f.country_raw, f.metric, f.request_type, f.value) for f in fs)


def test_synthetic_cosmetic_rename_and_extra_sheet_parse_the_same() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Information Map"]["E1"] = "total accounts  specified"
        wb.create_sheet("Notes")["A1"] = "synthetic note sheet"
    assert values(tt.parse(variant(change))) == values(facts())


def test_synthetic_unknown_column_is_an_unknown_layout() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Information Map"]["H1"] = "Preservation Requests"
        wb["Information Map"]["H2"] = 3
    with pytest.raises(UnknownLayout, match="Preservation Requests"):
        tt.parse(variant(change))


def test_synthetic_missing_country_sheet_is_an_unknown_layout() -> None:
    with pytest.raises(UnknownLayout, match="Government Map"):
        tt.parse(variant(lambda wb: wb.remove(wb["Government Map"])))


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"<html><head><title>Error</title></head><body>Access denied</body></html>", "HTML"),
])
def test_bad_files_are_parse_errors(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as e:
        tt.parse(dataclasses.replace(doc(), data=data))
    assert "TikTok-LIPGR-2021H1.xlsx" in str(e.value)


def test_truncated_workbook_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="truncated|damaged|unreadable"):
        tt.parse(dataclasses.replace(doc(), data=doc().data[:20000]))
