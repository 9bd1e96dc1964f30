"""Scrapy settings: polite on publishers' sites, full speed when replaying a recorded mirror on loopback."""

from __future__ import annotations

import os
from typing import Any

# Publishers should be able to tell who is fetching and how to reach them. The project's public home is the
# default contact; whoever runs a crawl from elsewhere sets GOVREQ_USER_AGENT with their own contact URL.
DEFAULT_USER_AGENT = "govreq/0.1 (+https://github.com/govreq/govreq; transparency-report archiver)"
USER_AGENT = os.environ.get("GOVREQ_USER_AGENT", DEFAULT_USER_AGENT)

# Statuses the spider sees itself so it can log them as failed fetches (304 is "not modified", not a failure).
# Others (e.g. 418) reach the errback as HttpError and are logged there.
HTTPERROR_ALLOWED_CODES = [
    304,
    400,
    401,
    402,
    403,
    404,
    405,
    406,
    408,
    409,
    410,
    429,
    451,
    500,
    501,
    502,
    503,
    504,
    520,
    522,
    524,
]

_COMMON: dict[str, Any] = {
    "BOT_NAME": "govreq",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "DOWNLOAD_MAXSIZE": 200 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 50 * 1024 * 1024,
    "DOWNLOAD_TIMEOUT": 60,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "HTTPERROR_ALLOWED_CODES": HTTPERROR_ALLOWED_CODES,
    # Scrapy 2.19 opens a localhost port that runs code sent to it; a crawler needs neither that nor telnet.
    "REMOTE_CONTROL_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    # Report files need no session; the cookie middleware would also make tldextract fetch the suffix list.
    "COOKIES_ENABLED": False,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
        # Scrapy's own lets requests queued during the robots.txt download through (crawlers/middlewares.py).
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawlers.middlewares.SharedRobotsTxtMiddleware": 100,
    },
    # Conditional requests against our own archive replace an HTTP cache (see stack notes on RFC2616 policy).
    "HTTPCACHE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "LOGSTATS_INTERVAL": 0,
    "REDIRECT_ENABLED": True,
    # Scrapy re-reads and parses the source of a generator callback on every response to warn about a `return`
    # with a value (its cache is keyed on the bound method, which is new each time): 0.7 s of a no-op replay's
    # 292 responses. The spider's callbacks never return a value.
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    # The callbacks yield follow-up requests, never items, yet Scrapy starts CONCURRENT_ITEMS (100) worker tasks
    # per response to process its output: 29,000 asyncio tasks for a replay's 292 responses.
    "CONCURRENT_ITEMS": 4,
}

LIVE: dict[str, Any] = {
    **_COMMON,
    "CONCURRENT_REQUESTS": 8,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_DELAY": 1.0,
    "DOWNLOAD_DELAY_JITTER": 0.5,  # 0.5-1.5 x the delay
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
}

# Every mirrored URL lives on one host (127.0.0.1), so per-domain limits would serialise the whole crawl.
MIRROR: dict[str, Any] = {
    **_COMMON,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 30,
    # Loopback must never go through a proxy named in the environment.
    "DOWNLOADER_MIDDLEWARES": {
        **_COMMON["DOWNLOADER_MIDDLEWARES"],
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
    },
}


DELAY_ENV = "GOVREQ_DOWNLOAD_DELAY"  # seconds between requests to one site on a live crawl (default 1)


def live_delay() -> float:
    """The live per-site delay, from $GOVREQ_DOWNLOAD_DELAY when set (tests against loopback use 0)."""
    text = os.environ.get(DELAY_ENV, "").strip()
    if not text:
        return float(LIVE["DOWNLOAD_DELAY"])
    try:
        delay = float(text)
    except ValueError:
        delay = -1.0
    if not 0 <= delay <= 600:
        raise ValueError(f"{DELAY_ENV}={text!r} is not a number of seconds between 0 and 600")
    return delay


CHROMIUM_ENV = "GOVREQ_CHROMIUM"  # the browser that renders landing pages built by JavaScript
DEFAULT_CHROMIUM = "/usr/bin/chromium"  # Debian's; never `playwright install` (it downloads a browser)
# As the stack notes measured: headless, no sandbox (containers), nothing that phones home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The Chromium executable to render with, or None when there is none (rendering is then skipped)."""
    path = os.environ.get(CHROMIUM_ENV, "").strip() or DEFAULT_CHROMIUM
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def rendering_settings(chromium: str) -> dict[str, Any]:
    """scrapy-playwright as the download handler: requests with meta playwright=True are rendered in Chromium,
    every other request goes through Scrapy's own handler as before."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
    }


def crawl_settings(*, mirror: bool) -> dict[str, Any]:
    """A fresh copy of the settings for a live crawl or a mirror replay."""
    chosen = MIRROR if mirror else LIVE
    settings = {
        k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
        for k, v in chosen.items()
    }
    if not mirror:
        settings["DOWNLOAD_DELAY"] = settings["AUTOTHROTTLE_START_DELAY"] = live_delay()
    return settings
