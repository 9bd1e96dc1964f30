"""Apple's Transparency Report ZIP: one CSV per request type, one row per country and half-year."""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.declarations import As, Key, KnownTable, Measure, Period
from parsers.formats.interpreter import Reading, Row, interpret, layouts, strict
from parsers.formats.table import zip_tables
from parsers.normalise.periods import parse_half

SERIES = (("apple", "government-requests"),)

R, A, P, ITEMS = Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT, Unit.ITEMS
T, CR = RequestType, Kind.CONTENT_REMOVAL

# "TR Period" is spelled "TR Date" in the preservation file; the dates are US month-first (7/1/16).
KEYS = (Key("period", "TR Period", "period", ("TR Date",)), Key("start", "TR Start Date", "period"),
        Key("end", "TR End Date", "period"), Key("country", "Country/Region", "country"))
PROVIDED = "Percentage of Requests where Data Provided"


def _table(member: str, label: str, rtype: RequestType, columns: tuple[tuple[str, str, Unit], ...], *,
           kind: Kind = Kind.USER_DATA) -> KnownTable:
    """One member: every figure column counts `rtype` requests labelled `label`."""
    return KnownTable(member, KEYS, tuple(Measure(h, metric, unit, rtype, label, kind) for h, metric, unit in columns),
                      where=member.replace(".", r"\."))


def _app_takedown(member: str, received: str, label: str) -> KnownTable:
    return _table(member, label, T.CONTENT_REMOVAL, (
        (received, "requests", R), ("Apps Specified in Requests", "apps_specified", ITEMS),
        ("Requests Objected to in Part or Rejected in Full", "requests_objected_or_rejected", R),
        ("Requests where App Removed", "requests_with_app_removed", R), ("Apps Removed", "apps_removed", ITEMS),
        ("Appeals Received", "appeals_received", R), ("Appeals Granted", "appeals_granted", R),
        ("Apps Reinstated", "apps_reinstated", ITEMS)), kind=CR)


TABLES = (
    _table("account_requests.csv", "Account Requests", T.LEGAL_PROCESS, (
        ("Account Requests Received", "requests", R), ("Accounts Specified in Requests", "accounts_specified", A),
        ("Requests Challenged in Part or Rejected in Full", "requests_challenged_or_rejected", R),
        ("Requests where Only Non-Content Data Provided", "requests_non_content_provided", R),
        ("Requests where Content Provided", "requests_content_provided", R),
        (PROVIDED, "percent_some_data_produced", P))),
    _table("account_preservation_requests.csv", "Account Preservation Requests", T.PRESERVATION, (
        ("Account Preservation Requests Received", "requests", R),
        ("Accounts Specified in Requests", "accounts_specified", A),
        ("Accounts where Data Preserved", "accounts_preserved", A))),
    _table("account_restriction_deletion_requests.csv", "Account Restriction/ Account Deletion Requests",
           T.ACCOUNT_RESTRICTION, (
               ("Account Restriction/ Account Deletion Requests Received", "requests", R),
               ("Accounts Specified in the Requests", "accounts_specified", A),
               ("Requests Rejected/Challenged where No Action Taken", "requests_rejected_no_action", R),
               ("Requests where Account Restricted", "requests_account_restricted", R),
               ("Requests where Account Deleted", "requests_account_deleted", R))),
    _app_takedown("app_takedown_legal_violation_requests.csv", "Legal Violation Takedown Requests Received",
                  "Legal Violation Takedown Requests"),
    _app_takedown("app_takedown_platform_policy_violation_requests.csv",
                  "Platform Policy Violation Takedown Requests Received", "Platform Policy Violation Takedown Requests"),
    _table("device_requests.csv", "Device Requests", T.LEGAL_PROCESS, (
        ("Device Requests Received", "requests", R),
        ("Devices Specified in Requests", "devices_specified", Unit.DEVICES),
        ("Requests where Data Provided", "requests_some_data_produced", R), (PROVIDED, "percent_some_data_produced", P))),
    _table("emergency_requests.csv", "Emergency Requests", T.EMERGENCY, (
        ("Emergency Requests Received", "requests", R),
        ("Requests Rejected/Challenged and No Data Provided", "requests_rejected_no_data_provided", R),
        ("Requests where No Data Provided", "requests_no_data_provided", R),
        ("Requests where Data Provided", "requests_some_data_produced", R), (PROVIDED, "percent_some_data_produced", P))),
    _table("financial_identifier_requests.csv", "Financial Identifier Requests", T.LEGAL_PROCESS, (
        ("Financial Identifier Requests Received", "requests", R),
        ("Financial Identifiers Specified in Requests", "financial_identifiers_specified", Unit.FINANCIAL_IDENTIFIERS),
        ("Requests where Data Provided", "requests_some_data_produced", R), (PROVIDED, "percent_some_data_produced", P))),
    # One row per national-security type: the type column says which (bands throughout).
    KnownTable("us_national_security_requests.csv", (*KEYS, Key("type", "National Security Requests Type",
                                                                "request_type", values={
        label: As(T.NATIONAL_SECURITY) for label in ("National Security", "FISA Content", "FISA Non-Content", "NSLs")})),
        (Measure("Requests Received", "requests", R, kind=Kind.NATIONAL_SECURITY),
         Measure("Users/Accounts", "accounts_specified", A, kind=Kind.NATIONAL_SECURITY)),
        where=r"us_national_security_requests\.csv"),
)
LAYOUTS = layouts(TABLES)


def period(doc: Document, row: Row) -> Period:
    """'2013 H1' must agree with the printed start and end dates (US month-first: 7/1/16)."""
    where = f"member {row.table.where.member} row {row.number}"
    label, start, end = row.get("period"), row.get("start"), row.get("end")
    try:
        half = parse_half(label)
        printed = (dt.datetime.strptime(start.strip(), "%m/%d/%y").date(),
                   dt.datetime.strptime(end.strip(), "%m/%d/%y").date())
    except ValueError as e:
        raise ParseError(doc, f"{where}: {e}") from e
    if printed != half:
        raise ParseError(doc, f"{where}: period {label!r} disagrees with its dates {start!r} - {end!r}")
    return half


def read(doc: Document) -> Reading:
    return interpret(doc, TABLES, zip_tables(doc), period=period)


def parse(doc: Document) -> list[Fact]:
    return strict(doc, read(doc))
