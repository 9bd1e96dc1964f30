"""Lumen's half-yearly U.S. Transparency Report (PDF, since 2021 H1): one small table of U.S. criminal demands by
type, emergency requests, and NSLs and FISA orders together as one band (`0-249`).

Each part of the table prints its own period ("U.S. Emergency Requests: January 1, 2021 - June 30, 2021"); every
figure takes the period printed over it, and all of them must be the half-year the report's title names. The
report counts demands received in the period and prints no total.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.pdf_label_values import (
    BlockSpec,
    LabelRow,
    locator,
    read_blocks,
    read_lines,
    recognise_layout,
)
from parsers.formats.pdf_tables import page_texts, pick_pages

SERIES = (("lumen", "transparency-report"),)

_COURT = "Court Orders/Warrants"
_NATIONAL_SECURITY = r"U\.S\. National Security Letters & FISA Orders: ?(?P<period>.+\d{4})"


@dataclass(frozen=True)
class Row:
    request_type: RequestType
    under: str = ""  # the group line the row must be printed under ("" = none), part of its raw label
    kind: Kind = Kind.USER_DATA
    note: str = ""


DEMANDS = BlockSpec(
    "us-demands", start=r"U\.S\. Criminal Demands:.*", header=r"U\.S\. Criminal Demands: ?(?P<period>.+\d{4})",
    figures=1, end=r"Types of Demands Received.*", groups=(re.escape(_COURT), _NATIONAL_SECURITY), rows={
        r"Subpoenas": Row(RequestType.SUBPOENA),
        r"Pen Register/Trap & Trace": Row(RequestType.COURT_ORDER, _COURT),
        r"Wiretaps": Row(RequestType.COURT_ORDER, _COURT),
        r"Content Warrants": Row(RequestType.SEARCH_WARRANT, _COURT),
        r"Non-Content Warrants": Row(RequestType.SEARCH_WARRANT, _COURT),
        r"U\.S\. Emergency Requests: ?(?P<period>.+\d{4})": Row(RequestType.EMERGENCY),
        r"Combined Number of Requests": Row(RequestType.NATIONAL_SECURITY, _NATIONAL_SECURITY,
                                            Kind.NATIONAL_SECURITY, note="NSLs and FISA orders together"),
    })
LAYOUTS = {"2021h1": ("us-demands",)}
IGNORED_LINES = (r"Page \d+",)
_TITLE = re.compile(r"U\.S\. Transparency Report\s+(?P<period>[A-Z][a-z]+ \d{1,2}, \d{4}\s*[-–]\s*[A-Z][a-z]+ \d{1,2}, "
                    r"\d{4})")
_RANGE = re.compile(r"(?P<m1>[A-Z][a-z]+) (?P<d1>\d{1,2}), (?P<y1>\d{4}) ?[-–] ?(?P<m2>[A-Z][a-z]+) (?P<d2>\d{1,2}), "
                    r"(?P<y2>\d{4})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def printed_period(doc: Document, text: str) -> tuple[dt.date, dt.date]:
    """'January 1, 2021 - June 30, 2021' (any dash, with or without spaces) as dates."""
    m = _RANGE.fullmatch(" ".join(text.split()))
    if m is None or m["m1"] not in _MONTHS or m["m2"] not in _MONTHS:
        raise UnknownLayout(doc, f"period {text!r} is not 'Month D, YYYY - Month D, YYYY'")
    return (dt.date(int(m["y1"]), _MONTHS.index(m["m1"]) + 1, int(m["d1"])),
            dt.date(int(m["y2"]), _MONTHS.index(m["m2"]) + 1, int(m["d2"])))


def _raw_and_period(doc: Document, row: LabelRow, header_period: str) -> tuple[str, str]:
    declared: Row = row.declared
    if declared.under and not re.fullmatch(declared.under, row.group):
        raise UnknownLayout(doc, f"page={row.page}: {row.label!r} is not printed under {declared.under!r}")
    if "period" in row.match.re.groupindex:
        return row.label, row.match["period"]
    if declared.under == _NATIONAL_SECURITY:
        group = re.fullmatch(_NATIONAL_SECURITY, row.group)
        assert group is not None  # checked above
        return f"U.S. National Security Letters & FISA Orders / {row.label}", group["period"]
    return (f"{row.group} / {row.label}" if declared.under else row.label), header_period


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    title = _TITLE.search(" ".join(texts[0].split())) if texts else None
    if title is None:
        raise UnknownLayout(doc, "page 1 does not name the report's period under 'U.S. Transparency Report'")
    report_period = printed_period(doc, title["period"])
    pages = pick_pages(texts, ["U.S. Criminal Demands"])
    blocks = read_blocks(doc, read_lines(doc, pages), (DEMANDS,), ignore=IGNORED_LINES)
    recognise_layout(doc, blocks, LAYOUTS)
    facts: list[Fact] = []
    for block in blocks:
        for row in block.rows:
            declared: Row = row.declared
            raw_label, period_text = _raw_and_period(doc, row, block.header["period"])
            period = printed_period(doc, period_text)
            if period != report_period:
                raise UnknownLayout(doc, f"page={row.page}: {raw_label!r} is printed for {period_text!r}, not "
                                         f"the report's period {title['period']!r}")
            cell = row.figures[0]
            facts.append(figure(
                doc, period=period, country_raw="", request_type=declared.request_type,
                request_type_raw=raw_label, metric="requests", unit=Unit.REQUESTS, raw=cell.text,
                locator=locator(block, row, "(no header printed)", cell), kind=declared.kind,
                note="; ".join(n for n in (declared.note, "U.S. government demands only, as the report says")
                               if n)))
    return facts
