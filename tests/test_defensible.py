"""Defensible in print, on the whole recorded corpus (issue 8): no claim of silence without a dated check, none
before a company began or where govreq has a gap, no total that adds two tables of one release, every total saying
how it was made, and a command line that answers in one command.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dashboard import request_totals
from dashboard.context import query as site_query
from dashboard.format import fmt_range
from tests.corpus import require_corpus
from tests.test_update import run_govreq

CHECK_KIND = re.compile(r"research notes|Ranking Digital Rights|live crawl|recorded mirror|stored copy")
DATED = re.compile(r"\b(19|20)\d\d\b")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("defensible")
    proc = run_govreq("update", "--mirror", str(require_corpus()), "--data-dir", str(folder))
    return folder, proc.stderr


@pytest.fixture(scope="module")
def con(data: tuple[Path, str]) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect(str(data[0] / "govreq.duckdb"), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def levels(data: tuple[Path, str]) -> dict[tuple[str, int, str], dict[str, str]]:
    out = run_govreq("disclosure", "--format", "csv", "--data-dir", str(data[0])).stdout
    return {(r["company"], int(r["year"]), r["kind"]): r for r in csv.DictReader(io.StringIO(out))}


def test_every_none_found_rests_on_a_dated_check_with_its_kind(levels: dict) -> None:
    none_found = [r for r in levels.values() if r["level"] == "none-found"]
    assert none_found
    for r in none_found:
        assert CHECK_KIND.search(r["checks"]) and DATED.search(r["checks"]), r
    # the four companies whose only place is "not yet checked" are never called silent
    for slug in ("ibm", "kt", "mts", "ant-group"):
        mine = {r["level"] for (c, _, _), r in levels.items() if c == slug}
        assert "none-found" not in mine and "not-checked" in mine, (slug, mine)


def test_no_silence_before_a_company_began(levels: dict) -> None:
    assert levels[("tiktok", 2010, "user-data")]["level"] == "not-applicable"
    assert levels[("ant-group", 2010, "user-data")]["level"] == "not-applicable"
    assert "began in 2014" in levels[("ant-group", 2010, "user-data")]["evidence"]
    for (company, year, _), r in levels.items():
        if company in ("tiktok", "ant-group"):
            assert r["level"] != "none-found", (company, year, r["level"])
    # Microsoft's years before the earliest workbook held: nobody checked them, so not silence
    assert {levels[("microsoft", y, "user-data")]["level"] for y in range(2009, 2013)} == {"not-checked"}


def test_tiktok_removals_after_2021_are_a_gap_in_govreq_not_silence(levels: dict) -> None:
    assert levels[("tiktok", 2021, "content-removal")]["level"] in ("per-country", "totals-only")
    for year in range(2022, 2026):
        r = levels[("tiktok", year, "content-removal")]
        assert r["level"] == "not-loaded" and "government-removal-requests" in r["evidence"], year


def test_the_telecoms_and_amazon_show_the_level_their_reports_support(levels: dict) -> None:
    for slug in ("att", "verizon", "comcast", "t-mobile", "amazon"):
        mine = [r for (c, y, k), r in levels.items() if c == slug and 2016 <= y <= 2019 and k == "user-data"]
        assert mine and all(r["level"] in ("per-country", "totals-only") for r in mine), slug
        assert not [r for (c, _, _), r in levels.items() if c == slug and r["level"] == "none-found"], slug
    # AT&T prints international demands per country; the others count their own country's (or no country's) only
    assert levels[("att", 2019, "user-data")]["level"] == "per-country"
    for slug in ("verizon", "comcast", "t-mobile"):
        assert levels[(slug, 2019, "user-data")]["level"] == "totals-only", slug
    # US national-security bands are one country's figures by law: totals, never a breakdown
    assert levels[("verizon", 2019, "national-security")]["level"] == "totals-only"


def test_google_2022_h1_removals_read_37951_everywhere(con: duckdb.DuckDBPyConnection) -> None:
    where = ("company = 'google' AND series = 'government-removals' AND metric = 'requests' "
             "AND period_end = DATE '2022-06-30'")
    assert con.execute(f"SELECT value_low, value_high, basis FROM requests_by_company_period WHERE {where}"
                       ).fetchall() == [(37951, 37951, "sum over countries")]
    # the two tables as printed: 37,951 by requester, 35,220 by product and reason (one request can name several)
    printed = dict(con.execute(f"SELECT member, sum(value) FROM current_facts WHERE {where} GROUP BY 1").fetchall())
    assert printed == {"google-government-removal-requests.csv": 37951,
                       "google-government-detailed-removal-requests.csv": 35220}
    overview = [r for r in _site_overview(con) if r["company"] == "google" and r["kind"] == "content-removal"
                and r["period_end"] == "2022-06-30"]
    assert [(r["value_low"], r["value_high"]) for r in overview] == [(37951, 37951)]
    per_table = con.execute(
        "SELECT sum(value_low) FROM country_figures WHERE company = 'google' AND series = 'government-removals' "
        "AND metric = 'requests' AND period_end = DATE '2022-06-30' AND country_key <> ''").fetchall()
    assert per_table == [(37951,)]


def _site_overview(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The requests page's one figure per company and period, kind by kind, as page_requests draws it."""
    rows = [{**r, "company_name": r["company"], "shown": fmt_range(r["value_low"], r["value_high"])}
            for r in site_query(con, "request_totals")]
    return [f for kind in ("user-data", "content-removal") for f in request_totals.headline([r for r in rows
                                                                                    if r["kind"] == kind])]


def test_no_total_adds_figures_from_two_tables_of_one_release(con: duckdb.DuckDBPyConnection) -> None:
    """The whole corpus: every total is at most what one table of one file holds for it (all its counting cells,
    totals and parts alike, which is generous); a total adding two tables would exceed every single table."""
    over = con.execute("""
        WITH tables AS (
            SELECT company, series, kind, period_start, period_end, metric, unit, document_sha256,
                   coalesce(member, sheet, regexp_extract(locator, 'table=\\d+'), '') AS t,
                   sum(value_low) AS held
            FROM current_facts WHERE counts_toward_total AND unit NOT IN ('percent', 'score')
            GROUP BY ALL
        ), most AS (
            SELECT company, series, kind, period_start, period_end, metric, unit, max(held) AS most
            FROM tables GROUP BY ALL
        )
        SELECT r.company, r.series, r.period_end, r.metric, r.value_low, m.most
        FROM requests_by_company_period r JOIN most m USING (company, series, kind, period_start, period_end,
                                                            metric, unit)
        WHERE r.value_low > m.most
    """).fetchall()
    assert over == []
    mixed = con.execute("""
        SELECT r.company, r.series, r.kind, r.period_start, r.period_end, r.metric, r.unit,
               count(DISTINCT c.document_sha256 || c.source_table)
        FROM requests_by_company_period r
        JOIN country_figures c USING (company, series, kind, period_start, period_end, metric, unit)
        WHERE r.value_low IS NOT NULL AND c.source_table = r.source_table
          AND (r.basis = 'sum over countries') = (c.country_key <> '')
        GROUP BY ALL HAVING count(DISTINCT c.document_sha256 || c.source_table) > 1
    """).fetchall()
    assert mixed == []
    # the requests page: a figure summed from several lines takes them all from one table
    groups: dict[tuple, set] = defaultdict(set)
    for r in site_query(con, "request_totals"):
        groups[(r["company"], r["series"], r["kind"], r["period_start"], r["period_end"])].add(r["source_table"])
    summed = [r for r in _site_overview(con) if r["basis"].startswith(request_totals.SUM_OF_TYPES)]
    assert summed and all(len(groups[(r["company"], r["series"], r["kind"], r["period_start"], r["period_end"])])
                          == 1 for r in summed)


def test_every_total_says_printed_or_summed_and_from_which_parts(con: duckdb.DuckDBPyConnection) -> None:
    for view in ("country_figures", "requests_by_company_period", "cross_company_totals"):
        assert con.execute(f"SELECT count(*) FROM {view} WHERE coalesce(parts, '') = ''").fetchall() == [(0,)], view
    assert con.execute("SELECT DISTINCT basis FROM requests_by_company_period ORDER BY 1").fetchall() == [
        ("company-wide figure as printed",), ("no comparable total",), ("sum over countries",)]
    assert all(r["basis"] and r["parts"] for r in site_query(con, "request_totals"))


def test_government_asks_says_what_each_company_counted(con: duckdb.DuckDBPyConnection) -> None:
    measures = dict(con.execute(
        "SELECT company, any_value(measure) FROM government_asks WHERE country_iso2 = 'DE' AND value_low IS NOT NULL "
        "AND company IN ('apple', 'google') GROUP BY 1").fetchall())
    assert measures == {"apple": "account requests", "google": "User Data Requests"}
    # Apple's Germany figure is its account requests, not the sum of six request types (12,802 in 2019 H1)
    de = con.execute("SELECT value_low, parts FROM government_asks WHERE company = 'apple' AND country_iso2 = 'DE' "
                     "AND period_end = DATE '2019-06-30'").fetchall()
    assert de[0][0] == 459 and "account_requests.csv" in de[0][1]


def test_headline_lists_only_checked_silence_each_with_its_grade(con: duckdb.DuckDBPyConnection) -> None:
    from crawlers.registry import load_registry
    from dashboard.headline import silent_companies

    _, silent = silent_companies(_FakeSite(load_registry()), site_query(con, "disclosure"))
    names = {s.name: s.what for s in silent}
    for name in ("Baidu", "Tencent", "Alibaba Group", "ByteDance", "Weibo (Sina Weibo)"):
        assert name in names, name
    for name in ("IBM", "KT Corporation", "MTS (Mobile TeleSystems)", "Ant Group", "Vodafone", "Google"):
        assert name not in names, name
    assert all("Checked: " in what for what in names.values())
    whats = " ".join(names.values())
    assert "research notes 2026-11-23 (not yet confirmed by a crawl)" in whats
    assert "Ranking Digital Rights 2022 researchers looked 2021-11-09, scoring 0 (F6, P11a)" in whats

class _FakeSite:
    """Names and pages for the headline, from the registry (the headline needs nothing else)."""

    def __init__(self, registry) -> None:
        self.registry = registry

    def company(self, slug: str):
        c = self.registry.get(slug)
        return type("C", (), {"name": c.name, "page": f"companies/{slug}.html"})()

    def name(self, slug: str) -> str:
        return self.registry.get(slug).name


def test_update_summary_separates_real_failures_from_pages_the_mirror_lacks(data: tuple[Path, str]) -> None:
    line = next(x for x in data[1].splitlines() if x.startswith("sources:"))
    assert re.fullmatch(r"sources: \d+ fetched new, \d+ unchanged, 0 failed, \d+ not in the recorded mirror", line)


def test_disclosure_filters_and_a_short_evidence_line(data: tuple[Path, str]) -> None:
    out = run_govreq("disclosure", "--company", "baidu", "--year", "2021", "--kind", "user-data",
                     "--data-dir", str(data[0])).stdout
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["company", "year", "kind", "level", "evidence_line"] and len(lines) == 3
    assert "none-found" in lines[2] and "checked: " in lines[2]
    csv_out = run_govreq("disclosure", "--level", "not-checked", "--year", "2020-2021", "--format", "csv",
                         "--data-dir", str(data[0])).stdout
    got = list(csv.DictReader(io.StringIO(csv_out)))
    assert got and {r["level"] for r in got} == {"not-checked"} and {r["year"] for r in got} == {"2020", "2021"}


def test_bad_input_is_one_line_exit_2(data: tuple[Path, str], tmp_path: Path) -> None:
    for args in (("disclosure", "--company", "no-such-co"), ("disclosure", "--level", "silent"),
                 ("update", "--only", "no-such-co", "--no-crawl"), ("query", "SELECT 1", "--data-dir",
                                                                      str(tmp_path / "nowhere"))):
        full = [*args, "--data-dir", str(data[0])] if "--data-dir" not in args else list(args)
        proc = run_govreq(*full, check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)
        said = proc.stderr.strip().splitlines()
        # one line saying what is wrong (argparse prints its usage above it)
        assert said[-1].startswith(f"govreq {args[0]}: ") and (len(said) == 1 or said[0].startswith("usage:")), said
    proc = run_govreq("site", "--out", "/proc/no/such/place", "--data-dir", str(data[0]), check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_query_prints_every_format_in_full_without_external_access(data: tuple[Path, str], tmp_path: Path) -> None:
    sql = ("SELECT company, parts FROM requests_by_company_period WHERE company = 'google' "
           "AND series = 'government-removals' AND metric = 'requests' AND period_end = DATE '2022-06-30'")
    parts = "sum of 82 country figures from google-government-removal-requests.csv (each: sum of printed parts)"
    for fmt in ("table", "csv", "markdown"):
        assert parts in run_govreq("query", sql, "--format", fmt, "--data-dir", str(data[0])).stdout, fmt
    assert json.loads(run_govreq("query", sql, "--format", "json", "--data-dir", str(data[0])).stdout) == [
        {"company": "google", "parts": parts}]
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    for sql in (f"SELECT * FROM read_csv('{outside}')", f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'"):
        proc = run_govreq("query", sql, "--data-dir", str(data[0]), check=False)
        assert proc.returncode == 2 and "disabled by configuration" in proc.stderr, proc.stderr
    assert not (tmp_path / "out.csv").exists()
