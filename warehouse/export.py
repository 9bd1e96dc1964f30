"""`govreq export`: the current facts as facts.csv + facts.parquet + documents.csv + datapackage.json."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import datapackage
from warehouse.store import SQL, open_warehouse

FACTS_CSV = "facts.csv"
FACTS_PARQUET = "facts.parquet"
DOCUMENTS_CSV = "documents.csv"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class ExportSummary:
    out_dir: Path
    facts: int
    documents: int
    sources: int
    version: str
    seconds: float

    def __str__(self) -> str:
        return (f"{self.facts} facts from {self.sources} sources ({self.documents} documents), "
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


def _export(con: duckdb.DuckDBPyConnection, out_dir: Path) -> ExportSummary:
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(SQL("export_views.sql"))
    copies = [
        ("export_facts_csv", FACTS_CSV, "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"'"),
        ("export_documents_csv", DOCUMENTS_CSV, "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"'"),
        ("export_facts", FACTS_PARQUET, "FORMAT parquet, COMPRESSION zstd"),
    ]
    for view, name, options in copies:
        con.execute(f"COPY {view} TO {_quote_path(out_dir / name)} ({options})")
    facts, documents, current_sha256s, newest = con.execute(SQL("export_counts.sql")).fetchall()[0]
    sources = [
        datapackage.SourceRow(source_url=url, companies=list(companies), series=list(series),
                              document_sha256s=list(shas))
        for url, companies, series, shas, _ in con.execute(SQL("export_sources.sql")).fetchall()
    ]
    version = dataset_version(newest, current_sha256s)
    files = {name: _file_stats(out_dir / name) for name in (FACTS_CSV, DOCUMENTS_CSV, FACTS_PARQUET)}
    descriptor = datapackage.descriptor(version=version, sources=sources, files=files)
    (out_dir / DESCRIPTOR).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return ExportSummary(out_dir=out_dir, facts=int(facts), documents=int(documents), sources=len(sources),
                         version=version, seconds=time.perf_counter() - started)
