"""Compliance rates as the companies published them: the share of requests where some data was produced, or
where content was removed, in percent, per company and reporting period.

Takeaway: how often each company says it complied. Only percentages the company printed itself are drawn; no
rate is computed here. One panel per measure, because "some data produced" and "content removed" differ.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import Spec, field, tooltip

UNIT = "percent"


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """rows: company_name, measure, period_start, period_end, value_low, value_high, raw_text."""
    companies = sorted({r["company_name"] for r in rows})
    colour = field("company_name", "nominal", title="Company",
                   scale={"domain": companies, "range": palette.CATEGORICAL}, legend={"columns": 3, "orient": "bottom"})
    x = field("period_end", "temporal", title="End of reporting period", scale={"padding": 18},
              axis={"labelExpr": palette.DATE_LABEL, "tickCount": 8})
    y = field("value_low", "quantitative", title="Percent (as published)", scale={"domain": [0, 100]})
    tips = tooltip(("company_name", "nominal", "Company"), ("measure", "nominal", "Measure"),
                   ("period_start", "nominal", "From"), ("period_end", "nominal", "To"),
                   ("raw_text", "nominal", "As printed"))
    rule = {"mark": {"type": "rule", "strokeWidth": 3},
            "encoding": {"x": x, "y": y, "y2": {"field": "value_high"}, "color": colour, "tooltip": tips}}
    low, high = ({"mark": {"type": "tick", "orient": "horizontal", "size": 14, "thickness": 3},
                  "encoding": {"x": x, "y": field(name, "quantitative"), "color": colour, "tooltip": tips}}
                 for name in ("value_low", "value_high"))
    return palette.spec({
        "data": palette.ROWS_DATA,
        "facet": {"row": field("measure", "nominal", title=None,
                               header={"labelAnchor": "start", "labelAngle": 0, "labelOrient": "top"})},
        "spec": {"layer": [rule, low, high], "height": 180, "width": 620},
    }, rows, title=title, description=description)
