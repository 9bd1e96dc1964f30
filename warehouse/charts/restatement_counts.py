"""How many published figures each company changed after publishing them, by kind of change.

Takeaway: which companies rewrite their history, and how: a changed value, a blank that became a number (a
change of status), a figure withdrawn, or one added to a past period. The ledger below the chart lists each one.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from warehouse.charts import palette

UNIT = "figures changed"

KINDS = ["value_changed", "status_changed", "withdrawn", "added"]
KIND_COLOURS = [palette.VERMILLION, palette.ORANGE, palette.REDDISH_PURPLE, palette.BLUE]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.Chart:
    """rows: company_name, kind, figures (one per company and kind of change)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("company_name:N", title=None, sort="-x"),
            x=alt.X("sum(figures):Q", title="Figures changed after publication"),
            color=alt.Color("kind:N", title="Kind of change", scale=alt.Scale(domain=KINDS, range=KIND_COLOURS),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("kind:N"),
            tooltip=[alt.Tooltip("company_name:N", title="Company"), alt.Tooltip("kind:N", title="Kind"),
                     alt.Tooltip("figures:Q", title="Figures")],
        )
        .properties(title=title, description=description, width=560, height=alt.Step(28))
        .configure(**palette.base_config())
    )
