"""Requests over time: one figure per company and period (dashboard.request_totals), one panel per company."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from dashboard.charts import requests_over_time
from dashboard.context import KIND_LABELS, Row
from dashboard.format import period_label, plural
from dashboard.render import Builder, ChartBlock
from dashboard.request_totals import SUM_OF_TYPES

MAX_LINES = 8  # more request types than this in one panel cannot be told apart by colour


def busiest_lines(rows: list[Row]) -> tuple[list[Row], int]:
    """Per kind, the MAX_LINES request types with the most figures; returns the rows kept and how many types
    were left out (they remain in the warehouse and its export)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        counts[(r["kind"], r["line"])] += 1
    keep = set()
    for kind in {k for k, _ in counts}:
        ranked = sorted((n, line) for (k, line), n in counts.items() if k == kind)
        keep |= {(kind, line) for n, line in sorted(ranked, key=lambda t: (-t[0], t[1]))[:MAX_LINES]}
    return [r for r in rows if (r["kind"], r["line"]) in keep], len(counts) - len(keep)


def breaks(rows: list[Row], regime: Callable[[Row], str]) -> list[Row]:
    """Where a panel's breakdown changes between consecutive periods (say from an "all requests" line to
    separate request types): one labelled mark at the start of the first period of the new breakdown."""
    by_panel: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        by_panel[r["panel"]][(r["period_start"], r["period_end"])].add(regime(r))
    out = []
    for panel, periods in by_panel.items():
        previous: set[str] | None = None
        for (start, end), regimes in sorted(periods.items()):
            if previous is not None and regimes != previous:
                now = ", ".join(sorted(regimes))
                out.append({"panel": panel, "at": start, "short": f"from {period_label(start, end)}: {now}"[:60],
                            "label": f"From {period_label(start, end)} the figures are: {now} "
                                     f"(before: {', '.join(sorted(previous))})"})
            previous = regimes
    return out


def requests_block(slug: str, title: str, rows: list[Row], *, panel_by_kind: bool, note: str = "") -> ChartBlock:
    drawn = [{**r, "panel": KIND_LABELS.get(r["kind"], r["kind"]).capitalize() if panel_by_kind
              else r["company_name"]} for r in rows]

    def who(test: Callable[[str], bool]) -> str:
        return ", ".join(sorted({r["company_name"] for r in rows if test(r["basis"])}))

    printed = who(lambda b: b == "printed worldwide figure")
    by_country = who(lambda b: b == "sum of countries")
    by_type = who(lambda b: b.startswith(SUM_OF_TYPES))
    ranges = sum(1 for r in rows if r["value_low"] != r["value_high"])
    found = breaks(drawn, (lambda r: r["choice"]) if panel_by_kind else (lambda r: r["basis"]))
    takeaway = (
        f"{plural(len(rows), 'figure')} from {plural(len({r['company_name'] for r in rows}), 'company', 'companies')}"
        ". " + (f"Worldwide figures as printed: {printed}. " if printed else "")
        + (f"Sums of the per-country rows (the company printed no worldwide figure; a lower bound where small "
           f"countries are left out): {by_country}. " if by_country else "")
        + (f"Sums of the request types the company printed separately, counting only those its report counts "
           f"toward its totals: {by_type}. " if by_type else "")
        + (f"{plural(ranges, 'figure is a range', 'figures are ranges')}, drawn from low to high. " if ranges
           else "All figures are exact. ")
        + (f"{plural(len(found), 'dashed line marks', 'dashed lines mark')} where a report changes its breakdown: "
           "figures on either side are not comparable. " if found else "")
        + note
    ).strip()
    return ChartBlock(
        slug=slug, title=title, takeaway=takeaway, unit=requests_over_time.UNIT,
        build=requests_over_time.chart, rows=drawn,
        chart_args={"breaks": found} if panel_by_kind else {
            "breaks": found, "colour_field": "basis", "legend_title": "How the figure was obtained"},
        table=[("company_name", "Company"), ("line", "Request type" if panel_by_kind else "Report series"),
               ("period_start", "From"), ("period_end", "To"), ("shown", "Requests"), ("basis", "Basis"),
               ("raw_text", "As printed"), ("source_url", "Document")],
        sources=[r["source_url"] for r in rows],
    )


def page_requests(b: Builder, figures: list[Row]) -> Path:
    """`figures`: one per company, kind and period, as the mart site_request_figures chose them."""
    sections, missing, leads = [], [], []
    for kind in ("user-data", "content-removal"):
        drawn = [r for r in figures if r["kind"] == kind]
        if not drawn:
            missing.append((KIND_LABELS[kind].capitalize(), "no company's figures are loaded"))
            continue
        latest: dict[str, Row] = {}
        for r in sorted(drawn, key=lambda r: r["period_end"]):
            latest[r["company"]] = r
        top = sorted(latest.values(), key=lambda r: -r["value_high"])[:3]
        leads.append(f"{KIND_LABELS[kind].capitalize()}: {plural(len(latest), 'company reports', 'companies report')}"
                     " them; the largest latest figures: " + "; ".join(
                         f"{r['company_name']} {r['shown']} ({period_label(r['period_start'], r['period_end'])})"
                         for r in top) + ".")
        block = requests_block(f"requests-{kind}", f"{KIND_LABELS[kind].capitalize()}, per company", drawn,
                               panel_by_kind=False)
        sections.append(b.chart(block, "requests.html"))
    return b.page("requests.html", "requests.html", "Requests over time", charts=bool(sections),
                  sections=sections, missing=missing, leads=leads)
