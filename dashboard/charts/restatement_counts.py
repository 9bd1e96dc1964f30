"""How many published figures each company changed after publishing them, by kind of change.

Takeaway: which companies rewrite their history, and how: a changed value, a blank that became a number (a
change of status), a figure withdrawn, or one added to a past period. The ledger below the chart lists each one.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import Spec, field, tooltip

UNIT = "figures (each differs between two versions of one file)"

KINDS = ["value_changed", "status_changed", "withdrawn", "added"]
KIND_COLOURS = [palette.VERMILLION, palette.ORANGE, palette.REDDISH_PURPLE, palette.BLUE]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> Spec:
    """rows: company_name, kind, figures (one per company and kind of change)."""
    present = {r["kind"] for r in rows}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    spare = iter([palette.GREY, palette.SKY_BLUE, palette.BLACK] * len(kinds))
    kind_colours = [KIND_COLOURS[KINDS.index(k)] if k in KINDS else next(spare) for k in kinds]
    return palette.spec({
        "data": palette.ROWS_DATA,
        "mark": {"type": "bar"},
        "encoding": {
            "y": field("company_name", "nominal", title=None, sort="-x"),
            "x": field("figures", "quantitative", aggregate="sum", title="Figures that differ between versions"),
            "color": field("kind", "nominal", title="Kind of change", scale={"domain": kinds, "range": kind_colours},
                           legend={"labelExpr": "replace(datum.label, '_', ' ')", "orient": "top"}),
            "order": field("kind", "nominal"),
            "tooltip": tooltip(("company_name", "nominal", "Company"), ("kind", "nominal", "Kind"),
                               ("figures", "quantitative", "Figures")),
        },
        "height": {"step": 28}, "width": 560,
    }, rows, title=title, description=description)
