"""One page per requesting country: every company's figures for it side by side, latest periods first."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from dashboard.charts import country_grid
from dashboard.context import KIND_LABELS, Row, Site, query
from dashboard.format import cadence, file_stem, fmt_range, period_label, plural
from dashboard.render import Builder, ChartBlock


def _cell(row_label: str, period: tuple[str, str], found: list[Row]) -> Row:
    """One company's cell for one period: its one figure, or its request types summed (lows and highs apart,
    so a range stays a range), or the gap it left."""
    with_values = [f for f in found if f["value_low"] is not None]
    if len(with_values) == 1:
        f = with_values[0]
        text = fmt_range(f["value_low"], f["value_high"])
        cls = "exact figure" if f["value_low"] == f["value_high"] else "range (band or suppressed)"
        low, high, line, raw, url = f["value_low"], f["value_high"], f["line"], f["raw_text"], f["source_url"]
    elif with_values:
        low = sum(f["value_low"] for f in with_values)
        high = sum(f["value_high"] for f in with_values)
        text, cls = fmt_range(low, high), "sum of request types"
        line = " + ".join(f["line"] for f in with_values)
        raw = " + ".join(f"{f['line']}: {f['raw_text']}" for f in with_values)
        url = with_values[0]["source_url"]
    else:
        f = found[0]
        text, cls = ("not listed", "not listed") if f["status"] == "not_listed" else ("blank", "blank in the report")
        low = high = None
        line, raw, url = f["line"], f["raw_text"], f["source_url"]
    return {"row_label": row_label, "period_label": period_label(*period), "period_start": period[0],
            "period_end": period[1], "cadence": cadence(*period), "cell_text": text, "cell_class": cls,
            "value_low": low, "value_high": high, "raw_text": raw, "source_url": url, "line": line}


def country_grid_rows(site: Site, figures: list[Row], kind: str) -> list[Row]:
    """One row per company (never one per label wording), one cell per period it printed per-country figures.

    Where two files (or series) of a company cover one period, only one is used, never both added: the file
    the company published last (by Last-Modified, else first download), whose figures restate the older one's.
    """
    by_company: dict[str, dict[tuple[str, str], list[Row]]] = defaultdict(lambda: defaultdict(list))
    for f in figures:
        if f["kind"] == kind:
            by_company[f["company"]][(f["period_start"], f["period_end"])].append(f)
    rows = []
    for slug in sorted(by_company, key=lambda s: site.name(s).casefold()):
        for period, found in sorted(by_company[slug].items()):
            files: dict[tuple[str, str], list[Row]] = defaultdict(list)
            for f in found:
                files[(f["series"], f["source_url"])].append(f)
            newest = max(files, key=lambda k: (site.published_order.get(k[1], ""), k))
            rows.append(_cell(site.name(slug), period, sorted(files[newest], key=lambda f: f["line"])))
    return rows


def _dropdown(ranked: list[Row]) -> list[tuple[str, str]]:
    return [(f"{file_stem(c['country_iso2'])}.html", f"{c['country_label']} ({c['country_iso2']})") for c in ranked]


def page_countries(b: Builder) -> list[Path]:
    ranked = query(b.site.con, "countries")[:b.site.top_countries]
    written = [b.page("countries/index.html", "countries_index.html", "By requesting country", ranked=ranked,
                      options=_dropdown(ranked), current="")]
    every: dict[str, list[Row]] = defaultdict(list)
    for f in query(b.site.con, "country_figures", {"countries": [c["country_iso2"] for c in ranked]}):
        if not b.site.company(f["company"]).secondary:
            every[f["country"]].append(f)
    for c in ranked:
        path = f"countries/{file_stem(c['country_iso2'])}.html"
        figures = every[c["country_iso2"]]
        label = c["country_label"]
        sections, missing, leads = [], [], []
        for kind in ("user-data", "content-removal"):
            grid = country_grid_rows(b.site, figures, kind)
            if not grid:
                missing.append((KIND_LABELS[kind].capitalize(), "no company reports them per country"))
                continue
            reporting = sorted({r["row_label"] for r in grid if r["value_low"] is not None})
            latest = {}
            for r in sorted(grid, key=lambda r: r["period_end"]):
                if r["value_low"] is not None:
                    latest[r["row_label"]] = r
            top = sorted(latest.values(), key=lambda r: -r["value_high"])[:3]
            leads.append(
                f"{KIND_LABELS[kind].capitalize()}: {plural(len(reporting), 'company lists', 'companies list')} "
                f"{label}" + ("; latest figures: " + "; ".join(
                    f"{r['row_label']} {r['cell_text']} ({r['period_label']})" for r in top) if top else "") + ".")
            block = ChartBlock(
                slug=f"{file_stem(c['country_iso2'])}-{kind}",
                title=f"{KIND_LABELS[kind].capitalize()} from {label}, per company and period",
                takeaway=f"{len(reporting)} of {plural(len({r['row_label'] for r in grid}), 'company', 'companies')} "
                         f"print a figure for {label}; latest periods on the left, half-years and years apart. "
                         "\"not listed\" and an empty cell (no per-country figures that period) are gaps, not zeros.",
                unit=country_grid.UNIT, build=country_grid.chart, rows=grid,
                table=[("row_label", "Company"), ("period_label", "Period"), ("line", "Request type as printed"),
                       ("cell_text", "Requests"), ("raw_text", "As printed"), ("source_url", "Document")],
                sources=[r["source_url"] for r in grid],
            )
            sections.append(b.chart(block, path))
        with_figures = {f["company"] for f in figures}
        silent = sorted(co.name for co in b.site.companies.values()
                        if not co.secondary and co.slug not in with_figures)
        written.append(b.page(path, "country.html", str(label), charts=bool(sections), country=c,
                              options=_dropdown(ranked), current=f"{file_stem(c['country_iso2'])}.html",
                              sections=sections, missing=missing, leads=leads, silent=silent))
    return written
