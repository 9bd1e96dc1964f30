"""Google's government removal requests ZIP: the summary by requester, the detail by product and reason, and the
historical (to mid-2019) summary and detail CSVs.

One fact per published cell. Every numeric column is mapped in `_CELLS`; a column no layout declares is refused.
Per-product / per-reason counts overlap (one request can name several products or reasons), so they are kept
with their dimensions in `extra` and are not summed into totals here.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Status, Unit
from parsers.formats.figures import figure
from parsers.formats.tabular import Column, Layout, Row
from parsers.formats.zip_csv import CsvMember, MemberTable, member_tables
from parsers.normalise.periods import half_year_ending
from parsers.normalise.values import CellValue

SERIES = (("google", "government-removals"),)

_PLACE = (Column("period_ending", ("Period Ending",)), Column("country", ("Country/Region", "Country")),
          Column("cldr", ("CLDR Territory Code",)))
_ITEMS = Column("items", ("Items Requested To Be Removed",))
_DETAIL = (Column("product", ("Product",)), Column("reason", ("Reason",)))

SUMMARY = Layout("summary-by-requester", (
    *_PLACE, Column("requester", ("Requester", "Requestor")), Column("requests", ("Number of Requests",)), _ITEMS,
    Column("pct_removed_legal", ("% Removed-Legal",)), Column("pct_removed_policy", ("% Removed-Policy",)),
    Column("pct_not_found", ("% Content Not Found",)), Column("pct_not_enough_info", ("% Not Enough Information",)),
    Column("pct_no_action", ("% No Action Taken",)), Column("pct_already_removed", ("% Content Already Removed",)),
), "google-government-removal-requests.csv (from 2019 H1)")
DETAIL = Layout("detail-by-product-reason", (*_PLACE, *_DETAIL, Column("requests", ("Total",))),
                "google-government-detailed-removal-requests.csv: requests per product and reason")
_GROUPS = {"all": "All Requests", "court": "Court Orders", "other": "Other Requests (Executive, Police, etc.)"}
HISTORICAL_SUMMARY = Layout("historical-summary", (*_PLACE, *(
    Column(f"{key}_{what}", (f"{label}: {printed}",))
    for key, label in _GROUPS.items()
    for what, printed in (("requests", "Number of Requests"), ("pct_complied", "% Fully Or Partially Complied With"),
                          ("items", "Items Requested To Be Removed"))
)), "google-government-removal-requests-historical.csv (2009 H2 - 2019 H1)")
HISTORICAL_DETAIL = Layout("historical-detail", (
    *_PLACE, *_DETAIL, Column("court_requests", ("Court Orders",)),
    Column("other_requests", ("Executive, Police, etc.",)), _ITEMS,
), "google-government-detailed-removal-requests-historical.csv (2009 H2 - 2019 H1)")
LAYOUTS = (SUMMARY, DETAIL, HISTORICAL_SUMMARY, HISTORICAL_DETAIL)

# Column -> (metric, unit, requester printed for this column or None, is_total). Requester None: from the row.
_Cell = tuple[str, Unit, str | None, bool]
_CELLS: dict[str, dict[str, _Cell]] = {
    SUMMARY.name: {
        "requests": ("requests", Unit.REQUESTS, None, False),
        "items": ("items_requested_removed", Unit.ITEMS, None, False),
        "pct_removed_legal": ("percent_removed_legal", Unit.PERCENT, None, False),
        "pct_removed_policy": ("percent_removed_policy", Unit.PERCENT, None, False),
        "pct_not_found": ("percent_content_not_found", Unit.PERCENT, None, False),
        "pct_not_enough_info": ("percent_not_enough_information", Unit.PERCENT, None, False),
        "pct_no_action": ("percent_no_action_taken", Unit.PERCENT, None, False),
        "pct_already_removed": ("percent_content_already_removed", Unit.PERCENT, None, False),
    },
    DETAIL.name: {"requests": ("requests", Unit.REQUESTS, None, False)},
    HISTORICAL_SUMMARY.name: {
        f"{key}_{what}": (metric, unit, label, key == "all")
        for key, label in _GROUPS.items()
        for what, metric, unit in (("requests", "requests", Unit.REQUESTS),
                                   ("pct_complied", "percent_fully_or_partially_complied", Unit.PERCENT),
                                   ("items", "items_requested_removed", Unit.ITEMS))
    },
    HISTORICAL_DETAIL.name: {
        "court_requests": ("requests", Unit.REQUESTS, "Court Orders", False),
        "other_requests": ("requests", Unit.REQUESTS, "Executive, Police, etc.", False),
        "items": ("items_requested_removed", Unit.ITEMS, None, False),
    },
}
assert all(set(_CELLS[lay.name]) == {c.name for c in lay.columns} - {"period_ending", "country", "cldr", "requester",
                                                                       "product", "reason"} for lay in LAYOUTS), \
    "every numeric column of every layout must be mapped"

# The historical summary prints "?" for China in 2009 H2 and 2010 H1: no figure was published.
_QUESTION_MARK = CellValue(None, None, None, Status.NOT_REPORTED, "printed '?': no figure published")


def _facts(doc: Document, t: MemberTable) -> list[Fact]:
    facts: list[Fact] = []
    for row in t.rows:
        facts.extend(_row_facts(doc, t, row))
    return facts


def _row_facts(doc: Document, t: MemberTable, row: Row) -> list[Fact]:
    try:
        period = half_year_ending(row.get("period_ending"))
    except ValueError as e:
        raise ParseError(doc, f"member={t.member};row={row.number}: {e}") from e
    dims = {name: row.get(name).strip() for name in ("product", "reason", "requester") if row.has(name)}
    out: list[Fact] = []
    for column, (metric, unit, requester, is_total) in _CELLS[t.layout.name].items():
        extra = dict(dims, requester=requester) if requester else dict(dims)
        raw = row.get(column)
        out.append(figure(
            doc, period=period, country_raw=row.get("country").strip(),
            country_code_hint=row.get("cldr").strip() or None, request_type=RequestType.CONTENT_REMOVAL,
            request_type_raw=extra.get("requester") or extra.get("reason", ""), metric=metric, unit=unit, raw=raw,
            cell=_QUESTION_MARK if raw.strip() == "?" else None, kind=Kind.CONTENT_REMOVAL, is_total=is_total,
            locator=Locator(member=t.member, row=row.number, column=t.printed(column)), extra=extra,
        ))
    return out


_MEMBERS = (
    CsvMember("summary", r"google-government-removal-requests\.csv", (SUMMARY,)),
    CsvMember("detail", r"google-government-detailed-removal-requests\.csv", (DETAIL,)),
    CsvMember("historical-summary", r"google-government-removal-requests-historical\.csv", (HISTORICAL_SUMMARY,)),
    CsvMember("historical-detail", r"google-government-detailed-removal-requests-historical\.csv",
              (HISTORICAL_DETAIL,)),
)


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for table in member_tables(doc, _MEMBERS):
        facts.extend(_facts(doc, table))
    return facts
