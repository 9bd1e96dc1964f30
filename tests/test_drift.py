"""Layout drift at the grain of a table: variants built at test time from the real corpus bytes (never stored).

For each format: a new measure column loads the known columns and quarantines the new one; a new key column or a
dropped key column refuses the table (the document when the series cannot do without that table); a new ZIP member
is quarantined while the rest loads; a header renamed to a declared alias and reordered columns are not drift.
Known cells are asserted exactly in every outcome that loads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter
from functools import cache

import pytest

from parsers.catalogue import read_document, reader_for
from parsers.facts import Document, Fact, ParseError, RequestType, UnknownLayout
from parsers.formats.interpreter import Reading
from parsers.series import apple_government_requests as apple
from parsers.series import google_user_data as google
from parsers.series import meta_government_data_requests as meta
from tests.corpus import document
from tests.csv_variants import rewritten_csv
from tests.zip_variants import at, edit_csv, rebuilt

META = "PRPL-Facebook-Government-Report-2020_H1.csv"
GOOGLE, GOOGLE_NEW = "google-user-data-requests.zip", "2022-02-25"
GLOBAL = "google-global-user-data-requests.csv"
ENTERPRISE = "google-enterprise-data-requests.csv"
APPLE = "Apple_Transparency_Report.zip"


def numbers(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.member, f.locator.table, f.locator.row, f.metric, f.request_type_raw, f.country_raw,
                    f.value, f.value_low, f.value_high, f.status, f.raw_text) for f in facts)


def csv_variant(doc: Document, change) -> Document:  # type: ignore[no-untyped-def]
    return rewritten_csv(doc, change, lineterminator="\n")


def add_column(header: str, value) -> object:  # type: ignore[no-untyped-def]
    """A change adding a column at the end: `value(i, row)` gives each data row's cell."""
    return lambda rows: [r + [header] if i == 0 else r + [value(i, r)] for i, r in enumerate(rows)]


def drop_column(header: str) -> object:
    def change(rows: list[list[str]]) -> list[list[str]]:
        j = rows[0].index(header)
        return [r[:j] + r[j + 1:] for r in rows]
    return change


@cache
def meta_real() -> tuple[Document, Reading]:
    doc = document(META)
    return doc, meta.read(doc)


@cache
def google_real() -> tuple[Document, Reading]:
    doc = document(GOOGLE, GOOGLE_NEW)
    return doc, google.read(doc)


def meta_cell(facts: list[Fact], row: int, column: str) -> Fact:
    hits = [f for f in facts if (f.locator.row, f.locator.column) == (row, column)]
    assert len(hits) == 1, hits
    return hits[0]


def assert_meta_known_cells(facts: list[Fact]) -> None:
    # 2020_H1 row 239: United States, Legal Process Request Total "57,910"
    f = meta_cell(facts, 239, "Legal Process Request Total")
    assert (f.value, f.raw_text, f.country_iso2, f.request_type, f.is_total) == (
        57910, "57,910", "US", RequestType.LEGAL_PROCESS, True)
    assert f.period_start == dt.date(2020, 1, 1) and f.period_end == dt.date(2020, 6, 30)


def assert_google_known_cells(facts: list[Fact]) -> None:
    # google-global-user-data-requests.csv row 614: 2015-06-30,United Nations,,Other Legal Requests,1,0,1
    f = at(facts, GLOBAL, 614, "User Data Requests")
    assert (f.country_raw, f.country_iso2, f.value, f.request_type) == ("United Nations", None, 1,
                                                                         RequestType.LEGAL_PROCESS)
    # google-global-user-data-dlr-requests.csv row 2: 2019-06-30,Albania,AL,1
    d = at(facts, "google-global-user-data-dlr-requests.csv", 2, "User Data Diplomatic Legal requests")
    assert (d.request_type, d.value, d.country_iso2) == (RequestType.DIPLOMATIC, 1, "AL")


# --- the real files read whole, with no findings ----------------------------------------------------------------

def test_real_files_load_with_no_findings() -> None:
    for (_, reading), check in ((meta_real(), assert_meta_known_cells), (google_real(), assert_google_known_cells)):
        assert (reading.status, reading.findings) == ("loaded", [])
        check(reading.facts)
    assert apple.read(document(APPLE)).status == "loaded"


# --- CSV (Meta: one table the series cannot do without) --------------------------------------------------------

def test_csv_new_measure_column_is_quarantined_and_the_rest_loads() -> None:
    doc, real = meta_real()
    variant = csv_variant(doc, add_column("Diplomatic Requests", lambda i, r: str(i)))
    reading = read_document(variant)
    assert reading.status == "partial"
    assert numbers(reading.facts) == numbers(real.facts)
    assert_meta_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.column, f.rows) == ("new_measure_column", "quarantined", "Diplomatic Requests",
                                                     len({x.locator.row for x in real.facts}))
    assert f.header[-1] == "Diplomatic Requests" and f.header[0] == "Country"
    with pytest.raises(UnknownLayout, match="Diplomatic Requests"):  # the strict contract of parse() still refuses
        meta.parse(variant)


def test_csv_new_key_column_refuses_the_table_and_so_the_document() -> None:
    doc, _ = meta_real()
    variant = csv_variant(doc, add_column("Agency", lambda i, r: "Federal" if i % 2 else "State"))
    with pytest.raises(UnknownLayout, match=r"'by country' table.*'Agency' holds text"):
        read_document(variant)


def test_csv_dropped_key_column_refuses_the_document() -> None:
    doc, _ = meta_real()
    with pytest.raises(UnknownLayout, match="key column 'Country' is missing"):
        meta.read(csv_variant(doc, drop_column("Country")))


def test_csv_alias_rename_and_reordered_columns_are_not_drift() -> None:
    doc = document("PRPL-Facebook-Government-Report-2013_H2.csv")
    real = meta.read(doc)
    renamed = csv_variant(doc, lambda rows: [[("Content Restrictions" if h == "Content Restricted" else h)
                                              for h in rows[0]], *rows[1:]])
    reordered = csv_variant(doc, lambda rows: [list(reversed(r)) for r in rows])
    for variant in (renamed, reordered):
        reading = meta.read(variant)
        assert (reading.status, reading.findings) == ("loaded", [])
        assert numbers(reading.facts) == numbers(real.facts)
    # 2013_H2 row 2: Turkey, Content Restricted 2014 (now under its alias)
    f = meta_cell(meta.read(renamed).facts, 2, "Content Restrictions")
    assert (f.value, f.metric, f.country_iso2) == (2014, "items_restricted", "TR")


def test_csv_new_column_of_figures_that_splits_rows_is_refused() -> None:
    """A new numeric column beside rows repeated per key: the grain changed (a year column, say)."""
    doc, _ = meta_real()
    variant = csv_variant(doc, lambda rows: [rows[0] + ["Year"], *(r + [y] for r in rows[1:] for y in ("1", "2"))])
    with pytest.raises(UnknownLayout, match="no longer one per key"):
        meta.read(variant)


# --- ZIP of CSVs (Google user data: the global table is required, the others are not) -----------------------------

def test_zip_new_member_is_quarantined_with_its_header_and_row_count() -> None:
    doc, real = google_real()
    variant = rebuilt(doc, lambda m: {**m, "google-usnationalsecurity-section-215-requests.csv":
                                      b"Reporting period ending date,Orders\n2021-06-30,0-499\n2021-12-31,0-499\n"})
    reading = read_document(variant)
    assert reading.status == "partial" and numbers(reading.facts) == numbers(real.facts)
    assert_google_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.header, f.rows) == (
        "unknown_table", "quarantined", "member=google-usnationalsecurity-section-215-requests.csv",
        ("Reporting period ending date", "Orders"), 2)


def test_zip_new_measure_column_in_a_known_member() -> None:
    doc, real = google_real()
    variant = rebuilt(doc, edit_csv(ENTERPRISE, add_column("Enterprise Cloud accounts", lambda i, r: "7")))
    reading = read_document(variant)
    assert reading.status == "partial" and numbers(reading.facts) == numbers(real.facts)
    (f,) = reading.findings
    assert (f.kind, f.table, f.column) == ("new_measure_column", f"member={ENTERPRISE}", "Enterprise Cloud accounts")
    # the known columns of that member still load: row 6 is Brazil, Google Workspace, 13 requests
    req = at(reading.facts, ENTERPRISE, 6, "Enterprise Cloud customer requests")
    assert (req.value, req.extra) == (13, {"product": "Google Workspace"})


def test_zip_new_key_column_or_dropped_key_refuses_only_that_member() -> None:
    doc, real = google_real()
    without_enterprise = numbers([f for f in real.facts if f.locator.member != ENTERPRISE])
    for change, kind in ((add_column("Region", lambda i, r: "EMEA" if i % 2 else "APAC"), "new_key_column"),
                         (drop_column("Product"), "missing_key_column")):
        reading = read_document(rebuilt(doc, edit_csv(ENTERPRISE, change)))
        assert reading.status == "partial" and numbers(reading.facts) == without_enterprise
        assert_google_known_cells(reading.facts)
        (f,) = reading.findings
        assert (f.kind, f.outcome, f.table) == (kind, "refused", f"member={ENTERPRISE}")


def test_zip_required_member_refused_refuses_the_document() -> None:
    doc, _ = google_real()
    with pytest.raises(UnknownLayout, match="'global' table, which this series cannot do without"):
        google.read(rebuilt(doc, edit_csv(GLOBAL, drop_column("Legal Process"))))
    with pytest.raises(UnknownLayout, match="'global' table"):
        google.read(rebuilt(doc, lambda m: {k: v for k, v in m.items() if k != GLOBAL}))


def test_zip_alias_rename_and_reorder_are_not_drift() -> None:
    doc = document(APPLE)
    real = apple.read(doc)
    renamed = rebuilt(doc, edit_csv("account_requests.csv", lambda rows: [
        [("TR Date" if h == "TR Period" else h) for h in rows[0]], *rows[1:]]))
    reordered = rebuilt(renamed, edit_csv("device_requests.csv", lambda rows: [list(reversed(r)) for r in rows]))
    reading = apple.read(reordered)
    assert (reading.status, reading.findings) == ("loaded", [])
    assert numbers(reading.facts) == numbers(real.facts)


def test_a_document_whose_only_table_is_quarantined_is_refused() -> None:
    doc = document("/government_takedowns_received.csv")
    unknown = csv_variant(doc, lambda rows: [["a", "b"], ["1", "2"]])
    with pytest.raises(ParseError, match="found no figures.*does not know.*'a', 'b'"):
        read_document(unknown)


def test_catalogue_reads_parse_only_modules_with_no_findings() -> None:
    reader = reader_for("meta", "government-data-requests")
    assert reader is meta.read


def test_warehouse_stores_a_partial_document_with_its_findings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    import json

    from warehouse import store

    doc, real = google_real()
    variant = rebuilt(doc, edit_csv(ENTERPRISE, add_column("Enterprise Cloud accounts", lambda i, r: "7")))
    reading = read_document(variant)
    meta_row = store.DocumentMeta(variant.sha256, "google", "user-data-requests", variant.url,
                                  dt.datetime(2022, 2, 25, tzinfo=dt.UTC), None, "application/zip", len(variant.data),
                                  "archive/x", "parsers.series.google_user_data")
    con = store.open_warehouse(tmp_path / "w.duckdb")
    try:
        n = store.load_document(con, meta_row, reading.facts, status="partial", findings=reading.findings)
        assert n == len(real.facts) == len(reading.facts)
        assert store.loaded_documents(con) == {hashlib.sha256(variant.data).hexdigest()}
        assert con.execute("SELECT parse_status, fact_count FROM documents").fetchall() == [("partial", n)]
        rows = con.execute("SELECT table_locator, header, row_count, kind, outcome, column_header FROM "
                           "drift_findings").fetchall()
        assert len(rows) == 1 and rows[0][0] == f"member={ENTERPRISE}" and rows[0][3:] == (
            "new_measure_column", "quarantined", "Enterprise Cloud accounts")
        assert json.loads(rows[0][1])[-1] == "Enterprise Cloud accounts" and rows[0][2] == reading.findings[0].rows
        # its facts are current like any loaded document's
        assert con.execute("SELECT count(*) FROM current_facts WHERE document_sha256 = ?",
                           [variant.sha256]).fetchone()[0] == n
        with pytest.raises(ValueError, match="findings"):
            store.load_document(con, dataclasses.replace(meta_row, sha256="other"), reading.facts, status="partial")
    finally:
        con.close()


# --- XLSX (Microsoft: each sheet is a table; no sheet is required) ------------------------------------------------

def microsoft_variant(change) -> Document:  # type: ignore[no-untyped-def]
    """The real 2018 H1 workbook re-saved with openpyxl (cached values kept) after `change`."""
    import hashlib

    import openpyxl

    real = document("Microsoft-LERR-2018-H1")
    wb = openpyxl.load_workbook(io.BytesIO(real.data), data_only=True)
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return dataclasses.replace(real, data=out.getvalue(), sha256=hashlib.sha256(out.getvalue()).hexdigest())


def sheet_numbers(facts: list[Fact], skip: str = "") -> Counter[tuple[object, ...]]:
    return Counter((f.locator.sheet, f.locator.row, f.metric, f.value) for f in facts if f.locator.sheet != skip)


@cache
def microsoft_base() -> Reading:
    from parsers.series import microsoft_law_enforcement as ms

    return ms.read(microsoft_variant(lambda wb: None))


def assert_microsoft_known_cells(facts: list[Fact]) -> None:
    # 2018 H1 "Criminal" row 5 (TOTAL), E = 46488 accounts; Q57 = 133 US warrants for content stored outside the US
    e5 = [f for f in facts if (f.locator.sheet, f.locator.row, f.metric) == ("Criminal", 5, "accounts_specified")]
    assert [(f.value, f.is_total, f.country_raw) for f in e5] == [(46488, True, "")]
    q = [f for f in facts if (f.locator.sheet, f.locator.row) == ("Criminal", 57) and f.locator.column.startswith("Q")]
    assert [(f.value, f.request_type) for f in q] == [(133, RequestType.SEARCH_WARRANT)]


def test_xlsx_new_measure_column_is_quarantined() -> None:
    from parsers.series import microsoft_law_enforcement as ms

    def change(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Emergencies"]
        ws["P4"], ws["P5"], ws["P6"] = "Law Enforcement Requests Resulting in Preservation Only", 4, 1
    reading = ms.read(microsoft_variant(change))
    assert reading.status == "partial" and sheet_numbers(reading.facts) == sheet_numbers(microsoft_base().facts)
    assert_microsoft_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table, f.column) == (
        "new_measure_column", "quarantined", "sheet=Emergencies",
        "Law Enforcement Requests Resulting in Preservation Only #")


def test_xlsx_new_sheet_is_quarantined_and_new_key_column_refuses_only_its_sheet() -> None:
    from parsers.series import microsoft_law_enforcement as ms

    def new_sheet(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb.create_sheet("National Security")
        ws.append(["FISA orders", "0-499"])
        ws.append(["Accounts", 1500])
    reading = ms.read(microsoft_variant(new_sheet))
    assert reading.status == "partial" and sheet_numbers(reading.facts) == sheet_numbers(microsoft_base().facts)
    (f,) = reading.findings
    assert (f.kind, f.table, f.header, f.rows) == ("unknown_table", "sheet=National Security",
                                                   ("FISA orders", "0-499"), 1)

    def key_column(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Emergencies"]
        ws["P4"] = "Agency"
        for r in range(5, ws.max_row + 1):
            ws.cell(r, 16).value = "Federal" if r % 2 else "State"
    reading = ms.read(microsoft_variant(key_column))
    assert sheet_numbers(reading.facts) == sheet_numbers(microsoft_base().facts, skip="Emergencies")
    assert_microsoft_known_cells(reading.facts)
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("new_key_column", "refused", "sheet=Emergencies")


def test_xlsx_dropped_key_column_refuses_only_its_sheet() -> None:
    from parsers.series import microsoft_law_enforcement as ms

    def drop_labels(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Civil Legal Requests"]
        for r in range(1, ws.max_row + 1):
            ws.cell(r, 2).value = None
    reading = ms.read(microsoft_variant(drop_labels))
    assert reading.status == "partial"
    assert sheet_numbers(reading.facts) == sheet_numbers(microsoft_base().facts, skip="Civil Legal Requests")
    (f,) = reading.findings
    assert (f.outcome, f.table) == ("refused", "sheet=Civil Legal Requests") and "TOTAL" in f.message


def test_xlsx_alias_rename_and_reorder_are_not_drift() -> None:
    from parsers.series import microsoft_law_enforcement as ms

    def change(wb) -> None:  # type: ignore[no-untyped-def]
        # the civil sheets' short label is a declared alias of the criminal sheets' long one
        wb["Emergencies"]["G4"] = "Disclosure of Content"
        ws = wb["Civil Legal Requests"]
        for r in range(4, ws.max_row + 1):
            ws.cell(r, 4).value, ws.cell(r, 5).value = ws.cell(r, 5).value, ws.cell(r, 4).value
    reading = ms.read(microsoft_variant(change))
    assert (reading.status, reading.findings) == ("loaded", [])
    assert Counter((f.locator.sheet, f.country_raw, f.metric, f.value) for f in reading.facts) == Counter(
        (f.locator.sheet, f.country_raw, f.metric, f.value) for f in microsoft_base().facts)
    assert_microsoft_known_cells(reading.facts)


# --- PDF tables (Platform.sh, synthetic PDF built by tests/fixtures/synthetic_pdf.py) -----------------------------

def test_pdf_new_measure_column_is_quarantined_in_each_table() -> None:
    from parsers.series import platformsh_transparency as psh
    from tests.test_platformsh import synthetic

    base, drifted = psh.read(synthetic()), psh.read(synthetic(extra_column=True))
    assert base.status == "loaded" and drifted.status == "partial"
    assert [(f.metric, f.value, f.extra["requester"]) for f in drifted.facts] == [
        (f.metric, f.value, f.extra["requester"]) for f in base.facts]
    assert {(f.kind, f.column, f.outcome) for f in drifted.findings} == {
        ("new_measure_column", "Requests refused", "quarantined")}
    assert sorted(f.table for f in drifted.findings) == ["page=1;table=1", "page=1;table=2", "page=1;table=3"]


# --- HTML tables (Wikimedia's privacy.html, real bytes) ----------------------------------------------------------

def _insert_after_first_table(data: bytes, markup: bytes) -> bytes:
    end = data.lower().index(b"</table>") + len(b"</table>")
    return data[:end] + markup + data[end:]


def test_html_new_table_is_quarantined_and_an_unknown_row_refuses_only_its_table() -> None:
    from parsers.series import wikimedia_transparency as wm

    doc = document("/privacy.html")
    real = wm.read(doc)
    four = b"<table><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr><tr><td>1</td><td>2</td><td>3</td><td>4</td></tr></table>"
    reading = wm.read(dataclasses.replace(doc, data=_insert_after_first_table(doc.data, four)))
    assert reading.status == "partial"
    # the tables after the inserted one move up one index; their figures are the same
    assert Counter((f.locator.row, f.metric, f.value) for f in reading.facts) == Counter(
        (f.locator.row, f.metric, f.value) for f in real.facts)
    (f,) = reading.findings
    assert (f.kind, f.table, f.header, f.rows) == ("unknown_table", "table=2", ("", "", "", ""), 2)
    # privacy.html, table 1 row 1: Total User Data Requests 25 for Jul - Dec 2018, still read
    t = [x for x in reading.facts if (x.locator.table, x.locator.row, x.locator.column) == (1, 1, "2")]
    assert [(x.value, x.period_start) for x in t] == [(25, dt.date(2018, 7, 1))]

    two = b"<table><tr><td>Tower dumps</td><td>3</td></tr></table>"
    reading = wm.read(dataclasses.replace(doc, data=_insert_after_first_table(doc.data, two)))
    (f,) = reading.findings
    assert (f.kind, f.outcome, f.table) == ("unknown_key_value", "refused", "table=2") and "Tower dumps" in f.message
    assert len(reading.facts) == len(real.facts)
