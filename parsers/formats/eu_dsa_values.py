"""Values as the EU DSA template prints them: dates, reporting periods, Member State scopes, median hours, and
table 1's summary (the period and the publication date every other table refers to)."""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, ParseError, UnknownLayout
from parsers.formats.declarations import Period, PeriodRule
from parsers.formats.interpreter import Row
from parsers.formats.table import Table
from parsers.formats.tabular import header_key
from parsers.normalise.values import CellValue, UnreadableCell, parse_number_cell

PLACEHOLDER_PERIOD = "yyyy-mm-dd/yyyy-mm-dd"
# Member States (and the EEA states the DSA also covers) as Eurostat's glossary writes them; EL is ISO's GR.
MEMBER_STATES = {c: c for c in ("AT BE BG HR CY CZ DK EE FI FR DE HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
                                "IS LI NO").split()} | {"EL": "GR"}
_DATE = re.compile(r"^\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\s*$")


def template_date(doc: Document, text: str, where: str) -> dt.date:
    """A date as filings write it: 2026-08-31, also 2026/8/31 (seen in real filings)."""
    m = _DATE.match(text)
    if m is None:
        raise ParseError(doc, f"{where}: {text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError as e:
        raise ParseError(doc, f"{where}: {text!r} is not a valid date ({e})") from e


def template_period(doc: Document, text: str, where: str) -> Period | None:
    """'2026-01-01/2026-06-30' as two dates; the template's own placeholder (or nothing) is None."""
    if not text.strip() or text.strip().lower() == PLACEHOLDER_PERIOD:
        return None
    parts = text.split("/") if text.count("/") == 1 else re.split(r"\s*/\s*(?=\d{4}[-/.])", text)
    if len(parts) != 2:
        raise ParseError(doc, f"{where}: reporting period {text!r} is not START/END")
    start, end = (template_date(doc, p, where) for p in parts)
    if start > end:
        raise ParseError(doc, f"{where}: reporting period {text!r} ends before it starts")
    return start, end


def period_or(default: Period | None, column: str = "period") -> PeriodRule:
    """The period rule: the row's reporting period, else table 1's; neither refuses the document."""
    def rule(doc: Document, row: Row) -> Period:
        where = f"{row.table.where.render()} row {row.number}"
        period = template_period(doc, row.get(column), where) or default
        if period is None:
            raise ParseError(doc, f"{where}: no reporting period in the row or in table 1")
        return period
    return rule


def member_state(doc: Document, scope: str, where: str) -> str | None:
    """The ISO code for a Scope cell: None for TOTAL (the all-EU total, never a country); anything else is an error."""
    if scope == "TOTAL":
        return None
    if scope not in MEMBER_STATES:
        raise ParseError(doc, f"{where}: scope {scope!r} is neither TOTAL nor a Member State code (Eurostat's glossary)")
    return MEMBER_STATES[scope]


def hours(text: str) -> CellValue:
    """A median time in hours. "12,5" may be a decimal comma or a thousands separator: refused, never guessed."""
    if "," in text:
        raise UnreadableCell(f"median time {text!r} has a comma: ambiguous decimal separator")
    return parse_number_cell(text)


def summary(doc: Document, table: Table) -> tuple[Period | None, str]:
    """Table 1: the reporting period (when filled in) and the publication date (ISO, or '')."""
    col = {header_key(h): i for i, h in enumerate(table.header)}
    ind, val = col.get("indicator"), col.get("value")
    if ind is None or val is None:
        raise UnknownLayout(doc, f"template table 1 ({table.where.render()}): no Indicator/Value columns")
    values = {header_key(c[ind].text): c[val].text.strip() for c in table.rows if max(ind, val) < len(c)}
    start, end = values.get("starting date of reporting period", ""), values.get("ending date of reporting period", "")
    period = None
    if start and end and start.lower() != "yyyy-mm-dd":
        period = (template_date(doc, start, "table 1 start"), template_date(doc, end, "table 1 end"))
    published = values.get("date of the publication of the report", "")
    if not published or published.lower() == "yyyy-mm-dd":
        return period, ""
    return period, template_date(doc, published, "table 1 publication date").isoformat()
