"""Government requests over time, one panel per company (or per kind of request on a company page),
counted in requests only (never accounts).

Takeaway: how the number of requests each company received changed between reporting periods. A bar from low
to high is a range the company printed (a band, or a sum that includes suppressed "<10" cells); a single dash is
an exact figure. Panels have their own scales: compare shapes across companies, not heights.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from warehouse.charts import palette

UNIT = "requests"


def chart(rows: list[dict[str, Any]], *, title: str, description: str,
          legend_title: str = "Request type (as the company labels it)") -> alt.FacetChart:
    """rows: panel, company_name, line, period_start, period_end, value_low, value_high, basis, raw_text, shown."""
    lines = sorted({r["line"] for r in rows})
    colour = alt.Color(
        "line:N", title=legend_title,
        scale=alt.Scale(domain=lines, range=palette.CATEGORICAL),
        legend=alt.Legend(orient="bottom", columns=2, titleLimit=500),
    )
    x = alt.X("period_end:T", title="End of reporting period", scale=alt.Scale(padding=18),
              axis=alt.Axis(labelExpr=palette.DATE_LABEL, tickCount=8))
    tooltip = [
        alt.Tooltip("company_name:N", title="Company"),
        alt.Tooltip("line:N", title="Request type"),
        alt.Tooltip("period_start:N", title="From"),
        alt.Tooltip("period_end:N", title="To"),
        alt.Tooltip("shown:N", title="Requests"),
        alt.Tooltip("basis:N", title="Basis"),
    ]
    rule = alt.Chart().mark_rule(strokeWidth=3).encode(
        x=x, y=alt.Y("value_low:Q", title="Requests"), y2="value_high:Q", color=colour, tooltip=tooltip,
    )
    low = alt.Chart().mark_tick(thickness=3, size=14, orient="horizontal").encode(
        x=x, y="value_low:Q", color=colour, tooltip=tooltip,
    )
    high = alt.Chart().mark_tick(thickness=3, size=14, orient="horizontal").encode(
        x=x, y="value_high:Q", color=colour, tooltip=tooltip,
    )
    return (
        alt.layer(rule, low, high, data=alt.Data(values=rows))
        .properties(width=620, height=150)
        .facet(row=alt.Row("panel:N", title=None, header=alt.Header(labelAngle=0, labelAnchor="start",
                                                                    labelOrient="top")))
        .resolve_scale(y="independent")
        .properties(title=title, description=description)
        .configure(**palette.base_config())
    )
