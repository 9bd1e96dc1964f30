"""`govreq update`: crawl, then parse every archived document not yet in the warehouse, then rebuild derived tables.

This is the only place that wires the stages together. Each stage talks to the next through files on disk: the
crawl writes the archive (blobs + fetch log); parsing reads archived bytes; the warehouse stores one transaction per
document. A kill at any point therefore leaves whole documents only, and the next update carries on.

The crawl runs in a child process, started first: this module imports only the standard library and the crawl's
launcher, and the parsing and loading code (govreq/load.py: pyarrow, DuckDB, the parsers, the registry; about
0.4 s) is imported while the child crawls.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawlers.crawl import CrawlSummary, start_crawl
from govreq.lock import update_lock
from govreq.paths import db_path

__all__ = ["DocumentOutcome", "StageHook", "UpdateSummary", "db_path", "update"]


@dataclass
class DocumentOutcome:
    sha256: str
    company: str
    series: str
    url: str
    status: str  # loaded | partial | failed | no_parser | already_loaded
    facts: int = 0
    error: str = ""
    findings: list[str] = field(default_factory=list)  # what a partial load did not read, and why


@dataclass
class UpdateSummary:
    crawl: CrawlSummary | None
    documents: list[DocumentOutcome] = field(default_factory=list)
    seconds: float = 0.0
    derived: dict[str, int] = field(default_factory=dict)

    @property
    def parsed(self) -> list[DocumentOutcome]:
        from warehouse.store import WITH_FACTS  # imported by the loading code by the time there are documents

        return [d for d in self.documents if d.status in WITH_FACTS]

    @property
    def partial(self) -> list[DocumentOutcome]:
        """Documents loaded in part: their facts are in, and their findings say which tables or columns are not."""
        return [d for d in self.documents if d.status == "partial"]

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [d for d in self.documents if d.status == "failed"]

    @property
    def facts_loaded(self) -> int:
        return sum(d.facts for d in self.documents)


# Called with a stage name where an update can be stopped and must lose nothing stored: "before_load" (the
# fetch log is stored, no document yet), "after_document" (one document's transaction committed).
StageHook = Callable[[str], None]


@contextlib.contextmanager
def _ocr_cache(data_dir: Path) -> Iterator[None]:
    """OCR results are memoised in <data-dir>/cache/ocr unless $GOVREQ_OCR_CACHE names another folder."""
    if "GOVREQ_OCR_CACHE" in os.environ:
        yield
        return
    os.environ["GOVREQ_OCR_CACHE"] = str(data_dir / "cache" / "ocr")
    try:
        yield
    finally:
        os.environ.pop("GOVREQ_OCR_CACHE", None)


def update(
    data_dir: Path,
    *,
    mirror: Path | None = None,
    as_of: dt.date | None = None,
    only: list[str] | None = None,
    crawl: bool = True,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    on_stage: StageHook | None = None,
) -> UpdateSummary:
    """Crawl (unless crawl=False), parse what is new, load it, rebuild derived tables. Holds the update lock.

    `on_stage` is called at the points where a stop must lose nothing stored (StageHook); the crash-safety tests
    pause there (tests/paused_update.py)."""
    stage = on_stage or (lambda name: None)
    started = time.perf_counter()
    data_dir = data_dir.resolve()
    with update_lock(data_dir), _ocr_cache(data_dir):
        crawling = start_crawl(data_dir, mirror=mirror, as_of=as_of, only=only) if crawl else None
        try:
            from govreq import load  # imported while the crawl child runs
        except BaseException:
            if crawling:
                crawling.stop()
            raise

        summary = UpdateSummary(crawl=crawling.result() if crawling else None)
        load.load_archive(data_dir, summary, mirror=mirror, as_of=as_of, workers=workers, progress=progress,
                          stage=stage)
    summary.seconds = time.perf_counter() - started
    return summary
