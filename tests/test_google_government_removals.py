"""Google government removal requests: the four CSVs of the real recorded ZIP (tests.corpus, 2023-03-07).

Row numbers are as a spreadsheet shows them (header = row 1) in the named ZIP member.
Synthetic variants are built in the tests from the real bytes (said so where they are).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict

import pytest

from parsers.catalogue import parse_document, parser_for
from parsers.facts import Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import google_government_removals
from tests.corpus import document
from tests.zip_variants import at, edit_csv, rebuilt

URL = "google-government-removals.zip"
SUMMARY = "google-government-removal-requests.csv"
DETAIL = "google-government-detailed-removal-requests.csv"
HIST = "google-government-removal-requests-historical.csv"
HIST_DETAIL = "google-government-detailed-removal-requests-historical.csv"


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    return parse_document(document(URL))


def numbers(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.member, f.locator.row, f.metric, f.period_end, f.country_iso2, f.request_type_raw,
                    tuple(sorted(f.extra.items())), f.value, f.value_low, f.value_high, f.status, f.raw_text)
                   for f in facts)


def test_catalogue_and_fact_counts(facts: list[Fact]) -> None:
    assert parser_for("google", "government-removals") is google_government_removals.parse
    # One fact per numeric cell: 8 per summary row, 1 per detail row, 9 per historical row, 3 per historical detail.
    assert Counter(f.locator.member for f in facts) == {
        SUMMARY: 1776 * 8, DETAIL: 14468, HIST: 1204 * 9, HIST_DETAIL: 9645 * 3}
    assert {f.kind for f in facts} == {Kind.CONTENT_REMOVAL}
    assert {f.request_type for f in facts} == {RequestType.CONTENT_REMOVAL}


def test_summary_cells(facts: list[Fact]) -> None:
    # Row 1726: 2022-06-30,Russia,RU,Information and Communications Authority,21633,243544,87,0,0,0,12,0
    req = at(facts, SUMMARY, 1726, "Number of Requests")
    assert (req.value, req.unit, req.country_iso2, req.request_type_raw) == (
        21633, Unit.REQUESTS, "RU", "Information and Communications Authority")
    assert req.extra == {"requester": "Information and Communications Authority"}
    items = at(facts, SUMMARY, 1726, "Items Requested To Be Removed")
    assert (items.metric, items.unit, items.value) == ("items_requested_removed", Unit.ITEMS, 243544)
    legal = at(facts, SUMMARY, 1726, "% Removed-Legal")
    assert (legal.metric, legal.unit, legal.value) == ("percent_removed_legal", Unit.PERCENT, 87)
    zero = at(facts, SUMMARY, 1726, "% Content Already Removed")
    assert (zero.status, zero.value, zero.raw_text) == (Status.ZERO, 0, "0")
    # The trailing space of this header is printed in the file and kept in the locator.
    assert at(facts, SUMMARY, 1726, "% Not Enough Information ").metric == "percent_not_enough_information"
    # Row 308: 2019-12-31,Europol,,Police,16,16,,94,,,6, -- a requester that is not a country; blanks not zero.
    europol = at(facts, SUMMARY, 308, "% Removed-Legal")
    assert (europol.country_raw, europol.country_iso2, europol.status, europol.value) == (
        "Europol", None, Status.NOT_REPORTED, None)


def test_detail_cells(facts: list[Fact]) -> None:
    # Row 14187: 2022-06-30,Russia,RU,YouTube,Adult Content,6
    f = at(facts, DETAIL, 14187, "Total")
    assert (f.metric, f.value, f.request_type_raw, f.extra) == (
        "requests", 6, "Adult Content", {"product": "YouTube", "reason": "Adult Content"})


def test_historical_cells(facts: list[Fact]) -> None:
    # Row 2: 2009-12-31,Argentina,AR,42,88,,41,,,1,,
    total = at(facts, HIST, 2, "All Requests: Number of Requests")
    assert (total.value, total.is_total, total.request_type_raw) == (42, True, "All Requests")
    court = at(facts, HIST, 2, "Court Orders: Number of Requests")
    assert (court.value, court.is_total, court.extra) == (41, False, {"requester": "Court Orders"})
    pct = at(facts, HIST, 2, "All Requests: % Fully Or Partially Complied With")
    assert (pct.metric, pct.value) == ("percent_fully_or_partially_complied", 88)
    assert at(facts, HIST, 2, "All Requests: Items Requested To Be Removed").status is Status.NOT_REPORTED
    # Row 3: 2009-12-31,Armenia,AM,<10,0,... -- suppressed: the interval 1..9, never a guess.
    armenia = at(facts, HIST, 3, "All Requests: Number of Requests")
    assert (armenia.status, armenia.value, armenia.value_low, armenia.value_high, armenia.raw_text) == (
        Status.SUPPRESSED, None, 1, 9, "<10")
    # Row 10: 2009-12-31,China,CN,?,?,... -- no figure published.
    china = at(facts, HIST, 10, "All Requests: Number of Requests")
    assert (china.status, china.value, china.raw_text, china.country_iso2) == (Status.NOT_REPORTED, None, "?", "CN")


def test_historical_detail_cells(facts: list[Fact]) -> None:
    # Row 9043: 2019-06-30,Germany,DE,Blogger,Hate Speech,0,3,7
    court = at(facts, HIST_DETAIL, 9043, "Court Orders")
    other = at(facts, HIST_DETAIL, 9043, "Executive, Police, etc.")
    items = at(facts, HIST_DETAIL, 9043, "Items Requested To Be Removed")
    assert (court.status, court.value, court.request_type_raw) == (Status.ZERO, 0, "Court Orders")
    assert (other.value, other.extra) == (3, {"product": "Blogger", "reason": "Hate Speech",
                                              "requester": "Executive, Police, etc."})
    assert (items.value, items.request_type_raw, items.period_end.isoformat()) == (7, "Hate Speech", "2019-06-30")


def test_invariants(facts: list[Fact]) -> None:
    locs = Counter((f.locator.member, f.locator.row, f.locator.column) for f in facts)
    assert max(locs.values()) == 1
    for f in facts:
        if f.unit is Unit.PERCENT and f.value is not None:
            assert 0 <= f.value <= 100
        if f.value_low is not None:
            assert f.value_high is not None and f.value_low <= f.value_high
        if f.status is Status.NOT_REPORTED:
            assert f.raw_text.strip() in ("", "?")


def test_historical_all_requests_equal_court_plus_other(facts: list[Fact]) -> None:
    """The historical file's own arithmetic: All = Court Orders + Other, for requests and for items."""
    cells: dict[tuple[int, str], dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.locator.member == HIST and f.metric in ("requests", "items_requested_removed"):
            cells[(f.locator.row or 0, f.metric)][f.extra["requester"]] = f
    checked = 0
    for (row, metric), by in cells.items():
        total, parts = by["All Requests"], [by["Court Orders"], by["Other Requests (Executive, Police, etc.)"]]
        if total.value is None or all(p.status is Status.NOT_REPORTED for p in parts):
            continue  # no breakdown printed, or the total is suppressed / unknown
        assert total.value == sum(p.value or 0 for p in parts), (row, metric)
        checked += 1
    assert checked == 1154 + 1125


def test_summary_outcome_percentages_sum_to_100_within_rounding(facts: list[Fact]) -> None:
    sums: dict[int, float] = defaultdict(float)
    for f in facts:
        if f.locator.member == SUMMARY and f.unit is Unit.PERCENT:
            sums[f.locator.row or 0] += f.value or 0
    assert len(sums) == 1776 and all(98 <= s <= 102 for s in sums.values())
    assert sum(s == 100 for s in sums.values()) == 1434


# --- synthetic variants built from the real bytes ---------------------------------------------------------

def test_cosmetic_rename_and_reorder_keep_the_numbers(facts: list[Fact]) -> None:
    doc = document(URL)
    variant = rebuilt(doc, edit_csv(HIST, lambda rows: [[h.upper().replace(": ", " :  ") for h in rows[0]],
                                                        *rows[1:]]))
    variant = rebuilt(variant, edit_csv(SUMMARY, lambda rows: [list(reversed(r)) for r in rows]))
    assert numbers(google_government_removals.parse(variant)) == numbers(facts)


def test_unknown_column_and_member_are_refused() -> None:
    doc = document(URL)
    mars = rebuilt(doc, edit_csv(DETAIL, lambda rows: [r + (["Requests from Mars"] if i == 0 else ["1"])
                                                       for i, r in enumerate(rows)]))
    with pytest.raises(UnknownLayout, match="Requests from Mars"):
        google_government_removals.parse(mars)
    extra = rebuilt(doc, lambda m: {**m, "google-government-removal-requests-by-court.csv": b"a\n1\n"})
    with pytest.raises(UnknownLayout, match="by-court"):
        google_government_removals.parse(extra)


def test_every_numeric_column_is_declared() -> None:
    """Every column of every member of the real ZIP is a declared key or measure: reading it finds nothing new."""
    reading = google_government_removals.read(document(URL))
    assert (reading.status, reading.findings) == ("loaded", [])
    for table in google_government_removals.TABLES:
        assert {k.name for k in table.keys} >= {"period_ending", "country", "cldr"}, table.name
        assert table.measures, table.name


@pytest.mark.parametrize("damage", ["truncated", "html"])
def test_damaged_download_names_the_document(damage: str) -> None:
    doc = document(URL)
    data = doc.data[:1000] if damage == "truncated" else b"<html><body>Service Unavailable</body></html>"
    bad = dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(ParseError) as err:
        google_government_removals.parse(bad)
    assert bad.name in str(err.value)
