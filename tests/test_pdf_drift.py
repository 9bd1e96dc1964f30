"""Layout drift in AT&T's and Verizon's PDF tables, at the grain of a table: variants of the real text layer built
at test time (tests/pdf_variants.py; never stored). In these tables the rows are the measures and the columns the
half-years, so a new row label is the PDF's new measure column: it is quarantined and the rest loads, cell for
cell; a page or block of figures under no known title is an unknown table, quarantined; a block whose headings
or rows no longer read (a missing period heading, a row that may belong to a new one) is refused alone; and the
table the series cannot do without refuses the document."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache

import pytest

from parsers.catalogue import read_document
from parsers.facts import Fact, UnknownLayout
from parsers.formats.interpreter import Reading
from parsers.series import att_transparency_report as att
from parsers.series import verizon_us_transparency_report as vz
from tests.corpus import document
from tests.pdf_variants import with_row_after, with_segment_text

ATT, ATT_2016, VZ = "2021-February-Report.pdf", "2016-January-Report.pdf", "US-Transparency-Report-2H-2020.pdf"
H2_2020 = (dt.date(2020, 7, 1), dt.date(2020, 12, 31))


def numbers(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    """Every fact as printed and read (table and row numbers left out: a quarantined block shifts them)."""
    return Counter((f.extra["row"], f.extra["table"], f.period_start, f.period_end, f.country_raw, f.metric,
                    f.raw_text, f.value, f.value_low, f.value_high, f.status, f.locator.page, f.locator.column,
                    f.locator.bbox, f.note) for f in facts)


@cache
def real(name: str) -> Reading:
    return (att if name in (ATT, ATT_2016) else vz).read(document(name))


def cell(facts: list[Fact], row: str, period: tuple[dt.date, dt.date]) -> Fact:
    (f,) = [f for f in facts if f.extra["row"] == row and (f.period_start, f.period_end) == period]
    return f


def test_the_real_reports_load_with_no_findings() -> None:
    for name in (ATT, ATT_2016, VZ):
        assert (real(name).status, real(name).findings) == ("loaded", [])


def test_a_new_row_label_is_quarantined_and_every_other_cell_loads(monkeypatch) -> None:
    with_row_after(monkeypatch, "Civil", "Administrative")  # a new kind of subpoena, printed under Civil
    reading = read_document(document(ATT))
    assert reading.status == "partial"
    assert numbers(reading.facts) == numbers(real(ATT).facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.column, f.header, f.table) == ("new_row_label", "quarantined", "Administrative",
                                                                ("Administrative",), "page=3;table=2")
    assert "'Total U.S. Criminal & Civil Demands'" in f.message
    assert (cell(reading.facts, "subpoenas", H2_2020).value, cell(reading.facts, "civil", H2_2020).raw_text) == (
        89893, cell(real(ATT).facts, "civil", H2_2020).raw_text)
    with pytest.raises(UnknownLayout, match="'Administrative' .* is not a known row"):
        att.parse(document(ATT))  # the strict contract still refuses


def test_a_renamed_row_is_a_new_row_its_old_name_gives_nothing(monkeypatch) -> None:
    with_segment_text(monkeypatch, "Warrants", "Warrants and Tower Dumps")
    reading = vz.read(document(VZ))
    assert reading.status == "partial" and [f.kind for f in reading.findings] == ["new_row_label"]
    assert numbers(reading.facts) == numbers([f for f in real(VZ).facts if f.extra["row"] != "warrants"])
    assert cell(reading.facts, "total", H2_2020).value == 121266


def test_a_row_that_may_belong_to_a_new_row_refuses_its_table_only(monkeypatch) -> None:
    with_segment_text(monkeypatch, "(Content)", "(Metadata)")  # its "Number of customer selectors" follows it
    reading = vz.read(document(VZ))
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.header) == ("unreadable_table", "refused", ("national security demands",))
    assert "may belong to it" in f.message and "FISA Orders (Metadata)" in f.message
    assert numbers(reading.facts) == numbers([f for f in real(VZ).facts if f.extra["table"] == vz.US])


def test_a_table_under_an_unknown_title_is_quarantined_and_the_rest_loads(monkeypatch) -> None:
    with_segment_text(monkeypatch, "National Security Demands", "Foreign Government Demands")
    reading = read_document(document(ATT))
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.rows) == ("unknown_table", "quarantined", "page=3", 6)
    assert numbers(reading.facts) == numbers([f for f in real(ATT).facts
                                              if f.extra["table"] != "National Security Demands"])
    assert not [f for f in reading.facts if f.kind.value == "national-security"]


def test_a_page_of_figures_under_no_known_table_is_quarantined(monkeypatch) -> None:
    texts = att.page_texts

    def with_new_page(doc):  # type: ignore[no-untyped-def]
        pages = texts(doc)
        return [pages[0], "Cybersecurity Demands\nTotal 1,234\nDomestic 1,000\nForeign 234\nPending 12\n", *pages[2:]]
    monkeypatch.setattr(att, "page_texts", with_new_page)
    reading = read_document(document(ATT))
    assert [(f.kind, f.outcome, f.table) for f in reading.findings] == [("unknown_table", "quarantined", "page=2")]
    assert numbers(reading.facts) == numbers(real(ATT).facts)


def test_a_missing_period_heading_refuses_the_table_under_it_only(monkeypatch) -> None:
    with_segment_text(monkeypatch, "July – Dec. 2014", "July – Dec. 2014 (revised)")  # FISA's lagged heading
    reading = read_document(document(ATT_2016))
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.header, f.table) == ("unreadable_table", "refused", ("NATIONAL SECURITY DEMANDS",),
                                                      "page=3;table=1")
    assert "'Foreign Intelligence Surveillance Act July – Dec. 2014 (revised) Jan. – June 2015'" in f.message
    kept = [f for f in real(ATT_2016).facts if f.kind.value != "national-security"]
    assert len(kept) == len(reading.facts) == 128 and numbers(reading.facts) == numbers(kept)
    assert cell(reading.facts, "total", (dt.date(2015, 1, 1), dt.date(2015, 6, 30))).value == 145104


def test_the_table_the_series_cannot_do_without_refuses_the_document(monkeypatch) -> None:
    with_segment_text(monkeypatch, "2H 2018", "2H 2018 (revised)")  # a heading of the US table
    with pytest.raises(UnknownLayout, match=r"'US law enforcement demands' table.*'2H 2018 \(revised\)'"):
        vz.read(document(VZ))
