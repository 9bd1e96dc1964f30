"""The disclosure model on a synthetic warehouse and registry: each level with its evidence, staleness,
regressions, format downgrades and Ranking Digital Rights' scores beside ours."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from parsers.facts import Kind, RequestType, Unit
from tests.test_restatements import fact, load, sha_of, warehouse
from warehouse import disclosure, store

Y2019, Y2020 = (dt.date(2019, 1, 1), dt.date(2019, 12, 31)), (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
H2_2020 = (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
TODAY = dt.date(2022, 6, 30)


# Stand-ins with the registry model's attributes (crawlers/registry.py); synthetic companies, not real ones.
@dataclass
class Series:
    id: str
    kind: str
    scope: str = "voluntary-global"
    format: str = "csv"
    cadence: str = "yearly"
    landing_url: str = "https://example.org/report"
    region: str = ""
    ended: bool = False
    first_period: str | None = None
    last_period_seen: str | None = None
    download_urls: tuple[str, ...] = ()
    title: str = ""
    single_country: str | None = None


@dataclass
class Checked:
    url: str
    checked_on: dt.date
    found: str = ""
    by: str = "test"
    how: str = "research-notes"


@dataclass
class Company:
    slug: str
    name: str
    role: str = "company"
    disclosure: str = "publishes"
    rdr_names: tuple[str, ...] = ()
    series: list[Series] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    began: int | None = None
    began_source: str = ""


@dataclass
class Registry:
    companies: list[Company]


REGISTRY = Registry([
    Company("acme", "Acme", rdr_names=("ACME Corp",), series=[
        Series("data-requests", "user-data", cadence="half-yearly"), Series("removals", "content-removal")]),
    Company("eurocorp", "EuroCorp", disclosure="mandated-regional-only", series=[
        Series("dsa", "content-removal", scope="mandated-regional", region="EU", format="pdf", first_period="2020")]),
    Company("silent", "Silent Inc", disclosure="none-found", rdr_names=("Silent",),
            checked=[Checked("https://silent.example/transparency", dt.date(2022, 5, 1))]),
    Company("listed", "Listed Ltd", series=[Series("report", "user-data", first_period="2019-H1")]),
    Company("movedtopdf", "Moved", series=[
        Series("csv-series", "user-data", ended=True, first_period="2018", last_period_seen="2019"),
        Series("pdf-series", "user-data", format="pdf", first_period="2020")]),
    Company("policyco", "Policy Co", series=[
        Series("le-guidelines", "user-data", format="html", title="Law enforcement guidelines")],
        checked=[Checked("https://example.org/report", dt.date(2022, 5, 1), "guidelines, no figures")]),
    Company("ranking-digital-rights", "RDR", role="outside-rating"),
])


def _build(con: duckdb.DuckDBPyConnection) -> None:
    a1 = sha_of("acme-2019")
    load(con, a1, [
        fact(a1, company="acme", country="Germany", raw="12", period=Y2019),
        fact(a1, company="acme", country="Germany", raw="30", period=Y2019, metric="accounts_specified",
             unit=Unit.ACCOUNTS),
        fact(a1, company="acme", country="France", raw="<10", period=H2_2020),
        fact(a1, company="acme", country="", raw="99", period=H2_2020, is_total=True),
        # a blank is no figure; a pseudo-jurisdiction is no country
        fact(a1, company="acme", country="Spain", raw="", period=Y2019, kind=Kind.NATIONAL_SECURITY,
             request_type=RequestType.NATIONAL_SECURITY),
        fact(a1, company="acme", country="EU", raw="4", period=Y2019, kind=Kind.CONTENT_REMOVAL,
             request_type=RequestType.CONTENT_REMOVAL, series="data-requests"),
    ], company="acme", fetched="2021-02-01")
    e1 = sha_of("eurocorp-dsa")
    load(con, e1, [fact(e1, company="eurocorp", series="dsa", country="Germany", raw="8", period=Y2020,
                        kind=Kind.CONTENT_REMOVAL, request_type=RequestType.CONTENT_REMOVAL)],
         company="eurocorp", series="dsa", fetched="2021-03-01", content_type="application/pdf")
    m1, m2 = sha_of("moved-csv"), sha_of("moved-pdf")
    load(con, m1, [fact(m1, company="movedtopdf", series="csv-series", country="Chile", raw="3", period=Y2019)],
         company="movedtopdf", series="csv-series", fetched="2020-02-01", url="https://example.org/m.csv")
    load(con, m2, [fact(m2, company="movedtopdf", series="pdf-series", raw="4", period=Y2020)],
         company="movedtopdf", series="pdf-series", fetched="2021-02-01", url="https://example.org/m.pdf",
         content_type="application/pdf")
    r1 = sha_of("rdr")
    rdr = [fact(r1, company="ranking-digital-rights", series="corporate-accountability-index-2022", raw=raw,
                metric="rdr_indicator_score", unit=Unit.SCORE, kind=Kind.OTHER, request_type=RequestType.OTHER,
                request_type_raw=ind, period=(dt.date(2019, 9, 16), dt.date(2020, 11, 1)),
                extra={"rated_company": who, "indicator": ind, "element": ""})
           for who, ind, raw in (("ACME Corp", "P11a", "0"), ("ACME Corp", "F06", "50"), ("Silent", "P11a", "40"),
                                 ("Unknown Co", "P11a", "10"), ("ACME Corp", "P1a", "77"))]
    load(con, r1, rdr, company="ranking-digital-rights", series="corporate-accountability-index-2022",
         fetched="2021-12-01", url="https://example.org/rdr.zip")
    store.load_fetch_log(con, [{"url": "https://silent.example/report.csv", "fetched_at": "2022-06-01T10:00:00Z",
                                "http_status": 404, "outcome": "failed", "company": "silent", "series": "report"}])


@pytest.fixture
def rows(tmp_path: Path) -> dict[tuple[str, int, str], dict]:
    con = warehouse(tmp_path)
    _build(con)
    return {(r["company"], r["year"], r["kind"]): r for r in disclosure.disclosure_rows(con, REGISTRY, today=TODAY)}


def test_years_span_the_companies_figures_and_only_role_company(rows: dict) -> None:
    assert {y for (_, y, _) in rows} == {2019, 2020}
    assert {c for (c, _, _) in rows} == {"acme", "eurocorp", "silent", "listed", "movedtopdf", "policyco"}
    assert len(rows) == 6 * 2 * 3


def test_per_country_rests_on_cited_cells(rows: dict) -> None:
    r = rows[("acme", 2019, "user-data")]
    assert (r["level"], r["scope"], r["countries"], r["figures"]) == ("per-country", "voluntary-global", 1, 2)
    assert r["documents"] == sha_of("acme-2019")
    assert f"[sha256 {sha_of('acme-2019')[:12]}]" in r["evidence"] and "printed '12'" in r["evidence"]


def test_suppressed_country_figure_still_counts_as_per_country(rows: dict) -> None:
    assert rows[("acme", 2020, "user-data")]["level"] == "per-country"  # France "<10" is a figure (1..9)


def test_a_report_of_one_countrys_demands_is_that_countrys_total_not_a_breakdown(tmp_path: Path) -> None:
    # the same figures as acme's, from a series the registry says counts only one country's demands
    national = Registry([Company(c.slug, c.name, c.role, c.disclosure, c.rdr_names,
                                 [Series(s.id, s.kind, single_country="DE") if c.slug == "acme" else s for s in c.series],
                                 c.checked, c.began, c.began_source) for c in REGISTRY.companies])
    con = warehouse(tmp_path)
    _build(con)
    rows = {(r["company"], r["year"], r["kind"]): r for r in disclosure.disclosure_rows(con, national, today=TODAY)}
    r = rows[("acme", 2020, "user-data")]
    assert r["level"] == "totals-only"
    assert "counts only demands from DE: that country's total, not a breakdown" in r["notes"]


def test_pseudo_jurisdiction_is_not_a_country_and_blank_is_not_a_figure(rows: dict) -> None:
    assert rows[("acme", 2019, "content-removal")]["level"] == "totals-only"  # "EU" only
    ns = rows[("acme", 2019, "national-security")]
    # Spain printed blank: not a figure. acme's registry lists no national-security series, so: not tracked
    assert ns["level"] == "not-tracked" and ns["figures"] == 0


def test_mandated_regional_is_kept_apart(rows: dict) -> None:
    r = rows[("eurocorp", 2020, "content-removal")]
    assert (r["level"], r["scope"]) == ("mandated-regional-only", "mandated-regional")
    assert "per-country figures" in r["notes"]  # never lifted to per-country
    # before the mandate, and nobody checked EuroCorp: unknown, not silence
    assert rows[("eurocorp", 2019, "content-removal")]["level"] == "not-checked"


def test_none_found_lists_checked_places_with_dates(rows: dict) -> None:
    r = rows[("silent", 2020, "user-data")]
    assert r["level"] == "none-found" and r["scope"] == ""
    assert "checked https://silent.example/transparency on 2022-05-01: nothing found" in r["evidence"]
    assert r["checks"] == "research notes 2022-05-01 (not yet confirmed by a crawl)"


def test_a_kind_the_registry_does_not_track_is_not_called_silence(rows: dict) -> None:
    r = rows[("acme", 2019, "national-security")]
    assert r["level"] == "not-tracked" and "has not looked" in r["evidence"]
    assert rows[("silent", 2019, "national-security")]["level"] == "none-found"  # a silent firm, checked


def test_known_report_without_figures_is_not_loaded_not_none_found(rows: dict) -> None:
    r = rows[("listed", 2019, "user-data")]
    assert r["level"] == "not-loaded" and "report (https://example.org/report)" in r["evidence"]


def test_policy_page_without_figures_is_policy_only(rows: dict) -> None:
    r = rows[("policyco", 2020, "user-data")]
    assert r["level"] == "policy-only" and "le-guidelines (https://example.org/report)" in r["evidence"]


def test_rdr_stands_beside_and_disagreements_are_listed(rows: dict) -> None:
    acme = rows[("acme", 2020, "user-data")]
    assert (acme["rdr_p11a"], acme["rdr_f6"]) == (0, 50)
    assert acme["rdr_disagreement"] == "RDR scores P11a 0 but govreq holds per-country figures (2)"
    assert "RDR 2022 index P11a" in acme["rdr_source"]
    silent = rows[("silent", 2019, "user-data")]
    assert silent["rdr_disagreement"] == "RDR scores P11a 40 but govreq found no figures or report"
    assert rows[("acme", 2019, "content-removal")]["rdr_disagreement"] == ""  # 50 beside totals: consistent


def test_staleness_says_overdue_by_months(rows: dict) -> None:
    # newest period 2020-12-31, half-yearly (6) + lag 1 month (first copy 2021-02-01): due 2021-07; 2022-06 = 11
    notes = rows[("acme", 2020, "user-data")]["notes"]
    assert "stale: overdue by 11 months: the newest period loaded ends 2020-12-31" in notes


def test_regression_when_a_metric_stops(rows: dict) -> None:
    notes = rows[("acme", 2020, "user-data")]["notes"]
    assert ("regression: accounts_specified (accounts) last published for the period ending 2019-12-31; "
            "absent from the newest period ending 2020-12-31") in notes


def test_format_downgrade_csv_to_pdf(rows: dict) -> None:
    notes = rows[("movedtopdf", 2020, "user-data")]["notes"]
    assert "format_downgrade: periods up to 2019-12-31 were downloadable as text/csv (csv-series)" in notes
    assert rows[("movedtopdf", 2020, "user-data")]["level"] == "totals-only"


def test_csv_and_rebuild(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _build(con)
    out = disclosure.disclosure_rows(con, REGISTRY, today=TODAY)
    text = disclosure.format_disclosure(out, "csv")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:9] == ["company", "year", "kind", "level", "evidence", "rdr_p11a", "rdr_f6", "scope", "notes"]
    assert disclosure.rebuild(con, REGISTRY, today=TODAY) == 36
    assert disclosure.rebuild(con, REGISTRY, today=TODAY) == 36  # replaced, not appended
    assert con.execute("SELECT count(*) FROM disclosure_levels").fetchall() == [(36,)]
    assert con.execute("SELECT role FROM company_roles WHERE company = 'ranking-digital-rights'").fetchall() \
        == [("outside-rating",)]
    kinds = {k for (k,) in con.execute("SELECT DISTINCT finding FROM disclosure_findings").fetchall()}
    assert kinds == {"stale", "regression", "format_downgrade", "rdr_disagreement"}
    assert disclosure.format_disclosure(out, "table").startswith("company")


def test_works_read_only_and_year_range(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _build(con)
    con.close()
    ro = store.open_warehouse(tmp_path / "warehouse.duckdb", read_only=True)
    out = disclosure.disclosure_rows(ro, REGISTRY, year_range=(2018, 2018), today=TODAY)
    assert {r["level"] for r in out} <= {"none-found", "not-loaded", "not-tracked", "policy-only", "not-checked"}
    assert {r["year"] for r in out} == {2018}


def test_with_the_real_registry_models(tmp_path: Path) -> None:
    from crawlers import registry
    con = warehouse(tmp_path)
    _build(con)
    real = registry.load_registry()
    out = disclosure.disclosure_rows(con, real, year_range=(2020, 2020), today=TODAY)
    slugs = {c.slug for c in real.companies if c.role == "company"}
    assert {r["company"] for r in out} == slugs and len(out) == 3 * len(slugs)
    # (a none-found company whose ended series has no last period seen may have covered 2020: not asserted)
    none_found = [c for c in real.companies if c.role == "company" and c.disclosure == "none-found" and not c.series]
    assert none_found, "the registry names companies that publish nothing"
    for company in none_found:
        r = next(r for r in out if r["company"] == company.slug and r["kind"] == "user-data")
        looked = [c for c in company.checked if c.how != "not-checked" and c.checked_on.year >= 2020]
        assert r["level"] == ("none-found" if looked else "not-checked"), company.slug
        assert all(f"checked {c.url} on {c.checked_on}" in r["evidence"] for c in looked)


def test_a_page_missing_from_a_replayed_mirror_is_not_called_a_live_404() -> None:
    f = {"url": "https://example.cn/esg", "fetched_on": "2026-11-23", "outcome": "failed", "http_status": 404}
    assert disclosure._fetch_evidence(f) == "fetched https://example.cn/esg on 2026-11-23: failed (HTTP 404)"
    replayed = disclosure._fetch_evidence(f | {"via_mirror": "/corpus"})
    assert "not in the recorded mirror" in replayed and "says nothing about the live page" in replayed
    assert "HTTP 404" not in replayed


def test_us_only_national_security_table_is_a_total_not_a_country_breakdown(tmp_path: Path) -> None:
    """FISA/NSL figures exist for the US only by law: naming the US on them is no per-country breakdown."""
    registry = Registry([Company("usco", "US Co", series=[Series("ns", "national-security")])])
    con = warehouse(tmp_path)
    n1 = sha_of("usco-ns")
    load(con, n1, [fact(n1, company="usco", series="ns", country="United States", raw="0-499", period=Y2019,
                        kind=Kind.NATIONAL_SECURITY, request_type=RequestType.NATIONAL_SECURITY)],
         company="usco", series="ns", fetched="2020-02-01")
    out = {(r["company"], r["year"], r["kind"]): r for r in disclosure.disclosure_rows(con, registry, today=TODAY)}
    r = out[("usco", 2019, "national-security")]
    assert r["level"] == "totals-only" and "one country only" in r["notes"]


# ---- evidence grades, lifetimes and mandated figures (issue 8) ----

def _graded(tmp_path: Path, companies: list[Company], fetches: list[dict] = (), facts: list = ()) -> dict:
    con = warehouse(tmp_path)
    a = sha_of("anchor")  # a figure somewhere fixes the years assessed: 2019-2020
    load(con, a, [fact(a, company="anchor", country="Chile", raw="3", period=Y2019),
                  fact(a, company="anchor", country="Chile", raw="4", period=Y2020)], company="anchor",
         fetched="2021-02-01")
    for sha, rows, series in facts:
        load(con, sha, rows, company=rows[0].company, series=series, fetched="2021-02-01",
             url=f"https://example.org/{series}")
    store.load_fetch_log(con, list(fetches))
    registry = Registry([Company("anchor", "Anchor", series=[Series("data-requests", "user-data")]), *companies])
    return {(r["company"], r["year"], r["kind"]): r for r in disclosure.disclosure_rows(con, registry, today=TODAY)}


def test_a_place_nobody_looked_at_is_not_checked_never_silence(tmp_path: Path) -> None:
    out = _graded(tmp_path, [Company("quiet", "Quiet", disclosure="none-found", checked=[
        Checked("https://quiet.example/", dt.date(2026, 11, 23), "not yet checked", "nobody yet", "not-checked")])])
    r = out[("quiet", 2020, "user-data")]
    assert r["level"] == "not-checked" and r["checks"] == ""
    assert "places recorded but not looked at: https://quiet.example/" in r["evidence"]


def test_a_check_speaks_only_for_years_up_to_its_date(tmp_path: Path) -> None:
    out = _graded(tmp_path, [Company("old", "Old", disclosure="none-found", checked=[
        Checked("https://old.example/", dt.date(2019, 9, 1), "no data", "Ranking Digital Rights 2020 researchers",
                "outside-rating")])])
    assert out[("old", 2019, "user-data")]["level"] == "none-found"
    assert out[("old", 2019, "user-data")]["checks"] == "Ranking Digital Rights 2020 researchers looked 2019-09-01"
    assert out[("old", 2020, "user-data")]["level"] == "not-checked"  # nobody has looked since 2019


def test_a_live_fetch_of_a_checked_page_upgrades_the_grade_and_a_mirror_miss_does_not(tmp_path: Path) -> None:
    place = Checked("https://quiet.example/esg", dt.date(2026, 11, 23), "not yet checked", "nobody", "not-checked")
    company = Company("quiet", "Quiet", disclosure="none-found", checked=[place])
    missing = {"url": place.url, "fetched_at": "2026-12-01T10:00:00Z", "http_status": 404, "outcome": "failed",
               "company": "quiet", "series": disclosure.CHECKED_SERIES, "via_mirror": "/corpus"}
    assert _graded(tmp_path / "a", [company], [missing])[("quiet", 2020, "user-data")]["level"] == "not-checked"
    live = {"url": place.url, "fetched_at": "2026-12-02T10:00:00Z", "http_status": 200, "outcome": "new",
            "sha256": "ab" * 32, "company": "quiet", "series": disclosure.CHECKED_SERIES}
    r = _graded(tmp_path / "b", [company], [live])[("quiet", 2020, "user-data")]
    assert r["level"] == "none-found" and r["checks"] == "live crawl 2026-12-02 (HTTP 200)"
    assert "live crawl: fetched https://quiet.example/esg on 2026-12-02: new (HTTP 200)" in r["evidence"]


def test_no_silence_before_a_company_began(tmp_path: Path) -> None:
    young = Company("young", "Young", disclosure="none-found", began=2020, began_source="its about page",
                    checked=[Checked("https://young.example/", dt.date(2026, 1, 1), "no report", "notes")])
    out = _graded(tmp_path, [young])
    assert out[("young", 2019, "user-data")]["level"] == "not-applicable"
    assert "began in 2020 (its about page)" in out[("young", 2019, "user-data")]["evidence"]
    assert out[("young", 2020, "user-data")]["level"] == "none-found"


def test_mandated_regional_only_carries_its_printed_all_region_totals(tmp_path: Path) -> None:
    """Synthetic DSA-style facts (as the EU DSA parser will load them): country TOTAL is the all-EU total,
    country_iso2 NULL and is_total; per-country rows beside it are not added up."""
    h1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    d = sha_of("dsa")
    rows = [fact(d, company="euro", series="dsa", country="TOTAL", raw=raw, period=h1, is_total=True,
                 kind=kind, request_type=rt, request_type_raw=label)
            for raw, label, kind, rt in (("547", "orders to act", Kind.CONTENT_REMOVAL, RequestType.CONTENT_REMOVAL),
                                         ("656", "orders to provide information", Kind.USER_DATA, RequestType.OTHER))]
    rows.append(fact(d, company="euro", series="dsa", country="Germany", raw="300", period=h1,
                     kind=Kind.CONTENT_REMOVAL, request_type=RequestType.CONTENT_REMOVAL,
                     request_type_raw="orders to act"))
    euro = Company("euro", "Euro", disclosure="mandated-regional-only", checked=[
        Checked("https://euro.example/esg", dt.date(2026, 11, 23), "no voluntary report", "research notes")],
        series=[Series("dsa", "content-removal", scope="mandated-regional", region="EU",
                       title="Digital Services Act transparency report", first_period="2024")])
    con = warehouse(tmp_path)
    load(con, d, rows, company="euro", series="dsa", fetched="2026-08-01", url="https://euro.example/dsa.csv")
    got = {r["kind"]: r for r in disclosure.disclosure_rows(con, Registry([euro]), year_range=(2026, 2026),
                                                             today=dt.date(2026, 12, 1))}
    r = got["content-removal"]
    assert r["level"] == "mandated-regional-only"
    assert r["evidence"].startswith("EU only, under the DSA: 547 orders to act, H1 2026")
    assert "300" not in r["evidence"].split(";")[0]  # a country row is not added to the printed total
    assert got["user-data"]["evidence"].startswith("EU only, under the DSA: 656 orders to provide information, H1 2026")
    assert r["checks"] == "research notes 2026-11-23 (not yet confirmed by a crawl)"


def test_a_rebuild_with_nothing_new_keeps_country_figures_and_still_records_the_newest_check(tmp_path: Path) -> None:
    """A no-op update does not re-materialise country_figures (its inputs did not change), yet a checked page
    fetched again is a newer dated check, and the level's "checked on" date is that newest one."""
    place = Checked("https://quiet.example/esg", dt.date(2026, 11, 23), "not yet checked", "nobody", "not-checked")
    registry = Registry([*REGISTRY.companies, Company("quiet", "Quiet", disclosure="none-found", checked=[place])])
    con = warehouse(tmp_path)
    _build(con)

    def fetched(day: str) -> dict:
        return {"url": place.url, "fetched_at": f"{day}T10:00:00Z", "http_status": 200, "outcome": "unchanged",
                "sha256": "ab" * 32, "company": "quiet", "series": disclosure.CHECKED_SERIES}

    store.load_fetch_log(con, [fetched("2026-12-02")])
    disclosure.rebuild(con, registry, today=TODAY)
    figures = con.execute("SELECT * FROM country_figures ORDER BY ALL").fetchall()
    assert figures  # acme's German and French figures
    assert disclosure.refresh_country_figures(con) is False  # nothing changed since the rebuild
    store.load_fetch_log(con, [fetched("2026-12-09")])  # the next (no-op) update fetches the page again
    disclosure.rebuild(con, registry, today=TODAY)
    assert disclosure.refresh_country_figures(con) is False
    assert con.execute("SELECT * FROM country_figures ORDER BY ALL").fetchall() == figures
    assert con.execute("SELECT level, checks FROM disclosure_levels WHERE company = 'quiet' AND year = 2020 "
                       "AND kind = 'user-data'").fetchall() == [("none-found", "live crawl 2026-12-09 (HTTP 200)")]
    # a new document changes the inputs: country_figures is computed again and shows its figure
    n = sha_of("acme-2020-new")
    load(con, n, [fact(n, company="acme", country="Chile", raw="7", period=Y2020)], company="acme",
         fetched="2021-08-01", url="https://example.org/acme-2020.csv")
    disclosure.rebuild(con, registry, today=TODAY)
    assert con.execute("SELECT value_low FROM country_figures WHERE company = 'acme' AND country_iso2 = 'CL'"
                       ).fetchall() == [(7.0,)]
