"""GitHub's requests to disclose user information: four CSVs of its transparency data repository, told apart
by their header (each URL is a separate document of the same series).
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, calendar_year_in, interpret, layouts, strict
from parsers.formats.table import csv_tables
from parsers.normalise.periods import parse_month_range

SERIES = (("github", "requests-to-disclose-user-information"),)

T, NS = RequestType, Kind.NATIONAL_SECURITY
YEAR = Key("year", "year", "period")
GOVERNMENT = (Key("country", "government", "country"), Key("code", "government_iso2_code", "country_code"))
REQUEST_TYPES = Key("type", "type", "request_type", values={
    "criminal or government agency subpoena": As(T.SUBPOENA),
    "criminal court order": As(T.COURT_ORDER),
    "criminal search warrant": As(T.SEARCH_WARRANT),
    "cross-border request": As(T.OTHER),  # any non-US government; GitHub does not say through which channel
    "civil subpoena": As(T.CIVIL),
    "exigent circumstances": As(T.EMERGENCY),
})
# In the national-security file the type cell says what the banded count counts.
NS_COUNTS = Key("type", "type", "request_type", values={
    "National security letters and orders received": As(T.NATIONAL_SECURITY, measure=Measure(
        "count", "requests", Unit.REQUESTS, T.NATIONAL_SECURITY, kind=NS)),
    "Affected accounts": As(T.NATIONAL_SECURITY, measure=Measure(
        "count", "accounts_affected", Unit.ACCOUNTS, T.NATIONAL_SECURITY, kind=NS)),
})


def _months(doc: Document, row: Row) -> Period:
    """'Jan-Jun' in month_range with the year beside it."""
    try:
        return parse_month_range(f"{row.get('months')} {row.get('year')}")
    except ValueError as e:
        raise ParseError(doc, f"row {row.number}: {e}") from e


TABLES = (
    KnownTable("requests received and disclosed, by type", (YEAR, REQUEST_TYPES), (
        Measure("count_requests_received", "requests", Unit.REQUESTS),
        Measure("count_disclosed", "requests_with_data_disclosed", Unit.REQUESTS),
    )),
    KnownTable("accounts affected, all requests", (YEAR,), (
        Measure("count_accounts_affected", "accounts_affected", Unit.ACCOUNTS, T.ALL, "all requests"),)),
    KnownTable("cross-border requests by government", (YEAR, *GOVERNMENT), (
        Measure("count", "requests", Unit.REQUESTS, T.OTHER, "cross-border request"),)),
    KnownTable("national security letters and orders (bands)", (
        YEAR, Key("months", "month_range", "period"), NS_COUNTS), (Measure("count", "count", Unit.OTHER),),
        period=_months),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, csv_tables(doc), period=calendar_year_in("year"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
