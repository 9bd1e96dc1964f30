"""The dashboard stage on the synthetic warehouse (tests/fixtures/site_warehouse.py): numbers printed for people,
levels read from the data, breaks in a series marked, citations that land on a documents-page row, and a rebuild
with nothing changed that draws no image again."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from dashboard.build import build_site
from dashboard.charts import country_grid, disclosure_matrix
from dashboard.format import file_stem, fmt_number, fmt_score
from dashboard.pages.requests import breaks
from dashboard.render import Progress
from tests.fixtures.site_warehouse import build_site_warehouse, registry

FLOAT_NOISE = re.compile(r"\d\.\d{3,}")  # three or more decimals: nothing on the site is printed that finely


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash")
    con = build_site_warehouse(root / "govreq.duckdb")
    try:
        build_site(con, root / "site", registry=registry(), progress=Progress(io.StringIO()))
    finally:
        con.close()
    return root / "site"


def _visible_text(html: str) -> str:
    html = re.sub(r"<script\b[^>]*>.*?</script>", " ", html, flags=re.S)  # chart specs carry raw numbers
    return re.sub(r"<[^>]+>", " ", html)


def test_no_float_noise_on_any_page(built: Path) -> None:
    noisy = {p.relative_to(built).as_posix(): FLOAT_NOISE.findall(_visible_text(p.read_text(encoding="utf-8")))
             for p in built.rglob("*.html")}
    assert not {k: v for k, v in noisy.items() if v}
    globex = (built / "companies" / "globex.html").read_text(encoding="utf-8")
    assert "P11a 68.18" in globex and "68.1818" not in globex  # the fixture's score is 68.18181818181819
    assert fmt_number(39083.421897734355) == "39,083.42" and fmt_number(1234567) == "1,234,567"
    assert fmt_score("68.18181818181819") == "68.18" and fmt_score("n/a") == "n/a"


def test_unknown_levels_still_get_a_colour_and_a_legend_entry() -> None:
    rows = [{"company_name": name, "year": 2024, "level": level, "level_label": disclosure_matrix.level_label(level),
             "group": level, "group_rank": 0, "href": "x.html", "evidence": "synthetic"}
            for name, level in (("A", "per-country"), ("B", "graded-b-evidence"), ("C", "not-checked"))]
    spec = disclosure_matrix.chart(rows, title="t", description="d").to_dict()
    scales = [enc["color"]["scale"] for enc in _encodings(spec) if "color" in enc]
    assert scales and all(len(s["domain"]) == len(s["range"]) == 3 for s in scales)
    assert "graded b evidence" in scales[0]["domain"]  # a level this module never heard of, under its own name
    assert len(set(scales[0]["range"])) == 3


def _encodings(spec: Any) -> list[dict[str, Any]]:
    found = []
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("encoding"), dict):
                found.append(node["encoding"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_a_change_of_breakdown_is_marked_not_drawn_as_a_collapse() -> None:
    """Synthetic rows shaped like Google's removals: an "All Requests" line until 2019 H1, request types after."""
    def row(start: str, end: str, line: str, choice: str) -> dict[str, Any]:
        return {"panel": "Removals", "period_start": start, "period_end": end, "line": line, "choice": choice}

    rows = [row("2018-07-01", "2018-12-31", "All Requests", "all requests line"),
            row("2019-01-01", "2019-06-30", "All Requests", "all requests line"),
            row("2019-07-01", "2019-12-31", "Defamation", "each request type"),
            row("2019-07-01", "2019-12-31", "Privacy", "each request type"),
            row("2020-01-01", "2020-06-30", "Privacy", "each request type")]
    found = breaks(rows, lambda r: r["choice"])
    assert [(b["at"], b["panel"]) for b in found] == [("2019-07-01", "Removals")]
    assert "each request type" in found[0]["label"] and "all requests line" in found[0]["label"]


def test_country_grid_puts_latest_periods_first_and_never_mixes_half_years_and_years() -> None:
    rows = [{"row_label": "X", "period_label": label, "period_start": start, "cadence": cad, "cell_text": "1",
             "cell_class": "exact figure", "value_low": 1, "value_high": 1, "raw_text": "1", "line": "all"}
            for label, start, cad in (("2019", "2019-01-01", "years"), ("2019 H1", "2019-01-01", "half-years"),
                                      ("2020 H1", "2020-01-01", "half-years"))]
    spec = country_grid.chart(rows, title="t", description="d").to_dict()
    x = next(enc["x"] for enc in _encodings(spec) if "x" in enc)
    assert x["sort"][0] == "2020 H1"  # newest first
    assert spec["facet"]["row"]["field"] == "cadence" and spec["resolve"]["scale"]["x"] == "independent"


def test_every_citation_lands_on_a_documents_row(built: Path) -> None:
    documents = (built / "documents.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<tr id="(doc-[0-9a-f]{64})"', documents))
    assert len(anchors) >= 4  # every document of the fixture, the superseded Acme version included
    cited = set()
    for page in built.rglob("*.html"):
        cited |= set(re.findall(r'documents\.html#(doc-[0-9a-f]{64})', page.read_text(encoding="utf-8")))
    assert cited and cited <= anchors
    requests = (built / "requests.html").read_text(encoding="utf-8")
    assert requests.count("documents.html#doc-") >= 6  # every drawn figure's table row links its document


def test_restatements_are_counted_by_kind_and_link_both_versions(built: Path) -> None:
    text = (built / "restatements.html").read_text(encoding="utf-8")
    finding = text[text.index('<p class="finding">'):]
    finding = finding[:finding.index("</p>")]
    assert "changed value" in finding and "figures changed" not in finding
    ledger = text[text.index("<h2>The ledger</h2>"):]
    old, new = re.findall(r'href="documents\.html#(doc-[0-9a-f]{64})"', ledger)[:2]
    assert old != new


def test_pages_open_with_their_finding(built: Path) -> None:
    for path in ("index.html", "requests.html", "compliance.html", "restatements.html", "documents.html",
                 "companies/acme-corp.html" if (built / "companies/acme-corp.html").exists() else "companies/acme.html",
                 f"countries/{file_stem('DE')}.html"):
        text = (built / path).read_text(encoding="utf-8")
        main = text[text.index("<main"):]
        first_chart = main.find('<section class="chart"')
        finding = main.find('class="finding"')
        assert finding > 0 and (first_chart < 0 or finding < first_chart), path


def test_a_rebuild_with_nothing_changed_draws_no_image(tmp_path: Path) -> None:
    con = build_site_warehouse(tmp_path / "govreq.duckdb")
    try:
        cold, warm = Progress(io.StringIO()), Progress(io.StringIO())
        build_site(con, tmp_path / "one", registry=registry(), cache_dir=tmp_path / "cache", progress=cold)
        build_site(con, tmp_path / "two", registry=registry(), cache_dir=tmp_path / "cache", progress=warm)
    finally:
        con.close()
    assert cold.images == cold.images_total > 10 and cold.reused == 0
    assert warm.images == warm.reused == cold.images
    for svg in (tmp_path / "one").rglob("*.svg"):
        assert svg.read_bytes() == (tmp_path / "two" / svg.relative_to(tmp_path / "one")).read_bytes()
    assert "site: " in cold.stream.getvalue() and "reused from the cache" in warm.stream.getvalue()


def test_a_rebuild_with_nothing_changed_copies_the_last_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the default registry (here the fixture's, standing in for crawlers/registry), an unchanged warehouse
    file, code and day give the very same site without a query; any write to the warehouse builds it again."""
    from dashboard import build, reuse
    from warehouse import store

    monkeypatch.setattr(build, "load_registry", registry)
    db = tmp_path / "govreq.duckdb"
    build_site_warehouse(db).close()

    def site(out: str) -> str:
        con = store.open_warehouse(db, read_only=True)
        try:
            progress = Progress(io.StringIO())
            build_site(con, tmp_path / out, cache_dir=tmp_path / "cache", progress=progress)
        finally:
            con.close()
        return str(progress.stream.getvalue())

    first, again = site("one"), site("two")
    assert "nothing changed" not in first and "nothing changed since the last build" in again
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one == two and len(one) > 20
    for rel in one:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel
    # a page edited in the output folder, even to the same size, is put back as built
    index = tmp_path / "two" / "index.html"
    index.write_bytes(index.read_bytes().replace(b"<", b">", 1))
    assert "nothing changed since the last build" in site("two")
    assert index.read_bytes() == (tmp_path / "one" / "index.html").read_bytes()
    con = store.open_warehouse(db)  # a write to the warehouse (an update) means a full build again
    con.execute("CREATE TABLE written_after_the_build AS SELECT 1 AS x")
    con.close()
    assert "nothing changed" not in site("three")
    # a changed file of the dashboard's code changes the fingerprint too
    extra = tmp_path / "template.html"
    extra.write_text("one", encoding="utf-8")
    files = reuse._code_files()
    monkeypatch.setattr(reuse, "_code_files", lambda: [*files, extra])
    con = store.open_warehouse(db, read_only=True)
    try:
        before = reuse.fingerprint(con, None)
        extra.write_text("two", encoding="utf-8")
        assert reuse.fingerprint(con, None) != before
    finally:
        con.close()


def test_float_noise_from_spreadsheets_is_shown_to_two_decimals() -> None:
    from dashboard.format import tidy

    assert tidy("39083.421897734355") == "39,083.42"
    assert tidy("printed '0.12257281553398058' in row 9") == "printed '0.12' in row 9"
    assert tidy("2019.12.31 v1.2.345 and 1,234 and 12.5%") == "2019.12.31 v1.2.345 and 1,234 and 12.5%"


def test_no_float_noise_in_chart_specs_tooltips_or_downloads(built: Path) -> None:
    """The drawn data (the spec's rows, which the tooltips show) and every CSV download carry what the page
    prints: counts as integers, rates and percentages to two decimals. The fixture's EU filing gives orders per
    million recipients to three decimals in the warehouse (eu_dsa_orders) and Globex's score 68.18181818181819."""
    noisy: dict[str, list[str]] = {}
    for page in built.rglob("*.html"):
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page.read_text(encoding="utf-8"), flags=re.S)
        noisy[page.relative_to(built).as_posix()] = FLOAT_NOISE.findall(" ".join(scripts))
    for download in built.rglob("*.csv"):
        noisy[download.relative_to(built).as_posix()] = FLOAT_NOISE.findall(download.read_text(encoding="utf-8"))
    assert not {k: v for k, v in noisy.items() if v}
    eu = (built / "eu-orders.csv").read_text(encoding="utf-8")
    assert ",5.76," in eu and ",6.91," in eu  # 5.758 and 6.905 per million in the warehouse, as the page prints them


def test_published_values_are_integers_or_two_decimals() -> None:
    from dashboard.format import published

    assert published(572.113074204947) == 572.11 and published(1234.0) == 1234
    assert isinstance(published(1234.0), int) and published(None) is None and published(True) is True
    assert published("39083.421897734355") == "39,083.42" and published(7) == 7


def test_govreq_query_reads_the_mart_the_requests_page_draws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Which figure stands for a company-period is the mart site_request_figures: `govreq query` reads it, and
    the requests page's drawn data (its CSV downloads) is exactly its rows, figure for figure."""
    import csv

    from govreq.cli import main
    from govreq.update import db_path

    con = build_site_warehouse(db_path(tmp_path))
    try:
        build_site(con, tmp_path / "site", registry=registry(), progress=Progress(io.StringIO()))
    finally:
        con.close()
    capsys.readouterr()
    columns = "company, kind, period_start, period_end, value_low, value_high, basis"
    assert main(["query", "--data-dir", str(tmp_path), "--format", "csv",
                 f"SELECT {columns} FROM site_request_figures ORDER BY ALL"]) == 0

    def key(r: dict[str, str]) -> tuple[str, ...]:
        return (r["company"], r["kind"], r["period_start"], r["period_end"], *(
            fmt_number(float(r[k])) for k in ("value_low", "value_high")), r["basis"])

    mart = {key(r) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    drawn: set[tuple[str, ...]] = set()
    for kind in ("user-data", "content-removal"):
        path = tmp_path / "site" / f"requests-{kind}.csv"
        if path.exists():
            drawn |= {key(r) for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert mart == drawn
    # Acme's H2 2019 is the sum of its countries (US 1,390 + DE "<10" + ZZ 9): a range, as the mart says
    assert ("acme", "user-data", "2019-07-01", "2019-12-31", "1,400", "1,408", "sum of countries") in mart


def test_restatements_page_groups_by_release_pair_with_both_archived_copies(built: Path) -> None:
    text = (built / "restatements.html").read_text(encoding="utf-8")
    pairs = text[text.index('<h2 id="pairs">'):text.index("<h2>The ledger</h2>")]
    rows = re.findall(r"<tr><td>.*?</tr>", pairs, flags=re.S)
    assert len(rows) == 1  # the fixture's one restated figure: Acme's H2 2019 US cell, v1 -> v2
    old, new = re.findall(r'href="documents\.html#(doc-[0-9a-f]{64})"', rows[0])
    assert old != new
    assert re.findall(r'<td class="num">([^<]*)</td>', rows[0]) == ["1", "0", "0", "1"]  # changed, added, removed, periods


def test_the_index_headline_is_the_mart_govreq_query_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The silent companies the index names are the rows of the mart site_silent_companies, and the same rule run
    on rows given in Python (headline.silent_companies) picks the same companies."""
    from dashboard.context import query
    from dashboard.headline import silent_companies
    from govreq.cli import main
    from govreq.update import db_path

    con = build_site_warehouse(db_path(tmp_path))
    try:
        index = build_site(con, tmp_path / "site", registry=registry(), progress=Progress(io.StringIO()))
        from dashboard.context import Site, companies_of

        site = Site(con=con, out=tmp_path, companies=companies_of(con, registry()), version="t", built_on="t")
        _, in_python = silent_companies(site, query(con, "disclosure"))
    finally:
        con.close()
    capsys.readouterr()
    assert main(["query", "--data-dir", str(tmp_path), "--format", "csv",
                 "SELECT company FROM site_silent_companies ORDER BY 1"]) == 0
    mart = capsys.readouterr().out.split()[1:]
    assert mart and mart == sorted(s.slug for s in in_python)
    text = index.read_text(encoding="utf-8")
    named = re.findall(r'<li><a href="companies/([^".]+)\.html#disclosure"><strong>', text)
    assert sorted(named) == sorted(file_stem(slug) for slug in mart)


def _images_of(out: Path) -> dict[str, tuple[bytes, bytes]]:
    return {str(p.relative_to(out).with_suffix("")): (p.read_bytes()[:4], p.with_suffix(".svg").read_bytes()[:4])
            for p in out.rglob("*.png")}


@pytest.mark.browser
def test_downloads_drawn_in_chromium_and_by_vl_convert_when_the_browser_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where Chromium is, Vega draws the downloads in it; a browser that does not start (here a stand-in that
    exits at once) hands every chart to vl-convert, and the build says so. Either way each chart has its PNG and
    SVG."""
    from crawlers.settings import DEFAULT_CHROMIUM

    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {DEFAULT_CHROMIUM}")
    con = build_site_warehouse(tmp_path / "govreq.duckdb")
    broken = tmp_path / "not-a-browser"
    broken.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    try:
        drawn = Progress(io.StringIO())
        monkeypatch.delenv("GOVREQ_CHROMIUM", raising=False)
        monkeypatch.delenv("GOVREQ_SITE_RENDERER", raising=False)
        build_site(con, tmp_path / "chromium", registry=registry(), cache_dir=tmp_path / "c1", progress=drawn)
        monkeypatch.setenv("GOVREQ_CHROMIUM", str(broken))
        fallback = Progress(io.StringIO())
        build_site(con, tmp_path / "fallback", registry=registry(), cache_dir=tmp_path / "c2", progress=fallback)
    finally:
        con.close()
    assert "Chromium could not draw" not in drawn.stream.getvalue()
    assert f"vl-convert draws the {fallback.images_total} left" in fallback.stream.getvalue()
    chromium, vl = _images_of(tmp_path / "chromium"), _images_of(tmp_path / "fallback")
    assert chromium.keys() == vl.keys() and len(chromium) > 10
    assert all(png == b"\x89PNG" and svg == b"<svg" for png, svg in [*chromium.values(), *vl.values()])
    assert drawn.images == drawn.images_total == fallback.images == fallback.images_total
