"""GitHub's requests to disclose user information: four CSVs of its transparency data repository, told apart
by their header (each URL is a separate document of the same series).
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.csv_report import (
    Measure,
    calendar_year,
    csv_rows,
    measure_facts,
    read_tables,
    require_known,
    shape,
)
from parsers.formats.tabular import Column
from parsers.normalise.periods import parse_month_range

SERIES = (("github", "requests-to-disclose-user-information"),)

T = RequestType
YEAR = Column("year", ("year",))
GOVERNMENT = (Column("country", ("government",)), Column("code", ("government_iso2_code",)))
RECEIVED_AND_DISCLOSED = shape("requests received and disclosed, by type", (YEAR, Column("type", ("type",))), (
    Measure("count_requests_received", "requests", Unit.REQUESTS),
    Measure("count_disclosed", "requests_with_data_disclosed", Unit.REQUESTS),
))
REQUEST_TYPES = {
    "criminal or government agency subpoena": T.SUBPOENA,
    "criminal court order": T.COURT_ORDER,
    "criminal search warrant": T.SEARCH_WARRANT,
    "cross-border request": T.OTHER,  # any non-US government; GitHub does not say through which channel
    "civil subpoena": T.CIVIL,
    "exigent circumstances": T.EMERGENCY,
}
ACCOUNTS_AFFECTED = shape("accounts affected, all requests", (YEAR,), (
    Measure("count_accounts_affected", "accounts_affected", Unit.ACCOUNTS, T.ALL, "all requests"),
))
CROSS_BORDER = shape("cross-border requests by government", (YEAR, *GOVERNMENT), (
    Measure("count", "requests", Unit.REQUESTS, T.OTHER, "cross-border request"),
))
NATIONAL_SECURITY = shape("national security letters and orders (bands)", (
    YEAR, Column("months", ("month_range",)), Column("type", ("type",))), (
    Measure("count", "count", Unit.OTHER),
))
# In the national-security file the type cell says what the banded count counts.
NS_COUNTS = {
    "National security letters and orders received": Measure("count", "requests", Unit.REQUESTS,
                                                              T.NATIONAL_SECURITY, kind=Kind.NATIONAL_SECURITY),
    "Affected accounts": Measure("count", "accounts_affected", Unit.ACCOUNTS, T.NATIONAL_SECURITY,
                                 kind=Kind.NATIONAL_SECURITY),
}
SHAPES = (RECEIVED_AND_DISCLOSED, ACCOUNTS_AFFECTED, CROSS_BORDER, NATIONAL_SECURITY)
LAYOUTS = tuple(s.layout for s in SHAPES)


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    (table,) = read_tables(doc, csv_rows(doc), SHAPES)
    for row in table.rows:
        where = f"row {row.number}"
        period = calendar_year(doc, row.get("year"), where)
        rtype, rtype_raw, measures = None, "", None
        if table.shape is NATIONAL_SECURITY:
            rtype_raw = row.get("type").strip()
            measures = [require_known(doc, rtype_raw, NS_COUNTS, "national-security type", where)]
            try:
                period = parse_month_range(f"{row.get('months')} {row.get('year')}")
            except ValueError as e:
                raise ParseError(doc, f"{where}: {e}") from e
        elif row.has("type"):
            rtype_raw = row.get("type").strip()
            rtype = require_known(doc, rtype_raw, REQUEST_TYPES, "request type", where)
        facts += measure_facts(doc, table, row, period=period, country_raw=row.get("country").strip(),
                               country_code=row.get("code").strip(), request_type=rtype,
                               request_type_raw=rtype_raw, measures=measures)
    return facts
