"""GitHub's government takedown requests: requests received, and those processed with what they affected,
by year and government (two CSVs of its transparency data repository, told apart by their header).
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, RequestType, Unit
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

SERIES = (("github", "government-takedowns"),)

T, CR = RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL
KEYS = (Column("year", ("year",)), Column("country", ("government",)), Column("code", ("government_iso2_code",)))
RECEIVED = shape("takedown requests received", KEYS, (
    Measure("count_received", "requests", Unit.REQUESTS, T, "government takedown requests", CR),
))
PROCESSED = shape("takedown requests processed, by legal basis", (*KEYS, Column("type", ("type",))), (
    Measure("count_processed", "requests_processed", Unit.REQUESTS, T, kind=CR),
    Measure("count_repos_affected", "repositories_affected", Unit.ITEMS, T, kind=CR),
    Measure("count_pages_affected", "pages_affected", Unit.ITEMS, T, kind=CR),
    Measure("count_accounts_affected", "accounts_affected", Unit.ACCOUNTS, T, kind=CR),
))
# The legal basis GitHub acted on; the raw label stays as request_type_raw.
BASES = {"Local law": T, "Terms of service": T}
SHAPES = (RECEIVED, PROCESSED)
LAYOUTS = tuple(s.layout for s in SHAPES)


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    (table,) = read_tables(doc, csv_rows(doc), SHAPES)
    for row in table.rows:
        where = f"row {row.number}"
        basis = ""
        if row.has("type"):
            basis = row.get("type").strip()
            require_known(doc, basis, BASES, "takedown basis", where)
        facts += measure_facts(doc, table, row, period=calendar_year(doc, row.get("year"), where),
                               country_raw=row.get("country").strip(), country_code=row.get("code").strip(),
                               request_type_raw=basis, extra={"basis": basis} if basis else None)
    return facts
