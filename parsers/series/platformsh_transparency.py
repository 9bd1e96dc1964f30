"""Platform.sh's yearly transparency report (PDF, 2020 onwards): government data requests and abuse reports.

Three data-request tables share one two-row header ("Content Data Disclosed" over "Controller" / "Processor"):
requests from non-EU authorities, the US breakdown of those (national security letters, FISA and Cloud Act
orders: "included in the chart above", so they are parts, not extra requests), and requests from EU authorities.
A fourth table counts abuse reports (removal orders from governments and notices from others). Each table is named
by the heading printed last above it; the series cannot do without any of the four.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, interpret, layouts, strict
from parsers.formats.pdf_tables import PdfTable, page_texts, pick_pages, read_tables
from parsers.formats.table import pdf_table
from parsers.formats.tabular import header_key
from parsers.normalise.values import CellValue, parse_number_cell

SERIES = (("platformsh", "transparency-report"),)

T, NS = RequestType, Kind.NATIONAL_SECURITY
DISCLOSED = "the report does not say whether this counts requests or disclosures"
REQUESTER = Key("requester", "Requesting authority", "request_type", extra="requester", values={
    "law enforcement": As(T.ALL), "other governmental authority": As(T.ALL),
    "national security letters": As(T.NATIONAL_SECURITY, kind=NS), "fisa orders": As(T.NATIONAL_SECURITY, kind=NS),
    "cloud act orders": As(T.LEGAL_PROCESS)})
# Keys as `header_key` spells the headings above the tables -> (table, country label, rows included elsewhere)
REGIONS = {"from non eu authorities": ("non-EU authorities", "Non-EU", False),
           "breakdown of the usa specific": ("USA breakdown", "USA", True),
           "from eu authorities": ("EU authorities", "EU", False)}


def _data_requests(name: str, country: str, is_part: bool) -> KnownTable:
    part = "included in the non-EU table" if is_part else ""

    def m(header: str, metric: str, unit: Unit, note: str = "") -> Measure:
        return Measure(header, metric, unit, note="; ".join(filter(None, (note, part))), extra={"table": name})
    return KnownTable(name, (REQUESTER,), (
        m("Number of requests", "requests", Unit.REQUESTS),
        *(m(f"{what} Disclosed / {role}", f"{what.split()[0].lower()}_{'data_' if 'Content' in what else ''}"
            f"disclosed_as_{role.lower()}", Unit.OTHER, DISCLOSED)
          for what in ("Content Data", "Metadata") for role in ("Controller", "Processor")),
        m("Number of affected clients", "customers_affected", Unit.CUSTOMERS)),
        where=re.escape(name), country=country, required=True,
        description="2020-2021: requests and disclosures by requesting authority, split controller / processor")


def _days(raw: str) -> CellValue | None:
    m = re.match(r"^(?P<n>[0-9.]+)\s*days?$", raw.strip(), re.IGNORECASE)
    return parse_number_cell(m["n"]) if m else None


ABUSE = KnownTable("abuse reports", (
    Key("request_type", "Type of request", "request_type", extra="requester", values={
        "orders received from government authorities": As(T.CONTENT_REMOVAL),
        "complaints received via support requests": As(T.OTHER), "notices submitted via abuse email": As(T.OTHER),
        "content moderation engaged at platform sh s own initiative": As(T.OTHER)}),
    Key("content_types", "Type of illegal content", extra="illegal_content_types"),
    Key("basis", "Basis for action taken (Laws or Terms of Service)", extra="basis_for_action")), (
    Measure("Total number of requests", "requests", Unit.REQUESTS, kind=Kind.CONTENT_REMOVAL),
    Measure("Number of unfounded requests", "requests_unfounded", Unit.REQUESTS, kind=Kind.CONTENT_REMOVAL),
    Measure("Average time needed for taking actions (days)", "average_days_to_action", Unit.OTHER,
            kind=Kind.CONTENT_REMOVAL, reader=_days)),
    where="abuse reports", required=True, description="2020-2021: abuse reports by channel, with the average days")
TABLES = (*(_data_requests(*r) for r in REGIONS.values()), ABUSE)
LAYOUTS = layouts(TABLES)


def _place(t: PdfTable) -> str:
    """The table's name: the abuse table by its header, a data-request table by the heading printed last above it."""
    if "type of request" in header_key(" ".join(t.header())):
        return "abuse reports"
    caption = header_key(t.caption)
    found = [(caption.rfind(key), region[0]) for key, region in REGIONS.items() if key in caption]
    return max(found)[1] if found else t.caption[-80:]


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    pages = pick_pages(texts, ("Requesting authority",), ("Type of request", "unfounded"))
    if not pages:
        raise UnknownLayout(doc, "no page prints a 'Requesting authority' or 'Type of request' table")
    m = re.search(r"\b(\d{4}) Platform\.sh Transparency Report", texts[0] if texts else "")
    if m is None:
        raise ParseError(doc, "no '<year> Platform.sh Transparency Report' title on page 1")
    year = (dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31))
    tables = [pdf_table(t, place=_place(t)) for t in read_tables(doc, pages)]
    return interpret(doc, TABLES, tables, period=lambda d, r: year)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
