"""How these reports print their cells: figures (1,234 / 000–499 / 0-999* / n/a / * / 50,000 (approx)), period
headings, row labels with list bullets; and the fast test for pages of figures nobody read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from parsers.facts import Document, ParseError, Status
from parsers.normalise.periods import half_year, month_end
from parsers.normalise.values import CellValue, parse_number_cell

_BULLETS = frozenset("•§▪o!\uf0a7\u25aa\u2022\uf0b7-–")


_FIGURE_LINE = re.compile(r"(?m)(?:^|\s)(?:\d[\d,]*|\d[\d,]*\s*[–-]\s*\d[\d,]*|n/a)\s*$")


def check_pages_read(doc: Document, texts: Sequence[str], read: Iterable[int],
                     unread: re.Pattern[str] | None = None, least: int = 4) -> None:
    """Refuse a document with a page of figures (`least` lines ending in a number or band, by the fast text
    pass) that the parser did not read and does not declare unread (`unread` matches its text): a new table on
    a page of its own must not be lost silently."""
    for number in pages_unread(texts, read, unread, least):
        raise ParseError(doc, f"page {number} holds figures under no table this parser knows")


def pages_unread(texts: Sequence[str], read: Iterable[int], unread: re.Pattern[str] | None = None,
                 least: int = 4) -> list[int]:
    """The pages of figures (see `check_pages_read`) the parser neither read nor declares unread."""
    seen = set(read)
    return [number for number, text in enumerate(texts, start=1)
            if number not in seen and len(_FIGURE_LINE.findall(text)) >= least and not (
                unread is not None and unread.search(" ".join(text.split())))]


def strip_bullet(text: str) -> str:
    """A label without the list glyphs printed before it ("§ Subpoenas", "o Criminal")."""
    words = text.split()
    while words and (all(ch in _BULLETS for ch in words[0]) or words[0] == "o"):
        words.pop(0)
    return " ".join(words)


_FIGURE = re.compile(r"^(?:[0-9][0-9,.]*(?:\s*[-–\xad]\s*[0-9][0-9,.]*)?\*?(?: \(approx(?:imately)?\))?|n/a|N/A|\*|-|"
                     r"–|\(approx(?:imately)?\))$")


def is_figure(text: str) -> bool:
    """A figure cell as these reports print them: 1,234 / 000–499 / 0-999* / n/a / * / -."""
    return bool(_FIGURE.match(text.strip()))


def normalise_band(text: str) -> str:
    """`0\\xad999` (a soft hyphen used as the dash) and `2000- 2999` to the plain band form the value reader knows;
    leading zeros (`000–499`) and en dashes are read by `parse_number_cell` as printed."""
    return re.sub(r"\s*[\xad–-]\s*", "-", text.strip()) if re.search(r"\d\s*[\xad–-]\s*\d", text) else text.strip()


_MONTH = r"(?P<{0}>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


_RANGE = re.compile(
    _MONTH.format("m1") + r"\s*(?:(?P<d1>\d{1,2})\b,?)?\s*(?P<y1>\d{4})?\s*[–-]\s*"
    + _MONTH.format("m2") + r"\s*(?:(?P<d2>\d{1,2})\b,?)?\s*(?P<y2>\d{4})$", re.IGNORECASE)


_HALF = re.compile(r"^(?P<h>[12])\s*(?:H|st\s*half of|nd\s*half of)\s*(?P<y>\d{4})$", re.IGNORECASE)


_YEAR = re.compile(r"^(?P<y>\d{4})(?:\s*\(full year\))?$", re.IGNORECASE)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def read_period(text: str) -> tuple[dt.date, dt.date]:
    """A printed period heading to (start, end). Raises ValueError for anything that is not whole months."""
    t = " ".join(text.replace("\xad", "-").split())
    if m := _HALF.match(t):
        return half_year(int(m["y"]), int(m["h"]))
    if m := _YEAR.match(t):
        return dt.date(int(m["y"]), 1, 1), dt.date(int(m["y"]), 12, 31)
    m = _RANGE.match(t)
    if not m:
        raise ValueError(f"not a period heading: {text!r}")
    y2 = int(m["y2"])
    y1 = int(m["y1"]) if m["y1"] else y2
    m1, m2 = _MONTHS.index(m["m1"].lower()) + 1, _MONTHS.index(m["m2"].lower()) + 1
    start, end = dt.date(y1, m1, 1), month_end(y2, m2)
    if (m["d1"] and int(m["d1"]) != 1) or (m["d2"] and int(m["d2"]) != end.day) or start > end:
        raise ValueError(f"period heading {text!r} is not a run of whole months")
    return start, end


def is_period(text: str) -> bool:
    try:
        read_period(text)
    except ValueError:
        return False
    return True


def label_key(text: str) -> str:
    """A row label or title for matching: bullets, case, spacing and punctuation do not count."""
    return re.sub(r"[^a-z0-9&]", "", strip_bullet(text).casefold())


_APPROX = re.compile(r"\s*\(approx(?:imately)?\)$", re.IGNORECASE)


def read_figure(raw: str) -> tuple[CellValue, str]:
    """A printed figure to its value, and a note on anything read around the number: "50,000 (approx)" is
    50,000 said to be approximate; `0\\xad999` (a soft hyphen for the dash) is the band 0-999; a lone "*" is a
    figure withheld (the caller's note says why)."""
    text, note = raw.strip(), ""
    if _APPROX.search(text):
        text, note = _APPROX.sub("", text), "printed as approximate"
    if text == "*":
        return CellValue(None, None, None, Status.WITHHELD), note
    return parse_number_cell(normalise_band(text)), note
