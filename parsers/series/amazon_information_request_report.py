"""Amazon's Information Request Report (PDF, three pages, twice a year).

Two layouts. 2015 - 2020 H1: figures in running text, "Subpoenas: 1,955" then "Full response: 889" and so on,
under "For the period January 1, 2019, through June 30, 2019 (total requests):" (from 2018 a second block for
AWS alone). From 2020 H2: figures only inside ring-chart images, read by OCR and accepted only when each chart
adds up; only the national-security band stays in the text. `findings(doc)` lists what was left unread.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from parsers.facts import Document, Fact, Kind, Locator, RequestType, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, interpret, strict
from parsers.formats.pdf_tables import page_texts
from parsers.formats.ring_charts import read_charts
from parsers.formats.table import Table, TableCell
from parsers.formats.text_figures import Line, figure_line_table, first_period, lines_of
from parsers.normalise.countries import country_iso2

SERIES = (("amazon", "information-request-report"),)
LAYOUTS = ("running text (2015 - 2020 H1)", "ring charts as images (2020 H2 on)")

T, R, P = RequestType, Unit.REQUESTS, Unit.PERCENT
# Label printed before ":" -> (request type, kind). "received" follows the label in the first report only.
REQUESTS = {"Subpoenas": (T.SUBPOENA, Kind.USER_DATA), "Search warrants": (T.SEARCH_WARRANT, Kind.USER_DATA),
            "Other court orders": (T.COURT_ORDER, Kind.USER_DATA),
            "National security requests": (T.NATIONAL_SECURITY, Kind.NATIONAL_SECURITY),
            "Non-U.S. requests": (T.OTHER, Kind.USER_DATA),  # legal demands of non-U.S. governments, incl. MLAT
            "Removal requests": (T.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL)}
# Printed under a request label: how Amazon responded to those requests.
RESPONSES = {"Full response": "requests_full_response", "Partial response": "requests_partial_response",
             "No response": "requests_no_response"}
AWS_NOTE = "AWS's requests are also counted in the total block printed above"


def _text_block(business: str, where: str, aws: bool = False) -> KnownTable:
    """A block of running text; `where` matches the block heading's suffix, which says which business it counts."""
    values = {f"{label} / {response}" if response else label: As(rtype, kind=kind, measure=Measure(
        "figure", metric, R, request_type_raw=label, is_total=not response and rtype is not T.NATIONAL_SECURITY,
        counts_toward_total=not aws, note=AWS_NOTE if aws else ""))
        for label, (rtype, kind) in REQUESTS.items() for response, metric in (("", "requests"), *RESPONSES.items())}
    return KnownTable(business, (Key("label", "figure label", "request_type", values=values),), (), where=where,
                      extra={"business": business}, required=not aws, part="" if aws else "the whole company",
                      new_rows_quarantined=True)


# Image editions: (page, image index, chart, business), as laid out in the 2020 H2 and 2021 H1 reports.
CHARTS = ((1, 1, "country", "Amazon excl. AWS"), (2, 1, "country", "AWS"), (2, 2, "content", "Amazon excl. AWS"),
          (3, 1, "content", "AWS"))
CONTENT_METRICS = {"Content": "requests_content_disclosed", "Non-Content": "requests_content_not_disclosed"}


def _chart(kind: str, business: str) -> KnownTable:
    def share(of: str) -> Measure:
        return Measure("share", "percent_of_requests", P, T.ALL, extra={"share_of": of})
    common = {"where": re.escape(f"{kind} chart, {business}"), "extra": {"business": business, "method": "ocr"},
              "title_extra": "image", "new_rows_quarantined": True}
    if kind == "country":  # the total (company-wide), then each country's count and share
        return KnownTable(f"{kind} chart, {business}", (Key("country", "label", "country", label=True),), (
            Measure("count", "requests", R, T.ALL), share("requests")), total_labels=("total",),
            total_is_no_country=True, **common)  # type: ignore[arg-type]
    return KnownTable(f"{kind} chart, {business}", (Key("part", "label", "request_type", values={
        "total": As(T.ALL, measures=()),  # the country chart's total, printed again: stored once
        **{label: As(T.ALL, measures=(Measure("count", metric, R), share(metric)))
           for label, metric in CONTENT_METRICS.items()}}),), (), **common)  # type: ignore[arg-type]


TABLES = (_text_block("Amazon", ""), _text_block("Amazon incl. AWS", "total requests|total"),
          _text_block("AWS", "AWS requests|AWS only", aws=True), *(_chart(k, b) for _, _, k, b in CHARTS),
          KnownTable("national-security range", (Key("label", "label", "request_type", values={
              "National security requests": As(T.NATIONAL_SECURITY, kind=Kind.NATIONAL_SECURITY)}),), (
              Measure("figure", "requests", R),), where="national-security range",
              extra={"business": "Amazon incl. AWS"}, required=True, part="the whole company"))
# Period rule: each block's own "For the period ... through ..." line (the first report covers Jan - May 2015,
# the second June - December 2015); image editions: "processed from July 1 to December 31, 2020".
_BLOCK = re.compile(r"^For the period (?P<period>.+?)(?: \((?P<business>[^)]*)\))?:\s*$")
_FIGURE = re.compile(r"^(?P<label>[A-Z][A-Za-z .-]*?)(?: received)?: (?P<figure>\d[\d,]*(?:-\d[\d,]*)?)\s*$")
_NS_BAND = re.compile(r"reporting range is (?P<band>\d+-\d+) for all national\s+security requests")


def _text_tables(texts: list[str]) -> list[Table]:
    """One table per "For the period ... (business):" heading, of the "label: figure" lines under it."""
    blocks: list[tuple[re.Match[str], list[Line]]] = []
    for line in lines_of(texts):
        if m := _BLOCK.match(" ".join(line.text.split())):
            blocks.append((m, []))
        elif blocks:
            blocks[-1][1].append(line)
    return [figure_line_table(lines, _FIGURE, title=m["period"], place=m["business"] or "",
                              under=dict.fromkeys(REQUESTS, tuple(RESPONSES))) for m, lines in blocks]


@functools.lru_cache(maxsize=4)
def _read(doc: Document, ocr_available: bool) -> tuple[Reading, list[ocr.Finding]]:
    # ocr_available is part of the memo's key: a document read without OCR is read again once OCR is there
    texts = page_texts(doc)
    flat = " ".join(" ".join(texts).split())
    if "For the period" in flat:  # each block's own period
        return interpret(doc, TABLES, _text_tables(texts), period=lambda d, row: _period(d, row.table.title)), []
    if "Country of Origin of the Request" not in flat or not (band := _NS_BAND.search(flat)):
        raise UnknownLayout(doc, "neither the running-text layout nor the ring-chart one with its national-"
                                 "security range sentence")
    at = Locator(page=3, column="National Security Requests")
    tables = [Table(Locator(page=3), ["label", "figure"], [[TableCell("National security requests", at),
                                                            TableCell(band["band"], at)]], [0],
                    place="national-security range")]
    findings = [ocr.Finding("format-downgrade", "figures moved from running text into chart images (from 2020 H2)")]
    charts, unread = read_charts(doc, CHARTS, {"country": lambda s: s == "Other" or country_iso2(s, None) is not None,
                                               "content": CONTENT_METRICS.__contains__})
    tables, findings = tables + charts, findings + unread
    return interpret(doc, TABLES, tables, period=lambda d, row: _period(d, flat)), findings  # the report's


def _period(doc: Document, text: str) -> tuple[dt.date, dt.date]:
    if (found := first_period(text)) is None:
        raise UnknownLayout(doc, f"no period in {text[:80]!r}")
    return found


def parse(doc: Document) -> list[Fact]:
    """Strict about the text and the tables; charts OCR could not read or check are said by `findings`."""
    return strict(doc, _read(doc, ocr.available())[0])


def read(doc: Document) -> Reading:
    reading, found = _read(doc, ocr.available())
    return Reading(reading.facts, [*reading.findings, *ocr.reading(doc, lambda d: ([], found)).findings])


def findings(doc: Document) -> list[ocr.Finding]:
    """What this document holds that was not loaded (charts OCR could not read or check), and format changes."""
    return list(_read(doc, ocr.available())[1])
