"""What one government asked of every company: companies (rows) by reporting period (columns), each cell the
number of requests the company says this country made, exactly as printed.

Takeaway: side by side, which companies report this country and how many requests each received. A grey
"not listed" cell means the company published per-country figures for that period but this country is not in
them (it may sit under a reporting threshold); an empty cell means the company published no per-country figures
for that period; an italic note across a row means it publishes no per-country figures at all.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from warehouse.charts import palette

UNIT = "requests"

# rows with span=True ("none published") are drawn as a note, not as cells, so they have no legend entry
CELL_CLASSES = ["exact figure", "range (band or suppressed)", "blank in the report", "not listed"]
CELL_COLOURS = [palette.SKY_BLUE, palette.ORANGE, "#dddddd", "#eeeeee"]


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.LayerChart:
    """rows: row_label, period_label, period_start, cell_text, cell_class, span, value_low, value_high, raw_text.

    A row with span=True is a company without any per-country figures: drawn as one note across its row.
    """
    periods = [p for _, p in sorted({(r["period_start"], r["period_label"]) for r in rows})]
    row_order = list(dict.fromkeys(r["row_label"] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("period_label:O", title="Reporting period", sort=periods,
                axis=alt.Axis(orient="top", labelAngle=-45)),
        y=alt.Y("row_label:N", title=None, sort=row_order, axis=alt.Axis(labelLimit=300)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).transform_filter("!datum.span").encode(
        color=alt.Color("cell_class:N", title="Cell", scale=alt.Scale(domain=CELL_CLASSES, range=CELL_COLOURS),
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=[
            alt.Tooltip("row_label:N", title="Company"),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("line:N", title="Request type (as printed)"),
            alt.Tooltip("cell_text:N", title="Requests"),
            alt.Tooltip("raw_text:N", title="As printed"),
        ],
    )
    text = base.mark_text(fontSize=10).transform_filter("!datum.span").encode(
        text="cell_text:N", color=alt.value(palette.BLACK))
    # companies that publish no per-country figures: one left-aligned note across the row instead of cells
    note = base.mark_text(fontSize=10, align="left", dx=4, fontStyle="italic").transform_filter("datum.span").encode(
        x=alt.X("period_label:O", sort=periods, bandPosition=0), text="cell_text:N", color=alt.value("#555555"))
    return (
        alt.layer(cells, text, note)
        .properties(title=title, description=description, width=alt.Step(72), height=alt.Step(24))
        .configure(**palette.base_config())
    )
