"""Shared mechanics for tabular publications (CSV files, ZIPs of CSVs, and the rows of sheets).

A parser declares `Layout`s: the columns it knows, each with the header spellings seen in real releases.
`recognise` picks the layout whose columns match a header exactly (after cosmetic normalisation: case,
spacing, punctuation, BOM). A header with a column no layout knows, or missing a required one, is an
`UnknownLayout` naming the columns that differ: a new column may be a new request type, so it is refused
rather than dropped.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from parsers.facts import Document, ParseError, UnknownLayout

# A ZIP of reports is a few MB. Refuse anything that would expand far beyond that (a ZIP bomb).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200


def header_key(text: str) -> str:
    """Cosmetic normalisation of a header: case, accents, spacing and punctuation do not matter."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = t.replace("\ufeff", "").casefold()
    t = re.sub(r"[^a-z0-9%#]+", " ", t)
    return " ".join(t.split())


def decode_text(doc: Document, data: bytes | None = None, member: str | None = None) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else CP-1252. Line endings are left to the CSV reader."""
    raw = doc.data if data is None else data
    where = f" (member {member})" if member else ""
    if not raw.strip():
        raise ParseError(doc, f"empty file{where}")
    if raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ParseError(doc, f"an HTML page was served instead of a data file{where}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict")


def read_rows(text: str) -> list[list[str]]:
    """CSV text to rows. Handles CRLF, LF and the bare-CR line endings of old Mac files."""
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


@dataclass(frozen=True)
class Column:
    """A column a layout knows: its canonical name and every header spelling seen for it."""

    name: str
    spellings: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Layout:
    """A table shape a parser recognises."""

    name: str
    columns: tuple[Column, ...]
    description: str = ""
    _index: dict[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        for col in self.columns:
            for s in (col.name, *col.spellings):
                self._index[header_key(s)] = col.name

    def match(self, header: Sequence[str]) -> tuple[dict[str, int] | None, list[str]]:
        """Map canonical names to positions, or say why the header does not fit."""
        positions: dict[str, int] = {}
        problems: list[str] = []
        for i, h in enumerate(header):
            if not h.strip():
                continue
            name = self._index.get(header_key(h))
            if name is None:
                problems.append(f"unknown column {h!r}")
            elif name in positions:
                problems.append(f"column {h!r} appears twice")
            else:
                positions[name] = i
        for col in self.columns:
            if col.required and col.name not in positions:
                problems.append(f"missing column {col.spellings[0] if col.spellings else col.name!r}")
        return (positions if not problems else None), problems


def recognise(doc: Document, header: Sequence[str], layouts: Sequence[Layout], where: str = "") -> tuple[
    Layout, dict[str, int]
]:
    """The one layout whose columns match `header`, or UnknownLayout saying what differs from the nearest."""
    best: tuple[int, Layout, list[str]] | None = None
    for layout in layouts:
        positions, problems = layout.match(header)
        if positions is not None:
            return layout, positions
        if best is None or len(problems) < best[0]:
            best = (len(problems), layout, problems)
    assert best is not None, "a parser must declare at least one layout"
    loc = f" in {where}" if where else ""
    raise UnknownLayout(
        doc,
        f"header{loc} matches no known layout; nearest is {best[1].name!r}: " + "; ".join(best[2])
        + f" (header was {list(header)!r})",
    )


@dataclass
class Row:
    """One data row with its 1-based line number as a spreadsheet would show it (header = 1)."""

    number: int
    cells: list[str]
    positions: Mapping[str, int]

    def get(self, name: str) -> str:
        i = self.positions.get(name)
        if i is None or i >= len(self.cells):
            return ""
        return self.cells[i]

    def has(self, name: str) -> bool:
        return name in self.positions


def table_rows(doc: Document, rows: list[list[str]], layouts: Sequence[Layout], where: str = "") -> tuple[
    Layout, Iterator[Row]
]:
    """Recognise the header (first non-empty row) and yield the data rows after it, skipping blank lines."""
    start = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if start is None:
        raise ParseError(doc, f"no rows{(' in ' + where) if where else ''}")
    layout, positions = recognise(doc, rows[start], layouts, where)

    def gen() -> Iterator[Row]:
        for i, cells in enumerate(rows[start + 1:], start=start + 2):
            if any(c.strip() for c in cells):
                yield Row(i, cells, positions)

    return layout, gen()


def zip_members(doc: Document) -> dict[str, bytes]:
    """Read every file of a ZIP, refusing encrypted members and anything that expands like a ZIP bomb."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(doc.data))
    except zipfile.BadZipFile as e:
        raise ParseError(doc, f"not a readable ZIP file ({e})") from e
    out: dict[str, bytes] = {}
    total = 0
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ParseError(doc, f"ZIP member {info.filename} is encrypted")
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000
            ):
                raise ParseError(doc, f"ZIP member {info.filename} would expand to {info.file_size} bytes: refused")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise ParseError(doc, "ZIP expands beyond the size limit: refused")
            with zf.open(info) as f:
                data = f.read(MAX_MEMBER_BYTES + 1)
            if len(data) > MAX_MEMBER_BYTES:
                raise ParseError(doc, f"ZIP member {info.filename} is larger than declared: refused")
            out[info.filename] = data
    if not out:
        raise ParseError(doc, "ZIP file holds no files")
    return out
