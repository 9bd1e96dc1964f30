"""Snap's transparency report CSV: one long table (period, section, category, two sub-categories, metric, value),
one file per half-year. Every metric row is one fact; its section and categories are kept as printed in `extra`.

Government sections are user-data, national-security or content-removal facts; Snap's own enforcement of its
rules (violations, CSEA, terrorism, false information) and private notices (DMCA, trademark) are kind "other".
Percentages are printed as fractions (0.86) and kept on the 0-100 scale. In "Account / Content Violations" the
"Global" rows (by policy) and "Region" rows are totals of the "Country" rows beside them.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.csv_report import Measure, csv_rows, measure_facts, read_tables, require_known, shape
from parsers.formats.tabular import Column
from parsers.normalise.periods import parse_half

SERIES = (("snap", "transparency-report"),)

T, K, U = RequestType, Kind, Unit
LONG = shape("long table: one metric per row", tuple(Column(c, (c,)) for c in (
    "period", "section", "category", "sub_category_1", "sub_category_2", "metric")),
    (Measure("value", "value", U.OTHER, T.OTHER),))
LAYOUTS = (LONG.layout,)
# section -> (kind, request type when the category does not say, ISO code of the country the section names)
SECTIONS: dict[str, tuple[Kind, RequestType, str]] = {
    "United States Criminal Legal Requests": (K.USER_DATA, T.LEGAL_PROCESS, "US"),
    "United States National Security Requests": (K.NATIONAL_SECURITY, T.NATIONAL_SECURITY, "US"),
    "International Government Information Requests": (K.USER_DATA, T.LEGAL_PROCESS, ""),
    "Governmental Content Removal Requests": (K.CONTENT_REMOVAL, T.CONTENT_REMOVAL, ""),
    "Copyrighted Content Takedown Notices (DMCA)": (K.OTHER, T.OTHER, ""),  # private notices, not government
    "Trademark Notices": (K.OTHER, T.OTHER, ""),
    "Account / Content Violations": (K.OTHER, T.OTHER, ""),  # Snap's enforcement of its own rules
    "Child Sexual Exploitation and Abuse": (K.OTHER, T.OTHER, ""),
    "Terrorism": (K.OTHER, T.OTHER, ""),
    "False Information": (K.OTHER, T.OTHER, ""),
}
US_LEGAL_PROCESS = {  # category of "United States Criminal Legal Requests"
    "Court Order": T.COURT_ORDER, "EDR": T.EMERGENCY, "PRTT": T.COURT_ORDER, "Search Warrant": T.SEARCH_WARRANT,
    "Subpoena": T.SUBPOENA, "Summons": T.SUBPOENA, "Subpoena/Summons": T.SUBPOENA, "Wiretap": T.COURT_ORDER,
}
# metric as printed -> (metric, unit, printed as a fraction, request type it implies)
METRICS: dict[str, tuple[str, Unit, bool, RequestType | None]] = {
    "requests": ("requests", U.REQUESTS, False, None),
    "account_identifiers": ("accounts_specified", U.ACCOUNTS, False, None),
    "percentage_of_requests_where_some_data_was_produced": ("percent_some_data_produced", U.PERCENT, True, None),
    "emergency_requests": ("requests", U.REQUESTS, False, T.EMERGENCY),
    "account_identifiers_for_emergency_requests": ("accounts_specified", U.ACCOUNTS, False, T.EMERGENCY),
    "percentage_of_emergency_requests_where_some_data_was_produced": (
        "percent_some_data_produced", U.PERCENT, True, T.EMERGENCY),
    "other_information_requests": ("requests", U.REQUESTS, False, T.LEGAL_PROCESS),
    "account_identifiers_for_other_information_requests": ("accounts_specified", U.ACCOUNTS, False, T.LEGAL_PROCESS),
    "percentage_of_other_information_requests_where_some_data_was_produced": (
        "percent_some_data_produced", U.PERCENT, True, T.LEGAL_PROCESS),
    "removal_requests": ("requests", U.REQUESTS, False, None),
    "percentage_of_requests_where_some_content_was_removed": ("percent_some_content_removed", U.PERCENT, True, None),
    "notices": ("notices", U.REQUESTS, False, None),
    "counter_notices": ("counter_notices", U.OTHER, False, None),
    "trademark_notices": ("notices", U.REQUESTS, False, None),
    "content_reports": ("content_reports", U.ITEMS, False, None),
    "content_enforced": ("content_enforced", U.ITEMS, False, None),
    "unique_accounts_enforced": ("unique_accounts_enforced", U.ACCOUNTS, False, None),
    "account_deletions": ("accounts_deleted", U.ACCOUNTS, False, None),
    "total_content_and_account_enforcements": ("content_and_account_enforcements", U.OTHER, False, None),
    "median_turnaround_time_hr": ("median_turnaround_hours", U.OTHER, False, None),
    "median_turnaround_time_minutes": ("median_turnaround_minutes", U.OTHER, False, None),
    "violative_view_rate": ("violative_view_rate", U.OTHER, False, None),
}
NOTES = {"violative_view_rate": "the CSV does not print this rate's scale (Snap's report text gives it in percent "
                                "of views); kept as printed, not converted"}
# Country labels of Snap's lists that neither ISO's names nor the shared alias table match (reviewed).
COUNTRY_CODES = {
    "Congo; Democratic Republic of (was Zaire)": "CD", "Congo; People's Republic of": "CG", "Faeroe Islands": "FO",
    "Guadaloupe": "GP", "S. Korea (Republic of Korea)": "KR", "British Indian Ocean": "IO",
    "Cocos (Keeling) Islands (the)": "CC", "United States Minor Outlying Islands (the)": "UM",
    "Wallis and Futuna Islands": "WF",
}
# 2021 H1 has one CSEA row under "Country" with the country cell blank: kept, with this note, not refused.
BLANK_COUNTRY = "a 'Country' row whose country cell is blank: Snap names no country for this figure"
BREAKDOWNS = ("Country", "Global", "Region")  # category values that say where, not what


def parse(doc: Document) -> list[Fact]:
    (table,) = read_tables(doc, csv_rows(doc), (LONG,))
    facts: list[Fact] = []
    for row in table.rows:
        where = f"row {row.number}"
        section = " ".join(row.get("section").split())
        kind, default_type, section_code = require_known(doc, section, SECTIONS, "section", where)
        printed = row.get("metric").strip()
        metric, unit, fraction, metric_type = require_known(doc, printed, METRICS, "metric", where)
        category = row.get("category").strip()
        sub1, sub2 = row.get("sub_category_1").strip(), row.get("sub_category_2").strip()
        rtype = metric_type or default_type
        if section == "United States Criminal Legal Requests":
            rtype = require_known(doc, category, US_LEGAL_PROCESS, "US legal process", where)
        # a country row names its country; a US section names the US in its title (kept as country_raw)
        country = sub1 if category == "Country" else (section if section_code else "")
        try:
            period = parse_half(row.get("period"))
        except ValueError as e:
            raise ParseError(doc, f"{where}: {e}") from e
        extra = {k: v for k, v in (("section", section), ("category", category), ("sub_category_1", sub1),
                                   ("sub_category_2", sub2), ("metric", printed)) if v}
        measure = Measure("value", metric, unit, rtype, kind=kind, fraction=fraction)
        facts += measure_facts(
            doc, table, row, period=period, country_raw=country, country_code=COUNTRY_CODES.get(country, section_code),
            request_type_raw=category if category and category not in BREAKDOWNS else (
                printed if metric_type else section),
            row_is_total=category in ("Global", "Region"), extra=extra, measures=(measure,),
            notes={"value": BLANK_COUNTRY if category == "Country" and not sub1 else NOTES.get(printed, "")},
        )
    return facts

