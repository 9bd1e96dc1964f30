"""Ranking Digital Rights' index data (ZIPs of CSVs, 2019 and 2022): outside ratings of companies' disclosure.

These are SCORES (0-100) given by RDR, never counts of requests: unit `score`, kind `other`. The fact's company
is the publisher ("ranking-digital-rights"); the rated company is `extra["rated_company"]` as RDR names it.
Read: every indicator score per company, and the element scores (per service) of the indicators on data about
government demands: 2022 P11a (user information) and F06 (content restriction); their 2019 equivalents are P11
("Data about third-party requests for user information", government and private requests together; element
P11.7 is the private-requests one) and F6 ("Data about government requests" to restrict content or accounts).
The other members (overviews, summary, total and level scores derived from these, indicator texts, sources) are
declared by name as not read; a member by any other name is quarantined.
"""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.table import zip_tables
from parsers.normalise.values import CellValue

SERIES = (("ranking-digital-rights", "corporate-accountability-index-2019"),
          ("ranking-digital-rights", "corporate-accountability-index-2022"))

# The research window of each edition: policies in force between the previous edition's cut-off and this one's,
# as RDR's methodology pages give them (the 2022 dates were not checked against a stored copy: see the note).
RESEARCH_PERIODS = {
    "corporate-accountability-index-2019": (dt.date(2018, 1, 13), dt.date(2019, 2, 8)),
    "corporate-accountability-index-2022": (dt.date(2020, 9, 16), dt.date(2021, 11, 1)),
}
PERIOD_NOTE = ("period = the index's research window (policies in force up to RDR's research cut-off), "
               "not a reporting period of the rated company")
# Indicators whose element scores are kept (per service), by edition.
GOVERNMENT_DEMAND_INDICATORS = {"2019": {"F6", "P11"}, "2022": {"F06", "P11a"}}


def _score(raw: str) -> CellValue | None:
    """RDR prints 'exclude' for an element not scored for that service: not applicable, never zero."""
    if raw.strip().lower() in ("exclude", "excluded"):
        return CellValue(None, None, None, Status.NOT_APPLICABLE, "excluded from scoring by RDR")
    return None


def _measure(metric: str) -> Measure:
    return Measure("Score", metric, Unit.SCORE, RequestType.OTHER, kind=Kind.OTHER, note=PERIOD_NOTE, reader=_score,
                   bounds=(0, 100))


INDICATOR, ELEMENT = _measure("rdr_indicator_score"), _measure("rdr_element_score")
OTHER = As(RequestType.OTHER)
COMPANY = Key("company", "Company", extra="rated_company")
INDICATOR_KEY = Key("indicator", "Indicator", extra="indicator", label=True)
ELEMENT_KEY = Key("element", "Element", extra="element", label=True, omit=("NA",))  # the label when printed
INDEX = Key("index", "Index", "request_type", values={"2022": OTHER})  # another edition's rows: refused
# yes / partial / no / no disclosure found; "Answer" is RDR's 2019 name for the same column
RESULT = Key("result", "Result", extra="result", aliases=("Answer",), omit=("NA",))
_2022 = (Key("type", "CompanyType"), Key("label", "CompanyLabel"), Key("category", "Category"),
         Key("nr", "IndicatorNr"), Key("suffix", "IndicatorSuffix"))
WANTED_2019, WANTED_2022 = GOVERNMENT_DEMAND_INDICATORS["2019"], GOVERNMENT_DEMAND_INDICATORS["2022"]

TABLES_2022 = (
    KnownTable("2022-indicator-scores", (INDICATOR_KEY, COMPANY, *_2022, Key("family", "IndicatorFam"),
                                         Key("is_sub", "isSubindicator"), INDEX), (INDICATOR,),
               where=r"2022-rdr-index-04-indicator-scores\.csv", extra={"element": ""}, required=True,
               description="2022-rdr-index-04-indicator-scores.csv: one score per company and indicator"),
    KnownTable("2022-element-scores", (ELEMENT_KEY, INDICATOR_KEY, COMPANY, *_2022, Key("elem_nr", "ElemNr"),
                                       Key("branch", "Branch"), Key("composite", "Composite"), Key("class", "Class"),
                                       Key("service", "Service", extra="service", omit=("",)), RESULT, INDEX),
               (ELEMENT,), where=r"2022-rdr-index-06-element-scores\.csv", ignored=("Comment",), required=True,
               select=lambda row: row.get("indicator") in WANTED_2022,
               description="2022-rdr-index-06-element-scores.csv: answers and scores per element and service"),
    KnownTable("2022-not-read", (), (), where=r"2022-rdr-index-(0[1235]|1[12])-.+\.csv|2022-rdr-index-.+-sources\.csv",
               facts=False, description="overview, summary, total and level scores, indicator texts, sources"),
)
TABLES_2019 = (
    KnownTable("2019-company-outcome", (
        ELEMENT_KEY, INDICATOR_KEY, COMPANY, Key("company_category", "Company_Category"), Key("class", "Class"),
        Key("service_name", "Service_Name"), Key("level", "Level", extra="service", omit=("NA",)),
        Key("category", "Category"), RESULT,
        # Scoring_Level last: its value picks the row's score (an indicator's, an element's; levels are not read).
        Key("scoring_level", "Scoring_Level", "request_type", values={
            "Indicator": As(RequestType.OTHER, measure=INDICATOR, extra={"element": ""}),
            "Element": As(RequestType.OTHER, measure=ELEMENT), "Level": OTHER, "Sublevel": OTHER})),
        (ELEMENT,), where=r"RDR2019_.+_Outcome\.csv", ignored=("Comments", "Sources"), required=True,
        select=lambda row: row.get("scoring_level") == "Indicator" or (
            row.get("scoring_level") == "Element" and row.get("indicator") in WANTED_2019),
        description="RDR2019_<Company>_Outcome.csv: indicator, level and element rows for one company"),
    KnownTable("2019-not-read", (), (), where=r"RDR2019_(01_Quick_Overview|02_Summary_Scores|.+_Sources)\.csv",
               facts=False, description="overview and summary scores derived from the outcomes, sources"),
)
LAYOUTS = layouts((*TABLES_2019, *TABLES_2022))


def read(doc: Document) -> Reading:
    window = RESEARCH_PERIODS.get(doc.series)
    if window is None:
        raise UnknownLayout(doc, f"no research period known for series {doc.series!r}")

    def period(d: Document, row: Row) -> Period:
        return window

    tables = TABLES_2019 if doc.series.endswith("2019") else TABLES_2022
    return interpret(doc, tables, sorted(zip_tables(doc), key=lambda t: t.where.member or ""), period=period)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))


__all__ = ["LAYOUTS", "SERIES", "parse", "read"]
