"""X's Global Transparency Report (PDF, half-yearly since 2024): information and removal requests by requester.

The report prints two small ruled tables: government requests for account information (emergency and
non-emergency together) and removal requests, each with a TOTAL row followed by the top requesters and an
"All Others" remainder. Pseudo-jurisdictions ("EU", "All Others") are kept as printed with no country code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.pdf_tables import PdfTable, page_texts, pick_pages, read_tables
from parsers.formats.tabular import Column, Layout, header_key, recognise
from parsers.normalise.periods import half_year

SERIES = (("x", "global-transparency-report"),)

# The first column has no printed header: it names the requester (a country, "EU" or "All Others").
_UNNAMED_FIRST = "Requester"
_REQUESTER = Column("requester", (_UNNAMED_FIRST, "Country", "Country/Region"))
_REQUESTS = Column("requests", ("TOTAL NUMBER OF REQUESTS",))

INFORMATION = Layout("information-requests-2024h1", (
    _REQUESTER, _REQUESTS, Column("produced", ("CASES DISCLOSED",)), Column("rate", ("DISCLOSURE RATE",)),
), description="H1 2024: requests for account information by requester, cases disclosed, disclosure rate")
REMOVAL = Layout("removal-requests-2024h1", (
    _REQUESTER, _REQUESTS, Column("actioned", ("CASES ACTIONED",)), Column("rate", ("ACTION RATE",)),
), description="H1 2024: removal requests by requester, cases actioned, action rate")
LAYOUTS = (INFORMATION, REMOVAL)


@dataclass(frozen=True)
class TableSpec:
    total_label: str  # the first data row, as printed
    kind: Kind
    request_type: RequestType
    metrics: dict[str, tuple[str, Unit]]  # canonical column -> (metric, unit)


_SPECS = {
    INFORMATION.name: TableSpec("TOTAL INFORMATION REQUESTS", Kind.USER_DATA, RequestType.ALL, {
        "requests": ("requests", Unit.REQUESTS),
        "produced": ("requests_some_data_produced", Unit.REQUESTS),
        "rate": ("percent_some_data_produced", Unit.PERCENT),
    }),
    REMOVAL.name: TableSpec("TOTAL REMOVAL REQUESTS", Kind.CONTENT_REMOVAL, RequestType.CONTENT_REMOVAL, {
        "requests": ("requests", Unit.REQUESTS),
        "actioned": ("requests_actioned", Unit.REQUESTS),
        "rate": ("percent_requests_actioned", Unit.PERCENT),
    }),
}
_HALF = re.compile(r"\bH([12])\s+(\d{4})\b")


def _period(doc: Document, texts: list[str], pages: list[int]) -> tuple[dt.date, dt.date]:
    """The half-year printed in the running header of the table page ("Global Transparency Report | H1 2024")."""
    for text in [texts[p - 1] for p in pages] + texts[:2]:
        if m := _HALF.search(text):
            return half_year(int(m[2]), int(m[1]))
    raise ParseError(doc, "no reporting half-year (e.g. 'H1 2024') printed on the table pages or the cover")


def _table_facts(doc: Document, t: PdfTable, spec: TableSpec, positions: dict[str, int], printed: list[str],
                 period: tuple[dt.date, dt.date]) -> list[Fact]:
    where = f"page={t.page};table={t.index}"
    body = [(number, row) for number, row in enumerate(t.rows, start=1) if number > t.header_rows()
            and any(c.text for c in row)]
    if not body or header_key(body[0][1][positions["requester"]].text) != header_key(spec.total_label):
        raise UnknownLayout(doc, f"{where}: the first row is not {spec.total_label!r}")
    facts: list[Fact] = []
    parts: dict[str, float] = {}
    for number, row in body:
        label = row[positions["requester"]].text
        is_total = number == body[0][0]
        for column, (metric, unit) in spec.metrics.items():
            cell = row[positions[column]]
            facts.append(figure(
                doc, period=period, country_raw="" if is_total else label, request_type=spec.request_type,
                request_type_raw=spec.total_label, metric=metric, unit=unit, raw=cell.text, kind=spec.kind,
                locator=Locator(page=t.page, table=t.index, row=number, column=printed[positions[column]],
                                bbox=cell.bbox),
                is_total=is_total, extra={"row_label": label},
            ))
            if not is_total and unit is not Unit.PERCENT and facts[-1].value is not None:
                parts[metric] = parts.get(metric, 0.0) + facts[-1].value
    return [_check_total(f, parts, len(body) - 1) for f in facts]


def _check_total(fact: Fact, parts: dict[str, float], n_rows: int) -> Fact:
    """The report's own arithmetic: say so on a total that its rows do not add up to (H1 2024 has two)."""
    if not fact.is_total or fact.metric not in parts or fact.value == parts[fact.metric]:
        return fact
    note = f"the {n_rows} requester rows printed under this total sum to {parts[fact.metric]:,.0f}, not to it"
    return replace(fact, note="; ".join(filter(None, (fact.note, note))))


def parse(doc: Document) -> list[Fact]:
    texts = page_texts(doc)
    pages = pick_pages(texts, *[(spec.total_label,) for spec in _SPECS.values()])
    if not pages:
        raise UnknownLayout(doc, "no page prints 'TOTAL INFORMATION REQUESTS' or 'TOTAL REMOVAL REQUESTS'")
    period = _period(doc, texts, pages)
    facts: list[Fact] = []
    seen: dict[str, PdfTable] = {}
    for t in read_tables(doc, pages):
        printed = t.header()
        header = [printed[0] or _UNNAMED_FIRST, *printed[1:]]
        layout, positions = recognise(doc, header, LAYOUTS, where=f"page={t.page};table={t.index}")
        if layout.name in seen:
            raise UnknownLayout(doc, f"two tables match {layout.name!r} (pages {seen[layout.name].page}, {t.page})")
        seen[layout.name] = t
        facts += _table_facts(doc, t, _SPECS[layout.name], positions, printed, period)
    missing = [name for name in _SPECS if name not in seen]
    if missing:
        raise UnknownLayout(doc, f"table(s) not found on pages {pages}: {', '.join(missing)}")
    return facts


__all__ = ["LAYOUTS", "SERIES", "parse"]
