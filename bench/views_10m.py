"""Benchmark: 10 million synthetic facts shaped like real ones, then the load, the derived tables and every
named view, timed. Run: .venv/bin/python bench/views_10m.py [--facts N] [--keep PATH]

Synthetic data only (generated with SQL range()): 20 companies, one cumulative file each republished in four
versions, 25 half-years, 250 countries (5 of them pseudo-jurisdictions or company-wide), 5 request types (a printed
total beside parts, preservation not counting toward totals), 4 metrics in 4 units (one a percentage), statuses
incl. suppressed, banded and blank; about 1 in 200 figures changes between versions (the restatement ledger).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse import disclosure, restatements, store  # noqa: E402

COMPANIES, PERIODS, COUNTRIES, TYPES, METRICS = 20, 25, 250, 5, 4
COMBOS = COMPANIES * PERIODS * COUNTRIES * TYPES * METRICS  # 2.5 M distinct figures: 10 M = four full versions

LOAD_SQL = f"""
INSERT INTO documents
SELECT DISTINCT
    'doc-' || (i % {COMPANIES}) || '-v' || (i // {COMBOS}) AS sha256,
    'company' || (i % {COMPANIES}), 'series', 'https://example.org/c' || (i % {COMPANIES}) || '.zip',
    TIMESTAMPTZ '2020-01-01 00:00:00+00' + INTERVAL (i // {COMBOS}) YEAR, NULL, 'application/zip', 1000,
    'archive/x', 'loaded', NULL, 'bench', 0, now()
FROM range(?) t(i);
INSERT INTO facts
WITH g AS (
    SELECT
        i,
        i % {COMPANIES} AS c,
        (i // {COMPANIES}) % {PERIODS} AS p,
        (i // ({COMPANIES * PERIODS})) % {COUNTRIES} AS k,
        (i // ({COMPANIES * PERIODS * COUNTRIES})) % {TYPES} AS t,
        (i // ({COMPANIES * PERIODS * COUNTRIES * TYPES})) % {METRICS} AS m,
        i // {COMBOS} AS v,
        hash(i % {COMBOS}) % 1000 AS h,          -- the same for a figure in every version
        hash(i) % 200 AS change                  -- 0 for about 1 in 200 rows: a restated figure
    FROM range(?) r(i)
), shaped AS (
    SELECT *,
        CASE WHEN h < 850 THEN 'reported' WHEN h < 900 THEN 'zero' WHEN h < 950 THEN 'suppressed'
             WHEN h < 975 THEN 'banded' ELSE 'not_reported' END AS status,
        CASE WHEN v > 0 AND change = 0 THEN 1 ELSE 0 END + h AS n
    FROM g
)
SELECT
    'doc-' || c || '-v' || v, 'row=' || i || '|m' || m,
    'company' || c, 'series',
    CASE WHEN m = 3 THEN 'content-removal' WHEN t = 4 THEN 'national-security' ELSE 'user-data' END,
    DATE '2013-01-01' + INTERVAL (6 * p) MONTH, DATE '2013-01-01' + INTERVAL (6 * p + 6) MONTH - INTERVAL 1 DAY,
    CASE WHEN k < 245 THEN chr(CAST(65 + k // 26 AS INTEGER)) || chr(CAST(65 + k % 26 AS INTEGER)) END,
    CASE WHEN k < 245 THEN 'Country ' || k WHEN k < 248 THEN 'EU' ELSE '' END,
    ['all', 'subpoena', 'search_warrant', 'preservation', 'national_security'][t + 1],
    'type ' || t,
    ['requests', 'accounts_specified', 'percent_some_data_produced', 'items_requested_removed'][m + 1],
    ['requests', 'accounts', 'percent', 'items'][m + 1],
    CASE WHEN status IN ('reported', 'zero') THEN CASE WHEN status = 'zero' THEN 0 ELSE n % 100 END END,
    CASE status WHEN 'reported' THEN n % 100 WHEN 'zero' THEN 0 WHEN 'suppressed' THEN 1 WHEN 'banded' THEN 0 END,
    CASE status WHEN 'reported' THEN n % 100 WHEN 'zero' THEN 0 WHEN 'suppressed' THEN 9 WHEN 'banded' THEN 499 END,
    status,
    t = 0, t <> 3,
    'https://example.org/c' || c || '.zip', 'row=' || i, NULL, NULL, NULL, CAST(i AS INTEGER), 'col', NULL,
    CASE status WHEN 'not_reported' THEN '' WHEN 'suppressed' THEN '<10' WHEN 'banded' THEN '0-499'
         ELSE CAST(n % 100 AS VARCHAR) END,
    '', '{{}}'
FROM shaped;
"""


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


def timed(label: str, work: Callable[[], object], results: list[tuple[str, float, str]], note: str = "") -> object:
    started = time.perf_counter()
    out = work()
    results.append((label, (time.perf_counter() - started) * 1000, note))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="build the warehouse here and keep it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="govreq-bench-"))
    path = args.keep or folder / "bench.duckdb"
    results: list[tuple[str, float, str]] = []
    try:
        con = store.open_warehouse(path)
        con.execute("SET TimeZone = 'UTC'")
        first, second = LOAD_SQL.split(";\nINSERT INTO facts")
        timed(f"load {args.facts:,} facts", lambda: (con.execute(first, [args.facts]),
                                                     con.execute("INSERT INTO facts" + second, [args.facts])),
              results)
        registry = Registry([Company(f"company{c}") for c in range(COMPANIES)])
        n = timed("rebuild restatements (update step)", lambda: restatements.rebuild(con), results)
        results[-1] = (*results[-1][:2], f"{n:,} rows")
        n = timed("rebuild disclosure_levels (update step)",
                  lambda: disclosure.rebuild(con, registry, today=dt.date(2025, 6, 30)), results)
        results[-1] = (*results[-1][:2], f"{n:,} rows")
        for label, sql in QUERIES.items():
            con.execute(sql).fetchall()  # warm: the first run reads the file into the buffer pool
            rows = timed(label, lambda sql=sql: con.execute(sql).fetchall(), results)
            results[-1] = (*results[-1][:2], f"{len(rows):,} rows" if len(rows) > 1 else f"= {rows[0][0]:,}"
                           if rows and isinstance(rows[0][0], int) else f"{len(rows)} rows")
        con.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    width = max(len(r[0]) for r in results)
    print(f"{'step'.ljust(width)}  {'ms':>9}  target  result")
    for label, ms, note in results:
        target = 15000 if label.startswith("load") else (None if "rebuild" in label else 100)
        verdict = "" if target is None else ("ok" if ms <= target else f"OVER {target}")
        print(f"{label.ljust(width)}  {ms:9.1f}  {verdict:6}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
