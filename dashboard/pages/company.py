"""One page per company: its finding and charts first, then the evidence (disclosure, places checked, series,
sources), long lists collapsed; identical evidence for many years and kinds shown once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from dashboard.charts import coverage_timeline, disclosure_matrix
from dashboard.context import KIND_LABELS, Company, Row
from dashboard.format import file_stem, fmt_score, period_label, plural, year_ranges
from dashboard.pages.requests import busiest_lines, requests_block
from dashboard.render import Builder, ChartBlock


def disclosure_groups(mine: list[Row]) -> list[Row]:
    """Years and kinds with the same level and the same evidence are one row (a 600-character evidence repeated
    for nine kind-years buries what differs); every year and kind keeps its own anchor."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for r in sorted(mine, key=lambda r: (r["year"], r["kind"])):
        rdr = "; ".join(x for x in (f"P11a {fmt_score(r['rdr_p11a'])}" if r["rdr_p11a"] else "",
                                    f"F6 {fmt_score(r['rdr_f6'])}" if r["rdr_f6"] else "") if x)
        key = (r["level"], r["evidence"], r["scope"], rdr, r["notes"])
        groups.setdefault(key, []).append(r)
    out = []
    for (level, evidence, scope, rdr, notes), group in groups.items():
        kinds = list(dict.fromkeys(g["kind"] for g in group))
        out.append({
            "anchors": [f"disclosure-{g['year']}-{file_stem(g['kind'])}" for g in group],
            "years": year_ranges(g["year"] for g in group), "newest": max(g["year"] for g in group),
            "kinds": ", ".join(KIND_LABELS.get(k, k) for k in kinds),
            "level": level, "level_label": disclosure_matrix.level_label(level),
            "evidence": evidence, "scope": scope, "rdr": rdr, "notes": notes,
        })
    return sorted(out, key=lambda g: -g["newest"])


def disclosure_summary(mine: list[Row]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Per kind, the years of each level: 'figures per country 2013-2022; report known, not read yet 2023-2025'."""
    out = []
    for kind in sorted({r["kind"] for r in mine}, key=lambda k: list(KIND_LABELS).index(k) if k in KIND_LABELS else 9):
        runs: dict[str, list[int]] = {}
        for r in sorted((r for r in mine if r["kind"] == kind), key=lambda r: r["year"]):
            runs.setdefault(r["level"], []).append(r["year"])
        out.append((KIND_LABELS.get(kind, kind), [(level, disclosure_matrix.level_label(level), year_ranges(years))
                                                  for level, years in runs.items()]))
    return out


def finding(company: Company, mine: list[Row], totals: list[Row], coverage: list[Row]) -> str:
    """One sentence: what the company discloses in its newest year assessed, and its latest figures."""
    parts = []
    informative = [r for r in mine if r["level"] not in disclosure_matrix.UNINFORMATIVE]
    if informative:
        if all(r["level"] == "none-found" for r in informative):
            years = year_ranges(r["year"] for r in mine if r["level"] == "none-found")
            parts.append(f"{company.name}: nothing found about government requests ({years})")
        else:
            kinds = {r["kind"] for r in informative}
            kind = "user-data" if "user-data" in kinds else sorted(kinds)[0]
            newest = max((r for r in informative if r["kind"] == kind), key=lambda r: r["year"])
            parts.append(f"{company.name}, newest year assessed ({newest['year']}): "
                         f"{disclosure_matrix.level_label(newest['level'])} on {KIND_LABELS.get(kind, kind)}")
    elif mine:
        parts.append(f"{company.name}: {disclosure_matrix.level_label(mine[-1]['level'])}")
    else:
        parts.append(f"{company.name}: no disclosure assessment yet")
    for kind in ("user-data", "content-removal"):
        figures = [r for r in totals if r["kind"] == kind]
        if figures:
            last = max(figures, key=lambda r: r["period_end"])
            parts.append(f"{KIND_LABELS[kind]}: {last['shown']} in {period_label(last['period_start'], last['period_end'])}")
    if coverage:
        parts.append(f"{plural(sum(c['figures'] for c in coverage), 'figure')} from "
                     f"{min(c['period_start'] for c in coverage)[:4]} to {max(c['period_end'] for c in coverage)[:4]}")
    return "; ".join(parts) + "."


def staleness(sources: list[Row]) -> list[Row]:
    today = dt.date.today()
    out = []
    for s in (s for s in sources if s["is_newest"]):
        newest = s["newest_period_end"] or ""
        age = (today - dt.date.fromisoformat(newest)).days // 30 if newest else None
        out.append({**s, "age": "" if age is None else f"{age} months",
                    "flag": f"{s['newer_unloaded']} newer download(s) could not be read" if s["newer_unloaded"] else ""})
    return out


def page_company(b: Builder, company: Company, requests: list[Row], figures: list[Row], levels: list[Row] | None,
                 why: str, coverage: list[Row], sources: list[Row], failed: list[Row]) -> Path:
    """`requests`: the lines the charts draw (site_request_lines); `figures`: one per kind and period, as the mart
    site_request_figures chose them (the finding's latest figures)."""
    path = company.page
    stem = file_stem(company.slug)
    mine_levels = [r for r in levels or [] if r["company"] == company.slug]
    mine_cov = [c for c in coverage if c["company"] == company.slug]
    mine_req = [r for r in requests if r["company"] == company.slug]
    mine_sources = [s for s in sources if s["company"] == company.slug]
    charts = []
    req, left_out = busiest_lines(mine_req)
    if req:
        note = (f"{plural(left_out, 'request type with few figures is', 'request types with few figures are')} "
                "left out of the chart (they are in the dataset export)." if left_out else "")
        charts.append(b.chart(requests_block(f"{stem}-requests", f"{company.name}: requests over time", req,
                                             panel_by_kind=True, note=note), path))
    if mine_cov:
        drawn = [{**c, "series_label": f"{c['series']} ({c['kind']})"} for c in mine_cov]
        charts.append(b.chart(ChartBlock(
            slug=f"{stem}-coverage", title=f"{company.name}: reporting periods covered",
            takeaway=f"{len({(c['series'], c['kind']) for c in mine_cov})} series from "
                     f"{min(c['period_start'] for c in mine_cov)} to {max(c['period_end'] for c in mine_cov)}; gaps "
                     "are periods with no figures, not zeros.",
            unit=coverage_timeline.UNIT, build=coverage_timeline.chart, rows=drawn,
            table=[("series_label", "Series"), ("period_start", "From"), ("period_end", "To"),
                   ("figures", "Figures"), ("countries", "Countries")],
            sources=[s["url"] for s in mine_sources if s["is_newest"]],
        ), path))
    checked: list[dict[str, Any]] = [
        {"url": str(getattr(c, "url", "")), "checked_on": str(getattr(c, "checked_on", "")),
         "found": str(getattr(c, "found", "")), "by": str(getattr(c, "by", ""))} for c in company.checked]
    series = [{"id": getattr(s, "id", ""), "kind": getattr(s, "kind", ""), "format": getattr(s, "format", ""),
               "cadence": getattr(s, "cadence", ""),
               "urls": list(dict.fromkeys(str(u) for u in [getattr(s, "landing_url", None),
                                                           *(getattr(s, "download_urls", None) or [])] if u))}
              for s in company.series]
    return b.page(
        path, "company.html", company.name, charts=bool(charts), company=company,
        finding=finding(company, mine_levels, [f for f in figures if f["company"] == company.slug
                                               and f["kind"] in ("user-data", "content-removal")], mine_cov),
        charts_html=charts, levels=levels, why=why, groups=disclosure_groups(mine_levels), summary=disclosure_summary(mine_levels), checked=checked,
        series=series, fresh=staleness(mine_sources), sources=mine_sources,
        failed=[f for f in failed if f["company"] == company.slug],
        doc_href=lambda sha: f"../documents.html#doc-{sha}",
    )


def page_companies(b: Builder, levels: list[Row] | None) -> Path:
    latest: dict[str, str] = {}
    for r in sorted(levels or [], key=lambda r: r["year"]):
        if r["kind"] == "user-data" or r["company"] not in latest:
            latest[r["company"]] = f"{r['year']}: {disclosure_matrix.level_label(r['level'])}"
    companies = [{"c": c, "href": f"{file_stem(c.slug)}.html", "latest": latest.get(c.slug, "")}
                 for c in sorted(b.site.companies.values(), key=lambda c: c.name.casefold())]
    return b.page("companies/index.html", "companies.html", "Companies", companies=companies)
