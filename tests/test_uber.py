"""Uber's US and Canada law-enforcement CSVs for 2018 and 2019 (captures of 2019-04-15 and 2020-04-15): two
stacked sections under title rows; 2018's US section stacks three tables, the last a form-like summary block.

Cells below were read by hand from the files. Neither file prints a footnote mark: the footnote handling is
checked on variants built here from the real bytes (never stored), as are the layouts that must be refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.series import uber_us_law_enforcement as uber
from tests.corpus import captures, document
from tests.csv_variants import rewritten_csv

FILES = {"2018-US-C.csv": 50, "2019-US%26C.csv": 32}  # facts: figure cells read by hand
Rows = list[list[str]]


@cache
def real(name: str) -> tuple[Document, tuple[Fact, ...]]:
    doc = document(f"Law-Enforcement-{name}")
    return doc, tuple(uber.parse(doc))


def at(name: str, row: int, column: str, facts: tuple[Fact, ...] | list[Fact] | None = None) -> Fact:
    hits = [f for f in (real(name)[1] if facts is None else facts) if (f.locator.row, f.locator.column) == (
        row, column)]
    assert len(hits) == 1, (name, row, column, len(hits))
    return hits[0]


def variant(name: str, change: Callable[[Rows], Rows]) -> Document:
    return rewritten_csv(real(name)[0], change)


def test_every_capture_parses() -> None:
    caps = [c for c in captures() if c.company == "uber"]
    assert len(caps) == 2
    for c in caps:
        facts = parse_document(document(c.url, c.captured_at))
        name = next(n for n in FILES if c.url.endswith(n))
        assert len(facts) == FILES[name]
        year = 2018 if "2018" in name else 2019
        for f in facts:
            assert (f.period_start, f.period_end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
            assert f.kind is Kind.USER_DATA and f.country_iso2 in ("US", "CA") and f.raw_text
            # 2018's titles print no year: its facts say the year came from the file's name
            assert ("2018 is read from its name" in f.note) is (year == 2018)


def test_cells_read_by_hand_2019() -> None:
    f = at("2019-US%26C.csv", 3, "Number of data requests")  # US, Emergency, 1578
    assert (f.value, f.request_type, f.country_raw, f.country_iso2, f.locator.table) == (
        1578, RequestType.EMERGENCY, "US 2019", "US", 1)
    f = at("2019-US%26C.csv", 7, "Percentage of requests where some user data was disclosed")  # US Totals
    assert (f.value, f.raw_text, f.unit, f.is_total, f.request_type) == (59.2, "59.2%", Unit.PERCENT, True,
                                                                         RequestType.ALL)
    f = at("2019-US%26C.csv", 12, "Number of users whose data was disclosed")  # Canada, Legal process, 317
    assert (f.value, f.unit, f.country_iso2, f.request_type, f.locator.table) == (
        317, Unit.ACCOUNTS, "CA", RequestType.LEGAL_PROCESS, 2)


def test_cells_read_by_hand_2018() -> None:
    f = at("2018-US-C.csv", 3, "Total requests")  # State, "3,192"
    assert (f.value, f.raw_text, f.extra, f.request_type) == (3192, "3,192", {"jurisdiction": "State"},
                                                              RequestType.ALL)
    f = at("2018-US-C.csv", 8, "Rider accounts requested")  # Subpoena + Summons, "13,791"
    assert (f.value, f.unit, f.request_type, f.request_type_raw) == (13791, Unit.ACCOUNTS, RequestType.SUBPOENA,
                                                                     "Subpoena + Summons")
    # the summary block: line 15 "16,327" under "Rider accounts requested"; 72% on line 17 under its label
    f = at("2018-US-C.csv", 15, "Rider accounts requested")
    assert (f.value, f.is_total, f.metric) == (16327, True, "accounts_requested_riders")
    f = at("2018-US-C.csv", 17, "Total requests where some data was produced")
    assert (f.value, f.unit, f.raw_text) == (72, Unit.PERCENT, "72%")
    f = at("2018-US-C.csv", 16, "Compliance")  # the count beside "Partially complied", under a blank header
    assert (f.value, f.metric, f.request_type_raw) == (952, "requests_complied_partially", "Partially complied")
    f = at("2018-US-C.csv", 21, "Total requests")  # Canada, Legal Process, 63
    assert (f.value, f.country_iso2, f.country_raw, f.locator.table) == (63, "CA", "Canada Law Enforcement Requests",
                                                                        4)


def test_the_reports_own_arithmetic() -> None:
    # 2019: the request types add up to the Totals row, in both sections, for every count column
    for first, last in ((3, 7), (11, 13)):
        for column in ("Number of data requests", "Number of requests where some user data was disclosed",
                       "Number of users whose data was disclosed"):
            parts = sum(at("2019-US%26C.csv", n, column).value or 0 for n in range(first, last))
            assert parts == at("2019-US%26C.csv", last, column).value, (first, column)
    # 2018: jurisdictions and processes count the same requests; the summary block totals both tables
    v = {(f.locator.row, f.locator.column): f.value or 0 for f in real("2018-US-C.csv")[1]}
    by_jurisdiction = v[(3, "Total requests")] + v[(4, "Total requests")]
    by_process = sum(v[(n, "Total requests")] for n in range(8, 12))
    assert by_jurisdiction == by_process == 3825
    produced = v[(3, "Total where some data was produced")] + v[(4, "Total where some data was produced")]
    assert produced == sum(v[(n, "Total where some data was produced")] for n in range(8, 12)) == v[
        (15, "Total requests where some data was produced")] == 2743
    assert sum(v[(n, "Rider accounts requested")] for n in range(8, 12)) == v[(15, "Rider accounts requested")]
    assert sum(v[(n, "Driver accounts requested")] for n in range(8, 12)) == v[(15, "Driver accounts requested")]
    assert v[(15, "Compliance")] + v[(16, "Compliance")] == 2743  # fully + partially complied
    assert v[(17, "Compliance")] == v[(3, "Total requests withdrawn/no data found")] + v[
        (4, "Total requests withdrawn/no data found")] == 1082
    assert round(2743 / 3825 * 100) == v[(17, "Total requests where some data was produced")] == 72


def footnoted(rows: Rows) -> Rows:
    out = [[c.replace("1879", "1879*") for c in r] for r in rows]
    return out + [["", "", "", "", ""], ["* Includes summons.", "", "", "", ""]]


def test_a_footnote_mark_keeps_its_raw_text_and_the_note_carries_the_footnote() -> None:
    facts = uber.parse(variant("2019-US%26C.csv", footnoted))
    f = at("2019-US%26C.csv", 6, "Number of requests where some user data was disclosed", facts)
    assert (f.value, f.raw_text) == (1879, "1879*") and "footnote *: Includes summons." in f.note
    marked_only = uber.parse(variant("2019-US%26C.csv", lambda rows: footnoted(rows)[:-2]))
    f = at("2019-US%26C.csv", 6, "Number of requests where some user data was disclosed", marked_only)
    assert f.raw_text == "1879*" and "no footnote text" in f.note


THIRD = [["", "", "", "", ""], ["Mexico 2019", "", "", "", ""],
         ["Process recieved", "Number of data requests", "Number of requests where some user data was disclosed",
          "Number of users whose data was disclosed", "Percentage of requests where some user data was disclosed"],
         ["Emergency", "1", "1", "1", "100%"]]


@pytest.mark.parametrize(("name", "change", "error", "message"), [
    ("2019-US%26C.csv", lambda rows: rows + THIRD, UnknownLayout, "3 titled sections"),
    ("2019-US%26C.csv", lambda rows: [["Canada 2019" if c == "US 2019" else c for c in r] for r in rows],
     UnknownLayout, "2 titled sections|is not"),
    ("2019-US%26C.csv", lambda rows: [["US 2020" if c == "US 2019" else c for c in r] for r in rows], ParseError,
     r"the year is \[2019, 2020\]"),
    ("2019-US%26C.csv", lambda rows: [r + ["Appeals"] if r[0] == "Process recieved" else r + [""] for r in rows],
     UnknownLayout, "unknown column 'Appeals'"),
    ("2019-US%26C.csv", lambda rows: [["Wiretap" if c == "Court order" else c for c in r] for r in rows],
     UnknownLayout, "unknown process 'Wiretap'"),
    ("2018-US-C.csv", lambda rows: [r[:3] + ["Appealed"] + r[4:] if r[3] == "Partially complied" else r
                                    for r in rows], UnknownLayout, "summary block differs"),
    ("2018-US-C.csv", lambda rows: [["12"] + r[1:] if r[3] == "Partially complied" else r for r in rows],
     UnknownLayout, r"summary block differs from the declared form at \[\(2, 0\)\]"),
    ("2018-US-C.csv", lambda rows: [["County" if c == "State" else c for c in r] for r in rows], UnknownLayout,
     "unknown jurisdiction 'County'"),
])
def test_layout_changes_are_refused(name: str, change: Callable[[Rows], Rows], error: type[Exception],
                                    message: str) -> None:
    with pytest.raises(error, match=message):
        uber.parse(variant(name, change))
