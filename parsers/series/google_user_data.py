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
- `google-usnationalsecurity-nsl-requests-released.csv` is a list of released letters (number, issue date,
  release date), not a statistic: its header is checked and it yields no facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from parsers.facts import Document, Fact, Kind, Locator, ParseError, RequestType, Unit, UnknownLayout
from parsers.formats.figures import figure
from parsers.formats.tabular import Column, Layout, Row, header_key
from parsers.formats.zip_csv import CsvMember, MemberTable, member_tables
from parsers.normalise.periods import half_year_ending
from parsers.normalise.values import UnreadableCell, band

SERIES = (("google", "user-data-requests"),)

_PERIOD = Column("period_ending", ("Period Ending",))
_CLDR = Column("cldr", ("CLDR Territory Code",))
_LEGAL = Column("legal_process", ("Legal Process",))
_PRODUCT = Column("product", ("Product",))
_ORIGIN = Column("country", ("Country/Region of Origin",))

GLOBAL_2018 = Layout("global-2018", (
    _PERIOD, Column("country", ("Country",)), _CLDR, _LEGAL, Column("requests", ("User Data Requests",)),
    Column("percent", ("Percentage of requests where some data produced",)),
    Column("accounts", ("Users/Accounts Specified",)),
), "the single CSV of releases up to 2018")
GLOBAL_2019 = Layout("global-2019", (
    _PERIOD, Column("country", ("Country/Region",)), _CLDR, _LEGAL, Column("requests", ("User Data Requests",)),
    Column("percent", ("Percentage disclosed",)), Column("accounts", ("Accounts",)),
), "google-global-user-data-requests.csv since 2019")
DIPLOMATIC = Layout("global-dlr", (
    _PERIOD, _ORIGIN, _CLDR, Column("requests", ("User Data Diplomatic Legal requests",)),
), "requests identified as sent through diplomatic procedures (e.g. MLAT)")
ENTERPRISE = Layout("enterprise", (
    _PERIOD, Column("country", ("Country/Region",)), _CLDR, _PRODUCT, _LEGAL,
    Column("requests", ("Enterprise Cloud customer requests",)), Column("customers", ("Enterprise Cloud customers",)),
    Column("percent", ("Percentage disclosed",)),
), "Enterprise Cloud (GCP, Workspace) customer requests")
ENTERPRISE_DIPLOMATIC = Layout("enterprise-dlr", (
    _PERIOD, _PRODUCT, _ORIGIN, Column("requests", ("Enterprise Diplomatic Legal requests",)),
), "Enterprise Cloud requests sent through diplomatic procedures")
NATIONAL_SECURITY = Layout("us-national-security", (
    Column("period_ending", ("Reporting period ending date",)),
    Column("requests_min", ("Number of requests (range MIN)",)), Column("requests_max", ("Number of requests (range MAX)",)),
    Column("accounts_min", ("Number of accounts (range MIN)",)), Column("accounts_max", ("Number of accounts (range MAX)",)),
), "FISA content, FISA non-content and NSL counts published as MIN/MAX bands")
NSL_RELEASED = Layout("nsl-released", (
    Column("nsl_number", ("National Security Letter (NSL) number",)), Column("issued", ("NSL issue date",)),
    Column("released", ("FBI release letter date",)),
), "a list of released NSLs: not a statistic, no facts")
LAYOUTS = (GLOBAL_2018, GLOBAL_2019, DIPLOMATIC, ENTERPRISE, ENTERPRISE_DIPLOMATIC, NATIONAL_SECURITY, NSL_RELEASED)

# Legal Process as printed -> (type, counts toward Google's totals).
_LEGAL_PROCESS: dict[str, tuple[RequestType, bool]] = {header_key(k): v for k, v in {
    "All": (RequestType.ALL, True),
    "Subpoenas": (RequestType.SUBPOENA, True),
    "Search Warrants": (RequestType.SEARCH_WARRANT, True),
    "Other Court Orders": (RequestType.COURT_ORDER, True),
    "Pen Register Orders": (RequestType.COURT_ORDER, True),
    "Wiretap Orders": (RequestType.COURT_ORDER, True),
    "Emergency Disclosure Requests": (RequestType.EMERGENCY, True),
    "Other Legal Requests": (RequestType.LEGAL_PROCESS, True),
    "Preservation Requests": (RequestType.PRESERVATION, False),  # excluded from totals: see module docstring
}.items()}

# Count columns: canonical column -> (metric, unit), per table family.
_GLOBAL_METRICS = {"requests": ("requests", Unit.REQUESTS), "percent": ("percent_some_data_produced", Unit.PERCENT),
                   "accounts": ("accounts_specified", Unit.ACCOUNTS)}
_ENTERPRISE_METRICS = {"requests": ("enterprise_requests", Unit.REQUESTS),
                       "customers": ("enterprise_customers", Unit.CUSTOMERS),
                       "percent": ("enterprise_percent_some_data_produced", Unit.PERCENT)}
_BANDS = (("requests", "requests", Unit.REQUESTS), ("accounts", "accounts_specified", Unit.ACCOUNTS))


def _period(doc: Document, t: MemberTable, row: Row) -> tuple[dt.date, dt.date]:
    text = row.get("period_ending")
    try:
        return half_year_ending(text)
    except ValueError as e:
        raise ParseError(doc, f"member={t.member};row={row.number}: {e}") from e


def _legal_process(doc: Document, t: MemberTable, row: Row) -> tuple[RequestType, str, bool]:
    raw = row.get("legal_process")
    found = _LEGAL_PROCESS.get(header_key(raw))
    if found is None:
        raise UnknownLayout(doc, f"member={t.member};row={row.number}: unknown Legal Process {raw!r}")
    return found[0], raw, found[1]


_DIPLOMATIC_NOTE = ("diplomatic (MLAT) requests are published in a separate file; Google does not say whether they "
                    "are also counted in the per-country figures, so they are not added to totals")


def _counts(doc: Document, t: MemberTable, metrics: dict[str, tuple[str, Unit]], diplomatic: bool) -> list[Fact]:
    """One fact per count cell of a global, diplomatic or enterprise table."""
    facts: list[Fact] = []
    for row in t.rows:
        if diplomatic:
            # Google's README does not say whether diplomatic requests are also inside the per-country counts of
            # the main file. Not adding them to totals is the safe reading: a sum can then only be too low, and
            # the note says so, never double-counted.
            rtype, rtype_raw, counts = RequestType.DIPLOMATIC, t.printed("requests"), False
        else:
            rtype, rtype_raw, counts = _legal_process(doc, t, row)
        extra = {"product": row.get("product")} if row.has("product") else {}
        for column, (metric, unit) in metrics.items():
            if not row.has(column):
                continue
            facts.append(figure(
                doc, period=_period(doc, t, row), country_raw=row.get("country").strip(),
                country_code_hint=row.get("cldr").strip() or None, request_type=rtype, request_type_raw=rtype_raw,
                metric=metric, unit=unit, raw=row.get(column), kind=Kind.USER_DATA,
                locator=Locator(member=t.member, row=row.number, column=t.printed(column)),
                is_total=rtype is RequestType.ALL, counts_toward_total=counts, extra=extra,
                note="" if counts else _DIPLOMATIC_NOTE,
            ))
    return facts


def _national_security(doc: Document, t: MemberTable, label: str) -> list[Fact]:
    """Bands published as two cells (MIN, MAX); equal bounds are an exact figure."""
    facts: list[Fact] = []
    for row in t.rows:
        for prefix, metric, unit in _BANDS:
            lo, hi = row.get(f"{prefix}_min"), row.get(f"{prefix}_max")
            where = Locator(member=t.member, row=row.number,
                            column=f"{t.printed(prefix + '_min')} | {t.printed(prefix + '_max')}")
            try:
                cell = band(lo, hi)
            except UnreadableCell as e:
                raise ParseError(doc, f"{where.render()}: {e}") from e
            facts.append(figure(
                doc, period=_period(doc, t, row), country_raw="", country_code_hint="US",
                request_type=RequestType.NATIONAL_SECURITY, request_type_raw=label, metric=metric, unit=unit,
                raw=f"{lo} | {hi}", cell=cell, locator=where, kind=Kind.NATIONAL_SECURITY,
                note="band printed as two cells (range MIN | range MAX); US authorities",
            ))
    return facts


Handler = Callable[[Document, MemberTable], list[Fact]]
_MEMBERS: tuple[tuple[CsvMember, Handler], ...] = (
    (CsvMember("global", r"google-(global-)?user-data-requests\.csv", (GLOBAL_2018, GLOBAL_2019)),
     lambda d, t: _counts(d, t, _GLOBAL_METRICS, diplomatic=False)),
    (CsvMember("global-dlr", r"google-global-user-data-dlr-requests\.csv", (DIPLOMATIC,)),
     lambda d, t: _counts(d, t, _GLOBAL_METRICS, diplomatic=True)),
    (CsvMember("enterprise", r"google-enterprise-data-requests\.csv", (ENTERPRISE,)),
     lambda d, t: _counts(d, t, _ENTERPRISE_METRICS, diplomatic=False)),
    # The README spells this member "enteprise"; the file itself is "enterprise".
    (CsvMember("enterprise-dlr", r"google-enter?prise-data-dlr-requests\.csv", (ENTERPRISE_DIPLOMATIC,)),
     lambda d, t: _counts(d, t, _ENTERPRISE_METRICS, diplomatic=True)),
    (CsvMember("fisa-content", r"google-usnationalsecurity-fisa-content-requests\.csv", (NATIONAL_SECURITY,)),
     lambda d, t: _national_security(d, t, "FISA content requests")),
    (CsvMember("fisa-non-content", r"google-usnationalsecurity-fisa-non-content-requests\.csv",
               (NATIONAL_SECURITY,)),
     lambda d, t: _national_security(d, t, "FISA non-content requests")),
    (CsvMember("nsl", r"google-usnationalsecurity-nsl-requests\.csv", (NATIONAL_SECURITY,)),
     lambda d, t: _national_security(d, t, "National Security Letters")),
    # A list of letters, not a statistic (see module docstring): recognised, then deliberately not counted.
    (CsvMember("nsl-released", r"google-usnationalsecurity-nsl-requests-released\.csv", (NSL_RELEASED,)),
     lambda d, t: []),
)


def parse(doc: Document) -> list[Fact]:
    handlers = {spec.name: handle for spec, handle in _MEMBERS}
    facts: list[Fact] = []
    for table in member_tables(doc, [spec for spec, _ in _MEMBERS]):
        facts.extend(handlers[table.spec.name](doc, table))
    return facts
