"""The immutable archive: downloaded bytes stored once by sha256, and an append-only log of every fetch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LOG_NAME = "fetch-log.jsonl"
# What a crawl needs of the log (the newest outcome and the newest archived 200 per URL), as of a byte offset of
# it: written at each crawl's end, so the next crawl reads only the lines appended since instead of a log that
# grows by a few hundred lines every run. Derived data: a missing, damaged or outdated file is rebuilt from the log.
STATE_NAME = "fetch-log-state.json"
# Every fetch-log line is written through to the OS at once (a killed crawler loses nothing). Forcing it to the disk
# (fsync) guards only against a power cut or kernel crash: a line announcing a new version is synced at once, the
# others (unchanged, 304, not published, failed) at most this many seconds later and when the crawl ends
# (`Archive.sync`). A power cut can so lose at most a second of re-checks, which the next crawl repeats; syncing
# each of a no-op replay's 292 lines cost 2 s.
SYNC_EVERY_SECONDS = 1.0
# not_published: a URL a series' naming pattern predicts answered 404/410: that period is not out (yet), no failure.
OUTCOMES = ("new", "unchanged", "not_modified", "failed", "not_published")
# What a fetch was for: a report file to parse, the page that links to it, or a page checked for a report.
PURPOSES = ("download", "landing", "checked")


class ArchiveCorrupted(RuntimeError):
    """An archived blob no longer hashes to its name: the archive is damaged; never parse it silently."""


@dataclass(frozen=True)
class FetchRecord:
    """One line of the fetch log: one attempt to fetch one URL."""

    url: str
    fetched_at: str
    outcome: str
    company: str
    series: str
    final_url: str | None = None
    http_status: int | None = None
    sha256: str | None = None
    bytes: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    via_mirror: str | None = None  # the mirror folder when replayed offline, else None
    purpose: str = "download"

    def as_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies every value: 2 s of CPU for a corpus fetch log of 5,000 lines
        return {name: dict(self.headers) if name == "headers" else getattr(self, name) for name in _RECORD_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FetchRecord:
        return cls(**{k: v for k, v in data.items() if k in _KNOWN_FIELDS})


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(FetchRecord))
_KNOWN_FIELDS = frozenset(_RECORD_FIELDS)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header value looked up case-insensitively (servers and Scrapy disagree on case)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class LogSlice:
    """What Archive.records_from read: the records, the byte offset after the last whole line, how many whole
    lines, and where the last whole line starts with its sha256 (to check, next time, that the log still has it);
    how many whole lines were no fetch record, and what the last line without its newline was, if any: "record"
    (the last of `records`, not counted as read) or "damaged" (cut short by a kill)."""

    records: list[FetchRecord]
    end: int
    lines: int
    last_line_start: int
    last_line_sha256: str
    damaged: int = 0
    tail: str = ""


class Archive:
    """Blobs at root/blobs/<sha[:2]>/<sha>; the log at root/fetch-log.jsonl. Opening one writes nothing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.log_path = self.root / LOG_NAME
        self.skipped_lines = 0  # undecodable log lines ignored by the last records() call
        self._forget_read()
        self._latest: dict[str, FetchRecord] | None = None  # newest archived 200 per URL, built on first use
        self._outcomes: dict[str, str] = {}  # newest logged outcome per URL, with _latest
        self._state_at: LogSlice | None = None  # how far into the log those two are
        self._log_checked = False
        self._last_sync = time.monotonic()
        self._unsynced = False

    # ---- blobs ---
    def blob_path(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.blob_path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        """The archived bytes, verified against their hash."""
        path = self.blob_path(sha256)
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise ArchiveCorrupted(f"archived blob {path} is corrupted: its content hashes to {actual}")
        return data

    def _write_blob(self, sha256: str, data: bytes) -> bool:
        """Store the bytes unless already there; True when written now. Atomic: all or nothing is seen."""
        path = self.blob_path(sha256)
        if path.exists():
            return False  # content-addressed: the same name means the same bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{sha256}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o444)  # read-only: an archived version is never edited in place
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        return True

    def remove_partial_writes(self) -> int:
        """Delete temporary blob files left by a killed writer (their pid is gone). Returns how many."""
        removed = 0
        for tmp in (self.root / "blobs").glob("*/.*.tmp"):
            try:
                pid = int(tmp.name.rsplit(".", 2)[-2])
                os.kill(pid, 0)
                continue  # its writer is still running
            except (ValueError, ProcessLookupError):
                pass
            except PermissionError:
                continue
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed

    # ---- the fetch log ---
    def _append(self, record: FetchRecord) -> FetchRecord:
        self.root.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record.as_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        with open(self.log_path, "ab") as f:
            if not self._log_checked:
                # A kill mid-write leaves a line without its newline; end it so the next record starts clean.
                if f.tell() > 0:
                    with open(self.log_path, "rb") as r:
                        r.seek(-1, os.SEEK_END)
                        if r.read(1) != b"\n":
                            f.write(b"\n")
                self._log_checked = True
            f.write(line.encode("utf-8"))
            f.flush()
            if record.outcome == "new" or time.monotonic() - self._last_sync >= SYNC_EVERY_SECONDS:
                os.fsync(f.fileno())
                self._last_sync, self._unsynced = time.monotonic(), False
            else:
                self._unsynced = True
        if self._latest is not None:
            self._index(record)
        return record

    def sync(self) -> None:
        """Force the fetch log's lines written so far to the disk (see SYNC_EVERY_SECONDS)."""
        if self._unsynced and self.log_path.exists():
            with open(self.log_path, "rb") as f:
                os.fsync(f.fileno())
            self._last_sync, self._unsynced = time.monotonic(), False

    def _forget_read(self) -> None:
        self._read: list[FetchRecord] = []  # the log's records parsed so far (records()), through byte _read_end
        self._read_end = self._damaged = 0  # and its damaged whole lines

    def records(self) -> list[FetchRecord]:
        """Every logged attempt, oldest first. A line cut short by a kill is skipped.

        The log is read once per Archive: a later call parses only the lines appended since (the log only grows;
        a log that shrank is read again from the start). Reading 6,000 lines costs about 0.3 s."""
        if not self.log_path.exists():
            self._forget_read()
            self.skipped_lines = 0
            return []
        if self.log_path.stat().st_size < self._read_end:
            self._forget_read()
        read = self.records_from(self._read_end)
        whole = read.records[:-1] if read.tail == "record" else read.records
        self._read.extend(whole)
        self._read_end, self._damaged = read.end, self._damaged + read.damaged
        self.skipped_lines = self._damaged + (read.tail == "damaged")
        return self._read + read.records[len(whole):]

    def records_from(self, offset: int) -> LogSlice:
        """The records of the log's whole lines from byte `offset` on (an update reads only what was appended
        since the last one: govreq/load.py), and where those lines end. A last line without its newline is
        returned when it parses (whole, its newline not written yet) but not counted as read, so the next call
        reads it again (the warehouse stores each line once); cut short by a kill, it is skipped. Damaged lines
        are skipped and counted in skipped_lines, with the tail's."""
        if not self.log_path.exists():
            return LogSlice([], 0, 0, 0, "")
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            data = f.read()
        complete = data.rfind(b"\n") + 1
        lines = data[:complete].split(b"\n")[:-1]
        out: list[FetchRecord] = []
        damaged, at = 0, offset
        for raw in lines:
            if raw.strip():
                try:
                    out.append(FetchRecord.from_dict(json.loads(raw)))
                except (ValueError, TypeError):
                    damaged += 1  # not the unterminated tail: a damaged line, say so
                    log.warning("%s: the line at byte %d is not a fetch record; ignored", self.log_path, at)
            at += len(raw) + 1
        tail = ""
        if data[complete:].strip():
            try:
                out.append(FetchRecord.from_dict(json.loads(data[complete:])))
                tail = "record"
            except (ValueError, TypeError):
                tail = "damaged"
        self.skipped_lines = damaged + (tail == "damaged")
        if not lines:
            return LogSlice(out, offset, 0, offset, "", damaged, tail)
        last = lines[-1] + b"\n"
        return LogSlice(out, offset + complete, len(lines), offset + complete - len(last),
                        hashlib.sha256(last).hexdigest(), damaged, tail)

    def log_line_is(self, start: int, end: int, sha256: str) -> bool:
        """Whether the log's bytes [start, end) are still the line that hashed to sha256 (the log only grows;
        one rewritten or replaced is read again from its start)."""
        if not self.log_path.exists() or end <= start:
            return False
        with open(self.log_path, "rb") as f:
            f.seek(start)
            return hashlib.sha256(f.read(end - start)).hexdigest() == sha256

    def _index(self, record: FetchRecord) -> None:
        assert self._latest is not None
        if record.http_status == 200 and record.outcome in ("new", "unchanged") and record.sha256:
            self._latest[record.url] = record

    def _url_state(self) -> dict[str, FetchRecord]:
        """The newest archived 200 per URL (and, in _outcomes, the newest outcome per URL) over the whole log: from
        the state file when it still describes the start of the log, then the lines appended since."""
        if self._latest is None:
            self._latest, self._outcomes, self._state_at = self._read_state()
        read = self.records_from(self._state_at.end if self._state_at else 0)
        for record in read.records:
            self._outcomes[record.url] = record.outcome
            self._index(record)
        if read.lines:
            self._state_at = read
        return self._latest

    def _read_state(self) -> tuple[dict[str, FetchRecord], dict[str, str], LogSlice | None]:
        try:
            state = json.loads((self.root / STATE_NAME).read_text(encoding="utf-8"))
            at = LogSlice([], int(state["end"]), 0, int(state["last_line_start"]), str(state["last_line_sha256"]))
            if state.get("version") == 1 and self.log_line_is(at.last_line_start, at.end, at.last_line_sha256):
                latest = {url: FetchRecord.from_dict(r) for url, r in state["latest"].items()}
                return latest, {str(k): str(v) for k, v in state["outcomes"].items()}, at
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # no state yet, or not one this log has: the whole log is read
        return {}, {}, None

    def newest_outcomes(self) -> dict[str, str]:
        """The newest logged outcome (new, unchanged, not_modified, not_published, failed) per URL."""
        self._url_state()
        return dict(self._outcomes)

    def save_state(self) -> None:
        """Write the state file for the next crawl (atomically; at a crawl's end, after sync())."""
        latest = self._url_state()
        at = self._state_at
        if at is None:
            return
        state = {"version": 1, "end": at.end, "last_line_start": at.last_line_start,
                 "last_line_sha256": at.last_line_sha256, "outcomes": self._outcomes,
                 "latest": {url: r.as_dict() for url, r in latest.items()}}
        tmp = self.root / f".{STATE_NAME}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.root / STATE_NAME)

    def latest(self, url: str) -> FetchRecord | None:
        """The newest logged 200 for `url` whose blob is in the archive."""
        record = self._url_state().get(url) if self._latest is None else self._latest.get(url)
        return record if record is not None and record.sha256 and self.has(record.sha256) else None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the newest archived 200 for `url`, for a conditional request.

        Nothing is returned when that version's blob is missing: a 304 would then never bring the bytes back.
        """
        record = self.latest(url)
        return (record.etag, record.last_modified) if record else (None, None)

    # ---- recording attempts ---
    def store_response(
        self,
        url: str,
        body: bytes,
        *,
        company: str,
        series: str,
        http_status: int = 200,
        final_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        via_mirror: str | None = None,
        purpose: str = "download",
    ) -> FetchRecord:
        """Archive a response body (blob first, then the log line) and return its record: new or unchanged."""
        sha = hashlib.sha256(body).hexdigest()
        existed = self.has(sha)
        if not existed:
            self._write_blob(sha, body)
        return self._log(
            url, headers, validators=True, final_url=final_url or url, http_status=http_status,
            outcome="unchanged" if existed else "new", sha256=sha, bytes=len(body), company=company, series=series,
            via_mirror=via_mirror, purpose=purpose,
        )

    def record_not_modified(
        self,
        url: str,
        *,
        company: str,
        series: str,
        final_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        via_mirror: str | None = None,
        purpose: str = "download",
    ) -> FetchRecord:
        """Log a 304: the server confirmed the archived version is still current."""
        return self._log(
            url, headers, validators=True, final_url=final_url or url, http_status=304, outcome="not_modified",
            company=company, series=series, via_mirror=via_mirror, purpose=purpose,
        )

    def record_not_published(
        self,
        url: str,
        *,
        company: str,
        series: str,
        http_status: int,
        headers: Mapping[str, str] | None = None,
        via_mirror: str | None = None,
    ) -> FetchRecord:
        """Log a pattern probe the server answered 404/410: that period's release is not out (yet)."""
        return self._log(
            url, headers, validators=False, final_url=None, http_status=http_status, outcome="not_published",
            company=company, series=series, error="not published (yet)", via_mirror=via_mirror, purpose="download",
        )

    def record_failure(
        self,
        url: str,
        error: str,
        *,
        company: str,
        series: str,
        http_status: int | None = None,
        final_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        via_mirror: str | None = None,
        purpose: str = "download",
    ) -> FetchRecord:
        """Log an attempt that brought no usable body (HTTP error, DNS, timeout, refused...)."""
        return self._log(
            url, headers, validators=False, final_url=final_url, http_status=http_status, outcome="failed",
            company=company, series=series, error=error, via_mirror=via_mirror, purpose=purpose,
        )

    def _log(self, url: str, headers: Mapping[str, str] | None, *, validators: bool, purpose: str,
             **fields: Any) -> FetchRecord:
        """One fetch-log line. ETag/Last-Modified are kept only where a body was confirmed (200 or 304): they
        drive the next conditional request."""
        headers = dict(headers or {})
        if validators:
            fields["etag"] = _header(headers, "ETag")
            fields["last_modified"] = _header(headers, "Last-Modified")
        return self._append(FetchRecord(
            url=url, fetched_at=utc_now(), content_type=_header(headers, "Content-Type"), headers=headers,
            purpose=_checked_purpose(purpose), **fields,
        ))


def _checked_purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown fetch purpose {purpose!r}; expected one of {PURPOSES}")
    return purpose
