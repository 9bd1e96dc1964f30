"""Counts a publisher did not print: a list of records (one row per request) read as a `Table` of counts.

Some publishers (Cisco) list one row per request instead of printing counts. A count of rows is then a number the
publisher never printed: `count_table` groups the records by every printed column but the outcome columns (so a
new column splits the groups, and the interpreter sees it as a new key), and each count cell cites all the rows it
counts (`RecordsLocator`) and says in its note how many records it was counted from. Dates in such files are read
by one declared order (`day_first_date`), never guessed per cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parsers.facts import Document, Locator, ParseError, Status, UnknownLayout
from parsers.formats.table import Table, TableCell
from parsers.formats.tabular import header_key
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


_WORDS = ("no", "one", "two", "three", "four", "five")


def count_table(doc: Document, records: Table, outcomes: Sequence[str], rule: str, mark: str = "Y",
                unmarked: str = "N") -> Table:
    """Records whose outcome is marked in exactly one of the `outcomes` columns, as a Table of counts: one row per
    group of records sharing every other printed cell and the outcome, with an 'outcome' and a 'count' cell.
    Each count's note says it was counted, from which rows, and by `rule` (the series' counting rule)."""
    if not records.rows:
        raise UnknownLayout(doc, "the request list has a header but no request rows")
    keys = [header_key(h) for h in records.header]
    missing = [o for o in outcomes if header_key(o) not in keys]
    if missing:
        raise UnknownLayout(doc, f"outcome column {missing[0]!r} is missing: the records cannot be counted")
    marked = [keys.index(header_key(o)) for o in outcomes]
    others = [i for i in range(len(records.header)) if i not in marked]
    expected = sorted([mark, *[unmarked] * (len(outcomes) - 1)])
    groups: dict[tuple[str, ...], list[int]] = {}
    for n, row in zip(records.numbers, records.rows, strict=True):
        marks = {o: row[i].text.strip().upper() for o, i in zip(outcomes, marked, strict=True)}
        if sorted(marks.values()) != expected:
            raise UnknownLayout(doc, f"row {n}: the outcome columns must hold one {mark} and "
                                     f"{_WORDS[len(outcomes) - 1]} {unmarked}, not {marks}")
        outcome = next(o for o, v in marks.items() if v == mark)
        groups.setdefault((*(" ".join(row[i].text.split()) for i in others), outcome), []).append(n)
    header = [*(records.header[i] for i in others), "outcome", "count"]
    rows = []
    for key, numbers in groups.items():
        def cited(column: str, rows: tuple[int, ...] = tuple(numbers)) -> Locator:
            return RecordsLocator(member=records.where.member, column=column, rows=rows)
        n = len(numbers)
        rows.append([*(TableCell(v, cited(h)) for v, h in zip(key, header, strict=False)), TableCell(
            f"{n} row{'s' * (n != 1)} marked {mark} under {key[-1]}", cited(key[-1]),
            note=f"counted from {n} request records in the CSV (rows {row_ranges(numbers)}); the publisher printed "
                 f"no count. {rule}")])
    return Table(records.where, header, rows, [g[0] for g in groups.values()], records.title, records.place,
                 width=len(header))


def counted(text: str) -> CellValue:
    """The count of a `count_table` cell ('3 rows marked Y under Rejected')."""
    n = float(text.split()[0])
    return CellValue(n, n, n, Status.REPORTED)


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
