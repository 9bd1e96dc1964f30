"""Download-URL templates: the addresses a series' next releases will have, from its naming pattern.

A template is a URL with period placeholders, e.g.
  https://transparency.meta.com/download/government-data-requests/PRPL-Facebook-Government-Report-{year}_H{half}.csv
Placeholders of the period: {year} 2021, {yy} 21, {half} 1|2 (write H{half}, {half}H, h{half} as printed),
{quarter} 1-4, {month} 05, {month_name} May, {mon} may (monthly series), {end_month_name} June and {end_mon}
jun (the period's last month). Placeholders of the publication month, for publishers who name a file after the
month it came out (AT&T's "2018-August-Report"): {pub_year}, {pub_month}, {pub_month_name}, each tried for
every month in the series' `publication_months` (months after the period's end).
"""

from __future__ import annotations

import calendar
import datetime as dt
import string
from collections.abc import Iterable
from dataclasses import dataclass

from crawlers.periods import Period, first_of_cadence, periods_between

PERIOD_FIELDS = {"year", "yy", "half", "quarter", "month", "month_name", "mon", "end_month_name", "end_mon"}
PUBLICATION_FIELDS = {"pub_year", "pub_month", "pub_month_name"}
# Which cadence a placeholder needs: a {half} in a yearly series' template would name nothing real.
CADENCE_OF_FIELD = {"half": "half-yearly", "quarter": "quarterly", "month": "monthly", "month_name": "monthly",
                    "mon": "monthly"}


@dataclass(frozen=True)
class Candidate:
    """One address a template gives for one period (a period can have several, one per publication month)."""

    period: Period
    url: str


def template_fields(template: str) -> list[str]:
    """The placeholder names in a template; a malformed brace raises ValueError."""
    return [name for _, name, spec, conv in string.Formatter().parse(template) if name is not None
            and _plain(name, spec, conv)]


def _plain(name: str, spec: str | None, conv: str | None) -> bool:
    if spec or conv or not name:
        raise ValueError(f"placeholder {{{name}}} takes no format spec or conversion; write it bare")
    return True


def check_template(template: str, cadence: str, publication_months: list[int]) -> None:
    """Raise ValueError naming what is wrong with a series' template."""
    fields = set(template_fields(template))
    unknown = fields - PERIOD_FIELDS - PUBLICATION_FIELDS
    if unknown:
        raise ValueError(f"unknown placeholder(s) {', '.join(sorted(unknown))} in url_template; known: "
                         f"{', '.join(sorted(PERIOD_FIELDS | PUBLICATION_FIELDS))}")
    if not fields & (PERIOD_FIELDS | PUBLICATION_FIELDS):
        raise ValueError("url_template has no period placeholder: a fixed URL belongs in download_urls")
    for name in fields:
        wanted = CADENCE_OF_FIELD.get(name)
        if wanted and wanted != cadence:
            raise ValueError(f"placeholder {{{name}}} needs cadence {wanted!r}, the series is {cadence!r}")
    if fields & PUBLICATION_FIELDS and not publication_months:
        raise ValueError("{pub_...} placeholders need publication_months (months after the period's end)")
    if not template.startswith(("http://", "https://")):
        raise ValueError(f"url_template {template!r} is not an absolute http(s) URL")


def _period_values(period: Period) -> dict[str, str]:
    last = period.first_month + period.months - 1
    return {
        "year": str(period.year),
        "yy": f"{period.year % 100:02d}",
        "half": "1" if period.first_month == 1 else "2",
        "quarter": str((period.first_month - 1) // 3 + 1),
        "month": f"{period.first_month:02d}",
        "month_name": calendar.month_name[period.first_month],
        "mon": calendar.month_abbr[period.first_month].lower(),
        "end_month_name": calendar.month_name[last],
        "end_mon": calendar.month_abbr[last].lower(),
    }


def _publication_values(period: Period, months_after: int) -> dict[str, str]:
    index = period.end.year * 12 + period.end.month - 1 + months_after
    year, month = divmod(index, 12)
    return {"pub_year": str(year), "pub_month": f"{month + 1:02d}", "pub_month_name": calendar.month_name[month + 1]}


def expand(
    template: str, *, cadence: str, first_period: str, today: dt.date, publication_months: Iterable[int] = ()
) -> list[Candidate]:
    """Every address the template gives from the first period to the last one ended by `today`, newest first.

    Bounded: a period counts only once it has ended, and a publication month only once it has begun.
    """
    months = list(publication_months)
    uses_publication = bool(set(template_fields(template)) & PUBLICATION_FIELDS)
    out: list[Candidate] = []
    for period in reversed(periods_between(first_of_cadence(first_period, cadence), today)):
        values = _period_values(period)
        if not uses_publication:
            out.append(Candidate(period, template.format(**values)))
            continue
        for after in months:
            pub = _publication_values(period, after)
            if dt.date(int(pub["pub_year"]), int(pub["pub_month"]), 1) <= today:
                out.append(Candidate(period, template.format(**values, **pub)))
    return out
