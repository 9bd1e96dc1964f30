"""The index's headline: the companies whose silence about government demands rests on a dated check.

Kept in one small module so the rule that picks them can be replaced on its own (moved as it was in
warehouse/site.py `_silent_companies`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from dashboard.context import Row, Site
from dashboard.format import year_ranges

SILENT_LEVELS = ("none-found", "mandated-regional-only")
UNREAD_LEVELS = ("not-loaded", "not-tracked", "not-checked", "not-applicable")  # gaps in govreq, never silence


@dataclass
class SilentCompany:
    slug: str
    name: str
    page: str
    what: str  # what was (not) found, with the years, and the kinds of check it rests on


def checked_silence(r: Row) -> bool:
    """A level claiming the company published nothing voluntarily, backed by at least one dated check."""
    return r["level"] in SILENT_LEVELS and bool(r.get("checks")) and not str(r.get("checks")).startswith(
        "no dated check")


def grade_words(mine: list[Row]) -> str:
    """Every kind of check behind a company's silence, once each: research notes and crawls as the disclosure
    model words them, Ranking Digital Rights' visits and zero scores merged per edition."""
    seen: dict[str, None] = {}
    for r in sorted(mine, key=lambda r: -r["year"]):
        if checked_silence(r):
            seen.update(dict.fromkeys(p for p in str(r["checks"]).split("; ") if p))
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
    """(newest year assessed, companies with no voluntary figures in any year assessed whose silence rests on at
    least one dated check, each with the kinds of check in words: research notes, an outside rating, a crawl).

    Only `none-found` and `mandated-regional-only` are silence; `not-loaded`, `not-tracked`, `not-checked` and
    `not-applicable` are gaps in govreq (or years before the company began) and are named as such.
    """
    latest = max(r["year"] for r in rows)
    by_company: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_company[r["company"]].append(r)
    silent: list[SilentCompany] = []
    for slug, mine in by_company.items():
        assessed = [r for r in mine if r["level"] != "not-applicable"]
        if not (assessed and all(r["level"] in (*SILENT_LEVELS, "not-checked") for r in assessed)
                and any(checked_silence(r) for r in assessed)):
            continue
        company = site.company(slug)
        user_data = [r for r in mine if r["kind"] == "user-data"]
        nothing = [r["year"] for r in user_data if r["level"] == "none-found" and checked_silence(r)]
        unchecked = [r["year"] for r in user_data if r["level"] == "not-checked"]
        regional = sorted({r["year"] for r in mine if r["level"] == "mandated-regional-only"})
        what = (f"no report on government requests found for {year_ranges(nothing)}" if nothing
                else "no voluntary report found")
        if regional:
            what += f"; only an EU-mandated report ({year_ranges(regional)})"
        what += f". Checked: {grade_words(mine)}"
        if unchecked:
            what += f". Not checked for {year_ranges(unchecked)}: unknown, not silent"
        silent.append(SilentCompany(slug=slug, name=company.name, page=company.page, what=what))
    return latest, sorted(silent, key=lambda s: s.name.casefold())
