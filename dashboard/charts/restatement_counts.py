"""How many published figures each company changed after publishing them, by kind of change.

Takeaway: which companies rewrite their history, and how: a changed value, a blank that became a number (a
change of status), a figure withdrawn, or one added to a past period. The ledger below the chart lists each one.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "figures (each differs between two versions of one file)"

KINDS = ["value_changed", "status_changed", "withdrawn", "added"]
KIND_COLOURS = [palette.VERMILLION, palette.ORANGE, palette.REDDISH_PURPLE, palette.BLUE]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.Chart:
    """rows: company_name, kind, figures (one per company and kind of change)."""
    present = {r["kind"] for r in rows}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    spare = iter([palette.GREY, palette.SKY_BLUE, palette.BLACK] * len(kinds))
    kind_colours = [KIND_COLOURS[KINDS.index(k)] if k in KINDS else next(spare) for k in kinds]
    return palette.attach(
        alt.Chart(palette.rows_data())
        .mark_bar()
        .encode(
            y=alt.Y("company_name:N", title=None, sort="-x"),
            x=alt.X("sum(figures):Q", title="Figures that differ between versions"),
            color=alt.Color("kind:N", title="Kind of change", scale=alt.Scale(domain=kinds, range=kind_colours),
                            legend=alt.Legend(orient="top", labelExpr="replace(datum.label, '_', ' ')")),
            order=alt.Order("kind:N"),
            tooltip=[alt.Tooltip("company_name:N", title="Company"), alt.Tooltip("kind:N", title="Kind"),
                     alt.Tooltip("figures:Q", title="Figures")],
        )
        .properties(title=title, description=description, width=560, height=alt.Step(28))
        .configure(**palette.base_config()), rows,
    )
