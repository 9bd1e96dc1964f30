"""The one generic spider: fetch every registry series' files (direct URLs and links found on landing pages),
and the pages checked for firms that publish nothing, archiving each response as it arrives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.archive import Archive, FetchRecord
from crawlers.mirror import from_mirror_url, to_mirror_url

CHECKED_SERIES = (
    "disclosure-check"  # the series name logged for pages checked for a report that was not found
)


@dataclass
class Tally:
    """What the crawl did, for the parent process's summary."""

    fetched_new: int = 0
    unchanged: int = 0
    not_modified: int = 0
    failed: list[tuple[str, str, str, str]] = field(default_factory=list)

    def count(self, record: FetchRecord) -> None:
        if record.outcome == "new":
            self.fetched_new += 1
        elif record.outcome == "unchanged":
            self.unchanged += 1
        elif record.outcome == "not_modified":
            self.not_modified += 1
        else:
            self.failed.append((record.company, record.series, record.url, record.error or "failed"))


def _flat_headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


class ReportFilesSpider(scrapy.Spider):
    name = "report_files"

    def __init__(
        self,
        *,
        registry: Any,
        archive: Archive,
        only: list[str] | None = None,
        mirror_base: str | None = None,
        mirror_dir: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.registry = registry
        self.archive = archive
        self.only = only
        self.mirror_base = mirror_base
        self.mirror_dir = mirror_dir
        self.tally = Tally()
        self._requested: set[tuple[str, str, str, str]] = set()  # once per crawl

    # ---- building requests ---
    def _request(
        self, url: str, *, company: str, series: str, purpose: str, link_pattern: str | None = None
    ) -> scrapy.Request:
        """A request for the publisher's `url`, sent to the mirror when replaying; conditional if archived."""
        headers: dict[str, str] = {}
        etag, last_modified = self.archive.validators(url)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        target = to_mirror_url(url, self.mirror_base) if self.mirror_base else url
        return scrapy.Request(
            target,
            headers=headers,
            callback=self.on_response,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "original_url": url,
                "company": company,
                "series": series,
                "purpose": purpose,
                "link_pattern": link_pattern,
            },
        )

    def companies(self) -> list[Any]:
        wanted = set(self.only) if self.only else None
        return [c for c in self.registry.companies if wanted is None or c.slug in wanted]

    async def start(self) -> Any:
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
        for company in self.companies():
            for series in company.series:
                for url in series.download_urls:
                    yield self._request(url, company=company.slug, series=series.id, purpose="download")
                if series.landing_url and series.link_pattern:  # a landing page alone is not fetched
                    yield self._request(
                        series.landing_url,
                        company=company.slug,
                        series=series.id,
                        purpose="landing",
                        link_pattern=series.link_pattern,
                    )
            if company.disclosure != "publishes":
                # Dated evidence of where a report was looked for: each checked page, found or not.
                for place in company.checked:
                    yield self._request(
                        place.url, company=company.slug, series=CHECKED_SERIES, purpose="checked"
                    )

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
        if response.status == 200:
            record = self.archive.store_response(url, response.body, http_status=200, **where)
            body = response.body
        elif response.status == 304:
            record = self.archive.record_not_modified(url, **where)
            latest = self.archive.latest(url)
            body = self.archive.read(latest.sha256) if latest and latest.sha256 else None
        else:
            record = self.archive.record_failure(
                url, f"HTTP {response.status}", http_status=response.status, **where
            )
        self.tally.count(record)
        if meta["purpose"] == "landing" and meta.get("link_pattern") and body is not None:
            yield from self._follow_links(response, body, where["final_url"])

    def _follow_links(self, response: Response, body: bytes, page_url: str) -> Iterator[scrapy.Request]:
        """Request every link on a landing page whose absolute URL matches the series' link_pattern."""
        meta = response.meta
        if isinstance(response, TextResponse) and response.status == 200:
            selector = response.selector
        else:
            selector = Selector(text=body.decode("utf-8", errors="replace"))
        base = urljoin(page_url, selector.xpath("//base/@href").get() or "")
        pattern = re.compile(meta["link_pattern"])
        seen: set[str] = set()
        for href in selector.xpath("//a/@href | //area/@href").getall():
            link = urljoin(base, href.strip()).split("#", 1)[0]
            if link.startswith(("http://", "https://")) and pattern.search(link) and link not in seen:
                seen.add(link)
                request = self._request(
                    link, company=meta["company"], series=meta["series"], purpose="download"
                )
                if self._once(request):
                    yield request
        if not seen:
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
