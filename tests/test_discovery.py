"""Finding new releases from a series' URL pattern: the template's expansion, the registry's templates against
the recorded corpus (strip the listed URLs: the same documents must arrive), the per-run probe cap, and
politeness (robots.txt, per-site delay) while probing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawlers.archive import Archive
from crawlers.crawl import run_crawl
from crawlers.discovery import check_template, expand
from crawlers.registry import REGISTRY_DIR, RegistryError, load_company, load_registry
from tests.corpus import captures, require_corpus

TODAY = dt.date(2026, 12, 1)
# The series the issue names: their captured URLs follow a pattern, so the pattern alone must find them all.
MUST_BE_PATTERN = {("meta", "government-data-requests"), ("microsoft", "law-enforcement-requests"),
                   ("verizon", "us-transparency-report"), ("lumen", "transparency-report"),
                   ("snap", "transparency-report"), ("platformsh", "transparency-report")}


def urls(series) -> list[str]:
    return [c.url for c in expand(series.url_template, cadence=series.cadence, first_period=series.first_period,
                                  today=TODAY, publication_months=series.publication_months)]


def test_meta_template_names_every_half_year_newest_first_up_to_the_last_one_ended() -> None:
    meta = load_registry().get("meta").series[0]
    names = [u.rsplit("-", 1)[1] for u in urls(meta)]
    assert names[:3] == ["2026_H1.csv", "2025_H2.csv", "2025_H1.csv"]  # 2026-H2 has not ended on 1 December
    assert names[-1] == "2013_H1.csv" and len(names) == 27  # 2013-H1 .. 2026-H1


def test_placeholders_two_digit_years_month_names_and_publication_months() -> None:
    registry = load_registry()
    snap = urls(registry.get("snap").series[0])
    assert snap[-1].endswith("/Snap_Transparency_Report_H1-20.csv")
    amazon = urls(registry.get("amazon").series[0])
    assert amazon[-2:] == [
        "https://d1.awsstatic.com/certifications/Information_Request_Report_December_2015.pdf",
        "https://d1.awsstatic.com/certifications/Information_Request_Report_June_2015.pdf",
    ]
    # AT&T names an edition after the month it came out, one or two months after the half-year: 2 per period
    att = urls(registry.get("att").series[0])
    assert att[-4:] == [
        "https://about.att.com/content/dam/csr/transparency/2014-July-Report.pdf",
        "https://about.att.com/content/dam/csr/transparency/2014-August-Report.pdf",
        "https://about.att.com/content/dam/csr/transparency/2014-January-Report.pdf",
        "https://about.att.com/content/dam/csr/transparency/2014-February-Report.pdf",
    ]
    assert len(att) == 2 * 26  # 2013-H2 .. 2026-H1
    quarters = expand("https://x.test/q{quarter}-{year}.pdf", cadence="quarterly", first_period="2026-Q2",
                      today=TODAY)
    assert [c.url for c in quarters] == ["https://x.test/q3-2026.pdf", "https://x.test/q2-2026.pdf"]


@pytest.mark.parametrize(("template", "cadence", "months", "message"), [
    ("https://x.test/{year}-{season}.pdf", "yearly", [], "unknown placeholder"),
    ("https://x.test/report-H{half}.pdf", "yearly", [], "needs cadence 'half-yearly'"),
    ("https://x.test/report.pdf", "yearly", [], "no period placeholder"),
    ("https://x.test/{pub_month_name}-{year}.pdf", "yearly", [], "publication_months"),
    ("https://x.test/{year:04d}.pdf", "yearly", [], "no format spec"),
])
def test_a_wrong_template_is_refused_saying_why(template: str, cadence: str, months: list[int],
                                                  message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_template(template, cadence, months)


def test_registry_refuses_a_pattern_without_template_and_manual_without_reason(tmp_path: Path) -> None:
    base = ('slug = "{slug}"\nname = "X"\nheadquarters_country = "US"\nsector = "internet"\ndisclosure = "publishes"\n'
            'notes = "synthetic, no wikidata id"\n[[series]]\nid = "r"\nkind = "user-data"\ntitle = "r"\n'
            'format = "pdf"\ncadence = "half-yearly"\nurl_confidence = "guess"\n'
            'download_urls = ["https://x.test/a.pdf"]\n')
    cases = {"pattern-without-template": ('discovery = "pattern"\nfirst_period = "2020-H1"\n', "needs url_template"),
             "manual-without-reason": ('discovery = "manual"\n', "must say why"),
             "template-without-pattern": ('url_template = "https://x.test/{year}.pdf"\n', "need discovery")}
    for slug, (extra, message) in cases.items():
        file = tmp_path / f"{slug}.toml"
        file.write_text(base.format(slug=slug) + extra)
        with pytest.raises(RegistryError, match=message):
            load_company(file)


def test_every_irregular_series_says_why_it_has_no_pattern() -> None:
    registry = load_registry()
    kinds = {(c.slug, s.id): s.discovery for c, s in registry.series_items()}
    assert {k for k in MUST_BE_PATTERN if kinds[k] != "pattern"} == set()
    for slug in ("comcast", "t-mobile", "wikimedia"):
        (series,) = [s for s in registry.get(slug).series if s.id == "transparency-report"]
        assert series.discovery == "manual" and len(series.discovery_reason) > 40


@pytest.fixture(scope="module")
def stripped_replay(tmp_path_factory: pytest.TempPathFactory):
    """The packaged registry with every listed URL a template also names removed, replayed from the corpus."""
    corpus = require_corpus()
    root = tmp_path_factory.mktemp("stripped")
    registry_dir = root / "registry"
    shutil.copytree(REGISTRY_DIR, registry_dir)
    stripped: dict[tuple[str, str], list[str]] = {}
    for company, series in load_registry().series_items():
        if series.discovery != "pattern":
            continue
        named = set(urls(series))
        gone = [u for u in series.download_urls if u in named]
        stripped[(company.slug, series.id)] = gone
        file = registry_dir / f"{company.slug}.toml"
        text = file.read_text(encoding="utf-8")
        for url in gone:
            text, n = re.subn(rf'^\s*"{re.escape(url)}",?\n', "", text, flags=re.M)
            assert n == 1, url
        file.write_text(text, encoding="utf-8")
    for company, series in load_registry(registry_dir).series_items():  # the URLs are really gone
        assert not set(series.download_urls) & set(stripped.get((company.slug, series.id), []))
    only = sorted({slug for slug, _ in stripped})
    summary = run_crawl(root / "data", mirror=corpus, only=only, registry_path=registry_dir, today=TODAY)
    return stripped, summary, Archive(root / "data" / "archive")


def test_the_patterns_alone_find_every_capture_of_their_series(stripped_replay) -> None:
    stripped, summary, archive = stripped_replay
    assert MUST_BE_PATTERN <= set(stripped)
    newest: dict[str, str] = {}
    for c in sorted(captures(), key=lambda c: c.captured_at):
        if (c.company, c.series) in stripped:
            newest[c.url] = c.sha256  # the mirror serves each URL's newest capture
    arrived = {r.url: r.sha256 for r in archive.records() if r.outcome == "new"}
    assert {u: arrived.get(u) for u in newest} == newest
    # The template found what the registry no longer listed: 12 Meta... counted per series from the corpus.
    found = {(p["company"], p["series"]): p["found"] for p in summary.probes}
    assert found == {k: len(v) for k, v in stripped.items()}
    assert sum(found.values()) == 80
    assert (found[("meta", "government-data-requests")], found[("microsoft", "law-enforcement-requests")],
            found[("verizon", "us-transparency-report")]) == (17, 12, 14)


def test_an_unpublished_period_is_not_a_failure_and_the_cost_is_stated(stripped_replay) -> None:
    stripped, summary, archive = stripped_replay
    misses = [r for r in archive.records() if r.outcome == "not_published"]
    assert len(misses) == summary.not_published == summary.probes_sent - 80 > 0
    assert {r.http_status for r in misses} == {404} and all(r.error == "not published (yet)" for r in misses)
    failed_urls = {f[2] for f in summary.failed}
    assert not failed_urls & {r.url for r in misses}
    meta = next(line for line in summary.probe_lines() if line.startswith("meta/"))
    assert meta.startswith("meta/government-data-requests: 27 probes (cap 30 per run), 17 found, 10 not published")


# ---- the probe cap and politeness, against a loopback "publisher" in live mode ----

class _Publisher(BaseHTTPRequestHandler):
    """Synthetic publisher: reports for 2024-H1 and 2024-H2 exist; robots.txt forbids /private/."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[float, str]] = []
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.lock:
            self.seen.append((time.monotonic(), self.path))
        if self.path == "/robots.txt":
            body, status = b"User-agent: *\nDisallow: /private/\n", 200
        elif self.path in ("/reports/report-2024-h1.pdf", "/reports/report-2024-h2.pdf"):
            body, status = b"%PDF-1.4 synthetic " + self.path.encode(), 200
        else:
            body, status = b"not found", 404
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _publisher_registry(folder: Path, base: str) -> Path:
    folder.mkdir()
    series = ('[[series]]\nid = "{id}"\nkind = "user-data"\ntitle = "{id}"\nformat = "pdf"\ncadence = "{cadence}"\n'
              'url_confidence = "guess"\nfirst_period = "{first}"\ndiscovery = "pattern"\n'
              'url_template = "{base}{path}"\nmax_probes = {cap}\n')
    (folder / "publisher.toml").write_text(
        'slug = "publisher"\nname = "Publisher (synthetic)"\nheadquarters_country = "US"\nsector = "internet"\n'
        'disclosure = "publishes"\nnotes = "synthetic test entry, no wikidata id"\n\n'
        + series.format(id="reports", cadence="half-yearly", first="2024-H1", base=base,
                        path="/reports/report-{year}-h{half}.pdf", cap=4)
        + series.format(id="private", cadence="yearly", first="2025", base=base, path="/private/r-{year}.pdf", cap=5)
    )
    return folder


def test_probe_cap_robots_and_delay_hold_while_probing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREQ_DOWNLOAD_DELAY", "0.2")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Publisher)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    _Publisher.seen = []
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        registry = _publisher_registry(tmp_path / "registry", base)
        first = run_crawl(tmp_path / "data", registry_path=registry, today=TODAY)
        first_seen = list(_Publisher.seen)
        second = run_crawl(tmp_path / "data", registry_path=registry, today=TODAY)
    finally:
        server.shutdown()
        server.server_close()
    reports = {p["series"]: p for p in first.probes}["reports"]
    # 5 half-years ended (2024-H1 .. 2026-H1); the cap of 4 asks the newest four and leaves 2024-H1 for later
    assert (reports["candidates"], reports["probed"], reports["skipped_cap"], reports["found"],
            reports["not_published"]) == (5, 4, 1, 1, 3)
    assert "cap 4 per run" in first.probe_lines()[0] and "left for a later run by the cap" in first.probe_lines()[0]
    paths = [p for _, p in first_seen]
    assert "/reports/report-2024-h1.pdf" not in paths and paths.count("/robots.txt") == 1
    assert not [p for p in paths if p.startswith("/private/")]  # robots.txt obeyed: never asked
    (blocked,) = [f for f in first.failed if f[1] == "private"]
    assert "robots.txt" in blocked[3]
    times = [t for t, p in first_seen if p != "/robots.txt"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.09, gaps  # the per-site delay (0.2 s, jitter 0.5-1.5x) applies to probes
    # next run: 2024-H2 is re-asked as a known file, 2024-H1 gets its turn and is found
    reports = {p["series"]: p for p in second.probes}["reports"]
    assert (reports["known"], reports["probed"], reports["found"], reports["skipped_cap"]) == (1, 4, 1, 0)
