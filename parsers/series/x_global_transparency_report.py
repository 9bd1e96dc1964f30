"""X's Global Transparency Report (PDF, half-yearly since 2024): information and removal requests by requester.

The report prints two small ruled tables: government requests for account information (emergency and
non-emergency together) and removal requests, each with a TOTAL row followed by the top requesters and an
"All Others" remainder. Pseudo-jurisdictions ("EU", "All Others") are kept as printed with no country code.
Each table is printed once (`once`): a second identical copy is read once and noted; copies that differ are
ambiguous, that table is refused, and as both tables are ones the series cannot do without, so is the document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.declarations import Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, interpret, layouts, strict
from parsers.formats.pdf_tables import page_texts, pick_pages, read_tables
from parsers.formats.table import pdf_table
from parsers.normalise.periods import half_year

SERIES = (("x", "global-transparency-report"),)

# The first column has no printed header: it names the requester (a country, "EU" or "All Others").
UNNAMED_FIRST = "Requester"
REQUESTER = Key("requester", UNNAMED_FIRST, "country", ("Country", "Country/Region"), extra="row_label")
INFORMATION, REMOVAL = "TOTAL INFORMATION REQUESTS", "TOTAL REMOVAL REQUESTS"


def _table(name: str, total: str, rtype: RequestType, kind: Kind, columns: tuple[tuple[str, str, Unit], ...],
           description: str) -> KnownTable:
    """A requester table: its first row is the total (company-wide), the rest are its parts."""
    return KnownTable(name, (REQUESTER,), tuple(Measure(h, metric, unit, rtype, total, kind) for h, metric, unit in (
        ("TOTAL NUMBER OF REQUESTS", "requests", Unit.REQUESTS), *columns)), total_labels=(total,),
        total_is_no_country=True, required=True, once=True, description=description)


TABLES = (
    _table("information-requests-2024h1", INFORMATION, RequestType.ALL, Kind.USER_DATA, (
        ("CASES DISCLOSED", "requests_some_data_produced", Unit.REQUESTS),
        ("DISCLOSURE RATE", "percent_some_data_produced", Unit.PERCENT)),
        "H1 2024: requests for account information by requester, cases disclosed, disclosure rate"),
    _table("removal-requests-2024h1", REMOVAL, RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL, (
        ("CASES ACTIONED", "requests_actioned", Unit.REQUESTS), ("ACTION RATE", "percent_requests_actioned", Unit.PERCENT)),
        "H1 2024: removal requests by requester, cases actioned, action rate"),
)
LAYOUTS = layouts(TABLES)
HALF = re.compile(r"\bH([12])\s+(\d{4})\b")


def _checked(doc: Document, facts: list[Fact]) -> list[Fact]:
    """The TOTAL row comes first; the report's own arithmetic is said on a total its rows do not add up to."""
    by_table: dict[tuple[int | None, int | None], list[Fact]] = defaultdict(list)
    for f in facts:
        by_table[(f.locator.page, f.locator.table)].append(f)
    out = []
    for (page, index), fs in by_table.items():
        first = min(f.locator.row or 0 for f in fs)
        if not all(f.is_total for f in fs if f.locator.row == first):
            raise UnknownLayout(doc, f"page={page};table={index}: the first row is not the table's TOTAL row")
        parts: dict[str, float] = defaultdict(float)
        rows: dict[str, int] = defaultdict(int)
        for f in fs:
            if not f.is_total and f.unit is not Unit.PERCENT and f.value is not None:
                parts[f.metric] += f.value
                rows[f.metric] += 1
        for f in fs:
            if f.is_total and f.metric in parts and f.value != parts[f.metric]:
                note = f"the {rows[f.metric]} requester rows printed under this total sum to {parts[f.metric]:,.0f}, " \
                       "not to it"
                f = replace(f, note="; ".join(filter(None, (f.note, note))))
            out.append(f)
    return out


def read(doc: Document) -> Reading:
    texts = page_texts(doc)
    pages = pick_pages(texts, (INFORMATION,), (REMOVAL,))
    if not pages:
        raise UnknownLayout(doc, f"no page prints {INFORMATION!r} or {REMOVAL!r}")
    # The half-year printed in the running header of the table page ("Global Transparency Report | H1 2024").
    m = next((m for text in [texts[p - 1] for p in pages] + texts[:2] if (m := HALF.search(text))), None)
    if m is None:
        raise ParseError(doc, "no reporting half-year (e.g. 'H1 2024') printed on the table pages or the cover")
    period = half_year(int(m[2]), int(m[1]))
    tables = [pdf_table(t) for t in read_tables(doc, pages)]
    for t in tables:
        t.header[0] = t.header[0] or UNNAMED_FIRST
    reading = interpret(doc, TABLES, tables, period=lambda d, r: period)
    return Reading(_checked(doc, reading.facts), reading.findings)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
