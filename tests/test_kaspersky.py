"""Kaspersky's law-enforcement requests reports (PDF): exact cells read by hand, the reports' own arithmetic
(countries add up to TOTAL, approved + rejected to each kind's requests, outcome percentages to 100 per country),
and layout changes that must be refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, ParseError, Status, Unit, UnknownLayout
from parsers.series.kaspersky_law_enforcement_requests import parse
from tests.corpus import captures, document, require_corpus
from tests.fixtures.synthetic_pdf import Page, build_pdf

SEPT_2021 = "Report_September-2021-new.pdf"
H2_2021, H1_2022 = "report-h2-2021.pdf", "report-h1-2022.pdf"
COUNTS = {SEPT_2021: 374, H2_2021: 143, H1_2022: 99}  # rows x (3 + 4 + 4) per period
PERIODS = {(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), (dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
           (dt.date(2021, 7, 1), dt.date(2021, 12, 31)), (dt.date(2022, 1, 1), dt.date(2022, 6, 30))}


@pytest.fixture(scope="module")
def reports() -> dict[str, list[Fact]]:
    require_corpus()
    return {name: parse(document(name)) for name in COUNTS}


def col(f: Fact) -> str:
    """The printed column header; an outcome header spans a percentage and a count, told apart here by "(%)"."""
    return (f.locator.column or "") + (" (%)" if f.unit is Unit.PERCENT else "")


def cell(facts: list[Fact], year: int, table: str, country: str, column: str) -> Fact:
    hits = [f for f in facts if f.period_start.year == year and f.extra["table"] == table
            and f.country_raw == country and col(f) == column]
    assert len(hits) == 1, (year, table, country, column, hits)
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("kaspersky", "law-enforcement-requests") is parse


def test_every_capture_parses(reports: dict[str, list[Fact]]) -> None:
    mine = [c for c in captures() if (c.company, c.series) == ("kaspersky", "law-enforcement-requests")]
    assert len(mine) == 3
    assert {name: len(facts) for name, facts in reports.items()} == COUNTS
    assert {(f.period_start, f.period_end) for facts in reports.values() for f in facts} == PERIODS


def test_exact_cells(reports: dict[str, list[Fact]]) -> None:
    sept = reports[SEPT_2021]
    # Page 4 (printed "3"): 2020, a calendar year as printed; Russia 93 = 27 user data + 66 technical.
    russia = cell(sept, 2020, "requests-by-country", "Russia", "Total Number of Requests")
    assert (russia.raw_text, russia.value, russia.country_iso2, russia.period_end) == (
        "93", 93, "RU", dt.date(2020, 12, 31))
    assert (russia.locator.page, russia.locator.row) == (4, 12)
    user = cell(sept, 2020, "requests-by-country", "Russia", "Total Number of Requests for User Data")
    assert (user.value, user.kind, user.is_total) == (27, Kind.USER_DATA, False)
    morocco = cell(sept, 2020, "requests-by-country", "Marocco", "Total Number of Requests")
    assert (morocco.country_iso2, morocco.country_raw) == ("MA", "Marocco") and "misspelt" in morocco.note
    # Page 7: H1 2021, technical requests from Italy: "60%" beside 3 approved, "20%" beside 1 rejected.
    italy = [cell(sept, 2021, "technical-outcomes", "Italy", c) for c in (
        "Requests Processed and Approved (%)", "Requests Processed and Approved",
        "Requests Processed and Rejected (%)", "Requests Processed and Rejected")]
    assert [(f.raw_text, f.value, f.unit) for f in italy] == [
        ("60%", 60, Unit.PERCENT), ("3", 3, Unit.REQUESTS), ("20%", 20, Unit.PERCENT), ("1", 1, Unit.REQUESTS)]
    assert italy[0].locator.page == 7 and italy[0].period_end == dt.date(2021, 6, 30)
    # One printed header spans the percentage and its count; the boxes tell them apart.
    assert italy[0].locator.column == italy[1].locator.column == "Requests Processed and Approved"
    assert italy[0].locator.bbox is not None and italy[1].locator.bbox is not None
    assert italy[0].locator.bbox[2] < italy[1].locator.bbox[0]
    # H2 2021, page 4: the TOTAL keeps its footnote mark as printed, and the footnote's correction is said.
    total = cell(reports[H2_2021], 2021, "requests-by-country", "", "Total Number of Requests")
    assert (total.raw_text, total.value, total.status, total.is_total) == ("101*", 101, Status.REPORTED, True)
    assert "May 2022" in total.note


def _by(facts: list[Fact]) -> dict[tuple[dt.date, str, str, str], float]:
    return {(f.period_start, f.extra["table"], f.country_raw, col(f)): f.value or 0 for f in facts}


def test_countries_add_up_to_the_printed_totals(reports: dict[str, list[Fact]]) -> None:
    checked = 0
    for facts in reports.values():
        sums: dict[tuple[dt.date, str, str], float] = defaultdict(float)
        for f in facts:
            if f.unit is Unit.REQUESTS and f.country_raw:
                sums[(f.period_start, f.extra["table"], col(f))] += f.value or 0
        for (start, table, column), total in sums.items():
            assert _by(facts)[(start, table, "", column)] == total, (start, table, column)
            checked += 1
    assert checked == 4 * (3 + 2 + 2)  # four periods, three count columns + two per outcome table


def test_kinds_add_up_and_outcomes_add_up_to_each_kind(reports: dict[str, list[Fact]]) -> None:
    for facts in reports.values():
        v = _by(facts)
        for (start, table, country, column), value in v.items():
            if table != "requests-by-country" or column != "Total Number of Requests":
                continue
            user = v[(start, table, country, "Total Number of Requests for User Data")]
            tech = v[(start, table, country,
                      "Total Number of Requests for Non-Personal Technical Information & Expertise")]
            assert value == user + tech, (start, country)
            for outcomes, kind_total in (("user-data-outcomes", user), ("technical-outcomes", tech)):
                approved = v[(start, outcomes, country, "Requests Processed and Approved")]
                rejected = v[(start, outcomes, country, "Requests Processed and Rejected")]
                assert approved + rejected == kind_total, (start, outcomes, country)


def test_outcome_percentages_sum_to_100_and_match_the_counts(reports: dict[str, list[Fact]]) -> None:
    mismatches, rounding = [], []
    for name, facts in reports.items():
        v = _by(facts)
        for (start, table, country, column), requests in v.items():
            if table != "requests-by-country" or column != "Total Number of Requests":
                continue
            shares = []
            for outcomes in ("user-data-outcomes", "technical-outcomes"):
                for what in ("Approved", "Rejected"):
                    pct = v[(start, outcomes, country, f"Requests Processed and {what} (%)")]
                    count = v[(start, outcomes, country, f"Requests Processed and {what}")]
                    shares.append(pct)
                    if abs(pct - 100 * count / requests) > 0.5 + 1e-9:  # a share of ALL the country's requests
                        mismatches.append((name, start.isoformat(), country or "TOTAL", outcomes, what, pct, count))
            if sum(shares) != 100:
                rounding.append((name, country or "TOTAL", sum(shares)))
            assert abs(sum(shares) - 100) <= 2, (name, start, country, shares)  # four rounded parts
    # Where the publisher's arithmetic fails: H1 2022 prints Brazil's 4 approved of 5 as 100% and its 1 rejected
    # user-data request as 0%; and H2 2021's TOTAL shares add to 99 (17 of 101 is 16.8%, printed 16%).
    assert mismatches == [(H2_2021, "2021-07-01", "TOTAL", "user-data-outcomes", "Rejected", 16, 17),
                          (H1_2022, "2022-01-01", "Brazil", "user-data-outcomes", "Rejected", 0, 1),
                          (H1_2022, "2022-01-01", "Brazil", "technical-outcomes", "Approved", 100, 4)]
    assert rounding == [(H2_2021, "TOTAL", 99)]
    # Each of them is said next to the figure.
    for name, year, table, country in ((H2_2021, 2021, "user-data-outcomes", ""),
                                       (H1_2022, 2022, "user-data-outcomes", "Brazil"),
                                       (H1_2022, 2022, "technical-outcomes", "Brazil")):
        for column in ("Approved (%)", "Rejected (%)"):
            assert "disagree" in cell(reports[name], year, table, country, f"Requests Processed and {column}").note


def _without_page(name: str, drop: int) -> Document:
    doc = document(name)
    src = pdfium.PdfDocument(doc.data)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [i for i in range(len(src)) if i != drop - 1])
    buf = io.BytesIO()
    out.save(buf)
    return replace(doc, data=buf.getvalue(), sha256=hashlib.sha256(buf.getvalue()).hexdigest())


def test_a_missing_table_page_is_refused() -> None:
    require_corpus()
    assert len(parse(_without_page(SEPT_2021, 2))) == 374  # a page of principles: still read
    with pytest.raises(UnknownLayout, match="match no known layout"):
        parse(_without_page(SEPT_2021, 5))  # 2020's outcome tables


def _synthetic(country: str = "Spain", outcome_cells: tuple[str, ...] = ("100%", "1", "0%", "0")) -> Document:
    """SYNTHETIC: one half-year in the H2 2021 layout (lines of text only), one country, figures made up."""
    by_country = Page(lines=[
        (40, 40, "Law Enforcement and Government Requests, H2 2023"),
        (40, 80, "Country"), *[(x, 80, "Total Number of Requests") for x in (180, 310, 440)],
        (310, 91, "for User Data"), (440, 91, "for Non-Personal Technical"), (440, 102, "Information & Expertise"),
        (40, 125, "TOTAL:"), (200, 125, "1"), (330, 125, "0"), (460, 125, "1"),
        (40, 141, country), (200, 141, "1"), (330, 141, "0"), (460, 141, "1")])
    lines = []
    for top, title in ((40, "Requests for Non-Personal Technical Information & Expertise"),
                       (300, "Requests for User Data")):
        cells = outcome_cells if top == 40 else ("0%", "0", "0%", "0")
        lines += [(40, top, title), (40, top + 20, "Country"), (180, top + 20, "Requests Processed and Approved"),
                  (400, top + 20, "Requests Processed and Rejected"),
                  (400, top + 31, "(No Data Found or Not Meeting Legal"), (400, top + 42, "Verification Requirements)")]
        for row, label in ((65, "TOTAL:"), (81, country)):
            xs = (200, 280, 380, 460, 540)[:len(cells)]
            lines += [(40, top + row, label)] + [(x, top + row, c) for x, c in zip(xs, cells, strict=True)]
    data = build_pdf([Page(), by_country, Page(lines=lines)])
    return Document(data, hashlib.sha256(data).hexdigest(), "https://example.test/kaspersky-synthetic.pdf",
                    "kaspersky", "law-enforcement-requests")


def test_synthetic_known_layout_reads_and_changes_are_refused() -> None:
    facts = parse(_synthetic())
    assert len(facts) == 2 * 3 + 2 * 2 * 4
    assert {(f.period_start, f.period_end) for f in facts} == {(dt.date(2023, 7, 1), dt.date(2023, 12, 31))}
    with pytest.raises(UnknownLayout, match="'Atlantis' is neither TOTAL: nor a known country"):
        parse(_synthetic(country="Atlantis"))
    with pytest.raises(UnknownLayout, match="has 5 figures, not 4"):
        parse(_synthetic(outcome_cells=("100%", "1", "0%", "0", "7")))


def test_a_truncated_file_is_refused_by_name() -> None:
    require_corpus()
    doc = document(H1_2022)
    with pytest.raises(ParseError, match="law-enforcement-and-government-requests-report-h1-2022.pdf.*truncated"):
        parse(replace(doc, data=doc.data[: len(doc.data) // 2]))
