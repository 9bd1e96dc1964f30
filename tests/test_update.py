"""End to end: `govreq update` on the recorded mirror, through real HTTP on 127.0.0.1, into a DuckDB file.

Covers the backbone's promises: a second run changes nothing, an as-of replay keeps both versions of a report,
a kill -9 mid-update leaves whole documents only, and a second concurrent update touches nothing.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.corpus import captures, require_corpus

GOVREQ = [sys.executable, "-m", "govreq.cli"]


def run_govreq(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([*GOVREQ, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"govreq {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def facts_fingerprint(db: Path) -> tuple[int, int, str]:
    """Row counts and a checksum of every stored fact and document: equal fingerprints mean nothing changed."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        n_facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
        rows = con.execute(
            "SELECT document_sha256, fact_key, value, value_low, value_high, status, raw_text FROM facts "
            "ORDER BY document_sha256, fact_key"
        ).fetchall()
        docs = con.execute("SELECT sha256, parse_status, fact_count FROM documents ORDER BY sha256").fetchall()
    finally:
        con.close()
    h = hashlib.sha256(repr((rows, docs)).encode()).hexdigest()
    return n_docs, n_facts, h


def archive_fingerprint(data_dir: Path) -> dict[str, str]:
    blobs = data_dir / "archive" / "blobs"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(blobs.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def google_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    corpus = require_corpus()
    data = tmp_path_factory.mktemp("google")
    run_govreq("update", "--mirror", str(corpus), "--as-of", "2020-01-01", "--only", "google", "--data-dir", str(data))
    first = facts_fingerprint(data / "govreq.duckdb")
    run_govreq("update", "--mirror", str(corpus), "--only", "google", "--data-dir", str(data))
    return data, Path(str(first))


def test_as_of_replay_keeps_both_google_releases(google_dirs: tuple[Path, Path]) -> None:
    data, _ = google_dirs
    shas = {c.sha256 for c in captures() if c.url.endswith("google-user-data-requests.zip")}
    assert len(shas) == 2
    con = duckdb.connect(str(data / "govreq.duckdb"), read_only=True)
    try:
        loaded = con.execute(
            "SELECT sha256, fact_count FROM documents WHERE series = 'user-data-requests' AND parse_status = 'loaded'"
        ).fetchall()
        assert {s for s, _ in loaded} == shas
        # the first release's facts are still there, whole
        for sha, count in loaded:
            n = con.execute("SELECT count(*) FROM facts WHERE document_sha256 = ?", [sha]).fetchall()[0][0]
            assert n == count > 0
        # current facts come from the newest release only
        cur = con.execute(
            "SELECT DISTINCT document_sha256 FROM current_facts WHERE series = 'user-data-requests'"
        ).fetchall()
        newest = next(c.sha256 for c in captures()
                      if c.url.endswith("google-user-data-requests.zip") and c.captured_at == "2022-02-25")
        assert cur == [(newest,)]
    finally:
        con.close()


def test_second_run_downloads_nothing_and_changes_nothing(google_dirs: tuple[Path, Path]) -> None:
    data, _ = google_dirs
    corpus = require_corpus()
    before_facts = facts_fingerprint(data / "govreq.duckdb")
    before_blobs = archive_fingerprint(data)
    proc = run_govreq("update", "--mirror", str(corpus), "--only", "google", "--data-dir", str(data))
    assert " 0 fetched new" in proc.stderr, proc.stderr
    assert "facts loaded: 0" in proc.stderr, proc.stderr
    assert facts_fingerprint(data / "govreq.duckdb") == before_facts
    assert archive_fingerprint(data) == before_blobs
    con = duckdb.connect(str(data / "govreq.duckdb"), read_only=True)
    try:
        outcomes = dict(con.execute(
            "SELECT outcome, count(*) FROM fetches WHERE fetched_at = (SELECT max(fetched_at) FROM fetches) "
            "GROUP BY 1").fetchall())
    finally:
        con.close()
    assert "new" not in outcomes


PAUSED_UPDATE = Path(__file__).resolve().parent / "paused_update.py"


def _start_paused_update(data: Path, marker: Path, stage: str, only: str) -> subprocess.Popen:
    """`govreq update` standing still for 30 s at `stage` (govreq.update's on_stage hook), once `marker` exists."""
    corpus = require_corpus()
    return subprocess.Popen(
        [sys.executable, str(PAUSED_UPDATE), "--stage", stage, "--marker", str(marker), "--seconds", "30",
         "--mirror", str(corpus), "--only", only, "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_for(marker: Path, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"update ended before the pause: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("update never reached the pause")
        time.sleep(0.1)


def test_kill_9_mid_update_leaves_whole_documents(tmp_path: Path) -> None:
    require_corpus()
    data = tmp_path / "data"
    marker = tmp_path / "paused"
    proc = _start_paused_update(data, marker, "after_document", "meta")
    _wait_for(marker, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    db = data / "govreq.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT sha256, fact_count FROM documents WHERE parse_status = 'loaded'").fetchall()
        assert len(docs) >= 1  # the pause came after a committed document
        for sha, count in docs:
            n = con.execute("SELECT count(*) FROM facts WHERE document_sha256 = ?", [sha]).fetchall()[0][0]
            assert n == count, f"document {sha[:12]} is partial: {n} of {count} facts"
        orphans = con.execute(
            "SELECT count(*) FROM facts WHERE document_sha256 NOT IN (SELECT sha256 FROM documents)"
        ).fetchall()[0][0]
        assert orphans == 0
    finally:
        con.close()
    for name, digest in archive_fingerprint(data).items():
        assert name == digest, f"archived blob {name} does not match its hash"
    # the next update finishes the job and ends where an uninterrupted one would
    run_govreq("update", "--mirror", str(require_corpus()), "--only", "meta", "--data-dir", str(data))
    clean = tmp_path / "clean"
    run_govreq("update", "--mirror", str(require_corpus()), "--only", "meta", "--data-dir", str(clean))
    assert facts_fingerprint(db)[:2] == facts_fingerprint(clean / "govreq.duckdb")[:2]
    assert facts_fingerprint(db)[2] == facts_fingerprint(clean / "govreq.duckdb")[2]


def test_concurrent_update_says_so_and_touches_nothing(tmp_path: Path) -> None:
    require_corpus()
    data = tmp_path / "data"
    run_govreq("update", "--mirror", str(require_corpus()), "--only", "github", "--data-dir", str(data))
    marker = tmp_path / "paused"
    first = _start_paused_update(data, marker, "before_load", "github")
    try:
        _wait_for(marker, first)
        before = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file() and p.name != ".govreq-update.lock"}
        second = run_govreq("update", "--mirror", str(require_corpus()), "--only", "github", "--data-dir", str(data),
                            check=False)
        assert second.returncode == 3
        assert "another govreq update is running" in second.stderr
        after = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file() and p.name != ".govreq-update.lock"}
        assert after == before
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)


def test_restatements_command_lists_what_the_two_google_releases_differ_by(google_dirs: tuple[Path, Path]) -> None:
    """Replaying as of 2020-01-01 then today: `govreq restatements` equals a direct comparison of the releases."""
    import csv as csv_module
    import io

    from parsers.series import google_user_data
    from tests.corpus import document
    from tests.test_restatements import _expected_changes

    data, _ = google_dirs
    out = run_govreq("restatements", "--format", "csv", "--data-dir", str(data)).stdout
    rows = list(csv_module.DictReader(io.StringIO(out)))
    required = {"company", "series", "period_start", "period_end", "country_iso2", "request_type_raw", "metric",
                "kind", "old_raw_text", "new_raw_text", "old_document_sha256", "new_document_sha256"}
    assert rows and required <= set(rows[0])
    old = google_user_data.parse(document("google-user-data-requests.zip", "2019-04-14"))
    new = google_user_data.parse(document("google-user-data-requests.zip", "2022-02-25"))
    expected = _expected_changes(old, new)
    got = {(r["kind"], r["period_start"], r["period_end"], r["metric"]) for r in rows
           if r["series"] == "user-data-requests"}
    assert got == {(kind, str(k[0]), str(k[1]), k[4]) for kind, k in expected}
    assert len([r for r in rows if r["series"] == "user-data-requests"]) == len(expected)
    assert {r["old_document_sha256"] for r in rows} == {old[0].document_sha256}
    assert {r["new_document_sha256"] for r in rows} == {new[0].document_sha256}
