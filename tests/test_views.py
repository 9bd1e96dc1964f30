"""The named views for reporters (warehouse/sql/views_reporting.sql) on a small synthetic warehouse."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from parsers.facts import RequestType, Unit
from tests.test_disclosure import Company, Registry, Series
from tests.test_restatements import fact, load, sha_of, warehouse
from warehouse import disclosure

REPO = Path(__file__).resolve().parent.parent
VIEWS = ("requests_by_company_period", "government_asks", "compliance_rates", "disclosure_levels", "restatements",
         "cross_company_totals")
H2 = (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
# Synthetic companies: "alpha" prints Germany and Turkey, "beta" prints Germany only; "compiler" copies others.
REGISTRY = Registry([
    Company("alpha", "Alpha", series=[Series("requests", "user-data", cadence="half-yearly")]),
    Company("beta", "Beta", series=[Series("requests", "user-data", cadence="half-yearly")]),
    Company("compiler", "Compiler", role="secondary-compilation"),
])


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = warehouse(tmp_path)
    a, b, c = sha_of("alpha"), sha_of("beta"), sha_of("compiler")
    load(con, a, [
        # Germany: a printed total beside its parts -> the total as printed, parts not added on top
        fact(a, company="alpha", series="requests", period=H2, country="Germany", raw="100", is_total=True),
        fact(a, company="alpha", series="requests", period=H2, country="Germany", raw="60",
             request_type=RequestType.SUBPOENA, request_type_raw="Subpoenas"),
        fact(a, company="alpha", series="requests", period=H2, country="Germany", raw="40",
             request_type=RequestType.SEARCH_WARRANT, request_type_raw="Search warrants"),
        # Turkey: parts only, one suppressed -> an interval; preservation does not count toward totals
        fact(a, company="alpha", series="requests", period=H2, country="Turkey", raw="20",
             request_type=RequestType.SUBPOENA, request_type_raw="Subpoenas"),
        fact(a, company="alpha", series="requests", period=H2, country="Turkey", raw="<10",
             request_type=RequestType.EMERGENCY, request_type_raw="Emergency"),
        fact(a, company="alpha", series="requests", period=H2, country="Turkey", raw="500",
             request_type=RequestType.PRESERVATION, request_type_raw="Preservation", counts=False),
        fact(a, company="alpha", series="requests", period=H2, country="Germany", raw="83.00%",
             metric="percent_some_data_produced", unit=Unit.PERCENT),
    ], company="alpha", series="requests", fetched="2021-02-01")
    load(con, b, [
        fact(b, company="beta", series="requests", period=H2, country="Germany", raw="7"),
        fact(b, company="beta", series="requests", period=H2, country="Chile", raw=""),  # blank: unknown
    ], company="beta", series="requests", fetched="2021-02-01")
    load(con, c, [fact(c, company="compiler", series="copies", period=H2, country="Germany", raw="1000")],
         company="compiler", series="copies", fetched="2021-02-01")
    disclosure.rebuild(con, REGISTRY, today=dt.date(2021, 3, 1))
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    rows = con.execute(sql).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_every_named_view_exists_with_a_comment_and_a_documented_example(con: duckdb.DuckDBPyConnection) -> None:
    sql = (REPO / "warehouse" / "sql" / "views_reporting.sql").read_text(encoding="utf-8")
    docs = (REPO / "docs" / "views.md").read_text(encoding="utf-8")
    for view in VIEWS:
        con.execute(f"SELECT count(*) FROM {view}").fetchall()
        comment = re.search(rf"-- {view} answers: (.+?)\nCREATE", sql, flags=re.S)
        assert comment and "Caveat" in comment.group(1), view
        assert re.search(rf"FROM {view}\b", docs), f"docs/views.md has no example query on {view}"


def test_printed_total_is_taken_as_printed_and_parts_become_an_interval(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT basis, value_low, value_high, is_exact FROM country_figures "
                     "WHERE company = 'alpha' AND country_iso2 = 'DE' AND metric = 'requests'") \
        == ("printed total", 100, 100, True)
    assert _one(con, "SELECT basis, value_low, value_high, is_exact, status FROM country_figures "
                     "WHERE company = 'alpha' AND country_iso2 = 'TR' AND metric = 'requests'") \
        == ("sum of printed parts", 21, 29, False, "interval")  # 20 + (1..9); preservation left out


def test_requests_by_company_period_keeps_bounds(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT value_low, value_high, is_exact, countries FROM requests_by_company_period "
                     "WHERE company = 'alpha' AND metric = 'requests'") == (121, 129, False, 2)
    # a blank country makes beta's upper bound unknown, never a zero
    assert _one(con, "SELECT value_low, value_high FROM requests_by_company_period "
                     "WHERE company = 'beta' AND metric = 'requests'") == (7, None)
    assert con.execute("SELECT count(*) FROM requests_by_company_period WHERE unit = 'percent'").fetchall() == [(0,)]


def test_government_asks_shows_gaps_instead_of_omitting_them(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT country_iso2, company, status, value_low, value_high FROM government_asks "
                       "ORDER BY country_iso2, company").fetchall()
    assert rows == [
        ("CL", "alpha", "not_reported_by_company", None, None),  # alpha did not print Chile
        ("CL", "beta", "not_reported", None, None),  # beta printed Chile with a blank cell: said nothing
        ("DE", "alpha", "reported", 100, 100),
        ("DE", "beta", "reported", 7, 7),
        ("TR", "alpha", "interval", 21, 29),
        ("TR", "beta", "not_reported_by_company", None, None),
    ]  # the secondary compilation's Germany row is left out


def test_compliance_rates_as_published(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT company, country_iso2, percent, raw_text FROM compliance_rates") \
        == ("alpha", "DE", 83.0, "83.00%")


def test_cross_company_totals_within_one_metric_and_unit(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(con, "SELECT companies, company_list, value_low, value_high, caveat FROM cross_company_totals "
                    "WHERE metric = 'requests'")
    assert row[:4] == (2, "alpha beta", 128, None)  # the secondary compilation is not a company
    assert "upper bound unknown" in row[4] and "not zero" in row[4]


# ---- totals only as printed or by a declared rule (issue 8) ----

def _in_table(f, table: str):
    """The same synthetic fact, printed in a named table (a ZIP member) of its file."""
    from dataclasses import replace

    from parsers.facts import Locator
    return replace(f, locator=Locator(member=table, row=f.locator.row, column=f.locator.column))


@pytest.fixture
def two_tables(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Synthetic: "gamma" prints its requests once by requester and again by product (two breakdowns of the same
    requests, one request counted under two products); "delta" re-issues a period in a second, newer file."""
    registry = Registry([Company("gamma", "Gamma", series=[Series("removals", "content-removal")]),
                         Company("delta", "Delta", series=[Series("requests", "user-data")])])
    con = warehouse(tmp_path)
    g = sha_of("gamma")
    rows = [("by-requester.csv", "Germany", "10", "Police"), ("by-requester.csv", "France", "5", "Courts"),
            ("by-product.csv", "Germany", "8", "YouTube"), ("by-product.csv", "Germany", "4", "Search"),
            ("by-product.csv", "France", "5", "Search")]
    load(con, g, [_in_table(fact(g, company="gamma", series="removals", period=H2, country=c, raw=v,
                                 request_type=RequestType.CONTENT_REMOVAL, request_type_raw=t), table)
                  for table, c, v, t in rows], company="gamma", series="removals", fetched="2021-02-01")
    d1, d2 = sha_of("delta-old"), sha_of("delta-new")
    load(con, d1, [fact(d1, company="delta", series="requests", period=H2, country="Germany", raw="3",
                        url="https://delta.example/2020.csv")], company="delta", series="requests",
         fetched="2021-02-01", url="https://delta.example/2020.csv")
    load(con, d2, [fact(d2, company="delta", series="requests", period=H2, country="Germany", raw="4",
                        url="https://delta.example/all-years.csv")], company="delta", series="requests",
         fetched="2022-02-01", url="https://delta.example/all-years.csv")
    disclosure.rebuild(con, registry, today=dt.date(2022, 3, 1))
    return con


def test_two_breakdowns_of_one_release_are_never_added(two_tables: duckdb.DuckDBPyConnection) -> None:
    de = _one(two_tables, "SELECT basis, value_low, status, parts FROM country_figures "
                          "WHERE company = 'gamma' AND country_iso2 = 'DE'")
    assert de[:3] == ("no comparable total", None, "no_comparable_total")
    assert "by-product.csv | by-requester.csv" in de[3] and "not added" in de[3]
    fr = _one(two_tables, "SELECT value_low, parts FROM country_figures WHERE company = 'gamma' AND country_iso2 = 'FR'")
    assert fr[0] == 5 and "the same figure is printed in by-product.csv | by-requester.csv" in fr[1]
    total = _one(two_tables, "SELECT basis, value_low, value_high FROM requests_by_company_period "
                             "WHERE company = 'gamma'")
    assert total == ("no comparable total", None, None)  # never 10 + 5 + 8 + 4 + 5, nor 15 + 17
    assert two_tables.execute("SELECT count(*) FROM cross_company_totals WHERE kind = 'content-removal'"
                              ).fetchall() == [(0,)]


def test_a_period_repeated_in_a_newer_file_is_taken_from_the_newest_not_added(
        two_tables: duckdb.DuckDBPyConnection) -> None:
    row = _one(two_tables, "SELECT value_low, parts, source_table FROM country_figures WHERE company = 'delta'")
    assert row[0] == 4 and row[2] == "the file"
    # both printings are kept, one is current (the newest release's): never added
    printings = two_tables.execute("SELECT count(*) FROM facts WHERE company = 'delta'").fetchall()[0][0]
    current = two_tables.execute("SELECT count(*) FROM current_facts WHERE company = 'delta'").fetchall()[0][0]
    assert (printings, current) == (2, 1)


def test_every_total_says_how_it_was_made(two_tables: duckdb.DuckDBPyConnection,
                                          con: duckdb.DuckDBPyConnection) -> None:
    for db in (two_tables, con):
        for view in ("country_figures", "requests_by_company_period", "cross_company_totals"):
            assert db.execute(f"SELECT count(*) FROM {view} WHERE coalesce(parts, '') = ''").fetchall() == [(0,)]
        assert db.execute("SELECT count(*) FROM government_asks WHERE status <> 'not_reported_by_company' "
                          "AND (basis IS NULL OR parts IS NULL)").fetchall() == [(0,)]
    row = _one(con, "SELECT basis, measure, parts FROM requests_by_company_period "
                    "WHERE company = 'alpha' AND metric = 'requests'")
    assert row[0] == "sum over countries" and row[1] and "sum of 2 country figures from the file" in row[2]
