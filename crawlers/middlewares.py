"""Downloader middlewares govreq needs beyond Scrapy's own."""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy 2.19's RobotsTxtMiddleware, with every request queued while robots.txt downloads obeying it.

    Measured here: requests waiting on the robots.txt download share one Deferred, the first waiter consumes its
    result and the later ones get None, which the middleware reads as "no robots.txt": they were sent even when
    robots.txt forbade them (tests/test_discovery.py). Once parsed, the parser is in self._parsers; use it.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            current = self._parsers.get(urlparse_cached(request).netloc)
            if current is not None and not isinstance(current, Deferred):
                return current
        return parser
