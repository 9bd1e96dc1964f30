"""Uber's law-enforcement requests CSV, one per year: two stacked sections under title rows, the US then Canada
("U.S. Law Enforcement Requests" / "US 2019", "Canada ..."), each of one or more tables separated by blank rows.
The 2018 US section stacks three: by jurisdiction (state, federal), by process, and a summary block laid out as a
form (totals beside a compliance breakdown), read cell by cell as declared in SUMMARY.

Period rule: the calendar year in the file's name (Uber reports yearly); a year printed in a title must agree.
Footnote marks ('1*') keep their raw text; the fact's note carries the footnote where the file prints it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.csv_report import Measure, Table, csv_rows, measure_facts, require_known, shape
from parsers.formats.figures import figure
from parsers.formats.stacked_tables import Block, Stack, footnote_note, split_mark, split_stack, stacked_table
from parsers.formats.tabular import Column, header_key

SERIES = (("uber", "us-law-enforcement"),)

T, U = RequestType, Unit
SECTIONS = ((re.compile(r"^U\.S\. Law Enforcement Requests$|^US (?P<year>\d{4})$"), "US"),
            (re.compile(r"^Canada Law Enforcement Requests$|^Canada (?P<year>\d{4})$"), "CA"))
FILE_YEAR = re.compile(r"Law-Enforcement-(?P<year>\d{4})-")
PCT = "%Total where some data was produced"
BY_JURISDICTION = shape("requests by jurisdiction", (Column("label", ("Government requests",)),), (
    Measure("Total requests", "requests", U.REQUESTS, T.ALL),
    Measure("Total requests withdrawn/no data found", "requests_withdrawn_or_no_data", U.REQUESTS, T.ALL),
    Measure("Total where some data was produced", "requests_some_data_produced", U.REQUESTS, T.ALL),
    Measure("Total driver/ rider accounts produced", "accounts_produced", U.ACCOUNTS, T.ALL),
    Measure(PCT, "percent_some_data_produced", U.PERCENT, T.ALL),
))
BY_PROCESS_2018 = shape("requests by process (2018)", (Column("label", ("Government requests", "Request type")),), (
    Measure("Driver accounts requested", "accounts_requested_drivers", U.ACCOUNTS),
    Measure("Rider accounts requested", "accounts_requested_riders", U.ACCOUNTS),
    Measure("Total requests", "requests", U.REQUESTS),
    Measure("Total where some data was produced", "requests_some_data_produced", U.REQUESTS),
    Measure(PCT, "percent_some_data_produced", U.PERCENT),
))
BY_PROCESS = shape("requests by process", (Column("label", ("Process recieved",)),), (  # sic: "recieved"
    Measure("Number of data requests", "requests", U.REQUESTS),
    Measure("Number of requests where some user data was disclosed", "requests_some_data_produced", U.REQUESTS),
    Measure("Number of users whose data was disclosed", "accounts_produced", U.ACCOUNTS),
    Measure("Percentage of requests where some user data was disclosed", "percent_some_data_produced", U.PERCENT),
))
SHAPES = (BY_JURISDICTION, BY_PROCESS_2018, BY_PROCESS)
LAYOUTS = tuple(s.layout for s in SHAPES)
PROCESSES = {"Subpoena + Summons": T.SUBPOENA, "Subpoena": T.SUBPOENA, "Search Warrant": T.SEARCH_WARRANT,
             "Emergency": T.EMERGENCY, "Court Order + Production Order": T.COURT_ORDER, "Court order": T.COURT_ORDER,
             "Legal Process": T.LEGAL_PROCESS, "Totals": T.ALL}
JURISDICTIONS = {"State": True, "Federal": True}  # kept as printed in extra["jurisdiction"]
# The 2018 summary block: its header, then each figure cell (data line 1-3, column) -> what it is.
SUMMARY_HEADER = ("Rider accounts requested", "Driver accounts requested",
                  "Total requests where some data was produced", "Compliance", "", "%Compliance")
SUMMARY_LABELS = {(2, 2): "%Total requests where some data was produced", (1, 3): "Fully complied",
                  (2, 3): "Partially complied", (3, 3): "Withdrawn/ no data found"}
SUMMARY: dict[tuple[int, int], tuple[str, Unit, str]] = {  # (line, column) -> metric, unit, label printed
    (1, 0): ("accounts_requested_riders", U.ACCOUNTS, "Rider accounts requested"),
    (1, 1): ("accounts_requested_drivers", U.ACCOUNTS, "Driver accounts requested"),
    (1, 2): ("requests_some_data_produced", U.REQUESTS, "Total requests where some data was produced"),
    (3, 2): ("percent_some_data_produced", U.PERCENT, "%Total requests where some data was produced"),
    (1, 4): ("requests_complied_fully", U.REQUESTS, "Fully complied"),
    (1, 5): ("percent_complied_fully", U.PERCENT, "Fully complied"),
    (2, 4): ("requests_complied_partially", U.REQUESTS, "Partially complied"),
    (2, 5): ("percent_complied_partially", U.PERCENT, "Partially complied"),
    (3, 4): ("requests_withdrawn_or_no_data", U.REQUESTS, "Withdrawn/ no data found"),
    (3, 5): ("percent_withdrawn_or_no_data", U.PERCENT, "Withdrawn/ no data found"),
}


def parse(doc: Document) -> list[Fact]:
    stack = split_stack(doc, csv_rows(doc))
    titles = list(dict.fromkeys((b.title, b.title_row) for b in stack.blocks))
    if len(titles) != len(SECTIONS):
        raise UnknownLayout(doc, f"{len(titles)} titled sections {titles}; Uber's file stacks {len(SECTIONS)}")
    period, year_note = _year(doc, titles)
    facts: list[Fact] = []
    for number, block in enumerate(stack.blocks, start=1):
        code = next(c for (t, _), (_, c) in zip(titles, SECTIONS, strict=True) if t == block.title)
        if tuple(header_key(h) for h in block.header) == tuple(header_key(h) for h in SUMMARY_HEADER):
            facts += _summary(doc, block, number, period, code, stack)
        else:
            facts += _table(doc, stacked_table(doc, block, SHAPES, f"table {number}", number), period, code, stack)
    return [dataclasses.replace(f, note="; ".join(n for n in (f.note, year_note) if n)) for f in facts]


def _year(doc: Document, titles: list[tuple[str, int | None]]) -> tuple[tuple[dt.date, dt.date], str]:
    """The file's calendar year, and a note when no title prints it; each title must be its section's and
    agree with the file name when it prints a year."""
    named = FILE_YEAR.search(doc.url.replace("%26", "&"))
    printed: set[int] = set()
    for (title, row), (pattern, _) in zip(titles, SECTIONS, strict=True):
        if not (m := pattern.match(title)):
            raise UnknownLayout(doc, f"row {row}: section title {title!r} is not {pattern.pattern!r}")
        printed |= {int(m["year"])} if m["year"] else set()
    years = printed | ({int(named["year"])} if named else set())
    if len(years) != 1:
        raise ParseError(doc, f"the year is {sorted(years) or 'printed nowhere'} (file name and titles)")
    (year,) = years
    note = "" if printed else (f"the file prints no year: {year} is read from its name, and the period is the "
                               "calendar year (Uber reports yearly)")
    return (dt.date(year, 1, 1), dt.date(year, 12, 31)), note


def _table(doc: Document, table: Table, period: tuple[dt.date, dt.date], code: str, stack: Stack) -> list[Fact]:
    facts: list[Fact] = []
    for row in table.rows:
        label, mark = split_mark(" ".join(row.get("label").split()))
        where = f"table {table.number} row {row.number}"
        extra, rtype = None, None
        if table.shape is BY_JURISDICTION:
            require_known(doc, label, JURISDICTIONS, "jurisdiction", where)
            extra = {"jurisdiction": label}
        else:
            rtype = require_known(doc, label, PROCESSES, "process", where)
        notes = {m.header: "; ".join(n for n in (footnote_note(mark, stack.footnotes),
                                                   footnote_note(split_mark(row.get(m.header))[1], stack.footnotes))
                                     if n) for m in table.shape.measures}
        facts += measure_facts(doc, table, row, period=period, country_raw=table.title, country_code=code,
                               request_type=rtype,
                               request_type_raw=label, row_is_total=rtype is T.ALL, extra=extra, notes=notes)
    return facts


def _summary(doc: Document, block: Block, number: int, period: tuple[dt.date, dt.date], code: str,
             stack: Stack) -> list[Fact]:
    """The form-like block: every filled cell must be a declared label or figure."""
    first = block.header_row + 1
    cells = {(n - first + 1, c): text for (n, c), text in block.non_blank().items()}
    unknown = {k: v for k, v in cells.items() if k not in SUMMARY and SUMMARY_LABELS.get(k) != v}
    if unknown or len(block.rows) != 3:
        raise UnknownLayout(doc, f"table {number}: the summary block differs from the declared form at "
                                 f"{sorted(unknown)} ({len(block.rows)} data rows)")
    facts = []
    for (line, col), (metric, unit, label) in SUMMARY.items():
        raw = cells.get((line, col), "")
        column = block.header[col] or block.header[col - 1]  # the blank one sits beside "Compliance"
        beside = f"printed under a blank header, beside {column!r} and the label {label!r}" * (not block.header[col])
        facts.append(figure(
            doc, period=period, country_raw=block.title, country_code_hint=code, request_type=T.ALL,
            request_type_raw=label, metric=metric,
            unit=unit, raw=raw, locator=Locator(table=number, row=first + line - 1, column=column),
            kind=Kind.USER_DATA, is_total=True,
            note="; ".join(n for n in (beside, footnote_note(split_mark(raw)[1], stack.footnotes)) if n),
        ))
    return facts
