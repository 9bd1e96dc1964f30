"""Snap's transparency report CSV: one long table (period, section, category, two sub-categories, metric, value),
one file per half-year. Every metric row is one fact; its section and categories are kept as printed in `extra`.

The reader splits the long table by section; each section is declared with its closed vocabularies of categories
and metrics (a metric names what the row's value counts). A section no declaration knows is quarantined.
Government sections are user-data, national-security or content-removal facts; Snap's own enforcement of its
rules (violations, CSEA, terrorism, false information) and private notices (DMCA, trademark) are kind "other".
Percentages are printed as fractions (0.86) and kept on the 0-100 scale. In "Account / Content Violations" the
"Global" rows (by policy) and "Region" rows are totals of the "Country" rows beside them. Snap's country labels
that ISO's names do not match are in the shared alias table (parsers/normalise/country_aliases.csv).
"""

from __future__ import annotations

import re

from parsers.facts import Document, Fact, Kind, RequestType, Unit
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, half_in, interpret, layouts, strict
from parsers.formats.table import csv_tables, split_by

SERIES = (("snap", "transparency-report"),)

T, K, U = RequestType, Kind, Unit
# metric as printed -> (metric, unit); every percentage is printed as a fraction of 1
METRICS: dict[str, tuple[str, Unit]] = {
    "requests": ("requests", U.REQUESTS), "account_identifiers": ("accounts_specified", U.ACCOUNTS),
    "percentage_of_requests_where_some_data_was_produced": ("percent_some_data_produced", U.PERCENT),
    "emergency_requests": ("requests", U.REQUESTS),
    "account_identifiers_for_emergency_requests": ("accounts_specified", U.ACCOUNTS),
    "percentage_of_emergency_requests_where_some_data_was_produced": ("percent_some_data_produced", U.PERCENT),
    "other_information_requests": ("requests", U.REQUESTS),
    "account_identifiers_for_other_information_requests": ("accounts_specified", U.ACCOUNTS),
    "percentage_of_other_information_requests_where_some_data_was_produced": (
        "percent_some_data_produced", U.PERCENT),
    "removal_requests": ("requests", U.REQUESTS),
    "percentage_of_requests_where_some_content_was_removed": ("percent_some_content_removed", U.PERCENT),
    "notices": ("notices", U.REQUESTS), "counter_notices": ("counter_notices", U.OTHER),
    "trademark_notices": ("notices", U.REQUESTS), "content_reports": ("content_reports", U.ITEMS),
    "content_enforced": ("content_enforced", U.ITEMS), "unique_accounts_enforced": ("unique_accounts_enforced",
                                                                                    U.ACCOUNTS),
    "account_deletions": ("accounts_deleted", U.ACCOUNTS),
    "total_content_and_account_enforcements": ("content_and_account_enforcements", U.OTHER),
    "median_turnaround_time_hr": ("median_turnaround_hours", U.OTHER),
    "median_turnaround_time_minutes": ("median_turnaround_minutes", U.OTHER),
    "violative_view_rate": ("violative_view_rate", U.OTHER),
}
# metrics that name the request type they count (International Government Information Requests)
TYPED = {"emergency_requests": T.EMERGENCY, "account_identifiers_for_emergency_requests": T.EMERGENCY,
         "percentage_of_emergency_requests_where_some_data_was_produced": T.EMERGENCY,
         "other_information_requests": T.LEGAL_PROCESS, "account_identifiers_for_other_information_requests":
         T.LEGAL_PROCESS, "percentage_of_other_information_requests_where_some_data_was_produced": T.LEGAL_PROCESS}
NOTES = {"violative_view_rate": "the CSV does not print this rate's scale (Snap's report text gives it in percent "
                                "of views); kept as printed, not converted"}
# 2021 H1 has one CSEA row under "Country" with the country cell blank: kept, with this note, not refused.
BLANK_COUNTRY = Correction((), lambda row, h: row.get("category").strip() == "Country" and not row.get(
    "sub1").strip(), "a 'Country' row whose country cell is blank: Snap names no country for this figure")
COUNTRY_ROWS = {"Country": As()}
US_LEGAL_PROCESS = {n: As(t) for n, t in (
    ("Court Order", T.COURT_ORDER), ("EDR", T.EMERGENCY), ("PRTT", T.COURT_ORDER), ("Search Warrant", T.SEARCH_WARRANT),
    ("Subpoena", T.SUBPOENA), ("Summons", T.SUBPOENA), ("Subpoena/Summons", T.SUBPOENA), ("Wiretap", T.COURT_ORDER))}


def section(name: str, kind: Kind, rtype: RequestType | None, categories: dict[str, As], metrics: str, *,
            country: bool = False, us: bool = False, raw: bool = True, what: str = "category",
            breakdown: bool = False) -> KnownTable:
    """One section of the long table: its categories, its metrics (space-separated), where its country is.

    `rtype` None: the category says the request type. A metric naming a request type ('emergency_requests') is
    its own type label; otherwise the label is the category when `raw` is False, else the section's name.
    """
    values = {}
    for printed in metrics.split():
        typed = TYPED.get(printed)
        metric, unit = METRICS[printed]
        values[printed] = As(measure=Measure("value", metric, unit, typed or rtype, kind=kind, note=NOTES.get(
            printed, ""), fraction=unit is U.PERCENT, request_type_raw=printed if typed else name if raw else ""))
    keys = (Key("period", "period", "period"), Key("section", "section", extra="section"),
            Key("category", "category", "breakdown" if breakdown else "dimension", what=what, extra="category",
                values=categories, omit_blank=True),
            Key("sub1", "sub_category_1", "country" if country else "dimension", extra="sub_category_1",
                omit_blank=True),
            Key("sub2", "sub_category_2", extra="sub_category_2", omit_blank=True),
            Key("metric", "metric", what="metric", extra="metric", values=values))
    return KnownTable(name, keys, (Measure("value", "value", U.OTHER),), where=re.escape(name),
                      country=name if us else "", country_code="US" if us else "",
                      corrections=(BLANK_COUNTRY,) if country else (), total_key="category",
                      total_labels=("Global", "Region") if breakdown else (), total_is_no_country=breakdown)


OWN, PCT_REMOVED = K.OTHER, "percentage_of_requests_where_some_content_was_removed"
TABLES = (
    section("United States Criminal Legal Requests", K.USER_DATA, None, US_LEGAL_PROCESS, "requests "
            "account_identifiers percentage_of_requests_where_some_data_was_produced", us=True, raw=False,
            what="US legal process"),
    section("United States National Security Requests", K.NATIONAL_SECURITY, T.NATIONAL_SECURITY,
            {"NSLs and FISA Orders/Directives": As()}, "requests account_identifiers", us=True, raw=False),
    section("International Government Information Requests", K.USER_DATA, T.LEGAL_PROCESS, COUNTRY_ROWS,
            "emergency_requests account_identifiers_for_emergency_requests "
            "percentage_of_emergency_requests_where_some_data_was_produced other_information_requests "
            "account_identifiers_for_other_information_requests "
            "percentage_of_other_information_requests_where_some_data_was_produced", country=True),
    section("Governmental Content Removal Requests", K.CONTENT_REMOVAL, T.CONTENT_REMOVAL, {"": As()},
            f"removal_requests {PCT_REMOVED}"),
    # private notices, not government requests
    section("Copyrighted Content Takedown Notices (DMCA)", OWN, T.OTHER, {
        "DMCA Takedown Notices": As(), "DMCA Counter-Notices": As()}, f"notices counter_notices {PCT_REMOVED}",
        raw=False),
    section("Trademark Notices", OWN, T.OTHER, {"": As()}, f"trademark_notices {PCT_REMOVED}"),
    # Snap's enforcement of its own rules
    section("Account / Content Violations", OWN, T.OTHER, {"Country": As(), "Global": As(), "Region": As()},
            "content_reports content_enforced unique_accounts_enforced median_turnaround_time_hr "
            "median_turnaround_time_minutes violative_view_rate", country=True, breakdown=True),
    section("Child Sexual Exploitation and Abuse", OWN, T.OTHER, COUNTRY_ROWS, "account_deletions", country=True),
    section("Terrorism", OWN, T.OTHER, COUNTRY_ROWS, "account_deletions", country=True),
    section("False Information", OWN, T.OTHER, {"": As()}, "total_content_and_account_enforcements"),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, [t for whole in csv_tables(doc) for t in split_by(whole, "section", "section")],
                     period=half_in("period"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
