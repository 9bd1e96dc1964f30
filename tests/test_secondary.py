"""The 2014 secondary compilation (2009-2013) and the cross-check of its figures against our own facts."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from pathlib import Path

import duckdb
import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, Locator, RequestType, Status, Unit, UnknownLayout
from parsers.series.secondary_full_data_2009_2013 import parse
from tests.corpus import document, require_corpus
from warehouse.crosscheck import crosscheck, crosscheck_rows, format_table

URL = "Full-Data(2009-2013)"
SCHEMA = Path(__file__).resolve().parent.parent / "warehouse" / "sql" / "schema.sql"


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    require_corpus()
    return parse(document(URL))


def find(facts: list[Fact], company: str, country: str, start: dt.date, metric: str) -> Fact:
    hits = [f for f in facts if f.extra["reported_company"] == company and f.country_raw == country
            and f.period_start == start and f.metric == metric]
    assert len(hits) == 1, (company, country, start, metric, len(hits))
    return hits[0]


def test_catalogue_and_labels(facts: list[Fact]) -> None:
    assert parser_for("silk-transparency-db", "full-data-2009-2013") is parse
    assert all(f.company == "silk-transparency-db" and f.extra["secondary"] == "true"
               and "secondary compilation" in f.note for f in facts)
    assert {f.extra["reported_company"] for f in facts} >= {"google", "microsoft", "att", "verizon", "comcast",
                                                            "yahoo", "dropbox", "meta", "x"}
    assert len({f.extra["reported_company"] for f in facts}) == 19
    assert all(f.country_iso2 for f in facts)  # every country label maps (incl. "Palestinian Authority")
    # 948 rows x 4 figures, less the 83 second-half rows folded into annual figures.
    annual = [f for f in facts if f.metric == "requests" and (f.period_end - f.period_start).days > 200]
    assert len(annual) == 83
    assert len(facts) == (948 - 83) * 4 == 3460


def test_exact_cells(facts: list[Fact]) -> None:
    # Row 2: "Argentina - Google, 2009 (2nd half)",Google,2009,2009 (2nd half),Argentina,98,,,
    arg = find(facts, "google", "Argentina", dt.date(2009, 7, 1), "requests")
    assert (arg.value, arg.period_end, arg.locator.row, arg.country_iso2) == (98, dt.date(2009, 12, 31), 2, "AR")
    blank = find(facts, "google", "Argentina", dt.date(2009, 7, 1), "accounts_specified")
    assert (blank.status, blank.value, blank.raw_text) == (Status.NOT_REPORTED, None, "")
    # Row 896: "Brazil - Facebook, 2013 (2nd half)",...,"1,165",394,34,"1,651"
    brazil = find(facts, "meta", "Brazil", dt.date(2013, 7, 1), "requests")
    assert (brazil.value, brazil.raw_text, brazil.extra["reported_company_raw"]) == (1165, "1,165", "Facebook")


def test_midpoint_of_less_than_ten_is_an_interval(facts: list[Fact]) -> None:
    # Twitter printed "<10"; the compiler wrote 5.5. Never an exact 5.5 requests.
    f = find(facts, "x", "Austria", dt.date(2012, 1, 1), "requests")
    assert (f.raw_text, f.value, f.value_low, f.value_high, f.status) == ("5.5", None, 1, 9, Status.SUPPRESSED)
    assert all(f.value is None or f.value == int(f.value) for f in facts if f.unit is not Unit.PERCENT)


def test_halved_annual_figures_recombined(facts: list[Fact]) -> None:
    # Microsoft 2012, United States: rows 236 (1st half) and 345 (2nd half) both print 5536.5 requests.
    us = find(facts, "microsoft", "United States", dt.date(2012, 1, 1), "requests")
    assert (us.period_end, us.value, us.raw_text) == (dt.date(2012, 12, 31), 11073, "5536.5 | 5536.5")
    assert "2 x 5536.5" in us.note and "rows 236 and 345" in us.note
    assert not [f for f in facts if f.extra["reported_company"] == "microsoft" and f.period_start == dt.date(2012, 7, 1)]
    # AT&T and Verizon published yearly 2013 figures: 301,816 and 321,545 US requests.
    assert find(facts, "att", "United States", dt.date(2013, 1, 1), "requests").value == 301816
    assert find(facts, "verizon", "United States", dt.date(2013, 1, 1), "requests").value == 321545
    # Twitter 2012 rows that are "<10" in both halves stay half-years (5.5 alone proves no halving).
    # Rows 135 and 246: Germany 2012, 5.5,0,0,5.5 in both halves.
    assert find(facts, "x", "Germany", dt.date(2012, 7, 1), "requests").status is Status.SUPPRESSED
    assert find(facts, "x", "Germany", dt.date(2012, 1, 1), "requests").period_end == dt.date(2012, 6, 30)


def test_percentages_and_parts(facts: list[Fact]) -> None:
    rates = [f for f in facts if f.unit is Unit.PERCENT and f.value is not None]
    assert rates and all(0 <= f.value <= 100 for f in rates)
    for f in facts:
        if f.metric == "requests_some_data_produced" and f.value is not None:
            whole = find(facts, f.extra["reported_company"], f.country_raw, f.period_start, "requests")
            assert f.value <= (whole.value_high or 0), f.locator


def test_unknown_column_refused() -> None:
    data = (b"ID,Service Provider,Year,Period,Country,User Data Requests,Number of Requests where some data was "
            b"disclosed (content or non content),Percentage of Requests where some data was disclosed (content or "
            b"non content),Users/Accounts Specified,Emergency Requests\n")
    with pytest.raises(UnknownLayout, match="Emergency Requests"):
        parse(_doc(data))


# --- cross-check on a tiny SYNTHETIC warehouse ------------------------------------------------------------

def _doc(data: bytes) -> Document:
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url="https://example.test/full.csv",
                    company="silk-transparency-db", series="full-data-2009-2013")


SYNTHETIC_SECONDARY = """ID,Service Provider,Year,Period,Country,User Data Requests,Number of Requests where some data was disclosed (content or non content),Percentage of Requests where some data was disclosed (content or non content),Users/Accounts Specified
a,Google,2012,2012 (1st half),Germany,100,,60,
b,Google,2012,2012 (1st half),France,50,,,
c,Twitter,2012,2012 (1st half),Japan,5.5,0,0,
d,Microsoft,2012,2012 (1st half),Spain,990.5,,,
e,Microsoft,2012,2012 (2nd half),Spain,990.5,,,
f,Google,2012,2012 (1st half),Italy,7,,,
"""  # synthetic: made up for this test


_ROWS = itertools.count(2)


def own(company: str, start: dt.date, end: dt.date, iso2: str, metric: str, unit: Unit, raw: str, low: float | None,
        high: float | None, sha: str = "own1") -> Fact:
    """A SYNTHETIC own fact (as a company parser would produce)."""
    value = low if low == high else None
    return Fact(company=company, series="synthetic", period_start=start, period_end=end, country_iso2=iso2,
                country_raw=iso2, request_type=RequestType.ALL, request_type_raw="All", metric=metric, unit=unit,
                value=value, value_low=low, value_high=high,
                status=Status.REPORTED if value is not None else Status.SUPPRESSED, is_total=True,
                source_url="https://example.test/own", document_sha256=sha,
                locator=Locator(row=next(_ROWS), column=metric), raw_text=raw, kind=Kind.USER_DATA)


COLUMNS = ("document_sha256, fact_key, company, series, kind, period_start, period_end, country_iso2, country_raw, "
           "request_type, request_type_raw, metric, unit, value, value_low, value_high, status, is_total, "
           "counts_toward_total, source_url, locator, member, sheet, page, row_number, column_name, bbox, raw_text, "
           "note, extra")


def insert(con: duckdb.DuckDBPyConnection, facts: list[Fact]) -> None:
    """The facts straight into the table (no documents needed by the crosscheck); identity and key by the schema's
    own macros."""
    marks = ", ".join("?" for _ in COLUMNS.split(", "))
    for f in facts:
        loc = f.locator
        con.execute(
            f"INSERT INTO facts ({COLUMNS}, fact_identity, fact_id) SELECT *, fact_identity(company, series, "
            f"period_start, period_end, country_iso2, country_raw, request_type_raw, metric, unit, extra), "
            f"fact_id(document_sha256, fact_key) FROM (SELECT {marks}) AS v({COLUMNS})",
            [f.document_sha256, f"{loc.render()}|{f.metric}", f.company, f.series, f.kind.value, f.period_start,
             f.period_end, f.country_iso2, f.country_raw, f.request_type.value, f.request_type_raw, f.metric,
             f.unit.value, f.value, f.value_low, f.value_high, f.status.value, f.is_total, f.counts_toward_total,
             f.source_url, loc.render(), loc.member, loc.sheet, loc.page, loc.row, loc.column,
             None if loc.bbox is None else ",".join(map(str, loc.bbox)), f.raw_text, f.note, json.dumps(f.extra)])


def test_crosscheck_lists_disagreements(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    insert(con, parse(_doc(SYNTHETIC_SECONDARY.encode())))
    h1 = (dt.date(2012, 1, 1), dt.date(2012, 6, 30))
    h2 = (dt.date(2012, 7, 1), dt.date(2012, 12, 31))
    insert(con, [
        own("google", *h1, "DE", "requests", Unit.REQUESTS, "100", 100, 100),  # agrees
        own("google", *h1, "DE", "percent_some_data_produced", Unit.PERCENT, "60.4%", 60.4, 60.4),  # agrees (rounding)
        own("google", *h1, "FR", "requests", Unit.REQUESTS, "55", 55, 55),  # disagrees: 50 vs 55
        own("x", *h1, "JP", "requests", Unit.REQUESTS, "<10", 1, 9),  # 5.5 = "<10": agrees
        own("microsoft", *h1, "ES", "requests", Unit.REQUESTS, "1,000", 1000, 1000),  # 1000 + 981 = 1981 = 2 x 990.5
        own("microsoft", *h2, "ES", "requests", Unit.REQUESTS, "981", 981, 981),
        own("google", *h1, "IT", "requests", Unit.REQUESTS, "7", 7, 7, sha="own1"),  # restated in a later version
        own("google", *h1, "IT", "requests", Unit.REQUESTS, "9", 9, 9, sha="own2"),
        own("google", *h1, "ES", "requests", Unit.REQUESTS, "3", 3, 3),  # no secondary counterpart: not listed
    ])
    rows = crosscheck_rows(con)
    verdicts = {(r["company"], r["country_iso2"], r["metric"]): r["verdict"] for r in rows}
    assert verdicts == {
        ("google", "DE", "requests"): "agree",
        ("google", "DE", "percent_some_data_produced"): "agree",
        ("google", "FR", "requests"): "disagree",
        ("x", "JP", "requests"): "agree",
        ("microsoft", "ES", "requests"): "agree",
        ("google", "IT", "requests"): "agree",  # 7 is within the versions' 7..9
    }
    spain = next(r for r in rows if r["country_iso2"] == "ES")
    assert (spain["own_periods"], spain["own_low"], spain["secondary_low"]) == (2, 1981, 1981)
    assert next(r for r in rows if r["country_iso2"] == "IT")["own_versions"] == 2
    assert len(crosscheck(con)) == len(rows)
    text = format_table(rows)
    assert "Disagreements (1):" in text
    assert "google" in text and "FR" in text and "50" in text and "55" in text
    assert text.splitlines()[2].split() == ["google", "3", "1", "0", "0"]
    con.close()


def test_format_table_empty() -> None:
    assert "No secondary figure" in format_table([])
