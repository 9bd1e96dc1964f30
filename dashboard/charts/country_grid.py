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
from dashboard.charts.palette import Spec, field, tooltip

UNIT = "requests"

CELL_CLASSES = ["exact figure", "range (band or suppressed)", "sum of request types", "blank in the report",
                "not listed"]
CELL_COLOURS = [palette.SKY_BLUE, palette.ORANGE, "#9ED2F0", "#dddddd", "#eeeeee"]
CADENCES = ["half-years", "years", "other periods"]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """rows: row_label, period_label, period_start, cadence, cell_text, cell_class, value_low, value_high,
    raw_text, line (one per company and period)."""
    periods = [p for _, p in sorted({(r["period_start"], r["period_label"]) for r in rows}, reverse=True)]
    cadences = [c for c in CADENCES if any(r["cadence"] == c for r in rows)]
    x = field("period_label", "ordinal", title=None, sort=periods, axis={"labelAngle": -45, "orient": "top"})
    y = field("row_label", "nominal", title=None, sort="ascending", axis={"labelLimit": 220})
    cells = {
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "x": x, "y": y,
            "color": field("cell_class", "nominal", title=None, scale={"domain": CELL_CLASSES, "range": CELL_COLOURS},
                           legend={"columns": 5, "direction": "horizontal", "orient": "top"}),
            "tooltip": tooltip(("row_label", "nominal", "Company"), ("period_label", "nominal", "Period"),
                               ("line", "nominal", "Request type (as printed)"), ("cell_text", "nominal", "Requests"),
                               ("raw_text", "nominal", "As printed")),
        },
    }
    text = {"mark": {"type": "text", "fontSize": 10},
            "encoding": {"x": x, "y": y, "text": field("cell_text", "nominal"), "color": {"value": palette.BLACK}}}
    return palette.spec({
        "data": palette.ROWS_DATA,
        "facet": {"row": field("cadence", "nominal", title=None, sort=cadences,
                               header={"labelAnchor": "start", "labelAngle": 0, "labelOrient": "top"})},
        "spec": {"layer": [cells, text], "height": {"step": 22}, "width": {"step": 64}},
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
        "spacing": 14,
    }, rows, title=title, description=description)
