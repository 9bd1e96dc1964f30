"""The registry crawl end to end: Scrapy in a child process, the corpus replayed over HTTP on 127.0.0.1.

The registry used here is a small synthetic one written into tmp_path (a TOML per company); the URLs in it are
real publishers' URLs that the recorded corpus holds, plus a few it does not hold on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
from pathlib import Path

import pytest

from crawlers.archive import Archive, FetchRecord
from crawlers.crawl import CrawlError, CrawlSummary, run_crawl
from crawlers.mirror import MirrorServer
from tests.corpus import captures, find, require_corpus

GOOGLE_USER_DATA = "https://storage.googleapis.com/transparencyreport/google-user-data-requests.zip"
GOOGLE_REMOVALS = "https://storage.googleapis.com/transparencyreport/google-government-removals.zip"
GITHUB = "https://raw.githubusercontent.com/github/transparency/main/data/"
GITHUB_USER_INFO = [
    GITHUB + "requests_to_disclose_user_information/" + name
    for name in (
        "requests_received_and_disclosed.csv",
        "requests_accounts_affected.csv",
        "national_security_letters_and_orders.csv",
        "cross_border_data_requests.csv",
    )
]
GITHUB_TAKEDOWNS = [
    GITHUB + "government_takedowns/government_takedowns_received.csv",
    GITHUB + "government_takedowns/government_takedowns_processed.csv",
]
NOT_IN_MIRROR = GITHUB + "no_such_series/not_recorded.csv"  # synthetic: the mirror has no capture of it
WIKIMEDIA_LANDING = "https://transparency.wikimedia.org/content.html"
CHECKED_FOUND = "https://transparency.wikimedia.org/privacy.html"  # a page that exists in the mirror
CHECKED_MISSING = "https://esg.example-no-report.test/en/report.html"  # synthetic: not in the mirror


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def series_toml(
    sid: str,
    kind: str,
    *,
    downloads: list[str],
    landing: str | None = None,
    pattern: str | None = None,
    fmt: str = "csv",
) -> str:
    lines = [
        "[[series]]",
        f'id = "{sid}"',
        f'kind = "{kind}"',
        f'title = "{sid} (test)"',
        f"download_urls = {toml_list(downloads)}",
        f'format = "{fmt}"',
        'cadence = "half-yearly"',
        'url_confidence = "code"',
    ]
    if landing:
        lines.append(f'landing_url = "{landing}"')
    if pattern:
        lines.append(f"link_pattern = '{pattern}'")
    return "\n".join(lines) + "\n"


def company_toml(
    slug: str, name: str, disclosure: str, series: list[str], checked: tuple[str, ...] = ()
) -> str:
    text = (
        f'slug = "{slug}"\nname = "{name}"\nheadquarters_country = "US"\nsector = "internet"\n'
        f'disclosure = "{disclosure}"\nnotes = "synthetic test entry, no wikidata id"\n\n'
    ) + "\n".join(series)
    for url in checked:
        text += (
            f'\n[[checked]]\nurl = "{url}"\nchecked_on = 2026-11-20\nfound = "no report"\n'
            'by = "test fixture"\nhow = "research-notes"\n'
        )
    return text


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic registry: Google, GitHub (one series the mirror lacks), Wikimedia via its landing page,
    and a firm that publishes nothing with two checked pages."""
    root = tmp_path_factory.mktemp("registry")
    files = {
        "google": company_toml(
            "google",
            "Google",
            "publishes",
            [
                series_toml("user-data-requests", "user-data", downloads=[GOOGLE_USER_DATA], fmt="zip-csv"),
                series_toml(
                    "government-removals", "content-removal", downloads=[GOOGLE_REMOVALS], fmt="zip-csv"
                ),
            ],
        ),
        "github": company_toml(
            "github",
            "GitHub",
            "publishes",
            [
                series_toml("requests-to-disclose-user-information", "user-data", downloads=GITHUB_USER_INFO),
                series_toml("government-takedowns", "content-removal", downloads=GITHUB_TAKEDOWNS),
                series_toml("not-recorded", "user-data", downloads=[NOT_IN_MIRROR]),
            ],
        ),
        "wikimedia": company_toml(
            "wikimedia",
            "Wikimedia Foundation",
            "publishes",
            [
                series_toml(
                    "transparency-report",
                    "user-data",
                    downloads=[],
                    landing=WIKIMEDIA_LANDING,
                    pattern=r"/data/[^/]+\.(ods|xlsx|csv)$",
                    fmt="html",
                ),
                series_toml(
                    "pattern-gone-stale",
                    "user-data",
                    downloads=[],
                    landing=WIKIMEDIA_LANDING,
                    pattern=r"/data/[^/]+\.parquet$",
                    fmt="html",
                ),
            ],
        ),
        "examplecorp": company_toml(
            "examplecorp",
            "Example Corp (synthetic)",
            "none-found",
            [],
            checked=(CHECKED_FOUND, CHECKED_MISSING),
        ),
    }
    for slug, text in files.items():
        (root / f"{slug}.toml").write_text(text, encoding="utf-8")
    return root


def capture_sha(url: str, captured_at: str | None = None) -> str:
    versions = sorted((c for c in captures() if c.url == url), key=lambda c: c.captured_at)
    if captured_at:
        versions = [c for c in versions if c.captured_at == captured_at]
    return versions[-1].sha256


def blob_names(data: Path) -> set[str]:
    return {p.name for p in (data / "archive" / "blobs").rglob("*") if p.is_file()}


def by_url(records: list[FetchRecord]) -> dict[str, list[FetchRecord]]:
    out: dict[str, list[FetchRecord]] = {}
    for r in records:
        out.setdefault(r.url, []).append(r)
    return out


@pytest.fixture(scope="module")
def two_runs(
    registry: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, CrawlSummary, CrawlSummary, set[str], int]:
    """Google + GitHub crawled twice from the corpus mirror into one data dir."""
    corpus = require_corpus()
    data = tmp_path_factory.mktemp("data")
    first = run_crawl(data, mirror=corpus, only=["google", "github"], registry_path=registry)
    blobs_after_first = blob_names(data)
    log_lines_after_first = len(Archive(data / "archive").records())
    second = run_crawl(data, mirror=corpus, only=["google", "github"], registry_path=registry)
    return data, first, second, blobs_after_first, log_lines_after_first


def test_first_crawl_archives_every_file_with_the_mirror_sha256(two_runs) -> None:
    data, first, _, blobs, _ = two_runs
    urls = [GOOGLE_USER_DATA, GOOGLE_REMOVALS, *GITHUB_USER_INFO, *GITHUB_TAKEDOWNS]
    expected = {capture_sha(u) for u in urls}
    assert blobs == expected  # Google's newest user-data version only: no as_of means "today"
    assert capture_sha(GOOGLE_USER_DATA) == find("google-user-data-requests.zip", "2022-02-25").sha256
    archive = Archive(data / "archive")
    for sha in expected:
        assert hashlib.sha256(archive.read(sha)).hexdigest() == sha
    assert first.fetched_new == 8 and first.unchanged == 0
    # robots.txt once, eight files, and the URL the mirror lacks
    assert first.requests == 10


def test_fetch_log_is_complete_and_names_the_publishers_urls(two_runs, registry: Path) -> None:
    data, _, _, _, n_first = two_runs
    records = Archive(data / "archive").records()[:n_first]
    assert n_first == 9
    corpus = str(require_corpus().resolve())
    logged = by_url(records)
    for url in [GOOGLE_USER_DATA, GOOGLE_REMOVALS, *GITHUB_USER_INFO, *GITHUB_TAKEDOWNS]:
        (r,) = logged[url]
        assert (r.outcome, r.http_status, r.final_url, r.via_mirror, r.purpose) == (
            "new",
            200,
            url,
            corpus,
            "download",
        )
        assert r.sha256 == capture_sha(url) and r.etag == f'"{r.sha256}"'
        assert r.bytes == len(Archive(data / "archive").read(r.sha256))
        assert r.last_modified and r.content_type and r.headers
        assert dt.datetime.fromisoformat(r.fetched_at).tzinfo is not None
    assert logged[GOOGLE_USER_DATA][0].company == "google"
    assert logged[GOOGLE_USER_DATA][0].series == "user-data-requests"
    assert logged[GITHUB_TAKEDOWNS[0]][0].series == "government-takedowns"


def test_a_series_missing_from_the_mirror_fails_alone(two_runs) -> None:
    data, first, _, _, n_first = two_runs
    assert first.failed == [("github", "not-recorded", NOT_IN_MIRROR, "HTTP 404")]
    (r,) = by_url(Archive(data / "archive").records()[:n_first])[NOT_IN_MIRROR]
    assert (r.outcome, r.http_status, r.sha256, r.error) == ("failed", 404, None, "HTTP 404")


def test_second_crawl_is_conditional_and_stores_nothing_new(two_runs) -> None:
    data, _, second, blobs, n_first = two_runs
    assert blob_names(data) == blobs
    assert (second.fetched_new, second.unchanged, second.not_modified) == (0, 8, 8)
    assert len(second.failed) == 1
    later = Archive(data / "archive").records()[n_first:]
    # the mirror answers 304 only to If-None-Match / If-Modified-Since, so every file was asked conditionally
    assert sorted(r.outcome for r in later) == ["failed"] + ["not_modified"] * 8
    assert all(r.sha256 is None and r.http_status in (304, 404) for r in later)


def test_as_of_then_today_keeps_both_google_versions(registry: Path, tmp_path: Path) -> None:
    corpus = require_corpus()
    old, new = (
        find("google-user-data-requests.zip", "2019-04-14"),
        find("google-user-data-requests.zip", "2022-02-25"),
    )
    past = run_crawl(
        tmp_path, mirror=corpus, as_of=dt.date(2020, 1, 1), only=["google"], registry_path=registry
    )
    assert blob_names(tmp_path) == {old.sha256}
    # the removals file was first captured in 2023: in 2020's mirror it is not there yet
    assert past.fetched_new == 1 and past.failed == [
        ("google", "government-removals", GOOGLE_REMOVALS, "HTTP 404")
    ]
    today = run_crawl(tmp_path, mirror=corpus, only=["google"], registry_path=registry)
    assert today.fetched_new == 2 and today.failed == []
    assert blob_names(tmp_path) == {old.sha256, new.sha256, capture_sha(GOOGLE_REMOVALS)}
    versions = [r.sha256 for r in Archive(tmp_path / "archive").records() if r.url == GOOGLE_USER_DATA]
    assert versions == [old.sha256, new.sha256]


def test_landing_page_links_and_checked_pages(registry: Path, tmp_path: Path) -> None:
    corpus = require_corpus()
    summary = run_crawl(tmp_path, mirror=corpus, only=["wikimedia", "examplecorp"], registry_path=registry)
    logged = by_url(Archive(tmp_path / "archive").records())
    landings = {r.series: r for r in logged[WIKIMEDIA_LANDING]}
    assert set(landings) == {"transparency-report", "pattern-gone-stale"}
    landing = landings["transparency-report"]
    assert (landing.purpose, landing.http_status, landing.sha256) == (
        "landing",
        200,
        capture_sha(WIKIMEDIA_LANDING),
    )
    # content.html (2019) links "./data/data_jun_2018.xlsx"; resolved against the publisher's URL
    linked = "https://transparency.wikimedia.org/data/data_jun_2018.xlsx"
    (download,) = logged[linked]
    assert (download.purpose, download.series, download.sha256) == (
        "download",
        "transparency-report",
        capture_sha(linked),
    )
    assert {u for u in logged if "/data/" in u} == {linked}  # only links the page holds, no guessing
    (found,) = logged[CHECKED_FOUND]
    (missing,) = logged[CHECKED_MISSING]
    assert (found.purpose, found.company, found.outcome) == ("checked", "examplecorp", "new")
    assert (missing.purpose, missing.outcome, missing.http_status) == ("checked", "failed", 404)
    # a landing page without the series' links is reported: its link_pattern or the page has changed
    assert sorted(summary.failed) == [
        ("examplecorp", "disclosure-check", CHECKED_MISSING, "HTTP 404"),
        (
            "wikimedia",
            "pattern-gone-stale",
            WIKIMEDIA_LANDING,
            r"no link on the landing page matches link_pattern /data/[^/]+\.parquet$",
        ),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_mode_records_a_refused_connection_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Live mode (no mirror rewriting) against loopback only: one server up, one port closed."""
    monkeypatch.setenv("GOVREQ_DOWNLOAD_DELAY", "0")  # loopback needs no politeness; keeps the test fast
    corpus = require_corpus()
    dead = f"http://127.0.0.1:{free_port()}/report.csv"
    with MirrorServer(corpus) as site:
        alive = site.url_for(GOOGLE_REMOVALS)
        reg = tmp_path / "registry"
        reg.mkdir()
        (reg / "loopback.toml").write_text(
            company_toml(
                "loopback",
                "Loopback (synthetic)",
                "publishes",
                [
                    series_toml("up", "user-data", downloads=[alive]),
                    series_toml("down", "user-data", downloads=[dead]),
                ],
            )
        )
        summary = run_crawl(tmp_path / "data", registry_path=reg)
    assert summary.fetched_new == 1
    ((company, series, url, error),) = summary.failed
    assert (company, series, url) == ("loopback", "down", dead)
    assert "ConnectionRefused" in error
    logged = by_url(Archive(tmp_path / "data" / "archive").records())
    assert logged[alive][0].sha256 == capture_sha(GOOGLE_REMOVALS) and logged[alive][0].via_mirror is None
    assert logged[dead][0].outcome == "failed" and logged[dead][0].http_status is None


def test_unknown_company_and_as_of_without_mirror_are_refused(registry: Path, tmp_path: Path) -> None:
    with pytest.raises(CrawlError, match="unknown company slug.*nosuchco"):
        run_crawl(tmp_path, mirror=require_corpus(), only=["nosuchco"], registry_path=registry)
    with pytest.raises(CrawlError, match="mirror"):
        run_crawl(tmp_path, as_of=dt.date(2020, 1, 1), registry_path=registry)
