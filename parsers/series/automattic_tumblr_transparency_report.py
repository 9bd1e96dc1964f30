"""Automattic's Tumblr transparency report: its own ZIP of four CSVs per half-year (the period is in each
member's name, "Jan-Jun 2023"). Government information requests print two stacked tables: by country, then
"US Stats" by request type (US requests only, read as country US). Government removal requests are by country;
DMCA and trademark notices (private complaints, kind "other") by month.

Not data, declared: the macOS resource forks under `__MACOSX/` and the Readme (prose saying what each CSV is).
Any other member, a third table or a table under another title is refused.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.csv_report import Measure, Shape, Table, measure_facts, require_known, shape
from parsers.formats.stacked_tables import UNLABELLED, split_stack, stacked_table
from parsers.formats.tabular import Column, decode_text, read_rows, zip_members
from parsers.normalise.periods import parse_month_range

SERIES = (("automattic", "tumblr-transparency-report"),)

T, U, K = RequestType, Unit, Kind
NOT_DATA = (re.compile(r"^__MACOSX/"), re.compile(r"(^|/)Readme\.txt$", re.IGNORECASE))
COUNTRY, MONTH = Column("label", ("Country",)), Column("label", ("Month", "MONTH"))
GOV_INFO = shape("government information requests by country", (COUNTRY,), (
    Measure("Total Notices", "requests", U.REQUESTS, T.ALL),
    Measure("Accounts Specified", "accounts_specified", U.ACCOUNTS, T.ALL),
    Measure("Compliance", "requests_complied", U.REQUESTS, T.ALL),
    Measure("% Compliance", "percent_complied", U.PERCENT, T.ALL),
))
US_STATS = shape("US government information requests by type", (Column("label", (UNLABELLED,)),), (
    Measure("total-notices", "requests", U.REQUESTS),
    Measure("ndos", "requests_with_nondisclosure_order", U.REQUESTS),
    Measure("compliance", "requests_complied", U.REQUESTS),
    Measure("% compliance", "percent_complied", U.PERCENT),
))
US_TYPES = {"Subpoena": T.SUBPOENA, "Search Warrant": T.SEARCH_WARRANT, "Emergency": T.EMERGENCY,
            "Court Order": T.COURT_ORDER, "Total": T.ALL}
CR, KR = T.CONTENT_REMOVAL, K.CONTENT_REMOVAL
REMOVALS = shape("government removal requests by country", (COUNTRY,), (
    Measure("Removal Requests", "requests", U.REQUESTS, CR, kind=KR),
    Measure("Accounts Specified", "accounts_specified", U.ACCOUNTS, CR, kind=KR),
    Measure("ToS - Unrelated", "requests_actioned_terms_of_service", U.REQUESTS, CR, kind=KR),
    Measure("Geoblock", "requests_geoblocked", U.REQUESTS, CR, kind=KR),
    Measure("No Action", "requests_no_action", U.REQUESTS, CR, kind=KR),
    Measure("Court Order", "requests_by_court_order", U.REQUESTS, CR, kind=KR),
    Measure("Other", "requests_by_other_process", U.REQUESTS, CR, kind=KR),
    Measure("% - ToS Violation", "percent_terms_of_service_violation", U.PERCENT, CR, kind=KR),
    Measure("% - Compliance", "percent_complied", U.PERCENT, CR, kind=KR),
))
DMCA = shape("DMCA notices by month", (MONTH,), (
    Measure("Total Notices", "notices", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("Valid Notices", "valid_notices", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("Posts Removed", "posts_removed", U.ITEMS, T.OTHER, kind=K.OTHER),
    Measure("Incomplete Notices", "incomplete_notices", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("Counter Notices", "counter_notices", U.OTHER, T.OTHER, kind=K.OTHER),
))
TRADEMARK = shape("trademark notices by month", (MONTH,), (
    Measure("# of Requests", "notices", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("# of URLs Affected", "urls_affected", U.ITEMS, T.OTHER, kind=K.OTHER),
    Measure("unique-emails", "unique_emails", U.OTHER, T.OTHER, kind=K.OTHER),
    Measure("tos-suspension", "requests_tos_suspension", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("tm-suspension", "requests_trademark_suspension", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("no-action", "requests_no_action", U.REQUESTS, T.OTHER, kind=K.OTHER),
    Measure("% where tm action taken", "percent_trademark_action", U.PERCENT, T.OTHER, kind=K.OTHER),
))
# member name -> the tables it stacks, in order, each with the title printed above it ("" for none)
MEMBERS: dict[str, tuple[tuple[str, Shape], ...]] = {
    "Government Info Requests": (("", GOV_INFO), ("US Stats", US_STATS)),
    "Gov Removal Requests": (("", REMOVALS),),
    "DMCA Requests": (("", DMCA),),
    "Trademark Reports": (("", TRADEMARK),),
}
MEMBER = re.compile(r"Tumblr (?P<what>[A-Za-z ]+?) (?P<period>(?:Jan-Jun|Jul-Dec) \d{4})\.csv$")
TOTALS = ("Global Total", "Total")


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for member, data in zip_members(doc).items():
        if any(p.search(member) for p in NOT_DATA):
            continue
        m = MEMBER.search(member)
        if not m or m["what"] not in MEMBERS:
            raise UnknownLayout(doc, f"ZIP member {member!r} is not a file this parser knows "
                                     f"(known: {', '.join(MEMBERS)}, and the declared non-data members)")
        expected = MEMBERS[m["what"]]
        stack = split_stack(doc, read_rows(decode_text(doc, data, member)))
        found = [(b.title, b.header_row) for b in stack.blocks]
        if [t for t, _ in found] != [t for t, _ in expected]:
            raise UnknownLayout(doc, f"member {member!r}: tables titled {found} (title, header row); "
                                     f"expected {[t for t, _ in expected]}")
        period = parse_month_range(m["period"])
        for i, (block, (_, table_shape)) in enumerate(zip(stack.blocks, expected, strict=True), start=1):
            table = stacked_table(doc, block, (table_shape,), f"member {member}",
                                  i if len(expected) > 1 else None)
            facts += _table(doc, table, member, period)
    if not facts:
        raise ParseError(doc, "the ZIP holds no data member")
    return facts


def _table(doc: Document, table: Table, member: str, period: tuple[dt.date, dt.date]) -> list[Fact]:
    facts: list[Fact] = []
    for row in table.rows:
        label, where = " ".join(row.get("label").split()), f"member {member} row {row.number}"
        total = label in TOTALS
        rtype, country, code, when = None, "" if total else label, "", period
        notes = [f"the period is the one the file's name gives ({period[0]:%b}-{period[1]:%b %Y})"]
        if table.shape is US_STATS:
            rtype, country, code = require_known(doc, label, US_TYPES, "request type", where), table.title, "US"
            notes.append(f"country read from the table title {table.title!r}: the table lists US requests only")
        elif table.shape in (DMCA, TRADEMARK) and not total:
            country, when, notes = "", _month(doc, label, period, where), []
        facts += measure_facts(doc, table, row, period=when, country_raw=country, country_code=code, member=member,
                               request_type=rtype, request_type_raw=label if rtype else "", row_is_total=total,
                               notes={m.header: "; ".join(notes) for m in table.shape.measures})
    return facts


def _month(doc: Document, label: str, period: tuple[dt.date, dt.date], where: str) -> tuple[dt.date, dt.date]:
    try:
        month = parse_month_range(f"{label.split()[0]}-{label}")  # "Jan 2023" -> January 2023
    except (ValueError, IndexError) as e:
        raise ParseError(doc, f"{where}: {label!r} is not a month") from e
    if not period[0] <= month[0] <= month[1] <= period[1]:
        raise ParseError(doc, f"{where}: month {label!r} lies outside the report's {period[0]} - {period[1]}")
    return month
