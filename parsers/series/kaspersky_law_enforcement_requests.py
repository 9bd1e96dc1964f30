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

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, interpret, strict
from parsers.formats.pdf_label_values import BlockSpec, block_table, read_blocks, read_lines, recognise_layout
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.periods import parse_half

SERIES = (("kaspersky", "law-enforcement-requests"),)

T, R, P = RequestType, Unit.REQUESTS, Unit.PERCENT
USER = "Requests for User Data"
TECH = "Requests for Non-Personal Technical Information & Expertise"
SHARE_NOTE = ("percentage as printed; checked against the counts it is a share of the country's requests of both "
              "kinds together, not of this table's requests")
TOTAL_LABEL = "TOTAL:"
# Labels ISO's names and the shared alias table do not know, with the code they mean and why.
COUNTRY = Key("country", "label", "country", known_countries=True, spellings={
    "Marocco": ("MA", "Morocco, misspelt 'Marocco' in the September 2021 report")})
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


def _table(name: str, *measures: Measure) -> KnownTable:
    notes = tuple(Correction((), lambda row, _, p=p, label=label: (row.table.title, row.get("country")) == (p, label),
                             note) for (p, t, label), note in ROW_NOTES.items() if t == name)
    return KnownTable(name, (COUNTRY,), measures, where=name, corrections=notes, total_labels=(TOTAL_LABEL,),
                      total_is_no_country=True, extra={"table": name}, title_extra="period_printed",
                      required=name == "requests-by-country", new_rows_quarantined=True)


def _outcomes(name: str, kind: Kind, raw: str, rtype: RequestType) -> KnownTable:
    return _table(name, *(Measure(f"Requests Processed and {what}{pct}", metric, unit, rtype, raw, kind, note=note)
                          for what, pct, metric, unit, note in (
        ("Approved", " (%)", "percent_requests_approved", P, SHARE_NOTE), ("Approved", "", "requests_approved", R, ""),
        ("Rejected", " (%)", "percent_requests_rejected", P, SHARE_NOTE),
        ("Rejected", "", "requests_rejected", R, "rejected: no data found or not meeting legal verification "
                                                 "requirements"))))


TABLES = (
    _table("requests-by-country",
           Measure("Total Number of Requests", "requests", R, T.ALL, "All requests", Kind.OTHER, is_total=True,
                   note="user-data and technical requests together"),
           Measure("Total Number of Requests for User Data", "requests", R, T.ALL, USER),
           # no legal types are printed; technical requests are "other"
           Measure("Total Number of Requests for Non-Personal Technical Information & Expertise", "requests", R,
                   T.OTHER, TECH, Kind.OTHER)),
    _outcomes("technical-outcomes", Kind.OTHER, TECH, T.OTHER),
    _outcomes("user-data-outcomes", Kind.USER_DATA, USER, T.ALL),
)
COLUMNS = {t.name: tuple(m.header for m in t.measures) for t in TABLES}
PRINTED = {m.header: m.header.removesuffix(" (%)") for t in TABLES for m in t.measures}  # % and count share one
LABELS = (re.escape(TOTAL_LABEL), r"[A-Z][A-Za-z .'-]+")
_OUTCOME_HEADER = (r" Country Requests Processed and Approved Requests Processed and Rejected \(No Data Found or Not "
                   r"Meeting Legal Verification Requirements\)")
BY_COUNTRY = BlockSpec(
    "requests-by-country", start=r"Law Enforcement and Government Requests, (?:H[12] )?\d{4}",
    header=r"Law Enforcement and Government Requests, (?P<period>(?:H[12] )?\d{4}) Country Total Number of Requests "
           r"Total Number of Requests Total Number of Requests for User Data for Non-Personal Technical "
           r"Information & Expertise",
    columns=COLUMNS["requests-by-country"], end=r"\d+%?", labels=LABELS)  # the ring charts' labels end the table
BLOCKS = (BY_COUNTRY, *(BlockSpec(name, start=re.escape(title), header=re.escape(title) + _OUTCOME_HEADER,
                                  columns=COLUMNS[name], labels=LABELS, printed=PRINTED)
                        for name, title in (("technical-outcomes", TECH), ("user-data-outcomes", USER))))
_PERIOD_TABLES = ("requests-by-country", "technical-outcomes", "user-data-outcomes")
LAYOUTS = {"2021-09 (2020 and H1 2021)": _PERIOD_TABLES * 2, "half-yearly since H2 2021": _PERIOD_TABLES}
IGNORED_LINES = (r"\d+%?",)  # page numbers and the ring charts' labels


def _period(doc: Document, row: Row) -> tuple[dt.date, dt.date]:
    """The period printed over the requests-by-country table, for it and the outcome tables after it."""
    text = row.table.title
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)  # a calendar year, as printed
    try:
        return parse_half(text)
    except ValueError as e:
        raise UnknownLayout(doc, f"period {text!r} is neither a year nor a half-year") from e


def read(doc: Document) -> Reading:
    pages = pick_pages(page_texts(doc), ["Country", "Total Number of Requests for User Data"],
                       ["Country", "Requests Processed and Approved"])
    tables, period = [], ""
    for block in read_blocks(read_lines(doc, pages), BLOCKS, IGNORED_LINES):
        tables.append(block_table(block, "" if block.spec is BY_COUNTRY else period))
        if block.spec is BY_COUNTRY or block.spec is None:  # an unknown table may be the period's own
            period = tables[-1].title if block.spec is BY_COUNTRY else ""
        elif not period:
            tables[-1].refused = "no period: the requests-by-country table above it was not read"
    recognise_layout(doc, tables, LAYOUTS)
    return interpret(doc, TABLES, tables, period=_period)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
