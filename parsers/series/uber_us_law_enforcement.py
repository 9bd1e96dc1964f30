"""Uber's law-enforcement requests CSV, one per year: two stacked sections under title rows, the US then Canada
("U.S. Law Enforcement Requests" / "US 2019", "Canada ..."), each of one or more tables separated by blank rows.
The 2018 US section stacks three: by jurisdiction (state, federal), by process, and a summary block laid out as a
form (totals beside a compliance breakdown): a hook reads the form cell by cell as declared in FORM into a table of
(item, figure) that the interpreter reads like the others.

Period rule: the calendar year in the file's name (Uber reports yearly); a year printed in a title must agree.
Footnote marks ('1*') keep their raw text; the fact's note carries the footnote where the file prints it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from parsers.facts import Document, Fact, Locator, ParseError, RequestType, Unit
from parsers.formats.declarations import As, Dated, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.table import Table, TableCell, footnoted, stacked_tables
from parsers.formats.tabular import header_key

SERIES = (("uber", "us-law-enforcement"),)

T, U = RequestType, Unit
SECTIONS = ((re.compile(r"^U\.S\. Law Enforcement Requests$|^US (?P<year>\d{4})$"), "US"),
            (re.compile(r"^Canada Law Enforcement Requests$|^Canada (?P<year>\d{4})$"), "CA"))
FILE_YEAR = re.compile(r"Law-Enforcement-(?P<year>\d{4})-")
PCT, R, A, P = "%Total where some data was produced", U.REQUESTS, U.ACCOUNTS, U.PERCENT
JURISDICTION = Key("label", "Government requests", what="jurisdiction", extra="jurisdiction",
                   values={"State": As(), "Federal": As()})
PROCESSES = {"Subpoena + Summons": As(T.SUBPOENA), "Subpoena": As(T.SUBPOENA), "Search Warrant": As(T.SEARCH_WARRANT),
             "Emergency": As(T.EMERGENCY), "Court Order + Production Order": As(T.COURT_ORDER),
             "Court order": As(T.COURT_ORDER), "Legal Process": As(T.LEGAL_PROCESS),
             "Totals": As(T.ALL, is_total=True)}
# The 2018 summary block: its header, each label cell, and each figure cell (data line 1-3, column) -> what it is.
FORM_HEADER = ("Rider accounts requested", "Driver accounts requested",
               "Total requests where some data was produced", "Compliance", "", "%Compliance")
FORM_LABELS = {(2, 2): "%Total requests where some data was produced", (1, 3): "Fully complied",
               (2, 3): "Partially complied", (3, 3): "Withdrawn/ no data found"}
FORM: dict[tuple[int, int], tuple[str, Unit, str]] = {  # (line, column) -> metric, unit, label printed
    (1, 0): ("accounts_requested_riders", A, "Rider accounts requested"),
    (1, 1): ("accounts_requested_drivers", A, "Driver accounts requested"),
    (1, 2): ("requests_some_data_produced", R, "Total requests where some data was produced"),
    (3, 2): ("percent_some_data_produced", P, "%Total requests where some data was produced"),
    (1, 4): ("requests_complied_fully", R, "Fully complied"), (1, 5): ("percent_complied_fully", P, "Fully complied"),
    (2, 4): ("requests_complied_partially", R, "Partially complied"),
    (2, 5): ("percent_complied_partially", P, "Partially complied"),
    (3, 4): ("requests_withdrawn_or_no_data", R, "Withdrawn/ no data found"),
    (3, 5): ("percent_withdrawn_or_no_data", P, "Withdrawn/ no data found"),
}


def _item(col: int, label: str) -> str:
    return f"{label} | {FORM_HEADER[col] or FORM_HEADER[col - 1]}"


def _year(doc: Document, row: Row) -> Dated:
    """The file's calendar year; a year printed in the table's section title must agree with it."""
    named = FILE_YEAR.search(doc.url.replace("%26", "&"))
    printed = next((int(m["year"]) for p, _ in SECTIONS if (m := p.match(row.table.title)) and m["year"]), None)
    years = ({printed} if printed else set()) | ({int(named["year"])} if named else set())
    if len(years) != 1:
        raise ParseError(doc, f"the year is {sorted(years) or 'printed nowhere'} (file name and titles)")
    (year,) = years
    return Dated(dt.date(year, 1, 1), dt.date(year, 12, 31), "" if printed else (
        f"the file prints no year: {year} is read from its name, and the period is the calendar year (Uber "
        "reports yearly)"))


def _tables(code: str) -> tuple[KnownTable, ...]:
    def table(name: str, keys: tuple[Key, ...], measures: tuple[Measure, ...]) -> KnownTable:
        return KnownTable(f"{name} ({code})", keys, measures, where=code, period=_year, title_is_country=True,
                          country_code=code)
    process = Key("label", "Government requests", what="process", aliases=("Request type",), values=PROCESSES)
    return (
        table("requests by jurisdiction", (JURISDICTION,), tuple(Measure(h, m, u, T.ALL) for h, m, u in (
            ("Total requests", "requests", R), ("Total requests withdrawn/no data found",
                                                "requests_withdrawn_or_no_data", R),
            ("Total where some data was produced", "requests_some_data_produced", R),
            ("Total driver/ rider accounts produced", "accounts_produced", A), (PCT, "percent_some_data_produced", P)))),
        table("requests by process (2018)", (process,), tuple(Measure(h, m, u) for h, m, u in (
            ("Driver accounts requested", "accounts_requested_drivers", A),
            ("Rider accounts requested", "accounts_requested_riders", A), ("Total requests", "requests", R),
            ("Total where some data was produced", "requests_some_data_produced", R),
            (PCT, "percent_some_data_produced", P)))),
        table("requests by process", (dataclasses.replace(process, header="Process recieved", aliases=()),), tuple(
            Measure(h, m, u) for h, m, u in (  # sic: "recieved"
                ("Number of data requests", "requests", R),
                ("Number of requests where some user data was disclosed", "requests_some_data_produced", R),
                ("Number of users whose data was disclosed", "accounts_produced", A),
                ("Percentage of requests where some user data was disclosed", "percent_some_data_produced", P)))),
        table("summary block (a form)", (Key("item", "item", values={_item(c, label): As(T.ALL, measure=Measure(
            "figure", metric, unit, T.ALL, label, is_total=True, note="" if FORM_HEADER[c] else
            f"printed under a blank header, beside {FORM_HEADER[c - 1]!r} and the label {label!r}"))
            for (_, c), (metric, unit, label) in FORM.items()}),), (Measure("figure", "figure", U.OTHER),)),
    )


TABLES = (*_tables("US"), *_tables("CA"))
LAYOUTS = layouts(TABLES)


def _form(table: Table) -> Table:
    """The summary block as (item, figure) rows, every filled cell a declared label or figure; else as printed."""
    cells = {(r + 1, c): cell for r, row in enumerate(table.rows) for c, cell in enumerate(row) if cell.text.strip()}
    unknown = sorted(k for k, v in cells.items() if k not in FORM and FORM_LABELS.get(k) != v.text.strip())
    if unknown or len(table.rows) != 3:
        return dataclasses.replace(table, place="", unclaimed=f"the summary block differs from the declared form at "
                                   f"{unknown} ({len(table.rows)} data rows)")
    rows = []
    for (line, col), (_, _, label) in FORM.items():
        c = cells.get((line, col)) or TableCell("", table.rows[line - 1][col].locator)
        where = Locator(table=c.locator.table, row=table.numbers[line - 1], column=FORM_HEADER[col] or FORM_HEADER[
            col - 1])
        rows.append([TableCell(_item(col, label), where), dataclasses.replace(c, locator=where)])
    return Table(table.where, ["item", "figure"], rows, [r[0].locator.row or 0 for r in rows], table.title, table.place)


def read(doc: Document) -> Reading:
    tables, footnotes = stacked_tables(doc)
    titles = [t.title for i, t in enumerate(tables) if i == 0 or t.title != tables[i - 1].title]  # one per section
    out = []
    for t in tables:
        i = titles.index(t.title)
        pattern, code = SECTIONS[i] if i < len(SECTIONS) else (None, "")
        ok = pattern is not None and pattern.match(t.title)
        t = dataclasses.replace(footnoted(t, footnotes), place=code if ok else "", unclaimed=(
            f"section {t.title!r}: {len(titles)} titled sections {titles}; Uber's file stacks {len(SECTIONS)}"
            if pattern is None else f"section title {t.title!r} is not {pattern.pattern!r}"))
        printed = [header_key(h) for h in t.header]
        is_form = printed[:len(FORM_HEADER)] == list(map(header_key, FORM_HEADER)) and not any(
            printed[len(FORM_HEADER):])
        out.append(_form(t) if is_form else t)
    return interpret(doc, TABLES, out)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
