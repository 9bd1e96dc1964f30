"""Layout drift in the two outside sources (RDR's index ZIPs, the 2014 secondary CSV), built at test time from the
real corpus bytes (never stored), and a table printed twice where a layout prints it once (X's global report,
synthetic PDFs; and on the interpreter alone, synthetic CSV tables).

As in tests/test_drift.py: a new measure column loads the known columns and quarantines the new one; a new or a
dropped key column refuses the table (and the document: these tables are ones the series cannot do without); a
header renamed to a declared alias and reordered columns are not drift. Known cells are asserted exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache

import pytest

from parsers.catalogue import read_document
from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.formats.declarations import Key, KnownTable, Measure
from parsers.formats.interpreter import NOTED, REFUSED, Reading, calendar_year_in, interpret
from parsers.formats.table import csv_tables
from parsers.series import rdr_index as rdr
from parsers.series import secondary_full_data_2009_2013 as secondary
from parsers.series import x_global_transparency_report as xg
from tests.corpus import document
from tests.test_drift import add_column, csv_variant, drop_column
from tests.zip_variants import at, edit_csv, rebuilt

RDR = "2022RDRIndexCSV.zip"
INDICATORS, ELEMENTS = "2022-rdr-index-04-indicator-scores.csv", "2022-rdr-index-06-element-scores.csv"
SECONDARY = "Full-Data(2009-2013)"


def cells(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    """Every fact by what it says and where it was printed (not by column position or header spelling)."""
    return Counter((f.locator.member, f.locator.row, f.metric, f.request_type_raw, f.country_raw, f.value,
                    f.value_low, f.value_high, f.status, f.raw_text, f.period_start, f.period_end, f.note,
                    tuple(sorted(f.extra.items()))) for f in facts)


def reversed_columns(rows: list[list[str]]) -> list[list[str]]:
    return [list(reversed(r)) for r in rows]


# --- RDR 2022 (ZIP of CSVs; the indicator and element members are required) ----------------------------------------

@cache
def rdr_real() -> tuple[Document, Reading]:
    doc = document(RDR)
    return doc, rdr.read(doc)


def assert_rdr_known_cells(facts: list[Fact]) -> None:
    # 2022-rdr-index-04-indicator-scores.csv row 413: 2022,Digital Platform,Google,Google,P,P11,P11a,TRUE,11,a,75
    f = at(facts, INDICATORS, 413, "Score")
    assert (f.value, f.raw_text, f.request_type_raw, f.extra["rated_company"], f.unit) == (75, "75", "P11a", "Google",
                                                                                           Unit.SCORE)
    # Element P11a.06 for Gmail: "partial", 50 (06-element-scores.csv)
    (el,) = [x for x in facts if x.request_type_raw == "P11a.06" and x.extra["rated_company"] == "Google"
             and x.extra.get("service") == "Gmail"]
    assert (el.value, el.extra["result"], el.locator.member) == (50, "partial", ELEMENTS)


def test_rdr_real_file_loads_with_no_findings() -> None:
    _, real = rdr_real()
    assert (real.status, real.findings, len(real.facts)) == ("loaded", [], 1840)
    assert_rdr_known_cells(real.facts)


def test_rdr_new_measure_column_is_quarantined_and_the_rest_loads() -> None:
    doc, real = rdr_real()
    reading = read_document(rebuilt(doc, edit_csv(INDICATORS, add_column("Weight", lambda i, r: "1"))))
    assert reading.status == "partial" and cells(reading.facts) == cells(real.facts)
    assert_rdr_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.column, f.rows) == ("new_measure_column", "quarantined",
                                                              f"member={INDICATORS}", "Weight", 980)


def test_rdr_new_member_is_quarantined_and_the_rest_loads() -> None:
    doc, real = rdr_real()
    reading = read_document(rebuilt(doc, lambda m: {**m, "2022-rdr-index-07-service-scores.csv":
                                                    b"Company,Service,Score\nGoogle,Gmail,61\n"}))
    assert reading.status == "partial" and cells(reading.facts) == cells(real.facts)
    (f,) = reading.findings
    assert (f.kind, f.table, f.header, f.rows) == ("unknown_table", "member=2022-rdr-index-07-service-scores.csv",
                                                   ("Company", "Service", "Score"), 1)


def test_rdr_new_or_dropped_key_column_refuses_the_document() -> None:
    doc, _ = rdr_real()
    region = add_column("Region", lambda i, r: "Asia" if i % 2 else "Europe")
    with pytest.raises(UnknownLayout, match=r"'2022-indicator-scores' table.*'Region' holds text"):
        rdr.read(rebuilt(doc, edit_csv(INDICATORS, region)))
    with pytest.raises(UnknownLayout, match=r"'2022-element-scores' table.*key column 'Company' is missing"):
        rdr.read(rebuilt(doc, edit_csv(ELEMENTS, drop_column("Company"))))


def test_rdr_alias_rename_and_reordered_columns_are_not_drift() -> None:
    doc, real = rdr_real()
    answer = edit_csv(ELEMENTS, lambda rows: [[("Answer" if h == "Result" else h) for h in rows[0]], *rows[1:]])
    variant = rebuilt(rebuilt(doc, answer), edit_csv(INDICATORS, reversed_columns))
    reading = rdr.read(variant)
    assert (reading.status, reading.findings) == ("loaded", [])
    assert cells(reading.facts) == cells(real.facts)
    assert_rdr_known_cells(reading.facts)


# --- the secondary dataset (one CSV, required) ------------------------------------------------------------------

@cache
def secondary_real() -> tuple[Document, Reading]:
    doc = document(SECONDARY)
    return doc, secondary.read(doc)


def assert_secondary_known_cells(facts: list[Fact]) -> None:
    # Row 2: "Argentina - Google, 2009 (2nd half)",Google,2009,2009 (2nd half),Argentina,98,,,
    (arg,) = [f for f in facts if (f.locator.row, f.metric) == (2, "requests")]
    assert (arg.value, arg.country_iso2, arg.extra["reported_company"], arg.period_start) == (
        98, "AR", "google", dt.date(2009, 7, 1))
    # Microsoft 2012, United States: rows 236 and 345 both print 5536.5: one annual figure, 11073
    (us,) = [f for f in facts if (f.locator.row, f.metric) == (236, "requests")]
    assert (us.value, us.raw_text, us.period_end) == (11073, "5536.5 | 5536.5", dt.date(2012, 12, 31))
    assert not [f for f in facts if f.locator.row == 345]
    # The compiler's 5.5 for "<10" stays an interval (Twitter, Austria, 2012 H1)
    (at_,) = [f for f in facts if f.country_raw == "Austria" and f.extra["reported_company"] == "x"
              and f.period_start == dt.date(2012, 1, 1) and f.metric == "requests"]
    assert (at_.value, at_.value_low, at_.value_high, at_.status) == (None, 1, 9, Status.SUPPRESSED)


def test_secondary_real_file_loads_with_no_findings() -> None:
    _, real = secondary_real()
    assert (real.status, real.findings, len(real.facts)) == ("loaded", [], 3460)
    assert_secondary_known_cells(real.facts)


def test_secondary_new_measure_column_is_quarantined_and_the_rest_loads() -> None:
    doc, real = secondary_real()
    reading = read_document(csv_variant(doc, add_column("Emergency Requests", lambda i, r: str(i % 7))))
    assert reading.status == "partial" and cells(reading.facts) == cells(real.facts)
    assert_secondary_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.column, f.rows) == ("new_measure_column", "quarantined", "Emergency Requests", 948)


def test_secondary_new_or_dropped_key_column_refuses_the_document() -> None:
    doc, _ = secondary_real()
    agency = add_column("Agency", lambda i, r: "Federal" if i % 2 else "State")
    with pytest.raises(UnknownLayout, match=r"'full-data-2009-2013' table.*'Agency' holds text"):
        read_document(csv_variant(doc, agency))
    with pytest.raises(UnknownLayout, match="key column 'Country' is missing"):
        secondary.read(csv_variant(doc, drop_column("Country")))


def test_secondary_alias_rename_and_reordered_columns_are_not_drift() -> None:
    doc, real = secondary_real()
    renamed = csv_variant(doc, lambda rows: [[("Country/Region" if h == "Country" else h) for h in rows[0]],
                                             *rows[1:]])
    for variant in (renamed, csv_variant(doc, reversed_columns)):
        reading = secondary.read(variant)
        assert (reading.status, reading.findings) == ("loaded", [])
        assert cells(reading.facts) == cells(real.facts)
        assert_secondary_known_cells(reading.facts)


# --- a table printed twice where its layout prints it once -------------------------------------------------------

def x_pdf(second_info: list[list[str]] | None) -> Document:
    """SYNTHETIC: X's two tables on page 2 and, on page 3, a second copy of the information table."""
    import hashlib

    from tests.fixtures.synthetic_pdf import Page, Table, build_pdf
    from tests.test_x_global_report import HEADER_INFO, HEADER_REMOVAL, WIDTHS

    info = [HEADER_INFO, ["TOTAL INFORMATION REQUESTS", "30", "20", "66.67%"], ["USA", "10", "8", "80%"],
            ["EU", "20", "12", "60%"]]
    removal = [HEADER_REMOVAL, ["TOTAL REMOVAL REQUESTS", "7", "7", "100%"], ["Japan", "7", "7", "100%"]]
    pages = [Page(lines=[(40, 40, "GLOBAL TRANSPARENCY REPORT H1 2030")])]
    pages += [Page(lines=[(40, 30, f"{n} Global Transparency Report | H1 2030")]) for n in range(2, 4)]
    pages[1].tables = [Table(30, 100, WIDTHS, info), Table(30, 300, WIDTHS, removal)]
    if second_info is not None:
        pages[2].tables = [Table(30, 100, WIDTHS, [HEADER_INFO, *second_info])]
    data = build_pdf(pages)
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url="https://example.test/x-twice.pdf",
                    company="x", series="global-transparency-report")


def test_x_identical_copies_of_a_table_are_read_once_with_a_noted_finding() -> None:
    base = xg.read(x_pdf(None))
    reading = read_document(x_pdf([["TOTAL INFORMATION REQUESTS", "30", "20", "66.67%"], ["USA", "10", "8", "80%"],
                                   ["EU", "20", "12", "60%"]]))
    assert reading.status == "loaded" and cells(reading.facts) == cells(base.facts) and len(reading.facts) == 15
    assert {f.locator.page for f in reading.facts} == {2}
    usa = [f for f in reading.facts if f.metric == "requests_some_data_produced" and f.extra["row_label"] == "USA"]
    assert [(f.value, f.locator.page, f.locator.row, f.kind) for f in usa] == [(8, 2, 3, Kind.USER_DATA)]
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("duplicate_table", NOTED, "page=2;table=1")
    assert "page=2;table=1, page=3;table=1" in f.message and "read once" in f.message
    with pytest.raises(UnknownLayout, match="identically"):  # the strict contract refuses any finding
        xg.parse(x_pdf([["TOTAL INFORMATION REQUESTS", "30", "20", "66.67%"], ["USA", "10", "8", "80%"],
                        ["EU", "20", "12", "60%"]]))


def test_x_different_copies_of_a_required_table_refuse_the_document_naming_both_places() -> None:
    differing = [["TOTAL INFORMATION REQUESTS", "31", "20", "64.52%"], ["USA", "11", "8", "72.73%"],
                 ["EU", "20", "12", "60%"]]
    with pytest.raises(UnknownLayout, match=r"'information-requests-2024h1' table.*appears 2 times with different "
                                            r"figures \(page=2;table=1, page=3;table=1\).*document is refused"):
        xg.read(x_pdf(differing))


def _doc(data: bytes) -> Document:
    return Document(data=data, sha256="0" * 64, url="https://example.test/s.csv", company="c", series="s")


def test_different_copies_of_a_table_that_is_not_required_refuse_only_that_table() -> None:
    # SYNTHETIC: three stacked CSV tables; the second and third both claim the 'appeals' table, with different figures
    text = (b"Table 1/3: requests\nyear,country,requests\n2020,France,12\n\nTable 2/3: appeals\nyear,country,appeals"
            b"\n2020,France,3\n\nTable 3/3: appeals\nyear,country,appeals\n2020,France,4\n")
    keys = (Key("year", "year", "period"), Key("country", "country", "country"))
    known = (KnownTable("requests", keys, (Measure("requests", "requests", Unit.REQUESTS, RequestType.ALL),),
                        where="Table 1/3: requests", required=True),
             KnownTable("appeals", keys, (Measure("appeals", "appeals", Unit.REQUESTS, RequestType.ALL),),
                        where=r"Table ./3: appeals", once=True))
    reading = interpret(_doc(text), known, csv_tables(_doc(text)), period=calendar_year_in("year"))
    assert reading.status == "partial"
    assert [(f.metric, f.value, f.locator.table, f.locator.row) for f in reading.facts] == [("requests", 12, 1, 3)]
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("ambiguous_table", REFUSED, "table=2")
    assert "table=2, table=3" in f.message
    # identical copies: read once, and the document is loaded
    same = text.replace(b"France,4", b"France,3")
    reading = interpret(_doc(same), known, csv_tables(_doc(same)), period=calendar_year_in("year"))
    assert reading.status == "loaded"
    assert [(f.metric, f.value, f.locator.table) for f in reading.facts] == [("requests", 12, 1), ("appeals", 3, 2)]
    assert [(f.kind, f.outcome) for f in reading.findings] == [("duplicate_table", NOTED)]
