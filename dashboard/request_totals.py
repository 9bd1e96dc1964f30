"""Which figure stands for a company's requests in one period (moved as it was from warehouse/site.py).

The SQL (dashboard/sql/request_totals.sql) picks the lines a report prints; `one_figure` reduces one series'
lines to one figure and `headline` keeps one figure per company and period. Kept in one small module so the
rule can be replaced on its own.
"""

from __future__ import annotations

from collections import defaultdict

from dashboard.context import Row, Site, query
from dashboard.format import fmt_range

SUM_OF_TYPES = "sum of request types"


def request_rows(site: Site) -> list[Row]:
    rows = []
    # a total order (the SQL's leaves ties), so the same warehouse draws the same charts and reuses their images
    ordered = sorted(query(site.con, "request_totals"), key=lambda r: tuple(str(r[k]) for k in (
        "company", "series", "kind", "line", "period_start", "period_end", "basis", "value_low", "source_url")))
    for r in ordered:
        if site.company(r["company"]).secondary:
            continue
        rows.append({**r, "company_name": site.name(r["company"]),
                     "shown": fmt_range(r["value_low"], r["value_high"])})
    return rows


def one_figure(group: list[Row]) -> Row | None:
    """One company's lines of one series and period reduced to one figure: the printed "all requests" (or
    total) line if there is exactly one, else the sum of the lines (each counts toward the company's totals:
    the SQL leaves out rows a report excludes, e.g. Google's preservation requests). Lows and highs are summed
    separately, so a range stays a range; printed worldwide lines are preferred to sums of countries."""
    printed = [r for r in group if r["basis"] != "sum of countries"]
    lines = printed or group
    if len({r.get("source_table") for r in lines}) > 1:
        return None  # lines from two tables of one release (two breakdowns, or unlike requests): never added
    if len(lines) == 1:
        return {**lines[0], "line": lines[0]["series"]}
    alls = [r for r in lines if r["choice"] == "all requests line"]
    if len(alls) == 1:
        return {**alls[0], "line": alls[0]["series"]}
    first = lines[0]
    suppressed = any(r["value_low"] != r["value_high"] for r in lines)
    return {
        **first, "line": first["series"],
        "value_low": sum(r["value_low"] for r in lines), "value_high": sum(r["value_high"] for r in lines),
        "status": "range" if suppressed else "reported",
        "basis": SUM_OF_TYPES + (" (each a sum of countries)" if lines[0]["basis"] == "sum of countries" else ""),
        "raw_text": " + ".join(f"{r['line']}: {r['shown']}" for r in lines),
        "parts": f"{first.get('source_table', '')}: sum of {len(lines)} request types as printed",
        "rows_used": sum(r["rows_used"] for r in lines),
        "lines_in_period": len(lines),
    }


def headline(rows: list[Row]) -> list[Row]:
    """Exactly one figure per company and period for the overview (never added across units or metrics: the
    rows are all the metric `requests` in unit `requests`). Where two series of one company cover the same
    period, the one with a printed worldwide figure is kept, never both."""
    groups: dict[tuple[str, str, str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r["company"], r["series"], r["period_start"], r["period_end"])].append(r)
    by_period: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for (company, _, start, end), group in sorted(groups.items()):
        if (figure := one_figure(group)) is not None:
            by_period[(company, start, end)].append(figure)
    kept = []
    for candidates in by_period.values():
        candidates.sort(key=lambda r: (r["basis"] != "printed worldwide figure", r["series"]))
        kept.append(candidates[0])
    for r in kept:
        r["shown"] = fmt_range(r["value_low"], r["value_high"])
    return sorted(kept, key=lambda r: (r["company_name"].casefold(), r["period_start"]))
