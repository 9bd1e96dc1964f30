"""Platform.sh's yearly transparency report (PDF, 2020 onwards): government data requests and abuse reports.

Three data-request tables share one two-row header ("Content Data Disclosed" over "Controller" / "Processor"):
requests from non-EU authorities, the US breakdown of those (national security letters, FISA and Cloud Act
orders: "included in the chart above", so they are parts, not extra requests), and requests from EU authorities.
A fourth table counts abuse reports (removal orders from governments and notices from others).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.pdf_tables import PdfTable, page_texts, pick_pages, read_tables
from parsers.formats.tabular import Column, Layout, header_key, recognise
from parsers.normalise.values import CellValue, parse_number_cell

SERIES = (("platformsh", "transparency-report"),)

DATA_REQUESTS = Layout("data-requests-2020", (
    Column("requester", ("Requesting authority",)),
    Column("requests", ("Number of requests",)),
    Column("content_controller", ("Content Data Disclosed / Controller",)),
    Column("content_processor", ("Content Data Disclosed / Processor",)),
    Column("metadata_controller", ("Metadata Disclosed / Controller",)),
    Column("metadata_processor", ("Metadata Disclosed / Processor",)),
    Column("customers", ("Number of affected clients",)),
), description="2020-2021: requests and disclosures by requesting authority, split controller / processor")
ABUSE_REPORTS = Layout("abuse-reports-2020", (
    Column("request_type", ("Type of request",)),
    Column("requests", ("Total number of requests",)),
    Column("unfounded", ("Number of unfounded requests",)),
    Column("content_types", ("Type of illegal content",)),
    Column("basis", ("Basis for action taken (Laws or Terms of Service)",)),
    Column("days", ("Average time needed for taking actions (days)",)),
), description="2020-2021: abuse reports by channel, with the average days to act")
LAYOUTS = (DATA_REQUESTS, ABUSE_REPORTS)

_DISCLOSED_NOTE = "the report does not say whether this counts requests or disclosures"
_DATA_METRICS = {
    "requests": ("requests", Unit.REQUESTS, ""),
    "content_controller": ("content_data_disclosed_as_controller", Unit.OTHER, _DISCLOSED_NOTE),
    "content_processor": ("content_data_disclosed_as_processor", Unit.OTHER, _DISCLOSED_NOTE),
    "metadata_controller": ("metadata_disclosed_as_controller", Unit.OTHER, _DISCLOSED_NOTE),
    "metadata_processor": ("metadata_disclosed_as_processor", Unit.OTHER, _DISCLOSED_NOTE),
    "customers": ("customers_affected", Unit.CUSTOMERS, ""),
}
# Row labels of the data-request tables -> (request type, kind).
_REQUESTERS = {
    "law enforcement": (RequestType.ALL, Kind.USER_DATA),
    "other governmental authority": (RequestType.ALL, Kind.USER_DATA),
    "national security letters": (RequestType.NATIONAL_SECURITY, Kind.NATIONAL_SECURITY),
    "fisa orders": (RequestType.NATIONAL_SECURITY, Kind.NATIONAL_SECURITY),
    "cloud act orders": (RequestType.LEGAL_PROCESS, Kind.USER_DATA),
}
# Row labels of the abuse table: only the first comes from governments.
_ABUSE_ROWS = {
    "orders received from government authorities": RequestType.CONTENT_REMOVAL,
    "complaints received via support requests": RequestType.OTHER,
    "notices submitted via abuse email": RequestType.OTHER,
    "content moderation engaged at platform sh s own initiative": RequestType.OTHER,
}


@dataclass(frozen=True)
class Region:
    """Which data-request table: said by the heading printed above it."""

    name: str
    country_raw: str
    is_part: bool  # the rows are included in another table's figures


# Keys as `header_key` spells the headings; the one printed last above a table names it.
_REGIONS = (("from non eu authorities", Region("non-EU authorities", "Non-EU", False)),
            ("breakdown of the usa specific", Region("USA breakdown", "USA", True)),
            ("from eu authorities", Region("EU authorities", "EU", False)))
_YEAR = re.compile(r"\b(\d{4}) Platform\.sh Transparency Report")
_DAYS = re.compile(r"^(?P<n>[0-9.]+)\s*days?$", re.IGNORECASE)


def _year(doc: Document, texts: list[str]) -> tuple[dt.date, dt.date]:
    if m := _YEAR.search(texts[0] if texts else ""):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise ParseError(doc, "no '<year> Platform.sh Transparency Report' title on page 1")


def _region(doc: Document, t: PdfTable) -> Region:
    caption = header_key(t.caption)
    found = [(caption.rfind(key), region) for key, region in _REGIONS if key in caption]
    if found:
        return max(found, key=lambda pair: pair[0])[1]
    raise UnknownLayout(doc, f"page={t.page};table={t.index}: no known heading above the table ({t.caption[-80:]!r})")


def _data_facts(doc: Document, t: PdfTable, pos: dict[str, int], printed: list[str],
                period: tuple[dt.date, dt.date]) -> list[Fact]:
    region = _region(doc, t)
    facts: list[Fact] = []
    for number, row in enumerate(t.rows[t.header_rows():], start=t.header_rows() + 1):
        label = row[pos["requester"]].text
        known = _REQUESTERS.get(header_key(label))
        if known is None:
            raise UnknownLayout(doc, f"page={t.page};table={t.index};row={number}: unknown requester {label!r}")
        for column, (metric, unit, note) in _DATA_METRICS.items():
            cell = row[pos[column]]
            facts.append(figure(
                doc, period=period, country_raw=region.country_raw, request_type=known[0], request_type_raw=label,
                metric=metric, unit=unit, raw=cell.text, kind=known[1],
                locator=Locator(page=t.page, table=t.index, row=number, column=printed[pos[column]], bbox=cell.bbox),
                note="; ".join(filter(None, (note, "included in the non-EU table" if region.is_part else ""))),
                extra={"requester": label, "table": region.name},
            ))
    return facts


def _days(raw: str) -> CellValue | None:
    m = _DAYS.match(raw.strip())
    return parse_number_cell(m["n"]) if m else None


def _abuse_facts(doc: Document, t: PdfTable, pos: dict[str, int], printed: list[str],
                 period: tuple[dt.date, dt.date]) -> list[Fact]:
    facts: list[Fact] = []
    for number, row in enumerate(t.rows[t.header_rows():], start=t.header_rows() + 1):
        label = row[pos["request_type"]].text
        rtype = _ABUSE_ROWS.get(header_key(label))
        if rtype is None:
            raise UnknownLayout(doc, f"page={t.page};table={t.index};row={number}: unknown request type {label!r}")
        extra = {"requester": label, "illegal_content_types": row[pos["content_types"]].text,
                 "basis_for_action": row[pos["basis"]].text}
        for column, metric, unit in (("requests", "requests", Unit.REQUESTS),
                                     ("unfounded", "requests_unfounded", Unit.REQUESTS),
                                     ("days", "average_days_to_action", Unit.OTHER)):
            cell = row[pos[column]]
            facts.append(figure(
                doc, period=period, country_raw="", request_type=rtype, request_type_raw=label, metric=metric,
                unit=unit, raw=cell.text, kind=Kind.CONTENT_REMOVAL, cell=_days(cell.text) if column == "days" else None,
                locator=Locator(page=t.page, table=t.index, row=number, column=printed[pos[column]], bbox=cell.bbox),
                extra=extra,
            ))
    return facts


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    pages = pick_pages(texts, ("Requesting authority",), ("Type of request", "unfounded"))
    if not pages:
        raise UnknownLayout(doc, "no page prints a 'Requesting authority' or 'Type of request' table")
    period = _year(doc, texts)
    facts: list[Fact] = []
    found: list[str] = []
    for t in read_tables(doc, pages):
        printed = t.header()
        layout, pos = recognise(doc, printed, LAYOUTS, where=f"page={t.page};table={t.index}")
        if layout is DATA_REQUESTS:
            facts += _data_facts(doc, t, pos, printed, period)
            found.append(_region(doc, t).name)
        else:
            facts += _abuse_facts(doc, t, pos, printed, period)
            found.append("abuse reports")
    expected = [r.name for _, r in _REGIONS] + ["abuse reports"]
    if sorted(found) != sorted(expected):
        raise UnknownLayout(doc, f"expected one table each of {expected}, found {found}")
    return facts


__all__ = ["LAYOUTS", "SERIES", "parse"]
