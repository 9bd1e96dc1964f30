"""The format-neutral Table and its readers, on small synthetic inputs (each says what it stands for)."""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Locator, RequestType, Unit
from parsers.formats.declarations import Key, KnownTable, Measure
from parsers.formats.interpreter import interpret
from parsers.formats.table import csv_tables, label_number_table


def doc(data: bytes) -> Document:
    return Document(data=data, sha256="0" * 64, url="https://example.test/synthetic", company="c", series="s")


def test_stacked_csv_tables_keep_line_numbers_titles_and_table_index() -> None:
    # synthetic: two tables stacked under 'Table i/n:' titles, as X's history CSV stacks them
    text = b"Table 1/2: first\nA,B\n1,2\n\nTable 2/2: second\nC\n3\n"
    first, second = csv_tables(doc(text))
    assert (first.title, first.header, first.numbers, first.where) == ("Table 1/2: first", ["A", "B"], [3],
                                                                       Locator(table=1))
    assert second.rows[0][0].locator == Locator(table=2, row=7, column="C") and second.rows[0][0].text == "3"


def test_label_number_lines_read_as_a_table() -> None:
    # synthetic: the 'label: number' lines a PDF prints outside any ruled table
    lines = [(3, "Subpoenas: 1,204"), (4, "a paragraph of prose"), (5, "Search warrants: 87")]
    table = label_number_table(Locator(page=2), lines, re.compile(r"^(?P<label>[A-Za-z ]+):\s*(?P<figure>[\d,]+)$"))
    assert table.header == ["label", "figure"] and table.numbers == [3, 5]
    known = KnownTable("lines", (Key("label", "label", "request_type", label=True),),
                       (Measure("figure", "requests", Unit.REQUESTS, RequestType.LEGAL_PROCESS),))
    reading = interpret(doc(b"x"), (known,), [table], period=lambda d, r: (dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert [(f.request_type_raw, f.value, f.locator.render()) for f in reading.facts] == [
        ("Subpoenas", 1204, "page=2;row=3;column=figure"), ("Search warrants", 87, "page=2;row=5;column=figure")]
