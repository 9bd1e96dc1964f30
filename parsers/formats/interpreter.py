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
from parsers.normalise.periods import half_year, half_year_ending, month_end, parse_date, parse_half
from parsers.normalise.values import CellValue, UnreadableCell, band, parse_number_cell

QUARANTINED, REFUSED = "quarantined", "refused"
# Said about a document without leaving any of it unread (a change of format, a printed total that is not the sum
# of its parts): the finding is recorded, the document is not partial for it.
NOTED = "noted"
# The one kind of finding a document may have with no facts at all: its figures exist, but only as images that
# could not be read and checked. Such a document is partial, never "found no figures".
FIGURES_ONLY_AS_IMAGES = "figures_only_as_images"
# A table the series recognises and declares it does not read (out of its scope, e.g. the DSA template's tables that
# are not about government demands): quarantined and said, but no drift, so `strict` does not refuse for it.
SET_ASIDE = "set_aside"
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


class _NewRow(Exception):
    """A row nobody declared, in a table that quarantines such rows (`KnownTable.new_rows_quarantined`)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


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
    claimed: list[tuple[Table, KnownTable, dict[int, str]]] = []
    for table in tables:
        where = table.where.render() or "the table"
        claimants = [k for k in known if k.claims(table.place)]
        if any(k.by_place for k in claimants):  # declared as holding nothing this series reads
            read.update(k.role for k in claimants if k.by_place)
            continue
        kt, positions = _best(claimants, table)
        if kt is None:
            what = f"{table.unclaimed}, a table" if table.unclaimed else "a table"
            title = f" ({table.title})" if table.title and not table.place else ""
            reading.findings.append(_finding(table, "unknown_table", f"{where}: {what} this parser does not know"
                                             f"{title} (header {table.header!r}, {len(table.rows)} rows): quarantined"))
            continue
        claimed.append((table, kt, positions))
    for table, kt, positions in _once(claimed, reading, refused):
        try:
            if table.refused:
                raise _refuse(table, "grain_changed", f"{table.where.render() or 'the table'}: {table.refused}")
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
            unknown = [f.message for f in reading.findings if f.kind == "unknown_table"]
            why = refused[kt.role].message if kt.role in refused else "not in the document" + (
                f"; tables not known: {'; '.join(unknown)}" if unknown else "")
            raise UnknownLayout(doc, f"the {kt.role!r} table, which this series cannot do without, was not read "
                                     f"({why}): the document is refused")
    return reading


def _printed(table: Table) -> tuple[tuple[str, ...], ...]:
    return (tuple(table.header), *(tuple(c.text for c in row) for row in table.rows))


def _once(claimed: list[tuple[Table, KnownTable, dict[int, str]]], reading: Reading,
          refused: dict[str, Finding]) -> list[tuple[Table, KnownTable, dict[int, str]]]:
    """A table declared `once` and printed more than once: identical copies are read once (noted); copies that
    differ are ambiguous (which one is the report's?): none of them is read, a finding names every place."""
    copies: dict[str, list[Table]] = {}
    for table, kt, _ in claimed:
        if kt.once:
            copies.setdefault(kt.name, []).append(table)
    skip: set[int] = set()
    for name, tables in copies.items():
        if len(tables) < 2:
            continue
        places = ", ".join(t.where.render() or "the table" for t in tables)
        first = tables[0]
        if all(_printed(t) == _printed(first) for t in tables[1:]):
            skip.update(id(t) for t in tables[1:])
            reading.findings.append(_finding(first, "duplicate_table", f"the {name!r} table is printed {len(tables)} "
                                             f"times, identically ({places}): read once, from the first", NOTED))
            continue
        skip.update(id(t) for t in tables)
        finding = _finding(first, "ambiguous_table", f"the {name!r} table, printed once in the layout this parser "
                           f"knows, appears {len(tables)} times with different figures ({places}): which one is the "
                           "report's is not known, so none is read: the table is refused", REFUSED)
        reading.findings.append(finding)
        refused[next(kt.role for t, kt, _ in claimed if t is first)] = finding
    return [c for c in claimed if id(c[0]) not in skip]


def strict(doc: Document, reading: Reading) -> list[Fact]:
    """The old contract of `parse`: any finding refuses the document, naming what differs (declared set-asides
    differ from nothing)."""
    drift = [f for f in reading.findings if f.kind != SET_ASIDE]
    if drift:
        raise UnknownLayout(doc, "; ".join(f.message for f in drift))
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
    if kt.closed:  # a template fixed by law: every declared figure column, nothing else
        odd = next((h for i, h in enumerate(table.header) if i not in found and h.strip()), None)
        if odd is not None:
            raise _refuse(table, "new_measure_column", f"{where}: {kt.name}: unknown column {odd!r}", odd)
        gone = next((m.header for m in kt.measures if m.header not in positions), None)
        if gone is not None:
            raise _refuse(table, "missing_measure_column", f"{where}: {kt.name}: missing column {gone!r}", gone)
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
        try:
            facts += _row_facts(doc, kt, plan, table, Row(number, cells, positions, table), rule)
        except _NewRow as e:
            findings.append(e.finding)
    return facts, findings


def _value(row: Row, k: Key) -> str:
    """A key's value as printed, blank when it prints one of the key's `omit` values ('NA')."""
    value = " ".join(row.get(k.name).split())
    return "" if k.omit and value in k.omit else value


def _closed(doc: Document, table: Table, row: Row, kt: KnownTable) -> tuple[As | None, str]:
    """The row's request type (from a closed key column) and its label."""
    hits: list[As] = []
    label = ""
    for k in kt.keys:
        if k.values is None and not k.label:
            continue
        value = _value(row, k)
        if k.values is not None:
            hit = (next((v for name, v in k.values.items() if re.fullmatch(name, value)), None) if k.patterns
                   else _vocabulary(k).get(_value_key(value)))
            if hit is None:
                loc = row.cell(k.name).locator.render()  # type: ignore[union-attr]
                if kt.new_rows_quarantined:
                    raise _NewRow(_finding(table, "new_row", f"{loc}: {value!r} is not a declared row ({k.header} "
                                           f"{value!r} not declared): quarantined, the rest of the table loads",
                                           column=k.header))
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
    return As(request_type=pick("request_type"), counts_toward_total=all(h.counts_toward_total for h in hits),
              is_total=any(h.is_total for h in hits), measure=pick("measure"), kind=pick("kind"),
              measures=pick("measures"), extra={k: v for h in hits for k, v in h.extra.items()},
              country_code=pick("country_code") or "")


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


def _country_spelling(kt: KnownTable, plan: _Plan, table: Table, row: Row, country: str) -> tuple[str, str]:
    """(ISO code, why) of a declared odd spelling; a row that must name a known country and does not is new."""
    key = next((k for k in kt.keys if k.role == "country"), None)
    if key is None or not (key.known_countries or key.spellings):
        return "", ""
    if country in key.spellings:
        return key.spellings[country]
    if key.known_countries and country.casefold() not in plan.total_labels and country_hint(country) is None:
        loc = row.cell(key.name).locator.render()  # type: ignore[union-attr]
        totals = " / ".join(kt.total_labels) or "a total"
        what = f"{loc}: row {country!r} is neither {totals} nor a known country"
        if kt.new_rows_quarantined:
            raise _NewRow(_finding(table, "new_row", f"{what}: quarantined, the rest of the table loads",
                                   column=key.header))
        raise _refuse(table, "unknown_key_value", what, key.header)
    return "", ""


@dataclass
class _Plan:
    """What is the same for every row of one table: worked out once, not per cell."""

    role: dict[str, str]
    total_key: Key | None
    total_labels: set[str]
    total_keys: list[str]
    filled: list[Key]
    fixes: dict[str, list[Correction]]  # measure header -> the corrections that may pick its cells
    type_labels: dict[str, str]  # measure header -> its request type label when the row gives none

    @classmethod
    def of(cls, kt: KnownTable, table: Table, positions: dict[str, int]) -> _Plan:
        role = {k.role: k.name for k in kt.keys}
        measures = [*kt.measures, *(a.measure for k in kt.keys for a in (k.values or {}).values() if a.measure),
                    *(m for k in kt.keys for a in (k.values or {}).values() for m in a.measures or ())]
        return cls(role, next((k for k in kt.keys if k.name == (kt.total_key or role.get("country"))), None),
                   {t.casefold() for t in kt.total_labels}, list(kt.total_keys), [k for k in kt.keys if k.filled],
                   {m.header: [c for c in kt.corrections if not c.columns or m.header in c.columns] for m in measures},
                   {m.header: m.request_type_raw or (" ".join(table.header[positions[m.header]].split())
                                                     if kt.printed_type_label and m.header in positions else m.header)
                    for m in measures})


def _row_facts(doc: Document, kt: KnownTable, plan: _Plan, table: Table, row: Row, rule: PeriodRule | None) -> list[
    Fact
]:
    if rule is None:
        raise ParseError(doc, f"{kt.name}: no period rule declared")
    as_, label = _closed(doc, table, row, kt)  # first: a row nobody declared is not read at all
    role = plan.role
    country = row.get(role["country"]).strip() if "country" in role else (
        table.title if kt.title_is_country else kt.country)
    code = row.get(role["country_code"]).strip() if "country_code" in role else kt.country_code
    spelling = _country_spelling(kt, plan, table, row, country)
    code = spelling[0] or code
    if kt.select is not None and not kt.select(row):
        return []
    period = rule(doc, row)
    dated = period[2] if len(period) > 2 else ""  # a rule that says how it dated the row (declarations.Dated)
    period = period[:2]
    if kt.check is not None:
        kt.check(doc, row)
    total_key = plan.total_key
    is_total_row = bool(plan.total_labels) and total_key is not None and (
        " ".join(row.get(total_key.name).split()).casefold() in plan.total_labels) or any(
        " ".join(row.get(k).split()).casefold() in plan.total_labels for k in plan.total_keys)
    for k in plan.filled:  # a total row marked in another column may leave it blank (a company-wide figure)
        if not row.get(k.name).strip() and not (is_total_row and total_key is not k):
            raise ParseError(doc, f"{table.where.render() or 'the table'}: row {row.number} has figures but no "
                                  f"{k.name}")
    extra = {**kt.extra, **{k.extra: v for k in kt.keys if k.extra
                            and ((v := _value(row, k)) or not (k.omit or k.omit_blank))},
             **(as_.extra if as_ else {})}
    if is_total_row and kt.total_is_no_country:  # a company-wide row: its label names no country or project
        country = ""
        if total_key is not None and total_key.role == "dimension":
            extra.pop(total_key.extra, None)
    if kt.title_extra and table.title:
        extra[kt.title_extra] = table.title
    hint = kt.country_aliases.get(country) or country_hint(country, code or (as_.country_code if as_ else ""))
    measures: Sequence[Measure] = kt.measures
    if as_ is not None and (as_.measure is not None or as_.measures is not None):
        measures = (as_.measure,) if as_.measure is not None else as_.measures or ()
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
        context = row.get(m.context).strip() if m.context else ""
        notes += [kt.blank_note if cell.blank else "", f"the filing's context: {context}" if context else ""]
        if fix is not None:
            if fix.check is not None and not fix.check(row, m.header):
                raise ParseError(doc, f"{locator.render()}: {raw!r} where the correction ({fix.reason}) expects "
                                      "otherwise: the correction no longer holds")
            value = fix.cell or value
            counts = counts if fix.counts_toward_total is None else fix.counts_toward_total
            notes.append(fix.reason)
        notes.append(spelling[1])
        fact = figure(
            doc, period=period, country_raw=country, country_code_hint=hint, request_type=rtype,
            request_type_raw=m.request_type_raw or label or plan.type_labels[m.header], metric=m.metric,
            unit=m.unit, raw=raw, locator=locator, kind=kind or m.kind,
            is_total=m.is_total or is_total_row or bool(as_ and as_.is_total), counts_toward_total=counts,
            cell=value, note="; ".join(n for n in (dated, *notes) if n),
            extra={**extra, **m.extra} if m.extra else extra,
        )
        if m.bounds and fact.value_high is not None and not (
                m.bounds[0] <= (fact.value_low or 0) <= fact.value_high <= m.bounds[1]):
            raise ParseError(doc, f"{locator.render()}: {raw!r} outside {m.bounds[0]:g}-{m.bounds[1]:g}")
        facts.append(fact)
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
        try:
            value = m.reader(cell.text)
        except UnreadableCell as e:
            raise ParseError(doc, f"{cell.locator.render()}: {e}") from e
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


def month_code_in(column: str) -> PeriodRule:
    """A span printed as a code of months and two-digit years ('jul12jun13', 'janjun16'): its first to last day."""
    months = {"jan": 1, "jun": 6, "jul": 7, "dec": 12}

    def read(doc: Document, row: Row) -> Period:
        m = re.fullmatch(r"(jan|jul)(\d\d)?(jun|dec)(\d\d)", row.get(column).strip().lower())
        if not m:
            raise ValueError(f"{column} {row.get(column)!r} is not a period code like 'janjun16'")
        end = 2000 + int(m[4])
        return dt.date(2000 + int(m[2]) if m[2] else end, months[m[1]], 1), month_end(end, months[m[3]])
    return _rule(read)


def half_year_in_url(pattern: str) -> PeriodRule:
    """The half-year named in the document's URL: `pattern` has groups y (year) and h (1 or 2)."""
    def rule(doc: Document, row: Row) -> Period:
        m = re.search(pattern, doc.url.split("?")[0], re.IGNORECASE)
        if m is None:
            raise ParseError(doc, "no half-year in the file name (expected e.g. YYYY_Hn): the file prints no period")
        return half_year(int(m["y"]), int(m["h"]))
    return rule
