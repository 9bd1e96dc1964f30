"""A base for ZIPs of CSVs: every member is either a table a parser declared, a declared note, or an error.

A parser lists the members it knows (`CsvMember`: a name pattern and the layouts its header may take).
`member_tables` reads the ZIP safely, skips notes (README, licence, OS junk), recognises each data member's
header and hands back its rows. A member nobody declared is refused with `UnknownLayout` naming it: a new file
in a publisher's ZIP may be a new request type, and dropping it silently would understate the figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from parsers.facts import Document, ParseError, UnknownLayout
from parsers.formats.tabular import Layout, Row, decode_text, read_rows, table_rows, zip_members

# Members that explain the data rather than hold it. They are read by people, not parsed.
NOTE_MEMBER = re.compile(r"(readme|notes?|licen[cs]e|changelog)([._ -].*)?\.(txt|md|rtf|pdf|html?)$|^readme$",
                         re.IGNORECASE)
# Archive tooling junk (macOS resource forks, Finder files).
JUNK_MEMBER = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$)")


@dataclass(frozen=True)
class CsvMember:
    """A CSV a parser knows: `pattern` full-matches the member's file name (case-insensitive, folders ignored)."""

    name: str
    pattern: str
    layouts: tuple[Layout, ...]

    def claims(self, member: str) -> bool:
        return re.fullmatch(self.pattern, member.rsplit("/", 1)[-1], re.IGNORECASE) is not None


@dataclass
class MemberTable:
    """One recognised data member: which declaration claimed it, its layout, printed header and data rows."""

    member: str
    spec: CsvMember
    layout: Layout
    header: list[str]
    positions: Mapping[str, int]
    rows: Iterator[Row]

    def printed(self, column: str) -> str:
        """The header text as printed for a canonical column name (for locators)."""
        return self.header[self.positions[column]]


def _looks_like_html(data: bytes) -> bool:
    return data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def member_tables(doc: Document, known: Sequence[CsvMember]) -> list[MemberTable]:
    """The ZIP's data members, each recognised; refuses undeclared members and ZIPs with no data member."""
    if _looks_like_html(doc.data):
        raise ParseError(doc, "an HTML page was served instead of the ZIP file")
    tables: list[MemberTable] = []
    for member, data in zip_members(doc).items():
        base = member.rsplit("/", 1)[-1]
        if JUNK_MEMBER.search(member) or NOTE_MEMBER.fullmatch(base):
            continue
        claimants = [spec for spec in known if spec.claims(member)]
        if not claimants:
            raise UnknownLayout(doc, f"ZIP member {member!r} is not a file this parser knows "
                                     f"(known: {', '.join(s.name for s in known)})")
        if len(claimants) > 1:
            raise ParseError(doc, f"ZIP member {member!r} is claimed by {[s.name for s in claimants]}")
        spec = claimants[0]
        rows = read_rows(decode_text(doc, data, member))
        layout, data_rows = table_rows(doc, rows, spec.layouts, where=f"member {member}")
        header = next(r for r in rows if any(c.strip() for c in r))
        positions, _ = layout.match(header)
        assert positions is not None  # table_rows has just recognised this header
        tables.append(MemberTable(member, spec, layout, header, positions, data_rows))
    if not tables:
        raise ParseError(doc, "the ZIP holds no data member (only notes)")
    return tables
