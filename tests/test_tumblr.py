"""Automattic's Tumblr ZIP, Jan-Jun 2023 (2023-08-24 capture), as published: four CSVs in a folder, their macOS
resource forks under `__MACOSX/`, and a Readme. The government information requests CSV stacks two tables: by
country, then "US Stats" by request type.

Cells below were read by hand from the CSVs. Synthetic variants are the real ZIP's members, edited and re-zipped
here (never stored).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache

import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, Fact, Kind, ParseError, RequestType, Unit, UnknownLayout
from parsers.series import automattic_tumblr_transparency_report as tumblr
from tests.corpus import captures, document
from tests.zip_variants import Change, edit_csv, rebuilt

URL = "transparency-report-csv-tumblr-jan-jun-2023.zip"
FOLDER = "Transparency Report CSV (Tumblr) Jan-Jun 2023/"
NAME = FOLDER + "Transparency Report CSV (Tumblr) Jan-Jun 2023 - Tumblr {} Jan-Jun 2023.csv"
INFO, REMOVALS = NAME.format("Government Info Requests"), NAME.format("Gov Removal Requests")
DMCA, TRADEMARK = NAME.format("DMCA Requests"), NAME.format("Trademark Reports")


@cache
def real() -> tuple[Document, tuple[Fact, ...]]:
    doc = document(URL)
    return doc, tuple(tumblr.parse(doc))


def at(member: str, row: int, column: str) -> Fact:
    hits = [f for f in real()[1] if (f.locator.member, f.locator.row, f.locator.column) == (member, row, column)]
    assert len(hits) == 1, (member, row, column, len(hits))
    return hits[0]


def values(member: str, column: str, table: int | None = None) -> dict[int, float]:
    return {f.locator.row or 0: f.value or 0 for f in real()[1]
            if (f.locator.member, f.locator.column, f.locator.table) == (member, column, table)}


def test_every_capture_parses_and_notes_are_not_data() -> None:
    caps = [c for c in captures() if c.company == "automattic"]
    assert caps
    for c in caps:
        doc = document(c.url, c.captured_at)
        facts = parse_document(doc)
        members = {f.locator.member for f in facts}
        assert members == {INFO, REMOVALS, DMCA, TRADEMARK}
        assert len(facts) == 4 * 5 + 4 * 5 + 9 * 8 + 5 * 7 + 7 * 7  # cells per table, read by hand: 196
    assert b"__MACOSX/" in real()[0].data and b"Readme.txt" in real()[0].data  # present, and declared not data


def test_cells_read_by_hand() -> None:
    f = at(INFO, 2, "Total Notices")  # United States, 124 notices
    assert (f.value, f.country_iso2, f.kind, f.unit, f.locator.table) == (124, "US", Kind.USER_DATA,
                                                                         Unit.REQUESTS, 1)
    assert "file's name gives (Jan-Jun 2023)" in f.note  # the half-year is printed in the member's name only
    f = at(INFO, 2, "% Compliance")  # printed 85.48387097 on the 0-100 scale
    assert (f.value, f.unit, f.raw_text) == (85.48387097, Unit.PERCENT, "85.48387097")
    f = at(INFO, 6, "Total Notices")  # Global Total, 128
    assert (f.value, f.is_total, f.country_raw, f.country_iso2) == (128, True, "", None)
    # the second table, under the title "US Stats" (line 8), header on line 9 with a blank first cell
    f = at(INFO, 10, "total-notices")  # Subpoena, 82
    assert (f.value, f.request_type, f.country_raw, f.country_iso2, f.locator.table) == (
        82, RequestType.SUBPOENA, "US Stats", "US", 2)
    assert "US Stats" in f.note
    assert at(INFO, 10, "ndos").value == 59
    f = at(INFO, 14, "total-notices")  # Total, 124
    assert (f.value, f.is_total, f.request_type) == (124, True, RequestType.ALL)
    f = at(REMOVALS, 2, "Removal Requests")  # Turkey, 11
    assert (f.value, f.country_iso2, f.kind, f.request_type) == (11, "TR", Kind.CONTENT_REMOVAL,
                                                                RequestType.CONTENT_REMOVAL)
    f = at(DMCA, 8, "Posts Removed")  # Total, "2,369"
    assert (f.value, f.raw_text, f.is_total, f.kind) == (2369, "2,369", True, Kind.OTHER)
    f = at(DMCA, 3, "Posts Removed")  # Feb 2023, 709
    assert (f.value, f.period_start.isoformat(), f.period_end.isoformat(), f.note) == (
        709, "2023-02-01", "2023-02-28", "")  # its month is printed on its row
    f = at(TRADEMARK, 8, "# of Requests")
    assert (f.value, f.period_start.isoformat(), f.period_end.isoformat()) == (295, "2023-01-01", "2023-06-30")


def test_the_reports_own_arithmetic() -> None:
    # information requests: the countries add up to the Global Total, the US types to the US Stats total, and
    # that total is the United States row of the country table
    for column in ("Total Notices", "Accounts Specified", "Compliance"):
        v = values(INFO, column, 1)
        assert sum(v[r] for r in range(2, 6)) == v[6], column
    for column in ("total-notices", "ndos", "compliance"):
        v = values(INFO, column, 2)
        assert sum(v[r] for r in range(10, 14)) == v[14], column
    assert values(INFO, "total-notices", 2)[14] == values(INFO, "Total Notices", 1)[2] == 124
    assert values(INFO, "compliance", 2)[14] == values(INFO, "Compliance", 1)[2] == 106
    # removals: every request is ToS / geoblock / no action, and a court order or other; columns add up
    per_row: dict[int, dict[str, float]] = defaultdict(dict)
    for f in real()[1]:
        if f.locator.member == REMOVALS:
            per_row[f.locator.row or 0][f.locator.column or ""] = f.value or 0
    for n, r in per_row.items():
        assert r["ToS - Unrelated"] + r["Geoblock"] + r["No Action"] == r["Removal Requests"], n
        assert r["Court Order"] + r["Other"] == r["Removal Requests"], n
    for column in ("Removal Requests", "ToS - Unrelated", "Geoblock", "No Action", "Court Order", "Other"):
        assert sum(per_row[n][column] for n in range(2, 9)) == per_row[9][column], column
    # where the publisher's arithmetic fails: the countries' accounts specified add up to 1,176, the Global
    # Total row prints 1,171 (accounts named in several countries' requests may be counted once there)
    assert (sum(per_row[n]["Accounts Specified"] for n in range(2, 9)), per_row[9]["Accounts Specified"]) == (
        1176, 1171)
    # DMCA and trademark notices: the months add up to the Total row; each month's notices split exactly
    for member, columns in ((DMCA, ("Total Notices", "Valid Notices", "Posts Removed", "Incomplete Notices",
                                    "Counter Notices")),
                            (TRADEMARK, ("# of Requests", "tos-suspension", "tm-suspension"))):
        for column in columns:
            v = values(member, column)
            assert sum(v[n] for n in range(2, 8)) == v[8], (member, column)
    total, valid, incomplete = (values(DMCA, c) for c in ("Total Notices", "Valid Notices", "Incomplete Notices"))
    assert all(valid[n] + incomplete[n] == total[n] for n in range(2, 9))
    requests, tos, tm, none = (values(TRADEMARK, c) for c in ("# of Requests", "tos-suspension", "tm-suspension",
                                                              "no-action"))
    assert all(tos[n] + tm[n] + none[n] == requests[n] for n in range(2, 8))
    # where the publisher's arithmetic fails, in the trademark Total row: no-action prints 154 where the months
    # add up to 155 (so its parts make 294, not the 295 requests it prints), URLs affected 874 where they add up
    # to 884, and "% where tm action taken" 3.061224 = 9/294, not 9/295
    assert (sum(none[n] for n in range(2, 8)), none[8]) == (155, 154)
    assert tos[8] + tm[8] + none[8] == 294 != requests[8] == 295
    urls = values(TRADEMARK, "# of URLs Affected")
    assert (sum(urls[n] for n in range(2, 8)), urls[8]) == (884, 874)
    tm_pct = values(TRADEMARK, "% where tm action taken")[8]
    assert tm_pct == 3.061224 and round(9 / 294 * 100, 6) == tm_pct != round(9 / 295 * 100, 6)


def add_member(name: str, data: bytes) -> Change:
    return lambda members: {**members, name: data}


def append_rows(extra: list[list[str]]) -> Callable[[list[list[str]]], list[list[str]]]:
    return lambda rows: rows + extra


US_STATS = [["", "", "", "", ""], ["EU Stats", "", "", "", ""], ["", "total-notices", "ndos", "compliance",
                                                                  "% compliance"], ["Total", "1", "0", "1", "100"]]


@pytest.mark.parametrize(("change", "error", "message"), [
    (add_member(NAME.format("Gov Account Suspensions"), b"Country,Suspensions\r\nTurkey,3\r\n"), UnknownLayout,
     "not a file this parser knows"),
    (add_member(FOLDER + "notes.csv", b"a,b\r\n"), UnknownLayout, "not a file this parser knows"),
    (edit_csv(INFO, append_rows(US_STATS)), UnknownLayout, "tables titled"),  # a third stacked table
    (edit_csv(INFO, lambda rows: [[c.replace("US Stats", "USA") for c in r] for r in rows]), UnknownLayout,
     "tables titled"),
    (edit_csv(REMOVALS, lambda rows: [rows[0] + ["Appealed"]] + [r + ["0"] for r in rows[1:]]), UnknownLayout,
     "unknown column 'Appealed'"),
    (edit_csv(INFO, lambda rows: [r + ["7"] if r and r[0] == "Germany" else r for r in rows]), UnknownLayout,
     "past the header's last column"),
    (edit_csv(INFO, lambda rows: [[c.replace("Emergency", "Wiretap") for c in r] for r in rows]), UnknownLayout,
     "unknown request type 'Wiretap'"),
    (edit_csv(DMCA, lambda rows: [[c.replace("Feb 2023", "Feb 2022") for c in r] for r in rows]), ParseError,
     "outside the report's"),
])
def test_layout_changes_are_refused(change: Change, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        tumblr.parse(rebuilt(real()[0], change))


def test_a_rezipped_copy_parses_the_same() -> None:
    assert [(f.locator.render(), f.value) for f in tumblr.parse(rebuilt(real()[0], lambda m: m))] == [
        (f.locator.render(), f.value) for f in real()[1]]
