"""Comcast's Transparency Report (PDF, 2-5 pages, twice a year from 2014; the first covers 2013).

Figures are "label value" lines in a designed layout that moves between editions (values on the label's line or
after it, tables split across pages), so the labels are declared in printed order and each takes the next
figure printed after it. The second report is a scan: it is read by OCR, and only its criminal table, whose
parts add up to its printed total, is accepted; `findings(doc)` lists the rest as unread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.formats import pdf_block_tables as blocks
from parsers.formats import text_figures as tf
from parsers.formats.declarations import As, Measure
from parsers.formats.interpreter import Reading, interpret
from parsers.formats.label_stream import LabelStream
from parsers.formats.pdf_tables import page_texts

SERIES = (("comcast", "transparency-report"),)
LAYOUTS = ("label-value lines (2013 - 2H 2020)", "scanned pages, no text layer (1H 2014)")

N, R = RequestType.NATIONAL_SECURITY, RequestType


def _as(rtype: RequestType, metric: str = "requests", total: bool = False, **extra: str) -> As:
    kind = Kind.NATIONAL_SECURITY if rtype is N else Kind.USER_DATA
    unit = Unit.ACCOUNTS if metric == "accounts_affected" else Unit.REQUESTS
    return As(rtype, is_total=total, kind=kind, measure=Measure(blocks.FIGURE, metric, unit, rtype, kind=kind,
                                                                is_total=total, extra=extra, reader=tf.read_printed))


C, NSL_, FISA_ = {"demands": "criminal"}, {"authority": "NSL"}, {"authority": "FISA"}
# (label pattern, row, what its figure counts), in printed order. Criminal rows add up to the total.
CRIMINAL = (
    (r"Subpoenas", "subpoenas", _as(R.SUBPOENA, **C)),
    (r"General Orders", "general", _as(R.COURT_ORDER, order="general", **C)),
    (r"Pen Register ?/ ?Trap (?:&|and) Trace", "pen", _as(R.COURT_ORDER, order="pen register / trap and trace", **C)),
    (r"Wiretaps", "wiretaps", _as(R.COURT_ORDER, order="wiretap", **C)),
    (r"(?<![-\w])Content(?: Warrants)?", "content", _as(R.SEARCH_WARRANT, data="content", **C)),
    (r"Non-Content(?: Warrants)?", "non-content", _as(R.SEARCH_WARRANT, data="non-content", **C)),
    (r"Total(?: Criminal Requests)?", "total", _as(R.LEGAL_PROCESS, total=True, **C)))
EMERGENCY = (r"Emergency Requests", "emergency", _as(R.EMERGENCY))
_ACCOUNTS = r"(?:Customer Accounts Affected|Number of Customer Accounts Impacted)"
NSL = ((r"National Security Letters|NSLs", "nsl", _as(N, **NSL_)),
       (_ACCOUNTS, "nsl accounts", _as(N, "accounts_affected", **NSL_)))
FISA_HEADING = r"FISA Orders(?: and Warrants)?|Foreign Intelligence Surveillance Act(?! Orders and Warrants are)"


def _fisa(label: str, data: str) -> tuple[tuple[str, str, As], ...]:  # a FISA figure, then its accounts
    return ((label, f"fisa {data}", _as(N, data=data, **FISA_)),
            (_ACCOUNTS, f"fisa {data} accounts", _as(N, "accounts_affected", data=data, **FISA_)))


FISA_SPLIT = (*_fisa(r"(?<![-\w])Content", "content"), *_fisa(r"Non-Content", "non-content"))
FISA_COMBINED = _fisa(r"Content and Non-Content", "content and non-content")
KNOWN = blocks.figure_known("label value lines", {row: a for _, row, a in (*CRIMINAL, EMERGENCY, *NSL, *FISA_SPLIT,
                                                                          *FISA_COMBINED)}, labels=False, row_extra="")
# Period rule: criminal and emergency figures cover the report's period (its first printed date range, or "in
# 2013" in the first report); NSL and FISA figures carry their own printed range. FISA figures lag six months:
# where no range is printed beside them, the half-year before the report's is declared (and said in the note).
SECTION_START = re.compile(r"Criminal (?:Requests|Demands)")
PAGE_FURNITURE = re.compile(r"\d{1,2}|Comcast (?:Cable Communications|Transparency Report)")


def _report_period(doc: Document, text: str) -> tuple[dt.date, dt.date]:
    if m := re.search(r"Government Requests in (\d{4})", text):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    if period := tf.first_period(text):
        return period
    raise UnknownLayout(doc, "no report period printed")


def _read_text(doc: Document, lines: list[tf.Line], method: str, marks: dict[str, str]) -> list[Fact]:
    report = _report_period(doc, "\n".join(line.text for line in lines))
    t = LabelStream(doc, tf.TextStream(doc, tf.figure_lines(doc, lines, SECTION_START, "Definitions",
                                                            PAGE_FURNITURE)), method)
    for label, row, _ in CRIMINAL:
        t.take(label, row, report)
    t.take_anywhere(*EMERGENCY[:2], report)  # printed before, beside or after the criminal table
    nsl, fisa = t.find(NSL[0][0]), t.find(FISA_HEADING)
    if nsl is None or fisa is None:
        raise UnknownLayout(doc, "no National Security Letters / FISA figures")
    nsl_period = t.stream.period_after(nsl.start(), fisa.start()) or report
    for label, row, _ in NSL:
        t.take(label, row, nsl_period)
    t.at = fisa.start()
    printed = t.stream.period_after(fisa.start(), fisa.end() + 80)
    fisa_period = printed or tf.half_year_before(report)
    lag = "" if printed else "period not printed beside the FISA figures: the half-year before the report's " \
                             "(FISA figures are published six months late)"
    combined = t.find(FISA_COMBINED[0][0], fisa.start()) is not None
    for label, row, _ in FISA_COMBINED if combined else FISA_SPLIT:
        t.take(label, row, fisa_period, lag)
    return interpret(doc, [dataclasses.replace(KNOWN, extra=marks)], [t.table()]).facts


def _arithmetic(facts: list[Fact]) -> list[ocr.Finding]:
    parts = [f for f in facts if f.extra.get("demands") == "criminal" and not f.is_total]
    total = next(f for f in facts if f.extra.get("demands") == "criminal" and f.is_total)
    if (added := sum(f.value or 0 for f in parts)) == total.value:
        return []
    return [ocr.Finding("publisher-arithmetic", f"criminal demands add up to {added:,.0f}, the report prints the "
                        f"total {total.raw_text}", total.locator.page)]


@functools.lru_cache(maxsize=4)
def _read(doc: Document, ocr_available: bool) -> tuple[list[Fact], list[ocr.Finding]]:
    # ocr_available is part of the memo's key: a document read without OCR is read again once OCR is there
    texts = page_texts(doc)
    if any(t.strip() for t in texts):
        facts = _read_text(doc, tf.lines_of(texts), "", {})
        return facts, _arithmetic(facts)
    # A scan: OCR every page; accept only what the report's own arithmetic checks (the criminal table).
    try:
        engine, lines = ocr.tesseract_version(), tf.lines_of(ocr.scanned_page_texts(doc))
        facts = _read_text(doc, lines, f"read by OCR ({engine}, --psm 4) from the scanned page; accepted because "
                           "the criminal demands add up to the printed total", {"method": "ocr", "image": "page scan"})
    except ocr.OcrUnavailable as e:
        raise ocr.FiguresOnlyInImages(doc, ocr.OCR_NOT_AVAILABLE) from e
    except UnknownLayout as e:  # what OCR read is not the report's layout: nothing of it is trusted
        raise ocr.FiguresOnlyInImages(doc, f"{ocr.FIGURES_ONLY_AS_IMAGES}; OCR refused: {e.problem}") from e
    if wrong := _arithmetic(facts):
        raise ocr.FiguresOnlyInImages(doc, f"{ocr.FIGURES_ONLY_AS_IMAGES}; OCR refused: {wrong[0].message}")
    checked = [f for f in facts if "demands" in f.extra]
    unread = [ocr.Finding("figures-only-as-images", f"{ocr.FIGURES_ONLY_AS_IMAGES}; OCR read {f.request_type_raw} "
                          f"{f.raw_text!r} but no printed arithmetic checks it: not loaded", f.locator.page)
              for f in facts if "demands" not in f.extra]
    return checked, unread


def parse(doc: Document) -> list[Fact]:
    return list(_read(doc, ocr.available())[0])  # a copy: the memo must not be changed by a caller


def read(doc: Document) -> Reading:
    return ocr.reading(doc, lambda d: _read(d, ocr.available()))


def findings(doc: Document) -> list[ocr.Finding]:
    """Figures left unread (the scan's unchecked rows) and totals that are not the sum of their parts."""
    return list(_read(doc, ocr.available())[1])
