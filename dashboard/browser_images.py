"""The PNG and SVG downloads drawn by Vega itself in headless Chromium (Debian's, as the crawl and the browser test
use), from the same Vega bundle the pages load.

One process of its own drives the browser (`BrowserDrawer`): it starts with the build, launches Chromium and
writes the Vega bundle while the main process still runs its queries, then draws each chart as soon as the main
process has built its spec, and writes the files itself. The main process only sends it the specs,
so Chromium's drawing overlaps the page building instead of following it. (A thread of the main process driving
the browser was slower than drawing after the pages: 29.0 s against 26.7 s for the corpus site, its Python work
competing with Altair's for the interpreter.)

Measured on the corpus site (91 charts, 2 cores): vl-convert needed about 65 s of CPU for them (it opens and maps
its font file for every text measurement: 13,500 times for one country grid's SVG); Vega in one Chromium tab lays
them out in about 3 s and exports the SVGs in 0.4 s and the PNGs in 2.3 s. A chart page stays offline: the tab
opens about:blank, the bundle is added from the file, and every spec carries its data inline.
"""

from __future__ import annotations

import asyncio
import base64
import multiprocessing
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

SECOND_TAB_BACKLOG = 2  # charts still undrawn when the build has sent the last, beyond which a second tab opens
DRAW = """async ([text, scale]) => {
  const el = document.createElement("div");
  document.body.appendChild(el);
  const result = await vegaEmbed(el, JSON.parse(text), {actions: false, renderer: "none"});
  try {
    return [await result.view.toSVG(), await result.view.toImageURL("png", scale)];
  } finally {
    result.finalize();
    el.remove();
  }
}"""

# (spec as JSON text, the file stem to write <stem>.svg and <stem>.png to, the images' cache key)
Job = tuple[str, str, str]


class BrowserDrawer:
    """The drawing process, seen from the build: `draw` hands it a chart, `finish` waits for every chart and says
    which were drawn and, when the browser failed, why (the build then draws the rest with vl-convert).

    The process also writes the Vega bundle to `bundle` (from `bundle_cache` when that file exists, else from
    vl-convert, and then into the cache too) before it draws, and writes it even when the browser fails."""

    def __init__(self, *, chromium: str, bundle: Path, bundle_cache: Path | None, scale: float,
                 cache: Path | None) -> None:
        context = multiprocessing.get_context("spawn")
        jobs_in, self._to_child = context.Pipe(duplex=False)
        self._from_child, results_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, name="govreq-site-chromium", daemon=True,
            args=(jobs_in, results_out, chromium, str(bundle), str(bundle_cache or ""), scale, str(cache or "")),
        )
        self.process.start()
        jobs_in.close()  # the child's ends
        results_out.close()
        # The specs (4.3 MB for the corpus site, up to 390 KB each) go through a 64 KB pipe: sent from the build's
        # own thread, each send waited for the child to read it (1.3 s of the build's time); a thread sends them
        self._outbox: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_jobs, name="site-specs", daemon=True)
        self._sender.start()

    def draw(self, spec_text: str, stem: Path, key: str) -> None:
        self._outbox.put((spec_text, str(stem), key))

    def _send_jobs(self) -> None:
        """Send every job, then None, to the child; once it has ended (its browser failed), the rest are only taken
        from the queue: finish() says why, and vl-convert draws them."""
        child_gone = False
        while True:
            job = self._outbox.get()
            if not child_gone:
                try:
                    self._to_child.send(job)
                except OSError:
                    child_gone = True
            if job is None:
                break
        self._to_child.close()

    def finish(self, drawn: Callable[[Path], None]) -> str | None:
        """Wait for the process; `drawn(stem)` is called for each chart it drew. Returns None when it drew every
        chart sent, else what went wrong."""
        self._outbox.put(None)
        self._sender.join()
        error: str | None = None
        while True:
            try:
                kind, value = self._from_child.recv()
            except EOFError:
                error = error or f"the drawing process ended without a word (exit code {self.process.exitcode})"
                break
            if kind == "drawn":
                drawn(Path(value))
            elif kind == "failed":
                error = value
            elif kind == "done":
                break
        self._from_child.close()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
        return error


def _write_bundle(target: Path, cache: Path | None) -> None:
    if cache and cache.exists():
        target.write_bytes(cache.read_bytes())
        return
    from dashboard.render import draw_bundle

    draw_bundle(target, cache)


def _serve(jobs: Connection, results: Connection, chromium: str, bundle: str, bundle_cache: str, scale: float,
           cache: str) -> None:
    """The drawing process: Chromium first, then the bundle (vl-convert holds the interpreter while it writes
    one, so it waits for the launch), then every job until None. The bundle is written even when the browser
    fails; the main process is told of every failure and draws what is left."""
    written: list[bool] = []

    def write_bundle() -> None:
        if not written:
            written.append(True)
            _write_bundle(Path(bundle), Path(bundle_cache) if bundle_cache else None)

    try:
        asyncio.run(_draw(jobs, results, chromium, Path(bundle), write_bundle, scale, Path(cache) if cache else None))
    except BaseException as e:  # noqa: BLE001 - any browser failure: the main process draws the rest
        results.send(("failed", f"{type(e).__name__}: {e}"))
    finally:
        try:
            write_bundle()
        except BaseException as e:  # noqa: BLE001 - the main process draws it with vl-convert
            results.send(("failed", f"the Vega bundle: {type(e).__name__}: {e}"))
        results.send(("done", None))
        results.close()


async def _draw(jobs: Connection, results: Connection, chromium: str, bundle: Path,
                write_bundle: Callable[[], None], scale: float, cache: Path | None) -> None:
    from playwright.async_api import async_playwright

    from crawlers.settings import CHROMIUM_ARGS
    from dashboard.render import store_images

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Job | None] = asyncio.Queue()
    all_sent = asyncio.Event()

    def read_jobs() -> None:  # blocking reads in a thread; the tabs take the jobs from the queue
        while True:
            try:
                job = jobs.recv()
            except EOFError:
                job = None
            try:
                loop.call_soon_threadsafe(queue.put_nowait, job)
                if job is None:
                    loop.call_soon_threadsafe(all_sent.set)
            except RuntimeError:  # the browser failed and the loop is closed: keep the pipe drained
                pass
            if job is None:
                return

    threading.Thread(target=read_jobs, name="site-jobs", daemon=True).start()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            await loop.run_in_executor(None, write_bundle)

            async def tab() -> None:
                context = await browser.new_context()  # a context each: a renderer process each
                page = await context.new_page()
                await page.goto("about:blank")
                await page.add_script_tag(path=str(bundle))
                while (job := await queue.get()) is not None:
                    spec_text, stem, key = job
                    svg, png_url = await page.evaluate(DRAW, [spec_text, scale])
                    store_images(Path(stem), svg, base64.b64decode(png_url.split(",", 1)[1]), cache, key)
                    results.send(("drawn", stem))
                queue.put_nowait(None)  # the other tab ends too
                await context.close()

            async def second_tab() -> None:
                # while the main process builds pages, one tab: the two cores are the build's and this tab's; once
                # every chart is sent and some wait, a second tab takes the other core
                await all_sent.wait()
                if queue.qsize() > SECOND_TAB_BACKLOG:
                    await tab()

            await asyncio.gather(tab(), second_tab())
        finally:
            await browser.close()
