"""The crawler is polite on publishers' sites and exposes no control ports."""

from __future__ import annotations

from crawlers import settings


def test_live_crawl_is_polite() -> None:
    live = settings.LIVE
    assert live["ROBOTSTXT_OBEY"] is True
    assert live["AUTOTHROTTLE_ENABLED"] is True
    assert live["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert live["DOWNLOAD_DELAY"] >= 1
    assert 0 < live["DOWNLOAD_MAXSIZE"] <= 500 * 1024 * 1024
    assert 0 < live["DOWNLOAD_TIMEOUT"] <= 120
    assert live["RETRY_TIMES"] >= 1
    assert "+http" in live["USER_AGENT"]  # a contact URL, as polite crawlers give


def test_no_remote_control_or_telnet_in_any_mode() -> None:
    for mode in (settings.LIVE, settings.MIRROR):
        assert mode["REMOTE_CONTROL_ENABLED"] is False
        assert mode["TELNETCONSOLE_ENABLED"] is False
        assert mode["COOKIES_ENABLED"] is False
