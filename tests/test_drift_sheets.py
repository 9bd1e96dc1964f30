"""Drift on worksheets read through parsers/formats/sheet_tables.py, from the real corpus bytes re-saved with openpyxl
(synthetic variants, made at test time, never stored): a Wikimedia sheet not named by a period and a new label in
Microsoft's side cells are quarantined while everything known loads, with exact known cells.
"""

from __future__ import annotations

from collections import Counter

from parsers.facts import Fact, RequestType
from parsers.series import microsoft_law_enforcement as ms
from parsers.series import wikimedia_transparency as wm
from tests.test_drift import assert_microsoft_known_cells, microsoft_base, microsoft_variant, sheet_numbers
from tests.test_wikimedia import LATEST, numbers, variant


def test_wikimedia_sheet_not_named_by_a_period_is_quarantined_and_the_rest_loads() -> None:
    def change(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb.create_sheet("Latest figures")
        ws.append(["Country", "Total User Data Requests"])
        ws.append(["France", 3])
    base, reading = wm.read(variant(lambda wb: None)), wm.read(variant(change))
    assert reading.status == "partial" and numbers(reading.facts) == numbers(base.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.header, f.rows) == (
        "unknown_table", "quarantined", "sheet=Latest figures", ("Country", "Total User Data Requests"), 1)
    # "Jan 2018 - June 2018", row 3 ar.wikipedia, B (Total Content Requests) = 4, still read
    (ar,) = [x for x in reading.facts if (x.locator.sheet, x.locator.row, (x.locator.column or "")[:2]) == (
        LATEST, 3, "B:")]
    assert (ar.value, ar.extra) == (4, {"breakdown": "project", "project": "ar.wikipedia"})


def _warrants(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.row, f.metric, f.value) for f in facts if f.request_type is RequestType.SEARCH_WARRANT)


def test_microsoft_new_side_label_is_quarantined_and_the_known_side_cell_still_loads() -> None:
    new = "Number of warrants from U.S. law enforcement seeking enterprise content data stored outside the United States"

    def change(wb) -> None:  # type: ignore[no-untyped-def]
        wb["Criminal"]["Q54"] = new  # the label over Q57 (merged Q54:Q56)
    reading = ms.read(microsoft_variant(change))
    assert reading.status == "partial"
    # everything but Q57 is as before: R57 (enterprise content disclosed, 1) still loads
    assert _warrants(reading.facts) == Counter({(57, "us_warrants_enterprise_content_disclosed_stored_outside_us", 1): 1})
    assert sheet_numbers([f for f in reading.facts if f.request_type is not RequestType.SEARCH_WARRANT]) == (
        sheet_numbers([f for f in microsoft_base().facts if f.request_type is not RequestType.SEARCH_WARRANT]))
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.column) == ("new_measure_column", "quarantined", "sheet=Criminal", new)


def test_microsoft_real_side_cells_are_read_as_declared() -> None:
    facts = microsoft_base().facts
    assert_microsoft_known_cells(facts)
    assert _warrants(facts) == Counter({(57, "us_warrants_consumer_content_stored_outside_us", 133): 1,
                                        (57, "us_warrants_enterprise_content_disclosed_stored_outside_us", 1): 1})
    assert {f.country_raw for f in facts if f.request_type is RequestType.SEARCH_WARRANT} == {"United States"}
