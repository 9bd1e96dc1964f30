"""Layout drift on the tabular series ported to the interpreter (Snap, Zoom, Tumblr, Uber, Cisco), one format each:
variants built here from the real corpus bytes (never stored), read with `read()` (facts and findings).

- a new measure column: the document is partial, the new column is quarantined, every known cell loads exactly;
- a new key column (text) or a dropped key column: that table is refused, the others load;
- a header renamed to a declared alias or respelt cosmetically, columns reordered: the same facts;
- a new sheet, ZIP member, section or stacked table: quarantined with a finding naming it, the rest loads.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
from collections.abc import Callable
from functools import cache

import openpyxl
import pytest

from parsers.facts import Document, Fact
from parsers.formats.interpreter import QUARANTINED, REFUSED, Reading
from parsers.series import automattic_tumblr_transparency_report as tumblr
from parsers.series import cisco_law_enforcement_requests as cisco
from parsers.series import snap_transparency_report as snap
from parsers.series import uber_us_law_enforcement as uber
from parsers.series import zoom_government_requests as zoom
from tests.corpus import document
from tests.csv_variants import rewritten_csv
from tests.zip_variants import edit_csv, rebuilt

Rows = list[list[str]]
SNAP, ZOOM, CISCO = "Snap_Transparency_Report_H2-20.csv", "transparency-data-export.xlsx", "cisco-transparency-report-data.csv"
UBER, TUMBLR = "Law-Enforcement-2018-US-C.csv", "transparency-report-csv-tumblr-jan-jun-2023.zip"
TUMBLR_NAME = ("Transparency Report CSV (Tumblr) Jan-Jun 2023/Transparency Report CSV (Tumblr) Jan-Jun 2023 - "
               "Tumblr {} Jan-Jun 2023.csv")
INFO, REMOVALS = TUMBLR_NAME.format("Government Info Requests"), TUMBLR_NAME.format("Gov Removal Requests")


def cells(facts: list[Fact]) -> set[tuple[object, ...]]:
    return {(f.locator.render(), f.value, f.value_low, f.value_high, f.metric, f.request_type, f.country_raw,
             f.period_start, f.period_end) for f in facts}


@cache
def real(url: str) -> tuple[Document, frozenset[tuple[object, ...]]]:
    doc = document(url)
    module = {SNAP: snap, ZOOM: zoom, CISCO: cisco, UBER: uber, TUMBLR: tumblr}[url]
    reading = module.read(doc)
    assert reading.status == "loaded" and not reading.findings
    return doc, frozenset(cells(reading.facts))


def csv_variant(url: str, change: Callable[[Rows], Rows]) -> Document:
    return rewritten_csv(real(url)[0], change)


def xlsx_variant(change: Callable[[openpyxl.Workbook], None]) -> Document:
    doc = real(ZOOM)[0]
    wb = openpyxl.load_workbook(io.BytesIO(doc.data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return dataclasses.replace(doc, data=out.getvalue(), sha256="synthetic")


def column(name: str, value: Callable[[list[str]], str], at: int | None = None) -> Callable[[Rows], Rows]:
    """A new column `name` at position `at` (default: last) with `value(row)` in every data row."""
    def change(rows: Rows) -> Rows:
        i = len(rows[0]) if at is None else at
        return [rows[0][:i] + [name] + rows[0][i:]] + [r[:i] + [value(r)] + r[i:] for r in rows[1:]]
    return change


def drop(i: int) -> Callable[[Rows], Rows]:
    return lambda rows: [r[:i] + r[i + 1:] for r in rows]


def outcome(reading: Reading, kind: str) -> tuple[str, ...]:
    return tuple(sorted({f.outcome for f in reading.findings if f.kind == kind}))


# --- CSV: Snap's long table (split by section) and Cisco's records ------------------------------------------------

def test_snap_new_measure_column_is_quarantined_and_every_known_cell_loads() -> None:
    reading = snap.read(csv_variant(SNAP, column("value_rounded", lambda r: r[6])))
    assert reading.status == "partial" and cells(reading.facts) == real(SNAP)[1]
    assert {(f.kind, f.column, f.outcome) for f in reading.findings} == {("new_measure_column", "value_rounded",
                                                                          QUARANTINED)}
    assert len(reading.findings) == 10  # one per section table


def test_snap_new_section_is_quarantined_with_a_finding_and_the_rest_loads() -> None:
    extra = [["2020-H2", "Government Emergency Requests", "Country", "France", "", "requests", "5"]]
    reading = snap.read(csv_variant(SNAP, lambda rows: rows + extra))
    assert cells(reading.facts) == real(SNAP)[1]
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.rows, f.header[1]) == ("unknown_table", QUARANTINED, 1, "section")
    assert "unknown section 'Government Emergency Requests'" in f.message


def test_snap_reordered_and_dropped_key_columns() -> None:
    reordered = snap.read(csv_variant(SNAP, lambda rows: [[r[5], r[6], *r[:5]] for r in rows]))
    assert reordered.status == "loaded" and cells(reordered.facts) == real(SNAP)[1]
    dropped = snap.read(csv_variant(SNAP, drop(4)))  # sub_category_2: every section table refused
    assert not dropped.facts and outcome(dropped, "missing_key_column") == (REFUSED,)


def test_cisco_new_key_column_refuses_and_a_new_figure_column_is_quarantined() -> None:
    with_agency = cisco.read(csv_variant(CISCO, column("Requesting Agency", lambda r: f"agency {r[3]}")))
    assert not with_agency.facts and outcome(with_agency, "new_key_column") == (REFUSED,)
    with_pages = cisco.read(csv_variant(CISCO, column("Pages", lambda r: "1", at=2)))
    assert with_pages.status == "partial" and cells(with_pages.facts) == real(CISCO)[1]
    assert outcome(with_pages, "new_measure_column") == (QUARANTINED,)
    pages = itertools.cycle(("1", "2"))
    split = cisco.read(csv_variant(CISCO, column("Pages", lambda r: next(pages), at=2)))  # splits the groups
    assert not split.facts and outcome(split, "grain_changed") == (REFUSED,)
    dropped = cisco.read(csv_variant(CISCO, drop(3)))  # Country
    assert not dropped.facts and outcome(dropped, "missing_key_column") == (REFUSED,)
    reordered = cisco.read(csv_variant(CISCO, lambda rows: [[*r[3:], *r[:3]] for r in rows]))
    assert reordered.status == "loaded" and {c[1:] for c in cells(reordered.facts)} == {
        c[1:] for c in real(CISCO)[1]}  # the same counts; the outcome column is cited by its (moved) name


# --- CSV with stacked tables: Uber -------------------------------------------------------------------------------

def test_uber_drift_at_the_grain_of_one_stacked_table() -> None:
    # a new figure column in the process table (lines 7-11): quarantined there, everything loads
    wider = uber.read(csv_variant(UBER, lambda rows: [r + (["Appeals"] if n == 7 else ["3"] if 8 <= n <= 11 else [""])
                                                      for n, r in enumerate(rows, start=1)]))
    assert wider.status == "partial" and cells(wider.facts) == real(UBER)[1]
    assert {(f.kind, f.column, f.table) for f in wider.findings} == {("new_measure_column", "Appeals", "table=2")}
    # the process header renamed to its alias (Canada's spelling): the same facts
    alias = uber.read(csv_variant(UBER, lambda rows: [["Request type", *r[1:]] if r[:2] == [
        "Government requests", "Driver accounts requested"] else r for r in rows]))
    assert alias.status == "loaded" and cells(alias.facts) == real(UBER)[1]
    # a text column in the jurisdiction table (a new key): that table refused, the three others load
    keyed = uber.read(csv_variant(UBER, lambda rows: [r + (["Agency"] if r[1] == "Total requests" else [
        "police"] if r[0] in ("State", "Federal") else [""]) for r in rows]))
    assert {f.locator.table for f in keyed.facts} == {2, 3, 4}
    assert {(f.kind, f.outcome, f.table) for f in keyed.findings} == {("new_key_column", REFUSED, "table=1")}
    assert cells(keyed.facts) == {c for c in real(UBER)[1] if not str(c[0]).startswith("table=1;")}
    # a third section: quarantined with a finding, the US and Canada load
    third = [[""] * 6, ["Mexico Law Enforcement Requests", "", "", "", "", ""],
             ["Request type", "Driver accounts requested", "Rider accounts requested",
              "Total where some data was produced", "Total requests", "%Total where some data was produced"],
             ["Emergency", "1", "1", "1", "1", "100%"]]
    reading = uber.read(csv_variant(UBER, lambda rows: rows + third))
    assert cells(reading.facts) == real(UBER)[1]
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("unknown_table", QUARANTINED, "table=5")
    assert "3 titled sections" in f.message


# --- XLSX: Zoom's sheet per half-year ------------------------------------------------------------------------------

def test_zoom_drift_at_the_grain_of_one_sheet() -> None:
    def add_measure(wb: openpyxl.Workbook) -> None:
        ws = wb.worksheets[1]
        ws["H1"] = "ACCOUNTS"
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 8, 1)
    reading = zoom.read(xlsx_variant(add_measure))
    assert reading.status == "partial" and cells(reading.facts) == real(ZOOM)[1]
    assert {(f.kind, f.column, f.table) for f in reading.findings} == {("new_measure_column", "ACCOUNTS",
                                                                        "sheet=2021 - Q3 Q4")}

    def add_key(wb: openpyxl.Workbook) -> None:
        ws = wb.worksheets[0]
        ws["H1"] = "CHANNEL"
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 8, "email")
    keyed = zoom.read(xlsx_variant(add_key))
    assert {(f.kind, f.outcome, f.table) for f in keyed.findings} == {("new_key_column", REFUSED,
                                                                      "sheet=2021 - Q1 Q2")}
    assert cells(keyed.facts) == {c for c in real(ZOOM)[1] if "sheet=2021 - Q1 Q2;" not in str(c[0])}

    def drop_key(wb: openpyxl.Workbook) -> None:
        wb.worksheets[3].delete_cols(3)  # REPORTER_COUNTRY_FINAL
    dropped = zoom.read(xlsx_variant(drop_key))
    assert {(f.kind, f.outcome, f.table) for f in dropped.findings} == {("missing_key_column", REFUSED,
                                                                        "sheet=2022 - Q3 Q4")}
    assert cells(dropped.facts) == {c for c in real(ZOOM)[1] if "sheet=2022 - Q3 Q4;" not in str(c[0])}

    def respell_and_add_sheet(wb: openpyxl.Workbook) -> None:
        wb.worksheets[2]["G1"] = "Report Count"  # a cosmetic respelling: the same column
        ws = wb.create_sheet("2023 - Q1 Q2 (draft)")
        ws.append(["REPORT_MONTH", "REPORT_COUNT"])
        ws.append([None, 4])
    reading = zoom.read(xlsx_variant(respell_and_add_sheet))
    assert {c[1:] for c in cells(reading.facts)} == {c[1:] for c in real(ZOOM)[1]}
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.rows) == ("unknown_table", QUARANTINED, "sheet=2023 - Q1 Q2 (draft)", 1)
    assert "unknown sheet '2023 - Q1 Q2 (draft)'" in f.message


# --- ZIP of stacked CSVs: Tumblr ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "kind", "outcome_", "where"), [
    (edit_csv(REMOVALS, column("Appealed", lambda r: "0")), "new_measure_column", QUARANTINED, REMOVALS),
    (edit_csv(REMOVALS, column("Region", lambda r: r[0][:3])), "new_key_column", REFUSED, REMOVALS),
    (edit_csv(REMOVALS, drop(0)), "missing_key_column", REFUSED, REMOVALS),
])
def test_tumblr_drift_at_the_grain_of_one_member(change: Callable[[dict[str, bytes]], dict[str, bytes]],
                                                 kind: str, outcome_: str, where: str) -> None:
    reading = tumblr.read(rebuilt(real(TUMBLR)[0], change))
    assert {(f.kind, f.outcome, f.table) for f in reading.findings} == {(kind, outcome_, f"member={where}")}
    kept = {c for c in real(TUMBLR)[1] if f"member={where};" not in str(c[0])}
    assert cells(reading.facts) == (real(TUMBLR)[1] if outcome_ == QUARANTINED else kept)


def test_tumblr_new_member_and_stacked_table_are_quarantined_and_an_alias_is_not_drift() -> None:
    new_member = TUMBLR_NAME.format("Gov Account Suspensions")
    eu = [["", "", "", "", ""], ["EU Stats", "", "", "", ""], ["", "total-notices", "ndos", "compliance",
                                                              "% compliance"], ["Total", "1", "0", "1", "100"]]

    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        out = edit_csv(INFO, lambda rows: rows + eu)(members)
        out = edit_csv(TUMBLR_NAME.format("DMCA Requests"), lambda rows: [["MONTH", *rows[0][1:]], *rows[1:]])(out)
        return {**out, new_member: b"Country,Suspensions\r\nTurkey,3\r\n"}
    reading = tumblr.read(rebuilt(real(TUMBLR)[0], change))
    assert cells(reading.facts) == real(TUMBLR)[1]
    assert {(f.kind, f.outcome, f.table, f.rows) for f in reading.findings} == {
        ("unknown_table", QUARANTINED, f"member={INFO};table=3", 1),
        ("unknown_table", QUARANTINED, f"member={new_member}", 1)}
