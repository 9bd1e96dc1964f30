"""Kaspersky's Law Enforcement and Government Requests Report (PDF, since September 2021): requests by country.

Each period takes three tables: requests by country (all, for user data, for non-personal technical information
and expertise), then per kind the requests processed and approved or rejected, each as a percentage beside a
count. The first report covers 2020 (a calendar year) and H1 2021; later ones one half-year each. Percentages are
kept as printed (unit percent); nothing is derived from them. Checked against the counts, they are shares of the
country's requests of both kinds together, so a country's four outcome percentages add up to 100. The ring charts
under the first table repeat its figures (or sums of them) and are not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.pdf_label_values import BlockSpec, locator, read_blocks, read_lines, recognise_layout
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.countries import country_iso2
from parsers.normalise.periods import parse_half

SERIES = (("kaspersky", "law-enforcement-requests"),)


@dataclass(frozen=True)
class Column:
    printed: str  # the column header as printed (it spans the percentage and the count beside it)
    metric: str
    unit: Unit
    kind: Kind
    request_type_raw: str
    request_type: RequestType = RequestType.ALL  # no legal types are printed; technical requests are "other"
    is_total: bool = False
    note: str = ""


_USER = "Requests for User Data"
_TECH = "Requests for Non-Personal Technical Information & Expertise"
_SHARE_NOTE = ("percentage as printed; checked against the counts it is a share of the country's requests of both "
               "kinds together, not of this table's requests")
TOTAL_LABEL, COUNTRY = "TOTAL:", r"[A-Z][A-Za-z .'-]+"
_ROWS = {re.escape(TOTAL_LABEL): "total", COUNTRY: "country"}
_OUTCOME_HEADER = (r" Country Requests Processed and Approved Requests Processed and Rejected \(No Data Found or Not "
                   r"Meeting Legal Verification Requirements\)")
BY_COUNTRY = BlockSpec(
    "requests-by-country", start=r"Law Enforcement and Government Requests, (?:H[12] )?\d{4}",
    header=r"Law Enforcement and Government Requests, (?P<period>(?:H[12] )?\d{4}) Country Total Number of Requests "
           r"Total Number of Requests Total Number of Requests for User Data for Non-Personal Technical "
           r"Information & Expertise",
    figures=3, end=r"\d+%?", rows=_ROWS)  # the ring charts' labels end the table
TECHNICAL = BlockSpec("technical-outcomes", start=re.escape(_TECH), header=re.escape(_TECH) + _OUTCOME_HEADER,
                      figures=4, rows=_ROWS)
USER_DATA = BlockSpec("user-data-outcomes", start=re.escape(_USER), header=re.escape(_USER) + _OUTCOME_HEADER,
                      figures=4, rows=_ROWS)
COLUMNS = {
    "requests-by-country": (
        Column("Total Number of Requests", "requests", Unit.REQUESTS, Kind.OTHER, "All requests", is_total=True,
               note="user-data and technical requests together"),
        Column("Total Number of Requests for User Data", "requests", Unit.REQUESTS, Kind.USER_DATA, _USER),
        Column("Total Number of Requests for Non-Personal Technical Information & Expertise", "requests",
               Unit.REQUESTS, Kind.OTHER, _TECH, RequestType.OTHER)),
}
for _name, _kind, _raw, _type in (("technical-outcomes", Kind.OTHER, _TECH, RequestType.OTHER),
                                  ("user-data-outcomes", Kind.USER_DATA, _USER, RequestType.ALL)):
    COLUMNS[_name] = (
        Column("Requests Processed and Approved", "percent_requests_approved", Unit.PERCENT, _kind, _raw, _type,
               note=_SHARE_NOTE),
        Column("Requests Processed and Approved", "requests_approved", Unit.REQUESTS, _kind, _raw, _type),
        Column("Requests Processed and Rejected", "percent_requests_rejected", Unit.PERCENT, _kind, _raw, _type,
               note=_SHARE_NOTE),
        Column("Requests Processed and Rejected", "requests_rejected", Unit.REQUESTS, _kind, _raw, _type,
               note="rejected: no data found or not meeting legal verification requirements"))
_PERIOD_TABLES = ("requests-by-country", "technical-outcomes", "user-data-outcomes")
LAYOUTS = {"2021-09 (2020 and H1 2021)": _PERIOD_TABLES * 2, "half-yearly since H2 2021": _PERIOD_TABLES}
# Labels ISO's names and the shared alias table do not know, with the code they mean and why.
COUNTRY_SPELLINGS = {"Marocco": ("MA", "Morocco, misspelt 'Marocco' in the September 2021 report")}
# What the report says beside a row, or where its own figures disagree: (period, table, row) -> note.
ROW_NOTES = {
    ("H2 2021", "requests-by-country", TOTAL_LABEL): "the report's footnote: updated in May 2022 to fix a "
    "calculation error in the total of technical requests; no per-country figure changed",
    ("H2 2021", "user-data-outcomes", TOTAL_LABEL): "as printed, but the report's own counts disagree: 17 of 101 "
    "requests rejected is 16.8%, printed 16% (the TOTAL row's four shares add up to 99)",
    ("H1 2022", "technical-outcomes", "Brazil"): "as printed, but the report's own counts disagree: 4 of Brazil's "
    "5 requests approved is 80%, and its user-data table prints 1 rejected at 0%",
    ("H1 2022", "user-data-outcomes", "Brazil"): "as printed, but the report's own counts disagree: 1 of Brazil's "
    "5 requests rejected is 20%, printed 0%",
}
IGNORED_LINES = (r"\d+%?",)  # page numbers and the ring charts' labels


def _period(doc: Document, text: str) -> tuple[dt.date, dt.date]:
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)  # a calendar year, as printed
    try:
        return parse_half(text)
    except ValueError as e:
        raise UnknownLayout(doc, f"period {text!r} is neither a year nor a half-year") from e


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    pages = pick_pages(texts, ["Country", "Total Number of Requests for User Data"],
                       ["Country", "Requests Processed and Approved"])
    blocks = read_blocks(doc, read_lines(doc, pages), (BY_COUNTRY, TECHNICAL, USER_DATA), ignore=IGNORED_LINES)
    recognise_layout(doc, blocks, LAYOUTS)
    facts: list[Fact] = []
    period_text = ""
    for block in blocks:
        if block.spec is BY_COUNTRY:
            period_text = block.header["period"]
        period = _period(doc, period_text)
        for row in block.rows:
            label = row.label
            hint, spelling = COUNTRY_SPELLINGS.get(label, (None, ""))
            row_note = ROW_NOTES.get((period_text, block.spec.name, label), "")
            if row.declared == "country" and country_iso2(label, hint) is None:
                raise UnknownLayout(doc, f"page={row.page}: row {label!r} is neither TOTAL: nor a known country")
            for column, cell in zip(COLUMNS[block.spec.name], row.figures, strict=True):
                facts.append(figure(
                    doc, period=period, country_raw="" if row.declared == "total" else label,
                    country_code_hint=hint, request_type=column.request_type,
                    request_type_raw=column.request_type_raw, metric=column.metric, unit=column.unit, raw=cell.text,
                    locator=locator(block, row, column.printed, cell), kind=column.kind,
                    is_total=column.is_total or row.declared == "total",
                    note="; ".join(n for n in (column.note, spelling, row_note) if n),
                    extra={"table": block.spec.name, "period_printed": period_text}))
    return facts
