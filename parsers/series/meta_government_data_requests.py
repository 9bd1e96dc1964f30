"""Meta's (Facebook's) government data requests: one CSV per half-year, one row per country.

The period is in the file name only (`..._2019_H2.csv`); the files print none. Columns come in groups (a request
type, then its accounts and percentage); the set of groups changed three times between 2013 and 2021, so every
group is declared and each release holds some of them.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, RequestType, Unit
from parsers.formats.declarations import Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, half_year_in_url, interpret, layouts, strict
from parsers.formats.table import csv_tables

SERIES = (("meta", "government-data-requests"),)

T, NS, UD = RequestType, Kind.NATIONAL_SECURITY, Kind.USER_DATA
# A request-type group: "<label>", "<label> Accounts", "<label> Percentage". label -> (type, kind, is_total)
GROUPS = {
    "Total Requests": (T.ALL, UD, True),
    "Legal Process Request Total": (T.LEGAL_PROCESS, UD, True),
    "Emergency Request Total": (T.EMERGENCY, UD, False),
    "Emergency Disclosures": (T.EMERGENCY, UD, False),
    "Search Warrant": (T.SEARCH_WARRANT, UD, False),
    "Subpoena": (T.SUBPOENA, UD, False),
    "Court Order (Other)": (T.COURT_ORDER, UD, False),
    "MLAT Search Warrant": (T.DIPLOMATIC, UD, False),
    "MLAT Order": (T.DIPLOMATIC, UD, False),
    "Court Order (18 USC 2703(d))": (T.COURT_ORDER, UD, False),
    "Pen Register/Trap and Trace": (T.COURT_ORDER, UD, False),
    "Title III": (T.COURT_ORDER, UD, False),
    "FISA Content Requests": (T.NATIONAL_SECURITY, NS, False),
    "FISA Non-Content Requests": (T.NATIONAL_SECURITY, NS, False),
    "NSLs": (T.NATIONAL_SECURITY, NS, False),
}
# From 2019 H1 a count of requests where some data was produced sits after three of the groups' request counts.
SOME_DATA = {"Total Requests": "Number of Requests Where Some Data Produced",
             "Legal Process Request Total": "Legal Number of Requests Where Some Data Produced",
             "Emergency Request Total": "ER Number of Requests Where Some Data Produced"}
CR = Kind.CONTENT_REMOVAL
OTHER = (
    Measure("Content Restricted", "items_restricted", Unit.ITEMS, T.CONTENT_REMOVAL, kind=CR,
            spellings=("Content Restrictions",)),
    Measure("Preservation Requests", "requests", Unit.REQUESTS, T.PRESERVATION),
    Measure("Preservation Accounts Preserved", "accounts_preserved", Unit.ACCOUNTS, T.PRESERVATION,
            "Preservation Requests"),
    Measure("Takedown reports", "takedown_reports", Unit.REQUESTS, T.CONTENT_REMOVAL, kind=CR),
    Measure("Percent Witheld", "percent_reports_content_withheld", Unit.PERCENT, T.CONTENT_REMOVAL,
            "Takedown reports", CR),
    Measure("Internet Disruptions", "internet_disruptions", Unit.OTHER, T.OTHER, kind=Kind.OTHER),
)
GROUP_COLUMNS = (("", "requests", Unit.REQUESTS), (" Accounts", "accounts_specified", Unit.ACCOUNTS),
                 (" Percentage", "percent_some_data_produced", Unit.PERCENT))
MEASURES = OTHER + tuple(
    Measure(label + suffix, metric, unit, rtype, label, kind, total)
    for label, (rtype, kind, total) in GROUPS.items() for suffix, metric, unit in GROUP_COLUMNS
) + tuple(Measure(column, "requests_some_data_produced", Unit.REQUESTS, *GROUPS[label][:1], label, *GROUPS[label][1:])
          for label, column in SOME_DATA.items())
# Reviewed correction: 2016 H1 - 2017 H1 print US emergency requests twice, as 'Emergency Disclosures' and inside
# the new 'Emergency Request Total'. Where the total is printed, the old group must not be added to it.
DUPLICATE = Correction(
    tuple(f"Emergency Disclosures{s}" for s, _, _ in GROUP_COLUMNS),
    lambda row, _: bool(row.get("Emergency Request Total").strip()),
    "the same requests as 'Emergency Request Total' in this file: not to be added to it", counts_toward_total=False)
TABLES = (KnownTable("by country", (Key("country", "Country", "country", filled=True),), MEASURES, corrections=(DUPLICATE,),
                     required=True, description="one row per country; request-type groups as columns"),)
LAYOUTS = layouts(TABLES)
PERIOD = half_year_in_url(r"[-_](?P<y>(?:19|20)\d\d)_H(?P<h>[12])\.csv$")


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, csv_tables(doc), period=PERIOD)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
