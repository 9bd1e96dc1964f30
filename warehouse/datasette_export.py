"""`govreq export --sqlite`: the export as one SQLite file with a Datasette `metadata.json`.

`datasette govreq.db -m metadata.json` then gives a newsroom a searchable, linkable copy: the current facts, every
printing of every figure (history, where the export has it), the documents, the disclosure levels and the named
reporting views (materialised as tables, since their SQL is DuckDB's), each with its title, column descriptions,
source and licence, and the views' usual questions as canned queries.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from warehouse import datapackage

SQLITE_NAME = "govreq.db"
METADATA_NAME = "metadata.json"
BATCH_ROWS = 50_000
LICENCE_NOTE = ("Figures are the companies' own published statistics, cited to each file; GitHub's data is CC BY "
                "4.0 and Ranking Digital Rights' data MIT-licensed (see each source's licence in datapackage.json). "
                "govreq's compilation is MIT-licensed.")

# (table, where its rows come from: an export file or a warehouse relation, title, description)
FILE_TABLES = (
    ("facts", "facts.parquet", "Current figures",
     "One row per published figure: the current printing of each figure, citing its source file, the place in "
     "it and the text as printed. Never add across units or metrics; is_total marks printed totals."),
    ("facts_history", "facts_history.parquet", "Every printing of every figure",
     "Each figure as every release printed it (older printings included), to redo any comparison."),
    ("documents", "documents.csv", "Source documents",
     "Every archived file: its URL, sha256, when it was fetched and whether it could be read."),
)
VIEW_TABLES = (
    ("disclosure_levels", "Disclosure levels",
     "Per company, year and kind of request: how much was published, with the evidence and its dated checks."),
    ("requests_by_company_period", "Requests by company and period",
     "Each company's figure per period and unit, printed or summed by a declared rule (see the basis column)."),
    ("government_asks", "What one government asked of every company",
     "Per requesting country, every company's figure, with gap rows where a company printed none."),
    ("compliance_rates", "Compliance rates as printed", "Percentages the companies printed; none is computed."),
    ("restatements", "Restatements", "Figures that changed between two releases of a series, both cited."),
    ("cross_company_totals", "Totals across companies within one unit", "Sums within one unit and metric only."),
    ("eu_dsa_orders", "EU DSA: Member States' orders per platform",
     "Printed all-EU totals of orders to act and to provide information, per platform and period, per million "
     "average monthly active recipients. EU only, required by law; kept apart from voluntary global reports."),
)
# Canned queries: (name, the table it needs, title, SQL)
QUERIES = (
    ("figures_for_country", "facts", "Every current figure for one requesting country",
     "SELECT company, series, period_start, period_end, request_type_raw, metric, unit, value, value_low, "
     "value_high, status, raw_text, source_url, document_sha256, locator FROM facts WHERE country_iso2 = :country "
     "ORDER BY period_start DESC, company, metric"),
    ("government_asks_for_country", "government_asks", "What one government asked of every company",
     "SELECT * FROM government_asks WHERE country_iso2 = :country ORDER BY period_start DESC, company"),
    ("disclosure_for_company", "disclosure_levels", "One company's disclosure, year by year",
     "SELECT * FROM disclosure_levels WHERE company = :company ORDER BY kind, year"),
    ("requests_for_company", "requests_by_company_period", "One company's requests over time",
     "SELECT * FROM requests_by_company_period WHERE company = :company ORDER BY period_start"),
    ("restatements_for_company", "restatements", "What one company changed after publishing",
     "SELECT * FROM restatements WHERE company = :company"),
    ("eu_dsa_orders_by_period", "eu_dsa_orders", "EU DSA orders, every platform, newest period first",
     "SELECT * FROM eu_dsa_orders ORDER BY period_start DESC, company"),
)


@dataclass(frozen=True)
class SqliteSummary:
    path: Path
    tables: dict[str, int]
    seconds: float

    def __str__(self) -> str:
        counts = ", ".join(f"{t} {n}" for t, n in self.tables.items())
        return f"{self.path} ({counts}) in {self.seconds:.1f} s; serve it with: datasette {self.path.name} -m {METADATA_NAME}"


def _sqlite_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "REAL"
    return "TEXT"


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


def _batches(reader: pa.RecordBatchReader) -> Iterator[list[tuple[Any, ...]]]:
    for batch in reader:
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        yield [tuple(_value(v) for v in row) for row in zip(*columns, strict=True)]


def _copy(db: sqlite3.Connection, name: str, reader: pa.RecordBatchReader) -> int:
    schema = reader.schema
    cols = ", ".join(f'"{f.name}" {_sqlite_type(f.type)}' for f in schema)
    db.execute(f'DROP TABLE IF EXISTS "{name}"')
    db.execute(f'CREATE TABLE "{name}" ({cols})')
    marks = ", ".join("?" for _ in schema)
    n = 0
    for rows in _batches(reader):
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        n += len(rows)
    return n


def _relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = ? UNION ALL "
                            "SELECT 1 FROM duckdb_views() WHERE view_name = ?", [name, name]).fetchall())


def write_sqlite(con: duckdb.DuckDBPyConnection, export_dir: Path) -> SqliteSummary:
    """Write export_dir/govreq.db and export_dir/metadata.json from the export files and the warehouse views."""
    started = time.perf_counter()
    export_dir = Path(export_dir)
    path = export_dir / SQLITE_NAME
    tmp = path.with_suffix(".db.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    counts: dict[str, int] = {}
    try:
        for table, file_name, _, _ in FILE_TABLES:
            source = export_dir / file_name
            if not source.is_file():
                continue
            reader = "read_parquet" if file_name.endswith(".parquet") else "read_csv_auto"
            literal = "'" + str(source).replace("'", "''") + "'"
            counts[table] = _copy(db, table, con.sql(f"SELECT * FROM {reader}({literal})").to_arrow_reader(BATCH_ROWS))
        for table, _, _ in VIEW_TABLES:
            if _relation_exists(con, table):
                counts[table] = _copy(db, table, con.sql(f'SELECT * FROM "{table}"').to_arrow_reader(BATCH_ROWS))
        for table, columns in (("facts", ("company", "series", "period_start")), ("facts", ("country_iso2",)),
                               ("facts_history", ("company", "series", "period_start")), ("documents", ("sha256",))):
            if table in counts:
                db.execute(f'CREATE INDEX IF NOT EXISTS "{table}_{"_".join(columns)}" ON "{table}" '
                           f'({", ".join(columns)})')
        db.commit()
    finally:
        db.close()
    tmp.replace(path)
    (export_dir / METADATA_NAME).write_text(json.dumps(metadata(counts), indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    return SqliteSummary(path, counts, time.perf_counter() - started)


def metadata(tables: dict[str, int]) -> dict[str, Any]:
    """Datasette metadata: titles, column descriptions, source and licence per table, canned queries."""
    fact_columns = {name: desc for name, (desc, _) in datapackage.FACT_FIELDS.items()}
    document_columns = {name: desc for name, (desc, _) in datapackage.DOCUMENT_FIELDS.items()}
    described: dict[str, dict[str, Any]] = {}
    for table, _, title, description in FILE_TABLES:
        if table in tables:
            described[table] = {"title": title, "description": description,
                                "columns": document_columns if table == "documents" else fact_columns}
    for table, title, description in VIEW_TABLES:
        if table in tables:
            described[table] = {"title": title, "description": description + " Materialised from the warehouse "
                                "view of the same name (docs/views.md)."}
    for entry in described.values():
        entry.update({"source": "The companies' own transparency reports, each row citing its file (source_url, "
                                "document_sha256)", "license": LICENCE_NOTE})
    queries = {name: {"title": title, "sql": sql} for name, needs, title, sql in QUERIES if needs in tables}
    return {
        "title": "govreq: what governments ask of tech and telecom companies, as the companies published it",
        "description": "Every figure cites its source file (URL and sha256), the place in it and the text as "
                       "printed. A band stays a band, a blank is not a zero. Never add across units.",
        "license": LICENCE_NOTE,
        "source": "govreq (govreq export --sqlite)",
        "databases": {Path(SQLITE_NAME).stem: {"tables": described, "queries": queries}},
    }


