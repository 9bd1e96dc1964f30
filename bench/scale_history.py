"""Benchmark: N synthetic printings (facts_history rows) written as the export's Hive-partitioned Parquet
(company=<slug>/year=<year>/), then queried the way a newsroom would, with DuckDB reading the folder as it is.
Run: .venv/bin/python bench/scale_history.py --rows 10000000 [--keep DIR]; docs/scale.md has the results.

Synthetic data only, shaped like export_history: 20 companies, half-years from 2013, 250 countries, 5 request
types, 4 metrics, four releases printing every figure (the last one current), ~110-character fact keys.
Written one company at a time (13 year folders open at once, small row groups), so memory does not grow with
N; every step runs in a child process and its peak resident memory is reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMPANIES = 20

WRITE = """
import sys, duckdb
folder, rows, companies = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("SET memory_limit = '1GB'")
con.execute("SET preserve_insertion_order = false")
per = rows // companies
for c in range(companies):
    con.execute(f'''
    COPY (
    WITH g AS (
        SELECT i, i // 20000 AS figure_block, i % 4 AS r, (i // 4) % 250 AS k, (i // 1000) % 5 AS t,
               (i // 5000) % 4 AS m, (i // 20000) % 26 AS p, hash(i // 4) % 1000 AS h
        FROM range({per}) r(i)
    )
    SELECT
        'series' AS series,
        CAST(DATE '2013-01-01' + INTERVAL (6 * p) MONTH AS DATE) AS period_start,
        CAST(DATE '2013-01-01' + INTERVAL (6 * p + 6) MONTH - INTERVAL 1 DAY AS DATE) AS period_end,
        chr(CAST(65 + k // 26 AS INTEGER)) || chr(CAST(65 + k % 26 AS INTEGER)) AS country_iso2,
        'Country ' || k AS country_raw,
        'type ' || t AS request_type_raw,
        ['requests', 'accounts_specified', 'percent_some_data_produced', 'items_removed'][m + 1] AS metric,
        ['requests', 'accounts', 'percent', 'items'][m + 1] AS unit,
        CAST(h % 100 + CASE WHEN r = 3 AND h % 200 = 7 THEN 1 ELSE 0 END AS DOUBLE) AS value,
        CAST(h % 100 AS DOUBLE) AS value_low, CAST(h % 100 AS DOUBLE) AS value_high,
        CASE WHEN h < 900 THEN 'reported' ELSE 'zero' END AS status,
        sha256('doc-{c}-v' || r) AS document_sha256,
        'member=company{c}-government-requests-report.csv;row=' || (i // 4) || ';column=Header ' || m
            || '|' || ['requests', 'accounts_specified', 'percent_some_data_produced', 'items_removed'][m + 1]
            AS fact_key,
        CAST(h % 100 AS VARCHAR) AS raw_text,
        'company{c}|series|' || p || '|' || k || '|type ' || t || '|' || m || '|' || figure_block AS fact_identity,
        TIMESTAMP '2020-01-01' + INTERVAL (r) YEAR AS release_published_at,
        r = 3 AS is_current,
        CAST(year(DATE '2013-01-01' + INTERVAL (6 * p) MONTH) AS INTEGER) AS year
    FROM g
    ) TO '{folder}/company=company{c}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year),
                                       ROW_GROUP_SIZE 50000)
    ''')
"""

QUERIES = {
    "count every printing": "SELECT count(*) FROM history",
    "one company, one year (partition pruning)":
        "SELECT metric, sum(value) FROM history WHERE company = 'company3' AND year = 2018 GROUP BY 1",
    "printings per company and year": "SELECT company, year, count(*) FROM history GROUP BY ALL",
    "current figures of one company (is_current)":
        "SELECT count(*), sum(value) FROM history WHERE company = 'company3' AND is_current",
    "newest printing per identity, one company (redo 'current')":
        "SELECT count(*) FROM (SELECT fact_identity, arg_max(value, release_published_at) FROM history "
        "WHERE company = 'company3' GROUP BY 1)",
    "one country across companies, current": "SELECT company, period_start, sum(value) FROM history "
                                             "WHERE country_iso2 = 'AB' AND is_current GROUP BY ALL",
}

QUERY = """
import json, sys, time, duckdb
folder = sys.argv[1]
queries = json.loads(sys.argv[2])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("SET memory_limit = '2GB'")
con.execute(f"CREATE VIEW history AS SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)")
out = {}
for label, sql in queries.items():
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    out[label] = [(time.perf_counter() - started) * 1000, len(rows)]
print(json.dumps(out))
"""


PEAK = "\nprint(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))\n"
_peaks: list[float] = []


def child(code: str, *args: str) -> tuple[float, str]:
    """Run `code` in a fresh Python; return (seconds, stdout). The child's own peak memory (VmHWM, which unlike
    getrusage does not count the forked copy of this process) is its last line, kept for peak_mib."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code + PEAK, *args], check=True, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    _peaks.append(int(lines[-1]) / 1024)
    return time.perf_counter() - started, "\n".join(lines[:-1])


def peak_mib() -> float:
    return max(_peaks, default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="write the folder here and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: query the folder already there")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="govreq-scale-"))
    folder = args.keep or base / "facts_history"
    try:
        if not (args.reuse and args.keep and folder.exists()):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            seconds, _ = child(WRITE, str(folder), str(args.rows), str(COMPANIES))
        else:
            seconds = float("nan")
        files = list(folder.rglob("*.parquet"))
        size = sum(f.stat().st_size for f in files) / 2**20
        print(f"write {args.rows:,} printings as company=/year= Parquet: {seconds:.1f} s "
              f"({args.rows / seconds:,.0f} rows/s), {len(files)} files, {size:,.0f} MiB, "
              f"peak RSS {peak_mib():,.0f} MiB")
        _, out = child(QUERY, str(folder), json.dumps(QUERIES))
        for label, (ms, n) in json.loads(out.strip().splitlines()[-1]).items():
            print(f"  {label:60} {ms:9.1f} ms  {n:,} rows")
        print(f"  peak RSS of the writer or the query process: {peak_mib():,.0f} MiB")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
