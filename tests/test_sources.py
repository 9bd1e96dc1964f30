"""`govreq sources` after an offline replay of the corpus (Apple, Google, Meta, GitHub), judged as of a fixed day,
and `--check`'s HEAD canary against a loopback server."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from crawlers.registry import Registry, load_registry
from govreq import sources
from govreq.update import db_path
from tests.corpus import require_corpus
from tests.test_update import run_govreq

TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("sources")
    proc = run_govreq("update", "--mirror", str(require_corpus()), "--data-dir", str(data),
                      "--only", "apple,google,meta,github")
    (data / "update-summary.txt").write_text(proc.stderr, encoding="utf-8")
    return data


def test_the_update_summary_states_the_probes_against_their_cap(replayed: Path) -> None:
    summary = (replayed / "update-summary.txt").read_text(encoding="utf-8")
    # Meta's 17 files are listed; its pattern names 10 later half-years (2021-H2 .. 2026-H1) the mirror lacks
    assert "discovery: 10 pattern probes, 10 not published (yet)" in summary
    assert "meta/government-data-requests: 10 probes (cap 30 per run), 0 found, 10 not published (yet)" in summary


def _json(data: Path, *extra: str) -> tuple[int, dict]:
    proc = run_govreq("sources", "--data-dir", str(data), "--today", TODAY, "--format", "json", *extra, check=False)
    return proc.returncode, json.loads(proc.stdout)


def test_apple_google_and_meta_are_overdue_and_the_exit_status_says_so(replayed: Path) -> None:
    code, report = _json(replayed)
    assert code == 1
    rows = {(r["company"], r["series"]): r for r in report["sources"]}
    assert len(rows) == sum(len(c.series) for c in load_registry().companies)  # one row per report series
    for key, held, due in [(("apple", "government-requests"), "2020-H2", "2025-H2"),
                           (("google", "user-data-requests"), "2020-H2", "2025-H2"),
                           (("google", "government-removals"), "2022-H1", "2025-H2"),
                           # Meta's usual delay is 150 days: 2026-H1 (ended 30 June) is due by 27 November
                           (("meta", "government-data-requests"), "2021-H1", "2026-H1")]:
        row = rows[key]
        assert (row["newest_held"], row["due"], row["overdue"], row["status"]) == (held, due, True, "overdue"), key
        assert row["last_document"] == "loaded" and row["broken"] is False
    meta = rows[("meta", "government-data-requests")]
    assert meta["documents"] == "17 loaded"
    by_outcome: dict[str, int] = {}
    for url in meta["urls"]:
        by_outcome[url["outcome"]] = by_outcome.get(url["outcome"], 0) + 1
        assert url["via"] == "mirror" and url["fetched_at"].startswith("20")
    # 17 files, 10 half-years the pattern predicts but the mirror lacks (not published), and the landing page
    assert by_outcome == {"new": 17, "not_published": 10, "failed": 1}
    assert "10 not published (yet)" in meta["last_fetch"] and "1 not in the mirror" in meta["last_fetch"]
    # GitHub's data runs to 2025-H2, which is what is due: not overdue
    github = rows[("github", "requests-to-disclose-user-information")]
    assert (github["newest_held"], github["due"], github["status"]) == ("2025-H2", "2025-H2", "ok")
    assert rows[("x", "information-requests")]["status"] == "ended"
    assert rows[("meta", "government-data-requests")]["drift_findings"] == 0  # Meta's files read whole


def test_table_and_csv_carry_the_same_rows(replayed: Path) -> None:
    proc = run_govreq("sources", "--data-dir", str(replayed), "--today", TODAY, "--format", "csv", check=False)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    meta = next(r for r in rows if r["company"] == "meta")
    assert (meta["newest_held"], meta["due"], meta["status"], meta["last_document"]) == (
        "2021-H1", "2026-H1", "overdue", "loaded")
    table = run_govreq("sources", "--data-dir", str(replayed), "--today", TODAY, check=False)
    assert table.returncode == 1 and "overdue, 0 broken" in table.stdout


def test_a_registry_with_nothing_due_exits_0_and_a_later_day_makes_it_overdue(replayed: Path) -> None:
    github_only = Registry(companies=[load_registry().get("github")])
    con = duckdb.connect(str(db_path(replayed)), read_only=True)
    try:
        now = sources.source_rows(con, github_only, dt.date(2026, 12, 1))
        later = sources.source_rows(con, github_only, dt.date(2027, 7, 1))  # 2026-H2 due by then
    finally:
        con.close()
    assert sources.exit_status(now) == 0 and {r.status for r in now} == {"ok"}
    assert sources.exit_status(later) == 1 and {(r.due, r.overdue) for r in later} == {("2026-H2", True)}


def test_drift_findings_of_the_last_document_are_counted_when_the_table_exists(replayed: Path,
                                                                                tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(db_path(replayed).read_bytes())
    con = duckdb.connect(str(copy))
    try:
        # synthetic findings for Meta's files (schema.sql's drift_findings), and one that is only noted
        con.execute("INSERT INTO drift_findings SELECT sha256, 1, 'member=x.csv', '[]', 3, 'new_measure_column', "
                    "'quarantined', 'New', 'synthetic' FROM documents WHERE company = 'meta'")
        con.execute("INSERT INTO drift_findings SELECT sha256, 2, 'document', '[]', 0, 'publisher_arithmetic', "
                    "'noted', NULL, 'synthetic' FROM documents WHERE company = 'meta'")
        rows = {(r.company, r.series): r for r in sources.source_rows(con, load_registry(), dt.date(2026, 12, 1))}
    finally:
        con.close()
    assert rows[("meta", "government-data-requests")].drift_findings == 1
    assert rows[("apple", "government-requests")].drift_findings == 0


def test_a_failed_live_fetch_is_broken_a_url_missing_from_a_mirror_is_not() -> None:
    assert sources.UrlFetch("https://x.test/a", "failed", 404, "2026-12-01", "live").broken
    assert sources.UrlFetch("https://x.test/a", "failed", None, "2026-12-01", "mirror", "timeout").broken
    assert not sources.UrlFetch("https://x.test/a", "failed", 404, "2026-12-01", "mirror").broken
    assert not sources.UrlFetch("https://x.test/a", "not_published", 404, "2026-12-01", "live").broken


class _Site(BaseHTTPRequestHandler):
    """Synthetic publisher for --check: one file in place, one moved, one gone, one refusing HEAD."""

    methods: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.methods.append(self.command)
        status, headers = {"/ok.csv": (200, {}), "/moved.csv": (301, {"Location": "/new/moved.csv"}),
                           "/nohead.csv": (405, {})}.get(self.path, (404, {}))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # --check must never download
        self.methods.append(self.command)
        self.send_response(500)
        self.end_headers()


def test_check_asks_with_head_only_and_reports_what_moved_or_vanished() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        results = sources.check_urls(
            [("c", "s", f"{base}/{name}") for name in ("ok.csv", "moved.csv", "gone.csv", "nohead.csv")]
            + [("c", "s", f"http://127.0.0.1:{closed}/x.csv")], delay=0, user_agent="govreq-test")
    finally:
        server.shutdown()
        server.server_close()
    assert [(r.result, r.bad) for r in results] == [("ok", False), ("moved", True), ("vanished", True),
                                                    ("refuses HEAD", False), ("unreachable", True)]
    assert results[1].detail == "HTTP 301 to /new/moved.csv"
    assert set(_Site.methods) == {"HEAD"} and len(_Site.methods) == 4
    text = sources.format_check(results, "table")
    assert text.endswith("5 URLs asked with HEAD: 3 moved, vanished or unreachable\n")


def test_known_urls_are_the_registrys_and_the_archived_ones() -> None:
    registry = load_registry()
    urls = sources.known_urls(registry, None)
    meta = [u for c, s, u in urls if (c, s) == ("meta", "government-data-requests")]
    assert "https://transparency.meta.com/reports/government-data-requests/" in meta and len(meta) == 18  # + 17
