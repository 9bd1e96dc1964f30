"""T-Mobile's yearly Transparency Report (PDF, 2013-2014 to 2019): legal demands by type, national-security bands.

Each report covers calendar years. The first covers 2013 and 2014 and prints one table per year (stored per year,
as printed); the 2013-2014 tables count requests received and print the national-security requests as one band
with no total; from 2015 the tables count demands T-Mobile responded to, with a TOTAL row, and the NSL and FISA
bands move to their own half-yearly table; from 2016 two more tables follow (demands rejected or not answered,
requests for location information). Prose figures ("approximately 351,940 requests") are not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.pdf_label_values import BlockSpec, locator, read_blocks, read_lines, recognise_layout
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.periods import half_year

SERIES = (("t-mobile", "transparency-report"),)


@dataclass(frozen=True)
class Row:
    request_type: RequestType
    metric: str = ""  # "" = the layout's own metric for the legal-demands table
    kind: Kind = Kind.USER_DATA
    is_total: bool = False
    counts_toward_total: bool = True
    note: str = ""


_LOCATION_NOTE = "a subset of the court orders, warrants and emergency requests above, as the report says"
LEGAL_DEMANDS = BlockSpec(
    "legal-demands", start=r"Type of Request.*",
    header=r"Type of Request (?:\(excluding National Security (?:Requests\) )?)?Number of Requests(?: Requests\))?",
    figures=1, end=r"(?:\* |In addition to the above).*", rows={
        r"Subpoenas \((?:criminal and civil|criminal, civil and trial)\)": Row(RequestType.SUBPOENA),
        r"Emergency(?: Requests/911 calls|/911 Requests)": Row(RequestType.EMERGENCY),
        r"Court Orders \(excluding orders for wiretaps, pen register/trap and trace\)": Row(RequestType.COURT_ORDER),
        r"Warrants/Search Warrants": Row(RequestType.SEARCH_WARRANT),
        r"Other\*": Row(RequestType.OTHER, note="the report's footnote: may include preservation requests, "
                        "requests for T-Mobile (not customer) information and requests under FACTA"),
        r"Pen Register/Trap and Trace Orders": Row(RequestType.COURT_ORDER),
        r"Wiretap Orders": Row(RequestType.COURT_ORDER),
        r"Customer Requests for their own information": Row(
            RequestType.OTHER, note="requests by customers for their own records, not by a government; "
            "T-Mobile counts them in its table"),
        r"National Security Requests \(NSLs and Foreign Intelligence Surveillance Orders [Cc]ombined\)\*\*": Row(
            RequestType.NATIONAL_SECURITY, kind=Kind.NATIONAL_SECURITY, note="NSLs and FISA orders together"),
        r"Requests from Foreign (?:Governments|Entities) ?†": Row(RequestType.OTHER),
        r"TOTAL": Row(RequestType.ALL, is_total=True),
    })
NOT_ANSWERED = BlockSpec(
    "rejected-or-not-answered", start=r"Description Number of Responses", header=r"Description Number of Responses",
    figures=1, end=r"(?:Rejections - |When a legal demand).*", rows={
        r"Rejected": Row(RequestType.ALL, "requests_rejected"),
        r"No Response(?: Provided)?": Row(RequestType.ALL, "requests_no_response"),
        r"Unable to Respond": Row(RequestType.ALL, "requests_unable_to_respond"),
        r"TOTAL": Row(RequestType.ALL, "requests_rejected_or_not_answered", is_total=True),
    })
LOCATION = BlockSpec(
    "location-information", start=r"Description Number of Requests", header=r"Description Number of Requests",
    figures=1, end=r"TMUS will release.*", rows={
        r"Requests for Historical Call Details with Cell Site Information \(CSLI\)": Row(
            RequestType.LEGAL_PROCESS, "requests_historical_cell_site_location", counts_toward_total=False,
            note=_LOCATION_NOTE),
        r"Requests for Prospective Location": Row(RequestType.LEGAL_PROCESS, "requests_prospective_location",
                                                  counts_toward_total=False, note=_LOCATION_NOTE),
        r"Requests for Tower Dump": Row(RequestType.LEGAL_PROCESS, "requests_tower_dump",
                                        counts_toward_total=False, note=_LOCATION_NOTE),
    })
_NSL = Row(RequestType.NATIONAL_SECURITY, "requests", kind=Kind.NATIONAL_SECURITY)
NATIONAL_SECURITY = BlockSpec(
    "national-security", start=r"(?:National Security Requests )?Number of Requests in(?: bands)?",
    header=r"(?:National Security Requests )?Number of Requests in (?:National Security Requests )?bands",
    figures=1, end=r"Cost Recovery and Charges", rows={
        r"(?:National Security Letters|FISA Orders) (?P<half>[12])(?:st|nd) half of (?P<year>\d{4})": _NSL})

VALUE_COLUMN = {"legal-demands": "Number of Requests", "rejected-or-not-answered": "Number of Responses",
                "location-information": "Number of Requests", "national-security": "Number of Requests in bands"}
# Layout eras: the blocks each prints, in order, and what its legal-demands table counts.
LAYOUTS = {
    "2013-2014": ("legal-demands", "legal-demands"),
    "2015": ("legal-demands", "national-security"),
    "2016-2019": ("legal-demands", "rejected-or-not-answered", "location-information", "national-security"),
}
METRIC = {"2013-2014": ("requests", "requests received, approximate as the report says"),
          "2015": ("requests_responded_to", "requests responded to, approximate as the report says"),
          "2016-2019": ("requests_responded_to", "")}
# Printed periods the report itself contradicts, with the reason.
PERIOD_CORRECTIONS = {("FISA Orders 1st half of 2105", 2015): (
    2015, "printed '2105', a typo: the report covers 2015 and its other three rows say 2015")}
IGNORED_LINES = (r"\d{1,2}", r"20\d\d", r"T-Mobile US, Inc\. Transparency Report for \d{4} \d+")  # page numbers, years
_TITLE = re.compile(r"Transparency Report for (\d{4})(?: and (\d{4}))?")
_YEAR_HEADING = re.compile(r"(?:Summary of Types and Number of Requests in )?(\d{4})")


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    title = _TITLE.search(texts[0]) if texts else None
    if title is None:
        raise UnknownLayout(doc, "page 1 does not say 'Transparency Report for <year>'")
    years = {int(y) for y in title.groups() if y}
    pages = pick_pages(texts, ["Number of Requests"], ["Number of Responses"])
    blocks = read_blocks(doc, read_lines(doc, pages), (LEGAL_DEMANDS, NOT_ANSWERED, LOCATION, NATIONAL_SECURITY),
                         ignore=IGNORED_LINES)
    layout = recognise_layout(doc, blocks, LAYOUTS)
    layout_metric, layout_note = METRIC[layout]
    facts: list[Fact] = []
    for block in blocks:
        headings = [m for text in block.before if (m := _YEAR_HEADING.fullmatch(text))]
        year = int(headings[-1][1]) if headings else 0
        if block.spec is not NATIONAL_SECURITY and year not in years:
            raise UnknownLayout(doc, f"page={block.page}: table {block.spec.name!r} is under no heading of "
                                     f"the report's years {sorted(years)}")
        for row in block.rows:
            declared: Row = row.declared
            period: tuple[dt.date, dt.date] = (dt.date(year, 1, 1), dt.date(year, 12, 31))
            note = "; ".join(n for n in (declared.note, layout_note if not declared.metric else "") if n)
            if block.spec is NATIONAL_SECURITY:
                printed = int(row.match["year"])
                fixed, reason = PERIOD_CORRECTIONS.get((row.label, min(years)), (printed, ""))
                if fixed not in years:
                    raise UnknownLayout(doc, f"page={row.page}: {row.label!r} is outside the report's years")
                period, note = half_year(fixed, int(row.match["half"])), reason
            cell = row.figures[0]
            facts.append(figure(
                doc, period=period, country_raw="", request_type=declared.request_type,
                request_type_raw=row.label, metric=declared.metric or layout_metric, unit=Unit.REQUESTS,
                raw=cell.text, locator=locator(block, row, VALUE_COLUMN[block.spec.name], cell),
                kind=declared.kind, is_total=declared.is_total, counts_toward_total=declared.counts_toward_total,
                note=note, extra={"table": block.spec.name}))
    return facts
