"""Platform.sh transparency reports 2020 and 2021 (PDF, ruled tables, merged two-row headers, ligature glyph)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.series.platformsh_transparency import parse
from tests.corpus import document, require_corpus
from tests.fixtures.synthetic_pdf import Page, Table, build_pdf


@pytest.fixture(scope="module")
def reports() -> dict[int, list[Fact]]:
    require_corpus()
    return {2020: parse(document("2020_platformsh")), 2021: parse(document("2021_platformsh"))}


def cell(facts: list[Fact], table: str, requester: str, metric: str) -> Fact:
    hits = [f for f in facts if f.extra.get("table", "abuse") == table and f.extra["requester"] == requester
            and f.metric == metric]
    assert len(hits) == 1, (table, requester, metric)
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("platformsh", "transparency-report") is parse


def test_shape(reports: dict[int, list[Fact]]) -> None:
    for year, facts in reports.items():
        # 7 requester rows x 6 figures + 4 abuse rows x 3 figures.
        assert len(facts) == 54
        assert {(f.period_start, f.period_end) for f in facts} == {(dt.date(year, 1, 1), dt.date(year, 12, 31))}
        assert all(f.locator.bbox is not None and f.locator.page in (1, 2) for f in facts)
        # The ligature glyph of "a\ufffdected" is repaired in the column name.
        assert any(f.locator.column == "Number of affected clients" for f in facts)


def test_exact_cells(reports: dict[int, list[Fact]]) -> None:
    # 2021, page 2, table 1 ("Requests from EU Authorities"), row "Law enforcement", "Number of requests": 1.
    eu = cell(reports[2021], "EU authorities", "Law enforcement", "requests")
    assert (eu.value, eu.status, eu.country_raw, eu.country_iso2) == (1, Status.REPORTED, "EU", None)
    assert (eu.locator.page, eu.locator.table, eu.locator.row, eu.locator.column) == (2, 1, 3, "Number of requests")
    assert eu.locator.bbox == pytest.approx((158.8, 125.6, 239.7, 145.5), abs=0.1)
    # 2020 printed 0 there: a zero, not a blank.
    assert cell(reports[2020], "EU authorities", "Law enforcement", "requests").status is Status.ZERO
    # 2021, page 2, table 2, row "Notices submitted via abuse email": 11 requests, 7 unfounded, "2.8 days".
    notices = cell(reports[2021], "abuse", "Notices submitted via abuse email", "requests")
    assert (notices.value, notices.kind, notices.request_type) == (11, Kind.CONTENT_REMOVAL, RequestType.OTHER)
    assert cell(reports[2021], "abuse", "Notices submitted via abuse email", "requests_unfounded").value == 7
    days = cell(reports[2021], "abuse", "Notices submitted via abuse email", "average_days_to_action")
    assert (days.value, days.raw_text, days.unit) == (2.8, "2.8 days", Unit.OTHER)
    # 2020: 10 notices by abuse email, 5 unfounded.
    assert cell(reports[2020], "abuse", "Notices submitted via abuse email", "requests").value == 10
    assert cell(reports[2020], "abuse", "Notices submitted via abuse email", "requests_unfounded").value == 5


def test_not_applicable_is_not_zero(reports: dict[int, list[Fact]]) -> None:
    gov = cell(reports[2021], "abuse", "Orders received from Government authorities", "average_days_to_action")
    assert (gov.status, gov.value, gov.raw_text) == (Status.NOT_APPLICABLE, None, "n/a")
    assert cell(reports[2021], "abuse", "Orders received from Government authorities",
                "requests").request_type is RequestType.CONTENT_REMOVAL


def test_us_breakdown_is_within_non_eu_figures(reports: dict[int, list[Fact]]) -> None:
    # "Note that the numbers below are included in the chart above."
    for facts in reports.values():
        usa = [f for f in facts if f.extra.get("table") == "USA breakdown"]
        assert {f.request_type_raw for f in usa} == {"National Security Letters", "FISA orders", "Cloud Act orders"}
        assert all(f.country_iso2 == "US" and "included in the non-EU table" in f.note for f in usa)
        for metric in ("requests", "customers_affected"):
            part = sum(f.value or 0 for f in usa if f.metric == metric)
            whole = sum(f.value or 0 for f in facts if f.extra.get("table") == "non-EU authorities"
                        and f.metric == metric)
            assert part <= whole
        nsl = cell(facts, "USA breakdown", "National Security Letters", "requests")
        assert nsl.kind is Kind.NATIONAL_SECURITY and nsl.status is Status.ZERO


def test_unfounded_never_exceed_requests(reports: dict[int, list[Fact]]) -> None:
    for facts in reports.values():
        for f in facts:
            if f.metric == "requests_unfounded":
                assert (f.value or 0) <= (cell(facts, "abuse", f.extra["requester"], "requests").value or 0)


# --- synthetic variants (made in the test, not real reports) -----------------------------------------------

DATA_HEADER = [["Requesting authority", "Number of requests", "Content Data Disclosed", "", "Metadata Disclosed", "",
                "Number of affected clients"], ["", "", "Controller", "Processor", "Controller", "Processor", ""]]
SPANS = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2), (0, 4): (1, 2), (0, 6): (2, 1)}
ABUSE_HEADER = ["Type of request", "Total number of requests", "Number of unfounded requests",
                "Type of illegal content", "Basis for action taken (Laws or Terms of Service)",
                "Average time needed for taking actions (days)"]


def synthetic(header: list[list[str]] = DATA_HEADER, extra_column: bool = False) -> Document:
    widths = [130.0, 60, 60, 60, 60, 60, 110]
    spans = dict(SPANS)
    header = [list(r) for r in header]
    if extra_column:
        header = [header[0] + ["Requests refused"], header[1] + [""]]
        widths.append(80)
        spans[(0, 7)] = (2, 1)

    def data_table(top: float, rows: list[list[str]]) -> Table:
        body = [r + ["0"] if extra_column else r for r in rows]
        return Table(30, top, widths, header + body, font_size=6, spans=spans)

    le = ["Law enforcement", "3", "1", "0", "2", "0", "2"]
    other = ["Other governmental authority", "0", "0", "0", "0", "0", "0"]
    us = [["National Security Letters", "0", "0", "0", "0", "0", "0"], ["FISA orders", "0", "0", "0", "0", "0", "0"],
          ["Cloud Act orders", "1", "0", "0", "0", "0", "1"]]
    abuse = [ABUSE_HEADER, ["Orders received from Government authorities", "2", "1", "phishing", "Laws", "3 days"],
             ["Complaints received via support requests", "0", "0", "n/a", "n/a", "n/a"],
             ["Notices submitted via abuse email", "0", "0", "n/a", "n/a", "n/a"],
             ["Content moderation engaged at Platform.sh's own initiative", "0", "0", "n/a", "n/a", "n/a"]]
    page = Page(width=1000, height=1000, lines=[
        (30, 20, "2030 Platform.sh Transparency Report"), (30, 50, "Requests from Non-EU Authorities"),
        (30, 170, "The following chart is a further breakdown of the USA specific type of request received."),
        (30, 310, "Requests from EU Authorities")],
        tables=[data_table(70, [le, other]), data_table(190, us), data_table(330, [le, other]),
                Table(30, 480, [200, 110, 120, 90, 210, 200], abuse, font_size=6)])
    data = build_pdf([page])
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url="https://example.test/psh.pdf",
                    company="platformsh", series="transparency-report")


def test_synthetic_report_parses() -> None:
    facts = parse(synthetic())
    assert len(facts) == 54
    assert cell(facts, "non-EU authorities", "Law enforcement", "metadata_disclosed_as_controller").value == 2
    assert cell(facts, "USA breakdown", "Cloud Act orders", "customers_affected").value == 1
    assert cell(facts, "abuse", "Orders received from Government authorities", "average_days_to_action").value == 3


def test_synthetic_cosmetic_rename_parses_the_same() -> None:
    renamed = [["REQUESTING AUTHORITY", "Number of  requests", "Content data disclosed", "", "Metadata disclosed",
                "", "Number of affected clients"], ["", "", "controller", "processor", "controller", "processor", ""]]
    base, other = parse(synthetic()), parse(synthetic(renamed))
    assert [(f.metric, f.value, f.extra["requester"]) for f in other] == [
        (f.metric, f.value, f.extra["requester"]) for f in base]


def test_synthetic_unknown_column_is_refused() -> None:
    with pytest.raises(UnknownLayout, match="Requests refused"):
        parse(synthetic(extra_column=True))
