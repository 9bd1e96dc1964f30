"""`govreq export`: the current figures (facts.csv, facts.parquet), every printing (facts_history.csv,
facts_history.parquet, and Hive-partitioned under facts_history/), documents.csv and datapackage.json.

Each file is streamed from a view (export_views.sql), one chunk of about CHUNK_ROWS rows at a time (one company,
series and year, or several small ones): nothing is materialised, and the only sort is of one chunk, so memory
does not grow with the warehouse (DuckDB is also
capped at EXPORT_MEMORY_LIMIT, on one thread; bench/views_10m.py measures the peak). The partitioned copy, whose row order no
reader relies on, keeps no insertion order.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from warehouse import datapackage
from warehouse.store import SQL, open_warehouse

FACTS_CSV = "facts.csv"
FACTS_PARQUET = "facts.parquet"
HISTORY_CSV = "facts_history.csv"
HISTORY_PARQUET = "facts_history.parquet"
HISTORY_PARTITIONED = "facts_history"  # folder: company=<slug>/year=<year of period_start>/data_0.parquet
EXPORT_MEMORY_LIMIT = "250MB"  # 150 MB ran out on the grown corpus (the history CSV, one chunk)
CHUNK_ROWS = 50_000  # printings sorted at once (see _chunks)
PARQUET_BATCH_ROWS = 20_000  # rows per Arrow batch and Parquet row group: bounds the memory outside DuckDB
CSV_OPTIONS = "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"'"
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
    """Size and sha256 of a file, read in 1 MiB pieces (the history is larger than the memory an export gets)."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


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


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _chunks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """WHERE clauses that cut the export's sort order (company, series, period_start, ...) into consecutive
    pieces of about CHUNK_ROWS printings, by (company, series, year of period_start): each piece is sorted on its
    own and the pieces in order are the whole file in order."""
    counts = con.execute(
        "SELECT f.company, f.series, CAST(year(f.period_start) AS INTEGER), count(*) FROM facts f "
        "JOIN documents d ON d.sha256 = f.document_sha256 AND d.parse_status IN ('loaded', 'partial') "
        "GROUP BY ALL ORDER BY ALL").fetchall()
    chunks: list[list[str]] = []
    size = CHUNK_ROWS
    for company, series, year, n in counts:
        if size + n > CHUNK_ROWS:
            chunks.append([])
            size = 0
        chunks[-1].append(f"(company = {_literal(company)} AND series = {_literal(series)} "
                          f"AND year(period_start) = {year})")
        size += n
    return [" OR ".join(c) for c in chunks] or ["false"]


def _copy_csv(con: duckdb.DuckDBPyConnection, view: str, path: Path, chunks: list[str]) -> None:
    """COPY the view to one CSV, one chunk at a time (_chunks), the header once."""
    part = path.with_name(path.name + ".part")
    try:
        with path.open("wb") as out:
            for i, where in enumerate(chunks):
                con.execute(f"COPY (SELECT * FROM {view} WHERE {where}) TO {_quote_path(part)} ({CSV_OPTIONS})")
                with part.open("rb") as f:
                    if i:
                        f.readline()  # the header (column names hold no line breaks)
                    shutil.copyfileobj(f, out)
    finally:
        part.unlink(missing_ok=True)


def _copy_parquet(con: duckdb.DuckDBPyConnection, view: str, path: Path, chunks: list[str]) -> None:
    """The same rows as _copy_csv, typed, in one Parquet file: DuckDB writes each chunk, and the chunks are
    streamed into the file PARQUET_BATCH_ROWS rows at a time."""
    part = path.with_name(path.name + ".part")
    writer: pq.ParquetWriter | None = None
    try:
        for where in chunks:
            con.execute(f"COPY (SELECT * FROM {view} WHERE {where}) TO {_quote_path(part)} "
                        f"(FORMAT parquet, ROW_GROUP_SIZE {PARQUET_BATCH_ROWS})")
            source = pq.ParquetFile(part)
            if writer is None:
                writer = pq.ParquetWriter(path, source.schema_arrow, compression="zstd")
            for batch in source.iter_batches(batch_size=PARQUET_BATCH_ROWS):
                writer.write_batch(batch)
            source.close()
    finally:
        if writer is not None:
            writer.close()
        part.unlink(missing_ok=True)


def _export(con: duckdb.DuckDBPyConnection, out_dir: Path) -> ExportSummary:
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(SQL("export_views.sql"))
    companies = [c for (c,) in con.execute(
        "SELECT DISTINCT company FROM documents WHERE parse_status IN ('loaded', 'partial') ORDER BY company").fetchall()]
    chunks = _chunks(con)
    saved = _settings(con, ("memory_limit", "preserve_insertion_order", "threads"))
    con.execute(f"SET memory_limit = '{EXPORT_MEMORY_LIMIT}'")
    # one thread: each sorting thread of DuckDB 2.0 takes 256 MiB blocks, and two overran the cap (measured on
    # the corpus' Wikimedia history: out of memory at 2 threads, 400 MB; fine at 1)
    con.execute("SET threads = 1")
    try:
        con.execute(f"COPY export_documents_csv TO {_quote_path(out_dir / DOCUMENTS_CSV)} ({CSV_OPTIONS})")
        _copy_csv(con, "export_facts_csv", out_dir / FACTS_CSV, chunks)
        _copy_parquet(con, "export_facts", out_dir / FACTS_PARQUET, chunks)
        _copy_csv(con, "export_history_csv", out_dir / HISTORY_CSV, chunks)
        _copy_parquet(con, "export_history", out_dir / HISTORY_PARQUET, chunks)
        partitioned = out_dir / HISTORY_PARTITIONED
        if partitioned.exists():
            shutil.rmtree(partitioned)
        partitioned.mkdir()
        # company=<slug>/year=<year>/data_0.parquet; one company at a time, rows in no particular order
        con.execute("SET preserve_insertion_order = false")
        for company in companies:
            folder = partitioned / f"company={company}"
            con.execute(
                "COPY (SELECT * EXCLUDE (company), CAST(year(period_start) AS INTEGER) AS year "
                f"FROM export_history_unordered WHERE company = {_literal(company)}) TO {_quote_path(folder)} "
                f"(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), ROW_GROUP_SIZE {PARQUET_BATCH_ROWS})")
        # the counts and sources under the same cap: they read every printing too
        facts, printings, documents, current_sha256s, newest = con.execute(SQL("export_counts.sql")).fetchall()[0]
        sources = [
            datapackage.SourceRow(source_url=url, companies=list(companies), series=list(series),
                                  document_sha256s=list(shas))
            for url, companies, series, shas, _ in con.execute(SQL("export_sources.sql")).fetchall()
        ]
    finally:
        for name, value in saved.items():
            con.execute(f"SET {name} = '{value}'")
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
