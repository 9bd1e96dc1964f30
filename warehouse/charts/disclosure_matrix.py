"""Who discloses what, year by year: companies (rows) by year (columns), each cell coloured by disclosure level.

Takeaway: the companies that publish nothing about government requests sit at the top in vermillion; a firm
that only files the reports EU law forces on it is orange, not green. Each cell links to its evidence.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from warehouse.charts import palette

UNIT = "disclosure level (a category, not a count)"

# most alarming first: this order is the sort order of the rows and of the legend
LEVELS = ["none-found", "mandated-regional-only", "policy-only", "totals-only", "per-country", "not-loaded",
          "not-tracked", "not-checked", "not-applicable"]
UNINFORMATIVE = {"not-loaded", "not-tracked", "not-checked", "not-applicable"}  # gaps in govreq, which say nothing about the company
LEVEL_LABELS = {
    "none-found": "nothing found",
    "mandated-regional-only": "only what EU law requires",
    "policy-only": "a policy, no figures",
    "totals-only": "totals only",
    "per-country": "figures per country",
    "not-loaded": "report known, not read yet",
    "not-tracked": "not tracked by govreq yet",
    "not-checked": "nobody has checked yet",
    "not-applicable": "before the company began",
}
# short text printed inside the cells, so colour is never the only cue
LEVEL_SHORT = {
    "none-found": "NONE",
    "mandated-regional-only": "EU only",
    "policy-only": "policy",
    "totals-only": "totals",
    "per-country": "country",
    "not-loaded": "unread",
    "not-tracked": "n/t",
    "not-checked": "?",
    "not-applicable": "",
}
COLOURS = [palette.VERMILLION, palette.ORANGE, palette.YELLOW, palette.SKY_BLUE, palette.BLUISH_GREEN, palette.GREY,
           palette.LIGHT_GREY, palette.LIGHT_GREY, "#ffffff"]


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)


def order_companies(rows: list[dict[str, Any]]) -> list[str]:
    """Company names, those with the most "nothing found" years first, then the least disclosure, then by name."""
    def rank(name: str) -> tuple[int, float, str]:
        mine = [r for r in rows if r["company_name"] == name]
        nothing = sum(r["level"] == "none-found" for r in mine)
        known = [LEVELS.index(r["level"]) for r in mine if r["level"] in LEVELS and r["level"] not in UNINFORMATIVE]
        mean_level = sum(known) / len(known) if known else len(LEVELS)
        return (-nothing, mean_level, name.casefold())

    return sorted({r["company_name"] for r in rows}, key=rank)


def chart(rows: list[dict[str, Any]], *, title: str, description: str) -> alt.LayerChart:
    """rows: company_name, year, level, level_label, level_short, href, evidence (one per company and year)."""
    companies = order_companies(rows)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("company_name:N", title=None, sort=companies, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2, cursor="pointer").encode(
        color=alt.Color(
            "level_label:N",
            title="Disclosure level",
            scale=alt.Scale(domain=[LEVEL_LABELS[v] for v in LEVELS], range=COLOURS),
            legend=alt.Legend(orient="bottom", columns=3),
        ),
        href=alt.Href("href:N"),
        tooltip=[
            alt.Tooltip("company_name:N", title="Company"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("level_label:N", title="Level"),
            alt.Tooltip("evidence:N", title="Evidence"),
        ],
    )
    text = base.mark_text(fontSize=11, fontWeight="bold", cursor="pointer").encode(
        text=alt.Text("level_short:N"),
        href=alt.Href("href:N"),
        color=alt.value(palette.BLACK),
    )
    years = len({r["year"] for r in rows}) or 1
    return (
        alt.layer(cells, text)
        .properties(
            title=title, description=description,
            width=max(58 * years, 160), height=alt.Step(30),
        )
        .configure(**palette.base_config())
    )
