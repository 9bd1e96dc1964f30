"""EU Member States' orders per platform and reporting period, from the DSA's harmonised template (table 3).

Takeaway: how many orders from EU governments each platform says it received, raw and per million average
monthly active recipients in the EU, orders to act against illegal content and orders to provide information
apart. The figures are each filing's own all-EU totals; platforms categorise orders differently.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import Spec, field, tooltip

UNIT = "orders (and orders per million average monthly active recipients in the EU)"


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """rows: platform, period, measure, order_type, value (one row per platform, period, measure, order type)."""
    order_types = sorted({r["order_type"] for r in rows})
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": field("platform", "nominal", title=None, sort="-x"),
            "x": field("value", "quantitative", title=None),
            "color": field("order_type", "nominal", title="Orders",
                           scale={"domain": order_types, "range": palette.CATEGORICAL}, legend={"orient": "top"}),
            "yOffset": field("order_type", "nominal"),
            "tooltip": tooltip(("platform", "nominal", "Platform"), ("period", "nominal", "Period"),
                               ("order_type", "nominal", "Orders"), ("measure", "nominal", "Measure"),
                               ("shown", "nominal", "Value")),
        },
        "height": {"step": 16}, "width": 300,
    }
    return palette.spec({
        "data": palette.ROWS_DATA,
        "facet": {"column": field("measure", "nominal", title=None),
                  "row": field("period", "nominal", title=None, header={"labelAngle": 0})},
        "spec": bars,
        "resolve": {"scale": {"x": "independent"}},
    }, rows, title=title, description=description)
