"""X's Global Transparency Report H1 2024 (PDF): exact cells on page 13, the report's own sums, layout changes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series.x_global_transparency_report import parse
from tests.corpus import document, require_corpus
from tests.fixtures.synthetic_pdf import Page, Table, build_pdf

URL = "x-global-transparency-report-h1"


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    require_corpus()
    return parse(document(URL))


def one(facts: list[Fact], metric: str, label: str, kind: Kind) -> Fact:
    hits = [f for f in facts if f.metric == metric and f.extra["row_label"] == label and f.kind is kind]
    assert len(hits) == 1, (metric, label, hits)
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("x", "global-transparency-report") is parse


def test_counts_and_shape(facts: list[Fact]) -> None:
    # Two tables x (1 total + 5 requesters) x 3 columns.
    assert len(facts) == 36
    assert {(f.period_start, f.period_end) for f in facts} == {(dt.date(2024, 1, 1), dt.date(2024, 6, 30))}
    assert {f.locator.page for f in facts} == {13}
    assert all(f.locator.bbox is not None and f.locator.bbox[0] < f.locator.bbox[2] for f in facts)
    assert all(f.company == "x" and f.series == "global-transparency-report" for f in facts)


def test_exact_cells_page_13(facts: list[Fact]) -> None:
    # Page 13, first table, row "USA", column "TOTAL NUMBER OF REQUESTS": 3,329.
    usa = one(facts, "requests", "USA", Kind.USER_DATA)
    assert (usa.value, usa.raw_text, usa.country_iso2) == (3329, "3,329", "US")
    assert (usa.locator.page, usa.locator.table, usa.locator.row) == (13, 1, 3)
    assert usa.locator.column == "TOTAL NUMBER OF REQUESTS"
    assert usa.locator.bbox == pytest.approx((459.6, 638.0, 669.6, 696.0), abs=0.1)
    # First table, total row, "DISCLOSURE RATE": 52.82% (two decimals; the requester rows print whole percents).
    rate = one(facts, "percent_some_data_produced", "TOTAL INFORMATION REQUESTS", Kind.USER_DATA)
    assert (rate.value, rate.unit, rate.is_total, rate.country_raw) == (52.82, Unit.PERCENT, True, "")
    # Second table, row "Japan", "CASES ACTIONED": 36,731.
    japan = one(facts, "requests_actioned", "Japan", Kind.CONTENT_REMOVAL)
    assert (japan.value, japan.request_type, japan.locator.table, japan.locator.row) == (
        36731, RequestType.CONTENT_REMOVAL, 2, 4)
    assert one(facts, "requests", "South Korea", Kind.CONTENT_REMOVAL).country_iso2 == "KR"
    assert one(facts, "requests", "Turkey", Kind.CONTENT_REMOVAL).value == 9364


def test_pseudo_jurisdictions_have_no_country_code(facts: list[Fact]) -> None:
    for label in ("EU", "All Others"):
        for f in facts:
            if f.extra["row_label"] == label:
                assert f.country_iso2 is None and f.country_raw == label
    eu = one(facts, "requests", "EU", Kind.USER_DATA)
    assert eu.value == 7872


def test_requester_rows_against_printed_totals(facts: list[Fact]) -> None:
    def parts(metric: str, kind: Kind) -> float:
        return sum(f.value or 0 for f in facts if f.metric == metric and f.kind is kind and not f.is_total)

    def total(metric: str, kind: Kind) -> Fact:
        return next(f for f in facts if f.metric == metric and f.kind is kind and f.is_total)

    # Information requests: 3,329 + 2,726 + 7,872 + 635 + 4,175 = 18,737, as printed.
    assert parts("requests", Kind.USER_DATA) == total("requests", Kind.USER_DATA).value == 18737
    assert total("requests", Kind.USER_DATA).note == ""
    # Removal requests: cases actioned add up (51,487) ...
    assert parts("requests_actioned", Kind.CONTENT_REMOVAL) == total("requests_actioned", Kind.CONTENT_REMOVAL).value
    # ... but the report's own rows do not add up to two printed totals; the parser says so on the total.
    assert parts("requests", Kind.CONTENT_REMOVAL) == 72704
    assert total("requests", Kind.CONTENT_REMOVAL).value == 72703
    assert "sum to 72,704" in total("requests", Kind.CONTENT_REMOVAL).note
    assert parts("requests_some_data_produced", Kind.USER_DATA) == 9979
    assert "sum to 9,979" in total("requests_some_data_produced", Kind.USER_DATA).note


def test_percentages_in_range_and_statuses(facts: list[Fact]) -> None:
    rates = [f for f in facts if f.unit is Unit.PERCENT]
    assert len(rates) == 12 and all(0 <= (f.value or -1) <= 100 for f in rates)
    assert all(f.status is Status.REPORTED for f in facts)
    assert all(f.value_low == f.value == f.value_high for f in facts)


# --- synthetic variants (made in the test, not real reports) -----------------------------------------------

HEADER_INFO = ["", "TOTAL NUMBER OF REQUESTS", "CASES DISCLOSED", "DISCLOSURE RATE"]
HEADER_REMOVAL = ["", "TOTAL NUMBER OF REQUESTS", "CASES ACTIONED", "ACTION RATE"]
WIDTHS = [170.0, 150.0, 110.0, 110.0]


def synthetic(info_header: list[str] = HEADER_INFO, *, table_page: int = 2, extra_column: bool = False) -> Document:
    info = [info_header, ["TOTAL INFORMATION REQUESTS", "30", "20", "66.67%"], ["USA", "10", "8", "80%"],
            ["EU", "20", "12", "60%"]]
    removal = [HEADER_REMOVAL, ["TOTAL REMOVAL REQUESTS", "7", "7", "100%"], ["Japan", "7", "7", "100%"]]
    widths = WIDTHS
    if extra_column:
        info = [row + [cell] for row, cell in zip(info, ["EMERGENCY REQUESTS", "3", "1", "2"], strict=True)]
        widths = WIDTHS + [120.0]
    pages = [Page(lines=[(40, 40, "GLOBAL TRANSPARENCY REPORT H1 2030")])]
    pages += [Page(lines=[(40, 30, f"{n} Global Transparency Report | H1 2030")]) for n in range(2, 5)]
    pages[table_page - 1].tables = [Table(30, 100, widths, info), Table(30, 300, WIDTHS, removal)]
    data = build_pdf(pages)
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url="https://example.test/x-synthetic.pdf",
                    company="x", series="global-transparency-report")


def test_synthetic_table_on_another_page() -> None:
    facts = parse(synthetic(table_page=4))
    assert {f.locator.page for f in facts} == {4}
    assert {(f.period_start, f.period_end) for f in facts} == {(dt.date(2030, 1, 1), dt.date(2030, 6, 30))}
    usa = one(facts, "requests_some_data_produced", "USA", Kind.USER_DATA)
    assert (usa.value, usa.locator.row, usa.country_iso2) == (8, 3, "US")
    assert len(facts) == 3 * 3 + 2 * 3


def test_synthetic_cosmetic_header_rename_parses_the_same() -> None:
    base = parse(synthetic())
    renamed = parse(synthetic(["", "Total number of requests", "Cases  disclosed", "Disclosure rate"]))
    assert [(f.metric, f.value, f.country_raw) for f in renamed] == [(f.metric, f.value, f.country_raw) for f in base]


def test_synthetic_unknown_column_is_refused() -> None:
    with pytest.raises(UnknownLayout, match="EMERGENCY REQUESTS"):
        parse(synthetic(extra_column=True))


def test_synthetic_without_the_tables_is_refused() -> None:
    data = build_pdf([Page(lines=[(40, 40, "GLOBAL TRANSPARENCY REPORT H1 2030")])])
    doc = Document(data=data, sha256="0" * 64, url="https://example.test/empty.pdf", company="x",
                   series="global-transparency-report")
    with pytest.raises(UnknownLayout):
        parse(doc)


def test_html_page_is_a_parse_error() -> None:
    doc = Document(data=b"<!DOCTYPE html><html><body>Moved</body></html>", sha256="1" * 64,
                   url="https://example.test/x.pdf", company="x", series="global-transparency-report")
    with pytest.raises(ParseError, match="HTML"):
        parse(doc)
