"""GitHub's transparency data CSVs (2026-04-14 captures): user-information requests (4 files) and government
takedowns (2 files). Each file is its own document of its series; the parser tells them apart by header.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from functools import cache

import pytest

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import github_government_takedowns as takedowns
from parsers.series import github_user_information as user_info
from tests.corpus import document
from tests.csv_variants import rewritten_csv

FILES = {  # file -> (parser, figures per row, data rows); all CRLF but takedowns_received (LF)
    "requests_received_and_disclosed.csv": (user_info, 2, 26),
    "requests_accounts_affected.csv": (user_info, 1, 5),
    "cross_border_data_requests.csv": (user_info, 1, 70),
    "national_security_letters_and_orders.csv": (user_info, 1, 48),
    "government_takedowns_received.csv": (takedowns, 1, 17),
    "government_takedowns_processed.csv": (takedowns, 4, 22),
}


@cache
def real(name: str) -> tuple[Document, tuple[Fact, ...]]:
    doc = document(f"/{name}")
    return doc, tuple(FILES[name][0].parse(doc))


def cell(name: str, row: int, column: str) -> Fact:
    hits = [f for f in real(name)[1] if (f.locator.row, f.locator.column) == (row, column)]
    assert len(hits) == 1, (name, row, column, len(hits))
    return hits[0]


def numbers(facts: list[Fact] | tuple[Fact, ...]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.row, f.metric, f.unit, f.request_type, f.request_type_raw, f.country_iso2,
                    f.period_start, f.period_end, f.value, f.value_low, f.value_high, f.status) for f in facts)


def variant(doc: Document, change) -> Document:  # type: ignore[no-untyped-def]
    """A synthetic variant made from the real bytes in the test (never stored)."""
    return rewritten_csv(doc, change)


@pytest.mark.parametrize("name", FILES)
def test_every_file_parses_every_row(name: str) -> None:
    doc, facts = real(name)
    _, per_row, rows = FILES[name]
    assert (b"\r\n" in doc.data) is (name != "government_takedowns_received.csv")  # line ends as served
    assert len(facts) == per_row * rows
    assert sorted({f.locator.row for f in facts}) == list(range(2, rows + 2))
    for f in facts:
        assert f.value_low is None or f.value_high is None or f.value_low <= f.value_high
        assert f.country_raw == "" or f.country_iso2 is not None, f.country_raw


def test_known_cells_user_information() -> None:
    # requests_received_and_disclosed.csv row 2: 2025, criminal or government agency subpoena, 385, 362
    f = cell("requests_received_and_disclosed.csv", 2, "count_requests_received")
    assert (f.value, f.request_type, f.request_type_raw, f.period_start, f.period_end) == (
        385, RequestType.SUBPOENA, "criminal or government agency subpoena", dt.date(2025, 1, 1),
        dt.date(2025, 12, 31))
    assert cell("requests_received_and_disclosed.csv", 2, "count_disclosed").value == 362
    # row 27 (the last, no final line end): 2021, exigent circumstances, 6, 5
    f = cell("requests_received_and_disclosed.csv", 27, "count_requests_received")
    assert (f.value, f.request_type) == (6, RequestType.EMERGENCY)
    # national_security_letters_and_orders.csv row 2: 2025 Jul-Dec, letters and orders received, 0-249
    f = cell("national_security_letters_and_orders.csv", 2, "count")
    assert (f.status, f.value, f.value_low, f.value_high, f.raw_text, f.metric, f.unit, f.kind) == (
        Status.BANDED, None, 0, 249, "0-249", "requests", Unit.REQUESTS, Kind.NATIONAL_SECURITY)
    assert (f.period_start, f.period_end) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    # row 3: 2025 Jul-Dec, Affected accounts, 1000-1249
    f = cell("national_security_letters_and_orders.csv", 3, "count")
    assert (f.metric, f.unit, f.value_low, f.value_high) == ("accounts_affected", Unit.ACCOUNTS, 1000, 1249)
    # cross_border_data_requests.csv row 2: 2025, India, IN, 33
    f = cell("cross_border_data_requests.csv", 2, "count")
    assert (f.value, f.country_raw, f.country_iso2) == (33, "India", "IN")
    # requests_accounts_affected.csv row 2: 2025, 1249
    f = cell("requests_accounts_affected.csv", 2, "count_accounts_affected")
    assert (f.value, f.unit, f.country_iso2, f.request_type) == (1249, Unit.ACCOUNTS, None, RequestType.ALL)


def test_known_cells_takedowns() -> None:
    # government_takedowns_processed.csv row 2: 2021, Russia, RU, Local law, 17, 21, 15, 16
    f = cell("government_takedowns_processed.csv", 2, "count_processed")
    assert (f.value, f.country_iso2, f.request_type, f.request_type_raw, f.kind) == (
        17, "RU", RequestType.CONTENT_REMOVAL, "Local law", Kind.CONTENT_REMOVAL)
    f = cell("government_takedowns_processed.csv", 2, "count_repos_affected")
    assert (f.value, f.unit, f.metric) == (21, Unit.ITEMS, "repositories_affected")
    assert cell("government_takedowns_processed.csv", 2, "count_accounts_affected").value == 16
    # government_takedowns_received.csv row 2: 2021, Brazil, BR, 1
    f = cell("government_takedowns_received.csv", 2, "count_received")
    assert (f.value, f.country_iso2, f.metric) == (1, "BR", "requests")


def test_disclosed_is_at_most_received_except_2021() -> None:
    """Disclosed <= received from 2022; GitHub's 2021 rows disclose more than they received for three types."""
    by_row: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in real("requests_received_and_disclosed.csv")[1]:
        by_row[f.locator.row or 0][f.metric] = f
    over = {(r["requests"].period_start.year, r["requests"].request_type_raw)
            for r in by_row.values() if (r["requests_with_data_disclosed"].value or 0) > (r["requests"].value or 0)}
    assert over == {(2021, "criminal or government agency subpoena"), (2021, "criminal court order"),
                    (2021, "criminal search warrant")}


def test_cross_border_by_country_against_the_type_total() -> None:
    """Per-government cross-border counts sum to the 'cross-border request' row in 2023 and 2024 only."""
    by_year: dict[int, float] = defaultdict(float)
    for f in real("cross_border_data_requests.csv")[1]:
        by_year[f.period_start.year] += f.value or 0
    totals = {f.period_start.year: f.value for f in real("requests_received_and_disclosed.csv")[1]
              if f.request_type_raw == "cross-border request" and f.metric == "requests"}
    assert {y: (by_year[y], t) for y, t in totals.items() if by_year[y] != t} == {
        2025: (90, 92), 2022: (37, 18), 2021: (16, 18)}


def test_takedowns_processed_at_most_received() -> None:
    received = {(f.period_start.year, f.country_iso2): f.value for f in real("government_takedowns_received.csv")[1]}
    processed: dict[tuple[int, str | None], float] = defaultdict(float)
    for f in real("government_takedowns_processed.csv")[1]:
        if f.metric == "requests_processed":
            processed[(f.period_start.year, f.country_iso2)] += f.value or 0
    assert set(processed) == set(received)
    assert all(processed[k] <= (received[k] or 0) for k in received)
    assert (processed[(2025, "RU")], received[(2025, "RU")]) == (3, 97)


@pytest.mark.parametrize("name", FILES)
def test_cosmetic_rename_and_reordered_columns_give_same_numbers(name: str) -> None:
    doc, facts = real(name)
    parse = FILES[name][0].parse
    renamed = variant(doc, lambda rows: [[h.upper().replace("_", " ") for h in rows[0]], *rows[1:]])
    assert numbers(parse(renamed)) == numbers(facts)
    reordered = variant(doc, lambda rows: [list(reversed(r)) for r in rows])
    assert numbers(parse(reordered)) == numbers(facts)


@pytest.mark.parametrize("name", ["requests_received_and_disclosed.csv", "government_takedowns_processed.csv"])
def test_unknown_column_is_refused_naming_it(name: str) -> None:
    doc, _ = real(name)
    grown = variant(doc, lambda rows: [rows[0] + ["count_preserved"], *[r + ["1"] for r in rows[1:]]])
    with pytest.raises(UnknownLayout, match="count_preserved"):
        FILES[name][0].parse(grown)


@pytest.mark.parametrize(("name", "new"), [
    ("requests_received_and_disclosed.csv", "mutual legal assistance request"),
    ("national_security_letters_and_orders.csv", "FISA orders received"),
    ("government_takedowns_processed.csv", "Court order"),
])
def test_unknown_type_value_is_refused_naming_it(name: str, new: str) -> None:
    doc, _ = real(name)
    col = 1 if name.startswith("requests") else 2 if name.startswith("national") else 3
    grown = variant(doc, lambda rows: [*rows, [new if i == col else c for i, c in enumerate(rows[-1])]])
    with pytest.raises(UnknownLayout, match=new):
        FILES[name][0].parse(grown)


def test_a_file_of_the_other_series_is_refused() -> None:
    doc, _ = real("government_takedowns_received.csv")
    with pytest.raises(UnknownLayout, match="count_received"):
        user_info.parse(doc)


@pytest.mark.parametrize("data", [b"", b" \r\n", b"<!DOCTYPE html>\n<html><body>404: Not Found</body></html>"])
def test_empty_or_html_download_names_the_document(data: bytes) -> None:
    doc, _ = real("requests_accounts_affected.csv")
    with pytest.raises(ParseError, match="requests_accounts_affected.csv"):
        user_info.parse(dataclasses.replace(doc, data=data))
