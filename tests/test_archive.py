"""The sha256 archive and its fetch log: content addressing, atomic blobs, a log that survives a kill."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from crawlers import archive as archive_module
from crawlers.archive import Archive, ArchiveCorrupted

URL = "https://example.org/report.csv"  # synthetic: no request is made, the bytes are made up below
WHO = {"company": "example", "series": "report"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blobs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "blobs").rglob("*") if p.is_file())


def test_same_bytes_twice_is_one_blob_and_unchanged(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    first = archive.store_response(URL, b"a,b\n1,2\n", headers={"ETag": '"v1"'}, **WHO)
    second = archive.store_response(URL, b"a,b\n1,2\n", headers={"ETag": '"v1"'}, **WHO)
    assert (first.outcome, second.outcome) == ("new", "unchanged")
    assert first.sha256 == second.sha256 == sha(b"a,b\n1,2\n")
    assert blobs(archive.root) == [archive.root / "blobs" / first.sha256[:2] / first.sha256]
    assert archive.read(first.sha256) == b"a,b\n1,2\n"
    assert [r.outcome for r in archive.records()] == ["new", "unchanged"]


def test_new_version_at_same_url_keeps_both(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    old = archive.store_response(
        URL, b"v1", headers={"etag": '"e1"', "Last-Modified": "Sun, 14 Apr 2019 00:00:00 GMT"}, **WHO
    )
    assert archive.validators(URL) == ('"e1"', "Sun, 14 Apr 2019 00:00:00 GMT")
    new = archive.store_response(URL, b"v2", headers={"ETag": '"e2"'}, **WHO)
    assert (old.outcome, new.outcome) == ("new", "new")
    assert {p.name for p in blobs(archive.root)} == {sha(b"v1"), sha(b"v2")}
    # validators follow the newest 200, also for a fresh Archive reading the log from disk
    assert archive.validators(URL) == ('"e2"', None)
    assert Archive(archive.root).validators(URL) == ('"e2"', None)
    assert archive.validators("https://example.org/other") == (None, None)


def test_log_fields_and_non_200_outcomes(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.store_response(
        URL,
        b"x",
        final_url=URL + "?r=1",
        via_mirror="/m",
        purpose="landing",
        headers={"Content-Type": "text/csv", "ETag": '"e0"'},
        **WHO,
    )
    archive.record_not_modified(URL, headers={"ETag": '"e"'}, **WHO)
    archive.record_failure(URL, "DNSLookupError: no such host", **WHO)
    lines = [json.loads(line) for line in archive.log_path.read_text().splitlines()]
    assert set(lines[0]) >= {
        "url",
        "final_url",
        "fetched_at",
        "http_status",
        "outcome",
        "sha256",
        "bytes",
        "company",
        "series",
        "etag",
        "last_modified",
        "content_type",
        "headers",
        "error",
        "via_mirror",
    }
    assert (lines[0]["final_url"], lines[0]["content_type"], lines[0]["bytes"], lines[0]["via_mirror"]) == (
        URL + "?r=1",
        "text/csv",
        1,
        "/m",
    )
    assert lines[0]["fetched_at"].endswith("+00:00")
    assert [(r["outcome"], r["http_status"]) for r in lines] == [
        ("new", 200),
        ("not_modified", 304),
        ("failed", None),
    ]
    assert lines[2]["error"] == "DNSLookupError: no such host" and lines[2]["sha256"] is None
    # a 304 or a failure does not replace the validators of the archived version
    assert archive.validators(URL) == ('"e0"', None)
    with pytest.raises(ValueError, match="purpose"):
        archive.record_failure(URL, "x", purpose="bogus", **WHO)


def test_blob_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer killed between writing and renaming leaves no blob under the hash name and no log line."""
    archive = Archive(tmp_path / "archive")

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt("simulated kill before the rename")

    monkeypatch.setattr(archive_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        archive.store_response(URL, b"partial", **WHO)
    monkeypatch.undo()
    assert not archive.has(sha(b"partial"))
    assert archive.records() == []
    leftovers = list((archive.root / "blobs").rglob(".*.tmp"))
    assert len(leftovers) == 1  # the temporary file, invisible under any hash name
    # the next crawl sweeps temporary files whose writer is gone (pid of a process that cannot exist)
    leftovers[0].rename(leftovers[0].with_name(f".{sha(b'partial')}.999999999.tmp"))
    assert archive.remove_partial_writes() == 1
    assert list((archive.root / "blobs").rglob(".*.tmp")) == []
    assert archive.store_response(URL, b"partial", **WHO).outcome == "new"
    assert archive.read(sha(b"partial")) == b"partial"


def test_truncated_last_log_line_is_ignored_and_the_log_goes_on(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.store_response(URL, b"one", **WHO)
    archive.store_response(URL, b"two", **WHO)
    full = archive.log_path.read_bytes()
    archive.log_path.write_bytes(full[: len(full) - 20])  # a kill -9 in the middle of writing line 2
    reopened = Archive(archive.root)
    assert [r.sha256 for r in reopened.records()] == [sha(b"one")]
    assert reopened.skipped_lines == 1
    # appending after the damage starts a fresh line, so the new record is readable too
    reopened.store_response(URL, b"three", **WHO)
    assert [r.sha256 for r in Archive(archive.root).records()] == [sha(b"one"), sha(b"three")]


def test_read_detects_a_corrupted_blob(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    digest = archive.store_response(URL, b"original", **WHO).sha256
    assert digest is not None
    path = archive.blob_path(digest)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    with pytest.raises(ArchiveCorrupted, match=digest):
        archive.read(digest)


def test_validators_skip_a_version_whose_blob_is_missing(tmp_path: Path) -> None:
    """Without the bytes a 304 would never bring them back, so no conditional request is made."""
    archive = Archive(tmp_path / "archive")
    digest = archive.store_response(URL, b"gone", headers={"ETag": '"g"'}, **WHO).sha256
    assert digest is not None and archive.validators(URL) == ('"g"', None)
    archive.blob_path(digest).unlink()
    assert archive.validators(URL) == (None, None)


def test_opening_an_archive_writes_nothing(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    assert archive.records() == [] and archive.validators(URL) == (None, None)
    assert not (tmp_path / "archive").exists()


def test_records_read_again_bring_only_what_was_appended(tmp_path: Path) -> None:
    """One Archive reads its log once; a later records() parses the lines appended since, by this Archive or
    another writer, and a log that shrank (replaced) is read again from the start."""
    archive = Archive(tmp_path / "archive")
    archive.store_response(URL, b"one", **WHO)
    assert [r.sha256 for r in archive.records()] == [sha(b"one")]
    Archive(archive.root).store_response(URL, b"two", **WHO)  # another writer appends
    archive.store_response(URL, b"three", **WHO)
    assert [r.sha256 for r in archive.records()] == [sha(b"one"), sha(b"two"), sha(b"three")]
    assert archive.records() == Archive(archive.root).records()
    lines = archive.log_path.read_bytes().splitlines(keepends=True)
    archive.log_path.write_bytes(lines[2])  # the log replaced by a shorter one
    assert [r.sha256 for r in archive.records()] == [sha(b"three")]
