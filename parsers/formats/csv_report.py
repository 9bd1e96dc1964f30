"""A base for CSV reports: declare which columns hold figures (`Measure`), recognise a table, turn cells into facts.

A parser declares `Shape`s: a `Layout` (the columns it knows) plus, for each figure column, what it counts
(metric, unit, request type, kind, whether it is a total). `read_tables` finds every table in a CSV (one, or
several stacked under "Table 1/2: ..." title rows) keeping each row's real line number; `measure_facts` turns
one data row into one fact per figure column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.tabular import Column, Layout, Row, decode_text, read_rows, recognise
from parsers.normalise.countries import country_iso2
from parsers.normalise.values import CellValue, UnreadableCell, parse_number_cell


@dataclass(frozen=True)
class Measure:
    """A column of figures: its header as printed in the corpus, other spellings, and what it counts."""

    header: str
    metric: str
    unit: Unit
    request_type: RequestType | None = None  # None: the row says (long tables with a "type" column)
    request_type_raw: str = ""  # defaults to the header
    kind: Kind = Kind.USER_DATA
    is_total: bool = False
    fraction: bool = False  # a percentage published as a fraction (0.76 for 76%)
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """A table shape: its layout, the figure columns in it, and parser-specific facts about it (`info`)."""

    layout: Layout
    measures: tuple[Measure, ...]
    info: Mapping[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.layout.name


def shape(name: str, keys: Sequence[Column], measures: Sequence[Measure], *, ignored: Sequence[str] = (),
          description: str = "", **info: object) -> Shape:
    """A shape whose layout is exactly: the key columns, the figure columns and the known non-figure columns."""
    columns = (*keys, *(Column(m.header, (m.header, *m.spellings)) for m in measures),
               *(Column(h, (h,)) for h in ignored))
    return Shape(Layout(name, tuple(columns), description), tuple(measures), dict(info))


@dataclass
class Table:
    """One recognised table of a CSV: shape, printed header, where its columns are, data rows, and its title."""

    shape: Shape
    header: list[str]
    positions: Mapping[str, int]
    rows: list[Row]
    title: str = ""
    number: int | None = None  # 1-based table index when a file stacks several


TABLE_TITLE = re.compile(r"^\s*Table\s+(?P<i>\d+)\s*/\s*(?P<n>\d+)\s*:", re.IGNORECASE)


def csv_rows(doc: Document, data: bytes | None = None, member: str | None = None) -> list[list[str]]:
    """The rows of a CSV document (or ZIP member); empty files and HTML error pages are ParseErrors."""
    return read_rows(decode_text(doc, data, member))


def read_tables(doc: Document, rows: list[list[str]], shapes: Sequence[Shape], where: str = "") -> list[Table]:
    """Every table in `rows`: one, or several stacked under 'Table i/n:' title rows. Row numbers stay real."""
    titles = [i for i, r in enumerate(rows) if _title(r)]
    if not titles:
        return [_table(doc, rows, 0, len(rows), shapes, where)]
    declared = {int(m["n"]) for i in titles if (m := TABLE_TITLE.match(_title(rows[i])))}
    if declared != {len(titles)}:
        raise ParseError(doc, f"table titles announce {sorted(declared)} tables but {len(titles)} were found")
    if any(any(c.strip() for c in r) for r in rows[:titles[0]]):
        raise ParseError(doc, "rows before the first table title")
    tables = []
    for k, start in enumerate(titles):
        end = titles[k + 1] if k + 1 < len(titles) else len(rows)
        t = _table(doc, rows, start + 1, end, shapes, f"{where} table {k + 1}".strip())
        t.title, t.number = _title(rows[start]), k + 1
        tables.append(t)
    return tables


def _title(row: list[str]) -> str:
    """The text of a table-title row ('Table 1/2: ...' alone on its row), else ''."""
    filled = [c.strip() for c in row if c.strip()]
    return filled[0] if len(filled) == 1 and TABLE_TITLE.match(filled[0]) else ""


def _table(doc: Document, rows: list[list[str]], start: int, end: int, shapes: Sequence[Shape],
           where: str) -> Table:
    first = next((i for i in range(start, end) if any(c.strip() for c in rows[i])), None)
    if first is None:
        raise ParseError(doc, f"no rows{' in ' + where if where else ''}")
    header = rows[first]
    layout, positions = recognise(doc, header, [s.layout for s in shapes], where)
    found = next(s for s in shapes if s.layout is layout)
    blank_columns = [i for i, h in enumerate(header) if not h.strip()]
    data: list[Row] = []
    for i in range(first + 1, end):
        cells = rows[i]
        if not any(c.strip() for c in cells):
            continue
        # A figure under a blank header would be silently dropped: refuse it. Cells past the header too.
        stray = [j for j in blank_columns if j < len(cells) and cells[j].strip()] + [
            j for j in range(len(header), len(cells)) if cells[j].strip()]
        if stray:
            raise UnknownLayout(doc, f"row {i + 1}{' of ' + where if where else ''} has values in columns "
                                     f"without a header (positions {stray})")
        data.append(Row(i + 1, cells, positions))
    return Table(found, header, positions, data)


def fraction_as_percent(raw: str) -> CellValue:
    """A fraction cell (0.76) as a percentage on the 0-100 scale, exactly (no float noise); other cells as read."""
    cell = parse_number_cell(raw)
    if cell.value is None:
        return cell
    try:
        v = float(Decimal(raw.strip()) * 100)
    except InvalidOperation as e:
        raise UnreadableCell(f"cannot read {raw!r} as a fraction") from e
    return CellValue(v, v, v, cell.status, f"published as the fraction {raw.strip()}; kept as {v:g}%")


def country_hint(label: str, code: str = "") -> str | None:
    """The ISO code for a printed label, reading past footnote marks ('China**'); a printed code wins ties."""
    bare = re.sub(r"[*†‡]+$", "", label).strip()
    return country_iso2(bare, code or None) if (bare or code) else None


def measure_facts(doc: Document, table: Table, row: Row, *, period: tuple[dt.date, dt.date], country_raw: str,
                  country_code: str = "", member: str | None = None, request_type: RequestType | None = None,
                  request_type_raw: str = "", row_is_total: bool = False, kind: Kind | None = None,
                  extra: Mapping[str, str] | None = None, overrides: Mapping[str, CellValue] | None = None,
                  notes: Mapping[str, str] | None = None, measures: Sequence[Measure] | None = None) -> list[Fact]:
    """One fact per figure column of `row`. `request_type`/`_raw` fill in for measures that leave them to the row.

    `overrides` replaces the reading of named columns (a reviewed correction, explained in `notes`); `measures`
    replaces the shape's when a row's 'type' cell says what its figure counts.
    """
    facts = []
    hint = country_hint(country_raw, country_code)
    for m in table.shape.measures if measures is None else measures:
        if m.header not in table.positions:
            continue
        raw = row.get(m.header)
        printed = table.header[table.positions[m.header]]
        locator = Locator(member=member, table=table.number, row=row.number, column=printed)
        rtype = m.request_type or request_type
        if rtype is None:
            raise ParseError(doc, f"{locator.render()}: no request type for column {printed!r}")
        cell = (overrides or {}).get(m.header)
        try:
            if cell is None and m.fraction:
                cell = fraction_as_percent(raw)
        except UnreadableCell as e:
            raise ParseError(doc, f"{locator.render()}: {e}") from e
        facts.append(figure(
            doc, period=period, country_raw=country_raw, country_code_hint=hint, request_type=rtype,
            request_type_raw=m.request_type_raw or request_type_raw or m.header, metric=m.metric, unit=m.unit,
            raw=raw, locator=locator, kind=kind or m.kind, is_total=m.is_total or row_is_total, cell=cell,
            note=(notes or {}).get(m.header, ""), extra=dict(extra or {}),
        ))
    return facts


def calendar_year(doc: Document, text: str, where: str) -> tuple[dt.date, dt.date]:
    """A year printed alone ('2021'): the calendar year."""
    if not re.fullmatch(r"\s*(19|20)\d\d\s*", text):
        raise ParseError(doc, f"{where}: {text!r} is not a year")
    year = int(text)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


V = TypeVar("V")


def require_known(doc: Document, value: str, known: Mapping[str, V], what: str, where: str) -> V:
    """Look up a dimension value (a request type printed in a 'type' column); an unknown one is a new layout."""
    for k, v in known.items():
        if " ".join(k.casefold().split()) == " ".join(value.casefold().split()):
            return v
    raise UnknownLayout(doc, f"{where}: unknown {what} {value!r} (known: {', '.join(known)})")
