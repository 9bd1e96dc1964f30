"""Compare a secondary compilation's figures with our own parsed facts: where they agree and where they do not.

The query lives in `sql/crosscheck.sql`; this module runs it and renders the result for `govreq crosscheck`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

SQL_FILE = Path(__file__).with_name("sql") / "crosscheck.sql"
VERDICTS = ("agree", "disagree", "not_comparable", "partial_period")


def crosscheck(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """The rows of the cross-check query, as tuples in the query's column order."""
    return con.execute(SQL_FILE.read_text(encoding="utf-8")).fetchall()


def crosscheck_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The cross-check as dicts (column name -> value), one per secondary figure with an own counterpart."""
    cur = con.execute(SQL_FILE.read_text(encoding="utf-8"))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _interval(low: float | None, high: float | None) -> str:
    if low is None:
        return "-"
    return f"{low:g}" if low == high else f"{low:g}..{'' if high is None else f'{high:g}'}"


def format_table(rows: list[dict[str, Any]]) -> str:
    """A summary of verdicts per company, then every disagreement with both sides as printed."""
    if not rows:
        return "No secondary figure has a counterpart among our own facts."
    counts = Counter((r["company"], r["verdict"]) for r in rows)
    companies = sorted({r["company"] for r in rows})
    lines = ["Secondary figures compared with our own facts (counts by verdict):",
             f"{'company':<14}" + "".join(f"{v:>16}" for v in VERDICTS)]
    for company in companies:
        lines.append(f"{company:<14}" + "".join(f"{counts[(company, v)]:>16}" for v in VERDICTS))
    disagree = [r for r in rows if r["verdict"] == "disagree"]
    lines += ["", f"Disagreements ({len(disagree)}):"]
    header = ("company", "period", "country", "metric", "secondary", "own", "own as printed")
    table = [header] + [(
        r["company"], f"{r['period_start']}..{r['period_end']}", r["country_iso2"] or r["country_raw"], r["metric"],
        _interval(r["secondary_low"], r["secondary_high"]), _interval(r["own_low"], r["own_high"]),
        str(r["own_raw"]),
    ) for r in disagree]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in table]
    return "\n".join(lines)


__all__ = ["crosscheck", "crosscheck_rows", "format_table"]
