"""GitHub's government takedown requests: requests received, and those processed with what they affected,
by year and government (two CSVs of its transparency data repository, told apart by their header).
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, RequestType, Unit
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, calendar_year_in, interpret, layouts, strict
from parsers.formats.table import csv_tables

SERIES = (("github", "government-takedowns"),)

T, CR = RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL
KEYS = (Key("year", "year", "period"), Key("country", "government", "country"),
        Key("code", "government_iso2_code", "country_code"))
# The legal basis GitHub acted on; the raw label stays as request_type_raw and in extra["basis"].
BASIS = Key("type", "type", "request_type", values={"Local law": As(T), "Terms of service": As(T)}, extra="basis")
TABLES = (
    KnownTable("takedown requests received", KEYS, (
        Measure("count_received", "requests", Unit.REQUESTS, T, "government takedown requests", CR),)),
    KnownTable("takedown requests processed, by legal basis", (*KEYS, BASIS), (
        Measure("count_processed", "requests_processed", Unit.REQUESTS, T, kind=CR),
        Measure("count_repos_affected", "repositories_affected", Unit.ITEMS, T, kind=CR),
        Measure("count_pages_affected", "pages_affected", Unit.ITEMS, T, kind=CR),
        Measure("count_accounts_affected", "accounts_affected", Unit.ACCOUNTS, T, kind=CR),
    )),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, csv_tables(doc), period=calendar_year_in("year"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
