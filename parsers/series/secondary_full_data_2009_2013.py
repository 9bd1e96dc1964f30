"""A SECONDARY source: a dataset hand-compiled in 2014 from 19 companies' reports of 2009-2013 (CSV).

Used to cross-check our own parsed facts, never as a company's own publication: every fact's company is the
compiler ("silk-transparency-db"), the company whose report it copied is `extra["reported_company"]`.
Two lossy steps of the compiler are undone or marked, never passed on as exact half-year counts:
- "<10" was written as 5.5 (a midpoint). Read back as the interval 1..9, status suppressed.
- Annual reports were split into two equal half-years (Microsoft 2012, Verizon 2013, ...: identical first- and
  second-half rows, odd counts becoming x.5). Such a pair is read back as ONE annual figure, 2 x the printed
  half, with both printed cells in raw_text and the step said in the note (the hook `_recombined`: it works
  across rows, which no declaration can say).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace

from parsers.facts import Document, Fact, ParseError, RequestType, Status, Unit
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.table import Table, csv_tables
from parsers.formats.tabular import header_key
from parsers.normalise.periods import half_year
from parsers.normalise.values import CellValue, parse_number_cell

SERIES = (("silk-transparency-db", "full-data-2009-2013"),)

# The compiler's provider names -> the company slugs of our registry (Facebook's reports are Meta's series,
# Twitter's are X's), so that a cross-check compares like with like.
REPORTED_COMPANIES = {
    "Google": "google", "Microsoft": "microsoft", "Facebook": "meta", "Twitter": "x", "Yahoo": "yahoo",
    "LinkedIn": "linkedin", "Apple": "apple", "Tumblr": "tumblr", "Verizon": "verizon", "LeaseWeb": "leaseweb",
    "Wordpress": "automattic", "Sonic.net": "sonic-net", "Dropbox": "dropbox", "CREDO": "credo",
    "CloudFlare": "cloudflare", "AT&T": "att", "Comcast": "comcast", "Pinterest": "pinterest", "Telstra": "telstra",
}
SECONDARY_NOTE = "secondary compilation (hand-compiled in 2014 from the company's reports), not the company's own"
SUPPRESSED_MIDPOINT = "5.5"
REQUESTS = "User Data Requests"
_PERIOD = re.compile(r"^(?P<y>\d{4}) \((?P<h>1st|2nd) half\)$")


def _count(raw: str) -> CellValue | None:
    """The compiler's 5.5 stands for '<10': the interval 1..9, suppressed (every other cell as printed)."""
    if raw.strip() == SUPPRESSED_MIDPOINT:
        return CellValue(None, 1.0, 9.0, Status.SUPPRESSED, "printed 5.5: the compiler's stand-in for '<10'")
    return None


def _half(doc: Document, row: Row) -> Period:
    m = _PERIOD.match(row.get("period").strip())
    if not m or m["y"] != row.get("year").strip():
        raise ParseError(doc, f"row={row.number}: period {row.get('period')!r} / year {row.get('year')!r}")
    return half_year(int(m["y"]), 1 if m["h"] == "1st" else 2)


def _measure(header: str, metric: str, unit: Unit) -> Measure:
    return Measure(header, metric, unit, RequestType.ALL, REQUESTS, note=SECONDARY_NOTE,
                   reader=None if unit is Unit.PERCENT else _count)


FULL_DATA = KnownTable("full-data-2009-2013", (
    Key("id", "ID"), Key("provider", "Service Provider", "request_type", extra="reported_company_raw", values={
        name: As(RequestType.ALL, extra={"reported_company": slug}) for name, slug in REPORTED_COMPANIES.items()}),
    Key("year", "Year", "period"), Key("period", "Period", "period"),
    Key("country", "Country", "country", ("Country/Region",))), (  # the alias: the rename Google made in 2019
    _measure(REQUESTS, "requests", Unit.REQUESTS),
    _measure("Number of Requests where some data was disclosed (content or non content)",
             "requests_some_data_produced", Unit.REQUESTS),
    _measure("Percentage of Requests where some data was disclosed (content or non content)",
             "percent_some_data_produced", Unit.PERCENT),
    _measure("Users/Accounts Specified", "accounts_specified", Unit.ACCOUNTS)),
    period=_half, extra={"secondary": "true"}, required=True, description="one row per provider, half-year and country")
LAYOUTS = layouts((FULL_DATA,))
FIGURES = tuple(m.header for m in FULL_DATA.measures)


def read(doc: Document) -> Reading:
    tables = csv_tables(doc)
    reading = interpret(doc, (FULL_DATA,), tables)
    return Reading(_recombined(doc, tables[0], reading.facts), reading.findings)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))


def _rows(table: Table) -> dict[int, dict[str, str]]:
    names = FULL_DATA.spellings()
    columns = {i: names[k] for i, h in enumerate(table.header) if (k := header_key(h)) in names}
    return {n: {columns[i]: c.text.strip() for i, c in enumerate(row) if i in columns}
            for n, row in zip(table.numbers, table.rows, strict=True)}


def _is_fraction(raw: str) -> bool:
    value = parse_number_cell(raw).value if raw.strip() else None
    return value is not None and value != int(value)


def _halved_pairs(rows: dict[int, dict[str, str]]) -> dict[int, int]:
    """First-half row number -> its second-half twin, for annual figures the compiler split in two."""
    by_key: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for n, row in rows.items():
        by_key[(row["provider"], row["year"], row["country"])][row["period"]] = n
    twins: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    mixed: set[tuple[str, str]] = set()
    for (provider, year, _), halves in by_key.items():
        first, second = halves.get(f"{year} (1st half)"), halves.get(f"{year} (2nd half)")
        if first is None or second is None or [rows[first][c] for c in FIGURES] != [rows[second][c] for c in FIGURES]:
            mixed.add((provider, year))
        else:
            twins[(provider, year)].append((first, second))
    # Whole provider-year identical, or a half-request (x.5) that only a halving produces; 5.5 alone is no
    # proof: it is also the compiler's "<10", which two halves of a year may both have printed.
    return {first: second for key, found in twins.items() for first, second in found
            if key not in mixed or any(_is_fraction(rows[first][c]) and rows[first][c] != SUPPRESSED_MIDPOINT
                                       for c in FIGURES if c != FIGURES[2])}


def _recombined(doc: Document, table: Table, facts: list[Fact]) -> list[Fact]:
    """A halved pair as one annual figure (2 x the half, both cells printed); a fractional count left is refused."""
    rows, names = _rows(table), FULL_DATA.spellings()
    pairs = _halved_pairs(rows)
    seconds = set(pairs.values())
    out = []
    for f in facts:
        n = f.locator.row or 0
        if n in seconds:
            continue
        if n not in pairs:
            if f.unit is not Unit.PERCENT and f.value is not None and f.value != int(f.value):
                raise ParseError(doc, f"row={n}: fractional count {f.raw_text!r} in {f.locator.column}")
            out.append(f)
            continue
        raw, twin = f.raw_text.strip(), rows[pairs[n]][names[header_key(f.locator.column or "")]]
        cell = parse_number_cell(raw, percent=f.unit is Unit.PERCENT)
        if f.unit is not Unit.PERCENT and raw:
            if cell.value is None:
                raise ParseError(doc, f"row={n}: cannot double {raw!r}")
            v = 2 * cell.value
            cell = CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED,
                             f"annual figure {v:g} = 2 x {raw}: the compiler split it into two equal half-years")
        note = f"{SECONDARY_NOTE}; rows {n} and {pairs[n]} (first and second half) recombined"
        out.append(replace(f, period_start=dt.date(f.period_start.year, 1, 1),
                           period_end=dt.date(f.period_start.year, 12, 31), raw_text=f"{raw} | {twin}",
                           value=cell.value, value_low=cell.low, value_high=cell.high, status=cell.status,
                           note="; ".join(x for x in (cell.note, note) if x)))
    return out
