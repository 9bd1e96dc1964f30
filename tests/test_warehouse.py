"""The DuckDB warehouse: whole documents or nothing, idempotent loads, versions per URL, current facts.

Every fact here is SYNTHETIC (built with parsers.facts.Fact): the warehouse's promises do not depend on any
parser, and a synthetic document can break them on purpose.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from parsers.facts import Fact, Kind, Locator, ParseError, RequestType, Status, Unit
from warehouse import store

UTC = dt.UTC


def sha(n: int) -> str:
    return f"{n:064x}"


def meta(sha256: str, url: str = "https://example.org/report.csv", *, fetched: str = "2022-02-25T10:00:00+00:00",
         last_modified: str | None = None) -> store.DocumentMeta:
    return store.DocumentMeta(
        sha256=sha256, company="examplecorp", series="user-data-requests", url=url,
        first_fetched_at=dt.datetime.fromisoformat(fetched),
        last_modified=dt.datetime.fromisoformat(last_modified) if last_modified else None,
        content_type="text/csv", bytes=1234, archive_path=f"archive/blobs/{sha256[:2]}/{sha256}",
        parser="tests.synthetic",
    )


def fact(doc_sha: str, row: int, *, value: float | None = 10.0, raw: str | None = "10", metric: str = "requests",
         url: str = "https://example.org/report.csv", **changes: object) -> Fact:
    """A synthetic fact: row `row` of column "Requests" of a made-up CSV."""
    fields: dict[str, object] = dict(
        company="examplecorp", series="user-data-requests", period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 6, 30), country_iso2="DE", country_raw="Germany", request_type=RequestType.ALL,
        request_type_raw="All requests", metric=metric, unit=Unit.REQUESTS, value=value, value_low=value,
        value_high=value, status=Status.REPORTED, is_total=False, source_url=url, document_sha256=doc_sha,
        locator=Locator(member="data.csv", row=row, column="Requests"), raw_text=raw,
    )
    fields.update(changes)
    return Fact(**fields)  # type: ignore[arg-type]


def facts_for(doc_sha: str, n: int, *, offset: float = 0.0, url: str = "https://example.org/report.csv") -> list[Fact]:
    return [fact(doc_sha, row, value=row + offset, raw=str(row + offset), url=url) for row in range(2, n + 2)]


def fingerprint(con: duckdb.DuckDBPyConnection) -> tuple[int, int, str]:
    """Row counts and a checksum over every stored fact and document: equal fingerprints mean nothing changed."""
    n_docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    n_facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
    digest = con.execute(
        "SELECT md5(string_agg(CAST(f AS VARCHAR), '\n' ORDER BY document_sha256, fact_key)) FROM facts f"
    ).fetchall()[0][0]
    docs = con.execute(
        "SELECT md5(string_agg(concat_ws('|', sha256, parse_status, fact_count, parse_error), '\n' ORDER BY sha256))"
        " FROM documents").fetchall()[0][0]
    return n_docs, n_facts, f"{digest}/{docs}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "govreq.duckdb"


@pytest.fixture
def con(db_path: Path):
    connection = store.open_warehouse(db_path)
    yield connection
    connection.close()


def test_open_creates_the_file_tables_and_views(db_path: Path) -> None:
    con = store.open_warehouse(db_path)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert db_path.exists()
    assert {"fetches", "documents", "facts", "loads", "document_versions", "current_facts",
            "fact_history"} <= names
    # reopening re-applies the schema and views without error and keeps data
    store.open_warehouse(db_path).close()


def test_sql_files_are_read_by_name() -> None:
    assert "CREATE TABLE IF NOT EXISTS facts" in store.SQL("schema.sql")
    assert store.SQL("views_core") == store.SQL("views_core.sql")
    assert store.view_files()[0].name == "views_core.sql"


def test_loading_a_document_twice_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    facts = facts_for(sha(1), 500)
    assert store.load_document(con, meta(sha(1)), facts) == 500
    before = fingerprint(con)
    assert before[:2] == (1, 500)
    assert store.load_document(con, meta(sha(1)), facts) == 0
    # even a different (buggy) parse of the same bytes cannot replace loaded facts
    assert store.load_document(con, meta(sha(1)), facts_for(sha(1), 3, offset=1)) == 0
    assert store.load_document(con, meta(sha(1)), None, status="failed", error="later failure") == 0
    assert fingerprint(con) == before
    assert store.loaded_documents(con) == {sha(1)}


def test_fact_columns_are_stored_as_values_and_split_locators(con: duckdb.DuckDBPyConnection) -> None:
    f = fact(sha(2), 7, value=None, raw="<10", status=Status.SUPPRESSED, value_low=1.0, value_high=9.0,
             unit=Unit.ACCOUNTS, metric="accounts_specified", request_type=RequestType.EMERGENCY,
             kind=Kind.NATIONAL_SECURITY, locator=Locator(page=3, table=2, row=7, column="Accounts",
                                                          bbox=(10.0, 20.5, 30.25, 40.0)),
             extra={"zeta": "1", "alpha": "ü"}, note="suppressed below 10")
    store.load_document(con, meta(sha(2)), [f])
    row = con.execute(
        "SELECT fact_key, status, unit, request_type, kind, value, value_low, value_high, locator, member, page, "
        "row_number, column_name, bbox, extra, raw_text FROM facts").fetchall()[0]
    assert row == (
        'page=3;table=2;row=7;column=Accounts;bbox=10.0,20.5,30.2,40.0|accounts_specified|alpha=ü;zeta=1',
        "suppressed", "accounts", "emergency", "national-security", None, 1.0, 9.0,
        "page=3;table=2;row=7;column=Accounts;bbox=10.0,20.5,30.2,40.0", None, 3, 7, "Accounts",
        "10.0,20.5,30.25,40.0", '{"alpha": "ü", "zeta": "1"}', "<10",
    )
    assert json.loads(row[14]) == {"alpha": "ü", "zeta": "1"}


def test_two_versions_of_one_url_are_both_kept_and_only_the_newest_is_current(
    con: duckdb.DuckDBPyConnection,
) -> None:
    url = "https://example.org/report.csv"
    store.load_document(con, meta(sha(10), url, fetched="2020-01-01T00:00:00+00:00"), facts_for(sha(10), 40))
    store.load_document(con, meta(sha(11), url, fetched="2022-02-25T00:00:00+00:00"),
                        facts_for(sha(11), 45, offset=1))
    other = "https://example.org/other.csv"  # another file of the series, for another half-year
    store.load_document(con, meta(sha(12), other), [
        fact(sha(12), row, value=float(row), raw=str(row), url=other, period_start=dt.date(2021, 7, 1),
             period_end=dt.date(2021, 12, 31)) for row in range(2, 7)])
    assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == 90
    versions = con.execute(
        "SELECT sha256, version, versions, is_newest FROM document_versions ORDER BY url, version").fetchall()
    assert versions == [(sha(12), 1, 1, True), (sha(10), 1, 2, False), (sha(11), 2, 2, True)]
    current = con.execute(
        "SELECT document_sha256, count(*), sum(printings), min(release) FROM current_facts GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # 40 of version 2's figures were printed by version 1 too; 5 are new; the other file's are its own
    assert current == [(sha(11), 45, 40 * 2 + 5, 2), (sha(12), 5, 5, 3)]
    history = con.execute("SELECT count(*), count(DISTINCT document_sha256) FROM fact_history").fetchall()[0]
    assert history == (90, 3)


def _half_year(doc: str, url: str, year: int, half: int, values: dict[str, float]) -> list[Fact]:
    """One release's company-wide figures per country for one half-year (synthetic)."""
    start = dt.date(year, 1 + 6 * (half - 1), 1)
    end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
    return [fact(doc, row, value=v, raw=str(int(v)), url=url, country_iso2=iso, country_raw=iso,
                 period_start=start, period_end=end)
            for row, (iso, v) in enumerate(values.items(), start=2 + 10 * (year * 2 + half - 4040))]


def test_a_figure_reprinted_by_a_later_report_under_another_url_is_current_once(
    con: duckdb.DuckDBPyConnection, tmp_path: Path,
) -> None:
    # SYNTHETIC: a publisher whose each report reprints the previous half-year (as Verizon's do), one URL each
    first, second = "https://example.org/2020-h2.pdf", "https://example.org/2021-h1.pdf"
    store.load_document(con, meta(sha(40), first, fetched="2021-02-01T00:00:00+00:00"),
                        _half_year(sha(40), first, 2020, 1, {"DE": 10, "FR": 20})
                        + _half_year(sha(40), first, 2020, 2, {"DE": 11, "FR": 21}))
    store.load_document(con, meta(sha(41), second, fetched="2021-08-01T00:00:00+00:00"),
                        _half_year(sha(41), second, 2020, 2, {"DE": 12, "FR": 21})  # DE revised
                        + _half_year(sha(41), second, 2021, 1, {"DE": 13, "FR": 23}))
    rows = con.execute(
        "SELECT period_end, country_iso2, value, document_sha256 = ?, printings FROM current_facts ORDER BY 1, 2",
        [sha(41)]).fetchall()
    assert rows == [
        (dt.date(2020, 6, 30), "DE", 10.0, False, 1), (dt.date(2020, 6, 30), "FR", 20.0, False, 1),
        (dt.date(2020, 12, 31), "DE", 12.0, True, 2), (dt.date(2020, 12, 31), "FR", 21.0, True, 2),
        (dt.date(2021, 6, 30), "DE", 13.0, True, 1), (dt.date(2021, 6, 30), "FR", 23.0, True, 1),
    ]
    # a reporter adding the countries of 2020 H2 adds each once: 12 + 21, not 11 + 21 + 12 + 21
    total = con.execute("SELECT sum(value) FROM current_facts WHERE period_end = DATE '2020-12-31'").fetchall()
    assert total == [(33.0,)]
    # the older report arriving after the newer one (a replay) changes nothing: order is publication order
    again = store.open_warehouse(tmp_path / "late.duckdb")
    try:
        store.load_document(again, meta(sha(41), second, fetched="2021-08-01T00:00:00+00:00"),
                            _half_year(sha(41), second, 2020, 2, {"DE": 12, "FR": 21})
                            + _half_year(sha(41), second, 2021, 1, {"DE": 13, "FR": 23}))
        store.load_document(again, meta(sha(40), first, fetched="2021-02-01T00:00:00+00:00"),
                            _half_year(sha(40), first, 2020, 1, {"DE": 10, "FR": 20})
                            + _half_year(sha(40), first, 2020, 2, {"DE": 11, "FR": 21}))
        assert again.execute("SELECT period_end, country_iso2, value, document_sha256 = ?, printings "
                             "FROM current_facts ORDER BY 1, 2", [sha(41)]).fetchall() == rows
    finally:
        again.close()


def test_one_identity_printed_twice_in_one_document(con: duckdb.DuckDBPyConnection) -> None:
    # equal copies (one figure in two tables) are one figure; different copies stay apart, numbered
    same = [fact(sha(50), 2, locator=Locator(table=1, row=2, column="Requests")),
            fact(sha(50), 9, locator=Locator(table=3, row=9, column="Requests"))]
    differ = [fact(sha(50), 3, metric="accounts", value=4.0, raw="4", locator=Locator(table=1, row=3, column="A")),
              fact(sha(50), 8, metric="accounts", value=5.0, raw="5", locator=Locator(table=3, row=8, column="A"))]
    store.load_document(con, meta(sha(50)), same + differ)
    identities = con.execute("SELECT fact_identity, raw_text FROM current_facts ORDER BY 1").fetchall()
    base = "examplecorp|user-data-requests|2021-01-01/2021-06-30|DE|all requests|{}|requests|{}"
    assert identities == [
        ("examplecorp|user-data-requests|2021-01-01/2021-06-30|DE|all requests|accounts|requests|{}", "4"),
        ("examplecorp|user-data-requests|2021-01-01/2021-06-30|DE|all requests|accounts|requests|{}|#2", "5"),
        (base.replace("|{}|requests", "|requests|requests"), "10"),
    ]
    assert con.execute("SELECT count(*) FROM facts").fetchall() == [(4,)]


def test_last_modified_orders_versions_before_fetch_time(con: duckdb.DuckDBPyConnection) -> None:
    # fetched later, but the server says it is the older file (e.g. a replay that reached the old copy last)
    store.load_document(con, meta(sha(20), fetched="2022-01-01T00:00:00+00:00",
                                  last_modified="2021-07-01T00:00:00+00:00"), facts_for(sha(20), 3, offset=1))
    store.load_document(con, meta(sha(21), fetched="2021-01-01T00:00:00+00:00",
                                  last_modified="2020-07-01T00:00:00+00:00"), facts_for(sha(21), 3))
    newest = con.execute("SELECT sha256 FROM document_versions WHERE is_newest").fetchall()
    assert newest == [(sha(20),)]


def test_a_newer_refused_download_is_counted_so_stale_facts_can_be_flagged(con: duckdb.DuckDBPyConnection) -> None:
    store.load_document(con, meta(sha(30), fetched="2021-01-01T00:00:00+00:00"), facts_for(sha(30), 3))
    store.load_document(con, meta(sha(31), fetched="2022-01-01T00:00:00+00:00"), None, status="failed",
                        error="report.csv (000000000031): unknown column 'Requestor'")
    row = con.execute("SELECT sha256, is_newest, newer_unloaded FROM document_versions").fetchall()
    assert row == [(sha(30), True, 1)]


def test_a_refused_document_can_later_be_loaded(con: duckdb.DuckDBPyConnection) -> None:
    assert store.load_document(con, meta(sha(40)), None, status="no_parser", error="no parser") == 0
    assert store.loaded_documents(con) == set()
    assert store.load_document(con, meta(sha(40)), None, status="failed", error="new layout") == 0
    assert con.execute("SELECT parse_status, parse_error FROM documents").fetchall() == [("failed", "new layout")]
    assert store.load_document(con, meta(sha(40)), facts_for(sha(40), 4)) == 4
    assert con.execute("SELECT parse_status, parse_error, fact_count FROM documents").fetchall() == [
        ("loaded", None, 4)]


def test_a_bad_row_rolls_back_the_whole_document(con: duckdb.DuckDBPyConnection) -> None:
    store.load_document(con, meta(sha(50)), facts_for(sha(50), 3))
    before = fingerprint(con)
    facts = facts_for(sha(51), 1000)
    facts[700] = fact(sha(51), 702, raw=None)  # raw_text is NOT NULL in the schema
    with pytest.raises(duckdb.ConstraintException, match="raw_text"):
        store.load_document(con, meta(sha(51)), facts)
    assert fingerprint(con) == before
    # the connection is usable and the same document loads once fixed
    assert store.load_document(con, meta(sha(51)), facts_for(sha(51), 1000)) == 1000


def test_a_crash_after_half_the_facts_leaves_no_partial_document(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.load_document(con, meta(sha(60)), None, status="failed", error="earlier refusal")
    before = fingerprint(con)
    real_insert = store._insert_facts

    def insert_half_then_crash(c: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
        real_insert(c, table.slice(0, table.num_rows // 2))
        assert c.execute("SELECT count(*) FROM facts").fetchall()[0][0] == table.num_rows // 2
        raise RuntimeError("simulated crash mid-document")

    monkeypatch.setattr(store, "_insert_facts", insert_half_then_crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.load_document(con, meta(sha(60)), facts_for(sha(60), 2000))
    assert fingerprint(con) == before  # still the refused row, no facts
    assert con.execute("SELECT parse_status FROM documents").fetchall() == [("failed",)]


def test_a_duplicate_fact_key_is_a_clear_error_naming_the_document(con: duckdb.DuckDBPyConnection) -> None:
    facts = facts_for(sha(70), 5) + [fact(sha(70), 3, value=99.0, raw="99")]
    with pytest.raises(store.DuplicateFactKey) as err:
        store.load_document(con, meta(sha(70)), facts)
    message = str(err.value)
    assert "report.csv (000000000000)" in message
    assert "member=data.csv;row=3;column=Requests|requests" in message
    assert isinstance(err.value, ParseError)
    assert fingerprint(con)[:2] == (0, 0)
    # the same cell may carry two metrics, or two facts that differ in an extra dimension
    ok = facts_for(sha(70), 5) + [fact(sha(70), 3, metric="accounts_specified"),
                                   fact(sha(70), 3, extra={"product": "mail"})]
    assert store.load_document(con, meta(sha(70)), ok) == 7


def test_facts_must_belong_to_the_document_and_use_known_enums(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ParseError, match="other documents"):
        store.load_document(con, meta(sha(80)), facts_for(sha(81), 2))
    with pytest.raises(ParseError, match="status 'guessed'"):
        store.load_document(con, meta(sha(80)), [fact(sha(80), 2, status="guessed")])
    with pytest.raises(ParseError, match="needs facts"):
        store.load_document(con, meta(sha(80)), [])
    assert fingerprint(con)[:2] == (0, 0)


def fetch_record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "url": "https://example.org/report.csv", "final_url": "https://cdn.example.org/report.csv",
        "fetched_at": "2022-02-25T10:00:00Z", "http_status": 200, "outcome": "new", "sha256": sha(1), "bytes": 1234,
        "company": "examplecorp", "series": "user-data-requests", "etag": '"abc"',
        "last_modified": "Fri, 25 Feb 2022 09:00:00 GMT", "content_type": "text/csv",
        "headers": {"Server": "synthetic"}, "error": None, "via_mirror": None,
    }
    record.update(changes)
    return record


def test_the_fetch_log_loads_idempotently(con: duckdb.DuckDBPyConnection) -> None:
    records = [fetch_record(), fetch_record(),
               fetch_record(fetched_at="2022-03-01T10:00:00+00:00", http_status=304, outcome="not_modified",
                            sha256=None, via_mirror="../shared/corpus")]
    assert store.load_fetch_log(con, records) == 2
    assert store.load_fetch_log(con, records) == 0
    assert store.load_fetch_log(con, []) == 0
    rows = con.execute(
        "SELECT outcome, http_status, CAST(fetched_at AS VARCHAR), etag, via_mirror FROM fetches ORDER BY fetched_at"
    ).fetchall()
    assert rows == [("new", 200, "2022-02-25 10:00:00+00", '"abc"', None),
                    ("not_modified", 304, "2022-03-01 10:00:00+00", '"abc"', "../shared/corpus")]
    assert store.fetch_id(records[0]) == store.fetch_id(dict(reversed(list(records[0].items()))))


def test_record_load_writes_and_finishes_one_row(con: duckdb.DuckDBPyConnection) -> None:
    started = dt.datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    load_id = store.record_load(con, started_at=started, mirror="../shared/corpus", as_of=dt.date(2020, 1, 1))
    assert store.record_load(con, started_at=started, finished_at=started + dt.timedelta(seconds=5),
                             documents_new=3, facts_new=120, load_id=load_id, as_of=dt.date(2020, 1, 1)) == load_id
    assert con.execute(
        "SELECT CAST(finished_at - started_at AS VARCHAR), documents_new, facts_new, CAST(as_of AS VARCHAR) "
        "FROM loads").fetchall() == [("00:00:05", 3, 120, "2020-01-01")]


OPEN_READ_ONLY = """
import sys
from pathlib import Path
from warehouse import store
try:
    con = store.open_warehouse(Path(sys.argv[1]), read_only=sys.argv[2] == "ro")
except Exception as e:
    print(type(e).__name__, e)
    sys.exit(3)
print(con.execute("SELECT count(*) FROM current_facts").fetchall()[0][0])
"""


def _open_in_subprocess(db: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", OPEN_READ_ONLY, str(db), mode], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent)


def test_read_only_opens_fail_fast_while_a_writer_holds_the_file(db_path: Path) -> None:
    writer = store.open_warehouse(db_path)
    try:
        store.load_document(writer, meta(sha(90)), facts_for(sha(90), 3))
        started = time.perf_counter()
        for mode in ("ro", "rw"):
            proc = _open_in_subprocess(db_path, mode)
            assert proc.returncode == 3, proc.stdout + proc.stderr
            assert "IOException" in proc.stdout and "lock" in proc.stdout.lower()
        assert time.perf_counter() - started < 30  # failed at once, did not wait for the lock
        # in the same process DuckDB refuses a second configuration of an open file
        with pytest.raises(duckdb.ConnectionException):
            store.open_warehouse(db_path, read_only=True)
    finally:
        writer.close()
    proc = _open_in_subprocess(db_path, "ro")
    assert (proc.returncode, proc.stdout.strip()) == (0, "3")
    reader = store.open_warehouse(db_path, read_only=True)
    try:
        with pytest.raises(duckdb.Error):
            reader.execute("DELETE FROM facts")
    finally:
        reader.close()


def test_deferred_current_figures_equal_per_document_ones_and_a_kill_leaves_the_series_marked(
    tmp_path: Path,
) -> None:
    """The update stores a series' documents with defer_current and recomputes its current figures once: the
    result equals recomputing after every document, and until then the series is marked stale in the same
    transaction that stored the document (so an update killed in between leaves the mark for the next one)."""
    url, other = "https://example.org/report.csv", "https://example.org/other.csv"
    docs = [
        (meta(sha(10), url, fetched="2020-01-01T00:00:00+00:00"), facts_for(sha(10), 40)),
        (meta(sha(11), url, fetched="2022-02-25T00:00:00+00:00"), facts_for(sha(11), 45, offset=1)),
        (meta(sha(12), other), [fact(sha(12), row, value=float(row), raw=str(row), url=other,
                                     period_start=dt.date(2021, 7, 1), period_end=dt.date(2021, 12, 31))
                                for row in range(2, 7)]),
    ]
    current_sql = "SELECT * EXCLUDE (fact_id) FROM current_facts ORDER BY document_sha256, fact_key"
    each = store.open_warehouse(tmp_path / "each.duckdb")
    for m, facts in docs:
        store.load_document(each, m, facts)
    expected = each.execute(current_sql).fetchall()
    each.close()
    deferred = store.open_warehouse(tmp_path / "deferred.duckdb")
    for m, facts in docs[:2]:
        store.load_document(deferred, m, store.facts_table(m, facts), defer_current=True)
    assert deferred.execute("SELECT count(*) FROM current_facts").fetchall() == [(0,)]  # not yet recomputed
    assert deferred.execute("SELECT company, series FROM current_stale").fetchall() == \
        [("examplecorp", "user-data-requests")]
    deferred.close()  # as if killed here: the mark is stored
    deferred = store.open_warehouse(tmp_path / "deferred.duckdb")
    store.load_document(deferred, docs[2][0], docs[2][1], defer_current=True)
    assert store.refresh_stale_current(deferred) == [("examplecorp", "user-data-requests")]
    assert deferred.execute("SELECT count(*) FROM current_stale").fetchall() == [(0,)]
    assert deferred.execute(current_sql).fetchall() == expected
    assert len(expected) == 50
    assert store.refresh_stale_current(deferred) == []
    deferred.close()
