"""The EU DSA template's odd rows, read by one hook before the interpreter, and what the series sets aside.

The template leaves its own placeholder rows in place ("AT, […], SE" where a platform meant each Member State), writes
scopes as Eurostat codes (EL for Greece), nests keyword rows under the category row above them and fills "Other"
descriptions with filler text. `template_rows` gives the interpreter a table where each of these is a plain column.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.facts import Document
from parsers.formats.eu_dsa_values import member_state
from parsers.formats.interpreter import QUARANTINED, SET_ASIDE, Finding
from parsers.formats.table import Table, TableCell
from parsers.formats.tabular import header_key
from parsers.normalise.values import UnreadableCell, parse_number_cell

# Columns `template_rows` adds: not printed, each cell cites the printed cell it comes from.
CODE, PARENT, OTHER = "Scope as ISO code", "Parent category", "Sub-category Other as described"
PLACEHOLDERS = {'text to detail the "other" keyword.', "text", "free text", "yyyy-mm-dd"}  # template filler text


def set_aside(table: Table, why: str) -> Finding:
    """A template table the series does not read: quarantined, named, with its header and row count."""
    where = table.where.render() or "the file"
    return Finding(SET_ASIDE, where, tuple(table.header), len(table.rows),
                   f"{where}: template table {table.place}, {why}: not read")


def holds_figures(table: Table) -> bool:
    """Whether any cell reads as a number (a blank template holds none: only its labels and placeholders)."""
    def number(c: TableCell) -> bool:
        try:
            return not c.blank and parse_number_cell(c.raw).value is not None
        except UnreadableCell:
            return False
    return any(number(c) for r in table.rows for c in r)


def template_rows(doc: Document, table: Table, figures: set[str]) -> tuple[Table, list[Finding]]:
    """The hook for the template's odd rows. A scope naming no single Member State ("AT, […], SE" left in place) is
    set aside (a finding when it printed figures); a scope neither TOTAL nor a Member State code refuses the
    document. Adds the scope's ISO code, a keyword row's parent category (the category row above it) and the
    "Other" description unless it is the template's filler. `figures`: the header keys of the figure columns."""
    col = {header_key(h): i for i, h in enumerate(table.header)}
    scope_i, cat_i = col.get("scope"), col.get("category of illegal content")
    other_i = col.get(header_key('Description of the sub-category "Other"'))
    if scope_i is None:
        return table, []  # refused by the interpreter for its missing key column
    measure_i = [i for k, i in col.items() if k in figures]
    rows, numbers, findings, parent = [], [], [], None
    for n, cells in zip(table.numbers, table.rows, strict=True):
        scope, category = cells[scope_i].text.strip(), cells[cat_i].text.strip() if cat_i is not None else ""
        if category.startswith("STATEMENT_CATEGORY_") or category == "TOTAL":
            parent = cells[cat_i]  # type: ignore[index]
        if any(mark in scope for mark in ("[", "…", "...", ",")):
            if any(not cells[i].blank for i in measure_i if i < len(cells)):
                findings.append(Finding("row_set_aside", table.where.render(), tuple(table.header), 1, (
                    f"{table.where.render()} row {n}: scope {scope!r} names no single Member State; its figures "
                    "were not loaded"), QUARANTINED, table.header[scope_i]))
            continue
        code = member_state(doc, scope, f"{table.where.render()} row {n}")
        other = cells[other_i] if other_i is not None else None
        derived = [TableCell(code or "", replace(cells[scope_i].locator, column=CODE))]
        if cat_i is not None:
            keyword = category.startswith("KEYWORD_") and parent is not None
            derived.append(TableCell(parent.text.strip() if keyword else "", replace(  # type: ignore[union-attr]
                parent.locator if keyword else cells[cat_i].locator, column=PARENT)))  # type: ignore[union-attr]
        if other is not None:
            text = "" if other.text.strip().lower() in PLACEHOLDERS else other.text.strip()
            derived.append(TableCell(text, replace(other.locator, column=OTHER)))
        rows.append([*cells, *derived])
        numbers.append(n)
    header = [*table.header, CODE, *([PARENT] if cat_i is not None else []), *([OTHER] if other_i is not None else [])]
    return replace(table, header=header, rows=rows, numbers=numbers), findings
