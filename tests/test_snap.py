"""Snap's long transparency-report CSVs (2020 H1, 2020 H2, 2021 H1): one fact per metric row, section and
categories kept raw, government sections mapped to their kinds, Snap's own enforcement kind "other".

Cells below were read by hand from the files. Synthetic variants are built here from the real bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from functools import cache

import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import snap_transparency_report as snap
from tests.corpus import captures, document
from tests.csv_variants import rewritten_csv

FILES = {"H1-20": 4894, "H2-20": 4918, "H1-21": 5022}  # data rows of each file
Rows = list[list[str]]


@cache
def real(half: str) -> tuple[Document, tuple[Fact, ...]]:
    doc = document(f"Snap_Transparency_Report_{half}.csv")
    return doc, tuple(snap.parse(doc))


def row(half: str, number: int) -> Fact:
    hits = [f for f in real(half)[1] if f.locator.row == number]
    assert len(hits) == 1, (half, number, len(hits))
    return hits[0]


def variant(half: str, change: Callable[[Rows], Rows]) -> Document:
    return rewritten_csv(real(half)[0], change)


def test_every_capture_parses_one_fact_per_row() -> None:
    caps = [c for c in captures() if c.company == "snap"]
    assert len(caps) == 3
    for c in caps:
        doc = document(c.url, c.captured_at)
        facts = parse_document(doc)
        half = next(h for h in FILES if h in c.url)
        assert len(facts) == FILES[half]
        assert sorted(f.locator.row for f in facts) == list(range(2, FILES[half] + 2))
        for f in facts:
            assert f.extra["section"] and f.extra["metric"]
            assert f.unit is not Unit.PERCENT or f.value is None or 0 <= f.value <= 100
            if f.extra["section"] in ("Account / Content Violations", "Terrorism", "False Information",
                                      "Child Sexual Exploitation and Abuse", "Trademark Notices",
                                      "Copyrighted Content Takedown Notices (DMCA)"):
                assert (f.kind, f.request_type) == (Kind.OTHER, RequestType.OTHER)


def test_government_cells_read_by_hand() -> None:
    # H2-20 line 2: United States Criminal Legal Requests, Court Order, requests, 284
    f = row("H2-20", 2)
    assert (f.value, f.metric, f.unit, f.kind, f.request_type, f.request_type_raw, f.country_iso2) == (
        284, "requests", Unit.REQUESTS, Kind.USER_DATA, RequestType.COURT_ORDER, "Court Order", "US")
    assert (f.period_start, f.period_end) == (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert f.extra == {"section": "United States Criminal Legal Requests", "category": "Court Order",
                       "metric": "requests"}
    # line 4: its percentage of requests where some data was produced, printed as the fraction 0.76
    f = row("H2-20", 4)
    assert (f.value, f.unit, f.raw_text, f.metric) == (76, Unit.PERCENT, "0.76", "percent_some_data_produced")
    # line 272: NSLs and FISA orders/directives, "0-249" requests; line 273: "1250-1499" accounts
    f = row("H2-20", 272)
    assert (f.status, f.value, f.value_low, f.value_high, f.kind, f.request_type) == (
        Status.BANDED, None, 0, 249, Kind.NATIONAL_SECURITY, RequestType.NATIONAL_SECURITY)
    f = row("H2-20", 273)
    assert (f.value_low, f.value_high, f.unit, f.raw_text) == (1250, 1499, Unit.ACCOUNTS, "1250-1499")
    # lines 274-275: governmental content removal requests: 0 (zero), and the percentage printed "N/A"
    f = row("H2-20", 274)
    assert (f.status, f.value, f.kind, f.request_type) == (Status.ZERO, 0, Kind.CONTENT_REMOVAL,
                                                           RequestType.CONTENT_REMOVAL)
    assert (row("H2-20", 275).status, row("H2-20", 275).value) == (Status.NOT_APPLICABLE, None)


def test_international_and_enforcement_cells_read_by_hand() -> None:
    # H2-20: Australia, emergency requests 40, 48 accounts, 0.38 with some data; other requests 124
    facts = {f.extra["metric"]: f for f in real("H2-20")[1] if f.country_raw == "Australia"
             and f.extra["section"] == "International Government Information Requests"}
    assert (facts["emergency_requests"].value, facts["emergency_requests"].request_type) == (40,
                                                                                            RequestType.EMERGENCY)
    assert facts["account_identifiers_for_emergency_requests"].value == 48
    assert facts["percentage_of_emergency_requests_where_some_data_was_produced"].value == 38
    assert (facts["other_information_requests"].value, facts["other_information_requests"].country_iso2) == (
        124, "AU")
    # Saudi Arabia, CSEA account deletions 10096: Snap's own enforcement, kind other
    (f,) = [f for f in real("H2-20")[1] if f.country_raw == "Saudi Arabia"
            and f.extra["section"] == "Child Sexual Exploitation and Abuse"]
    assert (f.value, f.kind, f.metric, f.unit) == (10096, Kind.OTHER, "accounts_deleted", Unit.ACCOUNTS)
    # the violative view rate's scale is not printed: kept as printed, not converted, and the note says so
    (f,) = [f for f in real("H2-20")[1] if f.extra["metric"] == "violative_view_rate"]
    assert (f.value, f.unit, f.is_total) == (0.08, Unit.OTHER, True) and "scale" in f.note
    # 2021 H1 prints counts as "3.0"; its one CSEA row with a blank country (line 4834) is kept with a note
    (f,) = [f for f in real("H1-21")[1] if f.country_raw == "France" and f.extra["section"] == "Terrorism"]
    assert (f.value, f.raw_text) == (3, "3.0")
    f = row("H1-21", 4834)
    assert (f.value, f.country_raw, f.country_iso2) == (5, "", None) and "blank" in f.note
    # a label the alias table lacks, mapped by the parser's reviewed table
    assert {f.country_iso2 for f in real("H2-20")[1] if f.country_raw.startswith("Congo; Democratic")} == {"CD"}


@pytest.mark.parametrize("half", FILES)
def test_policy_totals_are_the_sum_of_countries(half: str) -> None:
    """Snap's own arithmetic: each Global (policy) row = the sum of the countries' rows for that policy, and
    the regions add up to the world, for reports and enforcements. Unique accounts do not add (one account is
    counted once per country and policy it was enforced in): the test records that they differ."""
    facts = [f for f in real(half)[1] if f.extra["section"] == "Account / Content Violations"]
    countries: dict[tuple[str, str], float] = defaultdict(float)
    policies: dict[tuple[str, str], float] = {}
    regions: dict[str, float] = defaultdict(float)
    for f in facts:
        metric, category = f.extra["metric"], f.extra["category"]
        if category == "Country":
            countries[(f.extra["sub_category_2"], metric)] += f.value or 0
        elif category == "Global" and "sub_category_1" in f.extra and f.metric.startswith(("content", "unique")):
            assert f.is_total
            policies[(f.extra["sub_category_1"], metric)] = f.value or 0
        elif category == "Region":
            assert f.is_total
            regions[metric] += f.value or 0
    assert len(policies) == 21  # 7 policies x 3 metrics
    for (policy, metric), total in policies.items():
        if metric == "unique_accounts_enforced":
            continue
        assert countries[(policy, metric)] == total, (policy, metric)
    for metric in ("content_reports", "content_enforced"):
        assert regions[metric] == sum(v for (_, m), v in policies.items() if m == metric)
    assert sum(countries[k] != v for k, v in policies.items() if k[1] == "unique_accounts_enforced") >= 2


@pytest.mark.parametrize(("change", "error", "message"), [
    (lambda rows: [rows[0] + ["sub_category_3"]] + [r + [""] for r in rows[1:]], UnknownLayout,
     "unknown column 'sub_category_3'"),
    (lambda rows: rows + [["2020-H2", "Government Emergency Requests", "", "", "", "requests", "5"]],
     UnknownLayout, "unknown section 'Government Emergency Requests'"),
    (lambda rows: rows + [["2020-H2", "Terrorism", "Country", "France", "", "accounts_locked", "5"]],
     UnknownLayout, "unknown metric 'accounts_locked'"),
    (lambda rows: rows + [["2020-H2", "United States Criminal Legal Requests", "Tower Dump", "", "", "requests",
                           "5"]], UnknownLayout, "unknown US legal process 'Tower Dump'"),
    (lambda rows: rows + [["2020 Q3", "Terrorism", "Country", "France", "", "account_deletions", "5"]],
     ParseError, "not a half-year"),
])
def test_layout_changes_are_refused(change: Callable[[Rows], Rows], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        snap.parse(variant("H2-20", change))
