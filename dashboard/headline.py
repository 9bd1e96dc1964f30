"""The index's headline: the companies whose silence about government demands rests on a dated check.

Which companies are silent is chosen in SQL (the mart site_silent_companies, rules in
warehouse/sql/views_site_1_rules.sql), where `govreq query` reads it too; this module only puts it in words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from dashboard.context import Row, Site, rule_on_rows
from dashboard.format import year_ranges


@dataclass
class SilentCompany:
    slug: str
    name: str
    page: str
    what: str  # what was (not) found, with the years, and the kinds of check it rests on


def grade_words(checks: list[str]) -> str:
    """Every kind of check behind a company's silence (its dated checks, newest year first), once each:
    research notes and crawls as the disclosure model words them, Ranking Digital Rights' visits and zero scores
    merged per edition."""
    seen: dict[str, None] = {}
    for text in checks:
        seen.update(dict.fromkeys(p for p in str(text).split("; ") if p))
    visits: dict[str, set[str]] = defaultdict(set)
    zeros: dict[str, set[str]] = defaultdict(set)
    others = []
    for piece in seen:
        if m := re.fullmatch(r"(Ranking Digital Rights \d{4}) researchers looked (\S+)", piece):
            visits[m.group(1)].add(m.group(2))
        elif m := re.fullmatch(r"(Ranking Digital Rights \d{4}) scored (\S+) 0", piece):
            zeros[m.group(1)].add(m.group(2))
        else:
            others.append(piece)
    rdr = []
    for who in sorted(set(visits) | set(zeros), reverse=True):
        said = f"{who} researchers looked {', '.join(sorted(visits[who]))}" if who in visits else who
        if who in zeros:
            said += (", scoring" if who in visits else " scored") + f" 0 ({', '.join(sorted(zeros[who]))})"
        rdr.append(said)
    return "; ".join(others + rdr)


def silent_companies(site: Site, rows: list[Row]) -> tuple[int, list[SilentCompany]]:
    """(newest year assessed, the silent companies in words) for disclosure rows given here: the mart's rule
    (site_silent_companies_of) run on them. The index reads the same rule's mart from the warehouse."""
    chosen = rule_on_rows("site_silent_companies_of", [
        {k: r.get(k) for k in ("company", "year", "kind", "level", "checks")} for r in rows])
    return max(r["year"] for r in rows), in_words(site, chosen)


def in_words(site: Site, chosen: list[Row]) -> list[SilentCompany]:
    """The mart's silent companies (site_silent_companies rows) as the index prints them, by name."""
    silent: list[SilentCompany] = []
    for r in chosen:
        company = site.company(r["company"])
        nothing, unchecked, regional = r["nothing_years"], r["unchecked_years"], r["regional_years"]
        what = (f"no report on government requests found for {year_ranges(nothing)}" if nothing
                else "no voluntary report found")
        if regional:
            what += f"; only an EU-mandated report ({year_ranges(regional)})"
        what += f". Checked: {grade_words(r['checks'])}"
        if unchecked:
            what += f". Not checked for {year_ranges(unchecked)}: unknown, not silent"
        silent.append(SilentCompany(slug=r["company"], name=company.name, page=company.page, what=what))
    return sorted(silent, key=lambda s: s.name.casefold())
