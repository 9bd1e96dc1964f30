"""The Scrapy settings module for `scrapy crawl` and Scrapyd: the same settings `govreq update` uses.

$GOVREQ_CRAWL_MODE chooses them: `live` (default; polite: robots.txt, per-site delay and concurrency) or `mirror`
(a recorded mirror replayed on 127.0.0.1, full speed). Everything else is as in crawlers/settings.py.
"""

from __future__ import annotations

import os

from crawlers.settings import chromium_path, crawl_settings, rendering_settings

_MODE = os.environ.get("GOVREQ_CRAWL_MODE", "live").strip().lower()
if _MODE not in ("live", "mirror"):
    raise ValueError(f"GOVREQ_CRAWL_MODE={_MODE!r}: expected 'live' or 'mirror'")

globals().update(crawl_settings(mirror=_MODE == "mirror"))
# Chromium renders the landing pages of series that ask for it, when the host has it (else they are read as served).
if os.environ.get("GOVREQ_RENDER", "1") != "0" and (_CHROMIUM := chromium_path()):
    globals().update(rendering_settings(_CHROMIUM))

SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"
LOG_LEVEL = "INFO"  # a Scrapyd job's log then ends with the spider's summary (probes against their cap)
