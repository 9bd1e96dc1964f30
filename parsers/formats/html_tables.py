"""A base for reports published as HTML tables: read every <table> as a grid, spreading colspan/rowspan cells.

Each grid cell keeps its text (whitespace collapsed), whether it was a header cell (<th>, or in <thead>), and the
1-based position of the table, row and column. `read_html` refuses empty files, non-HTML bytes and error pages
(a 404/403/500 page served with status 200 instead of the report), naming the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

from parsers.facts import Document, Locator, ParseError
from parsers.formats.tabular import decode_text

MAX_SPAN = 200  # a report table is never wider or longer than this; bigger spans are malformed markup
_ERROR_TITLE = re.compile(
    r"\b(404|403|500|502|503)\b|not found|page not found|access denied|forbidden|internal server error|"
    r"service unavailable|error", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlCell:
    text: str
    header: bool
    row: int  # 1-based row of the grid (a rowspan cell appears in each row it covers)
    column: int  # 1-based column of the grid
    spanned: bool = False  # True where the cell is a copy spread by colspan/rowspan, not where it was written


@dataclass
class HtmlTable:
    index: int  # 1-based, in document order
    element: etree._Element
    rows: list[list[HtmlCell]]

    def locator(self, row: int, column: str) -> Locator:
        return Locator(table=self.index, row=row, column=column)


def read_html(doc: Document) -> etree._Element:
    """The parsed page; a ParseError for empty files, bytes that are not HTML, and error pages."""
    if not doc.data.strip():
        raise ParseError(doc, "empty file (expected an HTML page)")
    head = doc.data.lstrip()[:500].lower()
    if not (head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<table" in doc.data[:20000].lower()):
        raise ParseError(doc, "not an HTML page")
    try:
        root = html.fromstring(doc.data)
    except (etree.ParserError, ValueError) as e:
        raise ParseError(doc, f"unreadable HTML ({e})") from e
    title = " ".join((root.findtext(".//title") or "").split())
    h1 = " ".join(" ".join(e.text_content().split()) for e in root.iter("h1"))
    if _ERROR_TITLE.search(title) or (not root.findall(".//table") and _ERROR_TITLE.search(h1)):
        raise ParseError(doc, f"an error page was served instead of the report (title {title!r})")
    return root


def page_text(doc: Document) -> str:
    """The decoded page (UTF-8 or CP-1252), for callers that need the raw markup."""
    return decode_text(doc)


def tables(root: etree._Element) -> list[HtmlTable]:
    """Every table of the page as a grid; nested tables are read as tables of their own."""
    out: list[HtmlTable] = []
    for i, table in enumerate(root.iter("table"), start=1):
        out.append(HtmlTable(i, table, _grid(table)))
    return out


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The table's rows, not those of tables nested inside it."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _grid(table: etree._Element) -> list[list[HtmlCell]]:
    grid: dict[tuple[int, int], HtmlCell] = {}
    rows = _own_rows(table)
    for r, tr in enumerate(rows, start=1):
        in_head = any(a.tag == "thead" for a in tr.iterancestors())
        c = 1
        for el in tr:
            if el.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = " ".join(el.text_content().split())
            cs = min(max(int(el.get("colspan", "1") or 1), 1), MAX_SPAN)
            rs = min(max(int(el.get("rowspan", "1") or 1), 1), MAX_SPAN)
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = HtmlCell(text, el.tag == "th" or in_head, r + dr, c + dc,
                                                      spanned=bool(dr or dc))
            c += cs
    n_rows = max((r for r, _ in grid), default=0)
    n_cols = max((c for _, c in grid), default=0)
    return [[grid.get((r, c)) or HtmlCell("", False, r, c) for c in range(1, n_cols + 1)]
            for r in range(1, n_rows + 1)]


def text_before(root: etree._Element, target: etree._Element, pattern: re.Pattern[str]) -> str | None:
    """The last text matching `pattern` that comes before `target` in document order (e.g. a period heading)."""
    found: str | None = None
    ancestors = set(target.iterancestors())  # their tails come after the target
    for el in root.iter():
        if el is target:
            return found
        for chunk in (el.text, None if el in ancestors else el.tail):
            if chunk and (m := pattern.search(" ".join(chunk.split()))):
                found = m.group(0)
    return found
