"""Which reporting periods each of a company's report series covers, from the figures in the warehouse.

Takeaway: where a company's record starts and stops, and where it has gaps: a gap is a period with no figures
in any downloaded file, not a period with zero requests.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "reporting periods (no quantities)"

KIND_ORDER = ["user-data", "content-removal", "national-security", "other"]
KIND_COLOURS = [palette.BLUE, palette.ORANGE, palette.REDDISH_PURPLE, palette.GREY]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.Chart:
    """rows: series_label, kind, period_start, period_end, figures, countries."""
    return palette.attach(
        alt.Chart(palette.rows_data())
        .mark_bar(height=14, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("period_start:T", title="Reporting period", axis=alt.Axis(labelExpr=palette.DATE_LABEL, tickCount=8)),
            x2=alt.X2("period_end:T"),
            y=alt.Y("series_label:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("kind:N", title="Kind of request", scale=alt.Scale(domain=KIND_ORDER,
                                                                               range=KIND_COLOURS),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("series_label:N", title="Series"), alt.Tooltip("period_start:N", title="From"),
                     alt.Tooltip("period_end:N", title="To"), alt.Tooltip("figures:Q", title="Figures"),
                     alt.Tooltip("countries:Q", title="Countries")],
        )
        .properties(title=title, description=description, width=620, height=alt.Step(26))
        .configure(**palette.base_config()), rows,
    )
