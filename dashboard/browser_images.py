"""The PNG and SVG downloads drawn by Vega itself in headless Chromium (Debian's, as the crawl and the browser test
use), from the same Vega bundle the pages load: two tabs of one browser draw every chart, one after another.

Measured on the corpus site (91 charts, 2 cores): vl-convert needed about 65 s of CPU for them (it opens and maps
its font file for every text measurement: 13,500 times for one country grid's SVG); Vega in one Chromium tab lays
them out in 4 s and exports the SVGs in 0.8 s and the PNGs in 3.3 s. A chart page stays offline: the tab opens
about:blank, the bundle is added from the file, and every spec carries its data inline.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Sequence
from pathlib import Path

from crawlers.settings import CHROMIUM_ARGS

TABS = 2
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

# (spec as JSON text, the file stem to write <stem>.svg and <stem>.png to)
Job = tuple[str, Path]


def draw(jobs: Sequence[Job], *, chromium: str, bundle: Path, scale: float,
         done: Callable[[Job, str, bytes], None]) -> None:
    """Draw every job's SVG and PNG; `done(job, svg, png)` is called as each one is drawn (it writes the files).
    Raises on the first chart Vega cannot draw, or when the browser does not start.

    Called once the pages are written: drawing in a thread while they were built was slower (29.0 s against
    26.7 s for the corpus site), the thread's share of the work competing with Altair's for the interpreter."""
    asyncio.run(_draw(list(jobs), chromium, bundle, scale, done))


async def _draw(jobs: list[Job], chromium: str, bundle: Path, scale: float,
                done: Callable[[Job, str, bytes], None]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            async def tab(share: list[Job]) -> None:
                context = await browser.new_context()  # a context each: a renderer process each, both cores
                page = await context.new_page()
                await page.goto("about:blank")
                await page.add_script_tag(path=str(bundle))
                for job in share:
                    svg, png_url = await page.evaluate(DRAW, [job[0], scale])
                    done(job, svg, base64.b64decode(png_url.split(",", 1)[1]))
                await context.close()

            await asyncio.gather(*(tab(jobs[i::TABS]) for i in range(TABS) if jobs[i::TABS]))
        finally:
            await browser.close()
