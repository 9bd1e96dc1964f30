"""Benchmark: 10 million synthetic facts shaped like real ones, loaded into the real schema, then the derived
tables and every named view, timed. Run: .venv/bin/python bench/views_10m.py [--facts N] [--repeat R]
[--store-documents D] [--keep PATH]

Synthetic data only. "generate" builds the facts with SQL range() into a Parquet file (timed apart: it is not
the load). Shapes follow a real warehouse: 64-hex document sha256, fact keys of ~110 characters
("member=<file>.csv;row=N;column=<header>|metric", real ones average 107), source URLs of ~80. 20 companies,
one cumulative file each republished in four versions (rows arrive document by document, as loads do),
25 half-years, 250 countries (5 pseudo-jurisdictions or company-wide), 5 request types (a printed total beside
parts, preservation not counting toward totals), 4 metrics in 4 units (one a percentage), statuses incl.
suppressed, banded and blank; about 1 in 200 figures changes between versions (the restatement ledger).

"load" is the project's facts_insert.sql (fact_identity and the key's hash computed in SQL) reading the Parquet
file into the schema's facts table (its primary key included), committed and checkpointed: data on disk.
"refresh current_facts" then picks the current figure of every identity (store.refresh_current, whole).
"export" runs `govreq export`'s function in a child process and reports its peak resident memory. "load_document" is the project's own path
(warehouse.store.load_document, one transaction per document) for D documents of 50,000 facts, into a
warehouse of its own; building the Fact objects in Python is not timed, turning them into rows is.
Timings that the machine's other work can disturb are repeated: the best is shown, with the spread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers.facts import Fact, Locator, RequestType, Status, Unit  # noqa: E402
from warehouse import disclosure, restatements, store  # noqa: E402

COMPANIES, PERIODS, COUNTRIES, TYPES, METRICS = 20, 25, 250, 5, 4
PER_DOCUMENT = PERIODS * COUNTRIES * TYPES * METRICS  # 125,000 figures in one version of one company's file
COMBOS = COMPANIES * PER_DOCUMENT  # 2.5 M distinct figures: 10 M = four full versions
HEADERS = ("User Data Requests", "Users/Accounts Specified", "Percentage of requests where some data produced",
           "Content Removal Items Requested")
METRIC_NAMES = ("requests", "accounts_specified", "percent_some_data_produced", "items_requested_removed")

# Row i of the synthetic facts: version v = i // COMBOS, then company, period, country, request type, metric,
# in the order a file prints them. h is the same for a figure in every version; change = 0 restates it.
GENERATE_SQL = f"""
COPY (
WITH g AS (
    SELECT
        i,
        i // {COMBOS} AS v,
        (i % {COMBOS}) // {PER_DOCUMENT} AS c,
        (i % {PER_DOCUMENT}) // {COUNTRIES * TYPES * METRICS} AS p,
        (i % {COUNTRIES * TYPES * METRICS}) // {TYPES * METRICS} AS k,
        (i % {TYPES * METRICS}) // {METRICS} AS t,
        i % {METRICS} AS m,
        hash(i % {COMBOS}) % 1000 AS h,
        hash(i) % 200 AS change
    FROM range($start, $stop) r(i)
), shaped AS (
    SELECT *,
        sha256('doc-' || c || '-v' || v) AS sha,
        CAST((p * {COUNTRIES} + k) * {TYPES} + t + 2 AS INTEGER) AS row_no,
        'company' || c || '-government-requests-report.csv' AS member_name,
        {list(HEADERS)}[m + 1] AS header,
        {list(METRIC_NAMES)}[m + 1] AS metric_name,
        CASE WHEN h < 850 THEN 'reported' WHEN h < 900 THEN 'zero' WHEN h < 950 THEN 'suppressed'
             WHEN h < 975 THEN 'banded' ELSE 'not_reported' END AS status_name,
        CASE WHEN v > 0 AND change = 0 THEN 1 ELSE 0 END + h AS n
    FROM g
), located AS (
    SELECT *, 'member=' || member_name || ';row=' || row_no || ';column=' || header AS loc FROM shaped
)
SELECT
    sha AS document_sha256,
    loc || '|' || metric_name AS fact_key,
    'company' || c AS company,
    'series' AS series,
    CASE WHEN m = 3 THEN 'content-removal' WHEN t = 4 THEN 'national-security' ELSE 'user-data' END AS kind,
    CAST(DATE '2013-01-01' + INTERVAL (6 * p) MONTH AS DATE) AS period_start,
    CAST(DATE '2013-01-01' + INTERVAL (6 * p + 6) MONTH - INTERVAL 1 DAY AS DATE) AS period_end,
    CASE WHEN k < 245 THEN chr(CAST(65 + k // 26 AS INTEGER)) || chr(CAST(65 + k % 26 AS INTEGER)) END
        AS country_iso2,
    CASE WHEN k < 245 THEN 'Country ' || k WHEN k < 248 THEN 'EU' ELSE '' END AS country_raw,
    ['all', 'subpoena', 'search_warrant', 'preservation', 'national_security'][t + 1] AS request_type,
    'type ' || t AS request_type_raw,
    metric_name AS metric,
    ['requests', 'accounts', 'percent', 'items'][m + 1] AS unit,
    CAST(CASE WHEN status_name = 'zero' THEN 0 WHEN status_name = 'reported' THEN n % 100 END AS DOUBLE) AS value,
    CAST(CASE status_name WHEN 'reported' THEN n % 100 WHEN 'zero' THEN 0 WHEN 'suppressed' THEN 1
         WHEN 'banded' THEN 0 END AS DOUBLE) AS value_low,
    CAST(CASE status_name WHEN 'reported' THEN n % 100 WHEN 'zero' THEN 0 WHEN 'suppressed' THEN 9
         WHEN 'banded' THEN 499 END AS DOUBLE) AS value_high,
    status_name AS status,
    t = 0 AS is_total,
    t <> 3 AS counts_toward_total,
    'https://transparency.example.org/reports/company' || c || '/government-requests-report.zip' AS source_url,
    loc AS locator,
    member_name AS member,
    CAST(NULL AS VARCHAR) AS sheet,
    CAST(NULL AS INTEGER) AS page,
    row_no AS row_number,
    header AS column_name,
    CAST(NULL AS VARCHAR) AS bbox,
    CASE status_name WHEN 'not_reported' THEN '' WHEN 'suppressed' THEN '<10' WHEN 'banded' THEN '0-499'
         ELSE CAST(n % 100 AS VARCHAR) END AS raw_text,
    '' AS note,
    '{{}}' AS extra
FROM located
) TO '{{parquet}}' (FORMAT parquet)
"""

# One documents row per document d (company d % 20, version d // 20), version v first fetched in 2020 + v.
DOCUMENTS_SQL = f"""
INSERT INTO documents
SELECT
    sha256('doc-' || (d % {COMPANIES}) || '-v' || (d // {COMPANIES})), 'company' || (d % {COMPANIES}), 'series',
    'https://transparency.example.org/reports/company' || (d % {COMPANIES}) || '/government-requests-report.zip',
    TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_years(CAST(d // {COMPANIES} AS INTEGER)), NULL, 'application/zip',
    1000, 'archive/x', 'loaded', NULL, 'bench', {PER_DOCUMENT}, now()
FROM range($first, $last) r(d)
"""
# the project's own insert (identity and key hash computed in SQL), fed from the Parquet file instead of Arrow
BATCH_SQL = "CREATE OR REPLACE TEMP VIEW fact_batch AS SELECT * FROM read_parquet({parquet})"


@dataclass
class Series:
    id: str = "series"
    kind: str = "user-data"
    scope: str = "voluntary-global"
    format: str = "zip"
    cadence: str = "half-yearly"
    landing_url: str = "https://example.org"
    first_period: str = "2013-H1"


@dataclass
class Company:
    slug: str
    name: str = ""
    role: str = "company"
    disclosure: str = "publishes"
    rdr_names: tuple[str, ...] = ()
    series: list[Series] = field(default_factory=lambda: [Series()])
    checked: list[object] = field(default_factory=list)


@dataclass
class Registry:
    companies: list[Company]


QUERIES = {
    "requests_by_company_period": "SELECT count(*) FROM requests_by_company_period",
    "requests_by_company_period (1 company)":
        "SELECT * FROM requests_by_company_period WHERE company = 'company3' AND metric = 'requests'",
    "government_asks (1 country)": "SELECT * FROM government_asks WHERE country_iso2 = 'AB'",
    "compliance_rates (1 country)": "SELECT * FROM compliance_rates WHERE country_iso2 = 'AB' AND company = 'company3'",
    "compliance_rates": "SELECT count(*) FROM compliance_rates",
    "disclosure_levels": "SELECT count(*) FROM disclosure_levels",
    "restatements": "SELECT count(*) FROM restatements",
    "restatements (1 company)": "SELECT * FROM restatements WHERE company = 'company3' AND kind = 'value_changed'",
    "cross_company_totals": "SELECT count(*) FROM cross_company_totals",
    "cross_company_totals (1 metric)":
        "SELECT * FROM cross_company_totals WHERE metric = 'requests' AND kind = 'user-data'",
}

Result = tuple[str, float, str, str]  # label, best ms, spread, note


def timed(label: str, work: Callable[[], object], results: list[Result], *, repeat: int = 1,
          note: Callable[[object], str] = lambda _: "") -> object:
    """Run `work` `repeat` times; record the best wall time and the spread (slowest - best)."""
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = work()
        times.append((time.perf_counter() - started) * 1000)
    spread = f"+{max(times) - min(times):.0f}" if repeat > 1 else ""
    results.append((label, min(times), spread, note(out)))
    return out


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        if p.exists():
            p.unlink()


def generate(parquet: Path, start: int, stop: int) -> None:
    """Write synthetic facts start..stop-1 to `parquet` (in-memory DuckDB: the warehouse is not touched)."""
    duckdb.connect().execute(GENERATE_SQL.replace("{parquet}", str(parquet)), {"start": start, "stop": stop})


def load(con: duckdb.DuckDBPyConnection, parquet: Path, start: int, stop: int) -> int:
    """The documents and facts of rows start..stop-1 (written to `parquet`) in one transaction, then a checkpoint:
    the data is on disk when this returns."""
    con.execute(BATCH_SQL.replace("{parquet}", "'" + str(parquet).replace("'", "''") + "'"))
    con.begin()
    con.execute(DOCUMENTS_SQL, {"first": start // PER_DOCUMENT, "last": -(-stop // PER_DOCUMENT)})
    n = int(con.execute(store.SQL("facts_insert.sql")).fetchall()[0][0])
    con.commit()
    con.execute("CHECKPOINT")
    return n


def fresh_load(path: Path, parquet: Path, facts: int) -> int:
    """A new warehouse at `path` holding the first `facts` synthetic facts."""
    _remove(path)
    con = store.open_warehouse(path)
    try:
        return load(con, parquet, 0, facts)
    finally:
        con.close()


def synthetic_document(d: int, per_document: int) -> tuple[store.DocumentMeta, list[Fact]]:
    """Document d of the load_document benchmark: file d % 50, version d // 50, `per_document` facts printed
    as 5 request types x 4 metrics per (half-year, country) row, statuses mixed as in the SQL generator."""
    c, v = d % 50, d // 50
    sha = hashlib.sha256(f"store-doc-{c}-v{v}".encode()).hexdigest()
    url = f"https://transparency.example.org/reports/company{c}/government-requests-report.zip"
    member = f"company{c}-government-requests-report.csv"
    types = (RequestType.ALL, RequestType.SUBPOENA, RequestType.SEARCH_WARRANT, RequestType.PRESERVATION,
             RequestType.NATIONAL_SECURITY)
    units = (Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT, Unit.ITEMS)
    facts: list[Fact] = []
    for j in range(per_document):
        m, t, k, p = j % METRICS, (j // METRICS) % TYPES, (j // (METRICS * TYPES)) % COUNTRIES, j // 5000
        h = (j * 2654435761 + c) % 1000
        n = float(h % 100 + (1 if v and h % 200 == 7 else 0))
        status, low, high, raw = (
            (Status.REPORTED, n, n, str(int(n))) if h < 850 else (Status.ZERO, 0.0, 0.0, "0") if h < 900
            else (Status.SUPPRESSED, 1.0, 9.0, "<10") if h < 950 else (Status.BANDED, 0.0, 499.0, "0-499")
            if h < 975 else (Status.NOT_REPORTED, None, None, ""))
        start = dt.date(2013 + p // 2, 1 + 6 * (p % 2), 1)
        end = dt.date(2013 + p // 2, 6 + 6 * (p % 2), 30 + p % 2)
        facts.append(Fact(
            company=f"company{c}", series="series", period_start=start, period_end=end,
            country_iso2=chr(65 + k // 26) + chr(65 + k % 26) if k < 245 else None, country_raw=f"Country {k}",
            request_type=types[t], request_type_raw=f"type {t}", metric=METRIC_NAMES[m], unit=units[m],
            value=low if status in (Status.REPORTED, Status.ZERO) else None, value_low=low, value_high=high,
            status=status, is_total=t == 0, source_url=url, document_sha256=sha,
            locator=Locator(member=member, row=j // METRICS + 2, column=HEADERS[m]), raw_text=raw,
            counts_toward_total=t != 3,
        ))
    meta = store.DocumentMeta(sha, f"company{c}", "series", url, dt.datetime(2020 + v, 1, 1, tzinfo=dt.UTC), None,
                              "application/zip", 1000, f"archive/{sha}")
    return meta, facts


def store_path(path: Path, documents: int, per_document: int) -> tuple[float, float, int]:
    """load_document for each synthetic document; return (seconds in load_document, of which turning facts into
    rows (store.facts_table), facts loaded). Building the Fact objects is not timed."""
    _remove(path)
    con = store.open_warehouse(path)
    spent = rows_spent = 0.0
    loaded = 0
    try:
        for d in range(documents):
            meta, facts = synthetic_document(d, per_document)
            started = time.perf_counter()
            store.facts_table(meta, facts)  # timed apart: the Python share of load_document
            rows_spent += time.perf_counter() - started
            started = time.perf_counter()
            loaded += store.load_document(con, meta, facts)
            spent += time.perf_counter() - started
        started = time.perf_counter()
        con.execute("CHECKPOINT")
        spent += time.perf_counter() - started
    finally:
        con.close()
    return spent, rows_spent, loaded


def export_peak(path: Path, out: Path) -> float:
    """Run warehouse.export.export on `path` in a child process; return the child's peak RSS in MiB."""
    # VmHWM of the child's own image: getrusage(RUSAGE_CHILDREN) would count the forked copy of this process
    # (tens of GB of DuckDB cache here) before the child's exec
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]); from warehouse.export import "
            "export; print(export(Path(sys.argv[1]), Path(sys.argv[2])), file=sys.stderr); "
            "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))")
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(out), str(repo)], check=True,
                          capture_output=True, text=True)
    return int(proc.stdout.split()[-1]) / 1024


def view_rows(rows: object) -> str:
    assert isinstance(rows, list)
    if len(rows) == 1 and isinstance(rows[0][0], int):
        return f"= {rows[0][0]:,}"
    return f"{len(rows):,} rows"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each disturbable timing (best is shown)")
    parser.add_argument("--load-repeat", type=int, default=2, help="runs of the 10M load (each a new warehouse)")
    parser.add_argument("--store-documents", type=int, default=40,
                        help="documents of 50,000 facts through store.load_document (0 skips; 200 = 10M)")
    parser.add_argument("--keep", type=Path, help="build the warehouse here and keep it")
    parser.add_argument("--export", action=argparse.BooleanOptionalAction, default=True,
                        help="export the warehouse (child process) and report its peak memory")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="govreq-bench-"))
    path = args.keep or folder / "bench.duckdb"
    parquet, later = folder / "facts.parquet", folder / "new_version.parquet"
    results: list[Result] = []
    try:
        # the new version: rows of version (n // COMBOS + 1) of company0's file, newer than any loaded one
        n, one, later_start = args.facts, PER_DOCUMENT, (args.facts // COMBOS + 1) * COMBOS
        timed(f"generate {n:,} facts to Parquet (not the load)", lambda: generate(parquet, 0, n), results,
              note=lambda _: f"{os.path.getsize(parquet) / 2**20:,.0f} MiB")
        generate(later, later_start, later_start + one)
        timed(f"load {n:,} facts (read_parquet, PK, commit, checkpoint)", lambda: fresh_load(path, parquet, n),
              results, repeat=args.load_repeat)
        label, ms, spread, _ = results[-1]
        results[-1] = (label, ms, spread, f"{n / ms * 1000:,.0f} facts/s; file {os.path.getsize(path) / 2**20:,.0f} MiB")
        if args.store_documents:
            spent, rows_spent, loaded = store_path(folder / "store.duckdb", args.store_documents, 50_000)
            results.append((f"load_document x {args.store_documents} (50,000 facts each)", spent * 1000, "",
                            f"{loaded / spent:,.0f} facts/s; {rows_spent / spent:.0%} in facts_table (Python)"))
        con = store.open_warehouse(path)
        timed("refresh current_facts (whole, after the bulk load)", lambda: store.refresh_current(con), results,
              note=lambda _: f"{con.execute('SELECT count(*) FROM current_facts').fetchall()[0][0]:,} current")
        con.execute("CHECKPOINT")
        registry = Registry([Company(f"company{c}") for c in range(COMPANIES)])
        timed("rebuild restatements, first (whole ledger)", lambda: restatements.refresh(con), results,
              note=lambda r: f"{r.rows:,} rows, {r.series_compared} series compared")  # type: ignore[attr-defined]
        timed("rebuild restatements, no new version", lambda: restatements.refresh(con), results,
              repeat=args.repeat, note=lambda r: f"{r.series_compared} series compared")  # type: ignore[attr-defined]
        timed(f"load one new version ({one:,} facts)", lambda: load(con, later, later_start, later_start + one), results)
        timed("refresh current_facts of its series", lambda: store.refresh_current(con, "company0", "series"),
              results)
        timed("rebuild restatements, one new version", lambda: restatements.refresh(con), results,
              note=lambda r: f"{r.rows:,} rows, {r.series_compared} series compared")  # type: ignore[attr-defined]
        timed("rebuild disclosure_levels (update step)",
              lambda: disclosure.rebuild(con, registry, today=dt.date(2025, 6, 30)), results,
              note=lambda k: f"{k:,} rows")
        for label, sql in QUERIES.items():
            con.execute(sql).fetchall()  # warm: the first run reads the file into the buffer pool
            timed(label, lambda sql=sql: con.execute(sql).fetchall(), results, repeat=args.repeat, note=view_rows)
        con.close()
        if args.export:
            timed("export (child process: facts, history, partitioned)", lambda: export_peak(path, folder / "export"),
                  results, note=lambda rss: f"peak RSS {rss:,.0f} MiB (child)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # with --keep the warehouse is elsewhere
    width = max(len(r[0]) for r in results)
    print(f"{'step'.ljust(width)}  {'best ms':>9}  {'spread':>7}  target  result")
    for label, ms, spread, note in results:
        target = 15000 if label.startswith("load ") and "new version" not in label else (
            100 if label in QUERIES else None)
        if label.startswith("export"):
            target = None
            verdict = "ok" if float(note.split()[2].replace(",", "")) < 600 else "OVER 600 MiB"
            print(f"{label.ljust(width)}  {ms:9.1f}  {spread:>7}  {verdict:6}  {note}")
            continue
        verdict = "" if target is None else ("ok" if ms <= target else f"OVER {target}")
        print(f"{label.ljust(width)}  {ms:9.1f}  {spread:>7}  {verdict:6}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
