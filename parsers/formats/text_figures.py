"""Figures printed in running text rather than tables: "Subpoenas: 1,955", "Subpoenas 9,460", "Letters 0-499".

A report's text (pypdfium2's text layer, or lines OCR read from a scan) becomes one stream of tokens: numbers and
bands (values), date ranges (periods), and the words between them. A series declares the labels it expects in
printed order; each label takes the next value printed after it that no earlier label took, and every value of
the figures section must be taken, so a figure nobody declared is refused, not dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from parsers.facts import Document, Locator, UnknownLayout
from parsers.formats.table import Table, TableCell
from parsers.normalise.values import CellValue, parse_number_cell

# Replacements of one character by one, so positions in the normalised text are positions in the printed text.
_SAME_LENGTH = str.maketrans({"\t": " ", "\n": " ", "\xad": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                              "\u2013": "-", "\u2014": "-", "\xa0": " "})
_MONTH = "(?:" + "|".join(calendar.month_name[1:]) + ")"
_RANGE = re.compile(
    rf"(?P<m1>{_MONTH})\s*(?P<d1>\d{{1,2}})?\s*,?\s*(?P<y1>\d{{4}})?\s*,?\s*(?:-+|to|through)\s*"
    rf"(?P<m2>{_MONTH})\s*(?P<d2>\d{{1,2}})?\s*,?\s*(?P<y2>\d{{4}})"
    r"|(?P<n1>\d{1,2})/(?P<nd1>\d{1,2})/(?P<ny1>\d{4})\s*(?:to|-+)\s*(?P<n2>\d{1,2})/(?P<nd2>\d{1,2})/(?P<ny2>\d{4})")
_VALUE = re.compile(r"(?<![\w,/.])\d{1,3}(?:,\d{3})*(?: ?-+ ?\d{1,3}(?:,\d{3})*)?(?![\w,/%])|(?<![\w,/.])\d+(?![\w,/%])")
_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True, slots=True)
class Line:
    """A printed line: 1-based page and line number on that page, its text."""

    page: int
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Value:
    start: int
    end: int
    raw: str  # as printed (soft hyphens and all)
    clean: str  # dashes made '-', spaces dropped: what parse_number_cell reads
    line: Line

    def cell(self) -> CellValue:
        return parse_number_cell(self.clean)


def read_printed(raw: str) -> CellValue:
    """A value as printed (soft hyphens, odd dashes) read as `Value.cell` reads it: for a table cell of raw text."""
    return parse_number_cell(re.sub(r" ?-+ ?", "-", raw.translate(_SAME_LENGTH)))


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int
    dates: tuple[dt.date, dt.date]
    raw: str


def lines_of(page_texts: Sequence[str]) -> list[Line]:
    """Lines of each page's text. A lone carriage return inside a line (some writers put one between words) is
    a space, not a line break."""
    return [Line(p, n, text) for p, page in enumerate(page_texts, start=1)
            for n, text in enumerate(page.replace("\r\n", "\n").replace("\r", " ").split("\n"), start=1)]


def label_pattern(label: str) -> re.Pattern[str]:
    """A declared label whose spaces match any run of whitespace (labels break across lines) and whose hyphens
    match runs of dashes (soft hyphens printed beside hyphens)."""
    return re.compile(re.sub(r" (?!\?)", r"\\s+", label).replace(" ?", r"\s*").replace("-", "-+"))


def figure_lines(doc: Document, lines: Sequence[Line], start: re.Pattern[str], stop: str,
                 furniture: re.Pattern[str], prose_words: int = 10) -> list[Line]:
    """The lines of a figures section: from the first line matching `start` to the first starting with `stop`,
    without page furniture (headers, page numbers) and without prose (a line of `prose_words` words or more
    that does not end in a figure), so the numbers of running prose are never taken for figures."""
    out: list[Line] = []
    started = False
    for line in lines:
        text = " ".join(line.text.split())
        started = started or bool(start.search(text))
        if text.startswith(stop):
            break
        prose = len(text.split()) >= prose_words and not re.search(r"\d\W*$", text)
        if started and text and not prose and not furniture.fullmatch(text):
            out.append(line)
    if not out:
        raise UnknownLayout(doc, f"no section starting with {start.pattern!r}")
    return out


def half_year_before(period: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The half-year before the one a period starts in (FISA figures are published six months late)."""
    start = period[0]
    if start.month <= 6:
        return dt.date(start.year - 1, 7, 1), dt.date(start.year - 1, 12, 31)
    return dt.date(start.year, 1, 1), dt.date(start.year, 6, 30)


def date_range(m: re.Match[str]) -> tuple[dt.date, dt.date]:
    if m["n1"]:
        return (dt.date(int(m["ny1"]), int(m["n1"]), int(m["nd1"])), dt.date(int(m["ny2"]), int(m["n2"]), int(m["nd2"])))
    y2 = int(m["y2"])
    y1 = int(m["y1"]) if m["y1"] else y2
    m1, m2 = _MONTHS[m["m1"]], _MONTHS[m["m2"]]
    d2 = int(m["d2"]) if m["d2"] else calendar.monthrange(y2, m2)[1]
    return dt.date(y1, m1, int(m["d1"] or 1)), dt.date(y2, m2, d2)


def first_period(text: str) -> tuple[dt.date, dt.date] | None:
    m = _RANGE.search(" ".join(text.translate(_SAME_LENGTH).split()))
    return date_range(m) if m else None


def figure_line_table(lines: Sequence[Line], pattern: re.Pattern[str], *, title: str = "", place: str = "",
                      under: Mapping[str, Collection[str]] | None = None) -> Table:
    """Printed "label: figure" lines as a `Table`; `pattern` has groups label and
    figure (header "figure label", "figure"). Each figure cell's locator is its page, its line on the page and its label as printed. `under` maps a
    heading label to the labels printed under it ("Subpoenas: 1,955" then "Full response: 889"): such a row's
    label is "heading / label"."""
    rows: list[list[TableCell]] = []
    numbers: list[int] = []
    heading = ""
    for line in lines:
        if not (m := pattern.match(" ".join(line.text.split()))):
            continue
        label = m["label"]
        heading = label if under is not None and label in under else heading
        shown = f"{heading} / {label}" if under and heading and label in under[heading] else label
        at = Locator(page=line.page, row=line.number, column=label)
        rows.append([TableCell(shown, Locator(page=line.page, row=line.number, column="label")),
                     TableCell(m["figure"], at)])
        numbers.append(line.number)
    return Table(Locator(page=lines[0].page if lines else None), ["figure label", "figure"], rows, numbers, title, place)


class TextStream:
    """The figures section of a report as one string, with its values and periods found and located."""

    def __init__(self, doc: Document, lines: Sequence[Line]) -> None:
        self.doc = doc
        self.lines = list(lines)
        parts: list[str] = []
        self._starts: list[int] = []
        at = 0
        for line in self.lines:
            self._starts.append(at)
            parts.append(line.text)
            at += len(line.text) + 1
        self.printed = "\n".join(parts)
        self.text = self.printed.translate(_SAME_LENGTH)
        self.periods = [Period(m.start(), m.end(), date_range(m), self.printed[m.start():m.end()])
                        for m in _RANGE.finditer(self.text)]
        blanked = self.text
        for p in self.periods:  # dates are not figures
            blanked = blanked[:p.start] + " " * (p.end - p.start) + blanked[p.end:]
        self.values = [Value(m.start(), m.end(), self.printed[m.start():m.end()],
                             re.sub(r" ?-+ ?", "-", m.group()), self._line_at(m.start()))
                       for m in _VALUE.finditer(blanked)]
        self.taken: set[int] = set()

    def _line_at(self, pos: int) -> Line:
        index = max(i for i, s in enumerate(self._starts) if s <= pos)
        return self.lines[index]

    def find(self, label: re.Pattern[str], after: int) -> re.Match[str] | None:
        return label.search(self.text, after)

    def take_after(self, pos: int, what: str) -> Value:
        """The first value printed after `pos` that no label has taken yet."""
        for i, v in enumerate(self.values):
            if v.start >= pos and i not in self.taken:
                self.taken.add(i)
                return v
        raise UnknownLayout(self.doc, f"no figure printed after {what!r}")

    def period_after(self, pos: int, before: int) -> tuple[dt.date, dt.date] | None:
        """A period printed between two positions (a label's own period, as "Letters (July 1 - ...)")."""
        for p in self.periods:
            if pos <= p.start < before:
                return p.dates
        return None

    def check_all_taken(self) -> None:
        left = [v for i, v in enumerate(self.values) if i not in self.taken]
        if left:
            v = left[0]
            raise UnknownLayout(self.doc, f"page={v.line.page}: figure {v.raw!r} in line {v.line.text.strip()!r} "
                                          f"matches no declared label ({len(left)} unread)")


__all__ = ["Line", "Period", "TextStream", "Value", "date_range", "figure_line_table", "figure_lines", "first_period",
           "half_year_before", "label_pattern", "lines_of", "read_printed"]
