"""Meta's government data requests CSVs (2024-05-09 captures, 2013 H1 - 2021 H1): cells, arithmetic, drift.

Meta's files print no global total row: the report's own arithmetic checked here is per row (total requests =
legal process + emergency; the US legal-process total = its printed sub-types; counts vs percentages).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from functools import cache

import pytest

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import meta_government_data_requests as meta
from tests.corpus import captures, document
from tests.csv_variants import rewritten_csv

HALVES = [f"{y}_H{h}" for y in range(2013, 2022) for h in (1, 2)][:-1]  # 2013_H1 .. 2021_H1


@cache
def real(half: str) -> tuple[Document, tuple[Fact, ...]]:
    doc = document(f"PRPL-Facebook-Government-Report-{half}.csv")
    return doc, tuple(meta.parse(doc))


def cell(facts: tuple[Fact, ...] | list[Fact], row: int, column: str) -> Fact:
    hits = [f for f in facts if (f.locator.row, f.locator.column) == (row, column)]
    assert len(hits) == 1, (row, column, len(hits))
    return hits[0]


def rows_of(facts: tuple[Fact, ...]) -> dict[int, dict[str, Fact]]:
    out: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        out[f.locator.row or 0][f.locator.column or ""] = f
    return out


def numbers(facts: list[Fact] | tuple[Fact, ...]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.row, f.metric, f.request_type, f.request_type_raw, f.country_raw, f.value,
                    f.value_low, f.value_high, f.status, f.raw_text) for f in facts)


def variant(doc: Document, change) -> Document:  # type: ignore[no-untyped-def]
    """A synthetic variant made from the real bytes in the test (never stored)."""
    return rewritten_csv(doc, change, lineterminator="\n")


def test_every_capture_is_a_known_half_year() -> None:
    urls = sorted(c.url for c in captures() if c.company == "meta")
    assert [u.rsplit("Report-", 1)[1][:-4] for u in urls] == HALVES


@pytest.mark.parametrize("half", HALVES)
def test_each_file_parses_fully(half: str) -> None:
    doc, facts = real(half)
    year, h = int(half[:4]), int(half[-1])
    assert {(f.period_start, f.period_end) for f in facts} == {
        (dt.date(year, 1, 1), dt.date(year, 6, 30)) if h == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))}
    text = doc.data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    data_lines = [i + 1 for i, line in enumerate(lines[1:], start=1) if line.strip(",\n ")]
    # Every non-blank line after the header gives one row of facts, at its real line number.
    assert sorted({f.locator.row for f in facts}) == data_lines
    header = next(csv.reader([lines[0]]))
    assert len(facts) == len(data_lines) * (len(header) - 1)
    for f in facts:
        if f.unit is Unit.PERCENT and f.value is not None:
            assert 0 <= f.value <= 100, f
        assert f.status is not Status.NOT_REPORTED or f.raw_text.strip() == ""  # blank -> not reported


def test_the_cr_only_file_parses_to_one_row_per_line() -> None:
    doc, facts = real("2019_H2")
    assert b"\n" not in doc.data.rstrip(b"\r\n")  # old-Mac line ends
    lines = [line for line in doc.data.split(b"\r") if line.strip()]
    assert len(lines) == 252
    assert len({f.locator.row for f in facts}) == len(lines) - 1  # minus the header


def test_known_cells() -> None:
    # 2014_H1 row 2: United States, Total Requests 15,433, accounts 23,667, 80%
    _, facts = real("2014_H1")
    f = cell(facts, 2, "Total Requests")
    assert (f.value, f.raw_text, f.country_iso2, f.request_type, f.is_total) == (
        15433, "15,433", "US", RequestType.ALL, True)
    f = cell(facts, 2, "Total Requests Accounts")
    assert (f.value, f.unit, f.metric) == (23667, Unit.ACCOUNTS, "accounts_specified")
    f = cell(facts, 2, "Title III")
    assert (f.value, f.request_type, f.request_type_raw, f.is_total) == (
        6, RequestType.COURT_ORDER, "Title III", False)
    f = cell(facts, 2, "FISA Content Requests")  # printed blank: not reported, never zero
    assert (f.status, f.value, f.kind) == (Status.NOT_REPORTED, None, Kind.NATIONAL_SECURITY)
    # 2013_H1 row 72: United States, "11,000 - 12,000" requests and "20,000 - 21,000" accounts: bands
    _, facts = real("2013_H1")
    f = cell(facts, 72, "Total Requests")
    assert (f.status, f.value, f.value_low, f.value_high) == (Status.BANDED, None, 11000, 12000)
    assert cell(facts, 72, "Total Requests Accounts").value_high == 21000
    # 2013_H2 row 2: Turkey, Content Restricted 2014, Takedown reports 1428, Percent Witheld 22%
    _, facts = real("2013_H2")
    f = cell(facts, 2, "Content Restricted")
    assert (f.value, f.unit, f.kind, f.country_iso2) == (2014, Unit.ITEMS, Kind.CONTENT_REMOVAL, "TR")
    assert cell(facts, 2, "Percent Witheld").value == 22
    # 2019_H2 (CR-only) line 240: United States, Total Requests 51121, some data 44744, 88%
    _, facts = real("2019_H2")
    f = cell(facts, 240, "Number of Requests Where Some Data Produced")
    assert (f.value, f.country_raw, f.metric) == (44744, "United States", "requests_some_data_produced")
    assert cell(facts, 240, "Total Requests").value == 51121
    assert cell(facts, 240, "Preservation Requests").raw_text == "65,839"
    # 2020_H1 row 239: United States, Legal Process Request Total "57,910"
    _, facts = real("2020_H1")
    f = cell(facts, 239, "Legal Process Request Total")
    assert (f.value, f.request_type, f.is_total) == (57910, RequestType.LEGAL_PROCESS, True)


def test_total_is_legal_process_plus_emergency_in_every_row() -> None:
    checked = 0
    for half in HALVES:
        for row in rows_of(real(half)[1]).values():
            for suffix in ("", " Accounts"):
                total = row.get("Total Requests" + suffix)
                legal, emergency = row.get("Legal Process Request Total" + suffix), row.get(
                    "Emergency Request Total" + suffix)
                if total and legal and emergency and None not in (total.value, legal.value, emergency.value):
                    assert total.value == (legal.value or 0) + (emergency.value or 0), (half, total.locator)
                    checked += 1
    assert checked == 2 * (102 + 122 + 129 + 124 + 127 + 126 + 251 * 5)


US_LEGAL = ("Search Warrant", "Subpoena", "Court Order (Other)", "MLAT Search Warrant", "MLAT Order",
            "Court Order (18 USC 2703(d))", "Pen Register/Trap and Trace", "Title III")


def test_us_sub_types_add_up_to_the_printed_totals() -> None:
    off: dict[str, float] = {}
    for half in HALVES[2:]:
        us = next(r for r in rows_of(real(half)[1]).values() if r["Total Requests"].country_raw == "United States")
        for suffix in ("", " Accounts"):
            parts = sum(us[t + suffix].value or 0 for t in US_LEGAL)
            if us["Legal Process Request Total" + suffix].value is not None:
                diff = parts - (us["Legal Process Request Total" + suffix].value or 0)
            else:  # 2013 H2 - 2015 H2: no legal-process column; the total is the sub-types plus emergency
                diff = parts + (us["Emergency Disclosures" + suffix].value or 0) - (us["Total Requests" + suffix].value
                                                                                    or 0)
            if diff:
                off[half + suffix] = diff
    # The one place Meta's own arithmetic is off: 2017 H2 row 122, sub-types 30,935 vs printed total 30934.
    assert off == {"2017_H2": 1}


def test_some_data_count_agrees_with_the_percentage() -> None:
    for half in HALVES[12:]:
        for row in rows_of(real(half)[1]).values():
            total, some = row["Total Requests"], row["Number of Requests Where Some Data Produced"]
            pct = row["Total Requests Percentage"]
            if total.value and some.value is not None and pct.value is not None:
                assert some.value <= total.value
                assert abs(some.value / total.value * 100 - pct.value) <= 0.5 + 1e-9, (half, total.locator)


def test_duplicate_emergency_column_does_not_count_toward_totals() -> None:
    _, facts = real("2016_H2")
    dup = [f for f in facts if f.request_type_raw == "Emergency Disclosures"]
    assert dup and all(not f.counts_toward_total for f in dup)
    _, facts = real("2015_H2")  # before the "Emergency Request Total" column it is the only emergency figure
    assert all(f.counts_toward_total for f in facts)


def test_cosmetic_rename_and_reordered_columns_give_same_numbers() -> None:
    doc, facts = real("2020_H1")
    renamed = variant(doc, lambda rows: [[h.lower().replace(" ", "  ") + " " for h in rows[0]], *rows[1:]])
    assert numbers(meta.parse(renamed)) == numbers(facts)
    reordered = variant(doc, lambda rows: [[r[0], *reversed(r[1:])] for r in rows])
    assert numbers(meta.parse(reordered)) == numbers(facts)


def test_unknown_column_is_refused_naming_it() -> None:
    doc, _ = real("2020_H1")
    grown = variant(doc, lambda rows: [rows[0] + ["Diplomatic Requests"], *[r + ["0"] for r in rows[1:]]])
    with pytest.raises(UnknownLayout, match="Diplomatic Requests"):
        meta.parse(grown)


def test_file_name_without_a_half_year_is_refused() -> None:
    doc, _ = real("2020_H1")
    with pytest.raises(ParseError, match="half-year"):
        meta.parse(dataclasses.replace(doc, url="https://transparency.meta.com/download/latest.csv"))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf\r\n", b"<!DOCTYPE html><html><body>Error</body></html>"])
def test_empty_or_html_download_names_the_document(data: bytes) -> None:
    doc, _ = real("2020_H1")
    with pytest.raises(ParseError, match="PRPL-Facebook-Government-Report-2020_H1.csv"):
        meta.parse(dataclasses.replace(doc, data=data))
