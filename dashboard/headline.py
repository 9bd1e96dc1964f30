"""The index's headline: the companies that, in the newest year assessed, published nothing voluntarily.

Kept in one small module so the rule that picks them can be replaced on its own (moved as it was in
warehouse/site.py `_silent_companies`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dashboard.context import Row, Site
from dashboard.format import year_ranges

SILENT_LEVELS = ("none-found", "mandated-regional-only")


@dataclass
class SilentCompany:
    slug: str
    name: str
    page: str
    what: str  # what was (not) found, with the years


def silent_companies(site: Site, rows: list[Row]) -> tuple[int, list[SilentCompany]]:
    """(newest year assessed, companies silent in it).

    Only `none-found` and `mandated-regional-only` count: `not-loaded` and `not-tracked` are gaps in govreq, and
    a company's years before its first report are shown in the matrix, not here.
    """
    latest = max(r["year"] for r in rows)
    by_company: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_company[r["company"]].append(r)
    silent: list[SilentCompany] = []
    for slug, mine in by_company.items():
        now = [r for r in mine if r["year"] == latest]
        if not (now and all(r["level"] in SILENT_LEVELS for r in now)):
            continue
        company = site.company(slug)
        nothing = [r["year"] for r in mine if r["level"] == "none-found" and r["kind"] == "user-data"]
        regional = sorted({r["year"] for r in mine if r["level"] == "mandated-regional-only"})
        what = f"no report on government requests found for any year assessed ({year_ranges(nothing)})" \
            if nothing else "no voluntary report found"
        if regional:
            what += f"; only an EU-mandated report ({year_ranges(regional)})"
        silent.append(SilentCompany(slug=slug, name=company.name, page=company.page, what=what))
    return latest, sorted(silent, key=lambda s: s.name.casefold())
