"""Run the registry crawl in a child process (Scrapy's reactor cannot restart) and hand back a summary.

Example:
  python -m crawlers.crawl --data-dir data --mirror ../shared/corpus --as-of 2020-01-01 --only google,github
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


class CrawlError(RuntimeError):
    """The crawl itself could not run (bad arguments, unknown company, crashed child); single failing
    sources do not raise, they are listed in CrawlSummary.failed."""


@dataclass
class CrawlSummary:
    fetched_new: int = 0
    unchanged: int = 0  # includes not_modified (304)
    not_modified: int = 0
    failed: list[tuple[str, str, str, str]] = field(default_factory=list)  # (company, series, url, error)
    requests: int = 0  # HTTP requests sent, incl. robots.txt and retries
    seconds: float = 0.0
    not_published: int = 0  # pattern probes answered 404/410: that period is not out (yet); no failure
    probes: list[dict[str, Any]] = field(default_factory=list)  # per pattern series: cap, probed, found, ...
    not_rendered: list[tuple[str, str, str]] = field(default_factory=list)  # (company, series, why)
    # landing pages asking for Chromium that a first pass found (200/304), for the rendering pass; then the
    # pages that pass rendered (company, series, url)
    to_render: list[tuple[str, str, str]] = field(default_factory=list)
    rendered: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def probes_sent(self) -> int:
        return sum(p["probed"] for p in self.probes)

    def probe_lines(self) -> list[str]:
        """One line per pattern series: what the probes cost, against the cap that bounds them per run."""
        return [probe_line(p) for p in self.probes]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlSummary:
        return cls(**{**data, "failed": [tuple(f) for f in data.get("failed", [])],
                      "not_rendered": [tuple(f) for f in data.get("not_rendered", [])],
                      "to_render": [tuple(f) for f in data.get("to_render", [])],
                      "rendered": [tuple(f) for f in data.get("rendered", [])]})

    def then(self, second: CrawlSummary) -> CrawlSummary:
        """This pass followed by a second one (the rendering pass)."""
        return CrawlSummary(
            fetched_new=self.fetched_new + second.fetched_new, unchanged=self.unchanged + second.unchanged,
            not_modified=self.not_modified + second.not_modified, failed=self.failed + second.failed,
            requests=self.requests + second.requests, seconds=round(self.seconds + second.seconds, 3),
            not_published=self.not_published + second.not_published, probes=self.probes + second.probes,
            not_rendered=self.not_rendered + second.not_rendered, to_render=second.to_render,
            rendered=self.rendered + second.rendered,
        )


def probe_line(p: dict[str, Any]) -> str:
    """One pattern series' probing, said against the cap that bounds it per run."""
    line = (f"{p['company']}/{p['series']}: {p['probed']} probes (cap {p['cap']} per run), {p['found']} found, "
            f"{p['not_published']} not published (yet), {p['known']} already archived re-asked")
    if p["skipped_cap"]:
        line += f", {p['skipped_cap']} older addresses left for a later run by the cap"
    if p["skipped_gap"]:
        line += f", {p['skipped_gap']} known gaps not asked again"
    return line


def run_crawl(data_dir: Path, **options: Any) -> CrawlSummary:
    """Crawl every series in the registry (or the `only` companies) into data_dir/archive, and wait for it; the
    options are start_crawl's."""
    return start_crawl(data_dir, **options).result()


def start_crawl(
    data_dir: Path,
    *,
    mirror: Path | None = None,
    as_of: dt.date | None = None,
    only: list[str] | None = None,
    registry_path: Path | None = None,
    timeout: float | None = None,
    today: dt.date | None = None,
) -> CrawlRun:
    """Start the crawl's child process and return at once; `result()` waits for it (and for the rendering pass,
    when the first one found pages for it). The caller can do other work meanwhile (govreq/update.py imports
    the loading code)."""
    if as_of is not None and mirror is None:
        raise CrawlError("as_of needs a mirror: the live web has only its present state")
    command = [sys.executable, "-m", "crawlers.crawl", "--data-dir", str(Path(data_dir).resolve())]
    if mirror is not None:
        command += ["--mirror", str(Path(mirror).resolve())]
    if as_of is not None:
        command += ["--as-of", as_of.isoformat()]
    if only:
        command += ["--only", ",".join(only)]
    if registry_path is not None:
        command += ["--registry", str(Path(registry_path).resolve())]
    if today is not None:
        command += ["--today", today.isoformat()]
    return CrawlRun(command, timeout)


class CrawlRun:
    """A crawl under way in a child process (Scrapy's reactor cannot restart, so each pass is a new process)."""

    def __init__(self, command: list[str], timeout: float | None) -> None:
        self.command, self.timeout = command, timeout
        self.started = time.monotonic()
        self._tmp = tempfile.TemporaryDirectory(prefix="govreq-crawl-")
        self._first = _Pass(command, Path(self._tmp.name) / "summary.json")

    def result(self) -> CrawlSummary:
        try:
            summary = self._first.result(self._left())
            if summary.to_render:
                # The first pass found landing pages that ask for Chromium: a second process renders only those
                # (and follows their links), so a crawl starts the browser only when there is a page for it to draw.
                pages = Path(self._tmp.name) / "render-pages.json"
                pages.write_text(json.dumps(summary.to_render), encoding="utf-8")
                second = _Pass([*self.command, "--render-pages", str(pages)],
                               Path(self._tmp.name) / "summary-2.json")
                summary = summary.then(second.result(self._left()))
            return summary
        finally:
            self._tmp.cleanup()

    def stop(self) -> None:
        """End the crawl without its summary (the caller failed before waiting for it): what the child archived
        so far stays, as after any stopped crawl."""
        self._first.proc.kill()
        self._first.proc.communicate()
        self._tmp.cleanup()

    def _left(self) -> float | None:
        return None if self.timeout is None else max(0.0, self.timeout - (time.monotonic() - self.started))


class _Pass:
    """One crawl pass in a child process; its summary comes back through a JSON file."""

    def __init__(self, command: list[str], summary_path: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.summary_path = summary_path
        self.proc = subprocess.Popen([*command, "--summary-json", str(summary_path)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)

    def result(self, timeout: float | None) -> CrawlSummary:
        try:
            stdout, stderr = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            self.proc.kill()
            self.proc.communicate()
            raise CrawlError(f"the crawl did not finish within the {timeout} s left") from e
        if self.proc.returncode != 0 or not self.summary_path.exists():
            detail = (stderr or stdout).strip()[-4000:]
            raise CrawlError(f"the crawl process exited with status {self.proc.returncode}:\n{detail}")
        return CrawlSummary.from_dict(json.loads(self.summary_path.read_text(encoding="utf-8")))


def crawl_in_this_process(
    data_dir: Path,
    *,
    mirror: Path | None = None,
    as_of: dt.date | None = None,
    only: list[str] | None = None,
    registry_path: Path | None = None,
    today: dt.date | None = None,
    render_pages: list[tuple[str, str, str]] | None = None,
) -> CrawlSummary:
    """The child's side: start the mirror if asked, run the spider once, count what happened.

    Chromium is not started here for a first pass: landing pages that ask for it are fetched as served, and
    those the server has (200/304) come back in `to_render` for a second pass, which renders only
    `render_pages`."""
    from scrapy.crawler import CrawlerProcess

    from crawlers.archive import Archive
    from crawlers.mirror import MirrorServer
    from crawlers.registry import load_registry
    from crawlers.settings import chromium_path, crawl_settings, rendering_settings
    from crawlers.spiders.report_files import ReportFilesSpider

    started = time.perf_counter()
    try:  # a bad registry file or setting is the user's to fix: a message, not a traceback
        registry = load_registry(registry_path)
        settings = crawl_settings(mirror=mirror is not None)
    except ValueError as e:
        raise CrawlError(str(e)) from e
    if only:
        unknown = sorted(set(only) - {c.slug for c in registry.companies})
        if unknown:
            raise CrawlError(
                f"unknown company slug(s) {', '.join(unknown)}; the registry has "
                f"{', '.join(sorted(c.slug for c in registry.companies))}"
            )
    wanted = set(only) if only else None
    render = any(s.render_landing_page for c in registry.companies if wanted is None or c.slug in wanted
                 for s in c.series)
    chromium = chromium_path() if render or render_pages else None
    if render_pages is not None:
        if chromium is None:
            raise CrawlError("a rendering pass needs Chromium (/usr/bin/chromium or $GOVREQ_CHROMIUM)")
        settings.update(rendering_settings(chromium))
    archive = Archive(Path(data_dir) / "archive")
    archive.remove_partial_writes()
    with contextlib.ExitStack() as stack:
        mirror_base = None
        if mirror is not None:
            mirror_base = stack.enter_context(MirrorServer(mirror, as_of)).base_url
        process = CrawlerProcess(settings=settings)
        crawler = process.create_crawler(ReportFilesSpider)
        process.crawl(
            crawler,
            registry=registry,
            archive=archive,
            only=only,
            mirror_base=mirror_base,
            mirror_dir=str(Path(mirror).resolve()) if mirror is not None else None,
            # A replay "as of" a date probes the periods ended by then; otherwise those ended by today.
            today=today or as_of or dt.date.today(),
            render=render_pages is not None,
            defer_render=render_pages is None and chromium is not None,
            render_pages=render_pages,
        )
        process.start()
    spider = crawler.spider
    if spider is None:
        raise CrawlError("the spider never started")
    tally = spider.tally
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlSummary(
        fetched_new=tally.fetched_new,
        unchanged=tally.unchanged + tally.not_modified,
        not_modified=tally.not_modified,
        failed=list(tally.failed),
        requests=int(stats.get("downloader/request_count", 0)),
        seconds=round(time.perf_counter() - started, 3),
        not_published=tally.not_published,
        probes=[p.as_dict() for p in tally.probes.values()],
        not_rendered=list(tally.not_rendered),
        to_render=list(tally.render_wanted),
        rendered=list(render_pages or []),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawlers.crawl",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="the archive goes to DATA_DIR/archive")
    parser.add_argument("--mirror", type=Path, help="replay this recorded mirror (captures.csv + files/)")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="with --mirror: the newest capture on or before this date",
    )
    parser.add_argument("--only", help="comma-separated company slugs (default: all)")
    parser.add_argument("--registry", type=Path, help="registry folder (default: the packaged one)")
    parser.add_argument("--summary-json", type=Path, help="write the summary here as JSON (for run_crawl)")
    parser.add_argument("--render-pages", type=Path,
                        help="a JSON list of [company, series, url]: render only these landing pages in Chromium")
    parser.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day URL patterns are expanded up to (default: --as-of, else today)")
    args = parser.parse_args(argv)
    if args.as_of and not args.mirror:
        parser.error("--as-of needs --mirror")
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    try:
        summary = crawl_in_this_process(
            args.data_dir, mirror=args.mirror, as_of=args.as_of, only=only, registry_path=args.registry,
            today=args.today,
            render_pages=([tuple(p) for p in json.loads(args.render_pages.read_text(encoding="utf-8"))]
                          if args.render_pages else None),
        )
    except CrawlError as e:
        print(f"govreq crawl: {e}", file=sys.stderr)
        return 2
    if args.summary_json:
        tmp = args.summary_json.with_suffix(".tmp")
        tmp.write_text(json.dumps(summary.as_dict()), encoding="utf-8")
        os.replace(tmp, args.summary_json)
    else:
        print(
            f"{summary.fetched_new} new, {summary.unchanged} unchanged "
            f"({summary.not_modified} not modified), "
            f"{len(summary.failed)} failed, {summary.not_published} not published (yet); "
            f"{summary.requests} requests in {summary.seconds:.1f} s"
        )
        for line in summary.probe_lines():
            print(f"  probes {line}")
        for company, series, why in summary.not_rendered:
            print(f"  not rendered {company}/{series}: {why}")
        for company, series, url in summary.to_render:
            print(f"  to render {company}/{series} {url}: a second pass with --render-pages does it")
        for company, series, url, error in summary.failed:
            print(f"  failed {company}/{series} {url}: {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
