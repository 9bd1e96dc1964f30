"""A PDF's lines cut into blocks, one under each known table title, up to prose or the next title; figures under
no known title are set apart (an unknown table)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from parsers.facts import Document, ParseError
from parsers.formats.pdf_printed import is_figure, is_period, label_key, strip_bullet
from parsers.formats.pdf_text_lines import Line


def is_prose(line: Line, longest: int = 60) -> bool:
    """Running text, not a table row: a segment longer than any label, or two text columns side by side."""
    texts = [s.text for s in line.segments if strip_bullet(s.text)]
    return any(len(t) > longest for t in texts) or (len(texts) > 1 and not any(
        is_figure(t) or is_period(t) for t in texts[1:]))


def starts_table(labels: Iterable[str], heading: Callable[[str], bool]) -> Callable[[Line], bool]:
    """A `continues` test for `split_blocks`: the page's first line is column headings, a heading or a row."""
    keys = {label_key(x) for x in labels}

    def test(line: Line) -> bool:
        first = next((strip_bullet(s.text) for s in line.segments if strip_bullet(s.text)), "")
        return all(is_period(s.text) for s in line.segments) or heading(first) or label_key(first) in keys
    return test


def split_blocks(doc: Document, lines: Sequence[Line], titles: Sequence[str], skip: re.Pattern[str],
                 spans_pages: Sequence[str] = (), continues: Callable[[Line], bool] = lambda line: True,
                 ends: Callable[[Line], bool] = is_prose,
                 outside: list[Line] | None = None) -> list[tuple[str, list[Line]]]:
    """The lines under each known title, up to the next title or a line for which `ends` holds (prose).

    Lines matching `skip` (page headers and footers, notes inside tables) are dropped. A line of column headings
    alone just above a title belongs to that title's block. A block ends at the end of its page, except the
    blocks named in `spans_pages`, which prose only interrupts until the next page and which go on at the top of
    the next page if `continues` holds for its first line. Figures found outside any
    block are refused (or, given `outside`, collected there for the caller to quarantine): a table under a title
    this parser does not know must not be lost silently.
    """
    wanted = {label_key(t): t for t in titles}
    spanning = {label_key(t) for t in spans_pages}
    blocks: list[tuple[str, list[Line]]] = []
    current: list[Line] | None = None
    pending: list[Line] = []
    page, span, paused = 0, False, False
    for line in lines:
        text = line.text
        if skip.search(text):
            continue
        if line.page != page:
            page, paused = line.page, False
            if not span or not continues(line):
                current, span = None, False
        if paused:
            continue
        key = label_key(text)
        if key in wanted:
            current = [*pending]
            span = key in spanning
            blocks.append((text, current))
        elif current is not None and ends(line):
            if span:
                paused = True
                continue
            current = None
        elif current is None and all(is_period(s.text) for s in line.segments):
            pending = [line]
            continue
        elif current is not None:
            current.append(line)
        elif len(line.segments) > 1 and any(is_figure(s.text) for s in line.segments[1:]):
            if outside is None:
                raise ParseError(doc, f"page {line.page}: figures outside any known table: {text!r}")
            outside.append(line)  # the caller quarantines them: an unknown table
        pending = []
    # A title with no figures under it is a heading of the explanatory text, not a table.
    return [(t, b) for t, b in blocks if any(is_figure(s.text) for line in b for s in line.segments)]
