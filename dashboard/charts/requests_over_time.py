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
from dashboard.charts.palette import Spec, field, tooltip

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
          breaks: list[dict[str, Any]] | None = None) -> Spec:
    """rows: panel, company_name, line, period_start, period_end, value_low, value_high, basis, parts, raw_text,
    shown. basis says whether a figure was printed or summed, parts from which table and rows.

    colour_field: the row key the colours stand for (each value is named in the legend).
    breaks: panel, at (ISO date the new breakdown starts), label (what changed): drawn as labelled dashed rules.
    """
    # request types differ per panel: each panel gets its own legend, so no colour stands for two types
    own_legends = colour_field == "line"

    def colour(panel_rows: list[dict[str, Any]]) -> dict[str, Any]:
        return field(colour_field, "nominal", title=legend_title,
                     scale={"domain": sorted({r[colour_field] for r in panel_rows}), "range": palette.CATEGORICAL},
                     legend={"columns": 2, "orient": "bottom", "titleLimit": 500})

    domain = _year_domain(rows)
    x = field("period_middle", "temporal", title=None, scale={"domain": domain, "nice": False, "type": "utc"},
              axis={"format": "%Y", "grid": True, "labelOverlap": True, "tickCount": {"interval": "year", "step": 1}})
    tips = tooltip(("company_name", "nominal", "Company"), ("line", "nominal", "Request type"),
                   ("period_start", "nominal", "From"), ("period_end", "nominal", "To"),
                   ("shown", "nominal", "Requests"), ("basis", "nominal", "Basis"),
                   ("parts", "nominal", "Parts (table and rows)"))
    panels = list(dict.fromkeys(r["panel"] for r in sorted(rows, key=lambda r: str(r["panel"]).casefold())))

    def panel(name: str) -> dict[str, Any]:
        colours = colour([r for r in rows if r["panel"] == name] if own_legends else rows)
        transform = [{"filter": {"equal": name, "field": "panel"}},
                     {"calculate": PERIOD_MIDDLE, "as": "period_middle"}]
        tick = {"type": "tick", "orient": "horizontal", "size": 12, "thickness": 3}
        layers: list[dict[str, Any]] = [
            {"mark": {"type": "rule", "strokeWidth": 3}, "transform": transform,
             "encoding": {"x": x, "y": field("value_low", "quantitative", title="Requests"),
                          "y2": {"field": "value_high"}, "color": colours, "tooltip": tips}},
            *({"mark": tick, "transform": transform,
               "encoding": {"x": x, "y": field(value, "quantitative"), "color": colours, "tooltip": tips}}
              for value in ("value_low", "value_high")),
        ]
        mine = [b for b in breaks or [] if b["panel"] == name]
        if mine:
            at = field("at", "temporal", scale={"domain": domain, "nice": False, "type": "utc"})
            layers.append({"data": {"values": mine},
                           "mark": {"type": "rule", "color": palette.BLACK, "strokeDash": [4, 3], "strokeWidth": 1},
                           "encoding": {"x": at, "tooltip": tooltip(("label", "nominal", "Breakdown changes"))}})
            layers.append({"data": {"values": mine},
                           "mark": {"type": "text", "align": "left", "baseline": "top", "color": palette.BLACK,
                                    "dx": 3, "dy": 2, "fontSize": 10},
                           "encoding": {"x": at, "y": {"value": 0}, "text": field("short", "nominal")}})
        return {"layer": layers, "height": 130, "width": 620,
                "title": {"text": name, "anchor": "start", "fontSize": 13, "fontWeight": "bold"}}

    return palette.spec({
        "data": palette.ROWS_DATA,
        "vconcat": [panel(p) for p in panels],
        "spacing": 18,
        "resolve": {"scale": {"x": "shared", "y": "independent",
                              "color": "independent" if own_legends else "shared"}},
    }, rows, title=title, description=description)
