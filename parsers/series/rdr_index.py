"""Ranking Digital Rights' index data (ZIPs of CSVs, 2019 and 2022): outside ratings of companies' disclosure.

These are SCORES (0-100) given by RDR, never counts of requests: unit `score`, kind `other`. The fact's company
is the publisher ("ranking-digital-rights"); the rated company is `extra["rated_company"]` as RDR names it.
Read: every indicator score per company, and the element scores (per service) of the indicators on data about
government demands: 2022 P11a (user information) and F06 (content restriction); their 2019 equivalents are P11
("Data about third-party requests for user information", government and private requests together; element
P11.7 is the private-requests one) and F6 ("Data about government requests" to restrict content or accounts).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.tabular import Column, Layout, Row, decode_text, read_rows, table_rows, zip_members
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

_COMPANY = Column("company", ("Company",))
_SCORE = Column("score", ("Score",))
_INDEX = Column("index", ("Index",))
_COMPANY_TYPE = Column("company_type", ("CompanyType",))
_LABEL = Column("company_label", ("CompanyLabel",))
_CATEGORY = Column("category", ("Category",))
_INDICATOR = Column("indicator", ("Indicator",))
_NR = Column("indicator_nr", ("IndicatorNr",))
_SUFFIX = Column("indicator_suffix", ("IndicatorSuffix",))

INDICATORS_2022 = Layout("2022-indicator-scores", (
    _INDEX, _COMPANY_TYPE, _COMPANY, _LABEL, _CATEGORY, Column("family", ("IndicatorFam",)), _INDICATOR,
    Column("is_sub", ("isSubindicator",)), _NR, _SUFFIX, _SCORE,
), description="2022-rdr-index-04-indicator-scores.csv: one score per company and indicator")
ELEMENTS_2022 = Layout("2022-element-scores", (
    _INDEX, _COMPANY_TYPE, _COMPANY, _LABEL, _CATEGORY, _INDICATOR, _NR, _SUFFIX, Column("element", ("Element",)),
    Column("element_nr", ("ElemNr",)), Column("branch", ("Branch",)), Column("composite", ("Composite",)),
    Column("class", ("Class",)), Column("service", ("Service",)), Column("result", ("Result",)),
    Column("comment", ("Comment",)), _SCORE,
), description="2022-rdr-index-06-element-scores.csv: answers and scores per element and service")
OUTCOME_2019 = Layout("2019-company-outcome", (
    Column("company_category", ("Company_Category",)), _COMPANY, Column("class", ("Class",)),
    Column("service", ("Service_Name",)), Column("level", ("Level",)), _CATEGORY, _INDICATOR,
    Column("scoring_level", ("Scoring_Level",)), Column("element", ("Element",)), _SCORE,
    Column("result", ("Answer",)), Column("comment", ("Comments",)), Column("sources", ("Sources",)),
), description="RDR2019_<Company>_Outcome.csv: indicator, level and element rows for one company")
LAYOUTS = (INDICATORS_2022, ELEMENTS_2022, OUTCOME_2019)

_EXCLUDED = {"exclude", "excluded"}


@dataclass(frozen=True)
class Member:
    name: str
    layout: Layout
    rows: list[Row]


def _score(raw: str) -> CellValue | None:
    """RDR prints 'exclude' for an element not scored for that service: not applicable, never zero."""
    if raw.strip().lower() in _EXCLUDED:
        return CellValue(None, None, None, Status.NOT_APPLICABLE, "excluded from scoring by RDR")
    return None


def _fact(doc: Document, member: Member, row: Row, *, indicator: str, element: str, service: str,
          period: tuple[dt.date, dt.date]) -> Fact:
    raw = row.get("score")
    extra = {"rated_company": row.get("company"), "indicator": indicator, "element": element}
    if service:
        extra["service"] = service
    if row.has("result") and row.get("result") not in ("", "NA"):
        extra["result"] = row.get("result")  # yes / partial / no / no disclosure found / N/A
    fact = figure(
        doc, period=period, country_raw="", request_type=RequestType.OTHER, request_type_raw=element or indicator,
        metric="rdr_element_score" if element else "rdr_indicator_score", unit=Unit.SCORE, raw=raw,
        locator=Locator(member=member.name, row=row.number, column="Score"), kind=Kind.OTHER, cell=_score(raw),
        note=PERIOD_NOTE, extra=extra,
    )
    if fact.value_high is not None and not 0 <= (fact.value_low or 0) <= fact.value_high <= 100:
        raise ParseError(doc, f"{fact.locator.render()}: score {raw!r} outside 0-100")
    return fact


def _members(doc: Document, patterns: dict[str, Layout]) -> list[Member]:
    out: list[Member] = []
    for name, data in sorted(zip_members(doc).items()):
        layout = next((lay for pat, lay in patterns.items() if re.fullmatch(pat, name.rsplit("/", 1)[-1])), None)
        if layout is None:
            continue
        _, rows = table_rows(doc, read_rows(decode_text(doc, data, name)), (layout,), where=name)
        out.append(Member(name, layout, list(rows)))
    found = {m.layout.name for m in out}
    if missing := [lay.name for lay in patterns.values() if lay.name not in found]:
        raise UnknownLayout(doc, f"ZIP lacks the member(s) for {missing}")
    return out


def _parse_2022(doc: Document, period: tuple[dt.date, dt.date]) -> list[Fact]:
    wanted = GOVERNMENT_DEMAND_INDICATORS["2022"]
    facts: list[Fact] = []
    for member in _members(doc, {r"2022-rdr-index-04-indicator-scores\.csv": INDICATORS_2022,
                                 r"2022-rdr-index-06-element-scores\.csv": ELEMENTS_2022}):
        for row in member.rows:
            if row.get("index") != "2022":
                raise UnknownLayout(doc, f"member={member.name};row={row.number}: Index {row.get('index')!r}")
            indicator = row.get("indicator")
            if member.layout is INDICATORS_2022:
                facts.append(_fact(doc, member, row, indicator=indicator, element="", service="", period=period))
            elif indicator in wanted:
                facts.append(_fact(doc, member, row, indicator=indicator, element=row.get("element"),
                                   service=row.get("service"), period=period))
    return facts


def _parse_2019(doc: Document, period: tuple[dt.date, dt.date]) -> list[Fact]:
    wanted = GOVERNMENT_DEMAND_INDICATORS["2019"]
    facts: list[Fact] = []
    for member in _members(doc, {r"RDR2019_.+_Outcome\.csv": OUTCOME_2019}):
        for row in member.rows:
            level, indicator = row.get("scoring_level"), row.get("indicator")
            if level == "Indicator":
                facts.append(_fact(doc, member, row, indicator=indicator, element="", service="", period=period))
            elif level == "Element" and indicator in wanted:
                facts.append(_fact(doc, member, row, indicator=indicator, element=row.get("element"),
                                   service=row.get("level"), period=period))
            elif level not in ("Element", "Level", "Sublevel"):
                raise UnknownLayout(doc, f"member={member.name};row={row.number}: Scoring_Level {level!r}")
    return facts


def parse(doc: Document) -> list[Fact]:
    period = RESEARCH_PERIODS.get(doc.series)
    if period is None:
        raise UnknownLayout(doc, f"no research period known for series {doc.series!r}")
    return _parse_2019(doc, period) if doc.series.endswith("2019") else _parse_2022(doc, period)


__all__ = ["LAYOUTS", "SERIES", "parse"]
