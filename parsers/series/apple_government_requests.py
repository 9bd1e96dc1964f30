"""Apple's Transparency Report ZIP: one CSV per request type, one row per country and half-year."""

from __future__ import annotations

import datetime as dt

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit
from parsers.formats.csv_report import Measure, Shape, Table, measure_facts, require_known, shape
from parsers.formats.tabular import Column
from parsers.formats.zip_csv import CsvMember, member_tables
from parsers.normalise.periods import parse_half

SERIES = (("apple", "government-requests"),)

R, A, P = Unit.REQUESTS, Unit.ACCOUNTS, Unit.PERCENT
LEGAL, CONTENT = RequestType.LEGAL_PROCESS, RequestType.CONTENT_REMOVAL

# "TR Period" is spelled "TR Date" in the preservation file; the dates are US month-first (7/1/16).
KEYS = (Column("period", ("TR Period", "TR Date")), Column("start", ("TR Start Date",)),
        Column("end", ("TR End Date",)), Column("country", ("Country/Region",)))
PERCENT_PROVIDED = "Percentage of Requests where Data Provided"


def _app_takedown(name: str, received: str, label: str) -> Shape:
    return shape(name, KEYS, (
        Measure(received, "requests", R, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Apps Specified in Requests", "apps_specified", Unit.ITEMS, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Requests Objected to in Part or Rejected in Full", "requests_objected_or_rejected", R, CONTENT,
                label, Kind.CONTENT_REMOVAL),
        Measure("Requests where App Removed", "requests_with_app_removed", R, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Apps Removed", "apps_removed", Unit.ITEMS, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Appeals Received", "appeals_received", R, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Appeals Granted", "appeals_granted", R, CONTENT, label, Kind.CONTENT_REMOVAL),
        Measure("Apps Reinstated", "apps_reinstated", Unit.ITEMS, CONTENT, label, Kind.CONTENT_REMOVAL),
    ))


ACCOUNT = shape("account requests", KEYS, (
    Measure("Account Requests Received", "requests", R, LEGAL, "Account Requests"),
    Measure("Accounts Specified in Requests", "accounts_specified", A, LEGAL, "Account Requests"),
    Measure("Requests Challenged in Part or Rejected in Full", "requests_challenged_or_rejected", R, LEGAL,
            "Account Requests"),
    Measure("Requests where Only Non-Content Data Provided", "requests_non_content_provided", R, LEGAL,
            "Account Requests"),
    Measure("Requests where Content Provided", "requests_content_provided", R, LEGAL, "Account Requests"),
    Measure(PERCENT_PROVIDED, "percent_some_data_produced", P, LEGAL, "Account Requests"),
))
PRESERVATION = shape("account preservation requests", KEYS, (
    Measure("Account Preservation Requests Received", "requests", R, RequestType.PRESERVATION,
            "Account Preservation Requests"),
    Measure("Accounts Specified in Requests", "accounts_specified", A, RequestType.PRESERVATION,
            "Account Preservation Requests"),
    Measure("Accounts where Data Preserved", "accounts_preserved", A, RequestType.PRESERVATION,
            "Account Preservation Requests"),
))
_RESTRICT = "Account Restriction/ Account Deletion Requests"
RESTRICTION = shape("account restriction/deletion requests", KEYS, (
    Measure("Account Restriction/ Account Deletion Requests Received", "requests", R,
            RequestType.ACCOUNT_RESTRICTION, _RESTRICT),
    Measure("Accounts Specified in the Requests", "accounts_specified", A, RequestType.ACCOUNT_RESTRICTION,
            _RESTRICT),
    Measure("Requests Rejected/Challenged where No Action Taken", "requests_rejected_no_action", R,
            RequestType.ACCOUNT_RESTRICTION, _RESTRICT),
    Measure("Requests where Account Restricted", "requests_account_restricted", R, RequestType.ACCOUNT_RESTRICTION,
            _RESTRICT),
    Measure("Requests where Account Deleted", "requests_account_deleted", R, RequestType.ACCOUNT_RESTRICTION,
            _RESTRICT),
))
APP_LEGAL = _app_takedown("app takedown: legal violation", "Legal Violation Takedown Requests Received",
                          "Legal Violation Takedown Requests")
APP_POLICY = _app_takedown("app takedown: platform policy violation",
                           "Platform Policy Violation Takedown Requests Received",
                           "Platform Policy Violation Takedown Requests")
DEVICE = shape("device requests", KEYS, (
    Measure("Device Requests Received", "requests", R, LEGAL, "Device Requests"),
    Measure("Devices Specified in Requests", "devices_specified", Unit.DEVICES, LEGAL, "Device Requests"),
    Measure("Requests where Data Provided", "requests_some_data_produced", R, LEGAL, "Device Requests"),
    Measure(PERCENT_PROVIDED, "percent_some_data_produced", P, LEGAL, "Device Requests"),
))
EMERGENCY = shape("emergency requests", KEYS, tuple(
    Measure(h, metric, unit, RequestType.EMERGENCY, "Emergency Requests") for h, metric, unit in (
        ("Emergency Requests Received", "requests", R),
        ("Requests Rejected/Challenged and No Data Provided", "requests_rejected_no_data_provided", R),
        ("Requests where No Data Provided", "requests_no_data_provided", R),
        ("Requests where Data Provided", "requests_some_data_produced", R),
        (PERCENT_PROVIDED, "percent_some_data_produced", P))))
FINANCIAL = shape("financial identifier requests", KEYS, tuple(
    Measure(h, metric, unit, LEGAL, "Financial Identifier Requests") for h, metric, unit in (
        ("Financial Identifier Requests Received", "requests", R),
        ("Financial Identifiers Specified in Requests", "financial_identifiers_specified",
         Unit.FINANCIAL_IDENTIFIERS),
        ("Requests where Data Provided", "requests_some_data_produced", R),
        (PERCENT_PROVIDED, "percent_some_data_produced", P))))
# One row per national-security type: the type column says which (bands throughout).
NATIONAL_SECURITY = shape("US national security requests", (*KEYS, Column("type", (
    "National Security Requests Type",))), (
    Measure("Requests Received", "requests", R, kind=Kind.NATIONAL_SECURITY),
    Measure("Users/Accounts", "accounts_specified", A, kind=Kind.NATIONAL_SECURITY),
))
NATIONAL_SECURITY_TYPES = {"National Security": RequestType.NATIONAL_SECURITY,
                           "FISA Content": RequestType.NATIONAL_SECURITY,
                           "FISA Non-Content": RequestType.NATIONAL_SECURITY,
                           "NSLs": RequestType.NATIONAL_SECURITY}

MEMBERS = {
    "account_requests.csv": ACCOUNT, "account_preservation_requests.csv": PRESERVATION,
    "account_restriction_deletion_requests.csv": RESTRICTION,
    "app_takedown_legal_violation_requests.csv": APP_LEGAL,
    "app_takedown_platform_policy_violation_requests.csv": APP_POLICY, "device_requests.csv": DEVICE,
    "emergency_requests.csv": EMERGENCY, "financial_identifier_requests.csv": FINANCIAL,
    "us_national_security_requests.csv": NATIONAL_SECURITY,
}
KNOWN = tuple(CsvMember(name, name.replace(".", r"\."), (s.layout,)) for name, s in MEMBERS.items())
LAYOUTS = tuple(s.layout for s in MEMBERS.values())


def _period(doc: Document, where: str, label: str, start: str, end: str) -> tuple[dt.date, dt.date]:
    """'2013 H1' must agree with the printed start and end dates (US month-first: 7/1/16)."""
    try:
        period = parse_half(label)
        printed = (dt.datetime.strptime(start.strip(), "%m/%d/%y").date(),
                   dt.datetime.strptime(end.strip(), "%m/%d/%y").date())
    except ValueError as e:
        raise ParseError(doc, f"{where}: {e}") from e
    if printed != period:
        raise ParseError(doc, f"{where}: period {label!r} disagrees with its dates {start!r} - {end!r}")
    return period


def parse(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for mt in member_tables(doc, KNOWN):
        table = Table(MEMBERS[mt.spec.name], mt.header, mt.positions, list(mt.rows))
        for row in table.rows:
            where = f"member {mt.member} row {row.number}"
            period = _period(doc, where, row.get("period"), row.get("start"), row.get("end"))
            rtype, rtype_raw = None, ""
            if row.has("type"):
                rtype_raw = row.get("type").strip()
                rtype = require_known(doc, rtype_raw, NATIONAL_SECURITY_TYPES, "national-security type", where)
            facts += measure_facts(doc, table, row, period=period, country_raw=row.get("country").strip(),
                                   member=mt.member, request_type=rtype,
                                   request_type_raw=rtype_raw)
    return facts
