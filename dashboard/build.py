"""Builds the whole static dashboard from the warehouse (`govreq site --out DIR`).

Pages: the disclosure headline (index.html), requests over time, one page per requesting country, compliance
rates, EU government orders under the DSA, the restatement ledger, one page per company and the documents every figure cites. Every chart comes
with its takeaway, unit, sources, a citation line, PNG/SVG/CSV downloads and a data table.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from dashboard import reuse
from dashboard.context import (
    TOP_COUNTRIES,
    Site,
    companies_of,
    dataset_version,
    load_registry,
    optional_query,
    query,
    relation_exists,
)
from dashboard.pages.company import page_companies, page_company
from dashboard.pages.compliance import page_compliance
from dashboard.pages.countries import page_countries
from dashboard.pages.documents import page_documents
from dashboard.pages.eu_dsa import page_eu_dsa
from dashboard.pages.index import page_index
from dashboard.pages.requests import page_requests
from dashboard.pages.restatements import page_restatements
from dashboard.render import TEMPLATES, Builder, Images, Progress, use_template_cache
from dashboard.request_totals import request_rows_and_figures

# the dashboard's marts (warehouse/sql/views_site_2_marts.sql): the figures the pages draw, chosen in SQL
MARTS = ("site_request_lines", "site_request_figures", "site_silent_companies", "site_restatement_pairs")


def build_site(con: duckdb.DuckDBPyConnection, out_dir: Path, *, registry: Any | None = None,
               top_countries: int | None = None, cache_dir: Path | None = None,
               progress: Progress | None = None) -> Path:
    """Build the whole site into out_dir from the warehouse; return the path of index.html.

    `registry` defaults to crawlers.registry.load_registry() when that module is present. `cache_dir` holds
    images (keyed by a hash of their chart spec, data included) reused by the next build; None draws them all.
    It also holds a snapshot of the last site built with the default registry, copied out instead of built
    again when none of its inputs changed (dashboard/reuse.py).
    """
    missing = [m for m in MARTS if not relation_exists(con, m)]
    if missing:  # views are (re)applied by every read-write open: a warehouse from before them needs an update
        raise RuntimeError(f"the warehouse has no {', '.join(missing)} (warehouse/sql/views_site_*.sql): "
                           "run `govreq update` once to add the dashboard's marts")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    for name in ("site.css", "site.js"):
        shutil.copyfile(TEMPLATES / name, assets / name)
    progress = progress or Progress()
    # nothing changed since the last build (same warehouse file, code, registry, versions, day): copy its snapshot
    key = reuse.fingerprint(con, top_countries) if cache_dir and registry is None else None
    if key and cache_dir and (done := reuse.restore(cache_dir, key, out)):
        progress.unchanged(*done)
        return out / "index.html"
    images = Images(cache_dir, progress)  # on a cold build its workers start now, while the queries run
    try:
        images.bundle(assets / "vega-bundle.js")
        use_template_cache(cache_dir)
        index = _build_pages(con, out, images, progress, registry, top_countries)
    finally:
        images.wait()
    if key and cache_dir:
        reuse.save(cache_dir, key, out)
    progress.finish()
    return index


def _build_pages(con: duckdb.DuckDBPyConnection, out: Path, images: Images, progress: Progress,
                 registry: Any | None, top_countries: int | None) -> Path:
    con.execute("SET TimeZone = 'UTC'")  # dates in the pages do not depend on the machine's zone
    con.execute("SET enable_progress_bar = false")  # the build's own progress line is the only one
    version, updated = dataset_version(con)
    site = Site(con=con, out=out, companies=companies_of(con, registry if registry is not None else load_registry()),
                version=version, built_on=updated, top_countries=top_countries or TOP_COUNTRIES)
    sources = query(con, "sources")
    site.newest_sha = {s["url"]: s["sha256"] for s in sources if s["is_newest"]}
    site.published_order = {s["url"]: s["last_modified"] or s["first_fetched"] for s in sources if s["is_newest"]}
    b = Builder(site=site, images=images, progress=progress)
    index = page_index(b)
    requests, figures = request_rows_and_figures(site)
    page_requests(b, figures)
    page_countries(b)
    page_compliance(b)
    page_eu_dsa(b)
    page_restatements(b)
    page_documents(b)
    levels, why = optional_query(con, "disclosure_levels", "disclosure")
    coverage, failed = query(con, "coverage"), query(con, "failed_documents")
    for company in list(site.companies.values()):
        page_company(b, company, requests, figures, levels, why, coverage, sources, failed)
    page_companies(b, levels)
    return index
