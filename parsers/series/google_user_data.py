"""Google's user-data requests ZIP: global, diplomatic, enterprise and US national-security CSVs (2018-2022 forms).

The ZIP has held one CSV with the pre-2019 column names (`Country`, `Percentage of requests where some data
produced`, `Users/Accounts Specified`) and, since 2019, a set of CSVs plus a README. Both generations of the
global table map to the same metrics; the printed header stays in each fact's locator.

Decisions, each taken from the files or Google's own notes:
- "All" rows are the figure for every legal process together. In these releases Google never prints an "All" row
  beside its component rows for the same period and country: it printed "All" where it gave no breakdown.
- Preservation requests do not count toward totals: Google's user-data FAQ (support.google.com/transparencyreport/
  answer/7380434) says "We do not include preservation requests in request totals for each country because we do
  not disclose data in these cases." (The README in the ZIP does not say it.)
- Diplomatic (MLAT) requests are published in a separate file; Google's README does not say whether they are also
  inside the per-country counts. Not adding them to totals is the safe reading: a sum can only be too low.
- `google-usnationalsecurity-nsl-requests-released.csv` is a list of released letters (number, issue date,
  release date), not a statistic: its header is checked and it yields no facts.
"""

from __future__ import annotations

from parsers.facts import Document, Fact, Kind, RequestType, Unit
from parsers.formats.declarations import As, Key, KnownTable, Measure
from parsers.formats.interpreter import Reading, half_year_ending_in, interpret, layouts, strict
from parsers.formats.table import zip_tables

SERIES = (("google", "user-data-requests"),)

T, R, P = RequestType, Unit.REQUESTS, Unit.PERCENT
PERIOD = Key("period_ending", "Period Ending", "period")
CLDR = Key("cldr", "CLDR Territory Code", "country_code")
COUNTRY = Key("country", "Country/Region", "country")
ORIGIN = Key("country", "Country/Region of Origin", "country")
PRODUCT = Key("product", "Product", extra="product")
# Legal Process as printed: its request type, and whether it counts toward Google's totals (see docstring).
LEGAL = Key("legal_process", "Legal Process", "request_type", values={
    "All": As(T.ALL, is_total=True), "Subpoenas": As(T.SUBPOENA), "Search Warrants": As(T.SEARCH_WARRANT),
    "Other Court Orders": As(T.COURT_ORDER), "Pen Register Orders": As(T.COURT_ORDER),
    "Wiretap Orders": As(T.COURT_ORDER), "Emergency Disclosure Requests": As(T.EMERGENCY),
    "Other Legal Requests": As(T.LEGAL_PROCESS), "Preservation Requests": As(T.PRESERVATION, False)})
DIPLOMATIC_NOTE = ("diplomatic (MLAT) requests are published in a separate file; Google does not say whether they "
                   "are also counted in the per-country figures, so they are not added to totals")
GLOBAL = r"google-(global-)?user-data-requests\.csv"


def _diplomatic(header: str, metric: str) -> Measure:
    return Measure(header, metric, R, T.DIPLOMATIC, header, counts_toward_total=False, note=DIPLOMATIC_NOTE)


def _bands(member: str, label: str) -> KnownTable:
    """FISA and NSL counts published as MIN/MAX bands over two cells; equal bounds are an exact figure."""
    note = "band printed as two cells (range MIN | range MAX); US authorities"
    return KnownTable("us-national-security", (Key("period_ending", "Reporting period ending date", "period"),), tuple(
        Measure(f"Number of {what} (range MIN)", metric, unit, T.NATIONAL_SECURITY, label, Kind.NATIONAL_SECURITY,
                note=note, high=f"Number of {what} (range MAX)")
        for what, metric, unit in (("requests", "requests", R), ("accounts", "accounts_specified", Unit.ACCOUNTS))),
        where=f"google-usnationalsecurity-{member}-requests\\.csv", country_code="US", part=member)


TABLES = (
    KnownTable("global-2018", (PERIOD, Key("country", "Country", "country"), CLDR, LEGAL), (
        Measure("User Data Requests", "requests", R), Measure(
            "Percentage of requests where some data produced", "percent_some_data_produced", P),
        Measure("Users/Accounts Specified", "accounts_specified", Unit.ACCOUNTS)), where=GLOBAL, required=True,
        part="global", description="the single CSV of releases up to 2018"),
    KnownTable("global-2019", (PERIOD, COUNTRY, CLDR, LEGAL), (
        Measure("User Data Requests", "requests", R), Measure("Percentage disclosed", "percent_some_data_produced", P),
        Measure("Accounts", "accounts_specified", Unit.ACCOUNTS)), where=GLOBAL, required=True,
        part="global", description="google-global-user-data-requests.csv since 2019"),
    KnownTable("global-dlr", (PERIOD, ORIGIN, CLDR), (
        _diplomatic("User Data Diplomatic Legal requests", "requests"),), where=r"google-global-user-data-dlr-requests\.csv"),
    KnownTable("enterprise", (PERIOD, COUNTRY, CLDR, PRODUCT, LEGAL), (
        Measure("Enterprise Cloud customer requests", "enterprise_requests", R),
        Measure("Enterprise Cloud customers", "enterprise_customers", Unit.CUSTOMERS),
        Measure("Percentage disclosed", "enterprise_percent_some_data_produced", P)),
        where=r"google-enterprise-data-requests\.csv"),
    # The README spells this member "enteprise"; the file itself is "enterprise".
    KnownTable("enterprise-dlr", (PERIOD, PRODUCT, ORIGIN), (
        _diplomatic("Enterprise Diplomatic Legal requests", "enterprise_requests"),),
        where=r"google-enter?prise-data-dlr-requests\.csv"),
    _bands("fisa-content", "FISA content requests"),
    _bands("fisa-non-content", "FISA non-content requests"),
    _bands("nsl", "National Security Letters"),
    KnownTable("nsl-released", (Key("nsl_number", "National Security Letter (NSL) number"),
                                Key("issued", "NSL issue date"), Key("released", "FBI release letter date")), (),
               where=r"google-usnationalsecurity-nsl-requests-released\.csv", facts=False,
               description="a list of released NSLs: not a statistic, no facts"),
)
LAYOUTS = layouts(TABLES)


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, zip_tables(doc), period=half_year_ending_in("period_ending"))


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
