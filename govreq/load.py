"""Parse every archived document the warehouse has not loaded, load it, and rebuild the derived tables: the
second half of `govreq update` (govreq/update.py), which imports this module while its crawl child runs (pyarrow,
DuckDB, the parsers and the registry take about 0.4 s to import).

Where the time goes (bench/update_corpus.py): parsing runs in worker processes, which also turn each document's
facts into the Arrow batch the warehouse inserts, so the main process only stores. Documents are loaded series by
series, and a series' current figures are recomputed once when its last document is in (the documents mark the
series stale in their own transactions, so a kill before that leaves the mark for the next update), not once per
document.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from crawlers.archive import Archive, FetchRecord
from crawlers.registry import load_registry
from govreq.paths import db_path
from govreq.update import DocumentOutcome, StageHook, UpdateSummary
from parsers.catalogue import parser_for, read_document, reader_for
from parsers.facts import Document, ParseError
from parsers.formats.interpreter import Finding
from warehouse import disclosure, restatements, store


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


def _downloads(archive: Archive, records: Iterable[FetchRecord], first_line: int) -> list[dict]:
    """The report files these fetch-log records say were downloaded (archived_downloads rows), one per sha256 at
    its first such record; landing pages and checked pages are evidence, not reports to parse."""
    seen: dict[str, dict] = {}
    for i, r in enumerate(records):
        if not r.sha256 or r.outcome not in ("new", "unchanged") or r.sha256 in seen or r.purpose != "download":
            continue
        seen[r.sha256] = {
            "sha256": r.sha256, "log_line": first_line + i, "company": r.company, "series": r.series,
            "url": r.url, "fetched_at": r.fetched_at, "last_modified": r.last_modified,
            "content_type": r.content_type or "",
            "archive_path": str(archive.blob_path(r.sha256).relative_to(archive.root.parent)),
            "bytes": r.bytes or 0,
        }
    return list(seen.values())


def _read_fetch_log(con: object, archive: Archive) -> None:
    """Store the fetch-log lines appended since the last update (all of them when the log was rewritten or the
    warehouse has never read it), with the downloads they name."""
    at = store.fetch_log_position(con)
    if at is None or not archive.log_line_is(at.last_line_start, at.bytes, at.last_line_sha256):
        at = store.LogPosition(0, 0, 0, "")
    read = archive.records_from(at.bytes)
    if not read.records and read.end == at.bytes and at.bytes:
        return
    position = store.LogPosition(read.end, at.lines + read.lines, read.last_line_start, read.last_line_sha256) \
        if read.lines else at
    store.store_fetch_log_lines(con, [r.as_dict() for r in read.records],
                                _downloads(archive, read.records, at.lines), position)


# (document, its metadata as stored, its facts as the warehouse's Arrow batch (store.facts_table), status, error,
# findings). The metadata names the parser, so it is made in the worker: the main process never imports the
# parser modules (0.8 s)
Parsed = tuple[PendingDocument, store.DocumentMeta, pa.Table | None, str, str, list[Finding]]


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
    meta = _meta(pending)
    if reader_for(pending.company, pending.series) is None:
        return pending, meta, None, "no_parser", f"no parser for {pending.company}/{pending.series}", []
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
        batch = store.facts_table(meta, reading.facts) if reading.facts else None
        return pending, meta, batch, reading.status, "", reading.findings
    except ParseError as e:
        return pending, meta, None, "failed", str(e), []
    except Exception as e:  # a parser bug must not lose the rest of the update
        detail = traceback.format_exception_only(type(e), e)[-1].strip()
        return pending, meta, None, "failed", f"{doc.name}: parser crashed: {detail}", []


def load_archive(data_dir: Path, summary: UpdateSummary, *, mirror: Path | None, as_of: dt.date | None,
                 workers: int | None, progress: Callable[[str, int, int], None] | None,
                 stage: StageHook) -> None:
    """Store the fetch log, parse and load every pending document (its outcome into `summary`), then rebuild
    the derived tables. The caller holds the update lock."""
    archive = Archive(data_dir / "archive")
    con = store.open_warehouse(db_path(data_dir))
    try:
        load_started = dt.datetime.now(dt.UTC)
        _read_fetch_log(con, archive)
        # series by series (oldest fetch first within one), so each series' current figures are recomputed
        # once, when its last document is stored
        pending = [PendingDocument(**row) for row in store.pending_downloads(con)]
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
            for i, (p, meta, batch, status, error, findings) in enumerate(results, start=1):
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


def _rebuild_derived(con: object) -> dict[str, int]:
    """Tables derived from the facts: disclosure levels (rebuilt whole) and the restatement ledger (new pairs only)."""
    counts: dict[str, int] = {}
    counts["restatements"] = restatements.rebuild(con)
    counts["disclosure_levels"] = disclosure.rebuild(con, load_registry())
    return counts


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
