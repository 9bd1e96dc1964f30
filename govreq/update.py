"""`govreq update`: crawl, then parse every archived document not yet in the warehouse, then rebuild derived tables.

This is the only place that wires the stages together. Each stage talks to the next through files on disk: the
crawl writes the archive (blobs + fetch log); parsing reads archived bytes; the warehouse stores one transaction per
document. A kill at any point therefore leaves whole documents only, and the next update carries on.

Where the time goes (bench/update_corpus.py): parsing runs in worker processes, which also turn each document's
facts into the Arrow batch the warehouse inserts, so the main process only stores. Documents are loaded series by
series, and a series' current figures are recomputed once when its last document is in (the documents mark the
series stale in their own transactions, so a kill before that leaves the mark for the next update), not once per
document.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from crawlers.archive import Archive
from crawlers.crawl import CrawlSummary, run_crawl
from crawlers.registry import load_registry
from govreq.lock import update_lock
from govreq.paths import db_path
from parsers.catalogue import parser_for, read_document, reader_for
from parsers.facts import Document, ParseError
from parsers.formats.interpreter import Finding
from warehouse import disclosure, restatements, store


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
        return [d for d in self.documents if d.status in store.WITH_FACTS]

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


@dataclass(frozen=True)
class PendingDocument:
    sha256: str
    company: str
    series: str
    url: str
    fetched_at: str
    last_modified: str | None
    content_type: str
    archive_path: str
    bytes: int


def _pending(archive: Archive, records: Iterable[dict], done: set[str]) -> list[PendingDocument]:
    """Documents in the archive that the warehouse has not loaded, oldest fetch first, one per sha256."""
    seen: dict[str, PendingDocument] = {}
    for r in records:
        sha = r.get("sha256")
        if not sha or r.get("outcome") not in ("new", "unchanged") or sha in done or sha in seen:
            continue
        if r.get("purpose", "download") != "download":
            continue  # landing pages and checked pages are evidence, not reports to parse
        seen[sha] = PendingDocument(
            sha256=sha,
            company=r["company"],
            series=r["series"],
            url=r["url"],
            fetched_at=r["fetched_at"],
            last_modified=r.get("last_modified"),
            content_type=r.get("content_type") or "",
            archive_path=str(archive.blob_path(sha).relative_to(archive.root.parent)),
            bytes=r.get("bytes") or 0,
        )
    return list(seen.values())


# (document, its facts as the warehouse's Arrow batch (store.facts_table), status, error, findings)
Parsed = tuple[PendingDocument, pa.Table | None, str, str, list[Finding]]
# Called with a stage name where an update can be stopped and must lose nothing stored: "before_load" (the
# fetch log is stored, no document yet), "after_document" (one document's transaction committed).
StageHook = Callable[[str], None]


def _meta(p: PendingDocument) -> store.DocumentMeta:
    return store.DocumentMeta(
        sha256=p.sha256, company=p.company, series=p.series, url=p.url,
        first_fetched_at=_parse_time(p.fetched_at) or dt.datetime.now(dt.UTC),
        last_modified=_parse_time(p.last_modified), content_type=p.content_type,
        bytes=p.bytes, archive_path=p.archive_path,
        parser=(m.__module__ if (m := parser_for(p.company, p.series)) else None),
    )


def _parse_one(args: tuple[PendingDocument, str]) -> Parsed:
    """Parse one archived document and build its facts' Arrow batch (runs in a worker process).
    Returns (doc, batch, status, error, findings)."""
    pending, archive_root = args
    if reader_for(pending.company, pending.series) is None:
        return pending, None, "no_parser", f"no parser for {pending.company}/{pending.series}", []
    archive = Archive(Path(archive_root))
    doc = Document(
        data=archive.read(pending.sha256),
        sha256=pending.sha256,
        url=pending.url,
        company=pending.company,
        series=pending.series,
        fetched_at=pending.fetched_at,
        content_type=pending.content_type,
        archive_path=pending.archive_path,
    )
    try:
        reading = read_document(doc)
        # e.g. a parser emitting one cell twice raises ParseError here: the document is refused
        batch = store.facts_table(_meta(pending), reading.facts) if reading.facts else None
        return pending, batch, reading.status, "", reading.findings
    except ParseError as e:
        return pending, None, "failed", str(e), []
    except Exception as e:  # a parser bug must not lose the rest of the update
        detail = traceback.format_exception_only(type(e), e)[-1].strip()
        return pending, None, "failed", f"{doc.name}: parser crashed: {detail}", []


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


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None


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
        crawl_summary = run_crawl(data_dir, mirror=mirror, as_of=as_of, only=only) if crawl else None
        archive = Archive(data_dir / "archive")
        records = [r.as_dict() for r in archive.records()]
        summary = UpdateSummary(crawl=crawl_summary)
        con = store.open_warehouse(db_path(data_dir))
        try:
            load_started = dt.datetime.now(dt.UTC)
            store.load_fetch_log(con, records)
            loaded = store.loaded_documents(con)
            # series by series (oldest fetch first within one), so each series' current figures are recomputed
            # once, when its last document is stored
            pending = sorted(_pending(archive, records, loaded), key=lambda p: (p.company, p.series))
            stage("before_load")
            jobs = [(p, str(archive.root)) for p in pending]
            n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
            results: Iterable[Parsed]
            if n_workers > 1 and len(jobs) > 1:
                pool = ProcessPoolExecutor(max_workers=n_workers)
                results = pool.map(_parse_one, jobs, chunksize=1)
            else:
                pool = None
                results = map(_parse_one, jobs)
            try:
                for i, (p, batch, status, error, findings) in enumerate(results, start=1):
                    meta = _meta(p)
                    try:
                        n = store.load_document(con, meta, batch, error=error or None, status=status,
                                                findings=findings, defer_current=True)
                    except ParseError as e:  # e.g. a loaded document without facts: refuse the document
                        status, error, findings = "failed", str(e), []
                        n = store.load_document(con, meta, None, error=error, status=status)
                    summary.documents.append(DocumentOutcome(p.sha256, p.company, p.series, p.url, status, n, error,
                                                             [f.message for f in findings]))
                    if progress:
                        progress(f"{p.company}/{p.series}", i, len(jobs))
                    if i == len(jobs) or (jobs[i][0].company, jobs[i][0].series) != (p.company, p.series):
                        store.refresh_stale_current(con)  # the series' last document is in
                    stage("after_document")
            finally:
                if pool is not None:
                    pool.shutdown(cancel_futures=True)
            store.refresh_stale_current(con)  # series a killed update left stale
            summary.derived = _rebuild_derived(con)
            store.record_load(
                con, started_at=load_started, finished_at=dt.datetime.now(dt.UTC),
                documents_new=len(summary.parsed), facts_new=summary.facts_loaded,
                mirror=str(mirror) if mirror else None, as_of=as_of,
            )
        finally:
            con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _rebuild_derived(con: object) -> dict[str, int]:
    """Tables derived from the facts: disclosure levels (rebuilt whole) and the restatement ledger (new pairs only)."""
    counts: dict[str, int] = {}
    counts["restatements"] = restatements.rebuild(con)
    counts["disclosure_levels"] = disclosure.rebuild(con, load_registry())
    return counts

