"""Government requests over time, one panel per company (or per kind of request on a company page),
counted in requests only (never accounts).

Takeaway: how the number of requests each company received changed between reporting periods. A bar from low
to high is a range the company printed (a band, or a sum that includes suppressed "<10" cells); a single dash is
an exact figure. Every panel has the same time axis (years; each mark sits at the middle of its reporting period)
but its own vertical scale: compare shapes across companies, not heights. Where a report changes how it breaks
its figures down (Google stopped printing an "All Requests" line in 2019 and prints request types instead), a
dashed vertical line marks the break and says what changed, so a new breakdown never reads as a collapse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "requests"

# a mark sits at the middle of the period it counts, so a half-year lands between its year's ticks
PERIOD_MIDDLE = "(toDate(datum.period_start) + toDate(datum.period_end) + 86400000) / 2"


def _year_domain(rows: list[dict[str, Any]]) -> list[float]:
    """1 January of the first year to 1 January after the last: the same time axis in every panel (UTC ms)."""
    first = min(int(r["period_start"][:4]) for r in rows)
    last = max(int(r["period_end"][:4]) for r in rows)
    return [dt.datetime(y, 1, 1, tzinfo=dt.UTC).timestamp() * 1000 for y in (first, last + 1)]


def chart(rows: list[dict[str, Any]], *, title: str, description: str, colour_field: str = "line",
          legend_title: str = "Request type (as the company labels it)",
          breaks: list[dict[str, Any]] | None = None) -> alt.VConcatChart:
    """rows: panel, company_name, line, period_start, period_end, value_low, value_high, basis, parts, raw_text,
    shown. basis says whether a figure was printed or summed, parts from which table and rows.

    colour_field: the row key the colours stand for (each value is named in the legend).
    breaks: panel, at (ISO date the new breakdown starts), label (what changed): drawn as labelled dashed rules.
    """
    # request types differ per panel: each panel gets its own legend, so no colour stands for two types
    own_legends = colour_field == "line"

    def colour(panel_rows: list[dict[str, Any]]) -> alt.Color:
        return alt.Color(
            f"{colour_field}:N", title=legend_title,
            scale=alt.Scale(domain=sorted({r[colour_field] for r in panel_rows}), range=palette.CATEGORICAL),
            legend=alt.Legend(orient="bottom", columns=2, titleLimit=500),
        )

    x = alt.X("period_middle:T", title=None,
              scale=alt.Scale(type="utc", domain=_year_domain(rows), nice=False),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True,
                            grid=True))
    tooltip = [
        alt.Tooltip("company_name:N", title="Company"),
        alt.Tooltip("line:N", title="Request type"),
        alt.Tooltip("period_start:N", title="From"),
        alt.Tooltip("period_end:N", title="To"),
        alt.Tooltip("shown:N", title="Requests"),
        alt.Tooltip("basis:N", title="Basis"),
        alt.Tooltip("parts:N", title="Parts (table and rows)"),
    ]
    panels = list(dict.fromkeys(r["panel"] for r in sorted(rows, key=lambda r: str(r["panel"]).casefold())))

    def panel(name: str) -> alt.LayerChart:
        colours = colour([r for r in rows if r["panel"] == name] if own_legends else rows)
        base = alt.Chart().transform_filter(alt.FieldEqualPredicate(field="panel", equal=name)).transform_calculate(
            period_middle=PERIOD_MIDDLE)
        rule = base.mark_rule(strokeWidth=3).encode(
            x=x, y=alt.Y("value_low:Q", title="Requests"), y2=alt.Y2("value_high:Q"), color=colours, tooltip=tooltip,
        )
        low = base.mark_tick(thickness=3, size=12, orient="horizontal").encode(
            x=x, y=alt.Y("value_low:Q"), color=colours, tooltip=tooltip,
        )
        high = base.mark_tick(thickness=3, size=12, orient="horizontal").encode(
            x=x, y=alt.Y("value_high:Q"), color=colours, tooltip=tooltip,
        )
        layers = [rule, low, high]
        mine = [b for b in breaks or [] if b["panel"] == name]
        if mine:
            at = alt.X("at:T", scale=alt.Scale(type="utc", domain=_year_domain(rows), nice=False))
            marks = alt.Chart(alt.Data(values=mine))
            layers.append(marks.mark_rule(strokeDash=[4, 3], color=palette.BLACK, strokeWidth=1).encode(
                x=at, tooltip=[alt.Tooltip("label:N", title="Breakdown changes")]))
            layers.append(marks.mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=10,
                                          color=palette.BLACK).encode(x=at, y=alt.YValue(0), text=alt.Text("short:N")))
        return alt.layer(*layers, width=620, height=130,
                         title=alt.TitleParams(name, fontSize=13, fontWeight="bold", anchor="start"))

    resolve = alt.ScaleResolveMap(x="shared", y="independent", color="independent" if own_legends else "shared")
    return palette.attach(
        alt.vconcat(*(panel(p) for p in panels), data=palette.rows_data(), spacing=18,
                    resolve=alt.Resolve(scale=resolve), title=title, description=description,
                    config=palette.config()), rows,
    )
