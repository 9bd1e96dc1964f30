"""T-Mobile's yearly transparency reports (PDF): exact cells read by hand, the reports' own sums, layout changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, UnknownLayout
from parsers.series.tmobile_transparency_report import parse
from tests.corpus import captures, document, require_corpus
from tests.fixtures.synthetic_pdf import Page, Table, build_pdf

REPORTS = {  # file -> facts: legal-demands rows (+ rejected, location) + 4 national-security bands
    "NewTransparencyReport-2013-2014.pdf": 20, "2015TransparencyReport.pdf": 14, "TransparencyReport2016.pdf": 20,
    "TransparencyReport2017.pdf": 21, "TransparencyReport2018.pdf": 21, "2019-Transparency-Report-3.pdf": 21,
}


@pytest.fixture(scope="module")
def reports() -> dict[str, list[Fact]]:
    require_corpus()
    return {name: parse(document(name)) for name in REPORTS}


def one(facts: list[Fact], label: str, year: int, metric: str | None = None) -> Fact:
    hits = [f for f in facts if f.request_type_raw == label and f.period_start.year == year
            and (metric is None or f.metric == metric)]
    assert len(hits) == 1, (label, year, hits)
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("t-mobile", "transparency-report") is parse


def test_every_capture_of_the_series_parses(reports: dict[str, list[Fact]]) -> None:
    mine = [c for c in captures() if (c.company, c.series) == ("t-mobile", "transparency-report")]
    assert sorted(c.url.rsplit("/", 1)[-1] for c in mine) == sorted(REPORTS)
    assert {name: len(facts) for name, facts in reports.items()} == REPORTS


def test_exact_cells(reports: dict[str, list[Fact]]) -> None:
    # 2013-2014 report, page 4, the 2014 table, first row.
    sub = one(reports["NewTransparencyReport-2013-2014.pdf"], "Subpoenas (criminal and civil)", 2014)
    assert (sub.raw_text, sub.value, sub.request_type, sub.metric) == ("177,549", 177549, RequestType.SUBPOENA,
                                                                       "requests")
    assert (sub.period_start, sub.period_end, sub.locator.page, sub.locator.row) == (
        dt.date(2014, 1, 1), dt.date(2014, 12, 31), 4, 1)
    # Page 5, the 2013 table: national-security requests as one band, stored as a band.
    nsr = one(reports["NewTransparencyReport-2013-2014.pdf"],
              "National Security Requests (NSLs and Foreign Intelligence Surveillance Orders combined)**", 2013)
    assert (nsr.raw_text, nsr.value, nsr.value_low, nsr.value_high, nsr.status, nsr.kind, nsr.locator.page) == (
        "2000 - 2250", None, 2000, 2250, Status.BANDED, Kind.NATIONAL_SECURITY, 5)
    # 2016 report, page 7: NSLs in the second half of 2016, "500 – 999" with an en dash.
    nsl = one(reports["TransparencyReport2016.pdf"], "National Security Letters 2nd half of 2016", 2016)
    assert (nsl.raw_text, nsl.value_low, nsl.value_high, nsl.period_start, nsl.period_end, nsl.locator.page) == (
        "500 – 999", 500, 999, dt.date(2016, 7, 1), dt.date(2016, 12, 31), 7)
    # 2017 report, page 6: tower dumps printed without a thousands separator.
    tower = one(reports["TransparencyReport2017.pdf"], "Requests for Tower Dump", 2017)
    assert (tower.raw_text, tower.value, tower.counts_toward_total, tower.locator.page) == ("4855", 4855, False, 6)
    # 2019 report, page 5: the printed TOTAL; the CSLI label wraps under its value on page 6.
    total = one(reports["2019-Transparency-Report-3.pdf"], "TOTAL", 2019, "requests_responded_to")
    assert (total.raw_text, total.value, total.is_total, total.locator.page, total.locator.row) == (
        "447,097", 447097, True, 5, 10)
    csli = one(reports["2019-Transparency-Report-3.pdf"],
               "Requests for Historical Call Details with Cell Site Information (CSLI)", 2019)
    assert (csli.raw_text, csli.locator.page) == ("70,938", 6)


def test_the_2105_typo_is_corrected_and_said(reports: dict[str, list[Fact]]) -> None:
    fisa = one(reports["2015TransparencyReport.pdf"], "FISA Orders 1st half of 2105", 2015)
    assert (fisa.period_start, fisa.period_end) == (dt.date(2015, 1, 1), dt.date(2015, 6, 30))
    assert "2105" in fisa.note and "typo" in fisa.note


def test_printed_totals_equal_the_sum_of_their_rows(reports: dict[str, list[Fact]]) -> None:
    checked = 0
    for name, facts in reports.items():
        for metric, total_metric in (("requests_responded_to", "requests_responded_to"),
                                     ("requests_rejected", "requests_rejected_or_not_answered")):
            totals = [f for f in facts if f.metric == total_metric and f.is_total]
            if not totals:
                continue
            (total,) = totals
            if metric == "requests_rejected":
                parts = [f for f in facts if f.metric in ("requests_rejected", "requests_no_response",
                                                          "requests_unable_to_respond")]
            else:
                parts = [f for f in facts if f.metric == metric and not f.is_total and f.kind is Kind.USER_DATA]
            assert sum(f.value or 0 for f in parts) == total.value, (name, total_metric)
            checked += 1
    # 2015-2019 print a legal-demands TOTAL (5), 2016-2019 a rejected/not-answered TOTAL (4); every one adds up.
    assert checked == 9
    # The 2013-2014 tables print no total (the prose's "approximately 351,940" is not read).
    assert not [f for f in reports["NewTransparencyReport-2013-2014.pdf"] if f.is_total]


def test_location_rows_do_not_count_toward_totals(reports: dict[str, list[Fact]]) -> None:
    location = [f for facts in reports.values() for f in facts if f.metric.endswith(("location", "tower_dump"))]
    assert len(location) == 12 and all(not f.counts_toward_total and "subset" in f.note for f in location)


def _without_page(name: str, drop: int) -> Document:
    """The real report with one page removed (pypdfium2 copies every other page unchanged)."""
    doc = document(name)
    src = pdfium.PdfDocument(doc.data)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [i for i in range(len(src)) if i != drop - 1])
    buf = io.BytesIO()
    out.save(buf)
    data = buf.getvalue()
    return replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())


def test_a_missing_table_is_refused() -> None:
    require_corpus()
    assert len(parse(_without_page("TransparencyReport2016.pdf", 2))) == 20  # a prose page: still read
    with pytest.raises(UnknownLayout, match="match no known layout"):
        parse(_without_page("TransparencyReport2016.pdf", 6))  # the location table's page


def _synthetic(rows: list[list[str]], header: str = "Type of Request (excluding National Security Requests)") -> Document:
    """SYNTHETIC: a one-year report in the 2015 layout (legal demands, then the four NSL/FISA bands)."""
    title = Page(lines=[(72, 72, "T-Mobile US, Inc. Transparency Report for 2020")])
    table = Page(lines=[(72, 60, "Summary of Types and Number of Requests in 2020")], tables=[
        Table(100, 100, [300, 120], [[header, "Number of Requests"], *rows]),
        Table(100, 400, [300, 120], [["National Security Requests", "Number of Requests in bands"]] + [
            [f"{what} {half} half of 2020", "0-499"] for what in ("National Security Letters", "FISA Orders")
            for half in ("1st", "2nd")])])
    data = build_pdf([title, table])
    return Document(data, hashlib.sha256(data).hexdigest(), "https://example.test/tmobile-synthetic.pdf",
                    "t-mobile", "transparency-report")


def test_synthetic_known_layout_reads_and_unknown_rows_or_tables_are_refused() -> None:
    rows = [["Subpoenas (criminal, civil and trial)", "1,000"], ["Wiretap Orders", "20"], ["TOTAL", "1,020"]]
    facts = parse(_synthetic(rows))
    assert [(f.request_type_raw, f.value) for f in facts][:3] == [
        ("Subpoenas (criminal, civil and trial)", 1000), ("Wiretap Orders", 20), ("TOTAL", 1020)]
    with pytest.raises(UnknownLayout, match="'Sprint Legal Demands' is not a declared row"):
        parse(_synthetic([*rows[:2], ["Sprint Legal Demands", "7"], rows[2]]))
    with pytest.raises(UnknownLayout, match="figures outside every known table"):
        parse(_synthetic(rows, header="Type of Sprint Demand"))
