"""The mirror replay: real HTTP on 127.0.0.1 serving the recorded corpus as it stood on a date."""

from __future__ import annotations

import datetime as dt
import hashlib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawlers.mirror import MirrorServer, canonical, from_mirror_url, to_mirror_url
from tests.corpus import find, require_corpus

GOOGLE = "https://storage.googleapis.com/transparencyreport/google-user-data-requests.zip"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_url_mapping_round_trips() -> None:
    base = "http://127.0.0.1:8123"
    for url in [
        GOOGLE,
        "https://raw.githubusercontent.com/ali-ce/datasets/master/TransparencyReports/Full-Data(2009-2013).csv",
        "http://example.org:8080/a/b?x=1&y=2",
        "https://example.org/",
    ]:
        mirrored = to_mirror_url(url, base)
        assert mirrored.startswith(base + "/http")
        assert from_mirror_url(mirrored) == canonical(url)
    assert (
        to_mirror_url(GOOGLE, base)
        == f"{base}/https/storage.googleapis.com/transparencyreport/google-user-data-requests.zip"
    )
    with pytest.raises(ValueError):
        from_mirror_url(f"{base}/ftp/x")


@pytest.mark.parametrize(
    ("as_of", "captured_at"),
    [
        (dt.date(2020, 1, 1), "2019-04-14"),
        (dt.date(2019, 4, 14), "2019-04-14"),  # the capture date itself counts
        (dt.date(2022, 2, 25), "2022-02-25"),
        (None, "2022-02-25"),
    ],
)
def test_as_of_serves_the_newest_capture_on_or_before_the_date(
    as_of: dt.date | None, captured_at: str
) -> None:
    expected = find("google-user-data-requests.zip", captured_at)
    with MirrorServer(require_corpus(), as_of) as mirror:
        status, headers, body = get(mirror.url_for(GOOGLE))
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == expected.sha256
    assert headers["ETag"] == f'"{expected.sha256}"'
    assert headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == expected.content_type
    assert headers["Last-Modified"] == dt.datetime.fromisoformat(captured_at).strftime(
        "%a, %d %b %Y 00:00:00 GMT"
    )


def test_before_the_first_capture_is_404() -> None:
    with MirrorServer(require_corpus(), dt.date(2019, 4, 13)) as mirror:
        assert get(mirror.url_for(GOOGLE))[0] == 404


def test_conditional_requests_get_304() -> None:
    old, new = (
        find("google-user-data-requests.zip", "2019-04-14"),
        find("google-user-data-requests.zip", "2022-02-25"),
    )
    with MirrorServer(require_corpus()) as mirror:
        url = mirror.url_for(GOOGLE)
        status, headers, body = get(url, {"If-None-Match": f'"{new.sha256}"'})
        assert (status, body) == (304, b"") and headers["ETag"] == f'"{new.sha256}"'
        # the archived version is older: the server sends the new one
        status, _, body = get(url, {"If-None-Match": f'"{old.sha256}"'})
        assert status == 200 and hashlib.sha256(body).hexdigest() == new.sha256
        assert get(url, {"If-Modified-Since": "Fri, 25 Feb 2022 00:00:00 GMT"})[0] == 304
        assert get(url, {"If-Modified-Since": "Sun, 14 Apr 2019 00:00:00 GMT"})[0] == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3)
        assert (
            get(
                url,
                {"If-None-Match": f'"{old.sha256}"', "If-Modified-Since": "Fri, 25 Feb 2022 00:00:00 GMT"},
            )[0]
            == 200
        )


def test_unknown_urls_are_404_and_robots_allows_everything() -> None:
    with MirrorServer(require_corpus()) as mirror:
        assert (
            get(mirror.url_for("https://storage.googleapis.com/transparencyreport/nothing-here.zip"))[0]
            == 404
        )
        assert get(mirror.base_url + "/not-a-mirror-path")[0] == 404
        status, _, body = get(mirror.base_url + "/robots.txt")
        assert status == 200 and b"Allow: /" in body


def test_urls_with_parentheses_and_extensionless_paths_are_found() -> None:
    silk = find("Full-Data(2009-2013).csv")
    microsoft = find("Microsoft-LERR-2013-H2")
    with MirrorServer(require_corpus()) as mirror:
        for capture in (silk, microsoft):
            status, _, body = get(mirror.url_for(capture.url))
            assert status == 200 and hashlib.sha256(body).hexdigest() == capture.sha256


def test_serves_many_parallel_requests() -> None:
    with MirrorServer(require_corpus()) as mirror:
        url = mirror.url_for(GOOGLE)
        with ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(lambda _: get(url)[0], range(128)))
    assert statuses == [200] * 128
