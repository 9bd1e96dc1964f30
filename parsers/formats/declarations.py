"""What a series module declares about the tables it reads: the shapes the interpreter turns into facts.

A series declares `KnownTable`s: where the table is (a ZIP member, sheet or title pattern), its key columns (`Key`:
period, country, request type, other dimensions), its figure columns (`Measure`: metric, unit, request type, kind,
total or not), headers it ignores, its period rule, its corrections (each with its reason) and whether the series
can do without it. The interpreter (`parsers.formats.interpreter`) reads any `Table` against these declarations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from parsers.facts import Kind, RequestType, Unit
from parsers.normalise.values import CellValue

if TYPE_CHECKING:
    from parsers.facts import Document
    from parsers.formats.interpreter import Row

Period = tuple[dt.date, dt.date]


class Dated(NamedTuple):
    """What a period rule may return instead of a Period: the period and how the rule dated the row (a note)."""

    start: dt.date
    end: dt.date
    note: str


PeriodRule = Callable[["Document", "Row"], Period]


@dataclass(frozen=True)
class Measure:
    """A column of figures: its header as printed in the corpus, other spellings, and what it counts."""

    header: str
    metric: str
    unit: Unit
    request_type: RequestType | None = None  # None: the row says (long tables with a "type" column)
    request_type_raw: str = ""  # defaults to the row's type label, then to the header
    kind: Kind = Kind.USER_DATA
    is_total: bool = False
    fraction: bool = False  # a percentage published as a fraction (0.76 for 76%)
    spellings: tuple[str, ...] = ()
    counts_toward_total: bool = True
    note: str = ""  # said on every fact of this column
    high: str = ""  # a band printed over two columns: this column is the low bound, `high` the high one
    extra: Mapping[str, str] = field(default_factory=dict)  # fixed dimensions of this column (e.g. requester)
    reader: Callable[[str], CellValue | None] | None = None  # a printed form of this column ('3 days'); None: plain
    context: str = ""  # a column of free text about this one: its text, when given, is said on each fact
    bounds: tuple[float, float] | None = None  # a figure outside these bounds refuses the document (scores 0-100)


@dataclass(frozen=True)
class As:
    """What a value of a closed key column means (a 'type' cell): its request type, and what else it changes."""

    request_type: RequestType | None = None  # None: this value says nothing of the type (another key does)
    counts_toward_total: bool = True
    is_total: bool = False
    measure: Measure | None = None  # the row's single figure column counts this instead (long tables)
    kind: Kind | None = None  # the row's kind when it is not its columns' (a national-security row)
    measures: tuple[Measure, ...] | None = None  # the row's columns count these instead (() : the row has no facts)
    extra: Mapping[str, str] = field(default_factory=dict)  # fixed dimensions this value adds (a reviewed slug)
    country_code: str = ""  # the country this value implies when the country label does not say ("U.S.")


@dataclass(frozen=True)
class Key:
    """A key column. `role` says what the interpreter does with it; `values` closes its vocabulary.

    Roles: period (read by the period rule), country, country_code, request_type (`values` maps each label to an
    `As`), dimension (kept in the fact's `extra` under `extra`, and as the request type label when `label`),
    breakdown (a dimension saying whether a row is a part or a total, "Country" / "Global": kept on total rows too).
    """

    name: str
    header: str
    role: str = "dimension"
    aliases: tuple[str, ...] = ()
    values: Mapping[str, As] | None = None
    extra: str = ""  # the `extra` key under which the value is kept
    label: bool = False  # the value is the request type label (request_type_raw) of the row's figures
    filled: bool = False  # a row with figures must print a value here (else the document is refused)
    patterns: bool = False  # `values`' names are regexes matched whole (a label that prints its own period)
    known_countries: bool = False  # a country label must be a known country, a total label or in `spellings`
    spellings: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # label -> (ISO code, why it is odd)
    omit: tuple[str, ...] = ()  # printed values that say nothing ('NA'): like a blank, neither kept nor a label
    what: str = ""  # how findings name this column's values ("request type"); default: its header
    omit_blank: bool = False  # a blank cell is no dimension: left out of `extra` (else kept as "")


@dataclass(frozen=True)
class Correction:
    """A reviewed exception to reading a cell as printed. `when` picks the cells; `reason` says why, on each fact.

    `cell` replaces the reading; `counts_toward_total` overrides the column's. `check` (optional) must hold on every
    picked cell, or the document is refused: a correction whose premise no longer holds must not apply silently.
    """

    columns: tuple[str, ...]  # measure headers (declared spelling); () for every measure of the table
    when: Callable[[Row, str], bool]  # (row, measure header) -> does the correction apply to this cell
    reason: str
    cell: CellValue | None = None
    counts_toward_total: bool | None = None
    check: Callable[[Row, str], bool] | None = None


@dataclass(frozen=True)
class KnownTable:
    """A table a series knows. `where` full-matches its member file name, sheet name or title (None: any)."""

    name: str
    keys: tuple[Key, ...]
    measures: tuple[Measure, ...]
    where: str | None = None
    ignored: tuple[str, ...] = ()  # headers known to hold no figures (links, flags, lists)
    period: PeriodRule | None = None
    corrections: tuple[Correction, ...] = ()
    total_labels: tuple[str, ...] = ()  # country cells that mark a total row ("Total", "TOTAL")
    total_is_no_country: bool = False  # a total row's figures are company-wide: country_raw "" (not "TOTAL")
    total_key: str = ""  # the key column whose label marks a total row (default: the country column)
    total_keys: tuple[str, ...] = ()  # further key columns whose label (one of total_labels) marks a total row
    extra: Mapping[str, str] = field(default_factory=dict)  # fixed dimensions of every figure of this table
    printed_type_label: bool = False  # a figure's request type label is its column header as printed
    required: bool = False  # the series cannot do without it: its absence or refusal refuses the document
    part: str = ""  # tables of one part stand in for each other (two generations of one table); default: name
    facts: bool = True  # False for tables recognised but holding no statistic (lists of letters)
    country_code: str = ""  # the country of every row when no column names one (e.g. "US")
    country: str = ""  # the country label of every row when no column prints one (a region's table)
    country_aliases: Mapping[str, str] = field(default_factory=dict)  # misspelt country labels -> ISO code
    title_is_country: bool = False  # the table's printed title is the country label of every row ("US 2019")
    title_extra: str = ""  # keep the table's printed title in `extra` under this key
    select: Callable[[Row], bool] | None = None  # the rows read (others are read past, their keys still checked)
    once: bool = False  # the document prints this table once: two different copies are ambiguous (both refused)
    description: str = ""
    closed: bool = False  # a layout fixed by law: a missing measure column or an undeclared column refuses the table
    blank_note: str = ""  # said on the fact of a blank figure cell (what a blank means in this table)
    # A row whose label (closed key value) nobody declared is quarantined, the rest loads: in a block of "label
    # value" lines each row is its own figure, as each column is in a grid.
    new_rows_quarantined: bool = False
    check: Callable[[Document, Row], None] | None = None  # a rule across a row's cells; it raises to refuse

    @property
    def role(self) -> str:
        return self.part or self.name

    @property
    def by_place(self) -> bool:
        """Declared by its place alone (`where`), as known to hold nothing this series reads (sources, summaries)."""
        return self.where is not None and not self.facts and not self.keys and not self.measures

    def claims(self, place: str) -> bool:
        return self.where is None or re.fullmatch(self.where, place, re.IGNORECASE) is not None

    def spellings(self) -> dict[str, str]:
        """`headers()` under `header_key` (computed once per declaration: a table declares many spellings)."""
        cached: dict[str, str] | None = self.__dict__.get("_spellings")
        if cached is None:
            from parsers.formats.tabular import header_key

            cached = {header_key(s): name for s, name in self.headers().items()}
            object.__setattr__(self, "_spellings", cached)
        return cached

    def headers(self) -> dict[str, str]:
        """Every declared spelling -> canonical column name (key name, measure header or ignored header)."""
        out: dict[str, str] = {}
        for k in self.keys:
            for s in (k.header, *k.aliases):
                out[s] = k.name
        by_row = [m for k in self.keys for a in (k.values or {}).values() for m in (a.measure, *(a.measures or ())) if m]
        for m in (*self.measures, *by_row):  # a column may count what each row says (long tables, label lines)
            for s in (m.header, *m.spellings):
                out[s] = m.header
            if m.high:
                out[m.high] = m.high
            if m.context:
                out[m.context] = m.context
        for h in self.ignored:
            out[h] = h
        return out
