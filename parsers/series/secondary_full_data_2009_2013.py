"""A SECONDARY source: a dataset hand-compiled in 2014 from 19 companies' reports of 2009-2013 (CSV).

Used to cross-check our own parsed facts, never as a company's own publication: every fact's company is the
compiler ("silk-transparency-db"), the company whose report it copied is `extra["reported_company"]`.
Two lossy steps of the compiler are undone or marked, never passed on as exact half-year counts:
- "<10" was written as 5.5 (a midpoint). Read back as the interval 1..9, status suppressed.
- Annual reports were split into two equal half-years (Microsoft 2012, Verizon 2013, ...: identical first- and
  second-half rows, odd counts becoming x.5). Such a pair is read back as ONE annual figure, 2 x the printed
  half, with both printed cells in raw_text and the step said in the note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.tabular import Column, Layout, Row, decode_text, read_rows, table_rows
from parsers.normalise.periods import half_year
from parsers.normalise.values import CellValue, parse_number_cell

SERIES = (("silk-transparency-db", "full-data-2009-2013"),)

FULL_DATA = Layout("full-data-2009-2013", (
    Column("id", ("ID",)), Column("provider", ("Service Provider",)), Column("year", ("Year",)),
    Column("period", ("Period",)), Column("country", ("Country",)),
    Column("requests", ("User Data Requests",)),
    Column("produced", ("Number of Requests where some data was disclosed (content or non content)",)),
    Column("percent", ("Percentage of Requests where some data was disclosed (content or non content)",)),
    Column("accounts", ("Users/Accounts Specified",)),
), description="one row per provider, half-year and country")
LAYOUTS = (FULL_DATA,)

# The compiler's provider names -> the company slugs of our registry (Facebook's reports are Meta's series,
# Twitter's are X's), so that a cross-check compares like with like.
REPORTED_COMPANIES = {
    "Google": "google", "Microsoft": "microsoft", "Facebook": "meta", "Twitter": "x", "Yahoo": "yahoo",
    "LinkedIn": "linkedin", "Apple": "apple", "Tumblr": "tumblr", "Verizon": "verizon", "LeaseWeb": "leaseweb",
    "Wordpress": "automattic", "Sonic.net": "sonic-net", "Dropbox": "dropbox", "CREDO": "credo",
    "CloudFlare": "cloudflare", "AT&T": "att", "Comcast": "comcast", "Pinterest": "pinterest", "Telstra": "telstra",
}
_METRICS = (("requests", "requests", Unit.REQUESTS), ("produced", "requests_some_data_produced", Unit.REQUESTS),
            ("percent", "percent_some_data_produced", Unit.PERCENT), ("accounts", "accounts_specified", Unit.ACCOUNTS))
_FIGURES = tuple(column for column, _, _ in _METRICS)
_PERIOD = re.compile(r"^(?P<y>\d{4}) \((?P<h>1st|2nd) half\)$")
SECONDARY_NOTE = "secondary compilation (hand-compiled in 2014 from the company's reports), not the company's own"
_SUPPRESSED_MIDPOINT = "5.5"


def _half(doc: Document, row: Row) -> tuple[dt.date, dt.date]:
    m = _PERIOD.match(row.get("period").strip())
    if not m or m["y"] != row.get("year").strip():
        raise ParseError(doc, f"row={row.number}: period {row.get('period')!r} / year {row.get('year')!r}")
    return half_year(int(m["y"]), 1 if m["h"] == "1st" else 2)


def _is_fraction(raw: str) -> bool:
    value = parse_number_cell(raw).value if raw.strip() else None
    return value is not None and value != int(value)


def _halved_pairs(rows: list[Row]) -> dict[int, Row]:
    """First-half row number -> its second-half twin, for annual figures the compiler split in two."""
    by_key: dict[tuple[str, str, str], dict[str, Row]] = defaultdict(dict)
    for row in rows:
        by_key[(row.get("provider"), row.get("year"), row.get("country"))][row.get("period")] = row
    twins: dict[tuple[str, str], list[tuple[Row, Row]]] = defaultdict(list)
    mixed: set[tuple[str, str]] = set()
    for (provider, year, _), halves in by_key.items():
        first, second = halves.get(f"{year} (1st half)"), halves.get(f"{year} (2nd half)")
        if first is None or second is None or [first.get(c) for c in _FIGURES] != [second.get(c) for c in _FIGURES]:
            mixed.add((provider, year))
        else:
            twins[(provider, year)].append((first, second))
    pairs: dict[int, Row] = {}
    for key, found in twins.items():
        for first, second in found:
            # Whole provider-year identical, or a half-request (x.5) that only a halving produces; 5.5 alone is
            # no proof: it is also the compiler's "<10", which two halves of a year may both have printed.
            if key not in mixed or any(_is_fraction(first.get(c)) and first.get(c).strip() != _SUPPRESSED_MIDPOINT
                                       for c in ("requests", "produced", "accounts")):
                pairs[first.number] = second
    return pairs


def _cell(doc: Document, row: Row, column: str, unit: Unit, annual: bool) -> CellValue:
    raw = row.get(column).strip()
    if annual and unit is not Unit.PERCENT and raw:
        half = parse_number_cell(raw)
        if half.value is None:
            raise ParseError(doc, f"row={row.number}: cannot double {raw!r}")
        v = 2 * half.value
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED,
                         f"annual figure {v:g} = 2 x {raw}: the compiler split it into two equal half-years")
    if unit is not Unit.PERCENT and raw == _SUPPRESSED_MIDPOINT:
        return CellValue(None, 1.0, 9.0, Status.SUPPRESSED, "printed 5.5: the compiler's stand-in for '<10'")
    if unit is not Unit.PERCENT and raw and _is_fraction(raw):
        raise ParseError(doc, f"row={row.number}: fractional count {raw!r} in {column}")
    return parse_number_cell(raw, percent=unit is Unit.PERCENT)


def parse(doc: Document) -> list[Fact]:
    _, body = table_rows(doc, read_rows(decode_text(doc)), LAYOUTS)
    rows = list(body)
    pairs = _halved_pairs(rows)
    seconds = {twin.number for twin in pairs.values()}
    header = {c.name: c.spellings[0] for c in FULL_DATA.columns}  # as printed in the file's header row
    facts: list[Fact] = []
    for row in rows:
        if row.number in seconds:
            continue
        provider = row.get("provider").strip()
        slug = REPORTED_COMPANIES.get(provider)
        if slug is None:
            raise UnknownLayout(doc, f"row={row.number}: service provider {provider!r} has no reviewed slug")
        start, end = _half(doc, row)
        twin = pairs.get(row.number)
        if twin is not None:
            start, end = dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
        extra = {"reported_company": slug, "reported_company_raw": provider, "secondary": "true"}
        for column, metric, unit in _METRICS:
            raw = row.get(column).strip()
            facts.append(figure(
                doc, period=(start, end), country_raw=row.get("country").strip(), request_type=RequestType.ALL,
                request_type_raw=header["requests"], metric=metric, unit=unit, kind=Kind.USER_DATA,
                raw=raw if twin is None else f"{raw} | {twin.get(column).strip()}",
                cell=_cell(doc, row, column, unit, twin is not None),
                locator=Locator(row=row.number, column=header[column]),
                note=SECONDARY_NOTE + (f"; rows {row.number} and {twin.number} (first and second half) recombined"
                                       if twin is not None else ""),
                extra=extra,
            ))
    return facts


__all__ = ["LAYOUTS", "REPORTED_COMPANIES", "SERIES", "parse"]
