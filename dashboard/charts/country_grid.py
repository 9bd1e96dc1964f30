"""What one government asked of every company: one row per company, one column per reporting period (latest
first), each cell the number of requests the company says this country made, exactly as printed.

Takeaway: side by side, which companies report this country and how many requests each received. Half-years
and years are drawn in separate panels, never mixed on one axis. A grey "not listed" cell means the company
published per-country figures for that period but this country is not in them (it may sit under a reporting
threshold); an empty cell means the company published no per-country figures for that period.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "requests"

CELL_CLASSES = ["exact figure", "range (band or suppressed)", "sum of request types", "blank in the report",
                "not listed"]
CELL_COLOURS = [palette.SKY_BLUE, palette.ORANGE, "#9ED2F0", "#dddddd", "#eeeeee"]
CADENCES = ["half-years", "years", "other periods"]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.FacetChart:
    """rows: row_label, period_label, period_start, cadence, cell_text, cell_class, value_low, value_high,
    raw_text, line (one per company and period)."""
    periods = [p for _, p in sorted({(r["period_start"], r["period_label"]) for r in rows}, reverse=True)]
    cadences = [c for c in CADENCES if any(r["cadence"] == c for r in rows)]
    base = alt.Chart().encode(
        x=alt.X("period_label:O", title=None, sort=periods, axis=alt.Axis(orient="top", labelAngle=-45)),
        y=alt.Y("row_label:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("cell_class:N", title=None, scale=alt.Scale(domain=CELL_CLASSES, range=CELL_COLOURS),
                        legend=alt.Legend(orient="top", direction="horizontal", columns=5)),
        tooltip=[
            alt.Tooltip("row_label:N", title="Company"),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("line:N", title="Request type (as printed)"),
            alt.Tooltip("cell_text:N", title="Requests"),
            alt.Tooltip("raw_text:N", title="As printed"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(text=alt.Text("cell_text:N"), color=alt.ColorValue(palette.BLACK))
    return palette.attach(
        alt.layer(cells, text, data=palette.rows_data(), width=alt.Step(64), height=alt.Step(22))
        .facet(row=alt.Row("cadence:N", title=None, sort=cadences,
                           header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top")), spacing=14,
               resolve=alt.Resolve(scale=alt.ScaleResolveMap(x="independent", y="independent")),
               title=title, description=description, config=palette.config()), rows,
    )
