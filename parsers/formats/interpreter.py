"""One interpreter for every format: a series' declarations plus the `Table`s of a document give facts and findings.

Drift is handled at the grain of a table, never of a release:
- a table no declaration claims (a new ZIP member, sheet, PDF or HTML table) is quarantined: nothing loads from it,
  a finding records where it is, its header as printed and its row count; the rest loads;
- a new column whose values read as figures is quarantined (a finding), the known columns load;
- a missing key column, a new column of text (a new key: it may split a country into several rows), keys that are
  no longer unique, or a value of a closed key column nobody declared: the table's grain changed, it is refused;
- a renamed header that matches a declared alias is not drift;
- a table the series declares `required` that is missing or refused refuses the whole document.
A quarantined or refused table loads nothing: a number is either read as declared or not read at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parsers.facts import Document, Fact, Locator, ParseError, RequestType, Status, UnknownLayout
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure, Period, PeriodRule
from parsers.formats.figures import figure
from parsers.formats.table import Table, TableCell
from parsers.formats.tabular import Column, Layout, header_key
from parsers.normalise.countries import country_iso2
from parsers.normalise.periods import half_year, half_year_ending, parse_date, parse_half
from parsers.normalise.values import CellValue, UnreadableCell, band, parse_number_cell

QUARANTINED, REFUSED = "quarantined", "refused"
# Said about a document without leaving any of it unread (a change of format, a printed total that is not the sum
# of its parts): the finding is recorded, the document is not partial for it.
NOTED = "noted"
# The one kind of finding a document may have with no facts at all: its figures exist, but only as images that
# could not be read and checked. Such a document is partial, never "found no figures".
FIGURES_ONLY_AS_IMAGES = "figures_only_as_images"
PAST = ", past the header's last column"


@dataclass(frozen=True)
class Finding:
    """What was not read, where, and why. `outcome` says what happened to that part: quarantined or refused."""

    kind: str  # unknown_table | new_measure_column | new_key_column | missing_key_column | duplicate_column |
    #            unknown_key_value | grain_changed | unnamed_column | required_table
    table: str  # the table's locator, rendered (member/sheet/page/table)
    header: tuple[str, ...]  # the header as printed
    rows: int
    message: str
    outcome: str = QUARANTINED
    column: str = ""


@dataclass
class Reading:
    """A parse result: the facts read and the findings about what was not. `status` is loaded or partial."""

    facts: list[Fact]
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "partial" if any(f.outcome != NOTED for f in self.findings) else "loaded"


@dataclass
class Row:
    """One data row, its cells found by canonical column name (key name or measure header)."""

    number: int
    cells: list[TableCell]
    positions: dict[str, int]
    table: Table

    def cell(self, name: str) -> TableCell | None:
        i = self.positions.get(name)
        return None if i is None or i >= len(self.cells) else self.cells[i]

    def get(self, name: str) -> str:
        c = self.cell(name)
        return "" if c is None else c.text

    def has(self, name: str) -> bool:
        return name in self.positions


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def interpret(doc: Document, known: Sequence[KnownTable], tables: Iterable[Table], *,
              period: PeriodRule | None = None) -> Reading:
    """Facts from every table a declaration claims; a finding for every part not read (see module docstring)."""
    reading = Reading([])
    read: set[str] = set()
    refused: dict[str, Finding] = {}
    for table in tables:
        where = table.where.render() or "the table"
        claimants = [k for k in known if k.claims(table.place)]
        kt, positions = _best(claimants, table)
        if kt is None:
            what = f"{table.unclaimed}, a table" if table.unclaimed else "a table"
            reading.findings.append(_finding(table, "unknown_table", f"{where}: {what} this parser does not know "
                                             f"(header {table.header!r}, {len(table.rows)} rows): quarantined"))
            continue
        try:
            facts, findings = _read(doc, kt, table, positions, period)
        except _Refused as e:
            reading.findings.append(e.finding)
            refused[kt.role] = e.finding
            continue
        read.add(kt.role)
        reading.facts += facts
        reading.findings += findings
    for kt in known:
        if kt.required and kt.role not in read:
            why = refused[kt.role].message if kt.role in refused else "not in the document"
            raise UnknownLayout(doc, f"the {kt.role!r} table, which this series cannot do without, was not read "
                                     f"({why}): the document is refused")
    return reading


def strict(doc: Document, reading: Reading) -> list[Fact]:
    """The old contract of `parse`: any finding refuses the document, naming what differs."""
    if reading.findings:
        raise UnknownLayout(doc, "; ".join(f.message for f in reading.findings))
    return reading.facts


def _finding(table: Table, kind: str, message: str, outcome: str = QUARANTINED, column: str = "") -> Finding:
    return Finding(kind, table.where.render(), tuple(table.header), len(table.rows), message, outcome, column)


def _refuse(table: Table, kind: str, message: str, column: str = "") -> _Refused:
    return _Refused(_finding(table, kind, message + ": the table is refused", REFUSED, column))


def _best(claimants: Sequence[KnownTable], table: Table) -> tuple[KnownTable | None, dict[int, str]]:
    """The claimant whose columns match most of the header (ties: the one with all its keys); None if none match."""
    best: tuple[tuple[int, bool], KnownTable, dict[int, str]] | None = None
    for kt in claimants:
        spellings = kt.spellings()
        found = {i: spellings[k] for i, h in enumerate(table.header) if (k := header_key(h)) in spellings}
        score = (len(found), all(k.name in found.values() for k in kt.keys))
        if found and (best is None or score > best[0]):
            best = (score, kt, found)
    return (None, {}) if best is None else (best[1], best[2])


def _figure_like(cell: TableCell) -> bool:
    if cell.typed:
        return cell.value is None or (isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool))
    try:
        parse_number_cell(cell.text)
    except UnreadableCell:
        return False
    return True


def _read(doc: Document, kt: KnownTable, table: Table, found: dict[int, str], period: PeriodRule | None) -> tuple[
    list[Fact], list[Finding]
]:
    where = table.where.render() or "the table"
    positions: dict[str, int] = {}
    for i, name in found.items():
        if name in positions:
            raise _refuse(table, "duplicate_column", f"{where}: column {table.header[i]!r} appears twice")
        positions[name] = i
    missing = [k.header for k in kt.keys if k.name not in positions]
    if missing:
        raise _refuse(table, "missing_key_column", f"{where}: key column {missing[0]!r} is missing", missing[0])
    findings: list[Finding] = []
    unknown = [i for i in range(len(table.header)) if i not in found
               and (table.header[i].strip() or any(not c.blank for c in table.column(i)))]
    for i in unknown:
        h = table.header[i]
        label = repr(h) if h.strip() else f"without a header (position {i + 1}{PAST * (i >= table.width > 0)})"
        if not all(_figure_like(c) for c in table.column(i)):
            raise _refuse(table, "new_key_column", f"{where}: unknown column {label} holds text, not figures (a new "
                                                   "key may split the rows)", h)
        kind = "new_measure_column" if h.strip() else "unnamed_column"
        findings.append(_finding(table, kind, f"{where}: unknown column {label} (figures): quarantined, the known "
                                              "columns load", column=h))
    if unknown:
        seen: set[tuple[str, ...]] = set()
        for r in table.rows:
            key = tuple(r[positions[k.name]].text.strip() for k in kt.keys if positions[k.name] < len(r))
            if key in seen:
                raise _refuse(table, "grain_changed", f"{where}: rows are no longer one per key {key!r} beside the "
                                                      "new columns")
            seen.add(key)
    rule = kt.period or period
    facts: list[Fact] = []
    if not kt.facts:
        return facts, findings
    plan = _Plan.of(kt, table, positions)
    for number, cells in zip(table.numbers, table.rows, strict=True):
        facts += _row_facts(doc, kt, plan, table, Row(number, cells, positions, table), rule)
    return facts, findings


def _closed(doc: Document, table: Table, row: Row, kt: KnownTable) -> tuple[As | None, str]:
    """The row's request type (from a closed key column) and its label."""
    hits: list[As] = []
    label = ""
    for k in kt.keys:
        if k.values is None and not k.label:
            continue
        value = " ".join(row.get(k.name).split())
        if k.values is not None:
            hit = _vocabulary(k).get(_value_key(value))
            if hit is None:
                loc = row.cell(k.name).locator.render()  # type: ignore[union-attr]
                raise _refuse(table, "unknown_key_value", f"{loc}: unknown {k.what or k.header} {value!r} "
                                                          f"(known: {', '.join(k.values)})", k.header)
            hits.append(hit)
        if (k.values is not None or k.label) and not label:
            label = value
    if len(hits) < 2:
        return (hits[0] if hits else None), label
    ids = tuple(map(id, hits))
    if ids not in _COMBINED:  # the declarations live as long as the process: their ids are stable
        _COMBINED[ids] = (hits, _combine(hits))
    return _COMBINED[ids][1], label


_COMBINED: dict[tuple[int, ...], tuple[list[As], As]] = {}


def _combine(hits: list[As]) -> As:
    """Several closed keys on one row: each says what it knows (the last naming a field wins)."""
    def pick(name: str) -> Any:
        return next((getattr(h, name) for h in reversed(hits) if getattr(h, name)), None)
    return As(pick("request_type"), all(h.counts_toward_total for h in hits), any(h.is_total for h in hits),
              pick("measure"), pick("kind"), pick("country_code") or "")


@functools.lru_cache(maxsize=65536)
def _value_key(text: str) -> str:
    return header_key(text)


def _vocabulary(k: Key) -> dict[str, As]:
    """A closed key's values by `header_key` (worked out once per declaration; the first spelling wins)."""
    cached: dict[str, As] | None = k.__dict__.get("_vocabulary")
    if cached is None:
        cached = {}
        for name, v in (k.values or {}).items():
            cached.setdefault(header_key(name), v)
        object.__setattr__(k, "_vocabulary", cached)
    return cached


@dataclass
class _Plan:
    """What is the same for every row of one table: worked out once, not per cell."""

    role: dict[str, str]
    total_key: Key | None
    total_labels: set[str]
    filled: list[Key]
    fixes: dict[str, list[Correction]]  # measure header -> the corrections that may pick its cells
    type_labels: dict[str, str]  # measure header -> its request type label when the row gives none

    @classmethod
    def of(cls, kt: KnownTable, table: Table, positions: dict[str, int]) -> _Plan:
        role = {k.role: k.name for k in kt.keys}
        measures = [*kt.measures, *(a.measure for k in kt.keys for a in (k.values or {}).values() if a.measure)]
        return cls(role, next((k for k in kt.keys if k.name == (kt.total_key or role.get("country"))), None),
                   {t.casefold() for t in kt.total_labels}, [k for k in kt.keys if k.filled],
                   {m.header: [c for c in kt.corrections if not c.columns or m.header in c.columns] for m in measures},
                   {m.header: m.request_type_raw or (" ".join(table.header[positions[m.header]].split())
                                                     if kt.printed_type_label and m.header in positions else m.header)
                    for m in measures})


def _row_facts(doc: Document, kt: KnownTable, plan: _Plan, table: Table, row: Row, rule: PeriodRule | None) -> list[
    Fact
]:
    if rule is None:
        raise ParseError(doc, f"{kt.name}: no period rule declared")
    period = rule(doc, row)
    dated = period[2] if len(period) > 2 else ""  # a rule that says how it dated the row (declarations.Dated)
    period = period[:2]
    role = plan.role
    country = row.get(role["country"]).strip() if "country" in role else (
        table.title if kt.title_is_country else kt.country)
    code = row.get(role["country_code"]).strip() if "country_code" in role else kt.country_code
    if kt.check is not None:
        kt.check(doc, row)
    for k in plan.filled:
        if not row.get(k.name).strip():
            raise ParseError(doc, f"{table.where.render() or 'the table'}: row {row.number} has figures but no "
                                  f"{k.name}")
    as_, label = _closed(doc, table, row, kt)
    total_key = plan.total_key
    is_total_row = bool(plan.total_labels) and total_key is not None and (
        " ".join(row.get(total_key.name).split()).casefold() in plan.total_labels)
    extra = {**kt.extra, **{k.extra: v for k in kt.keys if k.extra and (
        (v := " ".join(row.get(k.name).split())) or not k.omit_blank)}}
    if is_total_row and kt.total_is_no_country:  # a company-wide row: its label names no country or project
        country = ""
        if total_key is not None and total_key.role == "dimension":
            extra.pop(total_key.extra, None)
    if kt.title_extra and table.title:
        extra[kt.title_extra] = table.title
    hint = country_hint(country, code or (as_.country_code if as_ else ""))
    measures: Sequence[Measure] = (as_.measure,) if as_ is not None and as_.measure is not None else kt.measures
    kind = as_.kind if as_ else None
    facts = []
    for m in measures:
        cell = row.cell(m.header)
        if cell is None:
            continue
        rtype: RequestType | None = m.request_type or (as_.request_type if as_ else None)
        if rtype is None:
            raise ParseError(doc, f"{cell.locator.render()}: no request type for column {cell.locator.column!r}")
        counts = m.counts_toward_total and (as_.counts_toward_total if as_ else True)
        # The first correction that picks a cell replaces its reading (a reviewed exception, its reason noted).
        fixes = plan.fixes[m.header]
        fix = next((c for c in fixes if c.when(row, m.header)), None) if fixes else None
        raw, locator, value, notes = _cell(doc, m, row, cell, read=fix is None or fix.cell is None)
        if fix is not None:
            if fix.check is not None and not fix.check(row, m.header):
                raise ParseError(doc, f"{locator.render()}: {raw!r} where the correction ({fix.reason}) expects "
                                      "otherwise: the correction no longer holds")
            value = fix.cell or value
            counts = counts if fix.counts_toward_total is None else fix.counts_toward_total
            notes.append(fix.reason)
        facts.append(figure(
            doc, period=period, country_raw=country, country_code_hint=hint, request_type=rtype,
            request_type_raw=m.request_type_raw or label or plan.type_labels[m.header], metric=m.metric,
            unit=m.unit, raw=raw, locator=locator, kind=kind or m.kind,
            is_total=m.is_total or is_total_row or bool(as_ and as_.is_total), counts_toward_total=counts,
            cell=value, note="; ".join(n for n in (dated, *notes) if n), extra={**extra, **m.extra} if m.extra else extra,
        ))
    return facts


def _cell(doc: Document, m: Measure, row: Row, cell: TableCell, read: bool = True) -> tuple[
    object, Locator, CellValue | None, list[str]
]:
    """(raw as printed, locator, reading if not the plain one, notes) of one figure cell."""
    notes = [m.note, cell.note]
    if cell.refused:
        raise ParseError(doc, f"{cell.locator.render()}: {cell.refused}")
    if m.high:
        high = row.cell(m.high)
        if high is None:
            raise ParseError(doc, f"{cell.locator.render()}: the band's high column {m.high!r} is missing")
        locator = Locator(member=cell.locator.member, sheet=cell.locator.sheet, table=cell.locator.table,
                          row=cell.locator.row, column=f"{cell.locator.column} | {high.locator.column}")
        try:
            return f"{cell.text} | {high.text}", locator, band(cell.text, high.text), notes
        except UnreadableCell as e:
            raise ParseError(doc, f"{locator.render()}: {e}") from e
    value: CellValue | None = None
    if m.reader is not None and read:
        value = m.reader(cell.text)
    elif m.fraction and read:
        try:
            value, how = fraction(cell)
        except UnreadableCell as e:
            raise ParseError(doc, f"{cell.locator.render()}: {e}") from e
        notes.append(how)
    return cell.raw, cell.locator, value, notes


def fraction(cell: TableCell) -> tuple[CellValue | None, str]:
    """A percentage published as a fraction of 1 (0.76 for 76%), on the 0-100 scale, exactly; other cells as read."""
    from decimal import Decimal, InvalidOperation

    raw = cell.raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return None, ""
    if cell.typed and isinstance(raw, (int, float)):  # a stored binary fraction: rounded, as a spreadsheet shows it
        if not 0 <= raw <= 1:
            raise UnreadableCell(f"percentage cell {raw!r} is not a fraction of 1")
        v = round(float(raw) * 100, 10)
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED), (
            f"stored as the fraction {raw!r}; shown on the 0-100 scale")
    read = parse_number_cell(raw)
    if read.value is None:
        return read, ""
    try:
        v = float(Decimal(str(raw).strip()) * 100)
    except InvalidOperation as e:
        raise UnreadableCell(f"cannot read {raw!r} as a fraction") from e
    if not 0 <= v <= 100:
        raise UnreadableCell(f"percentage cell {raw!r} is not a fraction of 1")
    return CellValue(v, v, v, read.status), f"published as the fraction {str(raw).strip()}; kept as {v:g}%"


def country_hint(label: str, code: str = "") -> str | None:
    """The ISO code for a printed label, reading past footnote marks ('China**'); a printed code wins ties."""
    bare = re.sub(r"[*†‡]+$", "", label).strip()
    return country_iso2(bare, code or None) if (bare or code) else None


def layouts(known: Sequence[KnownTable]) -> tuple[Layout, ...]:
    """The declarations as `Layout`s (name and columns), for the docs and older callers."""
    return tuple(Layout(k.name, tuple(Column(name, tuple(s for s, n in k.headers().items() if n == name))
                                      for name in dict.fromkeys(k.headers().values())), k.description)
                 for k in known)


# --- period rules: (document, row) -> (first day, last day) ----------------------------------------------------

def _rule(read: Callable[[Document, Row], Period]) -> PeriodRule:
    def rule(doc: Document, row: Row) -> Period:
        try:
            return read(doc, row)
        except ValueError as e:
            raise ParseError(doc, f"{row.table.where.render() or 'row'};row={row.number}: {e}") from e
    return rule


def calendar_year_in(column: str) -> PeriodRule:
    """A year printed alone ('2021') in `column`: the calendar year."""
    def read(doc: Document, row: Row) -> Period:
        text = row.get(column)
        if not re.fullmatch(r"\s*(19|20)\d\d\s*", text):
            raise ValueError(f"{text!r} is not a year")
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    return _rule(read)


def half_year_ending_in(column: str) -> PeriodRule:
    """The half-year ending on the date printed in `column`."""
    return _rule(lambda doc, row: half_year_ending(row.get(column)))


def half_in(column: str) -> PeriodRule:
    """A half-year printed as '2013 H1'."""
    return _rule(lambda doc, row: parse_half(row.get(column)))


def half_year_starting_in(column: str) -> PeriodRule:
    """The half-year beginning on the date printed in `column` (1 January or 1 July)."""
    def read(doc: Document, row: Row) -> Period:
        start = parse_date(row.get(column))
        if (start.month, start.day) not in ((1, 1), (7, 1)):
            raise ValueError(f"period start {row.get(column)!r} does not begin a half-year")
        return half_year(start.year, 1 if start.month == 1 else 2)
    return _rule(read)


def half_year_in_url(pattern: str) -> PeriodRule:
    """The half-year named in the document's URL: `pattern` has groups y (year) and h (1 or 2)."""
    def rule(doc: Document, row: Row) -> Period:
        m = re.search(pattern, doc.url.split("?")[0], re.IGNORECASE)
        if m is None:
            raise ParseError(doc, "no half-year in the file name (expected e.g. YYYY_Hn): the file prints no period")
        return half_year(int(m["y"]), int(m["h"]))
    return rule
