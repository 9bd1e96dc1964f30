"""EU Member States' orders per platform and reporting period, from the DSA's harmonised template (table 3).

Takeaway: how many orders from EU governments each platform says it received, raw and per million average
monthly active recipients in the EU, orders to act against illegal content and orders to provide information
apart. The figures are each filing's own all-EU totals; platforms categorise orders differently.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "orders (and orders per million average monthly active recipients in the EU)"


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.FacetChart:
    """rows: platform, period, measure, order_type, value (one row per platform, period, measure, order type)."""
    order_types = sorted({r["order_type"] for r in rows})
    tooltip = [alt.Tooltip("platform:N", title="Platform"), alt.Tooltip("period:N", title="Period"),
               alt.Tooltip("order_type:N", title="Orders"), alt.Tooltip("measure:N", title="Measure"),
               alt.Tooltip("shown:N", title="Value")]
    return palette.attach(
        alt.Chart(palette.rows_data())
        .mark_bar()
        .encode(
            y=alt.Y("platform:N", title=None, sort="-x"),
            x=alt.X("value:Q", title=None),
            color=alt.Color("order_type:N", title="Orders",
                            scale=alt.Scale(domain=order_types, range=palette.CATEGORICAL),
                            legend=alt.Legend(orient="top")),
            yOffset=alt.YOffset("order_type:N"),
            tooltip=tooltip,
        )
        .properties(width=300, height=alt.Step(16))
        .facet(column=alt.Column("measure:N", title=None), row=alt.Row("period:N", title=None,
                                                                        header=alt.Header(labelAngle=0)),
               resolve=alt.Resolve(scale=alt.ScaleResolveMap(x="independent")),
               title=title, description=description, config=palette.config()), rows,
    )
