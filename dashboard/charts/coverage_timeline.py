"""Which reporting periods each of a company's report series covers, from the figures in the warehouse.

Takeaway: where a company's record starts and stops, and where it has gaps: a gap is a period with no figures
in any downloaded file, not a period with zero requests.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import Spec, field, tooltip

UNIT = "reporting periods (no quantities)"

KIND_ORDER = ["user-data", "content-removal", "national-security", "other"]
KIND_COLOURS = [palette.BLUE, palette.ORANGE, palette.REDDISH_PURPLE, palette.GREY]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """rows: series_label, kind, period_start, period_end, figures, countries."""
    return palette.spec({
        "data": palette.ROWS_DATA,
        "mark": {"type": "bar", "height": 14, "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "x": field("period_start", "temporal", title="Reporting period",
                       axis={"labelExpr": palette.DATE_LABEL, "tickCount": 8}),
            "x2": {"field": "period_end"},
            "y": field("series_label", "nominal", title=None, axis={"labelLimit": 320}),
            "color": field("kind", "nominal", title="Kind of request",
                           scale={"domain": KIND_ORDER, "range": KIND_COLOURS}, legend={"orient": "bottom"}),
            "tooltip": tooltip(("series_label", "nominal", "Series"), ("period_start", "nominal", "From"),
                               ("period_end", "nominal", "To"), ("figures", "quantitative", "Figures"),
                               ("countries", "quantitative", "Countries")),
        },
        "height": {"step": 26}, "width": 620,
    }, rows, title=title, description=description)
