"""AT&T's transparency reports (PDF, 15 editions 2014-2021): exact cells read by hand from the files, the
reports' own arithmetic, every capture parsed, and variants of the real text layer that must be refused."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.facts import Fact, ParseError, Status
from parsers.series import att_transparency_report as att
from tests.corpus import captures, document
from tests.pdf_variants import with_segment_text

H2_2014 = (dt.date(2014, 7, 1), dt.date(2014, 12, 31))
H1_2015, H2_2015 = (dt.date(2015, 1, 1), dt.date(2015, 6, 30)), (dt.date(2015, 7, 1), dt.date(2015, 12, 31))
H1_2016, H2_2016 = (dt.date(2016, 1, 1), dt.date(2016, 6, 30)), (dt.date(2016, 7, 1), dt.date(2016, 12, 31))
H1_2020, H2_2020 = (dt.date(2020, 1, 1), dt.date(2020, 6, 30)), (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
PARTS = {r.id: r.parts for rows in att.TABLES.values() for r in rows if r.parts}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[Fact]]:
    """Every AT&T capture of the corpus, parsed once for the module (file name -> facts)."""
    return {c.url.rsplit("/", 1)[1]: att.parse(document(c.url.rsplit("/", 1)[1]))
            for c in captures() if c.company == "att"}


def cell(facts: list[Fact], row: str, period: tuple[dt.date, dt.date], country: str = "") -> Fact:
    hits = [f for f in facts if f.extra["row"] == row and (f.period_start, f.period_end) == period
            and f.country_raw == country]
    assert len(hits) == 1, (row, period, country, len(hits))
    return hits[0]


def test_every_capture_parses_with_a_sensible_count(parsed):
    counts = {name: len(facts) for name, facts in parsed.items()}
    assert len(counts) == 15
    assert counts["2014-July-Report.pdf"] == 19  # its staircase criminal/civil table is declared unread
    assert all(50 <= n <= 160 for name, n in counts.items() if name != "2014-July-Report.pdf"), counts
    for facts in parsed.values():  # one fact per row, period and country
        keys = [(f.extra["row"], f.period_start, f.country_raw) for f in facts]
        assert len(keys) == len(set(keys))


def test_us_cells_read_by_hand(parsed):
    jan16 = parsed["2016-January-Report.pdf"]
    f = cell(jan16, "total", H1_2015)
    assert (f.raw_text, f.value, f.status, f.locator.page, f.country_iso2) == ("145,104", 145104, Status.REPORTED,
                                                                            3, "US")
    assert f.locator.column == "Jan. – June 2015" and f.is_total and f.locator.bbox is not None
    assert cell(jan16, "total", H2_2015).value == 142876
    feb21 = parsed["2021-February-Report.pdf"]
    assert (cell(feb21, "co_historic", H2_2020).raw_text, cell(feb21, "co_historic", H2_2020).value) == ("7,039",
                                                                                                       7039)
    assert cell(feb21, "subpoenas", H2_2020).value == 89893


def test_national_security_bands_are_ranges_with_their_own_lagged_period(parsed):
    f = cell(parsed["2021-February-Report.pdf"], "nsl", H2_2020)  # en dash and leading zeros
    assert (f.raw_text, f.value, f.value_low, f.value_high, f.status) == ("000–499", None, 0, 499, Status.BANDED)
    f = cell(parsed["2021-February-Report.pdf"], "fisa_content_selectors", H1_2020)  # FISA six months behind
    assert (f.raw_text, f.value_low, f.value_high, f.locator.page, f.unit.value) == ("8,500–8,999", 8500, 8999, 3,
                                                                                     "selectors")
    f = cell(parsed["2016-January-Report.pdf"], "fisa_content_selectors", H2_2014)
    assert (f.raw_text, f.value_low, f.value_high, f.country_iso2) == ("16,500 – 16,999", 16500, 16999, "US")
    f = cell(parsed["2014-January-Report.pdf"], "nsl_accounts", (dt.date(2014, 1, 1), dt.date(2014, 6, 30)))
    assert (f.raw_text, f.metric, f.value_low, f.value_high) == ("2,000 – 2,999", "accounts_specified", 2000, 2999)
    assert not [f for facts in parsed.values() for f in facts
                if f.kind.value == "national-security" and f.status is Status.BANDED and f.value is not None]


def test_international_demands_by_country(parsed):
    feb17 = parsed["2017-February-Report.pdf"]
    f = cell(feb17, "blocking", H2_2016, "Turkey")  # "Turkey³": the raised footnote mark is not the name
    assert (f.raw_text, f.value, f.country_iso2, f.locator.page, f.kind.value) == ("7,240", 7240, "TR", 10,
                                                                                   "content-removal")
    assert cell(feb17, "blocking", H1_2016, "Turkey").value == 1090
    jan16 = parsed["2016-January-Report.pdf"]
    f = cell(jan16, "subscriber", H1_2015, "Peru")
    assert (f.raw_text, f.status, f.value) == ("n/a", Status.NOT_APPLICABLE, None)
    f = cell(jan16, "blocking", H2_2015, "Russia")  # page 11: figures drift from labels, dealt in reading order
    assert (f.value, f.country_iso2) == (180, "RU") and "reading order" in f.note
    assert cell(jan16, "mx_realtime", H1_2015, "Mexico").value == 379
    assert cell(parsed["2015-July-Report.pdf"], "subscriber", H1_2015, "Columbia").country_iso2 == "CO"
    totals = [f for f in parsed["2015-January-Report.pdf"] if f.extra["row"] == "intl"]
    assert [(f.value, f.country_iso2) for f in totals] == [(17, None), (10, None)]  # not a country, not the US


def test_misprinted_headings_are_corrected_and_say_so(parsed):
    f = cell(parsed["2017-February-Report.pdf"], "subpoenas", H1_2016)
    assert f.value == 103011 and f.locator.column == "Jan. – July 2016" and "Jan. – July 2016" in f.note
    f = cell(parsed["2015-July-Report.pdf"], "rejected_total", H1_2015)
    assert f.value == 46406 and f.locator.column == "Jan. – June 2014" and "first half of 2015" in f.note


def test_the_unread_staircase_table_is_declared_and_the_rest_of_that_report_loads(parsed):
    facts = parsed["2014-July-Report.pdf"]
    assert not [f for f in facts if "LITIGATION" in f.extra["table"]]
    assert cell(facts, "emergency", (dt.date(2014, 1, 1), dt.date(2014, 6, 30))).value == 50232
    assert cell(facts, "fisa_content_accounts", (dt.date(2013, 7, 1), dt.date(2013, 12, 31))).raw_text == (
        "33,000-33,999")


@pytest.mark.parametrize("name", ["2014-January-Report.pdf", "2016-January-Report.pdf", "2017-February-Report.pdf",
                                  "2019-August-Report.pdf", "2021-February-Report.pdf"])
def test_subpoenas_are_criminal_plus_civil(parsed, name):
    facts = parsed[name]
    for f in (f for f in facts if f.extra["row"] == "subpoenas"):
        period = (f.period_start, f.period_end)
        assert f.value == cell(facts, "criminal", period).value + cell(facts, "civil", period).value


def test_every_printed_total_is_the_sum_of_its_parts(parsed):
    checked = 0
    for name, facts in parsed.items():
        by = {(f.extra["row"], f.period_start, f.country_raw): f.value for f in facts}
        for f in facts:
            parts = [by.get((p, f.period_start, f.country_raw)) for p in PARTS.get(f.extra["row"], ())]
            if f.value is not None and parts and None not in parts:
                assert sum(parts) == f.value, (name, f.extra["row"], f.period_start, f.country_raw)
                checked += 1
    assert checked >= 220


def test_a_renamed_row_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "Civil", "Civil and Regulatory")
    with pytest.raises(ParseError, match="Civil and Regulatory"):
        att.parse(document("2021-February-Report.pdf"))


def test_an_unknown_table_title_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "Location Demands", "Location and Tower Demands")  # read as a row of the table above
    with pytest.raises(ParseError, match="'Location and Tower Demands' .* is not a known row"):
        att.parse(document("2020-August-Report.pdf"))


def test_a_table_under_a_title_the_parser_does_not_know_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "National Security Demands", "Foreign Government Demands")  # first on its page
    with pytest.raises(ParseError, match="figures outside any known table"):
        att.parse(document("2021-February-Report.pdf"))


def test_an_unreadable_period_heading_is_refused(monkeypatch):
    with_segment_text(monkeypatch, "Jan. – June 2015", "Jan. – June 2015 (revised)")  # no longer a column heading
    with pytest.raises(ParseError, match=r"'National Security Letters Jan\. – June 2015 \(revised\)"):
        att.parse(document("2016-January-Report.pdf"))


def test_a_page_of_figures_under_no_known_title_is_refused(monkeypatch):
    real = att.page_texts

    def texts(doc):  # the real pages, page 2 (the introduction) holding a table this parser does not know
        pages = real(doc)
        return [pages[0], "Cybersecurity Demands\nTotal 1,234\nDomestic 1,000\nForeign 234\nPending 12\n", *pages[2:]]
    monkeypatch.setattr(att, "page_texts", texts)
    with pytest.raises(ParseError, match="page 2 holds figures under no table this parser knows"):
        att.parse(document("2021-February-Report.pdf"))
