"""An update stores only the fetch-log lines appended since the last one (warehouse tables fetch_log_read and
archived_downloads), yet still retries every archived file whose facts are not stored, and reads a rewritten log
again from its start without storing a line twice.

The archives here are synthetic: a few made-up report files recorded through the Archive's own API, for a series
no parser reads (so each document is stored as `no_parser` and stays pending), then `govreq update --no-crawl`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from crawlers.archive import Archive
from govreq.paths import db_path
from govreq.update import update

SERIES = {"company": "synthetic-co", "series": "no-parser-series"}


def _record(archive: Archive, n: int) -> str:
    body = f"synthetic report file {n}\n".encode()
    return archive.store_response(f"https://example.org/report-{n}.csv", body, **SERIES).sha256 or ""


def _counts(data: Path) -> tuple[int, int, int, int]:
    con = duckdb.connect(str(db_path(data)), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM fetches), (SELECT count(DISTINCT fetch_id) FROM fetches), "
            "(SELECT count(*) FROM archived_downloads), (SELECT max(bytes) FROM fetch_log_read)").fetchall()[0]
    finally:
        con.close()


def test_appended_lines_only_and_pending_files_retried(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    first, second = _record(archive, 1), _record(archive, 2)
    summary = update(tmp_path, crawl=False, workers=1)
    assert sorted((d.sha256, d.status) for d in summary.documents) == sorted([(first, "no_parser"),
                                                                             (second, "no_parser")])
    assert _counts(tmp_path) == (2, 2, 2, archive.log_path.stat().st_size)

    # a line read before is not read again: edited in place (the log is append-only; this only shows where the
    # update starts), it would be a third fetch if it were
    log = archive.log_path.read_bytes()
    archive.log_path.write_bytes(log.replace(b"report-1.csv", b"report-X.csv", 1))
    third = _record(Archive(tmp_path / "archive"), 3)
    summary = update(tmp_path, crawl=False, workers=1)
    # all three files are still without facts, so all are parsed again: the first two from the warehouse's list
    # of archived files, not from the one line this update read
    assert sorted(d.sha256 for d in summary.documents) == sorted([first, second, third])
    assert _counts(tmp_path) == (3, 3, 3, archive.log_path.stat().st_size)

    # nothing appended: nothing read, nothing stored twice
    update(tmp_path, crawl=False, workers=1)
    assert _counts(tmp_path) == (3, 3, 3, archive.log_path.stat().st_size)


def test_a_rewritten_log_is_read_again_from_its_start(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    _record(archive, 1)
    _record(archive, 2)
    update(tmp_path, crawl=False, workers=1)
    lines = archive.log_path.read_bytes().splitlines(keepends=True)
    # the log replaced by one whose last line read is not where the warehouse saw it (a restore from a copy that
    # kept one line less, then went on): the update reads it all again
    archive.log_path.write_bytes(lines[0])
    third = _record(Archive(tmp_path / "archive"), 3)
    summary = update(tmp_path, crawl=False, workers=1)
    assert third in {d.sha256 for d in summary.documents}
    fetches, distinct, downloads, read_to = _counts(tmp_path)
    assert (fetches, distinct, downloads) == (3, 3, 3) and read_to == archive.log_path.stat().st_size


def test_a_last_line_without_its_newline_is_stored_once(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    _record(archive, 1)
    line = archive.log_path.read_bytes()
    _record(archive, 2)
    whole = archive.log_path.read_bytes()
    archive.log_path.write_bytes(whole[:-1])  # the second line lost its newline (a kill between the two writes)
    update(tmp_path, crawl=False, workers=1)
    assert _counts(tmp_path)[:3] == (2, 2, 2)
    assert _counts(tmp_path)[3] == len(line)  # read up to the last newline only
    _record(Archive(tmp_path / "archive"), 3)  # the next writer ends the cut line first
    update(tmp_path, crawl=False, workers=1)
    assert _counts(tmp_path) == (3, 3, 3, archive.log_path.stat().st_size)
