"""Verizon's US Transparency Report (PDF, 2013 - 2H 2020): a ruled table of US law-enforcement demands and one
of national-security bands, each with a column per half-year, reprinting up to three years of past half-years.

Every printed figure is kept with the period of its own column, from this document; which report's figure is
current for a half-year is decided downstream.
"""

from __future__ import annotations

import re

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit
from parsers.formats.figures import figure
from parsers.formats.pdf_blocks import grid_texts, label_key, normalise_band, read_period
from parsers.formats.pdf_tables import page_texts, pick_pages

SERIES = (("verizon", "us-transparency-report"),)

T, R, S, NS = RequestType, Unit.REQUESTS, Unit.SELECTORS, Kind.NATIONAL_SECURITY
# Row label (as printed, any spacing) -> (row id, request type, metric, unit, kind, parts it is the total of).
US_ROWS = {
    "Subpoenas": ("subpoenas", T.SUBPOENA, "requests", R, Kind.USER_DATA, ()),
    "Total Orders": ("orders", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ("general", "pen", "wiretap")),
    "General Orders": ("general", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Orders": ("general", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),  # 2H 2019 on: general orders only
    "Pen Registers/ Trap & Trace Orders": ("pen", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Pen Regis- ters/ Trap & Trace Orders": ("pen", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Pen Register/ Trap & Trace Orders": ("pen", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Pen Register/ Trap & Traces": ("pen", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Wiretap Orders": ("wiretap", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Wiretaps": ("wiretap", T.COURT_ORDER, "requests", R, Kind.USER_DATA, ()),
    "Warrants": ("warrants", T.SEARCH_WARRANT, "requests", R, Kind.USER_DATA, ()),
    "Emergency Requests From Law Enforcement": ("emergency", T.EMERGENCY, "requests", R, Kind.USER_DATA, ()),
    "Emergency Requests": ("emergency", T.EMERGENCY, "requests", R, Kind.USER_DATA, ()),
    "Total": ("total", T.ALL, "requests", R, Kind.USER_DATA, ("subpoenas", "orders", "warrants", "emergency")),
}
NS_ROWS = (  # in printed order: each "Number of customer selectors" belongs to the row above it
    ("National Security Letters", "nsl", "National Security Letters", "requests", R),
    ("Number of customer selectors", "nsl_selectors", "National Security Letters", "selectors_targeted", S),
    ("FISA Orders (Content)", "fisa_content", "FISA content", "requests", R),
    ("Number of customer selectors", "fisa_content_selectors", "FISA content", "selectors_targeted", S),
    ("FISA Orders (Non-Content)", "fisa_noncontent", "FISA non-content", "requests", R),
    ("Number of customer selectors", "fisa_noncontent_selectors", "FISA non-content", "selectors_targeted", S),
)
# Columns not loaded, with why: Verizon halved its 2013 full-year figures itself ("we have simply halved those
# numbers"): not a count for any half-year.
SKIPPED_COLUMNS = {"halfof2013"}
# Period headings Verizon misprinted: (sha256 prefix, heading as printed) -> (heading meant, reason).
_JUNE30 = ("July 1, 2019 – Dec. 31, 2019", "misprinted 'June 30, 2019 –Dec. 31 2019'; the column is the second "
           "half of 2019, after the 'Jan 1, 2019– Jun. 30, 2019' column")
CORRECTIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("6cfe8fed4491", "June 30, 2019 –Dec. 31 2019"): _JUNE30, ("12f13fb09604", "June 30, 2019 –Dec. 31 2019"): _JUNE30,
}
# The 2H 2019 report says in prose that earlier reports double counted pen-register and trap-and-trace orders
# (also counted as orders) and that its table is corrected.
PEN_CORRECTION = ("Verizon's 2H 2019 report says earlier reports double counted pen register and trap and trace "
                  "orders by also including them in the orders category, and that this table corrects that error")
APPROX = re.compile(r"\s*\(approx(?:imately)?\)$")


def _periods(doc: Document, page: int, rows: list[list[str]], head_rows: int) -> list[tuple[str, tuple]]:
    """The column headings, read in order (multi-row headings joined row by row), with their periods."""
    parts = [[c for c in row if c] for row in rows[:head_rows]]
    parts = [p for p in parts if p]
    width = max(len(p) for p in parts)
    heads = [" ".join(p[i] for p in parts if len(p) == width) for i in range(width)]
    out = []
    for h in heads:
        meant, _why = CORRECTIONS.get((doc.sha256[:12], h), (h, ""))
        if label_key(meant) in SKIPPED_COLUMNS or label_key(meant).startswith("halfof2013"):
            out.append((h, None))
            continue
        try:
            out.append((h, read_period(meant.replace("July.", "July"))))
        except ValueError as e:
            raise ParseError(doc, f"page {page}: column heading {h!r}: {e}") from e
    return out


def _facts(doc: Document, page: int, index: int, rows: list[list[str]], us: bool, fixed: bool) -> list[Fact]:
    wanted = {label_key(k) for k in US_ROWS} if us else {"nationalsecurityletters"}
    first = next(i for i, row in enumerate(rows) if label_key(next((c for c in row if c), "")) in wanted)
    columns = _periods(doc, page, rows, first)
    facts: list[Fact] = []
    ns_index = 0
    for row in rows[first:]:
        cells = [c for c in row if c]
        if not cells or cells[0].startswith(("*", "NOTES")):
            continue
        label, values = cells[0], cells[1:]
        if us:
            spec = {label_key(k): v for k, v in US_ROWS.items()}.get(label_key(label))
            if spec is None:
                raise ParseError(doc, f"page {page}: unknown row {label!r} in the US demands table")
            rid, rtype, metric, unit, kind, parts = spec
            raw_type = label
        else:
            if ns_index >= len(NS_ROWS) or label_key(NS_ROWS[ns_index][0]) != label_key(label):
                raise ParseError(doc, f"page {page}: national-security row {label!r} is not where expected")
            _, rid, raw_type, metric, unit = NS_ROWS[ns_index]
            rtype, kind, parts = T.NATIONAL_SECURITY, NS, ()
            ns_index += 1
        if len(values) != len(columns):
            raise ParseError(doc, f"page {page}: row {label!r} has {len(values)} figures for {len(columns)} "
                                  "column headings")
        for (head, period), cell in zip(columns, values, strict=True):
            if period is None:
                continue
            raw = cell
            note = PEN_CORRECTION if fixed and rid in ("pen", "general", "orders") else ""
            text = normalise_band(APPROX.sub("", raw.rstrip("*")) if raw != "*" else raw)
            if APPROX.search(raw):
                note = "; ".join(n for n in (note, "printed as approximate") if n)
            if text == "*":
                text, note = "withheld", "; ".join(n for n in (note, "'*': the government imposes a six-month "
                                                                     "delay on reporting this figure") if n)
            facts.append(figure(
                doc, period=period, country_raw="", country_code_hint="US", request_type=rtype,
                request_type_raw=raw_type, metric=metric, unit=unit, kind=kind, raw=raw,
                cell=None, locator=Locator(page=page, table=index, column=head),
                is_total=bool(parts), note=note, extra={"row": rid, "label": label},
            ) if text == raw else _with_text(doc, period, rtype, raw_type, metric, unit, kind, raw, text, page,
                                               index, head, parts, note, rid, label))
    return facts


def _with_text(doc, period, rtype, raw_type, metric, unit, kind, raw, text, page, index, head, parts, note, rid,
               label) -> Fact:
    from parsers.normalise.values import parse_number_cell
    return figure(doc, period=period, country_raw="", country_code_hint="US", request_type=rtype,
                  request_type_raw=raw_type, metric=metric, unit=unit, kind=kind, raw=raw,
                  cell=parse_number_cell(text),
                  locator=Locator(page=page, table=index, column=head),
                  is_total=bool(parts), note=note, extra={"row": rid, "label": label})


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    fixed = "double counted Pen Register" in " ".join(" ".join(texts).split())
    pages = pick_pages(texts, ["Subpoenas", "Warrants", "Total"], ["National Security Letters", "selectors"])
    facts: list[Fact] = []
    found = set()
    for page, index, rows in grid_texts(doc, pages):
        labels = {label_key(c) for row in rows for c in row[:3] if c}
        us = label_key("Subpoenas") in labels and label_key("Warrants") in labels
        ns = label_key("National Security Letters") in labels and label_key("Number of customer selectors") in labels
        if us or ns:
            facts += _facts(doc, page, index, rows, us, fixed)
            found.add("us" if us else "ns")
    if "us" not in found:
        raise ParseError(doc, "no US law-enforcement demands table found")
    return facts
