"""Verizon's US Transparency Report (PDF, 2013 - 2H 2020): a table of US law-enforcement demands and one of
national-security bands, a column per half-year, each reprinting up to three years of past half-years.

Every printed figure is kept with the period of its own column, from this document; which report's figure is
current for a half-year is decided downstream. The figures are US-wide (country US).
"""

from __future__ import annotations

import dataclasses
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.pdf_blocks import (
    BlockRow,
    Column,
    Line,
    RowSpec,
    Segment,
    attach_suffixes,
    block_rows,
    column_texts,
    is_figure,
    join_split_bands,
    label_key,
    match_rows,
    page_lines,
    read_period,
    row_facts,
    row_labels,
    stacked_columns,
)
from parsers.formats.pdf_tables import page_texts, pick_pages

SERIES = (("verizon", "us-transparency-report"),)

T, R, S, NS = RequestType, Unit.REQUESTS, Unit.SELECTORS, Kind.NATIONAL_SECURITY
_EMERGENCY = ("Emergency Requests From Law Enforcement", "Emergency Requests")
_PEN = ("Pen Registers/ Trap & Trace Orders", "Pen Register/ Trap & Trace Orders", "Pen Register/ Trap & Traces")
# Until 1H 2019: total orders over general, pen-register and wiretap orders. From 2H 2019 no total-orders row, and
# "Orders" (later "General Orders") are general orders only (the 2H 2019 report says so in its introduction).
US_ROWS = (
    RowSpec("subpoenas", ("Subpoenas",), T.SUBPOENA, "Subpoenas"),
    RowSpec("orders", ("Total Orders",), T.COURT_ORDER, "Total Orders", parts=("general", "pen", "wiretap")),
    RowSpec("general", ("General Orders",), T.COURT_ORDER, "General Orders"),
    RowSpec("general", ("Orders",), T.COURT_ORDER, "Orders (general orders)"),
    RowSpec("pen", _PEN, T.COURT_ORDER, "Pen Registers / Trap & Trace Orders"),
    RowSpec("wiretap", ("Wiretap Orders", "Wiretaps"), T.COURT_ORDER, "Wiretap Orders"),
    RowSpec("warrants", ("Warrants",), T.SEARCH_WARRANT, "Warrants"),
    RowSpec("emergency", _EMERGENCY, T.EMERGENCY, "Emergency Requests From Law Enforcement"),
    RowSpec(None, ("From Law Enforcement",)),  # the end of "Emergency Requests ..." carried over a page break
    RowSpec("total", ("Total",), T.ALL, "Total", parts=("subpoenas", "orders", "warrants", "emergency")),
)
# 2013 (the first report): one column, orders broken down in lines that print the figure before the label.
US_ROWS_2013 = (*US_ROWS[:2], RowSpec("orders", ("Orders",), T.COURT_ORDER, "Orders",
                                      parts=("general", "pen", "wiretap")), *US_ROWS[2:],
                RowSpec("nsl", ("National Security Letters",), T.NATIONAL_SECURITY, "National Security Letters",
                        kind=NS))
_SEL = ("Number of customer selectors",)
NS_ROWS = (  # printed order: each selectors row belongs to the row above it
    RowSpec("nsl", ("National Security Letters",), T.NATIONAL_SECURITY, "National Security Letters", kind=NS),
    RowSpec("nsl_selectors", _SEL, T.NATIONAL_SECURITY, "National Security Letters", "selectors_targeted", S, NS),
    RowSpec("fisa_content", ("FISA Orders (Content)",), T.NATIONAL_SECURITY, "FISA content", kind=NS),
    RowSpec("fisa_content_selectors", _SEL, T.NATIONAL_SECURITY, "FISA content", "selectors_targeted", S, NS),
    RowSpec("fisa_noncontent", ("FISA Orders (Non-Content)",), T.NATIONAL_SECURITY, "FISA non-content", kind=NS),
    RowSpec("fisa_noncontent_selectors", _SEL, T.NATIONAL_SECURITY, "FISA non-content", "selectors_targeted", S,
            NS),
)
PARTS = {r.id: r.parts for r in US_ROWS_2013 if r.id and r.parts}
# Columns not read, with why: Verizon halved its 2013 full-year figures itself ("we have simply halved those
# numbers ... to provide a more meaningful comparison"): an average, not a count of any half-year.
UNREAD_COLUMN = re.compile(r"(?i)^half of 2013\s*\*?$")
# Columns not read, by position (sha256 prefix, page, 0-based column), with why.
UNREAD_COLUMNS = {
    # 2H 2017: a second "1st Half of 2017" column, figure for figure the same as the one before it; the table
    # never gives the second half of 2017 (the report's text does: "We received 61,211 subpoenas ...").
    ("43359aa60e57", 2, 5): "a repeated '1st Half of 2017' column",
}
# Column headings Verizon misprinted: (sha256 prefix, page, heading) -> (heading meant, why).
_JUNE30 = ("July 1, 2019 – Dec. 31, 2019", "the column after 'Jan 1, 2019– Jun. 30, 2019' is the second half of "
           "2019, as the report's text says")
CORRECTIONS = {("6cfe8fed4491", 5, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("12f13fb09604", 4, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("6dafd21bf494", 4, "June 30, 2019 –Dec. 31 2019"): _JUNE30,
               ("43359aa60e57", 2, "1st Half of 2014"): (
                   "1st Half of 2015", "its figures are the first half of 2015's (the 1H 2015 report prints them), "
                   "and the next column is the second half of 2015"),
               ("99a7704c13e4", 7, "July 1, 2015 – June 30, 2015"): (
                   "Jan. 1, 2015 – June 30, 2015", "the column after 'July 1, 2014 – Dec. 31, 2014' is the first "
                   "half of 2015 (the report's period)")}
# Figures left unread, with why: (sha256 prefix, page, column heading, figure as printed).
UNREAD_FIGURES = {
    ("4794051b4a03", 8, "July 1, 2016 – Dec. 31, 2016", "1000-999"): "a band whose low end is above its high end "
    "(the 2H 2016 report prints 1000-1499 for these NSL selectors)",
    ("83a10e3d5433", 4, "Jan 1, 2016 – Jun. 30, 2016", "2000-1499"): "a band whose low end is above its high end "
    "(the 1H 2016 and 2H 2016 reports print 500-999 for these NSL selectors)",
}
WITHHELD = "'*': the government imposes a six-month delay on reporting this figure (the report's footnote)"
DOUBLE_COUNTED = ("Verizon's 2H 2019 report says its earlier reports double counted pen register and trap and "
                  "trace orders by also including them in the orders category, and that this table corrects that")
SKIP = re.compile(r"^\d{1,2}/\d{1,2}/\d{4} Verizon|^http://transparency\.verizon\.com|^© 20\d\d Verizon")
APPROX = re.compile(r"^\(approx(?:imately)?\)$")
US_TITLE = label_key("Law Enforcement Demands for Customer Data — United States")
FOOTNOTE = re.compile(r"^\*\s*[A-Za-z]")  # "* The government has imposed a six month delay ..."
_PROSE = 60  # a segment longer than any label or heading fragment is running text
_LABELS_END = 90.0  # labels stand left of this (points); figures right of it


def _prose(line: Line) -> bool:
    return any(len(s.text) > _PROSE for s in line.segments)


def _table(doc: Document, lines: list[Line], first: int, last: int) -> list[BlockRow]:
    """Rows first..last (lines) under the heading lines above them (up to prose or the table's title)."""
    top = first  # heading lines stand (mostly) right of the labels; the title or prose above them does not
    while top > 0 and not _prose(lines[top - 1]) and not label_key(lines[top - 1].text).startswith(US_TITLE) and any(
            s.bbox[0] > _LABELS_END for s in lines[top - 1].segments):
        top -= 1
    head, body = lines[top:first], join_split_bands(attach_suffixes(lines[first:last + 1], APPROX))
    columns = stacked_columns(doc, head, body, _LABELS_END, UNREAD_COLUMN.match, CORRECTIONS)
    columns = [dataclasses.replace(c, period=None) if (doc.sha256[:12], c.page, i) in UNREAD_COLUMNS else c
               for i, c in enumerate(columns)]
    # A table continued on the next page repeats its headings there: they must be the same headings.
    repeated = [x for x in body if all(s.bbox[0] >= columns[0].x0 and not is_figure(s.text) for s in x.segments)]
    if repeated:
        again = column_texts(repeated, [(c.x0, c.x1) for c in columns])
        if again != [c.raw for c in columns]:
            raise ParseError(doc, f"page {repeated[0].page}: headings {again} differ from {[c.raw for c in columns]}")
    body = [x for x in body if x not in repeated]
    return block_rows(doc, "table", body, row_labels(US_ROWS + NS_ROWS), columns=columns)


def _first(lines: list[Line], start: int, label: str) -> int | None:
    """The first table row from `start` whose label is, or begins (a label over lines), `label`: a row with
    figures on it or on one of the next two lines."""
    want = label_key(label)
    for i in range(start, len(lines)):
        key = label_key(lines[i].segments[0].text)
        if key and (key == want or (want.startswith(key) and want != "total")) and any(
                len(x.segments) > 1 for x in lines[i:i + 3]):
            return i
    return None


def _value_first(line: Line) -> Line:
    """2013: "62,857 General Orders" printed as one segment, the figure first: figure and label apart."""
    seg = line.segments[-1]
    m = re.match(r"^([\d,]+) (\D.*)$", seg.text)
    if len(line.segments) != 1 or not m:
        return line
    x = seg.bbox[0]
    return Line(line.page, line.top, line.bottom, (Segment(m[2], (0.0, seg.bbox[1], 1.0, seg.bbox[3])),
                                                    Segment(m[1], (x, seg.bbox[1], x + 1, seg.bbox[3]))))


def _rows_2013(doc: Document, lines: list[Line]) -> list[BlockRow]:
    """The first report: one column for 2013 (its title says so), sub-rows printed figure first."""
    start = next(i for i, line in enumerate(lines) if label_key(line.text).startswith(US_TITLE))
    end = _first(lines, start, "National Security Letters")
    if end is None:
        raise ParseError(doc, "2013 layout: no 'National Security Letters' row under the US table")
    year = re.search(r"\((\d{4})\)$", lines[start].text)
    default = Column(lines[start].text, read_period(year[1]), 0.0, 10_000.0, lines[start].page) if year else None
    return block_rows(doc, "US law enforcement demands", [_value_first(x) for x in lines[start + 1:end + 1]],
                      row_labels(US_ROWS_2013), default)


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    picked = pick_pages(texts, ["Subpoenas", "Warrants"], ["National Security Letters", "selectors"])
    pages = sorted({p for n in picked for p in (n - 1, n, n + 1) if 1 <= p <= len(texts)})
    lines = [line for line in page_lines(doc, pages, by_baseline=True) if not SKIP.search(line.text)]
    title = next((i for i, line in enumerate(lines) if label_key(line.text).startswith(US_TITLE)), None)
    if title is None:
        raise ParseError(doc, "no table titled 'Law Enforcement Demands for Customer Data — United States'")
    if lines[title].text.endswith("(2013)"):
        matched = match_rows(doc, "US law enforcement demands", _rows_2013(doc, lines), US_ROWS_2013)
    else:
        first, last = _first(lines, title, "Subpoenas"), _first(lines, title, "Total")
        if first is None or last is None:
            raise ParseError(doc, "the US table has no 'Subpoenas' or no 'Total' row")
        matched = match_rows(doc, "US law enforcement demands", _table(doc, lines, first, last), US_ROWS)
        ns = _first(lines, last, "National Security Letters")
        end = next((i for i in range(ns, len(lines)) if FOOTNOTE.match(lines[i].text) or _prose(lines[i])),
                   len(lines)) if ns is not None else None
        if ns is not None and end is not None:
            matched += match_rows(doc, "national security demands", _table(doc, lines, ns, end - 1), NS_ROWS)
    fixed = "double counted Pen Register and Trap and Trace Orders" in " ".join(" ".join(texts).split())

    def note(br: BlockRow, spec: RowSpec, seg: Segment) -> str:
        notes = [WITHHELD if seg.text.strip() == "*" else "",
                 DOUBLE_COUNTED if fixed and spec.id in ("general", "pen") else ""]
        return "; ".join(n for n in notes if n)

    return row_facts(doc, matched, country=lambda group, spec: ("", "US"), corrections=CORRECTIONS, note=note,
                     blanks=True, unread=UNREAD_FIGURES)
