"""Who discloses what, year by year: years as columns, companies as rows grouped by their newest level, each
cell coloured by disclosure level, with the evidence in its tooltip and a link to the company's page.

Takeaway: the companies that publish nothing about government requests form the first group, in vermillion;
a firm that only files the reports EU law forces on it is orange, not green. Levels are read from the data:
a level this module does not know still gets a colour and a legend entry, under its own name.
"""

from __future__ import annotations

from typing import Any

from dashboard.charts import palette
from dashboard.charts.palette import alt

UNIT = "disclosure level (a category, not a count)"

# most alarming first: this order is the order of the groups and of the legend; unknown levels come after
KNOWN_LEVELS = ["none-found", "mandated-regional-only", "policy-only", "totals-only", "per-country",
                "not-checked", "not-applicable", "not-loaded", "not-tracked"]
UNINFORMATIVE = {"not-loaded", "not-tracked", "not-checked", "not-applicable"}  # say nothing about disclosure
LEVEL_LABELS = {
    "none-found": "nothing found",
    "mandated-regional-only": "only what EU law requires",
    "policy-only": "a policy, no figures",
    "totals-only": "totals only",
    "per-country": "figures per country",
    "not-checked": "not checked yet",
    "not-applicable": "not applicable",
    "not-loaded": "report known, not read yet",
    "not-tracked": "not tracked by govreq yet",
}
LEVEL_COLOURS = {
    "none-found": palette.VERMILLION, "mandated-regional-only": palette.ORANGE, "policy-only": palette.YELLOW,
    "totals-only": palette.SKY_BLUE, "per-country": palette.BLUISH_GREEN, "not-checked": "#D9D9D9",
    "not-applicable": "#F2F2F2", "not-loaded": palette.GREY, "not-tracked": palette.LIGHT_GREY,
}
SPARE_COLOURS = [palette.REDDISH_PURPLE, palette.BLUE, "#8C6D31", "#6B6ECF", "#9C9EDE"]


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level.replace("-", " "))


def levels_in(rows: list[dict[str, Any]]) -> list[str]:
    """The levels present in the rows, known ones in their order, then any new ones by name."""
    present = {r["level"] for r in rows}
    return [v for v in KNOWN_LEVELS if v in present] + sorted(present - set(KNOWN_LEVELS))


def colours(levels: list[str]) -> list[str]:
    spare = iter(SPARE_COLOURS * (1 + len(levels) // len(SPARE_COLOURS)))
    return [LEVEL_COLOURS[v] if v in LEVEL_COLOURS else next(spare) for v in levels]


def rank(level: str, levels: list[str]) -> int:
    return levels.index(level) if level in levels else len(levels)


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.FacetChart:
    """rows: company_name, year, level, level_label, group, group_rank, href, evidence (one per company and year).

    `group` names the rows' group (the company's level in its newest year), `group_rank` orders the groups.
    """
    levels = levels_in(rows)
    base = alt.Chart().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top", labelFontSize=11)),
        y=alt.Y("company_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=200, labelFontSize=10)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1, cursor="pointer").encode(
        color=alt.Color(
            "level_label:N", title=None,
            scale=alt.Scale(domain=[level_label(v) for v in levels], range=colours(levels)),
            legend=alt.Legend(orient="top", direction="horizontal", columns=5, symbolType="square",
                              labelFontSize=11),
        ),
        href=alt.Href("href:N"),
        tooltip=[
            alt.Tooltip("company_name:N", title="Company"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("level_label:N", title="Level"),
            alt.Tooltip("evidence:N", title="Evidence"),
        ],
    )
    years = len({r["year"] for r in rows}) or 1
    return palette.attach(
        alt.layer(cells, data=palette.rows_data(), width=max(30 * years, 160), height=alt.Step(12))
        .facet(row=alt.Row("group:N", title=None, sort=alt.EncodingSortField(field="group_rank", op="min"),
                           header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top",
                                             labelFontSize=12, labelPadding=2)),
               spacing=8, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
               title=title, description=description, config=palette.config()), rows,
    )
