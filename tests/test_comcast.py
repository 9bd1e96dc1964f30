"""Comcast's Transparency Report (PDF, 2013 - 2H 2020): "label value" lines, FISA figures six months late, and one
scanned report read by OCR. Exact cells were read by hand from the PDFs; every report's criminal demands are
checked against its printed total (the one report where they do not add up is named, with its figures)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.formats.text_figures import half_year_before
from parsers.series import comcast_transparency_report as comcast
from tests.corpus import captures, document
from tests.ocr_support import ocr_cache  # noqa: F401  (a fixture)
from tests.pdf_variants import with_text_line

SERIES = ("comcast", "transparency-report")
SCAN = "Comcast-Second-transparency-report"


def comcast_documents() -> list[Document]:
    docs = [document(c.url.rsplit("/", 1)[1], c.captured_at)
            for c in sorted(captures(), key=lambda c: c.captured_at) if (c.company, c.series) == SERIES]
    assert len(docs) == 15
    return docs


def by_label(facts: list[Fact], label: str, metric: str = "requests", **extra: str) -> Fact:
    hits = [f for f in facts if f.request_type_raw == label and f.metric == metric
            and all(f.extra.get(k) == v for k, v in extra.items())]
    assert len(hits) == 1, (label, metric, extra, len(hits))
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for(*SERIES) is comcast.parse


def test_exact_cells_of_2h_2019() -> None:
    facts = comcast.parse(document("comcast.com/images/2H2019.pdf"))
    assert len(facts) == 14
    subpoenas = by_label(facts, "Subpoenas")
    assert (subpoenas.value, subpoenas.raw_text, subpoenas.request_type) == (9460, "9,460", RequestType.SUBPOENA)
    assert (subpoenas.period_start, subpoenas.period_end) == (dt.date(2019, 7, 1), dt.date(2019, 12, 31))
    emergency = by_label(facts, "Emergency Requests")  # printed without a thousands separator
    assert (emergency.value, emergency.raw_text, emergency.locator.page) == (1251, "1251", 1)
    nsl_accounts = by_label(facts, "Number of Customer Accounts Impacted", "accounts_affected", authority="NSL")
    assert (nsl_accounts.status, nsl_accounts.value_low, nsl_accounts.value_high, nsl_accounts.unit) == (
        Status.BANDED, 500, 999, Unit.ACCOUNTS)
    fisa = by_label(facts, "Content", authority="FISA")
    assert (fisa.period_start, fisa.period_end, fisa.raw_text, fisa.kind) == (
        dt.date(2019, 1, 1), dt.date(2019, 6, 30), "0-499", Kind.NATIONAL_SECURITY)
    total = by_label(facts, "Total")
    assert (total.value, total.is_total, total.locator.render()) == (12217, True, "page=1;row=19;column=Total")


def test_the_first_report_covers_2013_and_fisa_its_first_half() -> None:
    facts = comcast.parse(document("Comcast-First-transparency-Report"))
    assert by_label(facts, "Subpoenas").value == 19377
    assert by_label(facts, "Total Criminal Requests").value == 24698
    assert (by_label(facts, "Emergency Requests").period_start, by_label(facts, "Emergency Requests").period_end) == (
        dt.date(2013, 1, 1), dt.date(2013, 12, 31))
    nsl = by_label(facts, "NSLs", authority="NSL")
    assert (nsl.period_start, nsl.period_end, nsl.value_high) == (dt.date(2013, 1, 1), dt.date(2013, 12, 31), 999)
    # "Content / Customer Accounts Affected / 0-999 / 0-999": two labels, then their two values.
    content = [f for f in facts if f.extra.get("authority") == "FISA" and f.extra["data"] == "content"]
    assert [(f.metric, f.raw_text, f.period_end) for f in content] == [
        ("requests", "0-999", dt.date(2013, 6, 30)), ("accounts_affected", "0-999", dt.date(2013, 6, 30))]


def test_fisa_figures_lag_six_months_as_printed() -> None:
    docs = comcast_documents()
    for doc in docs[2:]:  # the first report is yearly; the second is the scan
        facts = comcast.parse(doc)
        report = {(f.period_start, f.period_end) for f in facts if f.extra.get("demands")}
        fisa = {(f.period_start, f.period_end) for f in facts if f.extra.get("authority") == "FISA"}
        assert len(report) == 1 and fisa == {half_year_before(report.pop())}, doc.name
    third = comcast.parse(docs[2])  # 2H 2014: one combined FISA figure
    assert by_label(third, "Content and Non-‐Content", authority="FISA").raw_text == "0-\xad‐999"
    fifth = comcast.parse(docs[4])  # dates printed as 1/1/2015 to 6/30/2015, figures without separators
    assert by_label(fifth, "Subpoenas").raw_text == "8347"
    assert {f.period_start for f in fifth if f.extra.get("authority") == "FISA"} == {dt.date(2015, 1, 1)}


def test_criminal_demands_add_up_to_the_printed_total() -> None:
    for doc in comcast_documents():
        if doc.name.startswith(SCAN):
            continue
        facts = comcast.parse(doc)
        parts = [f.value for f in facts if f.extra.get("demands") and not f.is_total]
        total = next(f for f in facts if f.extra.get("demands") and f.is_total)
        assert len(parts) == 6
        if doc.name.startswith("2H-2020"):
            # The publisher's own error: 2H 2020 reprints 1H 2020's total (16,324); its rows add up to 15,439.
            assert (sum(parts), total.value) == (15439, 16324)  # type: ignore[arg-type]
            assert [(f.code, f.message) for f in comcast.findings(doc)] == [
                ("publisher-arithmetic", "criminal demands add up to 15,439, the report prints the total 16,324")]
        else:
            assert sum(parts) == total.value, doc.name  # type: ignore[arg-type]
            assert comcast.findings(doc) == []


def test_an_undeclared_figure_is_refused() -> None:
    """Synthetic variant of the real 2H 2019 report: one more "label value" line on page 1."""
    doc = document("comcast.com/images/2H2019.pdf")
    data = with_text_line(doc.data, 1, "Tower Dumps 37")
    variant = dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(UnknownLayout, match="figure '37' in line 'Tower Dumps 37' matches no declared label"):
        comcast.parse(variant)


def test_the_scan_without_ocr_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(ocr.FiguresOnlyInImages, match="figures published only as images; OCR not available"):
        comcast.parse(document(SCAN))


def test_the_scan_read_by_ocr_loads_only_its_checked_table(ocr_cache: Path) -> None:  # noqa: F811
    doc = document(SCAN)
    facts = comcast.parse(doc)
    assert [(f.request_type_raw, f.value) for f in facts] == [
        ("Subpoenas", 8936), ("General Orders", 1945), ("Pen Register/Trap & Trace", 51), ("Wiretaps", 3),
        ("Content", 112), ("Non-Content", 623), ("Total Criminal Requests", 11670)]
    assert sum(f.value for f in facts[:-1]) == facts[-1].value  # type: ignore[misc]
    assert all(f.extra["method"] == "ocr" and "read by OCR (tesseract" in f.note for f in facts)
    assert {(f.period_start, f.period_end) for f in facts} == {(dt.date(2014, 1, 1), dt.date(2014, 6, 30))}
    unread = comcast.findings(doc)
    assert len(unread) == 7 and all(f.partial for f in unread)  # emergency (469) and six bands: nothing checks them
    assert unread[0].message == ("figures published only as images; OCR read Emergency Requests '469' but no "
                                 "printed arithmetic checks it: not loaded")


def test_every_capture_loads_or_is_partial_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")  # the text layer alone
    outcomes = []
    for doc in comcast_documents():
        try:
            outcomes.append(len(comcast.parse(doc)))
        except ocr.FiguresOnlyInImages as e:
            assert e.problem == "figures published only as images; OCR not available"
            outcomes.append(e.problem)
    assert outcomes == [14, "figures published only as images; OCR not available", 12] + [14] * 12


def test_a_scan_whose_table_does_not_add_up_is_refused(ocr_cache: Path,  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic: the real OCR reading of the scan with one figure altered (8,936 subpoenas read as 8,986)."""
    doc = document(SCAN)
    real = ocr.scanned_page_texts(doc)
    assert "8,936" in real[0]
    monkeypatch.setattr(ocr, "scanned_page_texts", lambda d: [real[0].replace("8,936", "8,986"), *real[1:]])
    comcast._read.cache_clear()  # the memo holds the real reading
    try:
        with pytest.raises(ocr.FiguresOnlyInImages, match="figures published only as images; OCR refused: "
                                                          "criminal demands add up to 11,720, the report prints "
                                                          "the total 11,670"):
            comcast.parse(doc)
    finally:
        comcast._read.cache_clear()


def test_without_ocr_the_scan_is_partial_with_no_facts_and_says_why(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    """Through the catalogue and into the warehouse: figures printed only as images make a document partial
    (never 'found no figures', never refused); a report's own failed arithmetic is noted, not partial."""
    import datetime as _dt

    from parsers.catalogue import read_document
    from warehouse import store

    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")
    doc = document(SCAN)
    reading = read_document(doc)
    assert (reading.status, reading.facts) == ("partial", [])
    assert [(f.kind, f.outcome) for f in reading.findings] == [("figures_only_as_images", "quarantined")]
    assert reading.findings[0].message == "figures published only as images; OCR not available"
    con = store.open_warehouse(tmp_path / "w.duckdb")
    meta = store.DocumentMeta(doc.sha256, doc.company, doc.series, doc.url, _dt.datetime(2015, 1, 1, tzinfo=_dt.UTC),
                              None, "application/pdf", len(doc.data), "archive/x")
    assert store.load_document(con, meta, reading.facts, status=reading.status, findings=reading.findings) == 0
    assert con.execute("SELECT parse_status FROM documents").fetchall() == [("partial",)]
    assert con.execute("SELECT kind, message FROM drift_findings").fetchall() == [
        ("figures_only_as_images", "figures published only as images; OCR not available")]
    con.close()
    wrong = read_document(document("2H-2020-Comcast-Transparency-Report"))  # 15,439 added up, 16,324 printed
    assert wrong.status == "loaded" and [(f.kind, f.outcome) for f in wrong.findings] == [
        ("publisher_arithmetic", "noted")]
