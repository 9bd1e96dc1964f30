"""Google's government removal requests ZIP: the summary by requester, the detail by product and reason, and the
historical (to mid-2019) summary and detail CSVs.

One fact per published cell. Per-product / per-reason counts overlap (one request can name several products or
reasons), so they are kept with their dimensions in `extra` and are not summed into totals here.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit
from parsers.formats.declarations import Correction, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, half_year_ending_in, interpret, layouts, strict
from parsers.formats.table import zip_tables
from parsers.normalise.values import CellValue

SERIES = (("google", "government-removals"),)

T, CR, R, N, P = RequestType.CONTENT_REMOVAL, Kind.CONTENT_REMOVAL, Unit.REQUESTS, Unit.ITEMS, Unit.PERCENT
PLACE = (Key("period_ending", "Period Ending", "period"), Key("country", "Country/Region", "country", ("Country",)),
         Key("cldr", "CLDR Territory Code", "country_code"))
DETAIL = (Key("product", "Product", extra="product"), Key("reason", "Reason", extra="reason", label=True))
ITEMS = "Items Requested To Be Removed"


def _m(header: str, metric: str, unit: Unit, requester: str = "", is_total: bool = False) -> Measure:
    """A removal figure; `requester` where the column (not the row) says who asked."""
    return Measure(header, metric, unit, T, requester, CR, is_total,
                   extra={"requester": requester} if requester else {})


# The historical summary prints "?" for China in 2009 H2 and 2010 H1: no figure was published.
QUESTION_MARK = Correction((), lambda row, column: row.get(column).strip() == "?", "printed '?': no figure published",
                           cell=CellValue(None, None, None, Status.NOT_REPORTED))
GROUPS = {"All Requests": True, "Court Orders": False, "Other Requests (Executive, Police, etc.)": False}
TABLES = (
    KnownTable("summary-by-requester", (*PLACE, Key("requester", "Requester", aliases=("Requestor",),
                                                    extra="requester", label=True)), (
        _m("Number of Requests", "requests", R), _m(ITEMS, "items_requested_removed", N),
        *(_m(f"% {h}", f"percent_{m}", P) for h, m in (
            ("Removed-Legal", "removed_legal"), ("Removed-Policy", "removed_policy"),
            ("Content Not Found", "content_not_found"), ("Not Enough Information", "not_enough_information"),
            ("No Action Taken", "no_action_taken"), ("Content Already Removed", "content_already_removed")))),
        where=r"google-government-removal-requests\.csv", corrections=(QUESTION_MARK,),
        description="google-government-removal-requests.csv (from 2019 H1)"),
    KnownTable("detail-by-product-reason", (*PLACE, *DETAIL), (_m("Total", "requests", R),),
               where=r"google-government-detailed-removal-requests\.csv", corrections=(QUESTION_MARK,),
               description="google-government-detailed-removal-requests.csv: requests per product and reason"),
    KnownTable("historical-summary", PLACE, tuple(
        _m(f"{label}: {printed}", metric, unit, label, total) for label, total in GROUPS.items()
        for printed, metric, unit in (("Number of Requests", "requests", R),
                                      ("% Fully Or Partially Complied With", "percent_fully_or_partially_complied", P),
                                      (ITEMS, "items_requested_removed", N))),
        where=r"google-government-removal-requests-historical\.csv", corrections=(QUESTION_MARK,),
        description="google-government-removal-requests-historical.csv (2009 H2 - 2019 H1)"),
    KnownTable("historical-detail", (*PLACE, *DETAIL), (
        _m("Court Orders", "requests", R, "Court Orders"),
        _m("Executive, Police, etc.", "requests", R, "Executive, Police, etc."), _m(ITEMS, "items_requested_removed", N)),
        where=r"google-government-detailed-removal-requests-historical\.csv", corrections=(QUESTION_MARK,),
        description="google-government-detailed-removal-requests-historical.csv (2009 H2 - 2019 H1)"),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, zip_tables(doc), period=half_year_ending_in("period_ending"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
