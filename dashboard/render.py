"""Writing pages and charts: the Jinja2 environment (autoescaped), chart sections with their downloads, and the
PNG/SVG images, drawn in parallel and reused from a cache when the chart's spec (its data included) is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2
from markupsafe import Markup

from dashboard.charts.palette import build_spec
from dashboard.context import Row, Site
from dashboard.format import fmt_number, published, tidy

TEMPLATES = Path(__file__).resolve().parent / "templates"
PALETTE = Path(__file__).resolve().parent / "charts" / "palette.py"  # every chart module uses it
# versions by package metadata: importing altair and vl-convert costs a warm build (all images cached) a second
ALTAIR_VERSION, VL_CONVERT_VERSION = version("altair"), version("vl-convert-python")
PNG_SCALE = 1.5  # sharp enough for print at column width; 2 made the largest grids 11 MB each
NAV = [
    ("index.html", "Who discloses nothing"),
    ("requests.html", "Requests over time"),
    ("countries/index.html", "By requesting country"),
    ("compliance.html", "Compliance rates"),
    ("eu-orders.html", "EU government orders"),
    ("restatements.html", "Restatements"),
    ("companies/index.html", "Companies"),
    ("documents.html", "Documents"),
]


def script_json(value: object) -> str:
    """JSON safe inside <script>: '<', '>' and '&' become \\u escapes so no label can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def is_web(url: object) -> bool:
    """Only http(s) addresses become links; anything else (javascript:, data:) is shown as text."""
    return urlparse(str(url or "")).scheme in ("http", "https")


def cell(value: object) -> str:
    """A table cell's text: numbers with thousands separators and at most two decimals, None as blank."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return fmt_number(value)
    return tidy(value)


ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False, trim_blocks=True,
    lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)


def use_template_cache(cache_dir: Path | None) -> None:
    """Keep the compiled templates in the cache directory (checked against each template's source), so a
    rebuild does not compile them again."""
    ENV.bytecode_cache = None
    if cache_dir:
        folder = Path(cache_dir) / f"templates-jinja-{version('jinja2')}"
        folder.mkdir(parents=True, exist_ok=True)
        ENV.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


ENV.filters.update(num=fmt_number, cell=cell, tidy=tidy)
ENV.tests["web"] = is_web
ENV.tests["number"] = lambda v: isinstance(v, int | float) and not isinstance(v, bool)


# ----------------------------------------------------------------------------------------------------------------
# Progress and images


class Progress:
    """Pages and images done, on stderr: a live line on a terminal, one summary line otherwise."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.pages = self.images = self.images_total = self.reused = 0
        self.lock = threading.Lock()

    def _show(self) -> None:
        if self.live:
            self.stream.write(f"\rsite: {self.pages} pages, {self.images}/{self.images_total} images "
                              f"({self.reused} reused)   ")
            self.stream.flush()

    def page(self) -> None:
        with self.lock:
            self.pages += 1
            self._show()

    def image_queued(self) -> None:
        with self.lock:
            self.images_total += 1

    def image_done(self, reused: bool) -> None:
        with self.lock:
            self.images += 1
            self.reused += reused
            self._show()

    def unchanged(self, pages: int, images: int) -> None:
        """The whole site copied from the last build's snapshot (dashboard/reuse.py)."""
        self.pages, self.images = pages, images
        self.images_total = self.reused = images
        self.stream.write(("\r" if self.live else "") + f"site: nothing changed since the last build: {pages} pages "
                          f"and {images} images copied from its snapshot in {time.monotonic() - self.started:.1f} s\n")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write(("\r" if self.live else "") + f"site: {self.pages} pages, {self.images} images "
                          f"({self.reused} reused from the cache) in {time.monotonic() - self.started:.1f} s\n")
        self.stream.flush()


def _warm_worker() -> None:
    """Start vl-convert's JavaScript engine in a new worker (about a second) while the main process still runs
    queries, instead of on the worker's first chart."""
    import vl_convert

    vl_convert.vegalite_to_svg({"data": {"values": [{"a": 1}]}, "mark": "point"})


def draw_images(spec: dict[str, Any], stem: Path, cache: Path | None, key: str) -> None:
    """Draw one chart's SVG (once, by Vega) and the PNG rasterised from that same SVG; store both in the cache."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    store_images(stem, svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE), cache, key)


def store_images(stem: Path, svg: str, png: bytes, cache: Path | None, key: str) -> None:
    """A chart's drawn SVG and PNG, next to its page and in the cache under the images' key."""
    stem.with_suffix(".svg").write_text(svg, encoding="utf-8")
    stem.with_suffix(".png").write_bytes(png)
    if cache:
        for ext, data in (("svg", svg.encode()), ("png", png)):
            _write_atomic(cache / f"{key}.{ext}", data)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a half-written file is never reused


# The Vega bundle depends on nothing but the installed vl-convert, so it is kept with the installation (in a
# virtual environment, inside it): the first build after an install writes it, every later build copies it, a
# cold site cache included. Where the installation is not writable, the site's cache directory keeps it.
INSTALL_BUNDLE = Path(sys.prefix) / "share" / "govreq" / f"vega-bundle-{VL_CONVERT_VERSION}.js"


def bundle_path(cache_dir: Path | None) -> Path | None:
    """Where the Vega bundle is cached: the installation's copy when it exists or can be written, else the site's
    cache directory (None without one)."""
    if INSTALL_BUNDLE.exists():
        return INSTALL_BUNDLE
    try:
        INSTALL_BUNDLE.parent.mkdir(parents=True, exist_ok=True)
        if os.access(INSTALL_BUNDLE.parent, os.W_OK):
            return INSTALL_BUNDLE
    except OSError:
        pass
    return Path(cache_dir) / INSTALL_BUNDLE.name if cache_dir else None


def draw_bundle(target: Path, cache: Path | None) -> None:
    """vl-convert's Vega bundle for the pages (the same text for one vl-convert version, so it is cached, see
    INSTALL_BUNDLE); writing it costs vl-convert about 1.4 s of CPU, which a drawing process pays before it draws."""
    import vl_convert

    text = vl_convert.javascript_bundle().encode("utf-8")
    target.write_bytes(text)
    if cache:
        _write_atomic(cache, text)


RENDERER_ENV = "GOVREQ_SITE_RENDERER"  # "vl-convert" draws the downloads without Chromium even where it is


def site_chromium() -> str | None:
    """The Chromium that draws the downloads (dashboard/browser_images.py), or None: vl-convert draws them."""
    if os.environ.get(RENDERER_ENV, "").strip() == "vl-convert":
        return None
    from crawlers.settings import chromium_path

    return chromium_path()


class Images:
    """PNG and SVG downloads, drawn by Vega in headless Chromium by a process of their own as each chart's spec
    is built (browser_images.py), or, without Chromium (or when it fails), by vl-convert in worker processes
    (vl-convert holds the GIL while it draws, so threads would stall the page building). An image whose spec
    hashes to one already in the cache directory is copied from there instead of drawn again. The drawing starts
    as soon as the first image (or the Vega bundle) is missing from the cache: a rebuild with nothing changed
    starts none."""

    def __init__(self, cache_dir: Path | None, progress: Progress) -> None:
        self.cache = Path(cache_dir) if cache_dir else None
        if self.cache:
            self.cache.mkdir(parents=True, exist_ok=True)
        self.progress = progress
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[Future[None]] = []
        self.chromium = site_chromium()
        self.renderer = f"chromium+vega-of-vl-convert-{VL_CONVERT_VERSION}" if self.chromium else VL_CONVERT_VERSION
        self.browser: Any = None  # browser_images.BrowserDrawer, started by the first image or bundle to draw
        self.browser_jobs: list[tuple[str, Path]] = []  # what it was sent, for vl-convert if it fails
        self.drawn: set[Path] = set()
        self.bundle_file: Path | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            workers = os.cpu_count() or 2
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            if not self.chromium:  # one warm-up per worker (a worker that is done takes the next)
                for _ in range(workers):
                    self.pending.append(self.pool.submit(_warm_worker))
        return self.pool

    def _browser(self) -> Any:
        if self.browser is None:
            from dashboard.browser_images import BrowserDrawer

            assert self.chromium and self.bundle_file, "bundle() comes before the images"
            self.browser = BrowserDrawer(chromium=self.chromium, bundle=self.bundle_file,
                                         bundle_cache=bundle_path(self.cache), scale=PNG_SCALE, cache=self.cache)
        return self.browser

    def bundle(self, target: Path) -> None:
        """Write the Vega bundle to target: from the cache, else drawn while the pages are built (by the
        drawing process, which needs it first, or in a vl-convert worker)."""
        self.bundle_file = target
        cached = bundle_path(self.cache)
        if cached and cached.exists():
            shutil.copyfile(cached, target)
        elif self.chromium:
            self._browser()
        else:
            self.pending.insert(0, self._pool().submit(draw_bundle, target, cached))

    def spec(self, block: ChartBlock) -> tuple[dict[str, Any], str]:
        """The chart's Vega-Lite spec and its JSON text; reused from the cache when the chart module's code and its
        input (rows, title, takeaway, options) are unchanged, since building it through Altair costs more than
        reading it."""
        build = block.build
        module = sys.modules[build.__module__]
        text = json.dumps([block.rows, block.title, block.takeaway, block.chart_args], sort_keys=True, default=str)
        code = Path(module.__file__ or "").read_bytes() + PALETTE.read_bytes()
        key = hashlib.sha256(code + f"|{build.__module__}.{build.__name__}|{ALTAIR_VERSION}|".encode()
                             + text.encode()).hexdigest()
        path = self.cache / f"{key}.spec.json" if self.cache else None
        if path and path.exists():
            cached = path.read_text(encoding="utf-8")
            return dict(json.loads(cached)), cached
        spec = build_spec(build, block.rows, title=block.title, description=block.takeaway, **block.chart_args)
        text = json.dumps(spec, default=str)  # Altair writes a spec's keys in one order: the text is the spec
        if path:
            _write_atomic(path, text.encode("utf-8"))
        return spec, text

    def key(self, spec_text: str, renderer: str | None = None) -> str:
        """The images' cache key: the spec itself (its data included), the renderer and the PNG scale."""
        return hashlib.sha256(f"{renderer or self.renderer}|{PNG_SCALE}|{spec_text}".encode()).hexdigest()

    def submit(self, spec: dict[str, Any], spec_text: str, stem: Path) -> None:
        self.progress.image_queued()
        key = self.key(spec_text)
        if self.cache and all((self.cache / f"{key}.{ext}").exists() for ext in ("svg", "png")):
            for ext in ("svg", "png"):
                shutil.copyfile(self.cache / f"{key}.{ext}", stem.with_suffix(f".{ext}"))
            self.progress.image_done(reused=True)
            return
        if self.chromium:
            self.browser_jobs.append((spec_text, stem))
            self._browser().draw(spec_text, stem, key)
            return
        self._draw_with_vl_convert(spec, stem, key)

    def _draw_with_vl_convert(self, spec: dict[str, Any], stem: Path, key: str) -> None:
        job = self._pool().submit(draw_images, spec, stem, self.cache, key)
        job.add_done_callback(lambda f: f.exception() is None and self.progress.image_done(reused=False))
        self.pending.append(job)

    def _drawn(self, stem: Path) -> None:
        self.drawn.add(stem)
        self.progress.image_done(reused=False)

    def _finish_browser(self) -> None:
        """Wait for the drawing process; on any failure of the browser, the charts it did not draw go to
        vl-convert (and the bundle to a vl-convert worker when it was not written), and the build says so."""
        error = self.browser.finish(self._drawn)
        if error is None:
            return
        left = [job for job in self.browser_jobs if job[1] not in self.drawn]
        self.progress.stream.write(f"\nsite: Chromium could not draw the downloads ({error}); "
                                   f"vl-convert draws the {len(left)} left\n")
        self.chromium, self.renderer = None, VL_CONVERT_VERSION
        if self.bundle_file and not self.bundle_file.exists():
            self.pending.append(self._pool().submit(draw_bundle, self.bundle_file, bundle_path(self.cache)))
        for spec_text, stem in left:
            self._draw_with_vl_convert(json.loads(spec_text), stem, self.key(spec_text))

    def _wait_for_workers(self) -> None:
        pending, self.pending = self.pending, []
        for job in pending:
            job.result()  # re-raises the first failed rendering

    def wait(self) -> None:
        try:
            self._wait_for_workers()  # the Vega bundle, when a vl-convert worker drew it, is written by now
            if self.browser is not None:
                self._finish_browser()
                self._wait_for_workers()  # what vl-convert drew when Chromium failed
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)


# ----------------------------------------------------------------------------------------------------------------
# Charts and pages


@dataclass
class ChartBlock:
    """One chart as published: the chart, what it says, what it counts, and exactly the rows drawn."""

    slug: str
    title: str
    takeaway: str
    unit: str
    build: Callable[..., Any]
    rows: list[Row]
    table: list[tuple[str, str]]  # (row key, column header) for the data table under the chart
    sources: list[str]
    source_note: str = ""  # where the figures come from when they are not the companies' files
    chart_args: dict[str, Any] = field(default_factory=dict)  # extra keyword arguments of the chart module


@dataclass
class Builder:
    """Writes pages into `out` and hands the images to `images`."""

    site: Site
    images: Images
    progress: Progress

    def chart(self, block: ChartBlock, page_path: str) -> Markup:
        """Write the chart's PNG, SVG and CSV next to its page and return its HTML section."""
        page_dir = (self.site.out / page_path).parent
        page_dir.mkdir(parents=True, exist_ok=True)
        root = "../" * page_path.count("/")
        # the chart, its tooltips and its CSV carry what the page prints: no float noise (format.published)
        block.rows = [{k: published(v) for k, v in r.items()} for r in block.rows]
        spec, spec_text = self.images.spec(block)
        self.images.submit(spec, spec_text, page_dir / block.slug)
        _write_csv(page_dir / f"{block.slug}.csv", block.rows)
        urls = sorted({u for u in block.sources if u})
        sources = [(u, self.site.document_href(u, root)) for u in urls]
        rows = [[(r.get(k), self.site.document_href(r.get("source_url") or "", root) if k == "source_url" else "")
                 for k, _ in block.table] for r in block.rows]
        return Markup(ENV.get_template("chart.html").render(
            block=block, spec_json=Markup(script_json(spec)), sources=sources, rows=rows, site=self.site,
            page_path=page_path, cite_urls="; ".join(urls[:3]), more_urls=max(len(urls) - 3, 0),
        ))

    def page(self, path: str, template: str, title: str, *, charts: bool = False, **context: Any) -> Path:
        """Write one page at out/<path>; links are relative so file:// works."""
        root = "../" * path.count("/")
        text = ENV.get_template(template).render(
            title=title, root=root, nav=NAV, path=path, charts=charts, site=self.site, **context)
        target = self.site.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.progress.page()
        return target


def _write_csv(path: Path, rows: list[Row]) -> None:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
