"""EU Digital Services Act transparency reports in the harmonised template: Member State orders (table 3).

Table 3 counts orders from Member States' authorities to act against illegal content (Article 9: content removal)
and to provide information about users (Article 10: user data), by category of illegal content and by Member State
("Scope": TOTAL is the all-EU total, never a country), with median response times in hours. Table 1 gives the
period and publication date, table 10 the average monthly active recipients per Member State (to compare per
million users). The other tables are recognised and set aside (quarantined, said): they are not about government
demands.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.declarations import As, Correction, Key, KnownTable, Measure
from parsers.formats.eu_dsa_rows import CODE, OTHER, PARENT, holds_figures, set_aside, template_rows
from parsers.formats.eu_dsa_template import filing_tables
from parsers.formats.eu_dsa_values import hours, period_or, summary
from parsers.formats.interpreter import Reading, interpret, layouts, strict
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

ACT, INFO = "order to act against illegal content (DSA Art. 9)", "order to provide information (DSA Art. 10)"
HOURS_NOTE = "median time in hours, as the template requires"
BLANK_NOTE = ("left blank in the filing (the template's instructions: blank where the requirement does not apply, "
              "0 where nothing was received)")
KEYWORD = Correction((), lambda row, _: row.get("category").strip().startswith("KEYWORD_"), (
    "a keyword: a sub-category of the category in parent_category (the category row above it), part of its figure, "
    "not to be added to it"), counts_toward_total=False)


def _order(header: str, metric: str, unit: Unit, label: str, context: str = "") -> Measure:
    rtype, kind = (RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL) if label == ACT else (RequestType.ALL,
                                                                                           Kind.USER_DATA)
    return Measure(header, metric, unit, rtype, label, kind, note=HOURS_NOTE if unit is Unit.HOURS else "",
                   reader=hours if unit is Unit.HOURS else None, context=f"Contextual information on {context or header}")


COMMON = (Key("applicability", "Applicability"), Key("service", "Service", extra="service"),
          Key("period", "Reporting period", "period"), Key("scope", "Scope", "country"),
          Key("code", CODE, "country_code"))
ORDERS = KnownTable("template table 3 (Member State orders)", (
    *COMMON, Key("category", "Category of illegal content", extra="category"),
    Key("printed other", 'Description of the sub-category "Other"'), Key("other", OTHER, extra="other", omit_blank=True),
    Key("parent", PARENT, extra="parent_category", omit_blank=True),
), (
    _order("Number of orders to act against illegal content received", "orders_to_act", Unit.REQUESTS, ACT),
    _order("Number of specific items of information included in the total number of orders to act against illegal "
           "content", "items_in_orders_to_act", Unit.ITEMS, ACT),
    _order("Median time to inform the authority of the receipt of the order to act against illegal content",
           "median_hours_to_acknowledge", Unit.HOURS, ACT),
    _order("Median time to give effect to the order to act against illegal content", "median_hours_to_give_effect",
           Unit.HOURS, ACT),
    _order("Number of orders to provide information", "orders_to_provide_information", Unit.REQUESTS, INFO),
    _order("Median time to inform the authority of the receipt of the order to provide information",
           "median_hours_to_acknowledge", Unit.HOURS, INFO),
    _order("Median time to give effect to the order to provide information", "median_hours_to_give_effect",
           Unit.HOURS, INFO),
), where="3 member states orders", total_labels=("TOTAL",), total_keys=("category",), corrections=(KEYWORD,),
    closed=True, blank_note=BLANK_NOTE, description="Member States' orders (DSA Art. 9 and 10) by category and scope")
AMAR = "Number of average monthly active recipients during the reporting period"
RECIPIENTS = KnownTable("template table 10 (average monthly active recipients)", (
    *COMMON, Key("section", "Section"), Key("indicator", "Indicator", "request_type", values={AMAR: As(
        RequestType.OTHER)}),
), (Measure("Value", "average_monthly_active_recipients", Unit.RECIPIENTS, RequestType.OTHER,
            "average monthly active recipients", Kind.OTHER),),
    where="10 average monthly active recipients", total_labels=("TOTAL",), closed=True,
    description="average monthly active recipients per Member State")
TABLES = (ORDERS, RECIPIENTS)
LAYOUTS = layouts(TABLES)
NOT_READ = "not about government demands"


class FilingReading(Reading):
    """A Reading that also unpacks as (facts, messages): the template parser's first contract."""

    def __iter__(self):  # noqa: ANN204
        return iter((self.facts, [f.message for f in self.findings]))

    def __getitem__(self, i: int) -> object:
        return tuple(self)[i]


def read(doc: Document) -> FilingReading:
    """Facts from tables 3 and 10; every other table set aside with a finding naming it (partial, never zero rows).

    Table 3 cannot be done without in a filing of several tables, nor when it is present: its refusal refuses the
    document. A file that is only another template table is partial with no facts, unless it holds no figure at all
    (a blank template): then it is refused.
    """
    tables, findings = filing_tables(doc)
    first = next((t for t in tables if t.place == "1 summary"), None)
    period, published = summary(doc, first) if first else (None, "")
    known = {kt.where: kt for kt in TABLES}
    views, aside = [], [t for t in tables if t.place and t.place != "1 summary" and t.place not in known]
    for t in tables:
        if t.place in known:
            figures = {header_key(m.header) for m in known[t.place].measures}
            view, odd = template_rows(doc, t, figures)
            views.append(view)
            findings += odd
        elif not t.place:
            views.append(t)  # no template table: the interpreter quarantines it
    several = len([t for t in tables if t.place]) > 1 or any(t.place == ORDERS.where for t in tables)
    reading = interpret(doc, (replace(ORDERS, required=several), RECIPIENTS), views, period=period_or(period))
    facts = [replace(f, note="; ".join(n for n in (f.note, f"filing published {published}") if n)) if published
             else f for f in reading.facts]
    if not facts and not any(holds_figures(t) for t in aside):
        raise ParseError(doc, "no Member State orders (template table 3) and no recipients (table 10) in this "
                              "filing, and no figure in its other tables: " + "; ".join(
                                  [f"template table {t.place}" for t in tables] + [f.message for f in findings]))
    return FilingReading(facts, [*findings, *reading.findings, *(set_aside(t, NOT_READ) for t in aside)])


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
