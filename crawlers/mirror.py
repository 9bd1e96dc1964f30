"""Replay a recorded mirror (captures.csv + files/) over real HTTP on 127.0.0.1, as it stood on a date.

A publisher's URL https://host/path?q is served at http://127.0.0.1:PORT/https/host/path?q. For each URL the
server answers with the newest capture on or before `as_of`, with ETag (the quoted sha256) and Last-Modified
(the capture date), and honours If-None-Match / If-Modified-Since with 304, as a real server would.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import threading
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

ROBOTS_TXT = b"User-agent: *\nAllow: /\n"


def canonical(url: str) -> str:
    """The form under which URLs are compared: percent-encoded as Scrapy sends them, no fragment."""
    return safe_url_string(url.split("#", 1)[0])


def to_mirror_url(original: str, base_url: str) -> str:
    """https://host/a/b?q -> <base_url>/https/host/a/b?q"""
    parts = urlsplit(canonical(original))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"cannot mirror {original!r}: not an absolute http(s) URL")
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}/{parts.scheme}/{parts.netloc}{parts.path or '/'}{query}"


def from_mirror_url(mirrored: str) -> str:
    """<base_url>/https/host/a/b?q -> https://host/a/b?q (the inverse of to_mirror_url)."""
    parts = urlsplit(mirrored)
    scheme, _, rest = parts.path.lstrip("/").partition("/")
    host, slash, path = rest.partition("/")
    if scheme not in ("http", "https") or not host:
        raise ValueError(f"{mirrored!r} is not a mirror URL (expected /<scheme>/<host>/<path>)")
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}/{path if slash else ''}{query}"


@dataclass(frozen=True)
class Capture:
    url: str
    captured_at: dt.date
    path: Path
    sha256: str
    content_type: str


def load_captures(mirror_dir: Path) -> dict[str, list[Capture]]:
    """Captures per canonical URL, oldest first."""
    by_url: dict[str, list[Capture]] = {}
    with (mirror_dir / "captures.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            capture = Capture(
                url=row["url"],
                captured_at=dt.date.fromisoformat(row["captured_at"]),
                path=mirror_dir / row["path"],
                sha256=row["sha256"],
                content_type=row.get("content_type") or "application/octet-stream",
            )
            by_url.setdefault(canonical(row["url"]), []).append(capture)
    for versions in by_url.values():
        versions.sort(key=lambda c: c.captured_at)
    return by_url


def pick(versions: list[Capture], as_of: dt.date | None) -> Capture | None:
    """The newest capture on or before as_of (the newest overall without a date)."""
    eligible = [c for c in versions if as_of is None or c.captured_at <= as_of]
    return eligible[-1] if eligible else None


def _http_date(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), usegmt=True)


def _not_modified(capture: Capture, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 13.1: If-None-Match wins; If-Modified-Since only counts without it."""
    etag = f'"{capture.sha256}"'
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        modified = dt.datetime(
            capture.captured_at.year, capture.captured_at.month, capture.captured_at.day, tzinfo=dt.UTC
        )
        return modified <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Scrapy reuses connections
    server: _MirrorHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass  # the crawl's fetch log is the record; per-request stderr noise helps nobody

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt" or (path.endswith("/robots.txt") and path.count("/") == 3):
            self._send(200, ROBOTS_TXT, {"Content-Type": "text/plain"}, head)
            return
        try:
            original = canonical(from_mirror_url(self.path))
        except ValueError:
            self._send(404, b"not a mirror URL\n", {"Content-Type": "text/plain"}, head)
            return
        capture = pick(self.server.captures.get(original, []), self.server.as_of)
        if capture is None:
            self._send(404, b"no capture of this URL\n", {"Content-Type": "text/plain"}, head)
            return
        headers = {"ETag": f'"{capture.sha256}"', "Last-Modified": _http_date(capture.captured_at)}
        if _not_modified(capture, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")):
            self._send(304, b"", headers, head)
            return
        body = capture.path.read_bytes()
        self._send(200, body, {"Content-Type": capture.content_type, **headers}, head)


class _MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the stdlib's 5 stalls under a crawler's bursts

    def __init__(self, captures: dict[str, list[Capture]], as_of: dt.date | None, port: int) -> None:
        self.captures = captures
        self.as_of = as_of
        super().__init__(("127.0.0.1", port), _Handler)


class MirrorServer:
    """`with MirrorServer(dir, as_of) as m:` serves the mirror on a free loopback port during the block."""

    def __init__(self, mirror_dir: Path, as_of: dt.date | None = None, port: int = 0) -> None:
        self.mirror_dir = Path(mirror_dir)
        if not (self.mirror_dir / "captures.csv").is_file():
            raise FileNotFoundError(f"{self.mirror_dir} is not a recorded mirror: no captures.csv in it")
        self.as_of = as_of
        self.port = port  # 0: any free port
        self.captures = load_captures(self.mirror_dir)
        self._server: _MirrorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the mirror server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url_for(self, original_url: str) -> str:
        return to_mirror_url(original_url, self.base_url)

    def start(self) -> MirrorServer:
        self._server = _MirrorHTTPServer(self.captures, self.as_of, self.port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="govreq-mirror", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawlers.mirror",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve a recorded mirror on 127.0.0.1 until interrupted.",
        epilog="Example:\n  python -m crawlers.mirror ../shared/corpus --as-of 2020-01-01\n"
        "  curl -I http://127.0.0.1:PORT/https/storage.googleapis.com/transparencyreport/"
        "google-user-data-requests.zip",
    )
    parser.add_argument("mirror_dir", type=Path, help="folder holding captures.csv and files/")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="serve for each URL the newest capture on or before this date",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    args = parser.parse_args(argv)
    with MirrorServer(args.mirror_dir, args.as_of, args.port) as mirror:
        print(f"serving {len(mirror.captures)} URLs from {args.mirror_dir} at {mirror.base_url}", flush=True)
        print(
            f"example: {mirror.url_for(next(iter(mirror.captures)))}" if mirror.captures else "", flush=True
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
