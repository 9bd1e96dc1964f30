"""Amazon's Information Request Report: figures in running text (2015 - 2020 H1), ring charts as images after.

Exact cells were read by hand from the PDFs. The reports' own arithmetic: for every request type that lists how
Amazon responded, full + partial + no response = requests received.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.series import amazon_information_request_report as amazon
from tests.corpus import captures, document
from tests.ocr_support import ocr_cache  # noqa: F401  (a fixture)
from tests.pdf_variants import with_text_line

SERIES = ("amazon", "information-request-report")
RESPONSES = ("requests_full_response", "requests_partial_response", "requests_no_response")


def amazon_documents() -> list[Document]:
    docs = []
    for c in sorted(captures(), key=lambda c: c.captured_at):
        if (c.company, c.series) == SERIES:
            docs.append(document(c.url.rsplit("/", 1)[1], c.captured_at))
    assert len(docs) == 13
    return docs


def one(facts: list[Fact], rtype: RequestType, metric: str, business: str) -> Fact:
    hits = [f for f in facts if f.request_type is rtype and f.metric == metric and f.extra["business"] == business]
    assert len(hits) == 1, (rtype, metric, business, len(hits))
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for(*SERIES) is amazon.parse


def test_exact_cells_of_june_2019() -> None:
    facts = amazon.parse(document("Information_Request_Report_June_2019"))
    subpoenas = one(facts, RequestType.SUBPOENA, "requests", "Amazon incl. AWS")
    assert (subpoenas.value, subpoenas.raw_text, subpoenas.is_total) == (1955, "1,955", True)
    assert (subpoenas.period_start, subpoenas.period_end) == (dt.date(2019, 1, 1), dt.date(2019, 6, 30))
    assert subpoenas.locator.render() == "page=2;row=16;column=Subpoenas"
    assert one(facts, RequestType.SUBPOENA, "requests_full_response", "Amazon incl. AWS").value == 889
    aws = one(facts, RequestType.SEARCH_WARRANT, "requests", "AWS")
    assert (aws.value, aws.locator.page, aws.counts_toward_total) == (31, 3, False)
    ns = one(facts, RequestType.NATIONAL_SECURITY, "requests", "AWS")
    assert (ns.status, ns.value, ns.value_low, ns.value_high, ns.kind) == (Status.BANDED, None, 0, 249,
                                                                          Kind.NATIONAL_SECURITY)
    non_us = one(facts, RequestType.OTHER, "requests_partial_response", "Amazon incl. AWS")
    assert (non_us.status, non_us.value, non_us.request_type_raw) == (Status.ZERO, 0, "Non-U.S. requests")
    assert len(facts) == 34


def test_each_report_keeps_its_own_period() -> None:
    first = amazon.parse(document("certifications/Information_Request_Report.pdf"))
    assert {(f.period_start, f.period_end) for f in first} == {(dt.date(2015, 1, 1), dt.date(2015, 5, 31))}
    second = amazon.parse(document("Information_Request_Report_December_2015"))
    assert {(f.period_start, f.period_end) for f in second} == {(dt.date(2015, 6, 1), dt.date(2015, 12, 31))}
    removal = one(first, RequestType.CONTENT_REMOVAL, "requests", "Amazon")
    assert (removal.value, removal.kind, removal.locator.page) == (1, Kind.CONTENT_REMOVAL, 3)


def test_responses_add_up_to_requests_received_in_every_text_report() -> None:
    checked = 0
    for doc in amazon_documents()[:11]:  # the running-text editions
        groups: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        for f in amazon.parse(doc):
            groups[(f.request_type_raw, f.extra["business"])][f.metric] = f.value  # type: ignore[assignment]
        for key, figures in groups.items():
            if key[0] == "National security requests":
                assert set(figures) == {"requests"}
                continue
            assert set(figures) == {"requests", *RESPONSES}, (doc.name, key)
            assert sum(figures[m] for m in RESPONSES) == figures["requests"], (doc.name, key, figures)
            checked += 1
    # 2015-2017: 6 reports x 5 request types; 2018 H1: 2 blocks x 5; 2018 H2 - 2020 H1: 4 reports x 2 blocks x 4.
    assert checked == 6 * 5 + 2 * 5 + 4 * 2 * 4


def test_an_undeclared_figure_is_refused() -> None:
    """Synthetic variant of the real 2019 H1 report: one figure line the parser does not know, added to page 3."""
    doc = document("Information_Request_Report_June_2019")
    data = with_text_line(doc.data, 3, "Tower dumps: 12")
    variant = dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(UnknownLayout, match="figure label 'Tower dumps' not declared"):
        amazon.parse(variant)


def test_image_editions_without_ocr_are_partial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")
    for doc in amazon_documents()[11:]:
        facts = amazon.parse(doc)
        # Only the national-security band is printed as text; it is still loaded.
        assert [(f.request_type, f.raw_text, f.value_low, f.value_high) for f in facts] == [
            (RequestType.NATIONAL_SECURITY, "0-249", 0, 249)]
        found = amazon.findings(doc)
        assert found[0].code == "format-downgrade"
        unread = [f for f in found if f.partial]
        assert [(f.page, f.image) for f in unread] == [(1, "image 1 on page 1"), (2, "image 1 on page 2"),
                                                         (2, "image 2 on page 2"), (3, "image 1 on page 3")]
        assert {f.message for f in unread} == {"figures published only as images; OCR not available"}


def test_the_2021_h1_charts_read_by_ocr(ocr_cache: Path) -> None:  # noqa: F811
    doc = document("Information_Request_Report_June_2021")
    facts = amazon.parse(doc)
    assert [f.code for f in amazon.findings(doc)] == ["format-downgrade"]  # every chart added up
    assert len(facts) == 39
    ocrd = [f for f in facts if f.extra.get("method") == "ocr"]
    assert len(ocrd) == 38 and all("read by OCR (tesseract" in f.note and f.locator.bbox for f in ocrd)
    counts = {(f.extra["business"], f.country_raw): f for f in ocrd if f.metric == "requests" and not f.is_total}
    totals = {f.extra["business"]: f for f in ocrd if f.is_total}
    assert (totals["AWS"].value, totals["AWS"].raw_text, totals["AWS"].locator.page) == (632, "632", 2)
    assert counts[("AWS", "United States")].value == 434 and counts[("AWS", "United States")].country_iso2 == "US"
    germany = counts[("Amazon excl. AWS", "Germany")]
    assert (germany.value, germany.raw_text, germany.extra["image"]) == (15239, "15,239", "image 1 on page 1")
    for business, total in totals.items():
        assert sum(f.value for (b, _), f in counts.items() if b == business) == total.value  # type: ignore[misc]
    content = {(f.extra["business"], f.metric): f.value for f in ocrd if f.metric.startswith("requests_content")}
    assert content == {("Amazon excl. AWS", "requests_content_disclosed"): 89,
                       ("Amazon excl. AWS", "requests_content_not_disclosed"): 30029,
                       ("AWS", "requests_content_disclosed"): 12, ("AWS", "requests_content_not_disclosed"): 620}
    shares = [f for f in ocrd if f.unit is Unit.PERCENT]
    assert {f.extra["business"]: f.raw_text for f in shares if f.country_raw == "Germany"} == {
        "Amazon excl. AWS": "50.6%", "AWS": "9.2%"}
    assert (dt.date(2021, 1, 1), dt.date(2021, 6, 30)) == (facts[0].period_start, facts[0].period_end)


def test_a_chart_that_does_not_add_up_makes_the_document_partial(ocr_cache: Path,  # noqa: F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic: the real 2021 H1 report with its first chart's Germany count painted over by a wrong one."""
    from PIL import ImageDraw, ImageFont

    real = ocr.page_images

    def doctored(doc: Document, page: int) -> list[ocr.PageImage]:
        images = real(doc, page)
        if page != 1:
            return images
        image = images[0].image.copy()
        draw = ImageDraw.Draw(image)
        draw.rectangle((554, 286, 609, 305), fill="white")  # the "15,239" under "Germany"
        draw.text((556, 287), "16,239", fill=(40, 40, 40), font=ImageFont.load_default(size=14))
        return [dataclasses.replace(images[0], image=image)]

    monkeypatch.setattr(ocr, "page_images", doctored)
    doc = document("Information_Request_Report_June_2021")
    amazon._read.cache_clear()  # the memo holds the real document's reading
    try:
        facts, found = amazon.parse(doc), amazon.findings(doc)
    finally:
        amazon._read.cache_clear()
    refused = [f for f in found if f.partial]
    assert [(f.page, f.image) for f in refused] == [(1, "image 1 on page 1")]
    assert refused[0].message.startswith("figures published only as images; OCR refused: image 1 on page 1")
    assert not [f for f in facts if f.extra.get("image") == "image 1 on page 1"]
    assert len(facts) == 39 - 15  # the other three charts still load


def test_every_capture_loads_or_is_partial_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")  # the text layer alone
    counts = [len(amazon.parse(doc)) for doc in amazon_documents()]
    assert counts == [21] * 6 + [42] + [34] * 4 + [1, 1]
    partial = [any(f.partial for f in amazon.findings(doc)) for doc in amazon_documents()]
    assert partial == [False] * 11 + [True, True]
