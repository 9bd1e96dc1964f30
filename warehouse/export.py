"""`govreq export`: the current figures (facts.csv, facts.parquet), every printing (facts_history.csv,
facts_history.parquet, and Hive-partitioned under facts_history/), documents.csv and datapackage.json.

Each file is one streamed COPY from a view (export_views.sql): nothing is materialised. Memory is capped so that
DuckDB's sorts spill to disk instead of growing with the warehouse (EXPORT_MEMORY_LIMIT; bench/views_10m.py
measures the peak), and the partitioned copy, whose row order no reader relies on, keeps no insertion order.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import datapackage
from warehouse.store import SQL, open_warehouse

FACTS_CSV = "facts.csv"
FACTS_PARQUET = "facts.parquet"
HISTORY_CSV = "facts_history.csv"
HISTORY_PARQUET = "facts_history.parquet"
HISTORY_PARTITIONED = "facts_history"  # folder: company=<slug>/year=<year of period_start>/data_0.parquet
EXPORT_MEMORY_LIMIT = "400MB"
DOCUMENTS_CSV = "documents.csv"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class ExportSummary:
    out_dir: Path
    facts: int          # current figures (facts.csv)
    printings: int      # every printing (facts_history)
    documents: int
    sources: int
    version: str
    seconds: float

    def __str__(self) -> str:
        return (f"{self.facts} facts ({self.printings} printings) from {self.sources} sources "
                f"({self.documents} documents), "
                f"version {self.version}, in {self.out_dir} ({self.seconds:.1f} s)")


def _quote_path(path: Path) -> str:
    """A file path as a SQL string literal (COPY TO takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _file_stats(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def dataset_version(newest_fetch_date: str | None, current_document_sha256s: str) -> str:
    """Newest fetch date of the current documents + a short hash of their sorted sha256 list (one per line):
    equal facts, equal version. The hash is the one the dashboard shows as govreq-<hash>."""
    digest = hashlib.sha256(current_document_sha256s.encode("ascii")).hexdigest()[:12]
    return f"{newest_fetch_date or '0000-00-00'}-{digest}"


def export(con_or_db_path: duckdb.DuckDBPyConnection | Path | str, out_dir: Path) -> ExportSummary:
    """Write the export into out_dir (created if needed). Two exports of one warehouse are byte-identical."""
    if isinstance(con_or_db_path, duckdb.DuckDBPyConnection):
        return _export(con_or_db_path, Path(out_dir))
    con = open_warehouse(Path(con_or_db_path), read_only=True)
    try:
        return _export(con, Path(out_dir))
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in con.execute(f"DESCRIBE {view}").fetchall()]


def _settings(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> dict[str, str]:
    rows = con.execute("SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)", [list(names)])
    return dict(rows.fetchall())


def _export(con: duckdb.DuckDBPyConnection, out_dir: Path) -> ExportSummary:
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(SQL("export_views.sql"))
    csv_options = "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"'"
    copies = [
        ("export_facts_csv", FACTS_CSV, csv_options),
        ("export_documents_csv", DOCUMENTS_CSV, csv_options),
        ("export_facts", FACTS_PARQUET, "FORMAT parquet, COMPRESSION zstd"),
        ("export_history_csv", HISTORY_CSV, csv_options),
        ("export_history", HISTORY_PARQUET, "FORMAT parquet, COMPRESSION zstd"),
    ]
    saved = _settings(con, ("memory_limit", "preserve_insertion_order"))
    con.execute(f"SET memory_limit = '{EXPORT_MEMORY_LIMIT}'")
    try:
        for view, name, options in copies:
            con.execute(f"COPY {view} TO {_quote_path(out_dir / name)} ({options})")
        partitioned = out_dir / HISTORY_PARTITIONED
        if partitioned.exists():
            shutil.rmtree(partitioned)
        # one folder per company and year; within a file the rows keep no particular order
        con.execute("SET preserve_insertion_order = false")
        con.execute(
            "COPY (SELECT *, CAST(year(period_start) AS INTEGER) AS year FROM export_history_unordered) "
            f"TO {_quote_path(partitioned)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (company, year))")
    finally:
        for name, value in saved.items():
            con.execute(f"SET {name} = '{value}'")
    facts, printings, documents, current_sha256s, newest = con.execute(SQL("export_counts.sql")).fetchall()[0]
    sources = [
        datapackage.SourceRow(source_url=url, companies=list(companies), series=list(series),
                              document_sha256s=list(shas))
        for url, companies, series, shas, _ in con.execute(SQL("export_sources.sql")).fetchall()
    ]
    version = dataset_version(newest, current_sha256s)
    files = {name: _file_stats(out_dir / name)
             for name in (FACTS_CSV, DOCUMENTS_CSV, FACTS_PARQUET, HISTORY_CSV, HISTORY_PARQUET)}
    columns = {"facts": _columns(con, "export_facts"), "facts_history": _columns(con, "export_history"),
               "documents": _columns(con, "export_documents")}
    descriptor = datapackage.descriptor(version=version, sources=sources, files=files, columns=columns)
    (out_dir / DESCRIPTOR).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return ExportSummary(out_dir=out_dir, facts=int(facts), printings=int(printings), documents=int(documents),
                         sources=len(sources), version=version, seconds=time.perf_counter() - started)
