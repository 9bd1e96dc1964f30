"""Compliance rates as the companies published them: the share of requests where some data was produced, or
where content was removed, in percent, per company and reporting period.

Takeaway: how often each company says it complied. Only percentages the company printed itself are drawn; no
rate is computed here. One panel per measure, because "some data produced" and "content removed" differ.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "percent"


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.FacetChart:
    """rows: company_name, measure, period_start, period_end, value_low, value_high, raw_text."""
    companies = sorted({r["company_name"] for r in rows})
    colour = alt.Color("company_name:N", title="Company", scale=alt.Scale(domain=companies,
                                                                          range=palette.CATEGORICAL),
                       legend=alt.Legend(orient="bottom", columns=3))
    x = alt.X("period_end:T", title="End of reporting period", scale=alt.Scale(padding=18),
              axis=alt.Axis(labelExpr=palette.DATE_LABEL, tickCount=8))
    y = alt.Y("value_low:Q", title="Percent (as published)", scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("company_name:N", title="Company"),
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("period_start:N", title="From"),
        alt.Tooltip("period_end:N", title="To"),
        alt.Tooltip("raw_text:N", title="As printed"),
    ]
    rule = alt.Chart().mark_rule(strokeWidth=3).encode(x=x, y=y, y2=alt.Y2("value_high:Q"), color=colour, tooltip=tooltip)
    low = alt.Chart().mark_tick(thickness=3, size=14, orient="horizontal").encode(
        x=x, y=alt.Y("value_low:Q"), color=colour, tooltip=tooltip)
    high = alt.Chart().mark_tick(thickness=3, size=14, orient="horizontal").encode(
        x=x, y=alt.Y("value_high:Q"), color=colour, tooltip=tooltip)
    return palette.attach(
        alt.layer(rule, low, high, data=palette.rows_data(), width=620, height=180)
        .facet(row=alt.Row("measure:N", title=None, header=alt.Header(labelAngle=0, labelAnchor="start",
                                                              labelOrient="top")),
               title=title, description=description, config=palette.config()), rows,
    )
