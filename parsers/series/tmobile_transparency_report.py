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

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, interpret, strict
from parsers.formats.pdf_label_values import BlockSpec, block_table, read_blocks, read_lines, recognise_layout
from parsers.formats.pdf_tables import page_texts, pick_pages
from parsers.normalise.periods import half_year

SERIES = (("t-mobile", "transparency-report"),)

T, R, NS = RequestType, Unit.REQUESTS, Kind.NATIONAL_SECURITY
REQUESTS, RESPONSES, BANDS = "Number of Requests", "Number of Responses", "Number of Requests in bands"
NSL = r"(?:National Security Letters|FISA Orders) (?P<half>[12])(?:st|nd) half of (?P<year>\d{4})"
# Printed periods the report itself contradicts: label -> (the year meant, why).
TYPOS = {"FISA Orders 1st half of 2105": (
    2015, "printed '2105', a typo: the report covers 2015 and its other three rows say 2015")}
LOCATION_NOTE = "a subset of the court orders, warrants and emergency requests above, as the report says"


def _label(values: dict[str, As]) -> Key:
    return Key("label", "label", "request_type", patterns=True, values=values)


def _table(name: str, values: dict[str, As]) -> KnownTable:
    """Every row says what its figure counts (`As.measure`)."""
    return KnownTable(name, (_label(values),), (), where=name,
                      extra={"table": name}, new_rows_quarantined=True, required=name == "legal-demands",
                      corrections=tuple(Correction((), lambda row, _, t=t: row.get("label") == t, why)
                                        for t, (_, why) in TYPOS.items()))


def legal_demands(metric: str, note: str) -> KnownTable:
    """The main table; what it counts (`metric`, said in `note`) changed in 2015."""
    def says(rtype: RequestType, what: str = "", kind: Kind | None = None) -> As:
        return As(rtype, kind=kind, measure=Measure(REQUESTS, metric, R, note="; ".join(n for n in (what, note) if n)))
    return _table("legal-demands", {
        r"Subpoenas \((?:criminal and civil|criminal, civil and trial)\)": says(T.SUBPOENA),
        r"Emergency(?: Requests/911 calls|/911 Requests)": says(T.EMERGENCY),
        r"Court Orders \(excluding orders for wiretaps, pen register/trap and trace\)": says(T.COURT_ORDER),
        r"Warrants/Search Warrants": says(T.SEARCH_WARRANT),
        r"Other\*": says(T.OTHER, "the report's footnote: may include preservation requests, requests for "
                         "T-Mobile (not customer) information and requests under FACTA"),
        r"Pen Register/Trap and Trace Orders": says(T.COURT_ORDER), r"Wiretap Orders": says(T.COURT_ORDER),
        r"Customer Requests for their own information": says(T.OTHER, "requests by customers for their own "
                                                               "records, not by a government; T-Mobile counts them in its table"),
        r"National Security Requests \(NSLs and Foreign Intelligence Surveillance Orders [Cc]ombined\)\*\*": says(
            T.NATIONAL_SECURITY, "NSLs and FISA orders together", NS),
        r"Requests from Foreign (?:Governments|Entities) ?†": says(T.OTHER),
        r"TOTAL": As(T.ALL, is_total=True, measure=Measure(REQUESTS, metric, R, note=note)),
    })


def _counts(metric: str, column: str = RESPONSES, **how: object) -> As:
    return As(T.LEGAL_PROCESS if how else T.ALL, counts_toward_total=not how,
              measure=Measure(column, metric, R, **how))  # type: ignore[arg-type]


NOT_ANSWERED = _table("rejected-or-not-answered", {
    r"Rejected": _counts("requests_rejected"), r"No Response(?: Provided)?": _counts("requests_no_response"),
    r"Unable to Respond": _counts("requests_unable_to_respond"),
    r"TOTAL": As(T.ALL, is_total=True, measure=Measure(RESPONSES, "requests_rejected_or_not_answered", R))})
LOCATION = _table("location-information", {
    rf"Requests for {what}": _counts(metric, REQUESTS, counts_toward_total=False, note=LOCATION_NOTE)
    for what, metric in ((r"Historical Call Details with Cell Site Information \(CSLI\)",
                          "requests_historical_cell_site_location"),
                         ("Prospective Location", "requests_prospective_location"),
                         ("Tower Dump", "requests_tower_dump"))})
NATIONAL_SECURITY = _table("national-security", {NSL: As(T.NATIONAL_SECURITY, kind=NS, measure=Measure(
    BANDS, "requests", R))})
# Layout eras: the tables each prints, in order, and what its legal-demands table counts.
LAYOUTS = {"2013-2014": ("legal-demands", "legal-demands"), "2015": ("legal-demands", "national-security"),
           "2016-2019": ("legal-demands", "rejected-or-not-answered", "location-information", "national-security")}
ERAS = {"2013-2014": (legal_demands("requests", "requests received, approximate as the report says"),),
        "2015": (legal_demands("requests_responded_to", "requests responded to, approximate as the report says"),
                 NATIONAL_SECURITY),
        "2016-2019": (legal_demands("requests_responded_to", ""), NOT_ANSWERED, LOCATION, NATIONAL_SECURITY)}
_LABELS = {t.name: tuple(t.keys[0].values or ()) for t in ERAS["2016-2019"]}  # to rejoin wrapped labels
BLOCKS = (
    BlockSpec("legal-demands", start=r"Type of Request.*", header=r"Type of Request (?:\(excluding National Security "
              r"(?:Requests\) )?)?Number of Requests(?: Requests\))?", columns=(REQUESTS,),
              labels=_LABELS["legal-demands"], end=r"(?:\* |In addition to the above).*"),
    BlockSpec("rejected-or-not-answered", start=r"Description Number of Responses",
              header=r"Description Number of Responses", columns=(RESPONSES,), labels=_LABELS["rejected-or-not-answered"],
              end=r"(?:Rejections - |When a legal demand).*"),
    BlockSpec("location-information", start=r"Description Number of Requests", header=r"Description Number of "
              r"Requests", columns=(REQUESTS,), labels=_LABELS["location-information"], end=r"TMUS will release.*"),
    BlockSpec("national-security", start=r"(?:National Security Requests )?Number of Requests in(?: bands)?",
              header=r"(?:National Security Requests )?Number of Requests in (?:National Security Requests )?bands",
              columns=(BANDS,), labels=_LABELS["national-security"], end=r"Cost Recovery and Charges"))
IGNORED_LINES = (r"\d{1,2}", r"20\d\d", r"T-Mobile US, Inc\. Transparency Report for \d{4} \d+")  # page numbers, years
_TITLE = re.compile(r"Transparency Report for (\d{4})(?: and (\d{4}))?")
_YEAR_HEADING = re.compile(r"(?:Summary of Types and Number of Requests in )?(\d{4})")


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    title = _TITLE.search(texts[0]) if texts else None
    if title is None:
        raise UnknownLayout(doc, "page 1 does not say 'Transparency Report for <year>'")
    years = {int(y) for y in title.groups() if y}

    def period(doc: Document, row: Row) -> tuple[dt.date, dt.date]:
        """A band's half-year as its label prints it; any other figure, the year of the heading over its table."""
        if band := re.fullmatch(NSL, row.get("label")):
            year = TYPOS.get(row.get("label"), (int(band["year"]), ""))[0]
            if year not in years:
                raise UnknownLayout(doc, f"page={row.table.where.page}: {row.get('label')!r} is outside the "
                                         "report's years")
            return half_year(year, int(band["half"]))
        if not row.table.title.isdigit() or int(row.table.title) not in years:
            raise UnknownLayout(doc, f"page={row.table.where.page}: table {row.table.place!r} is under no heading "
                                     f"of the report's years {sorted(years)}")
        return dt.date(int(row.table.title), 1, 1), dt.date(int(row.table.title), 12, 31)

    pages = pick_pages(texts, ["Number of Requests"], ["Number of Responses"])
    tables = [block_table(b, next((m[1] for t in reversed(b.before) if (m := _YEAR_HEADING.fullmatch(t))), ""))
              for b in read_blocks(read_lines(doc, pages), BLOCKS, IGNORED_LINES)]
    return interpret(doc, ERAS[recognise_layout(doc, tables, LAYOUTS)], tables, period=period)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
