"""Reporting periods as start and end dates. Nothing is split or merged."""

from __future__ import annotations

import datetime as dt
import re

_HALF = re.compile(r"^(?P<y>\d{4})\s*[-_ ]?\s*H(?P<h>[12])$", re.IGNORECASE)
_HALF_REV = re.compile(r"^H(?P<h>[12])\s*[-_ ]?\s*(?P<y>\d{4})$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_RANGE = re.compile(
    r"^(?P<m1>[a-z]{3})[a-z]*\.?\s*(?:(?P<y1>\d{4})\s*)?(?:-|–|to)\s*(?P<m2>[a-z]{3})[a-z]*\.?\s*(?P<y2>\d{4})$",
    re.IGNORECASE,
)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if half == 2:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    raise ValueError(f"half must be 1 or 2, not {half}")


def parse_half(text: str) -> tuple[dt.date, dt.date]:
    """'2013 H1', '2019-H2', 'H1 2020' -> (start, end)."""
    t = text.strip()
    m = _HALF.match(t) or _HALF_REV.match(t)
    if not m:
        raise ValueError(f"not a half-year: {text!r}")
    return half_year(int(m["y"]), int(m["h"]))


def parse_date(text: str) -> dt.date:
    """ISO dates and the day-first short form a re-saved spreadsheet produced ('31/12/09')."""
    t = text.strip()
    try:
        return dt.date.fromisoformat(t)
    except ValueError:
        pass
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$", t)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 2000
        if mo > 12:  # month-first (US) form
            d, mo = mo, d
        return dt.date(y, mo, d)
    raise ValueError(f"not a date: {text!r}")


def half_year_ending(end_text: str) -> tuple[dt.date, dt.date]:
    """Google prints only 'Period Ending'. Its periods are half-years: the end must be 30 June or 31 December."""
    end = parse_date(end_text)
    if (end.month, end.day) == (6, 30):
        return dt.date(end.year, 1, 1), end
    if (end.month, end.day) == (12, 31):
        return dt.date(end.year, 7, 1), end
    raise ValueError(f"period ending {end_text!r} is not the end of a half-year")


def parse_month_range(text: str) -> tuple[dt.date, dt.date]:
    """'Jan-Jun 2017', 'July - December 2020', 'Jan 2019 - Jun 2019'."""
    m = _MONTH_RANGE.match(text.strip())
    if not m:
        raise ValueError(f"not a month range: {text!r}")
    y2 = int(m["y2"])
    y1 = int(m["y1"]) if m["y1"] else y2
    m1, m2 = _MONTHS[m["m1"].lower()], _MONTHS[m["m2"].lower()]
    return dt.date(y1, m1, 1), month_end(y2, m2)
