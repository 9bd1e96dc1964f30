"""The index: who discloses nothing, then the compact disclosure grid (one kind at a time), then how to read it."""

from __future__ import annotations

from pathlib import Path

from dashboard.charts import disclosure_matrix
from dashboard.context import KIND_LABELS, Row, Site, optional_query, query
from dashboard.format import file_stem, plural
from dashboard.headline import in_words
from dashboard.render import Builder, ChartBlock

KIND_ORDER = list(KIND_LABELS)


def kinds_of(rows: list[Row]) -> list[str]:
    return sorted({r["kind"] for r in rows}, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else 99, k))


def newest_levels(rows: list[Row]) -> dict[str, str]:
    """Each company's level in its newest year that says something about it: a year govreq has not read or
    checked yet (not-loaded, not-tracked, ...) does not hide the level of the year before."""
    newest: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: r["year"]):
        if r["company"] not in newest or r["level"] not in disclosure_matrix.UNINFORMATIVE:
            newest[r["company"]] = r["level"]
        elif r["level"] == "not-loaded" and newest[r["company"]] == "none-found":
            newest[r["company"]] = r["level"]  # nothing found once, a report known since: it publishes now
    return newest


def grid_rows(site: Site, rows: list[Row], kind: str) -> list[Row]:
    """One row per company and year of one kind, grouped by the company's level in its newest year."""
    mine = [r for r in rows if r["kind"] == kind]
    levels = disclosure_matrix.levels_in(mine)
    newest = newest_levels(mine)
    out = []
    for r in mine:
        group = newest[r["company"]]
        out.append({
            "company_name": site.name(r["company"]), "year": r["year"], "level": r["level"],
            "level_label": disclosure_matrix.level_label(r["level"]),
            "group": disclosure_matrix.level_label(group).capitalize(),
            "group_rank": disclosure_matrix.rank(group, levels),
            "href": f"{site.company(r['company']).page}#disclosure-{r['year']}-{file_stem(kind)}",
            "evidence": r["evidence"][:200] + ("…" if len(r["evidence"]) > 200 else ""),
        })
    return out


def page_index(b: Builder) -> Path:
    rows, why = optional_query(b.site.con, "disclosure_levels", "disclosure")
    if rows is None:
        return b.page("index.html", "index.html", "Who discloses nothing", rows=None, why=why)
    latest, silent = max(r["year"] for r in rows), in_words(b.site, query(b.site.con, "silent_companies"))
    user_data = newest_levels([r for r in rows if r["kind"] == "user-data"])
    per_country = sum(1 for level in user_data.values() if level == "per-country")
    # a report govreq has not read (or a company nobody checked) is no finding about that company
    assessed = [c for c, level in user_data.items() if level not in disclosure_matrix.UNINFORMATIVE]
    gaps = len(user_data) - len(assessed)
    sections = []
    for kind in kinds_of(rows):
        drawn = grid_rows(b.site, rows, kind)
        label = KIND_LABELS.get(kind, kind)
        newest = newest_levels([r for r in rows if r["kind"] == kind])
        nothing = sum(1 for v in newest.values() if v == "none-found")
        full = sum(1 for v in newest.values() if v == "per-country")
        could = sum(1 for v in newest.values() if v not in disclosure_matrix.UNINFORMATIVE)
        block = ChartBlock(
            slug=f"disclosure-{file_stem(kind)}",
            title=f"How much each company disclosed about {label}, by year",
            takeaway=f"In their newest year assessed, {full} of the {plural(could, 'company', 'companies')} govreq "
                     f"could assess published figures for each country about {label}; for {nothing} a dated "
                     f"check found nothing; the other {len(newest) - could} are gaps in govreq (a report not read "
                     "yet, a kind not tracked, or nobody has checked), which say nothing about those companies. "
                     "Rows are grouped by that level; hover a cell for its evidence, click it for the company's "
                     "page.",
            unit=disclosure_matrix.UNIT, build=disclosure_matrix.chart, rows=drawn,
            table=[("company_name", "Company"), ("year", "Year"), ("level_label", "Disclosure level"),
                   ("evidence", "Evidence")],
            sources=[],
            source_note="govreq's assessment of each company's publications (table disclosure_levels); the "
                        "evidence and the places checked are on each company's page",
        )
        sections.append((kind, label, b.chart(block, "index.html")))
    return b.page("index.html", "index.html", "Who discloses nothing", charts=True, rows=rows, why="",
                  latest=latest, silent=silent, assessed=len(assessed), per_country=per_country, gaps=gaps,
                  sections=sections)
