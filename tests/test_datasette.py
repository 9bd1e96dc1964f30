"""`govreq export --sqlite`: a real Datasette on 127.0.0.1 serves the SQLite copy and its canned queries."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_views import con as views_con  # noqa: F401  (the synthetic warehouse of the views' tests)
from warehouse.datasette_export import METADATA_NAME, SQLITE_NAME, metadata, write_sqlite
from warehouse.export import export

DATASETTE = Path(sys.executable).with_name("datasette")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - 127.0.0.1 only
        return json.load(r)


@pytest.fixture
def exported(views_con, tmp_path):  # noqa: F811
    out = tmp_path / "export"
    export(views_con, out)
    summary = write_sqlite(views_con, out)
    return views_con, out, summary


def test_sqlite_holds_the_current_facts_documents_and_views_exactly(exported):
    con, out, summary = exported
    db = sqlite3.connect(out / SQLITE_NAME)
    n_facts = con.execute("SELECT count(*) FROM read_parquet(?)", [str(out / "facts.parquet")]).fetchone()[0]
    assert summary.tables["facts"] == n_facts == db.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    assert {"documents", "disclosure_levels", "government_asks", "requests_by_company_period"} <= set(summary.tables)
    # a blank stays a blank (NULL value, empty raw_text), a suppressed figure stays an interval
    blank = db.execute("SELECT value, status, raw_text FROM facts WHERE company='beta' AND country_raw='Chile'"
                       ).fetchall()
    assert blank == [(None, "not_reported", "")]
    suppressed = db.execute("SELECT value, value_low, value_high, raw_text FROM facts WHERE raw_text='<10'").fetchall()
    assert suppressed == [(None, 1.0, 9.0, "<10")]
    db.close()
    meta = json.loads((out / METADATA_NAME).read_text(encoding="utf-8"))
    tables = meta["databases"]["govreq"]["tables"]
    assert "never a midpoint" in tables["facts"]["columns"]["value"]
    assert all(t["license"] and t["source"] for t in tables.values())
    assert "figures_for_country" in meta["databases"]["govreq"]["queries"]


def test_metadata_offers_canned_queries_only_for_tables_it_has():
    assert set(metadata({"facts": 1})["databases"]["govreq"]["queries"]) == {"figures_for_country"}


def test_datasette_serves_a_canned_query_on_localhost(exported):
    if not DATASETTE.exists():
        pytest.fail(f"datasette is not installed beside {sys.executable} (it is a test dependency)")
    con, out, _ = exported
    port = _free_port()
    proc = subprocess.Popen([str(DATASETTE), "serve", SQLITE_NAME, "-m", METADATA_NAME, "--host", "127.0.0.1",
                             "--port", str(port), "--setting", "default_page_size", "1000"],
                            cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("datasette did not start: " + proc.stdout.read().decode()[-2000:]) from None
                time.sleep(0.2)
        rows = _get(f"{base}/govreq/figures_for_country.json?country=DE&_shape=array")
        expected = con.execute("SELECT count(*) FROM read_parquet(?) WHERE country_iso2 = 'DE'",
                               [str(out / "facts.parquet")]).fetchone()[0]
        assert len(rows) == expected > 0
        assert {r["raw_text"] for r in rows} >= {"100", "7"}
        assert all(r["source_url"].startswith("http") and len(r["document_sha256"]) == 64 for r in rows)
        table = _get(f"{base}/govreq/facts.json?_shape=array&_size=5")
        assert len(table) == 5
        meta = _get(f"{base}/-/metadata.json")
        assert meta["databases"]["govreq"]["tables"]["facts"]["title"] == "Current figures"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
