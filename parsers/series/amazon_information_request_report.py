"""Amazon's Information Request Report (PDF, three pages, twice a year).

Two layouts. 2015 - 2020 H1: figures in running text, "Subpoenas: 1,955" then "Full response: 889" and so on,
under "For the period January 1, 2019, through June 30, 2019 (total requests):" (from 2018 a second block for
AWS alone). From 2020 H2: figures only inside ring-chart images, read by OCR and accepted only when each chart
adds up; only the national-security band stays in the text. `findings(doc)` lists what was left unread.
"""

from __future__ import annotations

import functools
import re

from parsers.facts import Document, Fact, Kind, Locator, RequestType, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.formats.figures import figure
from parsers.formats.interpreter import Reading
from parsers.formats.pdf_tables import page_texts
from parsers.formats.ring_charts import ChartRefused, chart_facts, read_ring_chart
from parsers.formats.text_figures import first_period, lines_of
from parsers.normalise.countries import country_iso2

SERIES = (("amazon", "information-request-report"),)
LAYOUTS = ("running text (2015 - 2020 H1)", "ring charts as images (2020 H2 on)")

# Label printed before ":" -> (request type, kind). "received" follows the label in the first report only.
REQUESTS = {
    "Subpoenas": (RequestType.SUBPOENA, Kind.USER_DATA),
    "Search warrants": (RequestType.SEARCH_WARRANT, Kind.USER_DATA),
    "Other court orders": (RequestType.COURT_ORDER, Kind.USER_DATA),
    "National security requests": (RequestType.NATIONAL_SECURITY, Kind.NATIONAL_SECURITY),
    "Non-U.S. requests": (RequestType.OTHER, Kind.USER_DATA),  # legal demands of non-U.S. governments, incl. MLAT
    "Removal requests": (RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL),
}
RESPONSES = {"Full response": "requests_full_response", "Partial response": "requests_partial_response",
             "No response": "requests_no_response"}
# The block's suffix -> which business it counts. AWS's requests are part of the total block printed above them.
BUSINESS = {"": "Amazon", "total requests": "Amazon incl. AWS", "total": "Amazon incl. AWS",
            "AWS requests": "AWS", "AWS only": "AWS"}
# Period rule: each block's own "For the period ... through ..." line (the first report covers Jan - May 2015,
# the second June - December 2015); image editions: "processed from July 1 to December 31, 2020".
_BLOCK = re.compile(r"^For the period (?P<period>.+?)(?: \((?P<business>[^)]*)\))?:\s*$")
_FIGURE = re.compile(r"^(?P<label>[A-Z][A-Za-z .-]*?)(?: received)?: (?P<value>\d[\d,]*(?:-\d[\d,]*)?)\s*$")
# Image editions: (page, image index, chart, business), as laid out in the 2020 H2 and 2021 H1 reports.
CHARTS = ((1, 1, "country", "Amazon excl. AWS"), (2, 1, "country", "AWS"), (2, 2, "content", "Amazon excl. AWS"),
          (3, 1, "content", "AWS"))
CONTENT_METRICS = {"Content": "requests_content_disclosed", "Non-Content": "requests_content_not_disclosed"}
_NS_BAND = re.compile(r"reporting range is (?P<band>\d+-\d+) for all national\s+security requests")


def _text_edition(doc: Document, texts: list[str]) -> list[Fact]:
    facts: list[Fact] = []
    period = business = None
    request: str | None = None
    for line in lines_of(texts):
        text = " ".join(line.text.split())
        if m := _BLOCK.match(text):
            period, request = first_period(m["period"]), None
            business = BUSINESS.get(m["business"] or "")
            if period is None or business is None:
                raise UnknownLayout(doc, f"page={line.page}: block heading not understood: {text!r}")
            continue
        if not (m := _FIGURE.match(text)) or period is None or business is None:
            continue
        label = m["label"]
        if label in REQUESTS:
            request, metric = label, "requests"
        elif label in RESPONSES and request is not None:
            metric = RESPONSES[label]
        else:
            raise UnknownLayout(doc, f"page={line.page}: figure label {label!r} not declared")
        rtype, kind = REQUESTS[request]
        aws = business == "AWS"
        facts.append(figure(
            doc, period=period, country_raw="", request_type=rtype, request_type_raw=request, metric=metric,
            unit=Unit.REQUESTS, raw=m["value"], locator=Locator(page=line.page, row=line.number, column=label),
            kind=kind, is_total=metric == "requests" and rtype is not RequestType.NATIONAL_SECURITY,
            counts_toward_total=not aws, extra={"business": business},
            note="AWS's requests are also counted in the total block printed above" if aws else ""))
    return facts


@functools.lru_cache(maxsize=4)
def _read(doc: Document, ocr_available: bool) -> tuple[list[Fact], list[ocr.Finding]]:
    # ocr_available is part of the memo's key: a document read without OCR is read again once OCR is there
    texts = page_texts(doc)
    flat = " ".join(" ".join(texts).split())
    if "For the period" in flat:
        return _text_edition(doc, texts), []
    if "Country of Origin of the Request" not in flat or (period := first_period(flat)) is None:
        raise UnknownLayout(doc, "neither the running-text nor the ring-chart layout")
    downgrade = ocr.Finding("format-downgrade", "figures moved from running text into chart images (from 2020 H2)")
    findings = [downgrade]
    if not (band := _NS_BAND.search(flat)):
        raise UnknownLayout(doc, "ring-chart edition without the national-security range sentence")
    facts = [figure(doc, period=period, country_raw="", request_type=RequestType.NATIONAL_SECURITY,
                    request_type_raw="National security requests", metric="requests", unit=Unit.REQUESTS,
                    raw=band["band"], locator=Locator(page=3, column="National Security Requests"),
                    kind=Kind.NATIONAL_SECURITY, extra={"business": "Amazon incl. AWS"})]
    totals: dict[str, int] = {}
    for page, index, chart_kind, business in CHARTS:
        images = ocr.page_images(doc, page)
        where = f"image {index} on page {page}"
        if len(images) < index:
            raise UnknownLayout(doc, f"page={page}: expected chart image {index}, the page has {len(images)}")
        country = chart_kind == "country"
        ok = (lambda s: s == "Other" or country_iso2(s, None) is not None) if country else CONTENT_METRICS.__contains__
        try:
            chart = read_ring_chart(images[index - 1], ok)
        except ocr.OcrUnavailable:
            findings.append(ocr.Finding("figures-only-as-images", ocr.OCR_NOT_AVAILABLE, page, where))
            continue
        except ChartRefused as e:
            findings.append(ocr.Finding("figures-only-as-images", f"{ocr.FIGURES_ONLY_AS_IMAGES}; OCR refused: {e}",
                                        page, where))
            continue
        if totals.setdefault(business, chart.total_value) != chart.total_value:
            findings.append(ocr.Finding("figures-only-as-images", f"{ocr.FIGURES_ONLY_AS_IMAGES}; OCR refused: "
                                        f"{where} totals {chart.total.text}, another chart of {business} "
                                        f"{totals[business]:,}", page, where))
            continue
        facts += chart_facts(doc, chart, period=period, request_type=RequestType.ALL, kind=Kind.USER_DATA,
                             metric_of=(lambda s: "requests") if country else CONTENT_METRICS.__getitem__,
                             share_metric="percent_of_requests", country_of=(lambda s: s) if country else (lambda s: ""),
                             total_metric="requests" if country else None, extra={"business": business})
    return facts, findings


def parse(doc: Document) -> list[Fact]:
    return list(_read(doc, ocr.available())[0])


def read(doc: Document) -> Reading:
    return ocr.reading(doc, lambda d: _read(d, ocr.available()))


def findings(doc: Document) -> list[ocr.Finding]:
    """What this document holds that was not loaded (charts OCR could not read or check), and format changes."""
    return list(_read(doc, ocr.available())[1])
