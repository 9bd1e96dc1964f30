"""Counts a publisher did not print: records (one row per request) counted into facts, each citing its rows.

Some publishers (Cisco) list one row per request instead of printing counts. A count of rows is then a number the
publisher never printed: `count_records` groups the rows by the dimensions a parser declares, and every fact
says in its note how many records it was counted from and cites all of them (`RecordsLocator`). Dates in such
files are read by one declared order (`day_first_date`), never guessed per cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from parsers.facts import Document, Locator, ParseError, Status
from parsers.formats.tabular import Row
from parsers.normalise.values import CellValue


@dataclass(frozen=True, slots=True)
class RecordsLocator(Locator):
    """A locator for a figure counted from several rows: `rows=2-28,30` instead of one `row=`."""

    rows: tuple[int, ...] = ()

    def render(self) -> str:
        head = Locator(member=self.member, sheet=self.sheet, page=self.page, table=self.table).render()
        tail = Locator(column=self.column, bbox=self.bbox).render()
        return ";".join(p for p in (head, f"rows={row_ranges(self.rows)}", tail) if p)


def row_ranges(rows: Iterable[int]) -> str:
    """[2, 3, 4, 7] -> '2-4,7'."""
    ordered = sorted(set(rows))
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(out)


_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$")


def day_first_date(doc: Document, text: str, where: str) -> dt.date:
    """A date printed day/month/year ('30/06/2022'). Anything else, or an impossible date, is a ParseError."""
    m = _DAY_FIRST.match(text.strip())
    if not m:
        raise ParseError(doc, f"{where}: {text!r} is not a day/month/year date")
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError as e:
        raise ParseError(doc, f"{where}: {text!r} is not a valid day/month/year date ({e})") from e


def require_day_first(doc: Document, texts: Iterable[str], what: str) -> None:
    """Refuse a file whose dates could be month/day/year as well: unless one date has a day above 12 (which
    proves the order), any date whose two first fields differ and are both <= 12 is ambiguous."""
    seen = [m for t in texts if (m := _DAY_FIRST.match(t.strip()))]
    if any(int(m["d"]) > 12 for m in seen):
        return
    ambiguous = sorted({m[0] for m in seen if m["d"] != m["m"] and int(m["m"]) <= 12})
    if ambiguous:
        raise ParseError(doc, f"{what}: dates {ambiguous[:5]} read as day/month or month/day give different "
                              "dates, and no date in the file proves the order")


def half_year_span(doc: Document, start: dt.date, end: dt.date, where: str) -> tuple[dt.date, dt.date]:
    """A printed start and end date that must be exactly one calendar half-year."""
    if (start.month, start.day, end.year) == (1, 1, start.year) and (end.month, end.day) == (6, 30):
        return start, end
    if (start.month, start.day, end.year) == (7, 1, start.year) and (end.month, end.day) == (12, 31):
        return start, end
    raise ParseError(doc, f"{where}: period {start} - {end} is not a calendar half-year; "
                          "records are never re-grouped into other periods")


K = Hashable


@dataclass(frozen=True)
class RecordGroup:
    """Rows that share every declared dimension, in file order."""

    key: tuple[K, ...]
    rows: tuple[Row, ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(r.number for r in self.rows)

    @property
    def count(self) -> CellValue:
        n = float(len(self.rows))
        return CellValue(n, n, n, Status.REPORTED)

    def note(self, rule: str) -> str:
        """What every counted fact must say: it was counted, from how many records, by which rule."""
        return (f"counted from {len(self.rows)} request records in the CSV (rows {row_ranges(self.numbers)}); "
                f"the publisher printed no count. {rule}")


def count_records(rows: Sequence[Row], key: Callable[[Row], tuple[K, ...]]) -> list[RecordGroup]:
    """Group rows by `key` (the parser's declared dimensions); groups in order of their first row."""
    groups: dict[tuple[K, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return [RecordGroup(k, tuple(v)) for k, v in groups.items()]
