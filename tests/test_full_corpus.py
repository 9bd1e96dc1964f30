"""The whole recorded corpus through `govreq update` and `govreq export`: what a reporter downloads.

The exported facts must hold the published cells exactly: a few cells are checked against the files as
printed (values read by hand from the corpus, independently of the parsers), and every fact the parsers read
from the Google, Apple, Meta, Twitter and GitHub files must be in the export unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from parsers.catalogue import parse_document
from tests.corpus import captures, document, require_corpus
from tests.test_update import run_govreq

CONTRACT = ("company, series, period_start, period_end, country_iso2, country_raw, request_type, request_type_raw, "
            "metric, unit, value, value_low, value_high, status, is_total, source_url, document_sha256, locator, "
            "raw_text").split(", ")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, duckdb.DuckDBPyConnection]:
    corpus = require_corpus()
    data = tmp_path_factory.mktemp("full")
    proc = run_govreq("update", "--mirror", str(corpus), "--data-dir", str(data))
    assert "0 refused" in proc.stderr, proc.stderr
    run_govreq("export", "--data-dir", str(data), "--out", str(data / "export"))
    con = duckdb.connect()
    for table, name in (("x", "facts.csv"), ("h", "facts_history.csv")):
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header=true, all_varchar=true, quote='\"', "
            "escape='\"')", [str(data / "export" / name)],
        )
    yield data, con
    con.close()


def one(con: duckdb.DuckDBPyConnection, where: str, params: list) -> dict[str, str]:
    cur = con.execute(f"SELECT * FROM x WHERE {where}", params)
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1, f"{len(rows)} rows for {where} {params}"
    return dict(zip(cols, rows[0], strict=True))


def test_header_is_the_public_contract(exported: tuple[Path, duckdb.DuckDBPyConnection]) -> None:
    data, _ = exported
    with (data / "export" / "facts.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[: len(CONTRACT)] == CONTRACT


def test_known_cells_as_printed(exported: tuple[Path, duckdb.DuckDBPyConnection]) -> None:
    _, con = exported
    # Meta 2021 H1, United States, "Total Requests" = "63,657"
    r = one(con, "company='meta' AND period_start='2021-01-01' AND country_iso2='US' AND locator LIKE ?",
            ["%column=Total Requests"])
    assert (r["value"], r["raw_text"], r["period_end"], r["unit"]) == ("63657", "63,657", "2021-06-30", "requests")
    # Twitter Jan-Jun 2017: the TOTAL row prints 6,448 account information requests
    r = one(con, "company='x' AND source_url LIKE '%jan-jun-2017.csv' AND row_number='85' AND metric='requests'", [])
    assert (r["raw_text"], r["value"], r["is_total"]) == ("6,448", "6448", "true")
    # Twitter Jan-Jun 2017, Albania: "-" is not applicable, never zero
    r = one(con, "company='x' AND source_url LIKE '%jan-jun-2017.csv' AND country_raw='Albania' AND metric='requests'",
            [])
    assert (r["raw_text"], r["value"], r["status"]) == ("-", None, "not_applicable")
    # GitHub 2025: 385 criminal or government agency subpoenas received
    r = one(con, "company='github' AND period_start='2025-01-01' AND request_type_raw=? AND raw_text='385'",
            ["criminal or government agency subpoena"])
    assert r["value"] == "385"
    # Google: the first period of the current file, Argentina, all legal process: 98 requests
    r = one(con, "company='google' AND series='user-data-requests' AND period_end='2009-12-31' AND "
                 "country_iso2='AR' AND metric='requests' AND member LIKE 'google-global-user-data-requests%'", [])
    assert (r["raw_text"], r["period_start"]) == ("98", "2009-07-01")
    # Apple 2013 H1, Australia: 74 account requests
    r = one(con, "company='apple' AND member='account_requests.csv' AND country_iso2='AU' AND "
                 "period_start='2013-01-01' AND metric='requests'", [])
    assert r["raw_text"] == "74"


def test_bands_stay_bands(exported: tuple[Path, duckdb.DuckDBPyConnection]) -> None:
    _, con = exported
    bad = con.execute(
        "SELECT count(*) FROM x WHERE status IN ('banded', 'suppressed') AND value IS NOT NULL").fetchall()[0][0]
    assert bad == 0
    inverted = con.execute(
        "SELECT count(*) FROM x WHERE TRY_CAST(value_low AS DOUBLE) > TRY_CAST(value_high AS DOUBLE)").fetchall()[0][0]
    assert inverted == 0
    blanks_as_zero = con.execute(
        "SELECT count(*) FROM x WHERE coalesce(trim(raw_text), '') = '' AND value IS NOT NULL").fetchall()[0][0]
    assert blanks_as_zero == 0
    n_banded = con.execute("SELECT count(*) FROM x WHERE status = 'banded' AND company = 'google'").fetchall()[0][0]
    assert n_banded > 0


def test_twitter_2017_countries_sum_to_the_printed_total(exported: tuple[Path, duckdb.DuckDBPyConnection]) -> None:
    _, con = exported
    # in its own file (every printing, facts_history): the countries add up to the TOTAL row, 6,448
    parts, total = con.execute(
        "SELECT sum(CAST(value AS DOUBLE)) FILTER (WHERE is_total = 'false'), "
        "max(CAST(value AS DOUBLE)) FILTER (WHERE is_total = 'true') FROM h "
        "WHERE company = 'x' AND source_url LIKE '%jan-jun-2017.csv' AND metric = 'requests'").fetchall()[0]
    assert parts == total == 6448


def test_no_identity_appears_twice_and_a_period_adds_up_once(exported: tuple[Path, duckdb.DuckDBPyConnection]
                                                            ) -> None:
    _, con = exported
    rows, identities = con.execute("SELECT count(*), count(DISTINCT fact_identity) FROM x").fetchall()[0]
    assert rows == identities > 250_000
    # Wikimedia's cumulative workbooks reprint past half-years: over 150,000 printings of figures that two or
    # more releases print, each figure once in facts.csv
    printed_twice = con.execute(
        "SELECT count(*) FROM (SELECT fact_identity FROM h WHERE company = 'wikimedia' GROUP BY 1 "
        "HAVING count(DISTINCT document_sha256) > 1)").fetchall()[0][0]
    in_facts = con.execute(
        "SELECT count(*) FROM x WHERE company = 'wikimedia' AND CAST(printings AS INTEGER) > 1").fetchall()[0][0]
    assert printed_twice == in_facts > 25_000
    # Twitter 2017 H1 is in its own file and in the full-history file: each country once, and the countries'
    # requests add up to the 6,448 the 2017 file prints (6,447 from the full history, which leaves out
    # Paraguay's 1 request, + Paraguay's 1 from the 2017 file, still current)
    per_country = con.execute(
        "SELECT country_raw, count(*), sum(CAST(value AS DOUBLE)) FROM x WHERE company = 'x' "
        "AND period_start = '2017-01-01' AND metric = 'requests' AND fact_identity LIKE '%|combined requests|%' "
        "AND country_raw <> 'TOTAL' GROUP BY 1").fetchall()
    assert all(n == 1 for _, n, _ in per_country)
    assert sum(v or 0 for _, _, v in per_country) == 6448
    assert dict((c, v) for c, _, v in per_country)["Paraguay"] == 1


def test_twitter_2017_differences_between_its_two_files_are_in_the_ledger(
    exported: tuple[Path, duckdb.DuckDBPyConnection],
) -> None:
    data, _ = exported
    con = duckdb.connect(str(data / "govreq.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "SELECT kind, country_iso2, metric, old_raw_text, new_raw_text, old_source_url, new_source_url "
            "FROM restatements WHERE company = 'x' AND period_start = DATE '2017-01-01'").fetchall()
    finally:
        con.close()
    changed = sorted((c, o, n) for k, c, m, o, n, *_ in rows if k == "status_changed")
    # "ACCOUNTS SPECIFIED" in the 2017 file vs "Combined accounts specified" in the full history
    assert changed == [("DK", "1", "0"), ("EE", "1", "0"), ("HK", "2", "0"), ("IE", "6", "0"), ("PT", "3", "0"),
                       ("RU", "2", "0"), ("UY", "1", "0")]
    withdrawn = {(c, m, o) for k, c, m, o, *_ in rows if k == "withdrawn" and o != "-"}
    assert withdrawn == {("PY", "requests", "1"), ("PY", "accounts_specified", "1"),
                         ("PY", "percent_some_data_produced", "0%"), (None, "requests", "6,448"),
                         (None, "accounts_specified", "11,115"), (None, "percent_some_data_produced", "60%")}
    assert sum(1 for k, *_, o, _n, _a, _b in rows if k == "withdrawn") == 90  # 84 of them "-" (28 countries)
    assert {(a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]) for *_, a, b in rows if a and b} == {
        ("information-requests-report-jan-jun-2017.csv", "Twitter_Transparency-Information_Requests_Jul-Dec-2020.csv")}


@pytest.mark.parametrize("company", ["google", "apple", "meta", "twitter", "github"])
def test_every_parsed_cell_is_exported_and_current(exported: tuple[Path, duckdb.DuckDBPyConnection], company: str) -> None:
    _, con = exported
    newest: dict[str, str] = {}
    for c in captures():
        if c.company == company and c.captured_at >= newest.get(c.url, ""):
            newest[c.url] = c.captured_at
    assert newest
    slug = "x" if company == "twitter" else company
    for url, captured_at in newest.items():
        doc = document(url, captured_at, company=slug,
                       series="information-requests" if company == "twitter" else None)
        expected = {(f.locator.render(), f.metric, f.raw_text, f.status.value) for f in parse_document(doc)}
        got = set(con.execute(
            "SELECT locator, metric, coalesce(raw_text, ''), status FROM h WHERE document_sha256 = ?",
            [doc.sha256]).fetchall())
        assert got == expected, f"{url}: {len(expected - got)} missing, {len(got - expected)} unexpected"
        # and each of its figures is current, from it or from a newer release that prints it again
        missing = con.execute(
            "SELECT count(*) FROM h WHERE document_sha256 = ? AND fact_identity NOT IN (SELECT fact_identity FROM x)",
            [doc.sha256]).fetchall()[0][0]
        assert missing == 0, url


def test_dates_and_statuses_are_well_formed(exported: tuple[Path, duckdb.DuckDBPyConnection]) -> None:
    _, con = exported
    statuses = {s for (s,) in con.execute("SELECT DISTINCT status FROM x").fetchall()}
    assert statuses <= {"reported", "zero", "not_reported", "not_applicable", "suppressed", "banded", "withheld"}
    for start, end in con.execute("SELECT DISTINCT period_start, period_end FROM x").fetchall():
        assert dt.date.fromisoformat(start) <= dt.date.fromisoformat(end)
