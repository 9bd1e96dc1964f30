"""EU DSA template filings under drift, at the grain of a table: SYNTHETIC filings built from the real blank templates
(tests/fixtures/eu_dsa_filing.py), each variant asserting its outcome and the exact known cells."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.catalogue import read_document
from parsers.facts import ParseError, UnknownLayout
from parsers.formats.interpreter import REFUSED, SET_ASIDE, strict
from parsers.series import eu_dsa_transparency_report as dsa
from tests.fixtures import eu_dsa_filing as filing
from tests.test_eu_dsa import URL, doc, one


@pytest.fixture(scope="module")
def tables():
    return filing.tables()


def _notices_with_figures() -> list[list[str]]:
    rows = [list(r) for r in filing.blank(4)]
    rows[1][1], rows[1][2], rows[1][5] = "Synthetic Platform", "2026-01-01/2026-06-30", "1234"
    return rows


def test_a_standalone_csv_of_another_template_table_is_partial_naming_the_table_not_refused():
    reading = dsa.read(doc(filing.csv_bytes(_notices_with_figures()), URL + "-4.csv"))
    assert reading.facts == [] and reading.status == "partial"
    (finding,) = reading.findings
    assert finding.kind == SET_ASIDE and finding.rows == len(filing.blank(4)) - 1
    assert "template table 4 notices, not about government demands: not read" in finding.message
    assert finding.header[5].startswith("Number of notices received")
    assert read_document(doc(filing.csv_bytes(_notices_with_figures()), URL + "-4.csv")).status == "partial"
    with pytest.raises(ParseError, match="no Member State orders"):  # a blank template prints no figure at all
        read_document(doc(filing.csv_bytes(filing.blank(4)), URL + "-4.csv"))


def test_a_bundle_with_a_new_member_quarantines_it_and_loads_the_rest(tables):
    buf = io.BytesIO(filing.zip_bundle(tables))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("12_new_table.csv", "Country,Orders\r\nDE,5\r\n")
        z.writestr("charts.xlsx.bin", b"\x00\x01")
    data = buf.getvalue()
    reading = dsa.read(doc(data, URL + ".zip"))
    assert one(reading.facts, metric="orders_to_act", category="TOTAL", country_raw="TOTAL").value == 547
    new = sorted((f for f in reading.findings if f.kind == "unknown_table"), key=lambda f: f.table)
    assert [(f.table, f.header, f.rows) for f in new] == [
        ("member=12_new_table.csv", ("Country", "Orders"), 1), ("member=charts.xlsx.bin", (), 0)]
    assert reading.status == "partial"
    with pytest.raises(UnknownLayout, match="a table this parser does not know"):
        strict(doc(data), reading)  # the strict contract: an unknown member is drift


def test_set_aside_tables_are_no_drift_for_the_strict_contract(tables):
    facts = dsa.parse(doc(filing.zip_bundle(tables), URL + ".zip"))
    assert one(facts, metric="orders_to_provide_information", category="TOTAL", country_raw="TOTAL").value == 656


def test_a_bundle_without_table_3_is_refused(tables):
    without = {k: v for k, v in tables.items() if k != 3}
    with pytest.raises(UnknownLayout, match=r"template table 3 \(Member State orders\).*not in the document"):
        dsa.read(doc(filing.zip_bundle(without), URL + ".zip"))


def test_table_10_with_an_unknown_indicator_is_refused_alone_and_table_3_loads(tables):
    changed = {**tables, 10: [list(r) for r in tables[10]]}
    changed[10][1][4] = "Number of monthly active service recipients"
    reading = dsa.read(doc(filing.zip_bundle(changed), URL + ".zip"))
    refused = [f for f in reading.findings if f.outcome == REFUSED]
    assert len(refused) == 1 and "unknown Indicator 'Number of monthly active service recipients'" in refused[0].message
    assert not [f for f in reading.facts if f.metric == "average_monthly_active_recipients"]
    assert one(reading.facts, metric="orders_to_act", category="TOTAL", country_raw="EL").value == 47


def test_a_csv_with_a_title_row_above_the_header_reads_the_same_cells(tables):
    titled = [["Member States' orders (synthetic test filing)"], *tables[3]]
    facts = dsa.parse(doc(filing.csv_bytes(titled), URL + "-3.csv"))
    act = one(facts, metric="orders_to_act", category="TOTAL", country_raw="TOTAL")
    assert (act.value, act.locator.row) == (547, 3)  # line 3: the title, the header, then the first row


def test_context_text_and_blank_cells_are_said_on_their_facts(tables):
    facts = dsa.parse(doc(filing.csv_bytes(tables[3]), URL + "-3.csv"))
    act = one(facts, metric="orders_to_act", category="TOTAL", country_raw="TOTAL")
    assert "the filing's context: Orders counted once" in act.note
    other = [f for f in facts if f.extra["category"] == "KEYWORD_OTHER" and f.metric == "orders_to_act"][0]
    assert other.raw_text == "" and "left blank in the filing" in other.note and not other.counts_toward_total
