"""Report periods as the registry writes them ("2013", "2013-H1", "2013-Q2", "2013-05"): their dates, the
periods a cadence walks through, and which period a publisher should have released by a given day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_LABEL = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")
# The cadences that walk through periods; irregular, one-off and ended series have no "next" period.
STEP_MONTHS = {"yearly": 12, "half-yearly": 6, "quarterly": 3, "monthly": 1}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: `months` long (12, 6, 3 or 1), starting in `year`/`first_month`."""

    year: int
    first_month: int
    months: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        last = self.first_month + self.months - 1
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        if self.months == 12:
            return str(self.year)
        if self.months == 6:
            return f"{self.year}-H{1 if self.first_month == 1 else 2}"
        if self.months == 3:
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return f"{self.year}-{self.first_month:02d}"

    def next(self) -> Period:
        month = self.first_month + self.months
        return Period(self.year + (month - 1) // 12, (month - 1) % 12 + 1, self.months)

    def previous(self) -> Period:
        month = self.first_month - self.months
        return Period(self.year + (month - 1) // 12, (month - 1) % 12 + 1, self.months)

    def __str__(self) -> str:
        return self.label


def parse_period(label: str) -> Period:
    match = _LABEL.match(label)
    if not match:
        raise ValueError(f"period {label!r} is not YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM")
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return Period(year, 1, 12)
    if part.startswith("H"):
        return Period(year, 1 if part == "H1" else 7, 6)
    if part.startswith("Q"):
        return Period(year, 3 * (int(part[1]) - 1) + 1, 3)
    return Period(year, int(part), 1)


def period_containing(day: dt.date, cadence: str) -> Period:
    months = STEP_MONTHS[cadence]
    return Period(day.year, ((day.month - 1) // months) * months + 1, months)


def first_of_cadence(first_period: str, cadence: str) -> Period:
    """The series' first period in its cadence's granularity (a yearly series may start at "2013-H2")."""
    return period_containing(parse_period(first_period).start, cadence)


def periods_between(first: Period, last_end_on_or_before: dt.date) -> list[Period]:
    """Every period from `first` whose end is on or before the date, oldest first."""
    out: list[Period] = []
    period = first
    while period.end <= last_end_on_or_before:
        out.append(period)
        period = period.next()
    return out


def due_period(cadence: str, delay_days: int, today: dt.date) -> Period | None:
    """The newest period a series of this cadence should have published by `today`, given its usual delay."""
    if cadence not in STEP_MONTHS:
        return None
    # The newest period P with P.end + delay <= today is the one before the period holding today - delay + 1 day.
    return period_containing(today - dt.timedelta(days=delay_days - 1), cadence).previous()


def period_of_dates(start: dt.date, end: dt.date) -> str:
    """A label for a date range a fact covers ("2021-H1"), or "start..end" when it is no calendar period."""
    for months in (12, 6, 3, 1):
        if (start.month - 1) % months == 0:
            period = Period(start.year, start.month, months)
            if period.start == start and period.end == end:
                return period.label
    return f"{start.isoformat()}..{end.isoformat()}"
