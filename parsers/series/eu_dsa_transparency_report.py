"""EU Digital Services Act transparency reports in the harmonised template: Member State orders (table 3).

Table 3 counts orders from Member States' authorities to act against illegal content (Article 9: content removal)
and to provide information about users (Article 10: user data), by category of illegal content and by Member State
("Scope": TOTAL is the all-EU total, never a country), with median response times in hours. Table 1 gives the
period and publication date, table 10 the average monthly active recipients per Member State (to compare per
million users). The other tables are recognised and set aside: they are not about government demands.
"""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats import eu_dsa_template as template
from parsers.formats.eu_dsa_template import TemplateTable
from parsers.formats.figures import figure
from parsers.formats.tabular import header_key

# Every platform that files the template (registry series with scope mandated-regional, region EU).
SERIES = (
    ("alibaba", "aliexpress-eu-dsa-transparency-report"), ("tiktok", "eu-dsa-transparency-report"),
    ("pdd-holdings", "temu-eu-dsa-transparency-report"), ("shein", "eu-dsa-transparency-report"),
    ("amazon", "eu-dsa-transparency-report"), ("meta", "facebook-eu-dsa-transparency-report"),
    ("meta", "instagram-eu-dsa-transparency-report"), ("google", "eu-dsa-transparency-report"),
    ("linkedin", "eu-dsa-transparency-report"), ("microsoft", "bing-eu-dsa-transparency-report"),
    ("x", "eu-dsa-transparency-report"), ("snap", "eu-dsa-transparency-report"),
    ("pinterest", "eu-dsa-transparency-report"),
)

ACT, INFO = (RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL), (RequestType.ALL, Kind.USER_DATA)
# Table 3's figure columns: header -> (metric, unit, (request type, kind), printed type label).
ORDER_MEASURES = {
    "Number of orders to act against illegal content received":
        ("orders_to_act", Unit.REQUESTS, ACT, "order to act against illegal content (DSA Art. 9)"),
    "Number of specific items of information included in the total number of orders to act against illegal content":
        ("items_in_orders_to_act", Unit.ITEMS, ACT, "order to act against illegal content (DSA Art. 9)"),
    "Median time to inform the authority of the receipt of the order to act against illegal content":
        ("median_hours_to_acknowledge", Unit.HOURS, ACT, "order to act against illegal content (DSA Art. 9)"),
    "Median time to give effect to the order to act against illegal content":
        ("median_hours_to_give_effect", Unit.HOURS, ACT, "order to act against illegal content (DSA Art. 9)"),
    "Number of orders to provide information":
        ("orders_to_provide_information", Unit.REQUESTS, INFO, "order to provide information (DSA Art. 10)"),
    "Median time to inform the authority of the receipt of the order to provide information":
        ("median_hours_to_acknowledge", Unit.HOURS, INFO, "order to provide information (DSA Art. 10)"),
    "Median time to give effect to the order to provide information":
        ("median_hours_to_give_effect", Unit.HOURS, INFO, "order to provide information (DSA Art. 10)"),
}
ORDER_KEYS = ("Applicability", "Service", "Reporting period", "Category of illegal content",
              'Description of the sub-category "Other"', "Scope")
RECIPIENT_COLUMNS = ("Applicability", "Service", "Reporting period", "Section", "Indicator", "Scope", "Value")
AMAR_INDICATOR = "number of average monthly active recipients during the reporting period"
BLANK_NOTE = ("left blank in the filing (the template's instructions: blank where the requirement does not apply, "
              "0 where nothing was received)")
HOURS_NOTE = "median time in hours, as the template requires"
REQUIRED_TABLE = "3 member states orders"
Period = tuple[dt.date, dt.date]


def parse(doc: Document) -> list[Fact]:
    return read(doc)[0]


def read(doc: Document) -> tuple[list[Fact], list[str]]:
    """Facts from tables 3 and 10, and what was set aside (other tables, unattributable rows), as messages."""
    tables, aside = template.read_filing(doc)
    first = next((t for t in tables if t.name == "1 summary"), None)
    period, published = template.summary(doc, first) if first else (None, "")
    facts: list[Fact] = []
    for table in tables:
        if table.name == REQUIRED_TABLE:
            facts += _orders(doc, table, period, published, aside)
        elif table.name == "10 average monthly active recipients":
            facts += _recipients(doc, table, period, published)
        elif table.name != "1 summary":
            aside.append(f"{table.where}: template table {table.name}, not about government demands: not read")
    if len(tables) > 1 and not any(t.name == REQUIRED_TABLE for t in tables):
        raise ParseError(doc, "a filing of several template tables without Member State orders (table 3), the "
                              "table this series cannot do without; " + "; ".join(aside))
    if not facts:
        raise ParseError(doc, "no Member State orders (template table 3) and no recipients (table 10) in this "
                              "filing; " + "; ".join(aside))
    return facts, aside


def _row_period(doc: Document, text: str, default: Period | None, where: str) -> Period:
    period = template.template_period(doc, text, where) or default
    if period is None:
        raise ParseError(doc, f"{where}: no reporting period in the row or in table 1")
    return period


def _orders(doc: Document, t: TemplateTable, default: Period | None, published: str, aside: list[str]) -> list[Fact]:
    pos = t.require_columns(doc, (*ORDER_KEYS, *ORDER_MEASURES))
    out: list[Fact] = []
    parent = ""
    for number, cells in t.rows:
        cell = {name: (cells[i].strip() if i < len(cells) else "") for name, i in pos.items()}
        category, scope = cell["Category of illegal content"], cell["Scope"]
        if category.startswith("STATEMENT_CATEGORY_") or category == "TOTAL":
            parent = category
        if not template.names_one_scope(scope):
            if any(cell[h] for h in ORDER_MEASURES):
                aside.append(f"{t.where} row {number}: scope {scope!r} names no single Member State; its figures "
                             "were not loaded")
            continue
        where = f"table 3 row {number}"
        period = _row_period(doc, cell["Reporting period"], default, where)
        other = cell['Description of the sub-category "Other"']
        keyword = category.startswith("KEYWORD_")
        extra = {"category": category, "service": cell["Service"]} | (
            {"other": other} if other and not template.is_placeholder(other) else {}) | (
            {"parent_category": parent} if keyword else {})
        for header, (metric, unit, (rtype, kind), label) in ORDER_MEASURES.items():
            raw, context = cell[header], t.context(cells, header)
            locator = Locator(member=t.member, sheet=t.sheet, row=number, column=t.header[pos[header]])
            notes = [BLANK_NOTE if not raw else "", HOURS_NOTE if unit is Unit.HOURS else "",
                     f"filing published {published}" if published else "",
                     f"a sub-category of {parent}: part of its figure, not to be added to it" if keyword else "",
                     f"the filing's context: {context}" if context else ""]
            out.append(figure(
                doc, period=period, country_raw=scope, country_code_hint=template.member_state(doc, scope, where),
                request_type=rtype, request_type_raw=label, metric=metric, unit=unit, raw=raw, locator=locator,
                kind=kind, is_total=scope == "TOTAL" or category == "TOTAL", counts_toward_total=not keyword,
                cell=template.hours_cell(doc, raw, locator) if unit is Unit.HOURS else None,
                note="; ".join(n for n in notes if n), extra=extra))
    return out


def _recipients(doc: Document, t: TemplateTable, default: Period | None, published: str) -> list[Fact]:
    pos = t.require_columns(doc, RECIPIENT_COLUMNS)
    out = []
    for number, cells in t.rows:
        cell = {name: (cells[i].strip() if i < len(cells) else "") for name, i in pos.items()}
        scope, where = cell["Scope"], f"table 10 row {number}"
        if header_key(cell["Indicator"]) != AMAR_INDICATOR:
            raise UnknownLayout(doc, f"{where}: unknown indicator {cell['Indicator']!r}")
        if not template.names_one_scope(scope):
            continue  # the template's "[...]" row, left in place
        out.append(figure(
            doc, period=_row_period(doc, cell["Reporting period"], default, where), country_raw=scope,
            country_code_hint=template.member_state(doc, scope, where), request_type=RequestType.OTHER,
            request_type_raw="average monthly active recipients", metric="average_monthly_active_recipients",
            unit=Unit.RECIPIENTS, raw=cell["Value"], kind=Kind.OTHER, is_total=scope == "TOTAL",
            locator=Locator(member=t.member, sheet=t.sheet, row=number, column=t.header[pos["Value"]]),
            note=f"filing published {published}" if published else "", extra={"service": cell["Service"]}))
    return out
