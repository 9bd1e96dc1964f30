"""The restatement ledger: figures a company changed, withdrew or added in a later release of a series.

The comparison is pure SQL (warehouse/sql/restatements.sql, which says what counts as each kind of change).
`rebuild` keeps the table `restatements` current, comparing only the series that have a new release;
`restatement_rows` runs the whole comparison live.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
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


def _query_rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
                ) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def restatement_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every change between releases of each series, computed now (works on a read-only connection)."""
    return _query_rows(con, SQL("restatements.sql"), {"series_keys": None})


def rules_sha256() -> str:
    """A fingerprint of the SQL that decides what a restatement is: when it changes, the ledger is rebuilt whole."""
    text = "\n".join(SQL(name) for name in ("restatements.sql", "views_restatements.sql", "views_core.sql"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did: the ledger's row count after it, and how much work it took."""

    rows: int
    series_compared: int    # series compared now (their releases' facts read)
    series_dropped: int     # series with no release left: their rows removed
    whole: bool             # rebuilt from scratch (first build, or the comparison rules changed)


def refresh(con: duckdb.DuckDBPyConnection) -> Rebuild:
    """Bring the table `restatements` up to date, in one transaction.

    Facts are never updated or deleted, so a series compared once gives the same rows until its list of
    releases changes: only series with a new (or re-ordered) release are compared again, and rows of series that
    no longer exist are deleted. With no new release nothing is read but the documents table, and nothing is
    written.
    """
    rules = rules_sha256()
    con.begin()
    try:
        current = dict(((c, s), r) for c, s, r in con.execute(
            "SELECT company, series, releases FROM restatement_series").fetchall())
        stored = {(c, s): (r, k) for c, s, r, k in con.execute(
            "SELECT company, series, releases, rules_sha256 FROM restatement_series_compared").fetchall()}
        ledger = con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE table_name = 'restatements' AND NOT temporary"
        ).fetchall()
        # whole: no ledger yet, other rules, or rows that no bookkeeping accounts for (a ledger built before it)
        whole = (not ledger or any(k != rules for _, k in stored.values())
                 or (not stored and con.execute("SELECT count(*) FROM restatements").fetchall()[0][0] > 0))
        compared = {} if whole else {key: r for key, (r, _) in stored.items()}
        new = sorted(key for key, releases in current.items() if compared.get(key) != releases)
        gone = sorted(key for key in compared if key not in current)
        if whole:
            # first build, or new rules: every series, in the ledger's order, into a table of the query's shape
            con.execute("CREATE OR REPLACE TABLE restatements AS\n" + SQL("restatements.sql"),
                        {"series_keys": None})
        else:
            if new or gone:
                con.executemany("DELETE FROM restatements WHERE company = ? AND series = ?",
                                [list(key) for key in new + gone])
            if new:
                con.execute("INSERT INTO restatements BY NAME\n" + SQL("restatements.sql"),
                            {"series_keys": [f"{c}|{s}" for c, s in new]})
        if whole or new or gone:
            con.execute("DELETE FROM restatement_series_compared")
            if current:
                con.executemany("INSERT INTO restatement_series_compared VALUES (?, ?, ?, ?)",
                                [[c, s, r, rules] for (c, s), r in sorted(current.items())])
        count = int(con.execute("SELECT count(*) FROM restatements").fetchall()[0][0])
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return Rebuild(rows=count, series_compared=len(current) if whole else len(new),
                   series_dropped=0 if whole else len(gone), whole=whole)


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the derived table `restatements` up to date (see `refresh`); return its row count."""
    return refresh(con).rows


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
        return "No restatements: no loaded release changed a figure an earlier release of its series printed.\n"
    return render_rows(rows, TABLE_COLUMNS, fmt, widths={
        "old_document_sha256": 12, "new_document_sha256": 12, "request_type_raw": 28, "old_raw_text": 16,
        "new_raw_text": 16, "series": 28,
    })
