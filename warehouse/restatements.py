"""The restatement ledger: figures a company changed, withdrew or added after publishing a file.

The comparison is pure SQL (warehouse/sql/restatements.sql, which says what counts as each kind of change).
`rebuild` materialises it as the table `restatements`; `restatement_rows` runs it live.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import duckdb

from warehouse.store import SQL

KINDS = ("value_changed", "status_changed", "withdrawn", "added")

# The CSV contract: these first, in this order, then every other column of the ledger.
CSV_COLUMNS = (
    "company", "series", "period_start", "period_end", "country_iso2", "request_type_raw", "metric", "kind",
    "old_raw_text", "new_raw_text", "old_document_sha256", "new_document_sha256", "old_locator", "new_locator",
    "old_source_url", "new_source_url",
)
# A readable subset for the terminal.
TABLE_COLUMNS = (
    "company", "series", "period_end", "country_iso2", "request_type_raw", "metric", "kind", "old_raw_text",
    "new_raw_text", "old_document_sha256", "new_document_sha256",
)


def _query_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def restatement_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every change between consecutive versions of each file, computed now (works on a read-only connection)."""
    return _query_rows(con, SQL("restatements.sql"))


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the derived table `restatements` with the ledger as of now; return its row count."""
    con.begin()
    try:
        con.execute("CREATE OR REPLACE TABLE restatements AS\n" + SQL("restatements.sql"))
        count = int(con.execute("SELECT count(*) FROM restatements").fetchall()[0][0])
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return count


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
                widths: dict[str, int] | None = None) -> str:
    """Rows as CSV (every column in `columns` order) or as an aligned plain-text table (cells cut to `widths`)."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: _text(r.get(c)) for c in columns} for r in rows)
        return buf.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: expected 'table' or 'csv'")
    widths = widths or {}

    def cell(row: dict[str, Any], c: str) -> str:
        text = _text(row.get(c)).replace("\n", " ")
        limit = widths.get(c)
        return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"

    cells = [[cell(r, c) for c in columns] for r in rows]
    size = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(size[i]) for i, c in enumerate(columns)).rstrip(),
             "  ".join("-" * n for n in size)]
    lines += ["  ".join(v.ljust(size[i]) for i, v in enumerate(line)).rstrip() for line in cells]
    return "\n".join(lines) + "\n"


def format_restatements(rows: Sequence[dict[str, Any]], fmt: str = "table") -> str:
    """The ledger as CSV (the contract columns, then the rest) or as a terminal table with short hashes."""
    if fmt not in ("csv", "table"):
        raise ValueError(f"unknown format {fmt!r}: expected 'table' or 'csv'")
    if fmt == "csv":
        extra = [c for c in (rows[0] if rows else {}) if c not in CSV_COLUMNS]
        return render_rows(rows, [*CSV_COLUMNS, *extra], "csv")
    if not rows:
        return "No restatements: no loaded file has a second version that changed a figure.\n"
    return render_rows(rows, TABLE_COLUMNS, fmt, widths={
        "old_document_sha256": 12, "new_document_sha256": 12, "request_type_raw": 28, "old_raw_text": 16,
        "new_raw_text": 16, "series": 28,
    })
