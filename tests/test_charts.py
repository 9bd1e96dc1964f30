"""Every chart module compiles to a valid Vega-Lite spec on the synthetic warehouse, draws ranges as ranges,
and never mixes units; the built site escapes scraped labels, prints numbers for people, cites documents that are
on its documents page, reuses unchanged images, and says "not available yet" where it must."""

from __future__ import annotations

import csv
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import dashboard.charts
from dashboard.build import build_site
from dashboard.context import Site, companies_of, query
from dashboard.format import file_stem, year_ranges
from dashboard.pages import countries, eu_dsa, index, requests
from dashboard.render import script_json
from dashboard.request_totals import SUM_OF_TYPES, headline, request_rows
from tests.fixtures.site_warehouse import (
    EVIL_COMPANY,
    EVIL_COUNTRY,
    GLOBEX_TOTALS,
    build_site_warehouse,
    registry,
)

CHART_MODULES = sorted(
    m.name for m in pkgutil.iter_modules(dashboard.charts.__path__) if m.name != "palette"
)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Any:
    con = build_site_warehouse(tmp_path_factory.mktemp("wh") / "govreq.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def built(con: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(con, out, registry=registry())
    return out


def _site(con: Any, tmp_path: Path) -> Site:
    return Site(con=con, out=tmp_path, companies=companies_of(con, registry()), version="test", built_on="today")


def _rows_for(module: str, con: Any, tmp_path: Path) -> list[dict[str, Any]]:
    """The rows the site feeds each chart, built the way the site builds them."""
    s = _site(con, tmp_path)
    if module == "requests_over_time":
        return requests.requests_block("t", "t", request_rows(s), panel_by_kind=False).rows
    if module == "country_grid":
        return countries.country_grid_rows(s, query(con, "country_figures", {"countries": ["DE"]}), "user-data")
    if module == "compliance_rates":
        return [{**r, "company_name": s.name(r["company"]), "measure": r["metric"]}
                for r in query(con, "compliance")]
    if module == "disclosure_matrix":
        return index.grid_rows(s, query(con, "disclosure"), "user-data")
    if module == "restatement_counts":
        return [{"company_name": s.name(r["company"]), "kind": r["kind"], "figures": 1}
                for r in query(con, "restatements")]
    if module == "coverage_timeline":
        return [{**r, "series_label": r["series"]} for r in query(con, "coverage")]
    if module == "eu_orders":
        return eu_dsa.order_rows(s)[2]
    raise AssertionError(f"no rows known for chart module {module}: add it here")


def _encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every encoding block anywhere in a (layered, faceted) spec."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("encoding"), dict):
                found.append(node["encoding"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


@pytest.mark.parametrize("name", CHART_MODULES)
def test_chart_module_compiles_to_valid_vega_lite(name: str, con: Any, tmp_path: Path) -> None:
    module = importlib.import_module(f"dashboard.charts.{name}")
    assert module.__doc__ and "Takeaway" in module.__doc__, "the docstring must say what the reader takes away"
    assert isinstance(module.UNIT, str) and module.UNIT
    rows = _rows_for(name, con, tmp_path)
    assert rows, f"the synthetic warehouse gives {name} nothing to draw"
    spec = module.chart(rows, title="A title", description="A takeaway").to_dict()  # validates the schema
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["title"] == "A title" and spec["description"] == "A takeaway"
    import vl_convert

    assert vl_convert.vegalite_to_vega(spec)["marks"]  # Vega-Lite itself compiles it


@pytest.mark.parametrize("name", ["requests_over_time", "compliance_rates"])
def test_quantities_are_drawn_as_ranges(name: str, con: Any, tmp_path: Path) -> None:
    module = importlib.import_module(f"dashboard.charts.{name}")
    spec = module.chart(_rows_for(name, con, tmp_path), title="t", description="d").to_dict()
    rules = [enc for enc in _encodings(spec) if "y2" in enc]
    assert rules, "no mark spans from a low to a high value"
    for enc in rules:
        assert enc["y"]["field"] == "value_low" and enc["y2"]["field"] == "value_high"
    # no mark is placed at a single value or a midpoint
    fields = {enc["y"]["field"] for enc in _encodings(spec) if "y" in enc}
    assert fields == {"value_low", "value_high"}


def test_suppressed_cells_make_a_range_and_bands_stay_bands(con: Any, tmp_path: Path) -> None:
    rows = request_rows(_site(con, tmp_path))
    acme = {r["period_end"]: (r["value_low"], r["value_high"], r["basis"]) for r in rows if r["company"] == "acme"}
    # H2 2019 (restated version): US 1,390 + DE "<10" (1..9) + ZZ 9
    assert acme["2019-12-31"] == (1400, 1408, "sum of countries")
    assert acme["2019-06-30"] == (1200 + 310 + 7, 1200 + 310 + 7, "sum of countries")
    globex = sorted((r["period_end"], r["value_low"]) for r in rows if r["company"] == "globex"
                    and r["kind"] == "user-data")
    assert [v for _, v in globex] == [float(t.replace(",", "")) for t in GLOBEX_TOTALS]
    assert all(r["basis"] == "printed worldwide figure" for r in rows if r["company"] == "globex")


def test_no_chart_mixes_units(con: Any, tmp_path: Path, built: Path) -> None:
    s = _site(con, tmp_path)
    totals = request_rows(s)
    assert {r["unit"] for r in totals} == {"requests"}
    assert 900 not in {r["value_low"] for r in totals}  # Globex's 900 accounts are never drawn as requests
    assert {r["unit"] for r in query(con, "compliance")} == {"percent"}
    country = [r for r in query(con, "country_figures", {"countries": ["US"]}) if r["unit"] is not None]
    assert country and {r["unit"] for r in country} == {"requests"}
    # and what the site wrote out: every CSV that carries a unit column carries exactly one unit
    for path in built.rglob("*.csv"):
        with path.open(encoding="utf-8") as f:
            units = {r["unit"] for r in csv.DictReader(f) if r.get("unit")}
        assert len(units) <= 1, (path, units)


def test_every_chart_has_its_furniture(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    charts = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for slug in re.findall(r'data-chart="([^"]+)"', text):
            charts += 1
            section = text[text.index(f'<section class="chart" id="{slug}"'):]
            section = section[:section.index("</section>")]
            for needed in ('class="takeaway"', "Unit: ", "Source: ", "How to cite: govreq dataset govreq-",
                           f'href="{slug}.png"', f'href="{slug}.svg"', f'href="{slug}.csv"', "<details>",
                           "aria-label="):
                assert needed in section, (page.name, slug, needed)
            for ext in ("png", "svg", "csv"):
                assert (page.parent / f"{slug}.{ext}").stat().st_size > 0, (page.name, slug, ext)
    assert charts >= 10
    assert (built / "assets" / "vega-bundle.js").stat().st_size > 500_000
    for page in pages:  # nothing is fetched from the network
        assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(js|css)', page.read_text(encoding="utf-8"))


def test_scraped_labels_are_escaped(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert EVIL_COMPANY not in text, page
        assert EVIL_COUNTRY not in text, page
        assert "<b>report</b>" not in text, page
    company_page = (built / "companies" / f"{file_stem(EVIL_COMPANY)}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in company_page
    assert script_json({"a": "</script><b>"}) == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e"}'


def test_missing_tables_say_not_available(tmp_path: Path) -> None:
    con = build_site_warehouse(tmp_path / "bare.duckdb")
    con.execute("DROP TABLE disclosure_levels")
    con.execute("DROP TABLE restatements")
    try:
        index = build_site(con, tmp_path / "site", registry=registry())
    finally:
        con.close()
    assert "Disclosure levels: not available yet." in index.read_text(encoding="utf-8")
    ledger = (tmp_path / "site" / "restatements.html").read_text(encoding="utf-8")
    assert "The restatement ledger: not available yet." in ledger
    initech = (tmp_path / "site" / "companies" / "initech.html").read_text(encoding="utf-8")
    assert "not available yet" in initech


def test_year_ranges_collapse_runs() -> None:
    assert year_ranges([2013, 2009, 2010, 2011]) == "2009\u20132011, 2013"
    assert year_ranges([]) == ""


def test_overview_draws_one_figure_per_company_and_period() -> None:
    """Synthetic rows (not from the corpus): a company that prints only separate request types gets their sum
    (lows and highs summed apart, so a "<10" part keeps the sum a range); a printed "all requests" line beats a
    sum of countries; two series covering one period are never added."""
    def row(company: str, series: str, line: str, low: float, high: float, basis: str, choice: str) -> dict[str, Any]:
        return {"company": company, "company_name": company, "series": series, "kind": "user-data", "line": line,
                "period_start": "2020-01-01", "period_end": "2020-06-30", "value_low": low, "value_high": high,
                "basis": basis, "choice": choice, "shown": "", "raw_text": "", "rows_used": 1, "lines_in_period": 2,
                "unit": "requests", "status": "reported", "source_url": ""}

    rows = [
        row("g", "s", "Subpoenas", 100, 100, "sum of countries", "each request type"),
        row("g", "s", "Wiretap Orders", 1, 9, "sum of countries", "each request type"),
        row("w", "s", "Total", 13, 13, "sum of countries", "all requests line"),
        row("w", "s", "Total User Data Requests", 1, 1, "printed worldwide figure", "all requests line"),
        row("x", "csv", "Combined", 6447, 6447, "sum of countries", "all requests line"),
        row("x", "pdf", "TOTAL", 6448, 6448, "printed worldwide figure", "all requests line"),
    ]
    drawn = {r["company"]: r for r in headline(rows)}
    assert len(headline(rows)) == 3
    assert (drawn["g"]["value_low"], drawn["g"]["value_high"], drawn["g"]["shown"]) == (101, 109, "101–109")
    assert drawn["g"]["basis"].startswith(SUM_OF_TYPES)
    assert (drawn["w"]["value_low"], drawn["w"]["basis"]) == (1, "printed worldwide figure")
    assert (drawn["x"]["value_low"], drawn["x"]["series"]) == (6448, "pdf")


def test_country_grid_drops_empty_request_types_but_keeps_company_gaps(con: Any, tmp_path: Path) -> None:
    """Synthetic per-country figures (not from the corpus): a request type with nothing for this country is
    dropped when the company has another type with figures; a company with nothing at all keeps one gap row."""
    def fig(company: str, line: str, start: str, end: str, low: float | None, status: str,
            request_type: str = "other") -> dict[str, Any]:
        return {"company": company, "series": "s", "kind": "user-data", "line": line, "period_start": start, "period_end": end,
                "request_type": request_type,
                "value_low": low, "value_high": low, "status": status, "raw_text": "" if low is None else str(low),
                "source_url": ""}

    figures = [
        fig("zeta", "Subpoenas", "2020-01-01", "2020-06-30", 12, "reported"),
        fig("zeta", "Wiretap Orders", "2020-01-01", "2020-06-30", None, "not_listed"),
        fig("omega", "Criminal", "2020-01-01", "2020-06-30", None, "not_listed"),
        fig("omega", "Civil", "2020-07-01", "2020-12-31", None, "not_listed"),
        # one "all requests" line, renamed between two reports: one row, never two values in one period
        fig("mu", "LERR", "2020-01-01", "2020-06-30", 5, "reported", "all"),
        fig("mu", "TOTAL", "2020-07-01", "2020-12-31", 7, "reported", "all"),
    ]
    rows = countries.country_grid_rows(_site(con, tmp_path), figures, "user-data")
    labels = {r["row_label"] for r in rows}
    assert labels == {"zeta", "omega", "mu"}  # one row per company, never one per label wording
    assert [(r["cell_text"], r["line"]) for r in rows if r["row_label"] == "zeta"] == [("12", "Subpoenas")]
    omega = [(r["period_label"], r["cell_text"]) for r in rows if r["row_label"] == "omega"]
    assert omega == [("2020 H1", "not listed"), ("2020 H2", "not listed")]
    mu = [(r["row_label"], r["period_label"], r["cell_text"], r["line"]) for r in rows if r["row_label"].startswith("mu")]
    assert mu == [("mu", "2020 H1", "5", "LERR"), ("mu", "2020 H2", "7", "TOTAL")]
