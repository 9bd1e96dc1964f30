"""Comcast's Transparency Report (PDF, 2-5 pages, twice a year from 2014; the first covers 2013).

Figures are "label value" lines in a designed layout that moves between editions (values on the label's line or
after it, tables split across pages), so the labels are declared in printed order and each takes the next
figure printed after it. The second report is a scan: it is read by OCR, and only its criminal table, whose
parts add up to its printed total, is accepted; `findings(doc)` lists the rest as unread.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from parsers.facts import Document, Fact, Kind, Locator, RequestType, Unit, UnknownLayout
from parsers.formats import ocr
from parsers.formats import text_figures as tf
from parsers.formats.figures import figure
from parsers.formats.interpreter import Reading
from parsers.formats.pdf_tables import page_texts

SERIES = (("comcast", "transparency-report"),)
LAYOUTS = ("label-value lines (2013 - 2H 2020)", "scanned pages, no text layer (1H 2014)")

N = RequestType.NATIONAL_SECURITY
# (label pattern, request type, extra dimensions), in printed order. Criminal rows add up to the total.
CRIMINAL = (
    (r"Subpoenas", RequestType.SUBPOENA, {}),
    (r"General Orders", RequestType.COURT_ORDER, {"order": "general"}),
    (r"Pen Register ?/ ?Trap (?:&|and) Trace", RequestType.COURT_ORDER, {"order": "pen register / trap and trace"}),
    (r"Wiretaps", RequestType.COURT_ORDER, {"order": "wiretap"}),
    (r"(?<![-\w])Content(?: Warrants)?", RequestType.SEARCH_WARRANT, {"data": "content"}),
    (r"Non-Content(?: Warrants)?", RequestType.SEARCH_WARRANT, {"data": "non-content"}),
)
TOTAL = r"Total(?: Criminal Requests)?"
EMERGENCY = r"Emergency Requests"
_ACCOUNTS = r"(?:Customer Accounts Affected|Number of Customer Accounts Impacted)"
NSL = ((r"National Security Letters|NSLs", "requests"), (_ACCOUNTS, "accounts_affected"))
FISA_HEADING = r"FISA Orders(?: and Warrants)?|Foreign Intelligence Surveillance Act(?! Orders and Warrants are)"
FISA_SPLIT = ((r"(?<![-\w])Content", "requests", "content"), (_ACCOUNTS, "accounts_affected", "content"),
              (r"Non-Content", "requests", "non-content"), (_ACCOUNTS, "accounts_affected", "non-content"))
FISA_COMBINED = ((r"Content and Non-Content", "requests", "content and non-content"),
                 (_ACCOUNTS, "accounts_affected", "content and non-content"))
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
    s = tf.TextStream(doc, tf.figure_lines(doc, lines, SECTION_START, "Definitions", PAGE_FURNITURE))
    facts: list[Fact] = []
    at = 0

    def row(label: str, rtype: RequestType, metric: str, kind: Kind, period: tuple[dt.date, dt.date],
            extra: dict[str, str], note: str = "", is_total: bool = False) -> None:
        nonlocal at
        m = s.find(tf.label_pattern(label), at)
        if m is None:
            raise UnknownLayout(doc, f"label {label!r} not found after position {at}")
        at = m.end()
        printed = " ".join(s.printed[m.start():m.end()].replace("\xad", "").split())
        v = s.take_after(m.end(), printed)
        unit = Unit.ACCOUNTS if metric == "accounts_affected" else Unit.REQUESTS
        facts.append(figure(doc, period=period, country_raw="", request_type=rtype, request_type_raw=printed,
                            metric=metric, unit=unit, raw=v.raw, cell=v.cell(), kind=kind, is_total=is_total,
                            locator=Locator(page=v.line.page, row=v.line.number, column=printed),
                            note="; ".join(n for n in (method, note) if n), extra={**extra, **marks}))

    for label, rtype, extra in CRIMINAL:
        row(label, rtype, "requests", Kind.USER_DATA, report, {**extra, "demands": "criminal"})
    row(TOTAL, RequestType.LEGAL_PROCESS, "requests", Kind.USER_DATA, report, {"demands": "criminal"}, is_total=True)
    criminal_end = at
    emergency = s.find(tf.label_pattern(EMERGENCY), 0)
    if emergency is None:
        raise UnknownLayout(doc, "no Emergency Requests figure")
    at = emergency.start()
    row(EMERGENCY, RequestType.EMERGENCY, "requests", Kind.USER_DATA, report, {})
    at = criminal_end
    nsl = s.find(tf.label_pattern(NSL[0][0]), at)
    fisa = s.find(tf.label_pattern(FISA_HEADING), at)
    if nsl is None or fisa is None:
        raise UnknownLayout(doc, "no National Security Letters / FISA figures")
    nsl_period = s.period_after(nsl.start(), fisa.start()) or report
    for label, metric in NSL:
        row(label, N, metric, Kind.NATIONAL_SECURITY, nsl_period, {"authority": "NSL"})
    at = fisa.start()
    printed = s.period_after(fisa.start(), fisa.end() + 80)
    fisa_period = printed or tf.half_year_before(report)
    lag = "" if printed else "period not printed beside the FISA figures: the half-year before the report's " \
                             "(FISA figures are published six months late)"
    combined = s.find(tf.label_pattern(FISA_COMBINED[0][0]), fisa.start()) is not None
    for label, metric, data in FISA_COMBINED if combined else FISA_SPLIT:
        row(label, N, metric, Kind.NATIONAL_SECURITY, fisa_period, {"authority": "FISA", "data": data}, lag)
    s.check_all_taken()
    return facts


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
