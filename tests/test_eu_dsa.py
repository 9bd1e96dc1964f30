"""The EU DSA harmonised template: SYNTHETIC filings built from the real blank templates, in every published form.

No platform's filing is in the corpus; tests/fixtures/eu_dsa_filing.py fills the Commission's blank templates with
made-up figures and the quirks real filings show (reference README).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from parsers.catalogue import parse_document, parser_for
from parsers.facts import Document, Kind, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import eu_dsa_transparency_report as dsa
from tests.fixtures import eu_dsa_filing as filing

URL = "https://example.eu/synthetic-platform/dsa-transparency-report-2026-h1"
H1_2026 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def doc(data: bytes, url: str = URL, company: str = "tiktok", series: str = "eu-dsa-transparency-report") -> Document:
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url=url, company=company, series=series)


def one(facts, **where):
    hits = [f for f in facts if all((f.extra.get(k) if k in ("category", "parent_category") else getattr(f, k)) == v
                                    for k, v in where.items())]
    assert len(hits) == 1, (where, len(hits))
    return hits[0]


@pytest.fixture(scope="module")
def tables():
    return filing.tables()


@pytest.fixture(scope="module")
def bundle_facts(tables):
    return dsa.read(doc(filing.zip_bundle(tables), URL + ".zip"))


def test_bundle_reads_member_state_orders_to_exact_cells(bundle_facts):
    facts, _ = bundle_facts
    act = one(facts, metric="orders_to_act", category="TOTAL", country_raw="TOTAL")
    assert (act.value, act.raw_text, act.country_iso2, act.is_total) == (547, "547", None, True)
    assert (act.kind, act.request_type, act.unit) == (Kind.CONTENT_REMOVAL, RequestType.CONTENT_REMOVAL, Unit.REQUESTS)
    assert (act.period_start, act.period_end) == H1_2026
    assert act.locator.member == filing.member_name(3) and act.locator.column.startswith("Number of orders to act")
    info = one(facts, metric="orders_to_provide_information", category="TOTAL", country_raw="TOTAL")
    assert (info.value, info.kind, info.unit) == (656, Kind.USER_DATA, Unit.REQUESTS)
    assert "filing published 2026-08-31" in info.note  # table 1 printed 2026/8/31
    # Eurostat's EL is Greece (ISO GR); the printed code is kept.
    greece = one(facts, metric="orders_to_act", category="TOTAL", country_raw="EL")
    assert (greece.country_iso2, greece.value, greece.is_total) == ("GR", 47, True)  # all categories: a total


def test_medians_are_durations_in_hours_never_counts(bundle_facts):
    facts, _ = bundle_facts
    m = one(facts, metric="median_hours_to_give_effect", category="TOTAL", country_raw="TOTAL",
            kind=Kind.CONTENT_REMOVAL)
    assert (m.value, m.unit, m.raw_text) == (26.5, Unit.HOURS, "26.5") and "hours" in m.note
    assert all(f.unit is Unit.HOURS for f in facts if f.metric.startswith("median_"))


def test_the_filings_own_arithmetic_holds(bundle_facts):
    facts, _ = bundle_facts
    for metric in ("orders_to_act", "items_in_orders_to_act", "orders_to_provide_information"):
        total = one(facts, metric=metric, category="TOTAL", country_raw="TOTAL").value
        states = [f for f in facts if f.metric == metric and f.extra["category"] == "TOTAL" and f.country_iso2]
        assert {f.country_iso2 for f in states} == {"DE", "FR", "GR"}
        assert sum(f.value for f in states) == total
        categories = [f for f in facts if f.metric == metric and f.country_raw == "TOTAL"
                      and f.extra["category"].startswith("STATEMENT_CATEGORY_")]
        assert sum(f.value or 0 for f in categories) == total


def test_keywords_are_parts_of_their_category_not_added_to_it(bundle_facts):
    facts, _ = bundle_facts
    kw = one(facts, metric="orders_to_act", category="KEYWORD_HATE_SPEECH", country_raw="TOTAL")
    assert (kw.value, kw.counts_toward_total, kw.extra["parent_category"]) == (
        120, False, "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH")
    # KEYWORD_OTHER repeats under every category: the parent tells them apart; the template's filler is no description
    others = [f for f in facts if f.metric == "orders_to_act" and f.extra["category"] == "KEYWORD_OTHER"]
    assert len({f.extra["parent_category"] for f in others}) == len(others) > 10
    assert all("other" not in f.extra and f.status is Status.NOT_REPORTED and f.value is None for f in others)


def test_recipients_per_member_state_and_placeholder_rows_skipped(bundle_facts):
    facts, _ = bundle_facts
    amar = [f for f in facts if f.metric == "average_monthly_active_recipients"]
    assert {(f.country_raw, f.value) for f in amar} == {("TOTAL", 95e6), ("DE", 2e7), ("FR", 1.8e7), ("EL", 3e6),
                                                        ("SE", None)}  # the template's SE row, left blank
    assert one(amar, country_raw="SE").status is Status.NOT_REPORTED
    assert all(f.unit is Unit.RECIPIENTS and f.kind is Kind.OTHER for f in amar)


def test_other_tables_are_recognised_and_set_aside_not_errors(bundle_facts):
    _, aside = bundle_facts
    names = " ".join(aside)
    for table in ("2 categories names", "4 notices", "5 own initiative illegal", "11 qualitative",
                  "7-9 appeals, automated means, human resources"):
        assert f"template table {table}, not about government demands" in names
    assert sum("not about government demands" in a for a in aside) == 8  # tables 2, 4-9 and 11


def test_workbook_and_bundle_and_separate_csv_give_the_same_figures(tables, bundle_facts):
    def cells(facts):
        return sorted((f.metric, f.country_raw, f.extra.get("category"), f.extra.get("parent_category"), f.value,
                       f.status) for f in facts)

    book, _ = dsa.read(doc(filing.workbook(tables), URL + ".xlsx"))
    assert cells(book) == cells(bundle_facts[0])
    assert one(book, metric="orders_to_act", category="TOTAL", country_raw="TOTAL").locator.sheet == (
        "3_member_states_orders")
    separate = dsa.parse(doc(filing.csv_bytes(tables[3]), URL + "-3.csv"))
    orders = [f for f in bundle_facts[0] if f.metric != "average_monthly_active_recipients"]
    assert cells(separate) == cells(orders)


def test_a_scope_that_names_no_single_member_state_is_set_aside_with_its_figures(tables):
    quirky = filing.tables(placeholder_figures=True)
    facts, aside = dsa.read(doc(filing.zip_bundle(quirky)))
    assert not [f for f in facts if "[" in f.country_raw]
    assert any("scope 'AT, [_], SE' names no single Member State" in a for a in aside)


def test_the_catalogue_knows_every_dsa_series_and_parse_document_reads_them(tables):
    for company, series in dsa.SERIES:
        assert parser_for(company, series) is dsa.parse
    facts = parse_document(doc(filing.zip_bundle(tables), company="alibaba",
                               series="aliexpress-eu-dsa-transparency-report"))
    assert {f.company for f in facts} == {"alibaba"} and len(facts) > 600


@pytest.mark.parametrize(("change", "message"), [
    (lambda h: h.__setitem__(10, "Number of orders to provide data"),
     r"template table 3 .*: unknown column 'Number of orders to provide data'"),
    (lambda h: h.pop(6), r"template table 3 .*missing column 'Number of orders to act against illegal content"),
])
def test_a_table_3_that_does_not_match_the_template_is_refused_naming_table_and_column(tables, change, message):
    broken = {k: [list(r) for r in v] for k, v in tables.items()}
    change(broken[3][0])
    if len(broken[3][0]) < len(tables[3][0]):
        broken[3] = [broken[3][0]] + [r[:6] + r[7:] for r in broken[3][1:]]
    with pytest.raises(UnknownLayout, match=message):
        dsa.read(doc(filing.zip_bundle(broken)))


def test_unreadable_cells_and_scopes_are_refused_loudly(tables):
    for row_change, message in ((lambda r: r.__setitem__(9, "26,5"), "ambiguous decimal separator"),
                                (lambda r: r.__setitem__(5, "XX"), "neither TOTAL nor a Member State code"),
                                (lambda r: r.__setitem__(2, "2026-06-30/2026-01-01"), "ends before it starts")):
        broken = {k: [list(r) for r in v] for k, v in tables.items()}
        row_change(broken[3][1])
        with pytest.raises(ParseError, match=message):
            dsa.read(doc(filing.zip_bundle(broken)))


def test_a_file_that_is_no_template_table_is_refused():
    with pytest.raises(UnknownLayout, match="not a table of the DSA template"):
        dsa.read(doc(b"Country,Requests\r\nDE,5\r\n", URL + ".csv"))
    with pytest.raises(ParseError, match="no Member State orders"):
        dsa.read(doc(filing.csv_bytes(filing.blank(4)), URL + "-4.csv"))


def test_warehouse_views_compare_platforms_by_printed_eu_totals_and_per_million(tmp_path, tables):
    import datetime as _dt

    from warehouse import store

    con = store.open_warehouse(tmp_path / "w.duckdb")
    d = doc(filing.zip_bundle(tables), URL + ".zip")
    meta = store.DocumentMeta(d.sha256, d.company, d.series, d.url, _dt.datetime(2026, 9, 1, tzinfo=_dt.UTC), None,
                              "application/zip", len(d.data), "archive/x")
    store.load_document(con, meta, dsa.parse(d))
    row = con.execute("SELECT orders_to_act, orders_to_provide_information, average_monthly_active_recipients, "
                      "orders_to_act_per_million_recipients, median_hours_to_act, period_start, basis "
                      "FROM eu_dsa_orders").fetchall()
    assert len(row) == 1
    act, info, amar, per_million, hours, start, basis = row[0]
    assert (act, info, amar, per_million, hours, start) == (547, 656, 95e6, round(547 / 95, 3), 26.5, H1_2026[0])
    assert "printed all-EU total" in basis
    states = con.execute("SELECT country_iso2, orders_to_act, orders_to_provide_information "
                         "FROM eu_dsa_orders_by_member_state ORDER BY 1").fetchall()
    assert states == [("DE", 400, 500), ("FR", 100, 106), ("GR", 47, 50)]
    con.close()


def test_disclosure_shows_a_loaded_dsa_filing_as_mandated_regional_with_its_printed_totals(tmp_path, tables):
    import datetime as _dt

    from tests.test_disclosure import Checked, Company, Registry, Series
    from warehouse import disclosure, store

    con = store.open_warehouse(tmp_path / "w.duckdb")
    d = doc(filing.zip_bundle(tables), URL + ".zip", company="synthplatform")
    meta = store.DocumentMeta(d.sha256, d.company, d.series, d.url, _dt.datetime(2026, 9, 1, tzinfo=_dt.UTC), None,
                              "application/zip", len(d.data), "archive/x")
    store.load_document(con, meta, dsa.parse(d))
    registry = Registry([Company(
        "synthplatform", "Synthetic Platform", disclosure="mandated-regional-only", began=2010, began_source="test",
        series=[Series("eu-dsa-transparency-report", "content-removal", scope="mandated-regional", region="EU",
                       first_period="2023-H2", title="transparency report under the EU Digital Services Act")],
        checked=[Checked("https://synthplatform.example/esg", _dt.date(2026, 11, 1), "no report found")])])
    rows = {(r["company"], r["year"], r["kind"]): r
            for r in disclosure.disclosure_rows(con, registry, today=_dt.date(2026, 12, 1))}
    act, info = rows[("synthplatform", 2026, "content-removal")], rows[("synthplatform", 2026, "user-data")]
    for r in (act, info):
        assert (r["level"], r["scope"]) == ("mandated-regional-only", "mandated-regional")
        assert "EU only, under the DSA" in r["evidence"] and "H1 2026" in r["evidence"]
    assert "547 order to act against illegal content" in act["evidence"]
    assert "656 order to provide information" in info["evidence"] and "547" not in info["evidence"]
    # Member State medians (hours) and recipients are no figures of demands; no category is taken for the total
    assert "hours" not in act["evidence"] and "300" not in act["evidence"]
    con.close()
