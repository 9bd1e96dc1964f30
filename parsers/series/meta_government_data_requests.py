"""Meta's (Facebook's) government data requests: one CSV per half-year, one row per country.

The period is in the file name only (`..._2019_H2.csv`); the files print none. Columns come in groups (a request
type, then its accounts and percentage); the set of groups changed three times between 2013 and 2021.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.csv_report import Measure, Shape, csv_rows, measure_facts, read_tables, shape
from parsers.formats.tabular import Column
from parsers.normalise.periods import half_year

SERIES = (("meta", "government-data-requests"),)

T = RequestType
NS = Kind.NATIONAL_SECURITY
# A request-type group: "<label>", "<label> Accounts", "<label> Percentage". (label, type, kind, is_total)
GROUPS = {
    "Total Requests": (T.ALL, Kind.USER_DATA, True),
    "Legal Process Request Total": (T.LEGAL_PROCESS, Kind.USER_DATA, True),
    "Emergency Request Total": (T.EMERGENCY, Kind.USER_DATA, False),
    "Emergency Disclosures": (T.EMERGENCY, Kind.USER_DATA, False),
    "Search Warrant": (T.SEARCH_WARRANT, Kind.USER_DATA, False),
    "Subpoena": (T.SUBPOENA, Kind.USER_DATA, False),
    "Court Order (Other)": (T.COURT_ORDER, Kind.USER_DATA, False),
    "MLAT Search Warrant": (T.DIPLOMATIC, Kind.USER_DATA, False),
    "MLAT Order": (T.DIPLOMATIC, Kind.USER_DATA, False),
    "Court Order (18 USC 2703(d))": (T.COURT_ORDER, Kind.USER_DATA, False),
    "Pen Register/Trap and Trace": (T.COURT_ORDER, Kind.USER_DATA, False),
    "Title III": (T.COURT_ORDER, Kind.USER_DATA, False),
    "FISA Content Requests": (T.NATIONAL_SECURITY, NS, False),
    "FISA Non-Content Requests": (T.NATIONAL_SECURITY, NS, False),
    "NSLs": (T.NATIONAL_SECURITY, NS, False),
}
# From 2019 H1 a count of requests where some data was produced sits after three of the groups' request counts.
SOME_DATA = {"Total Requests": "Number of Requests Where Some Data Produced",
             "Legal Process Request Total": "Legal Number of Requests Where Some Data Produced",
             "Emergency Request Total": "ER Number of Requests Where Some Data Produced"}
OTHER = {
    "Content Restricted": Measure("Content Restricted", "items_restricted", Unit.ITEMS, T.CONTENT_REMOVAL,
                                  kind=Kind.CONTENT_REMOVAL, spellings=("Content Restrictions",)),
    "Preservation Requests": Measure("Preservation Requests", "requests", Unit.REQUESTS, T.PRESERVATION),
    "Preservation Accounts Preserved": Measure("Preservation Accounts Preserved", "accounts_preserved",
                                               Unit.ACCOUNTS, T.PRESERVATION, "Preservation Requests"),
    "Takedown reports": Measure("Takedown reports", "takedown_reports", Unit.REQUESTS, T.CONTENT_REMOVAL,
                                kind=Kind.CONTENT_REMOVAL),
    "Percent Witheld": Measure("Percent Witheld", "percent_reports_content_withheld", Unit.PERCENT,
                               T.CONTENT_REMOVAL, "Takedown reports", Kind.CONTENT_REMOVAL),
    "Internet Disruptions": Measure("Internet Disruptions", "internet_disruptions", Unit.OTHER, T.OTHER,
                                    kind=Kind.OTHER),
}


def _measures(headers: list[str]) -> list[Measure]:
    out = []
    for h in headers:
        if h in OTHER:
            out.append(OTHER[h])
            continue
        some = next((g for g, col in SOME_DATA.items() if col == h), None)
        if some is not None:
            rtype, kind, total = GROUPS[some]
            out.append(Measure(h, "requests_some_data_produced", Unit.REQUESTS, rtype, some, kind, total))
            continue
        label, metric, unit = h, "requests", Unit.REQUESTS
        for suffix, m, u in ((" Accounts", "accounts_specified", Unit.ACCOUNTS),
                             (" Percentage", "percent_some_data_produced", Unit.PERCENT)):
            if h.endswith(suffix) and h[: -len(suffix)] in GROUPS:
                label, metric, unit = h[: -len(suffix)], m, u
        rtype, kind, total = GROUPS[label]
        out.append(Measure(h, metric, unit, rtype, label, kind, total))
    return out


def _groups(*labels: str, some_data: bool = False) -> list[str]:
    cols = []
    for g in labels:
        cols.append(g)
        if some_data and g in SOME_DATA:
            cols.append(SOME_DATA[g])
        cols += [f"{g} Accounts", f"{g} Percentage"]
    return cols


US_TYPES = ("Search Warrant", "Subpoena", "Court Order (Other)", "MLAT Search Warrant", "MLAT Order",
            "Court Order (18 USC 2703(d))", "Pen Register/Trap and Trace", "Title III", "FISA Content Requests",
            "FISA Non-Content Requests", "NSLs")
CONTENT = ["Content Restricted", "Preservation Requests", "Preservation Accounts Preserved", "Takedown reports",
           "Percent Witheld", "Internet Disruptions"]
KEY = (Column("country", ("Country",)),)
LAYOUTS_BY_NAME: dict[str, Shape] = {s.name: s for s in (
    shape("2013 H1 - 2017 H1", KEY, _measures(CONTENT + _groups(
        "Total Requests", "Legal Process Request Total", "Emergency Request Total", "Emergency Disclosures",
        *US_TYPES))),
    shape("2017 H2 - 2018 H2", KEY, _measures(CONTENT + _groups(
        "Total Requests", "Legal Process Request Total", "Emergency Request Total", *US_TYPES))),
    shape("2019 H1", KEY, _measures(CONTENT + _groups(
        "Total Requests", "Legal Process Request Total", "Emergency Request Total", some_data=True)
        + _groups(*US_TYPES))),
    shape("2019 H2 - 2021 H1", KEY, _measures(CONTENT[1:3] + _groups(
        "Total Requests", "Legal Process Request Total", "Emergency Request Total", some_data=True)
        + _groups(*US_TYPES))),
)}
SHAPES = tuple(LAYOUTS_BY_NAME.values())
LAYOUTS = tuple(s.layout for s in SHAPES)
PERIOD_IN_NAME = re.compile(r"[-_](?P<y>(?:19|20)\d\d)_H(?P<h>[12])\.csv$", re.IGNORECASE)
DUPLICATE_NOTE = "the same requests as 'Emergency Request Total' in this file: not to be added to it"


def parse(doc: Document) -> list[Fact]:
    m = PERIOD_IN_NAME.search(doc.url.split("?")[0])
    if m is None:
        raise ParseError(doc, "no half-year (YYYY_Hn) in the file name: the file prints no period")
    period = half_year(int(m["y"]), int(m["h"]))
    (table,) = read_tables(doc, csv_rows(doc), SHAPES)
    facts: list[Fact] = []
    for row in table.rows:
        country = row.get("country").strip()
        if not country:
            raise ParseError(doc, f"row {row.number} has figures but no country")
        # 2016 H1 - 2017 H1 print US emergency requests twice: as 'Emergency Disclosures' and in the new total.
        duplicate = bool(row.get("Emergency Request Total").strip())
        for f in measure_facts(doc, table, row, period=period, country_raw=country):
            if duplicate and f.request_type_raw == "Emergency Disclosures":
                f = _not_counted(f)
            facts.append(f)
    return facts


def _not_counted(f: Fact) -> Fact:
    return replace(f, counts_toward_total=False, note="; ".join(n for n in (f.note, DUPLICATE_NOTE) if n))
