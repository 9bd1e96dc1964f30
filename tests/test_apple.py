"""Apple's Transparency Report ZIP (2022-02-25 capture, 2013 H1 - 2020 H2): cells, arithmetic, layout drift."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import zipfile
from collections import defaultdict
from functools import cache

import pytest

from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import apple_government_requests as apple
from tests.corpus import document

URL = "Apple_Transparency_Report.zip"


@cache
def real() -> tuple[Document, tuple[Fact, ...]]:
    doc = document(URL)
    return doc, tuple(apple.parse(doc))


def cell(facts: tuple[Fact, ...] | list[Fact], member: str, row: int, column: str) -> Fact:
    hits = [f for f in facts if (f.locator.member, f.locator.row, f.locator.column) == (member, row, column)]
    assert len(hits) == 1, (member, row, column, len(hits))
    return hits[0]


def members(doc: Document) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(doc.data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(doc: Document, files: dict[str, bytes]) -> Document:
    """A synthetic variant of the real ZIP (built in the test, never stored)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return dataclasses.replace(doc, data=buf.getvalue(), sha256="synthetic")


def rewrite(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(change(rows))
    return out.getvalue().encode()


def numbers(facts: list[Fact] | tuple[Fact, ...]) -> set[tuple[object, ...]]:
    return {(f.locator.member, f.locator.row, f.metric, f.request_type_raw, f.period_start, f.country_raw,
             f.value, f.value_low, f.value_high, f.status) for f in facts}


def test_every_member_is_read_with_fact_counts() -> None:
    _, facts = real()
    per_member: dict[str, int] = defaultdict(int)
    for f in facts:
        per_member[f.locator.member or ""] += 1
    # rows x figure columns of each CSV (e.g. account_requests: 656 rows x 6).
    assert per_member == {
        "account_requests.csv": 656 * 6, "device_requests.csv": 791 * 4, "financial_identifier_requests.csv": 383 * 4,
        "emergency_requests.csv": 256 * 5, "account_preservation_requests.csv": 199 * 3,
        "app_takedown_legal_violation_requests.csv": 42 * 8,
        "app_takedown_platform_policy_violation_requests.csv": 11 * 8,
        "account_restriction_deletion_requests.csv": 51 * 5, "us_national_security_requests.csv": 28 * 2,
    }


def test_known_cells() -> None:
    _, facts = real()
    # account_requests.csv row 2: 2013 H1, 1/1/13-6/30/13, Australia, 74, 75, 22, 40, 0, 54%
    f = cell(facts, "account_requests.csv", 2, "Account Requests Received")
    assert (f.value, f.unit, f.metric, f.country_iso2, f.raw_text) == (74, Unit.REQUESTS, "requests", "AU", "74")
    assert (f.period_start, f.period_end) == (dt.date(2013, 1, 1), dt.date(2013, 6, 30))
    assert f.request_type is RequestType.LEGAL_PROCESS and f.request_type_raw == "Account Requests"
    f = cell(facts, "account_requests.csv", 2, "Percentage of Requests where Data Provided")
    assert (f.value, f.unit, f.raw_text) == (54, Unit.PERCENT, "54%")
    assert cell(facts, "account_requests.csv", 2, "Accounts Specified in Requests").value == 75
    # device_requests.csv row 2: 2013 H1 Australia, 1178 requests, 1929 devices, 695 with data, 59%
    f = cell(facts, "device_requests.csv", 2, "Devices Specified in Requests")
    assert (f.value, f.unit, f.metric) == (1929, Unit.DEVICES, "devices_specified")
    # financial_identifier_requests.csv row 2: 2016 H2 (7/1/16 - 12/31/16: US month-first dates) Australia
    f = cell(facts, "financial_identifier_requests.csv", 2, "Financial Identifiers Specified in Requests")
    assert (f.value, f.unit, f.period_start, f.period_end) == (
        1718, Unit.FINANCIAL_IDENTIFIERS, dt.date(2016, 7, 1), dt.date(2016, 12, 31))
    # app_takedown_legal_violation_requests.csv row 2: 2018 H2 China mainland, 56 requests, 626 apps, 517 removed
    f = cell(facts, "app_takedown_legal_violation_requests.csv", 2, "Apps Removed")
    assert (f.value, f.unit, f.kind, f.country_iso2, f.country_raw) == (
        517, Unit.ITEMS, Kind.CONTENT_REMOVAL, "CN", "China mainland")
    f = cell(facts, "app_takedown_legal_violation_requests.csv", 2, "Appeals Received")
    assert (f.status, f.value, f.raw_text) == (Status.NOT_APPLICABLE, None, " -")  # " -" is not zero
    # account_restriction_deletion_requests.csv row 2: 2014 H2 USA, 2 received, accounts " -"
    f = cell(facts, "account_restriction_deletion_requests.csv", 2, "Accounts Specified in the Requests")
    assert (f.status, f.raw_text, f.request_type) == (Status.NOT_APPLICABLE, " -", RequestType.ACCOUNT_RESTRICTION)
    # us_national_security_requests.csv row 10: 2017 H1 "13,254 - 13,499" requests, "9,005 - 9,249" accounts
    f = cell(facts, "us_national_security_requests.csv", 10, "Requests Received")
    assert (f.status, f.value, f.value_low, f.value_high, f.raw_text) == (
        Status.BANDED, None, 13254, 13499, "13,254 - 13,499")
    assert f.kind is Kind.NATIONAL_SECURITY and f.request_type_raw == "National Security"
    f = cell(facts, "us_national_security_requests.csv", 10, "Users/Accounts")
    assert (f.value_low, f.value_high, f.unit) == (9005, 9249, Unit.ACCOUNTS)
    # row 14: 2018 H1 NSLs "3 - 499" (an odd band edge kept as printed)
    f = cell(facts, "us_national_security_requests.csv", 14, "Requests Received")
    assert (f.request_type_raw, f.value_low, f.value_high) == ("NSLs", 3, 499)


def test_invariants() -> None:
    _, facts = real()
    for f in facts:
        if f.unit is Unit.PERCENT and f.value is not None:
            assert 0 <= f.value <= 100, f
        if f.value_low is not None and f.value_high is not None:
            assert f.value_low <= f.value_high, f
        if f.metric == "accounts_specified" and f.value is not None:
            assert f.value >= 0
        assert f.value is None or f.status in (Status.REPORTED, Status.ZERO)
    # No key twice: (member, row, column) is unique.
    keys = [(f.locator.member, f.locator.row, f.locator.column) for f in facts]
    assert len(keys) == len(set(keys))
    # Every country label maps, but the "N/A" of app_takedown_platform_policy row 2 (2018 H2, no requests).
    assert {f.country_raw for f in facts if f.country_iso2 is None} == {"N/A"}


def _rows(facts: tuple[Fact, ...], member: str) -> dict[int, dict[str, Fact]]:
    out: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.locator.member == member:
            out[f.locator.row or 0][f.locator.column or ""] = f
    return out


def test_percentage_is_data_provided_over_received() -> None:
    """Apple prints a rounded percentage; it agrees with its own counts within rounding in every row."""
    _, facts = real()
    checked = 0
    for member, received, provided in (
        ("device_requests.csv", "Device Requests Received", ["Requests where Data Provided"]),
        ("financial_identifier_requests.csv", "Financial Identifier Requests Received",
         ["Requests where Data Provided"]),
        ("emergency_requests.csv", "Emergency Requests Received", ["Requests where Data Provided"]),
        ("account_requests.csv", "Account Requests Received",
         ["Requests where Only Non-Content Data Provided", "Requests where Content Provided"]),
    ):
        for row in _rows(facts, member).values():
            pct, rec = row["Percentage of Requests where Data Provided"], row[received]
            parts = [row[c].value for c in provided]
            if pct.value is None or not rec.value or None in parts:
                continue
            given = sum(p or 0 for p in parts)
            assert given <= rec.value
            assert abs(given / rec.value * 100 - pct.value) <= 0.5 + 1e-9, (member, rec.locator.row)
            checked += 1
    assert checked == 791 + 383 + 211 + 656


def test_emergency_outcomes_sum_to_received() -> None:
    _, facts = real()
    rows = _rows(facts, "emergency_requests.csv")
    parts = ("Requests Rejected/Challenged and No Data Provided", "Requests where No Data Provided",
             "Requests where Data Provided")
    full = [r for r in rows.values() if all(r[p].value is not None for p in parts)]
    assert len(full) == 211  # the 45 rows of 2015 H1 - 2016 H1 print " -" for the outcomes
    for r in full:
        assert sum(r[p].value or 0 for p in parts) == r["Emergency Requests Received"].value


def test_cosmetic_rename_and_reordered_columns_give_same_numbers() -> None:
    doc, facts = real()
    files = members(doc)
    files["account_requests.csv"] = rewrite(files["account_requests.csv"], lambda rows: [
        ["  " + h.upper().replace(" ", "  ") for h in rows[0]], *rows[1:]])
    order = [3, 0, 7, 1, 2, 6, 5, 4]
    files["device_requests.csv"] = rewrite(files["device_requests.csv"],
                                           lambda rows: [[r[i] for i in order] for r in rows])
    again = apple.parse(rezip(doc, files))
    assert numbers(again) == numbers(facts)


def test_unknown_column_is_refused_naming_it() -> None:
    doc, _ = real()
    files = members(doc)
    files["device_requests.csv"] = rewrite(files["device_requests.csv"], lambda rows: [
        rows[0] + ["Push Token Requests Received"], *[r + ["1"] for r in rows[1:]]])
    with pytest.raises(UnknownLayout, match="Push Token Requests Received"):
        apple.parse(rezip(doc, files))


def test_unknown_member_is_refused_naming_it() -> None:
    doc, _ = real()
    files = members(doc)
    files["push_token_requests.csv"] = files["device_requests.csv"]
    with pytest.raises(UnknownLayout, match="push_token_requests.csv"):
        apple.parse(rezip(doc, files))


def test_period_disagreeing_with_its_dates_is_refused() -> None:
    doc, _ = real()
    files = members(doc)
    files["device_requests.csv"] = files["device_requests.csv"].replace(b"2013 H1,1/1/13", b"2013 H2,1/1/13", 1)
    with pytest.raises(ParseError, match="disagrees"):
        apple.parse(rezip(doc, files))


@pytest.mark.parametrize("data", [b"", b"<!DOCTYPE html><html><body>Not Found</body></html>"])
def test_empty_or_html_download_names_the_document(data: bytes) -> None:
    doc, _ = real()
    with pytest.raises(ParseError, match="Apple_Transparency_Report.zip"):
        apple.parse(dataclasses.replace(doc, data=data))
