"""The static site in a real browser (Debian's chromium through Playwright), built from the synthetic warehouse.

Every page is opened from file:// with the network cut: no console error, no page error, no request that is not
a file:// URL, no injected script running, and the charts' marks carry the warehouse's numbers.
Needs /usr/bin/chromium (`apt-get install -y chromium`; `make test` installs it). Never `playwright install`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.build import build_site
from dashboard.format import file_stem
from tests.fixtures.site_warehouse import (
    EVIL_COMPANY,
    EVIL_COUNTRY,
    EVIL_ISO2,
    build_site_warehouse,
    registry,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')]
    .every(el => el.getAttribute('data-rendered') === 'yes')"""
# the rows of every dataset of a drawn view (vega's own API, robust to how Vega-Lite names datasets); only
# scalar fields are kept, since mark datasets point back into the scenegraph
VIEW_ROWS = """(id) => {
    const state = window.govreqViews[id].getState({data: () => true, signals: () => false, recurse: true});
    const rows = [];
    for (const values of Object.values(state.data || {})) {
        if (!Array.isArray(values)) continue;
        for (const r of values) {
            if (r === null || typeof r !== 'object') continue;
            rows.push(Object.fromEntries(Object.entries(r).filter(([, v]) => v === null || typeof v !== 'object')));
        }
    }
    return rows;
}"""


def _missing(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{why} (required under CI)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    con = build_site_warehouse(root / "govreq.duckdb")
    try:
        build_site(con, root / "site", registry=registry())
    finally:
        con.close()
    return root / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("GOVREQ_SCREENSHOTS") or tmp_path_factory.mktemp("site-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nsite screenshots: {folder}")
    return folder


class Visit:
    """One page opened offline, with everything that went wrong recorded."""

    def __init__(self, browser: Any, url: str) -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=20_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            route.continue_()
        else:
            self.problems.append(f"network request: {url}")
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"a script opened a dialog: {dialog.message!r}")
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_opens_offline_without_errors(site: Path, browser: Any, screenshots: Path) -> None:
    pages = _pages(site)
    assert len(pages) >= 12, [p.name for p in pages]
    failures: dict[str, list[str]] = {}
    for path in pages:
        visit = Visit(browser, path.as_uri())
        try:
            rel = path.relative_to(site).as_posix()
            visit.page.screenshot(path=str(screenshots / (rel.replace("/", "__") + ".png")), full_page=True)
            inline = visit.page.evaluate(
                "() => document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length")
            if inline:
                visit.problems.append(f"{inline} inline executable script element(s)")
            if visit.page.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror]').length"):
                visit.problems.append("an injected element was parsed as HTML")
            if visit.problems:
                failures[rel] = visit.problems
        finally:
            visit.close()
    assert not failures, json.dumps(failures, indent=1)


def test_hostile_labels_render_as_text(site: Path, browser: Any) -> None:
    company = Visit(browser, (site / "companies" / f"{file_stem(EVIL_COMPANY)}.html").as_uri())
    country = Visit(browser, (site / "countries" / f"{file_stem(EVIL_ISO2)}.html").as_uri())
    index = Visit(browser, (site / "index.html").as_uri())
    try:
        assert company.page.locator("h1").inner_text() == EVIL_COMPANY
        assert EVIL_COUNTRY in country.page.locator("h1").inner_text()
        # the chart draws the label as SVG text too, not as markup
        labels = index.page.evaluate("() => [...document.querySelectorAll('svg text')].map(t => t.textContent)")
        assert EVIL_COMPANY in labels
        for visit in (company, country, index):
            assert visit.page.evaluate("() => typeof window.__pwned") == "undefined"
            assert visit.problems == []
    finally:
        for visit in (company, country, index):
            visit.close()


def test_requests_chart_carries_the_warehouse_numbers(site: Path, browser: Any) -> None:
    visit = Visit(browser, (site / "requests.html").as_uri())
    try:
        rows = [r for r in visit.page.evaluate(VIEW_ROWS, "requests-user-data") if "value_low" in r]
        by_key = {(r["company_name"], r["period_end"]): (r["value_low"], r["value_high"]) for r in rows}
        # Globex printed worldwide totals: 5,000 / 5,500 / 6,100
        assert by_key[("Globex", "2019-06-30")] == (5000, 5000)
        assert by_key[("Globex", "2020-06-30")] == (6100, 6100)
        # Acme printed countries only: H2 2019 = US 1,390 (restated) + DE "<10" (1..9) + ZZ 9 -> a range 1,400-1,408
        assert by_key[("Acme Corp", "2019-12-31")] == (1400, 1408)
        # the range is drawn as a rule from low to high, and its ends are in the SVG's mark descriptions
        labels = " ".join(visit.page.evaluate(
            "() => [...document.querySelectorAll('[data-chart=\"requests-user-data\"] svg [aria-label]')]"
            ".map(e => e.getAttribute('aria-label'))"))
        assert "1,400–1,408" in labels
        assert visit.problems == []
    finally:
        visit.close()


def test_country_grid_shows_gaps_and_figures(site: Path, browser: Any) -> None:
    visit = Visit(browser, (site / "countries" / f"{file_stem('DE')}.html").as_uri())
    try:
        texts = visit.page.evaluate(
            "() => [...document.querySelectorAll('[data-chart] svg text')].map(t => t.textContent)")
        assert "310" in texts and "1–9" in texts  # Acme's DE cells: an exact figure and "<10" as 1..9
        assert "not listed" in texts  # Globex publishes per-country figures, but not for DE
        # Initech publishes none: a gap, named under the chart, not left out
        gaps = visit.page.locator("text=Publish no per-country figures at all").inner_text()
        assert "Initech" in gaps
        assert visit.problems == []
    finally:
        visit.close()


def test_disclosure_cells_link_to_their_evidence(site: Path, browser: Any) -> None:
    visit = Visit(browser, (site / "index.html").as_uri())
    try:
        hrefs: set[str] = set()
        for chart_id in ("disclosure-user-data", "disclosure-content-removal"):
            hrefs |= {r["href"] for r in visit.page.evaluate(VIEW_ROWS, chart_id) if "href" in r}
        alarm = visit.page.locator(".alarm").inner_text()
        assert "Initech" in alarm and "found for 2019\u20132020" in alarm and "Checked: research notes" in alarm
    finally:
        visit.close()
    assert len(hrefs) == 12
    for href in sorted(hrefs):
        page, anchor = href.split("#")
        target = Visit(browser, (site / page).as_uri())
        try:
            assert target.page.evaluate("(id) => document.getElementById(id) !== null", anchor), href
        finally:
            target.close()


def test_eu_orders_page_draws_each_filings_printed_eu_totals(site: Path, browser: Any) -> None:
    """The DSA page from a SYNTHETIC filing: 547 orders to act and 656 to provide information, all-EU, as printed
    in the filing's table 3, and per million of its 95,000,000 average monthly active recipients (a rate govreq
    derives, drawn to two decimals like every non-count on the site: the view eu_dsa_orders keeps three)."""
    visit = Visit(browser, (site / "eu-orders.html").as_uri())
    try:
        rows = visit.page.evaluate(VIEW_ROWS, "eu-orders")
        drawn = {(r["order_type"][:16], r["measure"]): r["value"] for r in rows if "value" in r}
        assert drawn == {("to act against i", "orders"): 547, ("to provide infor", "orders"): 656,
                         ("to act against i", "per million recipients"): round(547 / 95, 2),
                         ("to provide infor", "per million recipients"): round(656 / 95, 2)}
        text = visit.page.locator("main").inner_text()
        assert "compare totals, not categories" in text and "EU only" in text
        assert "Member State" in text and visit.problems == []
    finally:
        visit.close()
