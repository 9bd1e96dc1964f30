"""Turn a printed cell into (value, low, high, status) without inventing precision.

`<10` stays the interval 1..9 (suppressed), `0-249` stays a band, a blank is not a zero, `-` is "not applicable".
Footnote marks (`1*`, `12†`), thousands separators and percent signs are stripped from the number but the raw
text is always kept by the caller.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from parsers.facts import Status
from parsers.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class CellValue:
    value: float | None
    low: float | None
    high: float | None
    status: Status
    note: str = ""


class UnreadableCell(ValueError):
    """A cell that is neither a number, a band, a suppression nor a known 'no figure' mark."""


_BLANK = {"", "nan", "none", "null"}
_NOT_APPLICABLE = {"-", "–", "—", "n/a", "na", "not applicable", "n.a."}
_WITHHELD = {"withheld", "not permitted", "redacted", "*withheld", "not disclosed"}
# Footnote marks that decorate a number: 1*, 3†, 12‡, 4^, 7 (a)
_FOOTNOTE = re.compile(r"(?:\s*[*†‡^¹²³]+|\s*\([a-z]\))$")
_NUMBER = r"[0-9][0-9,\u00a0\u202f ]*(?:\.[0-9]+)?|\.[0-9]+"
_PLAIN = re.compile(rf"^(?P<n>{_NUMBER})$")
_PERCENT = re.compile(rf"^(?P<n>{_NUMBER})\s*%$")
_BAND = re.compile(rf"^(?P<lo>{_NUMBER})\s*(?:-|–|—|to)\s*(?P<hi>{_NUMBER})$")
_LESS = re.compile(rf"^(?:<|less than|fewer than|under)\s*(?P<n>{_NUMBER})$", re.IGNORECASE)
_LESS_EQ = re.compile(rf"^(?:<=|≤)\s*(?P<n>{_NUMBER})$")
_MORE = re.compile(rf"^(?:>|more than)\s*(?P<n>{_NUMBER})$", re.IGNORECASE)
_PARENS = re.compile(rf"^(?P<n>{_NUMBER})\s*\((?P<p>{_NUMBER})\)$")


def _num(text: str) -> float:
    return float(re.sub(r"[,\u00a0\u202f ]", "", text))


def parse_number_cell(raw: object, *, percent: bool = False) -> CellValue:
    """Read one printed cell.

    `percent=True` says the column is a percentage; a plain 54 or "54%" is then 54 (on the 0-100 scale).
    Fractions in spreadsheets (0.76 meaning 76%) are the caller's business: only it knows the column's scale.
    Raises UnreadableCell for text that is none of the known forms.
    """
    if type(raw) is str:  # reports print the same few thousand texts over and over: each is read once
        return _parse_text(raw, percent)
    return _parse(raw, percent)


@functools.lru_cache(maxsize=65536)
def _parse_text(raw: str, percent: bool) -> CellValue:
    return _parse(raw, percent)  # CellValue is frozen: one reading may be shared; errors are not cached


def _parse(raw: object, percent: bool) -> CellValue:
    if raw is None:
        return CellValue(None, None, None, Status.NOT_REPORTED)
    if isinstance(raw, bool):
        raise UnreadableCell(f"boolean cell {raw!r}")
    if isinstance(raw, (int, float)):
        if math.isnan(raw):
            return CellValue(None, None, None, Status.NOT_REPORTED)
        v = float(raw)
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED)
    text = str(raw).strip().replace("\u2212", "-")
    low = text.lower()
    if low in _BLANK:
        return CellValue(None, None, None, Status.NOT_REPORTED)
    if low in _NOT_APPLICABLE:
        return CellValue(None, None, None, Status.NOT_APPLICABLE)
    if low in _WITHHELD:
        return CellValue(None, None, None, Status.WITHHELD)
    note = ""
    stripped = _FOOTNOTE.sub("", text)
    if stripped != text:
        note = f"footnote mark {text[len(stripped):].strip()!r} dropped"
        text = stripped.strip()
    if m := _PLAIN.match(text):
        v = _num(m["n"])
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED, note)
    if m := _PERCENT.match(text):
        v = _num(m["n"])
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED, note)
    if m := _BAND.match(text):
        lo, hi = _num(m["lo"]), _num(m["hi"])
        if lo > hi:
            raise UnreadableCell(f"band with low > high: {raw!r}")
        return CellValue(None, lo, hi, Status.BANDED, note)
    if m := _LESS.match(text):
        n = _num(m["n"])
        # "<10" of a count: 1..9 (a zero would have been printed as 0). Percentages: 0..n.
        return CellValue(None, 0.0 if percent else 1.0, n - (0 if percent else 1), Status.SUPPRESSED, note)
    if m := _LESS_EQ.match(text):
        n = _num(m["n"])
        return CellValue(None, 0.0 if percent else 1.0, n, Status.SUPPRESSED, note)
    if m := _MORE.match(text):
        n = _num(m["n"])
        return CellValue(None, n + (0 if percent else 1), None, Status.SUPPRESSED, note)
    if m := _PARENS.match(text):
        # "3,353 (2,440)": the first figure is the one the column names; the bracketed one is a sub-count.
        v = _num(m["n"])
        note = (note + "; " if note else "") + f"bracketed sub-figure {m['p']} not kept in value"
        return CellValue(v, v, v, Status.ZERO if v == 0 else Status.REPORTED, note)
    raise UnreadableCell(f"cannot read {raw!r} as a figure")


def band(low: object, high: object) -> CellValue:
    """A band published as two columns (MIN, MAX). Equal bounds are an exact figure."""
    lo = parse_number_cell(low)
    hi = parse_number_cell(high)
    if lo.value is None or hi.value is None:
        if lo.status == hi.status == Status.NOT_REPORTED:
            return CellValue(None, None, None, Status.NOT_REPORTED)
        raise UnreadableCell(f"band bounds {low!r}, {high!r} are not both numbers")
    if lo.value > hi.value:
        raise UnreadableCell(f"band with low > high: {low!r}-{high!r}")
    if lo.value == hi.value:
        return CellValue(lo.value, lo.value, lo.value, Status.ZERO if lo.value == 0 else Status.REPORTED)
    return CellValue(None, lo.value, hi.value, Status.BANDED)
