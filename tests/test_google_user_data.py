"""Google user-data requests: both column generations, read from the real recorded ZIPs (tests.corpus).

Row numbers below are as a spreadsheet shows them (header = row 1) in the named ZIP member.
Synthetic variants are built in the tests from the real bytes (said so where they are).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict

import pytest

from parsers.catalogue import parse_document, parser_for
from parsers.facts import Fact, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import google_user_data
from tests.corpus import document
from tests.zip_variants import at, edit_csv, rebuilt

URL = "google-user-data-requests.zip"
OLD, NEW = "2019-04-14", "2022-02-25"
GLOBAL_OLD, GLOBAL_NEW = "google-user-data-requests.csv", "google-global-user-data-requests.csv"
FISA_CONTENT = "google-usnationalsecurity-fisa-content-requests.csv"
NSL = "google-usnationalsecurity-nsl-requests.csv"


@pytest.fixture(scope="module")
def old() -> list[Fact]:
    return parse_document(document(URL, OLD))


@pytest.fixture(scope="module")
def new() -> list[Fact]:
    return parse_document(document(URL, NEW))


def numbers(facts: list[Fact]) -> Counter[tuple[object, ...]]:
    """What a variant must preserve: every figure and where (member, row) it came from; not the header text."""
    return Counter((f.locator.member, f.locator.row, f.metric, f.period_end, f.country_iso2, f.request_type_raw,
                    f.value, f.value_low, f.value_high, f.status, f.raw_text) for f in facts)


def test_catalogue_routes_the_series_and_layouts_are_declared() -> None:
    assert parser_for("google", "user-data-requests") is google_user_data.parse
    assert {lay.name for lay in google_user_data.LAYOUTS} >= {"global-2018", "global-2019", "us-national-security"}


def test_fact_counts_per_member(old: list[Fact], new: list[Fact]) -> None:
    # 3 figures per row of the global/enterprise tables, 1 per diplomatic row, 2 bands per national-security row.
    assert Counter(f.locator.member for f in old) == {GLOBAL_OLD: 4638}  # 1546 rows x 3
    assert Counter(f.locator.member for f in new) == {
        GLOBAL_NEW: 7290, "google-enterprise-data-requests.csv": 360, "google-global-user-data-dlr-requests.csv": 177,
        NSL: 48, FISA_CONTENT: 46, "google-usnationalsecurity-fisa-non-content-requests.csv": 46,
        "google-enterprise-data-dlr-requests.csv": 8,
    }


@pytest.mark.parametrize(("capture", "member", "pct_column"), [
    (OLD, GLOBAL_OLD, "Percentage of requests where some data produced"), (NEW, GLOBAL_NEW, "Percentage disclosed")])
def test_argentina_2009_all_is_98_in_both_generations(capture: str, member: str, pct_column: str, old: list[Fact],
                                                      new: list[Fact]) -> None:
    # Row 2 of both files: 2009-12-31,Argentina,AR,All,98,,
    facts = old if capture == OLD else new
    f = at(facts, member, 2, "User Data Requests")
    assert (f.value, f.raw_text, f.status, f.country_iso2, f.country_raw) == (98, "98", Status.REPORTED, "AR", "Argentina")
    assert (f.period_start.isoformat(), f.period_end.isoformat()) == ("2009-07-01", "2009-12-31")
    assert f.request_type is RequestType.ALL and f.request_type_raw == "All" and f.is_total
    pct = at(facts, member, 2, pct_column)  # blank: Google published percentages from 2010 H2
    assert (pct.metric, pct.status, pct.value, pct.raw_text) == ("percent_some_data_produced", Status.NOT_REPORTED,
                                                                 None, "")


def test_search_warrants_2018_h1_same_in_both_generations(old: list[Fact], new: list[Fact]) -> None:
    # 2018-06-30,United States,US,Search Warrants,6900,85,18091: row 1542 (2019 file), row 1536 (2022 file).
    for facts, member, row, pct_col, acc_col in (
        (old, GLOBAL_OLD, 1542, "Percentage of requests where some data produced", "Users/Accounts Specified"),
        (new, GLOBAL_NEW, 1536, "Percentage disclosed", "Accounts"),
    ):
        req, pct, acc = at(facts, member, row, "User Data Requests"), at(facts, member, row, pct_col), \
            at(facts, member, row, acc_col)
        assert (req.value, req.request_type, req.request_type_raw) == (6900, RequestType.SEARCH_WARRANT,
                                                                        "Search Warrants")
        assert (pct.metric, pct.unit, pct.value, pct.raw_text) == ("percent_some_data_produced", Unit.PERCENT, 85, "85")
        assert (acc.metric, acc.unit, acc.value) == ("accounts_specified", Unit.ACCOUNTS, 18091)
        assert not req.is_total and req.counts_toward_total


def test_preservation_rows_do_not_count_and_blank_is_not_zero(new: list[Fact]) -> None:
    # Row 2248: 2020-06-30,United States,US,Preservation Requests,15588,,41108
    req = at(new, GLOBAL_NEW, 2248, "User Data Requests")
    assert (req.value, req.request_type, req.counts_toward_total) == (15588, RequestType.PRESERVATION, False)
    pct = at(new, GLOBAL_NEW, 2248, "Percentage disclosed")
    assert (pct.status, pct.value, pct.value_low, pct.raw_text) == (Status.NOT_REPORTED, None, None, "")
    # Row 43: 2010-06-30,United States,US,All,4287,, (accounts not yet published then)
    acc = at(new, GLOBAL_NEW, 43, "Accounts")
    assert (acc.status, acc.value) == (Status.NOT_REPORTED, None)


def test_united_nations_is_kept_but_not_a_country(new: list[Fact]) -> None:
    # Row 614: 2015-06-30,United Nations,,Other Legal Requests,1,0,1
    f = at(new, GLOBAL_NEW, 614, "User Data Requests")
    assert (f.country_raw, f.country_iso2, f.value, f.request_type) == ("United Nations", None, 1,
                                                                         RequestType.LEGAL_PROCESS)


def test_diplomatic_and_enterprise_cells(new: list[Fact]) -> None:
    # google-global-user-data-dlr-requests.csv row 2: 2019-06-30,Albania,AL,1
    dlr = at(new, "google-global-user-data-dlr-requests.csv", 2, "User Data Diplomatic Legal requests")
    assert (dlr.request_type, dlr.metric, dlr.value, dlr.country_iso2) == (RequestType.DIPLOMATIC, "requests", 1, "AL")
    # google-enterprise-data-requests.csv row 6: 2019-12-31,Brazil,BR,Google Workspace,Other Legal Requests,13,16,23
    m = "google-enterprise-data-requests.csv"
    req, cust, pct = (at(new, m, 6, c) for c in ("Enterprise Cloud customer requests", "Enterprise Cloud customers",
                                                 "Percentage disclosed"))
    assert (req.metric, req.value, req.extra) == ("enterprise_requests", 13, {"product": "Google Workspace"})
    assert (cust.metric, cust.unit, cust.value) == ("enterprise_customers", Unit.CUSTOMERS, 16)
    assert (pct.unit, pct.value) == (Unit.PERCENT, 23)
    # google-enterprise-data-dlr-requests.csv row 7: 2020-12-31,GSuite,Colombia,1 (no CLDR code column)
    e = at(new, "google-enterprise-data-dlr-requests.csv", 7, "Enterprise Diplomatic Legal requests")
    assert (e.country_iso2, e.value, e.extra, e.request_type) == ("CO", 1, {"product": "GSuite"}, RequestType.DIPLOMATIC)


def test_national_security_bands(new: list[Fact]) -> None:
    # fisa-content row 2: 2020-06-30,0,499,73500,73999
    req = at(new, FISA_CONTENT, 2, "Number of requests (range MIN) | Number of requests (range MAX)")
    acc = at(new, FISA_CONTENT, 2, "Number of accounts (range MIN) | Number of accounts (range MAX)")
    assert (req.status, req.value, req.value_low, req.value_high, req.raw_text) == (Status.BANDED, None, 0, 499,
                                                                                     "0 | 499")
    assert (acc.metric, acc.value_low, acc.value_high, acc.unit) == ("accounts_specified", 73500, 73999, Unit.ACCOUNTS)
    assert req.kind.value == "national-security" and req.request_type is RequestType.NATIONAL_SECURITY
    assert req.period_end.isoformat() == "2020-06-30" and req.country_iso2 == "US"
    # nsl row 3: 2020-06-30,6,499,1000,1499 (an odd lower edge, kept as printed)
    nsl = at(new, NSL, 3, "Number of requests (range MIN) | Number of requests (range MAX)")
    assert (nsl.value_low, nsl.value_high, nsl.request_type_raw) == (6, 499, "National Security Letters")


def test_invariants(old: list[Fact], new: list[Fact]) -> None:
    for facts in (old, new):
        locs = Counter((f.locator.member, f.locator.row, f.locator.column) for f in facts)
        assert max(locs.values()) == 1, "duplicate locators"
        for f in facts:
            if f.unit is Unit.PERCENT and f.value is not None:
                assert 0 <= f.value <= 100
            if f.value_low is not None:
                assert f.value_high is not None and f.value_low <= f.value_high
            if f.status is Status.NOT_REPORTED:
                assert f.raw_text.strip() == "" and f.value is None
            # preservation (excluded by Google's notes) and diplomatic (inclusion unknown) never count toward totals
            excluded = f.request_type in (RequestType.PRESERVATION, RequestType.DIPLOMATIC)
            assert excluded == (not f.counts_toward_total)
            assert f.is_total == (f.request_type is RequestType.ALL)


def test_all_rows_never_sit_beside_their_components(old: list[Fact], new: list[Fact]) -> None:
    """Google prints "All" only where it gives no breakdown: no period and country has both, in either release.

    So "All = sum of components" cannot be checked inside one file; the period totals below are the check.
    """
    for facts in (old, new):
        kinds: dict[tuple[object, ...], set[bool]] = defaultdict(set)
        for f in facts:
            if f.metric == "requests" and f.request_type is not RequestType.DIPLOMATIC:
                kinds[(f.locator.member, f.period_end, f.country_raw)].add(f.is_total)
        assert kinds and all(len(v) == 1 for v in kinds.values())
        assert sum(v == {True} for v in kinds.values()) in (342, 339)  # (period, country) pairs given only as "All"


def test_world_total_2014_h2_excludes_preservation(new: list[Fact]) -> None:
    # Google announced "30,138 requests ... for more than 50,585 users or accounts" for 2014 H2 (searchengineland,
    # 2015-03-26, citing Google's blog), the first period with preservation rows. The file's rows that count
    # toward totals sum to 30,140 and 50,587; with preservation they would be 34,837: preservation is excluded.
    rows = [f for f in new if f.locator.member == GLOBAL_NEW and f.period_end.isoformat() == "2014-12-31"]
    counted = [f for f in rows if f.counts_toward_total]
    assert sum(f.value or 0 for f in counted if f.metric == "requests") == 30140
    assert sum(f.value or 0 for f in counted if f.metric == "accounts_specified") == 50587
    assert sum(f.value or 0 for f in rows if f.metric == "requests") == 34837


def test_releases_2019_and_2022_agree_on_every_shared_figure(old: list[Fact], new: list[Fact]) -> None:
    def keyed(facts: list[Fact]) -> dict[tuple[object, ...], Fact]:
        out = {(f.period_end, f.country_iso2 or f.country_raw, f.request_type_raw, f.metric): f
               for f in facts if f.locator.member in (GLOBAL_OLD, GLOBAL_NEW)}
        assert len(out) == sum(f.locator.member in (GLOBAL_OLD, GLOBAL_NEW) for f in facts)
        return out
    a, b = keyed(old), keyed(new)
    shared = a.keys() & b.keys()
    differ = [k for k in shared if (a[k].value, a[k].status, a[k].value_low, a[k].value_high) !=
              (b[k].value, b[k].status, b[k].value_low, b[k].value_high)]
    assert len(shared) == 4620 and differ == []
    # 2022 dropped six all-zero rows: CR, IS, PY in 2014 H1 ("All") and LV in 2014 H2 - 2015 H2.
    dropped = sorted({(k[0].isoformat(), k[1]) for k in a.keys() - b.keys()})
    assert len(a.keys() - b.keys()) == 18 and all(a[k].value == 0 for k in a.keys() - b.keys())
    assert dropped == [("2014-06-30", "CR"), ("2014-06-30", "IS"), ("2014-06-30", "PY"), ("2014-12-31", "LV"),
                       ("2015-06-30", "LV"), ("2015-12-31", "LV")]
    # Renamed labels (Macau -> Macao, Macedonia (FYROM) -> North Macedonia) keep their code: not a change.
    assert {a[k].country_raw for k in shared if a[k].country_raw != b[k].country_raw} == {"Macau", "Macedonia (FYROM)"}


# --- synthetic variants built from the real bytes ---------------------------------------------------------

def test_cosmetic_header_rename_parses_to_the_same_numbers(new: list[Fact]) -> None:
    doc = document(URL, NEW)
    shout = rebuilt(doc, edit_csv(GLOBAL_NEW, lambda rows: [["  " + h.upper() + " " for h in rows[0]], *rows[1:]]))
    assert numbers(google_user_data.parse(shout)) == numbers(new)


def test_reordered_columns_parse_to_the_same_numbers(new: list[Fact]) -> None:
    doc = document(URL, NEW)
    order = [6, 5, 4, 3, 2, 1, 0]
    swapped = rebuilt(doc, edit_csv(GLOBAL_NEW, lambda rows: [[r[i] for i in order] for r in rows]))
    for member in ("google-enterprise-data-requests.csv", FISA_CONTENT):
        swapped = rebuilt(swapped, edit_csv(member, lambda rows: [list(reversed(r)) for r in rows]))
    assert numbers(google_user_data.parse(swapped)) == numbers(new)


def test_unknown_column_is_refused_by_name() -> None:
    doc = document(URL, OLD)
    mars = rebuilt(doc, edit_csv(GLOBAL_OLD, lambda rows: [r + (["Requests from Mars"] if i == 0 else ["3"])
                                                           for i, r in enumerate(rows)]))
    with pytest.raises(UnknownLayout, match="Requests from Mars") as err:
        google_user_data.parse(mars)
    assert mars.name in str(err.value)


def test_unknown_member_is_refused_but_notes_are_skipped(new: list[Fact]) -> None:
    doc = document(URL, NEW)
    extra = rebuilt(doc, lambda m: {**m, "google-usnationalsecurity-section-215-requests.csv": b"a,b\n1,2\n"})
    with pytest.raises(UnknownLayout, match="section-215"):
        google_user_data.parse(extra)
    notes = rebuilt(doc, lambda m: {**m, "NOTES.txt": b"synthetic note", "__MACOSX/._README.txt": b"\0"})
    assert numbers(google_user_data.parse(notes)) == numbers(new)
    only_readme = rebuilt(doc, lambda m: {"README.txt": m["README.txt"]})
    with pytest.raises(ParseError, match="no data member"):
        google_user_data.parse(only_readme)


def test_unknown_legal_process_is_refused() -> None:
    doc = document(URL, OLD)
    odd = rebuilt(doc, edit_csv(GLOBAL_OLD, lambda rows: [*rows[:5], rows[5][:3] + ["Tower Dumps"] + rows[5][4:],
                                                          *rows[6:]]))
    with pytest.raises(UnknownLayout, match="row=6.*Tower Dumps"):
        google_user_data.parse(odd)


def test_resaved_dates_and_equal_band_bounds() -> None:
    doc = document(URL, NEW)
    # Synthetic: row 2 re-saved as 30/06/20 (day-first short form), and its request band collapsed to 0-0.
    variant = rebuilt(doc, edit_csv(FISA_CONTENT, lambda rows: [rows[0], ["30/06/20", "0", "0", *rows[1][3:]],
                                                                *rows[2:]]))
    f = at(google_user_data.parse(variant), FISA_CONTENT, 2,
           "Number of requests (range MIN) | Number of requests (range MAX)")
    assert (f.period_end.isoformat(), f.status, f.value, f.value_low, f.value_high) == ("2020-06-30", Status.ZERO,
                                                                                        0, 0, 0)


@pytest.mark.parametrize("damage", ["truncated", "html"])
def test_damaged_download_names_the_document(damage: str) -> None:
    doc = document(URL, NEW)
    data = doc.data[: len(doc.data) // 2] if damage == "truncated" else b"<!DOCTYPE html><html>Error 404</html>"
    bad = dataclasses.replace(doc, data=data, sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(ParseError) as err:
        google_user_data.parse(bad)
    assert bad.name in str(err.value)
    if damage == "html":
        assert "HTML" in str(err.value)
