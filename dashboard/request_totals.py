"""The requests charts' rows, read from the marts (warehouse/sql/views_site_2_marts.sql): `site_request_lines`, the
lines a report prints, and `site_request_figures`, the one figure that stands for a company's requests in one
period. Which figure stands for what is chosen in SQL (views_site_1_rules.sql), where `govreq query` reads it
too; this module only names companies and formats numbers.
"""

from __future__ import annotations

from dashboard.context import SQL_DIR, Row, Site, query, rule_on_rows
from dashboard.format import fmt_range

SUM_OF_TYPES = "sum of request types"


def _formatted(site: Site, rows: list[Row]) -> list[Row]:
    return [{**r, "company_name": site.name(r["company"]), "shown": fmt_range(r["value_low"], r["value_high"])}
            for r in rows]


def request_rows_and_figures(site: Site) -> tuple[list[Row], list[Row]]:
    """request_rows and request_figures from one computation of the lines (what the site builds from)."""
    site.con.execute((SQL_DIR / "request_lines_materialise.sql").read_text(encoding="utf-8"))
    figures = _formatted(site, query(site.con, "request_figures_built"))
    return (_formatted(site, query(site.con, "request_totals_built")),
            sorted(figures, key=lambda r: (r["company_name"].casefold(), r["kind"], r["period_start"])))


def request_rows(site: Site) -> list[Row]:
    """Every line the requests charts may draw (site_request_lines), in a total order."""
    return _formatted(site, query(site.con, "request_totals"))


def request_figures(site: Site) -> list[Row]:
    """One figure per company, kind and period (site_request_figures), ordered by company name and period."""
    rows = _formatted(site, query(site.con, "request_figures"))
    return sorted(rows, key=lambda r: (r["company_name"].casefold(), r["kind"], r["period_start"]))


def headline(rows: list[Row]) -> list[Row]:
    """The mart's rule (the SQL macro site_figure_per_company_period) applied to lines given here rather than
    read from the warehouse: for checks on synthetic lines, so that they test the very SQL the site uses."""
    kept = rule_on_rows("site_figure_per_company_period", rows,
                        {"source_table": None, "parts": "", "tables_in_period": 1})
    for r in kept:
        r["shown"] = fmt_range(r["value_low"], r["value_high"])
    return sorted(kept, key=lambda r: (r.get("company_name", r["company"]).casefold(), r["period_start"]))
