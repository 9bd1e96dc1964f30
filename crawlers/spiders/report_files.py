"""The one generic spider: fetch every registry series' files (listed URLs, the addresses a series' naming
pattern predicts, links found on landing pages and sitemaps), and the pages checked for firms that publish
nothing, archiving each response as it arrives.

It runs unmodified under `crawlers.crawl` (objects passed in) and under Scrapyd (`scrapy crawl report_files
-a data_dir=... [-a registry_dir=... -a only=... -a mirror_base=... -a mirror_dir=... -a today=YYYY-MM-DD]`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.archive import Archive, FetchRecord
from crawlers.crawl import probe_line
from crawlers.discovery import expand
from crawlers.mirror import from_mirror_url, to_mirror_url

CHECKED_SERIES = (
    "disclosure-check"  # the series name logged for pages checked for a report that was not found
)
NOT_PUBLISHED_STATUSES = (404, 410)  # what a server says for an address whose release is not out


@dataclass
class Probes:
    """One pattern series' probing in one run, for the summary (the cap is stated beside what it cost)."""

    company: str
    series: str
    cap: int
    candidates: int = 0  # addresses the template gives from the first period to today
    known: int = 0  # already archived: asked again as conditional requests, not probes
    probed: int = 0  # addresses never archived, asked this run
    skipped_cap: int = 0  # left for a later run by the cap (the oldest ones)
    skipped_gap: int = 0  # older than a release already held and answered 404 before: not asked again
    found: int = 0
    not_published: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Tally:
    """What the crawl did, for the parent process's summary."""

    fetched_new: int = 0
    unchanged: int = 0
    not_modified: int = 0
    not_published: int = 0
    failed: list[tuple[str, str, str, str]] = field(default_factory=list)
    probes: dict[tuple[str, str], Probes] = field(default_factory=dict)
    not_rendered: list[tuple[str, str, str]] = field(default_factory=list)  # (company, series, why)
    # landing pages found (200/304) that ask for Chromium, left by a first pass for a rendering pass (defer_render)
    render_wanted: list[tuple[str, str, str]] = field(default_factory=list)  # (company, series, url)

    def count(self, record: FetchRecord) -> None:
        if record.outcome == "new":
            self.fetched_new += 1
        elif record.outcome == "unchanged":
            self.unchanged += 1
        elif record.outcome == "not_modified":
            self.not_modified += 1
        elif record.outcome == "not_published":
            self.not_published += 1
        else:
            self.failed.append((record.company, record.series, record.url, record.error or "failed"))


def _flat_headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _packaged_or_given_registry(registry_dir: str | None) -> Any:
    """The registry folder given, else the packaged one; inside a zipped egg (Scrapyd) its TOML files are read
    through importlib.resources into a temporary folder first."""
    from crawlers.registry import REGISTRY_DIR, load_registry

    if registry_dir:
        return load_registry(Path(registry_dir))
    if REGISTRY_DIR.is_dir():
        return load_registry()
    import tempfile
    from importlib.resources import files

    with tempfile.TemporaryDirectory(prefix="govreq-registry-") as tmp:
        for entry in files("crawlers").joinpath("registry").iterdir():
            if entry.name.endswith(".toml"):
                (Path(tmp) / entry.name).write_bytes(entry.read_bytes())
        return load_registry(Path(tmp))


class ReportFilesSpider(scrapy.Spider):
    name = "report_files"

    def __init__(
        self,
        *,
        registry: Any = None,
        archive: Archive | None = None,
        only: list[str] | str | None = None,
        mirror_base: str | None = None,
        mirror_dir: str | None = None,
        today: dt.date | str | None = None,
        render: bool | str = False,
        defer_render: bool = False,
        render_pages: list[tuple[str, str, str]] | None = None,
        data_dir: str | None = None,
        registry_dir: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if registry is None:  # run by `scrapy crawl` / Scrapyd: every argument arrives as a string
            registry = _packaged_or_given_registry(registry_dir)
        if archive is None:
            if not data_dir:
                raise ValueError("report_files needs an archive: pass -a data_dir=DIR (the archive is DIR/archive)")
            archive = Archive(Path(data_dir) / "archive")
            archive.remove_partial_writes()
        if isinstance(only, str):
            only = [s.strip() for s in only.split(",") if s.strip()] or None
        if isinstance(today, str):
            today = dt.date.fromisoformat(today)
        self.registry = registry
        self.archive = archive
        self.only = only
        self.mirror_base = mirror_base or None
        self.mirror_dir = mirror_dir or None
        self.today = today or dt.date.today()
        self.render = render if isinstance(render, bool) else render.lower() in ("1", "true", "yes")
        # Two passes (crawlers/crawl.py): the first, without a browser, lists the pages to render
        # (defer_render); the second renders only those pages (render_pages) and follows their links.
        self.defer_render = defer_render
        self.render_pages = render_pages
        self.tally = Tally()
        self._requested: set[tuple[str, str, str, str]] = set()  # once per crawl
        self._links_found: dict[tuple[str, str], int] = {}  # per series, over its landing pages and sitemap

    # ---- building requests ---
    def _request(
        self,
        url: str,
        *,
        company: str,
        series: str,
        purpose: str,
        link_pattern: str | None = None,
        probe: bool = False,
        page: int = 1,
        max_pages: int = 1,
        rendered: bool = False,
        render_after: bool = False,
        priority: int = 0,
    ) -> scrapy.Request:
        """A request for the publisher's `url`, sent to the mirror when replaying; conditional if archived."""
        headers: dict[str, str] = {}
        etag, last_modified = self.archive.validators(url)
        if etag and not rendered:  # a browser asked conditionally would render an empty 304
            headers["If-None-Match"] = etag
        if last_modified and not rendered:
            headers["If-Modified-Since"] = last_modified
        target = to_mirror_url(url, self.mirror_base) if self.mirror_base else url
        meta: dict[str, Any] = {
            "original_url": url,
            "company": company,
            "series": series,
            "purpose": purpose,
            "link_pattern": link_pattern,
            "probe": probe,
            "page": page,
            "max_pages": max_pages,
            "render_after": render_after,
        }
        if rendered:
            from scrapy_playwright.page import PageMethod

            # Links a script adds after the load event are in the DOM once the network has gone quiet.
            meta.update(playwright=True, playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")])
        return scrapy.Request(
            target, headers=headers, callback=self.on_response, errback=self.on_error, dont_filter=True,
            meta=meta, priority=priority,
        )

    def companies(self) -> list[Any]:
        wanted = set(self.only) if self.only else None
        return [c for c in self.registry.companies if wanted is None or c.slug in wanted]

    @property
    def can_render(self) -> bool:
        """Chromium is this crawl's (under `scrapy crawl` / Scrapyd the settings module enabled it if the host
        has one)."""
        return self.render or "PLAYWRIGHT_LAUNCH_OPTIONS" in self.settings

    async def start(self) -> Any:
        if self.render_pages is not None:
            for company, series_id, url in self.render_pages:
                series = next(s for c in self.registry.companies if c.slug == company
                              for s in c.series if s.id == series_id)
                yield self._request(url, company=company, series=series_id, purpose="landing",
                                    link_pattern=series.link_pattern, max_pages=series.max_landing_pages,
                                    rendered=True)
            return
        for request in self.planned_requests():
            if self._once(request):
                yield request

    def _once(self, request: scrapy.Request) -> bool:
        """False for a URL this crawl already asked for in the same series (e.g. listed and also linked)."""
        meta = request.meta
        key = (meta["company"], meta["series"], meta["original_url"], meta["purpose"])
        if key in self._requested:
            return False
        self._requested.add(key)
        return True

    def planned_requests(self) -> Iterator[scrapy.Request]:
        if self.can_render:
            # Pages rendered in Chromium first: the browser's start and the page's scripts then run while the
            # other requests are answered, instead of after them (start() drops the repeat further down).
            for company in self.companies():
                for series in company.series:
                    if series.link_pattern and series.landing_url and series.render_landing_page:
                        yield self._landing_request(company.slug, series, series.landing_url)
        last_outcome = self.archive.newest_outcomes()  # the newest record per URL
        for company in self.companies():
            for series in company.series:
                for url in series.download_urls:
                    yield self._request(url, company=company.slug, series=series.id, purpose="download")
                if series.discovery == "pattern":
                    yield from self._pattern_requests(company.slug, series, last_outcome)
                if series.link_pattern:  # a landing page alone is not fetched
                    for url in filter(None, (series.landing_url, series.sitemap_url)):
                        yield self._landing_request(company.slug, series, url)
            if company.disclosure != "publishes":
                # Dated evidence of where a report was looked for: each checked page, found or not.
                for place in company.checked:
                    yield self._request(
                        place.url, company=company.slug, series=CHECKED_SERIES, purpose="checked"
                    )

    def _landing_request(self, company: str, series: Any, url: str) -> scrapy.Request:
        render_after = False
        if url == series.landing_url and series.render_landing_page:
            if self.can_render or self.defer_render:
                # Asked as served first (and archived as served): Chromium renders it only once the server
                # answers with the page (200, or 304 for the copy held), never to draw a 404 or an error page.
                render_after = True
            else:
                self.tally.not_rendered.append(
                    (company, series.id, "no Chromium found (/usr/bin/chromium or $GOVREQ_CHROMIUM): the page was read as served, "
                     "without running its scripts")
                )
        return self._request(
            url, company=company, series=series.id, purpose="landing", link_pattern=series.link_pattern,
            max_pages=series.max_landing_pages, render_after=render_after,
        )

    def _pattern_requests(
        self, company: str, series: Any, last_outcome: dict[str, str]
    ) -> Iterator[scrapy.Request]:
        """The template's addresses, newest first: archived ones re-asked conditionally, the others probed
        up to the series' cap. A never-archived address older than a release already held, that answered
        404 before, is a gap in the publisher's history and is not asked again."""
        candidates = expand(series.url_template, cadence=series.cadence, first_period=series.first_period,
                            today=self.today, publication_months=series.publication_months)
        probes = self.tally.probes.setdefault((company, series.id), Probes(company, series.id, series.max_probes))
        listed = set(series.download_urls)
        newest_held = next((c.period for c in candidates if self.archive.latest(c.url)), None)
        for rank, candidate in enumerate(candidates):
            if candidate.url in listed:
                continue
            probes.candidates += 1
            if self.archive.latest(candidate.url):
                probes.known += 1
                yield self._request(candidate.url, company=company, series=series.id, purpose="download")
                continue
            if newest_held and candidate.period < newest_held and last_outcome.get(candidate.url) == "not_published":
                probes.skipped_gap += 1
                continue
            if probes.probed >= series.max_probes:
                probes.skipped_cap += 1
                continue
            probes.probed += 1
            yield self._request(candidate.url, company=company, series=series.id, purpose="download",
                                probe=True, priority=-rank)

    def closed(self, reason: str) -> None:
        """The summary in the log too, where a Scrapyd job's only record besides the archive is."""
        self.archive.sync()
        self.archive.save_state()
        t = self.tally
        self.logger.info("summary: %d new, %d unchanged, %d not modified, %d not published (yet), %d failed",
                         t.fetched_new, t.unchanged, t.not_modified, t.not_published, len(t.failed))
        for probes in t.probes.values():
            self.logger.info("probes %s", probe_line(probes.as_dict()))
        for company, series, why in t.not_rendered:
            self.logger.warning("not rendered %s/%s: %s", company, series, why)

    # ---- handling responses ---
    def _original(self, url: str) -> str:
        """The publisher's URL for a URL Scrapy saw (a mirror URL maps back; a live one is itself)."""
        if self.mirror_base and url.startswith(self.mirror_base + "/"):
            return from_mirror_url(url)
        return url

    def on_response(self, response: Response) -> Iterator[scrapy.Request]:
        meta = response.meta
        where = {
            "company": meta["company"],
            "series": meta["series"],
            "purpose": meta["purpose"],
            "final_url": self._original(response.url),
            "headers": _flat_headers(response),
            "via_mirror": self.mirror_dir,
        }
        url = meta["original_url"]
        body: bytes | None = None
        probes = self.tally.probes.get((meta["company"], meta["series"])) if meta.get("probe") else None
        if response.status == 200:
            record = self.archive.store_response(url, response.body, http_status=200, **where)
            body = response.body
            if probes:
                probes.found += 1
        elif response.status == 304:
            record = self.archive.record_not_modified(url, **where)
            latest = self.archive.latest(url)
            body = self.archive.read(latest.sha256) if latest and latest.sha256 else None
        elif probes and response.status in NOT_PUBLISHED_STATUSES:
            record = self.archive.record_not_published(
                url, company=where["company"], series=where["series"], http_status=response.status,
                headers=where["headers"], via_mirror=self.mirror_dir,
            )
            probes.not_published += 1
        else:
            record = self.archive.record_failure(
                url, f"HTTP {response.status}", http_status=response.status, **where
            )
        self.tally.count(record)
        if meta.get("render_after"):
            if response.status not in (200, 304):
                return  # no page, nothing for a browser to draw (the failure is logged above)
            if self.defer_render:
                self.tally.render_wanted.append((meta["company"], meta["series"], url))
            else:  # the page is there: now the browser builds it and its links
                yield self._request(
                    url, company=meta["company"], series=meta["series"], purpose="landing",
                    link_pattern=meta["link_pattern"], max_pages=meta["max_pages"], rendered=True,
                )
            return
        if meta["purpose"] == "landing" and meta.get("link_pattern") and body is not None:
            yield from self._follow_links(response, body, where["final_url"])

    def _follow_links(self, response: Response, body: bytes, page_url: str) -> Iterator[scrapy.Request]:
        """Request every link on a landing page (or sitemap) whose absolute URL matches the series'
        link_pattern, and the page's rel="next" page while the series allows more pages."""
        meta = response.meta
        if isinstance(response, TextResponse) and response.status == 200:
            selector = response.selector
        else:
            selector = Selector(text=body.decode("utf-8", errors="replace"))
        base = urljoin(page_url, selector.xpath("//base/@href").get() or "")
        pattern = re.compile(meta["link_pattern"])
        key = (meta["company"], meta["series"])
        hrefs = selector.xpath("//a/@href | //area/@href").getall()
        hrefs += selector.xpath("//*[local-name()='loc']/text()").getall()  # a sitemap's (or index's) entries
        next_pages = selector.xpath("//a[@rel='next']/@href | //link[@rel='next']/@href").getall()
        seen: set[str] = set()
        for href in hrefs:
            link = urljoin(base, href.strip()).split("#", 1)[0]
            if link.startswith(("http://", "https://")) and pattern.search(link) and link not in seen:
                seen.add(link)
                request = self._request(link, company=meta["company"], series=meta["series"], purpose="download")
                if self._once(request):
                    yield request
        self._links_found[key] = self._links_found.get(key, 0) + len(seen)
        more = meta["page"] < meta["max_pages"] and next_pages
        if more:
            link = urljoin(base, next_pages[0].strip()).split("#", 1)[0]
            request = self._request(
                link, company=meta["company"], series=meta["series"], purpose="landing",
                link_pattern=meta["link_pattern"], page=meta["page"] + 1, max_pages=meta["max_pages"],
                rendered=bool(meta.get("playwright")),
            )
            if self._once(request):
                yield request
                return
        if not self._links_found[key]:
            # The page was archived but the series' files are not on it: the pattern or the page changed.
            self.tally.failed.append(
                (
                    meta["company"],
                    meta["series"],
                    meta["original_url"],
                    f"no link on the landing page matches link_pattern {meta['link_pattern']}",
                )
            )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        status = None
        headers: dict[str, str] = {}
        if failure.check(HttpError):
            response = failure.value.response
            status, headers = response.status, _flat_headers(response)
            error = f"HTTP {status}"
        else:
            exc = failure.value
            error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        record = self.archive.record_failure(
            meta["original_url"],
            error,
            company=meta["company"],
            series=meta["series"],
            http_status=status,
            headers=headers,
            via_mirror=self.mirror_dir,
            purpose=meta["purpose"],
        )
        self.tally.count(record)
