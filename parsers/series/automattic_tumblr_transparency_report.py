"""Automattic's Tumblr transparency report: its own ZIP of four CSVs per half-year (the period is in each
member's name, "Jan-Jun 2023"). Government information requests print two stacked tables: by country, then
"US Stats" by request type (US requests only, read as country US). Government removal requests are by country;
DMCA and trademark notices (private complaints, kind "other") by month.

Not data, declared: the macOS resource forks under `__MACOSX/` and the Readme (prose saying what each CSV is).
Any other member, or a table under another title, is quarantined.
"""

from __future__ import annotations

import dataclasses
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.declarations import As, Dated, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.table import JUNK_MEMBER, NOTE_MEMBER, Table, stacked_tables
from parsers.formats.tabular import zip_members
from parsers.normalise.periods import parse_month_range

SERIES = (("automattic", "tumblr-transparency-report"),)

T, U, K = RequestType, Unit, Kind
MEMBER = re.compile(r"Tumblr (?P<what>[A-Za-z ]+?) (?P<period>(?:Jan-Jun|Jul-Dec) \d{4})\.csv$")
KNOWN = ("Government Info Requests", "Gov Removal Requests", "DMCA Requests", "Trademark Reports")
TOTALS = ("Global Total", "Total")
COUNTRY = (Key("country", "Country", "country"),)
MONTH = (Key("month", "Month", "period", aliases=("MONTH",)),)
US_TYPES = Key("type", "", "request_type", what="request type", values={  # its header cell is blank
    "Subpoena": As(T.SUBPOENA), "Search Warrant": As(T.SEARCH_WARRANT), "Emergency": As(T.EMERGENCY),
    "Court Order": As(T.COURT_ORDER), "Total": As(T.ALL, is_total=True)})


def _where(what: str, title: str = "") -> str:
    return rf".*Tumblr {what} (Jan-Jun|Jul-Dec) \d{{4}}\.csv" + (f" / {title}" if title else "")


def _file_period(doc: Document, row: Row) -> Dated:
    m = MEMBER.search(row.table.where.member or "")
    assert m is not None  # the declarations claim only members named so
    start, end = parse_month_range(m["period"])
    return Dated(start, end, f"the period is the one the file's name gives ({start:%b}-{end:%b %Y})")


def _month(doc: Document, row: Row) -> Dated:
    """A month row's own month ("Jan 2023"), within the file's half-year; the Total row is the half-year."""
    label, period = " ".join(row.get("month").split()), _file_period(doc, row)
    if label in TOTALS:
        return period
    try:
        month = parse_month_range(f"{label.split()[0]}-{label}")  # "Jan 2023" -> January 2023
    except (ValueError, IndexError) as e:
        raise ParseError(doc, f"member {row.table.where.member} row {row.number}: {label!r} is not a month") from e
    if not period.start <= month[0] <= month[1] <= period.end:
        raise ParseError(doc, f"member {row.table.where.member} row {row.number}: month {label!r} lies outside the "
                              f"report's {period.start} - {period.end}")
    return Dated(*month, "")


def _measures(kind: Kind, rtype: RequestType, *columns: tuple[str, str, Unit]) -> tuple[Measure, ...]:
    return tuple(Measure(h, metric, unit, rtype, kind=kind) for h, metric, unit in columns)


R, A, P, N, OT = U.REQUESTS, U.ACCOUNTS, U.PERCENT, U.ITEMS, U.OTHER
TABLES = (
    KnownTable("government information requests by country", COUNTRY, _measures(
        K.USER_DATA, T.ALL, ("Total Notices", "requests", R), ("Accounts Specified", "accounts_specified", A),
        ("Compliance", "requests_complied", R), ("% Compliance", "percent_complied", P)),
        where=_where(KNOWN[0]), period=_file_period, total_labels=TOTALS, total_is_no_country=True),
    KnownTable("US government information requests by type", (US_TYPES,), tuple(dataclasses.replace(
        m, request_type=None, note="country read from the table title 'US Stats': the table lists US requests only")
        for m in _measures(K.USER_DATA, T.ALL, ("total-notices", "requests", R),
                           ("ndos", "requests_with_nondisclosure_order", R), ("compliance", "requests_complied", R),
                           ("% compliance", "percent_complied", P))),
        where=_where(KNOWN[0], "US Stats"), period=_file_period, country="US Stats", country_code="US"),
    KnownTable("government removal requests by country", COUNTRY, _measures(
        K.CONTENT_REMOVAL, T.CONTENT_REMOVAL, ("Removal Requests", "requests", R),
        ("Accounts Specified", "accounts_specified", A), ("ToS - Unrelated", "requests_actioned_terms_of_service", R),
        ("Geoblock", "requests_geoblocked", R), ("No Action", "requests_no_action", R),
        ("Court Order", "requests_by_court_order", R), ("Other", "requests_by_other_process", R),
        ("% - ToS Violation", "percent_terms_of_service_violation", P), ("% - Compliance", "percent_complied", P)),
        where=_where(KNOWN[1]), period=_file_period, total_labels=TOTALS, total_is_no_country=True),
    KnownTable("DMCA notices by month", MONTH, _measures(
        K.OTHER, T.OTHER, ("Total Notices", "notices", R), ("Valid Notices", "valid_notices", R),
        ("Posts Removed", "posts_removed", N), ("Incomplete Notices", "incomplete_notices", R),
        ("Counter Notices", "counter_notices", OT)),
        where=_where(KNOWN[2]), period=_month, total_labels=TOTALS, total_key="month"),
    KnownTable("trademark notices by month", MONTH, _measures(
        K.OTHER, T.OTHER, ("# of Requests", "notices", R), ("# of URLs Affected", "urls_affected", N),
        ("unique-emails", "unique_emails", OT), ("tos-suspension", "requests_tos_suspension", R),
        ("tm-suspension", "requests_trademark_suspension", R), ("no-action", "requests_no_action", R),
        ("% where tm action taken", "percent_trademark_action", P)),
        where=_where(KNOWN[3]), period=_month, total_labels=TOTALS, total_key="month"),
)
LAYOUTS = layouts(TABLES)


def tables(doc: Document) -> list[Table]:
    """The stacked tables of every data member, each named for its finding should no declaration claim it."""
    out: list[Table] = []
    for member, data in zip_members(doc).items():
        if JUNK_MEMBER.search(member) or NOTE_MEMBER.fullmatch(member.rsplit("/", 1)[-1]):
            continue
        found, _ = stacked_tables(doc, data, member)
        m = MEMBER.search(member)
        titles = [t.title for t in found]
        named = (f"member {member!r}: tables titled {titles}" if m and m["what"] in KNOWN else
                 f"ZIP member {member!r} is not a file this parser knows (known: {', '.join(KNOWN)})")
        out += [dataclasses.replace(t, unclaimed=named) for t in found]
    if not out:
        raise ParseError(doc, "the ZIP holds no data member")
    return out


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, tables(doc))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
