"""Landing pages and sitemaps find download links: a plain page, one whose links a script adds after load
(rendered in Debian's Chromium through scrapy-playwright), a paginated one, and a sitemap.

Every page and file here is synthetic (written by this test into a temporary recorded mirror); the local
mirror server serves them on 127.0.0.1 as it serves the real corpus.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from crawlers.archive import Archive
from crawlers.crawl import run_crawl
from crawlers.settings import DEFAULT_CHROMIUM

SITE = "https://reports.example.test"
PAGES = {
    # synthetic: a plain page with one matching link and one that is not a report file
    "/plain.html": '<html><body><a href="/files/plain-2025-h1.csv">H1</a> <a href="/about.pdf">about</a></body></html>',
    # synthetic: the link exists only after a script has run, some time after the load event
    "/script.html": """<html><body><div id="list"></div><script>
window.addEventListener('load', function () { setTimeout(function () {
  var a = document.createElement('a'); a.setAttribute('href', '/files/script-2025-h2.csv'); a.textContent = 'H2';
  document.getElementById('list').appendChild(a); }, 150); });
</script></body></html>""",
    # synthetic: three pages chained by rel="next"; the series allows two
    "/paged/1.html": '<a href="/files/paged-a.csv">a</a> <a rel="next" href="2.html">next</a>',
    "/paged/2.html": '<a href="/files/paged-b.csv">b</a> <a rel="next" href="3.html">next</a>',
    "/paged/3.html": '<a href="/files/paged-c.csv">c</a>',
    # synthetic: a sitemap listing a report file and a page
    "/sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>{SITE}/files/sitemap-2024.csv</loc></url><url><loc>{SITE}/plain.html</loc></url>"
                    "</urlset>",
}
FILES = ["plain-2025-h1.csv", "script-2025-h2.csv", "paged-a.csv", "paged-b.csv", "paged-c.csv", "sitemap-2024.csv"]


def _synthetic_mirror(root: Path) -> Path:
    """A recorded mirror (captures.csv + files/) holding the synthetic site."""
    bodies = {SITE + path: (text.encode(), "text/html" if path.endswith(".html") else "application/xml")
              for path, text in PAGES.items()}
    bodies.update({f"{SITE}/files/{name}": (f"period,value\n{name},1\n".encode(), "text/csv") for name in FILES})
    with (root / "captures.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["url", "captured_at", "path", "sha256", "bytes", "content_type", "company", "series"])
        for n, (url, (body, ctype)) in enumerate(sorted(bodies.items())):
            path = Path("files") / f"{n}.bin"
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(body)
            out.writerow([url, "2026-11-01", path.as_posix(), hashlib.sha256(body).hexdigest(), len(body), ctype,
                          "examplesite", "synthetic"])
    return root


def _registry(folder: Path) -> Path:
    folder.mkdir()
    common = 'kind = "user-data"\nformat = "csv"\ncadence = "half-yearly"\nurl_confidence = "guess"\n'
    pattern = r"link_pattern = '/files/[^/]+\.csv$'" + "\n"
    (folder / "examplesite.toml").write_text(
        'slug = "examplesite"\nname = "Example site (synthetic)"\nheadquarters_country = "US"\n'
        'sector = "internet"\ndisclosure = "publishes"\nnotes = "synthetic test entry, no wikidata id"\n\n'
        f'[[series]]\nid = "plain"\ntitle = "plain"\n{common}landing_url = "{SITE}/plain.html"\n{pattern}'
        f'[[series]]\nid = "script"\ntitle = "script"\n{common}landing_url = "{SITE}/script.html"\n{pattern}'
        "render_landing_page = true\n"
        f'[[series]]\nid = "paged"\ntitle = "paged"\n{common}landing_url = "{SITE}/paged/1.html"\n{pattern}'
        "max_landing_pages = 2\n"
        f'[[series]]\nid = "sitemap"\ntitle = "sitemap"\n{common}sitemap_url = "{SITE}/sitemap.xml"\n{pattern}',
        encoding="utf-8",
    )
    return folder


def _downloads(data: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for r in Archive(data / "archive").records():
        if r.purpose == "download" and r.outcome == "new":
            found.setdefault(r.series, set()).add(r.url.rsplit("/", 1)[1])
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("landing")
    (root / "mirror").mkdir()
    return _synthetic_mirror(root / "mirror"), _registry(root / "registry")


def test_plain_paginated_and_sitemap_links_without_a_browser(site, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mirror, registry = site
    monkeypatch.setenv("GOVREQ_CHROMIUM", str(tmp_path / "no-chromium-here"))
    summary = run_crawl(tmp_path, mirror=mirror, registry_path=registry)
    assert _downloads(tmp_path) == {
        "plain": {"plain-2025-h1.csv"},
        "paged": {"paged-a.csv", "paged-b.csv"},  # page 3 is beyond the series' two pages
        "sitemap": {"sitemap-2024.csv"},
    }
    pages = {r.url for r in Archive(tmp_path / "archive").records() if r.purpose == "landing"}
    assert f"{SITE}/paged/3.html" not in pages and f"{SITE}/paged/2.html" in pages
    # Without Chromium the crawl says which series it could not render, reads the page as served, goes on.
    assert [(c, s) for c, s, _ in summary.not_rendered] == [("examplesite", "script")]
    assert "no Chromium" in summary.not_rendered[0][2]
    assert [(f[1], f[3]) for f in summary.failed] == [
        ("script", r"no link on the landing page matches link_pattern /files/[^/]+\.csv$")]


@pytest.mark.browser
def test_links_a_script_adds_are_found_once_rendered_in_chromium(site, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {DEFAULT_CHROMIUM}")
    mirror, registry = site
    monkeypatch.delenv("GOVREQ_CHROMIUM", raising=False)
    summary = run_crawl(tmp_path, mirror=mirror, registry_path=registry, timeout=300)
    assert summary.not_rendered == [] and summary.failed == []
    found = _downloads(tmp_path)
    assert found["script"] == {"script-2025-h2.csv"}
    assert found["plain"] == {"plain-2025-h1.csv"}  # pages not asking for a browser still arrive as before
    # The page is fetched as served first (archived as such: the server has it, so it is worth a browser), then
    # rendered by Chromium in a second pass; the rendered DOM is archived too, and only it holds the script's link.
    served, page = [r for r in Archive(tmp_path / "archive").records() if r.series == "script" and r.purpose == "landing"]
    link = b'<a href="/files/script-2025-h2.csv">'
    assert link not in Archive(tmp_path / "archive").read(served.sha256) and served.http_status == 200
    rendered = Archive(tmp_path / "archive").read(page.sha256)
    assert link in rendered and page.http_status == 200  # the archived page is the rendered DOM
    assert summary.rendered == [("examplesite", "script", f"{SITE}/script.html")] and summary.to_render == []


@pytest.mark.browser
def test_a_page_the_server_does_not_have_is_not_rendered(site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A landing page that asks for Chromium but answers 404 is logged as a failed fetch; no browser is started."""
    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {DEFAULT_CHROMIUM}")
    shared, registry = site
    mirror = Path(shutil.copytree(shared, tmp_path / "mirror"))  # the module's mirror stays whole
    monkeypatch.delenv("GOVREQ_CHROMIUM", raising=False)
    (mirror / "captures.csv").write_text("".join(
        line for line in (mirror / "captures.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        if "/script.html" not in line), encoding="utf-8")
    summary = run_crawl(tmp_path / "data", mirror=mirror, registry_path=registry, timeout=300)
    assert summary.rendered == [] and summary.to_render == [] and summary.not_rendered == []
    assert [(f[1], f[2], f[3]) for f in summary.failed] == [("script", f"{SITE}/script.html", "HTTP 404")]
    assert "script" not in _downloads(tmp_path / "data")
