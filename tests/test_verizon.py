"""Verizon's US transparency reports (PDF, 15 editions 2013 - 2H 2020): exact cells read by hand, every printed
figure with its own period, the reports' own arithmetic (and exactly where Verizon's fails), every capture
parsed, and variants of the real text layer that must be refused."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.facts import Fact, ParseError, Status
from parsers.series import verizon_us_transparency_report as vz
from tests.corpus import captures, document
from tests.pdf_variants import with_segment_text


def half(year: int, h: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if h == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[Fact]]:
    """Every Verizon capture of the corpus, parsed once for the module ("2H-2019" -> facts)."""
    out = {}
    for c in captures():
        if c.company == "verizon":
            name = c.url.rsplit("/", 1)[1]
            out[name.removeprefix("US-Transparency-Report-").removesuffix(".pdf")] = vz.parse(document(name))
    return out


def cell(facts: list[Fact], row: str, period: tuple[dt.date, dt.date]) -> Fact:
    hits = [f for f in facts if f.extra["row"] == row and (f.period_start, f.period_end) == period]
    assert len(hits) == 1, (row, period, len(hits))
    return hits[0]


def test_every_capture_parses_with_a_sensible_count(parsed):
    counts = {name: len(facts) for name, facts in parsed.items()}
    assert len(counts) == 15
    assert counts["2013"] == 9  # the first report: one column for 2013
    assert all(30 <= n <= 110 for name, n in counts.items() if name != "2013"), counts
    for name, facts in parsed.items():
        assert {f.country_iso2 for f in facts} == {"US"}
        assert {f.extra["row"] for f in facts} >= ({"nsl"} if name == "2013" else {r.id for r in vz.NS_ROWS})
        keys = [(f.extra["row"], f.period_start, f.period_end) for f in facts]
        assert len(keys) == len(set(keys))


def test_every_reprinted_half_year_is_kept_with_its_own_period(parsed):
    facts = parsed["2H-2020"]
    assert sorted({f.period_start for f in facts if f.extra["row"] == "subpoenas"}) == [
        half(y, h)[0] for y in range(2017, 2021) for h in (1, 2)]
    f = cell(facts, "subpoenas", half(2020, 2))
    assert (f.raw_text, f.value, f.locator.page, f.locator.column) == ("59,264", 59264, 1, "2H 2020")
    assert cell(facts, "general", half(2017, 1)).value == 24448
    f = cell(facts, "total", half(2020, 2))  # the table runs onto page 2
    assert (f.raw_text, f.value, f.locator.page, f.is_total) == ("121,266", 121266, 2, True)
    # The same half-year as printed by three reports: each report's own figure, from that report.
    assert [cell(parsed[r], "subpoenas", half(2017, 1)).value for r in ("1H-2018", "2H-2019", "2H-2020")] == [
        68237] * 3


def test_national_security_bands_stacked_headings_and_withheld_figures(parsed):
    facts = parsed["2H-2019"]
    f = cell(facts, "nsl", half(2016, 2))
    assert (f.raw_text, f.value, f.value_low, f.value_high, f.status, f.locator.page) == (
        "6-499", None, 6, 499, Status.BANDED, 5)
    assert f.locator.column == "Jul. 1, 2016– Dec. 31, 2016"  # printed over four lines
    f = cell(facts, "nsl_selectors", half(2019, 2))
    assert (f.value_low, f.value_high, f.unit.value) == (3500, 3999, "selectors")
    assert "June 30, 2019 –Dec. 31 2019" in f.note  # the misprinted heading, corrected and said so
    f = cell(facts, "fisa_content", half(2019, 2))
    assert (f.raw_text, f.status, f.value_low) == ("*", Status.WITHHELD, None) and "six-month delay" in f.note
    f = cell(parsed["1H-2015"], "nsl", half(2013, 1))  # "0\xad999": a soft hyphen for the dash
    assert (f.raw_text, f.value_low, f.value_high) == ("0\xad999", 0, 999)
    f = cell(parsed["1H-2016"], "fisa_content_selectors", half(2013, 1))  # "4000-" over "4999" in a narrow cell
    assert (f.raw_text, f.value_low, f.value_high) == ("4000-4999", 4000, 4999)
    assert not [f for facts in parsed.values() for f in facts if f.status is Status.BANDED and f.value is not None]


def test_the_2h_2019_correction_of_double_counted_pen_registers_is_in_the_notes(parsed):
    for row in ("general", "pen"):
        assert all("double counted pen register" in f.note for f in parsed["2H-2019"] if f.extra["row"] == row)
    assert not [f for name, facts in parsed.items() if name != "2H-2019" for f in facts
                if "double counted" in f.note]
    assert cell(parsed["2H-2019"], "general", half(2016, 2)).value == 24691  # corrected: no pen registers in it


def test_odd_cells_and_columns_of_older_reports(parsed):
    f = cell(parsed["1H-2014"], "emergency", (dt.date(2013, 1, 1), dt.date(2013, 12, 31)))
    assert (f.raw_text, f.value, f.status, f.note) == ("50,000 (approx)", 50000, Status.REPORTED,
                                                       "printed as approximate")
    assert not [f for f in parsed["1H-2014"] if "Half of 2013" in (f.locator.column or "")]  # halved by Verizon
    f = cell(parsed["2013"], "nsl", (dt.date(2013, 1, 1), dt.date(2013, 12, 31)))
    assert (f.raw_text, f.value_low, f.value_high, f.kind.value) == ("1000-1999", 1000, 1999, "national-security")
    assert cell(parsed["2013"], "general", (dt.date(2013, 1, 1), dt.date(2013, 12, 31))).value == 62857
    f = cell(parsed["1H-2019"], "subpoenas", half(2019, 2))  # a column printed empty
    assert (f.raw_text, f.status, f.value, f.note) == ("", Status.NOT_REPORTED, None, "a blank cell")


def test_misprints_are_corrected_or_left_out_as_declared(parsed):
    f = cell(parsed["1H-2015"], "fisa_content_selectors", half(2015, 1))  # heading "July 1, 2015 – June 30, 2015"
    assert f.locator.column == "July 1, 2015 – June 30, 2015" and "first half of 2015" in f.note
    assert cell(parsed["2H-2017"], "subpoenas", half(2015, 1)).value == 69524  # heading "1st Half of 2014"
    assert [f.value for f in parsed["2H-2017"] if f.extra["row"] == "subpoenas" and f.period_start.year == 2017] == [
        68237]  # its repeated "1st Half of 2017" column is not read
    assert not [f for f in parsed["1H-2017"] if f.raw_text == "1000-999"]  # bands whose low end is above the high
    assert not [f for f in parsed["2H-2018"] if f.raw_text == "2000-1499"]
    assert cell(parsed["2H-2018"], "nsl_selectors", half(2016, 1)).raw_text == "500-999"  # the row above: read
    assert [f.period_start for f in parsed["2H-2018"] if f.extra["row"] == "fisa_content_selectors"] == [
        half(y, h)[0] for y, h in ((2016, 2), (2017, 1), (2017, 2), (2018, 1), (2018, 2))]
    flagged = [f for f in parsed["1H-2018"] if "repeats the column" in f.note]
    assert {f.period_start for f in flagged} == {half(2017, 2)[0]} and len(flagged) == 8


# Where Verizon's own arithmetic fails, as printed: (report, row, first day of the half-year).
PUBLISHER_ARITHMETIC_FAILS = {
    ("1H-2015", "total", "2014-07-01"), ("1H-2016", "total", "2014-07-01"), ("2H-2014", "total", "2014-07-01"),
    ("2H-2015", "total", "2014-07-01"), ("2H-2016", "total", "2014-07-01"), ("1H-2017", "total", "2014-07-01"),
    ("1H-2017", "orders", "2016-01-01"), ("1H-2017", "total", "2016-01-01"), ("1H-2017", "total", "2016-07-01"),
    ("1H-2017", "total", "2017-01-01"), ("1H-2018", "orders", "2016-01-01"), ("1H-2018", "total", "2016-01-01"),
    ("1H-2018", "total", "2016-07-01"), ("1H-2018", "total", "2017-01-01"), ("1H-2018", "total", "2017-07-01"),
    ("1H-2019", "total", "2016-07-01"), ("2H-2017", "orders", "2016-01-01"), ("2H-2017", "total", "2016-01-01"),
    ("2H-2017", "total", "2016-07-01"), ("2H-2017", "total", "2017-01-01"), ("2H-2018", "orders", "2018-01-01"),
    ("2H-2018", "total", "2016-01-01"), ("2H-2018", "total", "2016-07-01"),
}


def test_totals_are_the_sum_of_their_rows_except_where_verizon_printed_otherwise(parsed):
    held, failed = 0, set()
    for name, facts in parsed.items():
        v = {(f.extra["row"], f.period_start): f.value for f in facts if f.value is not None}
        for (row, start), value in v.items():
            orders = v.get(("orders", start))
            if orders is None and ("general", start) in v:  # from 2H 2019: no total-orders row
                orders = sum(v.get((r, start), 0) for r in ("general", "pen", "wiretap"))
            parts = {"total": [v.get(("subpoenas", start)), orders, v.get(("warrants", start)),
                               v.get(("emergency", start))],
                     "orders": [v.get((r, start)) for r in ("general", "pen", "wiretap")]}.get(row)
            if parts and None not in parts:
                if sum(parts) == value:
                    held += 1
                else:
                    failed.add((name, row, start.isoformat()))
    assert failed == PUBLISHER_ARITHMETIC_FAILS
    assert held >= 90
    # 2H 2014 as every later report prints it: the parts add to 138,556, the total says 138,656.
    facts = parsed["2H-2014"]
    assert cell(facts, "total", half(2014, 2)).value == 138656
    assert sum(cell(facts, r, half(2014, 2)).value for r in ("subpoenas", "orders", "warrants", "emergency")) == (
        138556)


def test_a_renamed_row_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "Warrants", "Warrants and Tower Dumps")
    with pytest.raises(ParseError, match="'Warrants and Tower Dumps' .* is not a known row"):
        vz.parse(document("US-Transparency-Report-2H-2020.pdf"))


def test_an_unreadable_column_heading_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "2H 2018", "2H 2018 (revised)")
    with pytest.raises(ParseError, match=r"column heading '2H 2018 \(revised\)' is not a period"):
        vz.parse(document("US-Transparency-Report-2H-2020.pdf"))


def test_a_national_security_row_out_of_place_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "(Content)", "(Metadata)")
    with pytest.raises(ParseError, match="FISA Orders \\(Metadata\\)"):
        vz.parse(document("US-Transparency-Report-2H-2020.pdf"))
