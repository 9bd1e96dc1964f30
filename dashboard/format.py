"""Numbers, periods and names formatted for people: thousands separators, no float noise, ranges as ranges."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable


def fmt_number(value: float | None) -> str:
    """12345 -> '12,345'; 39083.421897734355 -> '39,083.42' (two decimals at most: never float noise)."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


LONG_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d{3,}(?![\d.])")


def tidy(text: object) -> str:
    """Text for reading: a number a spreadsheet stored with float noise ('39083.421897734355', a percentage kept
    as '0.12257281553398058') is shown to two decimals. Only what is displayed changes: the data files keep
    every digit."""
    return LONG_DECIMAL.sub(lambda m: fmt_number(round(float(m.group(0)), DECIMALS)), "" if text is None else str(text))


DECIMALS = 2  # the most any figure on the site (page, chart, tooltip, CSV download) carries


def published(value: object) -> object:
    """A value as a chart, its tooltip and its CSV download carry it: a whole number as an integer (12345.0 ->
    12345), anything else to two decimals (Microsoft's 2015 H2 spreadsheet stores 572.113074204947 requests,
    a per-million rate 0.41237 -> 0.41, 82.8125 % -> 82.81), text with its float noise tidied. Only what the
    site publishes changes: the warehouse and `govreq export` keep every digit."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else round(value, DECIMALS)
    if isinstance(value, str):
        return tidy(value) if "." in value else value  # only a decimal point can carry float noise
    return value


def fmt_range(low: float | None, high: float | None) -> str:
    """An exact figure as one number, a range as low–high: never a midpoint."""
    if low is None and high is None:
        return ""
    if low == high:
        return fmt_number(low)
    return f"{fmt_number(low)}–{fmt_number(high)}"


def fmt_score(text: object) -> str:
    """A score as the source prints it (Ranking Digital Rights prints two decimals): '68.18181818181819' -> '68.18'.
    Anything that is not a number is kept as it is."""
    raw = "" if text is None else str(text).strip()
    try:
        value = float(raw)
    except ValueError:
        return raw
    return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:.0f}"


def period_label(start: str, end: str) -> str:
    """'2019 H1', '2019 H2', '2019', else the dates as printed in ISO form."""
    year = start[:4]
    if start[:4] == end[:4]:
        if start[5:] == "01-01" and end[5:] == "06-30":
            return f"{year} H1"
        if start[5:] == "07-01" and end[5:] == "12-31":
            return f"{year} H2"
        if start[5:] == "01-01" and end[5:] == "12-31":
            return year
    return f"{start} to {end}"


def cadence(start: str, end: str) -> str:
    """'half-years', 'years' or 'other periods': periods of different lengths never share one axis."""
    label = period_label(start, end)
    if label.endswith((" H1", " H2")):
        return "half-years"
    if len(label) == 4:
        return "years"
    return "other periods"


def file_stem(text: str) -> str:
    """A file name for a slug or code: readable, and suffixed with a hash when anything had to be replaced."""
    stem = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"
    if stem != text.lower():
        stem += "-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return stem


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 company', '3 companies', '12,000 figures'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def year_ranges(years: Iterable[int]) -> str:
    """2009, 2010, 2011, 2013 -> '2009-2011, 2013': a list a reader can take in at a glance."""
    out: list[str] = []
    for y in sorted(set(years)):
        if out and out[-1].split("\u2013")[-1] == str(y - 1):
            out[-1] = out[-1].split("\u2013")[0] + f"\u2013{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


def doc_anchor(sha256: str) -> str:
    """The id of a document's row on the documents page."""
    return f"doc-{sha256}"
