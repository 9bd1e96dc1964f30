"""The restatement ledger on synthetic versions (every kind, incl. the Turkey -> Türkiye rename and blank -> 0),
and on Google's two recorded user-data releases against an independent comparison in plain Python."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest

from parsers.facts import Fact, Kind, Locator, RequestType, Unit
from parsers.normalise.countries import country_iso2
from parsers.normalise.values import parse_number_cell
from warehouse import restatements, store

H2_2019 = (dt.date(2019, 7, 1), dt.date(2019, 12, 31))
H1_2020 = (dt.date(2020, 1, 1), dt.date(2020, 6, 30))
URL = "https://example.org/synthetic/report.csv"  # synthetic: no real company published these rows
_rows = itertools.count(2)


def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return store.open_warehouse(tmp_path / "warehouse.duckdb")


def fact(sha: str, *, company: str = "acme", series: str = "data-requests", url: str = URL,
         period: tuple[dt.date, dt.date] = H2_2019, country: str = "", raw: str = "1", metric: str = "requests",
         unit: Unit = Unit.REQUESTS, kind: Kind = Kind.USER_DATA, request_type: RequestType = RequestType.ALL,
         request_type_raw: str = "All", is_total: bool = False, counts: bool = True,
         extra: dict[str, str] | None = None) -> Fact:
    """One synthetic fact, read from `raw` by the project's own cell reader."""
    cell = parse_number_cell(raw, percent=unit is Unit.PERCENT)
    return Fact(
        company=company, series=series, period_start=period[0], period_end=period[1],
        country_iso2=country_iso2(country) if country else None, country_raw=country,
        request_type=request_type, request_type_raw=request_type_raw, metric=metric, unit=unit,
        value=cell.value, value_low=cell.low, value_high=cell.high, status=cell.status, is_total=is_total,
        source_url=url, document_sha256=sha, locator=Locator(row=next(_rows), column=metric), raw_text=raw,
        kind=kind, counts_toward_total=counts, extra=dict(extra or {}),
    )


def sha_of(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def load(con: duckdb.DuckDBPyConnection, sha: str, facts: Iterable[Fact], *, fetched: str, url: str = URL,
         company: str = "acme", series: str = "data-requests", content_type: str = "text/csv") -> None:
    meta = store.DocumentMeta(sha, company, series, url, dt.datetime.fromisoformat(fetched), None, content_type,
                              100, f"archive/{sha}")
    store.load_document(con, meta, list(facts))


def _synthetic_versions(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str]:
    v1, v2, v3 = sha_of("v1"), sha_of("v2"), sha_of("v3")
    load(con, v1, [
        fact(v1, country="Turkey", raw="100"),
        fact(v1, country="Germany", raw="50"),
        fact(v1, country="France", raw=""),          # blank: not reported
        fact(v1, country="Italy", raw="10"),
        fact(v1, country="Spain", raw="1234"),
        fact(v1, country="Austria", raw="<10"),
        fact(v1, country="Germany", raw="5", metric="accounts_specified", unit=Unit.ACCOUNTS),
    ], fetched="2020-03-01")
    load(con, v2, [
        fact(v2, country="Türkiye", raw="100"),      # renamed: the same country, the same figure
        fact(v2, country="Germany", raw="55"),       # value_changed
        fact(v2, country="France", raw="0"),         # blank -> 0: status_changed
        fact(v2, country="Spain", raw="1,234"),      # printed differently, same figure: not listed
        fact(v2, country="Austria", raw="7"),        # "<10" -> 7: status_changed (suppressed -> reported)
        fact(v2, country="Portugal", raw="3"),       # added: a period the old version covered
        fact(v2, country="Germany", raw="5", metric="accounts_specified", unit=Unit.ACCOUNTS),
        fact(v2, country="Germany", raw="70", period=H1_2020),  # a new period: not a restatement
        # Italy withdrawn
    ], fetched="2020-09-01")
    load(con, v3, [
        fact(v3, country="Türkiye", raw="101"),      # compared with v2 only
        fact(v3, country="Germany", raw="55"),
        fact(v3, country="France", raw="0"),
        fact(v3, country="Spain", raw="1,234"),
        fact(v3, country="Austria", raw="7"),
        fact(v3, country="Portugal", raw="3"),
        fact(v3, country="Germany", raw="5", metric="accounts_specified", unit=Unit.ACCOUNTS),
        fact(v3, country="Germany", raw="70", period=H1_2020),
    ], fetched="2021-03-01")
    # Another series printing the same period and country is another figure: never compared with this one.
    other = sha_of("other-url")
    load(con, other, [fact(other, country="Germany", raw="999", url="https://example.org/synthetic/other.csv",
                           series="removal-requests")],
         fetched="2020-10-01", url="https://example.org/synthetic/other.csv", series="removal-requests")
    return v1, v2, v3


def _changes(rows: list[dict]) -> set[tuple]:
    return {(r["kind"], r["country_iso2"], r["metric"], r["period_end"].isoformat(), r["old_raw_text"],
             r["new_raw_text"], r["old_document_sha256"][:4], r["new_document_sha256"][:4]) for r in rows}


def test_every_kind_of_change_between_consecutive_versions(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    v1, v2, v3 = _synthetic_versions(con)
    a, b, c = v1[:4], v2[:4], v3[:4]
    assert _changes(restatements.restatement_rows(con)) == {
        ("value_changed", "DE", "requests", "2019-12-31", "50", "55", a, b),
        ("status_changed", "FR", "requests", "2019-12-31", "", "0", a, b),
        ("status_changed", "AT", "requests", "2019-12-31", "<10", "7", a, b),
        ("withdrawn", "IT", "requests", "2019-12-31", "10", None, a, b),
        ("added", "PT", "requests", "2019-12-31", None, "3", a, b),
        ("value_changed", "TR", "requests", "2019-12-31", "100", "101", b, c),
    }


def test_rename_is_kept_visible_but_is_not_a_change(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _synthetic_versions(con)
    turkey = [r for r in restatements.restatement_rows(con) if r["country_iso2"] == "TR"]
    assert len(turkey) == 1  # only v2 -> v3 (100 -> 101); v1 -> v2 (Turkey -> Türkiye, 100) is no change
    assert (turkey[0]["old_country_raw"], turkey[0]["new_country_raw"]) == ("Türkiye", "Türkiye")


def test_blank_to_zero_keeps_both_statuses(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _synthetic_versions(con)
    [france] = [r for r in restatements.restatement_rows(con) if r["country_iso2"] == "FR"]
    assert (france["old_status"], france["new_status"]) == ("not_reported", "zero")
    assert france["old_value"] is None and france["new_value"] == 0


def test_withdrawn_period_is_said_plainly(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    v1, v2 = sha_of("w1"), sha_of("w2")
    load(con, v1, [fact(v1, country="Germany", raw="5", period=H1_2020),
                   fact(v1, country="Germany", raw="4")], fetched="2020-09-01")
    load(con, v2, [fact(v2, country="Germany", raw="5", period=H1_2020)], fetched="2021-01-01")
    [row] = restatements.restatement_rows(con)
    assert row["kind"] == "withdrawn" and row["note"] == "the new release no longer prints this period at all"


def test_rebuild_materialises_the_table_the_views_file_declares(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    declared = [d[0] for d in con.execute("SELECT * FROM restatements").description]
    _synthetic_versions(con)
    assert restatements.rebuild(con) == 6
    built = [d[0] for d in con.execute("SELECT * FROM restatements").description]
    assert built == declared  # the empty table of views_reporting.sql has the ledger's columns
    assert restatements.rebuild(con) == 6  # replaced, not appended


def _ledger(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The materialised table, in a fixed order (the incremental rebuild appends: its row order is not the query's)."""
    return sorted((tuple(r) for r in con.execute("SELECT * FROM restatements").fetchall()), key=repr)


def _live(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted((tuple(r.values()) for r in restatements.restatement_rows(con)), key=repr)


def test_second_rebuild_without_new_versions_changes_nothing_and_reads_no_facts(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _synthetic_versions(con)
    first = restatements.refresh(con)
    assert (first.rows, first.series_compared, first.series_dropped) == (6, 2, 0)  # the series with v1..v3, other
    before = _ledger(con)
    # the fast path reads only the documents table: with the facts out of reach it must still succeed
    con.execute("ALTER TABLE facts RENAME TO facts_out_of_reach")
    second = restatements.refresh(con)
    con.execute("ALTER TABLE facts_out_of_reach RENAME TO facts")
    assert second == restatements.Rebuild(rows=6, series_compared=0, series_dropped=0, whole=False)
    assert _ledger(con) == before == _live(con)


def test_new_release_compares_only_its_own_series(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    v1, v2 = sha_of("n1"), sha_of("n2")
    load(con, v1, [fact(v1, country="Germany", raw="50"), fact(v1, country="Italy", raw="10")], fetched="2020-03-01")
    load(con, v2, [fact(v2, country="Germany", raw="55"), fact(v2, country="Italy", raw="10")], fetched="2020-09-01")
    other = sha_of("n-other")
    load(con, other, [fact(other, country="Germany", raw="1", series="removals")], fetched="2020-09-01",
         series="removals")
    assert restatements.refresh(con).rows == 1
    v3 = sha_of("n3")
    load(con, v3, [fact(v3, country="Germany", raw="55"), fact(v3, country="Italy", raw="12")], fetched="2021-03-01")
    done = restatements.refresh(con)
    assert (done.rows, done.series_compared, done.series_dropped, done.whole) == (2, 1, 0, False)
    assert _ledger(con) == _live(con)
    assert {(r["country_iso2"], r["old_raw_text"], r["new_raw_text"]) for r in restatements.restatement_rows(con)} \
        == {("DE", "50", "55"), ("IT", "10", "12")}


def test_version_arriving_between_two_known_ones_re_pairs_them(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    v1, v2, v3 = sha_of("b1"), sha_of("b2"), sha_of("b3")
    load(con, v1, [fact(v1, country="Germany", raw="50")], fetched="2020-03-01")
    load(con, v3, [fact(v3, country="Germany", raw="70")], fetched="2021-03-01")
    restatements.refresh(con)
    assert con.execute("SELECT old_document_sha256, new_document_sha256 FROM restatements").fetchall() == [(v1, v3)]
    # an older file turns up late (e.g. replayed from a mirror): v1 -> v3 is no longer a comparison
    load(con, v2, [fact(v2, country="Germany", raw="60")], fetched="2020-09-01")
    done = restatements.refresh(con)
    assert (done.series_compared, done.series_dropped, done.whole) == (1, 0, False)
    assert _ledger(con) == _live(con)
    assert sorted((r["old_raw_text"], r["new_raw_text"], r["old_release"], r["new_release"])
                  for r in restatements.restatement_rows(con)) == [("50", "60", 1, 2), ("60", "70", 2, 3)]


def test_other_rules_or_an_unaccounted_ledger_rebuild_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    con = warehouse(tmp_path)
    _synthetic_versions(con)
    assert not restatements.refresh(con).whole
    monkeypatch.setattr(restatements, "rules_sha256", lambda: "0" * 64)  # as if restatements.sql had changed
    again = restatements.refresh(con)
    assert (again.whole, again.series_compared, again.rows) == (True, 2, 6)
    assert _ledger(con) == _live(con)
    # a ledger built before the bookkeeping existed is not trusted: rebuilt whole, never appended to
    con.execute("DELETE FROM restatement_series_compared")
    assert restatements.refresh(con) == restatements.Rebuild(rows=6, series_compared=2, series_dropped=0, whole=True)
    assert _ledger(con) == _live(con)


def test_a_release_that_drops_a_whole_table_is_one_ledger_row(tmp_path: Path) -> None:
    # SYNTHETIC: release 1 prints two tables (ZIP members) for 2019 H2; release 2, same URL, only the first
    con = warehouse(tmp_path)
    v1, v2 = sha_of("t1"), sha_of("t2")
    countries = ["Germany", "France", "Italy", "Spain"]

    def member(sha: str, name: str, metric: str) -> list[Fact]:
        out = []
        for i, country in enumerate(countries):
            f = fact(sha, country=country, raw=str(10 + i), metric=metric)
            out.append(dataclasses.replace(f, locator=Locator(member=name, row=i + 2, column=metric)))
        return out

    load(con, v1, member(v1, "requests.csv", "requests") + member(v1, "accounts.csv", "accounts_specified"),
         fetched="2020-03-01")
    load(con, v2, member(v2, "requests.csv", "requests"), fetched="2020-09-01")
    [row] = restatements.restatement_rows(con)
    assert (row["kind"], row["scope"], row["figures"], row["old_locator"]) == ("withdrawn", "table", 4,
                                                                               "member=accounts.csv")
    assert (row["old_document_sha256"], row["new_document_sha256"]) == (v1, v2)
    assert row["note"] == "the new release no longer prints this table: 4 figures, member=accounts.csv"
    assert restatements.refresh(con).rows == 1


def test_a_later_report_reprinting_past_periods_under_its_own_url_is_compared(tmp_path: Path) -> None:
    # SYNTHETIC, shaped like Verizon's reports: each report (its own URL) reprints the previous half-years, and
    # the second one corrects a figure of 2019 H2 that the first printed; 2019 H1 is no longer reprinted.
    con = warehouse(tmp_path)
    first, second = "https://example.org/synthetic/2h-2019.pdf", "https://example.org/synthetic/1h-2020.pdf"
    r1, r2 = sha_of("r1"), sha_of("r2")
    h1_2019 = (dt.date(2019, 1, 1), dt.date(2019, 6, 30))
    load(con, r1, [fact(r1, url=first, period=h1_2019, raw="900", metric="pen_register_orders"),
                   fact(r1, url=first, raw="1,200", metric="pen_register_orders"),
                   fact(r1, url=first, raw="40", metric="wiretap_orders")], fetched="2020-01-15", url=first)
    load(con, r2, [fact(r2, url=second, raw="600", metric="pen_register_orders"),    # double counting corrected
                   fact(r2, url=second, raw="40", metric="wiretap_orders"),
                   fact(r2, url=second, period=H1_2020, raw="650", metric="pen_register_orders"),
                   fact(r2, url=second, period=H1_2020, raw="41", metric="wiretap_orders")],
         fetched="2020-07-20", url=second)
    [row] = restatements.restatement_rows(con)
    assert (row["kind"], row["metric"], row["period_end"], row["old_raw_text"], row["new_raw_text"]) == (
        "value_changed", "pen_register_orders", dt.date(2019, 12, 31), "1,200", "600")
    assert (row["old_source_url"], row["new_source_url"], row["old_document_sha256"], row["new_document_sha256"]) \
        == (first, second, r1, r2)
    assert (row["old_published_at"].date(), row["new_published_at"].date()) == (dt.date(2020, 1, 15),
                                                                                dt.date(2020, 7, 20))
    # the current figure is the correction, printed by two releases; 2019 H1 stays current from the first
    current = dict(con.execute("SELECT period_end, value FROM current_facts WHERE metric = 'pen_register_orders'"
                               ).fetchall())
    assert current == {dt.date(2019, 6, 30): 900.0, dt.date(2019, 12, 31): 600.0, dt.date(2020, 6, 30): 650.0}


def test_csv_has_the_contract_columns_first(tmp_path: Path) -> None:
    con = warehouse(tmp_path)
    _synthetic_versions(con)
    text = restatements.format_restatements(restatements.restatement_rows(con), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0])[: len(restatements.CSV_COLUMNS)] == restatements.CSV_COLUMNS
    assert {r["kind"] for r in rows} == set(restatements.KINDS)
    table = restatements.format_restatements(restatements.restatement_rows(con), "table")
    assert table.splitlines()[0].split()[:3] == ["company", "series", "period_end"] and "withdrawn" in table
    with pytest.raises(ValueError):
        restatements.format_restatements([], "xml")


# --- Google's two recorded releases -------------------------------------------------------------------------

def _key(f: Fact) -> tuple:
    return (f.period_start, f.period_end, f.country_iso2 or f.country_raw, f.request_type_raw, f.metric,
            tuple(sorted(f.extra.items())))


def _expected_changes(old: list[Fact], new: list[Fact]) -> set[tuple]:
    """The comparison written independently of the SQL: dictionaries over the two parsers' outputs."""
    before, after = {_key(f): f for f in old}, {_key(f): f for f in new}
    assert len(before) == len(old) and len(after) == len(new)  # keys are unique within a release
    newest_old = max(f.period_end for f in old)
    out: set[tuple] = set()
    for k in before.keys() | after.keys():
        o, n = before.get(k), after.get(k)
        if o and n and o.status != n.status:
            out.add(("status_changed", k))
        elif o and n and (o.value, o.value_low, o.value_high) != (n.value, n.value_low, n.value_high):
            out.add(("value_changed", k))
        elif o and not n:
            out.add(("withdrawn", k))
        elif n and not o and n.period_end <= newest_old:
            out.add(("added", k))
    return out


def test_google_releases_ledger_matches_a_direct_comparison(tmp_path: Path) -> None:
    from parsers.series import google_user_data as google
    from tests.corpus import document

    old_doc = document("google-user-data-requests.zip", "2019-04-14")
    new_doc = document("google-user-data-requests.zip", "2022-02-25")
    old, new = google.parse(old_doc), google.parse(new_doc)
    con = warehouse(tmp_path)
    for doc, facts, when in ((old_doc, old, "2019-04-14"), (new_doc, new, "2022-02-25")):
        load(con, doc.sha256, facts, fetched=when, url=doc.url, company="google", series="user-data-requests",
             content_type=doc.content_type)
    ledger = {(r["kind"], (r["period_start"], r["period_end"], r["country_iso2"] or
                           (r["old_country_raw"] or r["new_country_raw"]), r["request_type_raw"], r["metric"],
                           tuple(sorted(json.loads(r["extra"]).items()))))
              for r in restatements.restatement_rows(con)}
    expected = _expected_changes(old, new)
    assert ledger == expected
    # the table `govreq update` keeps holds the same rows, and a second rebuild leaves it as it is
    assert restatements.refresh(con).rows == len(expected)
    assert _ledger(con) == _live(con)
    assert restatements.refresh(con) == restatements.Rebuild(len(expected), 0, 0, False)
    # What the two releases actually differ by (checked by hand in the two ZIPs): the 2022 release adds the US
    # national-security bands for half-years the 2019 release covered, and drops some all-zero rows, e.g. Costa
    # Rica 2014 H1 (2019 release, google-user-data-requests.csv row 301: 0 requests).
    kinds = {k for k, _ in expected}
    assert kinds == {"added", "withdrawn"}
    assert ("withdrawn", (dt.date(2014, 1, 1), dt.date(2014, 6, 30), "CR", "All", "requests", ())) in expected


def test_release_pairs_count_changed_added_and_removed_per_pair(tmp_path: Path) -> None:
    """The restatements page groups the ledger by release pair (the mart site_restatement_pairs): v1 -> v2
    changed Germany's value and two statuses, added Portugal and withdrew Italy; v2 -> v3 changed Türkiye only.
    Both releases' archived copies (sha256) and addresses travel with each pair."""
    con = warehouse(tmp_path)
    v1, v2, v3 = _synthetic_versions(con)
    assert restatements.rebuild(con) == 6
    pairs = con.execute(
        "SELECT old_document_sha256, new_document_sha256, changed, added, removed, old_url, new_url, periods "
        "FROM site_restatement_pairs WHERE series = 'data-requests' ORDER BY new_published_at").fetchall()
    assert pairs == [(v1, v2, 3, 1, 1, URL, URL, 1), (v2, v3, 1, 0, 0, URL, URL, 1)]
    total = con.execute("SELECT sum(figures) FROM site_restatement_pairs").fetchall()[0][0]
    assert total == con.execute("SELECT sum(figures) FROM restatements").fetchall()[0][0]
