"""TikTok's law-enforcement and government-requests workbook (the 2021 H1 release, with history back to 2019 H1).

Sheets: "Information" (global legal and emergency user-data requests per half-year, dated by the period's last
day), "Information Map" (the latest half-year by country: the workbook does not print its period, so it is taken
from the file name, `TikTok-LIPGR-2021H1`, and checked against the last date of "Information"), "Government" and
"Government Map" (government content-removal requests, the same way), and "IP 1"-"IP 4" (copyright and trademark
notices from rights holders over irregular windows: not government requests, recognised and not loaded).
Percentages are stored as fractions of 1 and converted to 0-100 (noted on each fact).
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.spreadsheet import Sheet, Workbook, fraction_percent, number, read_workbook
from parsers.formats.tabular import Column, Layout, recognise
from parsers.normalise.periods import half_year, half_year_ending

SERIES = (("tiktok", "law-enforcement-and-government-requests"),)

_LEGAL, _EMERGENCY = RequestType.LEGAL_PROCESS, RequestType.EMERGENCY
_REMOVAL = RequestType.CONTENT_REMOVAL
# column -> (metric, unit, request type, is_total, kind); the header as printed is the raw request type.
_MEASURES: dict[str, tuple[str, Unit, RequestType, bool, Kind]] = {
    "legal": ("requests", Unit.REQUESTS, _LEGAL, False, Kind.USER_DATA),
    "emergency": ("requests", Unit.REQUESTS, _EMERGENCY, False, Kind.USER_DATA),
    "requests": ("requests", Unit.REQUESTS, RequestType.ALL, True, Kind.USER_DATA),
    "accounts": ("accounts_specified", Unit.ACCOUNTS, RequestType.ALL, False, Kind.USER_DATA),
    "pct_legal": ("percent_some_data_produced", Unit.PERCENT, _LEGAL, False, Kind.USER_DATA),
    "pct_emergency": ("percent_some_data_produced", Unit.PERCENT, _EMERGENCY, False, Kind.USER_DATA),
    "gov_requests": ("requests", Unit.REQUESTS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "content": ("items_requested", Unit.ITEMS, _REMOVAL, True, Kind.CONTENT_REMOVAL),
    "content_guidelines": ("items_removed_community_guidelines", Unit.ITEMS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "content_law": ("items_restricted_local_law", Unit.ITEMS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "content_none": ("items_not_actioned", Unit.ITEMS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "gov_accounts": ("accounts_specified", Unit.ACCOUNTS, _REMOVAL, True, Kind.CONTENT_REMOVAL),
    "accounts_guidelines": ("accounts_actioned_community_guidelines", Unit.ACCOUNTS, _REMOVAL, False,
                            Kind.CONTENT_REMOVAL),
    "accounts_law": ("accounts_actioned_local_law", Unit.ACCOUNTS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "accounts_none": ("accounts_not_actioned", Unit.ACCOUNTS, _REMOVAL, False, Kind.CONTENT_REMOVAL),
    "removal_rate": ("percent_removed", Unit.PERCENT, _REMOVAL, False, Kind.CONTENT_REMOVAL),
}
INFORMATION = Layout("information", (Column("date", ("Date",)), Column("legal", ("Total Legal Requests",)),
                                     Column("emergency", ("Total Emergency Requests",))))
INFORMATION_MAP = Layout("information-map", (
    Column("country", ("Country",)), Column("legal", ("Legal Request",)),
    Column("emergency", ("Emergency Request",)), Column("requests", ("Total Requests",)),
    Column("accounts", ("Total Accounts Specified",)),
    Column("pct_legal", ("Percentage of Legal Requests Where Some Data Was Produced",)),
    Column("pct_emergency", ("Percentage of Emergency Requests Where Some Data Was Produced",)),
))
GOVERNMENT = Layout("government", (Column("date", ("Date",)), Column("gov_requests", ("Total Government Requests",))))
GOVERNMENT_MAP = Layout("government-map", (
    Column("country", ("Country/Market",)), Column("gov_requests", ("Total Requests Received",)),
    Column("content", ("Total Content Received",)),
    Column("content_guidelines", ("Content Actioned due to Community Guidelines Violations",)),
    Column("content_law", ("Content Actioned due to (local) Law Violations",)),
    Column("content_none", ("Content Not Actioned",)), Column("gov_accounts", ("Total Accounts Received",)),
    Column("accounts_guidelines", ("Accounts Actioned due to Community Guidelines Violations",)),
    Column("accounts_law", ("Accounts Actioned due to (local) Law Violations",)),
    Column("accounts_none", ("Accounts Not Actioned",)), Column("removal_rate", ("Removal Rate",)),
))
IP_NOTICES = Layout("ip-notices", (
    Column("country", ("Country/Region",)), Column("range", ("Date Range",)),
    Column("total", ("Total Copyright Take-down Reports", "Total Trademark Take-down Reports")),
    Column("successful", ("Succesful Copyright Take-down Reports", "Succesful Trademark Take-down Reports",
                          "Successful Copyright Take-down Reports", "Successful Trademark Take-down Reports")),
    Column("percent", ("Percentage of Successful Reports",)),
), "rights holders' notices: not government requests, no facts")
LAYOUTS = (INFORMATION, INFORMATION_MAP, GOVERNMENT, GOVERNMENT_MAP, IP_NOTICES)
_FILE_HALF = re.compile(r"(\d{4})\s*[-_ ]?\s*H([12])", re.IGNORECASE)


def parse(doc: Document) -> list[Fact]:
    book = read_workbook(doc)
    # A sheet without a single number (a notes sheet) holds no figures; every other sheet must be recognised.
    tables = [(sheet, *_recognise(doc, sheet)) for sheet in book.sheets
              if any(isinstance(c.value, (int, float)) for c in sheet.cells.values())]
    m = _FILE_HALF.search(doc.url.rsplit("/", 1)[-1])
    if m is None:
        raise ParseError(doc, "the file name does not name the half-year of the country sheets")
    latest = half_year(int(m[1]), int(m[2]))
    facts: list[Fact] = []
    for sheet, layout, cols in tables:
        if layout is IP_NOTICES:
            continue
        if "date" in cols:
            facts += _history(doc, sheet, cols, latest)
        else:
            facts += _by_country(doc, sheet, cols, latest)
    _require(doc, book, facts)
    return facts


def _recognise(doc: Document, sheet: Sheet) -> tuple[Layout, dict[str, int]]:
    header = [sheet.text(1, c) for c in range(1, sheet.max_column + 1)]
    layout, positions = recognise(doc, header, LAYOUTS, where=f"sheet {sheet.name}")
    return layout, {name: i + 1 for name, i in positions.items()}  # list positions to 1-based columns


def _history(doc: Document, sheet: Sheet, cols: dict[str, int], latest: tuple[dt.date, dt.date]) -> list[Fact]:
    facts: list[Fact] = []
    dates: list[tuple[dt.date, dt.date]] = []
    for r in range(2, sheet.max_row + 1):
        stamp = sheet.value(r, cols["date"])
        if stamp is None and all(sheet.cell(r, c).is_blank for c in cols.values()):
            continue
        if not isinstance(stamp, (dt.date, dt.datetime)):
            raise ParseError(doc, f"sheet={sheet.name};row={r}: date cell {stamp!r} is not a date")
        day = stamp.date() if isinstance(stamp, dt.datetime) else stamp
        period = half_year_ending(day.isoformat())
        dates.append(period)
        facts += [_fact(doc, sheet, r, c, name, "", period, is_total=True)
                  for name, c in cols.items() if name != "date"]
    if not dates or max(dates) != latest:
        raise ParseError(doc, f"sheet={sheet.name}: its last half-year is not the file's ({latest[0]}..{latest[1]})")
    return facts


def _by_country(doc: Document, sheet: Sheet, cols: dict[str, int], period: tuple[dt.date, dt.date]) -> list[Fact]:
    facts: list[Fact] = []
    for r in range(2, sheet.max_row + 1):
        country = " ".join(sheet.text(r, cols["country"]).split())
        if not country and all(sheet.cell(r, c).is_blank for c in cols.values()):
            continue
        if not country:
            raise ParseError(doc, f"sheet={sheet.name};row={r}: figures without a country")
        facts += [_fact(doc, sheet, r, c, name, country, period) for name, c in cols.items() if name != "country"]
    return facts


def _fact(doc: Document, sheet: Sheet, r: int, c: int, name: str, country: str, period: tuple[dt.date, dt.date],
          is_total: bool = False) -> Fact:
    metric, unit, rtype, column_total, kind = _MEASURES[name]
    header = " ".join(sheet.text(1, c).split())
    where = sheet.locator(r, c, header)
    raw = number(doc, sheet, r, c)
    parsed, note = fraction_percent(doc, where, raw) if unit is Unit.PERCENT else (None, "")
    return figure(doc, period=period, country_raw=country, request_type=rtype, request_type_raw=header,
                  metric=metric, unit=unit, raw=raw, cell=parsed, locator=where, kind=kind,
                  is_total=is_total or column_total, note=note)


def _require(doc: Document, book: Workbook, facts: list[Fact]) -> None:
    """The two country sheets must be there: a release without them is not the layout this parser knows."""
    seen = {f.locator.sheet for f in facts}
    for name in ("Information Map", "Government Map"):
        if book.sheet(name) is None or book.sheet(name).name not in seen:  # type: ignore[union-attr]
            raise UnknownLayout(doc, f"no {name!r} sheet (sheets: {book.names})")
