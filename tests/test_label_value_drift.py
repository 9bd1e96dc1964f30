"""Layout drift in PDFs of "label value" lines (T-Mobile, Lumen, Kaspersky), on variants of the real corpus bytes:
the text layer as read, with one printed cell retyped (tests/pdf_variants.py; nothing is stored).

A new label in a known block: that row is quarantined with a finding, the rest loads with its exact cells. A block
whose title nobody declared: quarantined as an unknown table (its header as printed, its row count), the rest
loads. A label renamed to a declared alias: the same cells. A row printed twice (two blocks run together): the
table is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from parsers.facts import Fact, UnknownLayout
from parsers.series import kaspersky_law_enforcement_requests as kaspersky
from parsers.series import lumen_transparency_report as lumen
from parsers.series import tmobile_transparency_report as tmobile
from tests.corpus import document, require_corpus
from tests.pdf_variants import with_cell_text

TMOBILE_2016, TMOBILE_2014 = "TransparencyReport2016.pdf", "NewTransparencyReport-2013-2014.pdf"
LUMEN, KASPERSKY = "transparency-report-2021-h1.pdf", "Report_September-2021-new.pdf"


def cells(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.page, f.locator.table, f.locator.row, f.locator.column, f.locator.bbox, f.metric,
                    f.period_start, f.period_end, f.country_raw, f.value, f.value_low, f.value_high, f.raw_text)
                   for f in facts)


def one(facts: list[Fact], label: str) -> Fact:
    hits = [f for f in facts if f.request_type_raw == label]
    assert len(hits) == 1, (label, hits)
    return hits[0]


@pytest.fixture(autouse=True)
def _corpus() -> None:
    require_corpus()


def test_real_files_load_with_no_findings() -> None:
    for module, name in ((tmobile, TMOBILE_2016), (tmobile, TMOBILE_2014), (lumen, LUMEN), (kaspersky, KASPERSKY)):
        reading = module.read(document(name))
        assert (reading.status, reading.findings) == ("loaded", []), name


def test_new_label_in_a_known_block_is_quarantined_and_the_rest_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(TMOBILE_2016)
    real = tmobile.read(doc)
    with_cell_text(monkeypatch, tmobile, "Wiretap Orders", "Tower Dump Orders", page=5)
    reading = tmobile.read(doc)
    assert reading.status == "partial"
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.column, f.rows) == ("new_row", "quarantined", "page=5;table=1", "label", 10)
    assert "page=5;table=1;row=7;column=label: 'Tower Dump Orders' is not a declared row" in f.message
    lost = one(real.facts, "Wiretap Orders")
    assert (lost.raw_text, lost.locator.row) == ("5,836", 7)
    assert cells(reading.facts) == cells(real.facts) - cells([lost])
    total = one([x for x in reading.facts if x.extra["table"] == "legal-demands"], "TOTAL")  # the printed total is loaded as printed, and the row it counts is not
    assert (total.raw_text, total.value, total.locator.page, total.locator.row, total.is_total) == (
        "416,503", 416503, 5, 10, True)
    with pytest.raises(UnknownLayout, match="'Tower Dump Orders' is not a declared row"):
        tmobile.parse(doc)


def test_new_label_under_a_group_heading_is_quarantined(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(LUMEN)
    real = lumen.read(doc)
    with_cell_text(monkeypatch, lumen, "Wiretaps", "Tower Dumps")
    reading = lumen.read(doc)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("new_row", "quarantined", "page=1;table=1")
    assert "'Tower Dumps' is not a declared row" in f.message
    assert cells(reading.facts) == cells(real.facts) - cells([one(real.facts, "Court Orders/Warrants / Wiretaps")])
    sub = one(reading.facts, "Subpoenas")
    assert (sub.raw_text, sub.value, sub.locator.row) == ("3304", 3304, 1)


def test_new_country_row_is_quarantined(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(KASPERSKY)
    real = kaspersky.read(doc)
    with_cell_text(monkeypatch, kaspersky, "Italy", "Atlantis", page=7)
    reading = kaspersky.read(doc)
    assert [(f.kind, f.table) for f in reading.findings] == [("new_row", "page=7;table=1"),
                                                             ("new_row", "page=7;table=2")]
    assert all("'Atlantis' is neither TOTAL: nor a known country" in f.message for f in reading.findings)
    lost = [f for f in real.facts if f.locator.page == 7 and f.country_raw == "Italy"]
    assert len(lost) == 8
    assert cells(reading.facts) == cells(real.facts) - cells(lost)
    italy = [f for f in reading.facts if f.country_raw == "Italy" and f.period_end == dt.date(2021, 6, 30)]
    assert {f.locator.page for f in italy} == {6}  # the requests-by-country table of H1 2021 still has Italy


def test_unknown_block_is_quarantined_and_the_rest_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(TMOBILE_2016)
    real = tmobile.read(doc)
    with_cell_text(monkeypatch, tmobile, "Number of Requests", "Number of Demands", page=6)
    reading = tmobile.read(doc)
    assert reading.status == "partial"
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.header, f.rows) == (
        "unknown_table", "quarantined", "page=6;table=1", ("Description Number of Demands", ""), 3)
    assert "figures outside every known table" in f.message
    lost = [x for x in real.facts if x.extra["table"] == "location-information"]
    assert len(lost) == 3 and len(reading.facts) == 17
    assert cells(reading.facts) == cells(real.facts) - cells(lost)
    nsl = one(reading.facts, "National Security Letters 2nd half of 2016")
    assert (nsl.raw_text, nsl.value_low, nsl.value_high, nsl.period_start) == ("500 – 999", 500, 999,
                                                                               dt.date(2016, 7, 1))


def test_unknown_period_table_quarantined_and_its_outcome_tables_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kaspersky's outcome tables take the period printed over the requests-by-country table before them: when
    that table is not recognised, they cannot be dated and are refused; the other period loads."""
    doc = document(KASPERSKY)
    real = kaspersky.read(doc)
    with_cell_text(monkeypatch, kaspersky, "Law Enforcement and Government Requests, H1 2021",
                   "Law Enforcement and Government Demands, H1 2021")
    reading = kaspersky.read(doc)
    assert [(f.kind, f.outcome, f.table) for f in reading.findings] == [
        ("unknown_table", "quarantined", "page=6;table=1"), ("grain_changed", "refused", "page=7;table=1"),
        ("grain_changed", "refused", "page=7;table=2")]
    assert reading.findings[0].rows == 18
    assert cells(reading.facts) == cells([f for f in real.facts if f.period_start.year == 2020])
    russia = [f for f in reading.facts if f.country_raw == "Russia" and f.locator.column == "Total Number of Requests"]
    assert [(f.raw_text, f.locator.page, f.locator.row) for f in russia] == [("93", 4, 12)]


def test_renamed_label_matching_a_declared_spelling_gives_the_same_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(TMOBILE_2014)
    real = tmobile.read(doc)
    with_cell_text(monkeypatch, tmobile, "Subpoenas (criminal and civil)", "Subpoenas (criminal, civil and trial)")
    reading = tmobile.read(doc)
    assert (reading.status, reading.findings) == ("loaded", [])
    assert cells(reading.facts) == cells(real.facts)
    # the label as printed in the variant, once a year (2013 and 2014 each print a table)
    subpoenas = [(f.raw_text, f.period_start.year, f.locator.page) for f in reading.facts
                 if f.request_type_raw == "Subpoenas (criminal, civil and trial)"]
    assert len(subpoenas) == 2 and ("177,549", 2014, 4) in subpoenas
    assert not [f for f in reading.facts if f.request_type_raw == "Subpoenas (criminal and civil)"]


def test_a_row_printed_twice_refuses_its_table(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(TMOBILE_2016)
    with_cell_text(monkeypatch, tmobile, "No Response Provided", "Rejected", page=5)
    reading = tmobile.read(doc)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("grain_changed", "refused", "page=5;table=2")
    assert "'Rejected' is printed twice" in f.message
    assert not [x for x in reading.facts if x.extra["table"] == "rejected-or-not-answered"]
    assert len(reading.facts) == 20 - 3


def test_amazon_new_label_in_running_text_is_quarantined_and_the_rest_loads() -> None:
    """The real 2019 H1 report with one "label: figure" line nobody declared drawn on page 3 (in the AWS block)."""
    import dataclasses
    import hashlib

    from parsers.series import amazon_information_request_report as amazon
    from tests.pdf_variants import with_text_line

    doc = document("Information_Request_Report_June_2019")
    real = amazon.read(doc)
    data = with_text_line(doc.data, 3, "Tower dumps: 12")
    reading = amazon.read(dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest()))
    assert (real.status, reading.status) == ("loaded", "partial")
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.column) == ("new_row", "quarantined", "figure label")
    assert "figure label 'Tower dumps' not declared" in f.message and f.table.startswith("page=")
    assert cells(reading.facts) == cells(real.facts) and len(reading.facts) == 34
