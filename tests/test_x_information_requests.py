"""Twitter's information-request CSVs: the 2017 H1 file (2018-01-11 capture) and the full history with two
stacked tables (Jul-Dec 2020 file, 2022-02-25 capture). Captures say company "twitter"; the series is X's.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter, defaultdict
from functools import cache

import pytest

from parsers.facts import Document, Fact, ParseError, RequestType, Status, Unit, UnknownLayout
from parsers.series import x_information_requests as x
from tests.corpus import document

H1_2017 = "information-requests-report-jan-jun-2017.csv"
HISTORY = "Information_Requests_Jul-Dec-2020.csv"


@cache
def real(url: str) -> tuple[Document, tuple[Fact, ...]]:
    doc = document(url, company="x")
    return doc, tuple(x.parse(doc))


def cell(facts: tuple[Fact, ...] | list[Fact], row: int, column: str) -> Fact:
    hits = [f for f in facts if (f.locator.row, f.locator.column) == (row, column)]
    assert len(hits) == 1, (row, column, len(hits))
    return hits[0]


def numbers(facts: list[Fact] | tuple[Fact, ...]) -> Counter[tuple[object, ...]]:
    return Counter((f.locator.table, f.locator.row, f.metric, f.request_type, f.request_type_raw, f.country_raw,
                    f.period_start, f.value, f.value_low, f.value_high, f.status, f.raw_text, f.note) for f in facts)


def variant(doc: Document, change) -> Document:  # type: ignore[no-untyped-def]
    """A synthetic variant made from the real bytes in the test (never stored)."""
    rows = list(csv.reader(io.StringIO(doc.data.decode("utf-8-sig"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(change(rows))
    return dataclasses.replace(doc, data=out.getvalue().encode(), sha256="synthetic")


def test_fact_counts() -> None:
    assert len(real(H1_2017)[1]) == 84 * 3  # 83 countries + TOTAL, 3 figure columns
    facts = real(HISTORY)[1]
    assert Counter(f.locator.table for f in facts) == {1: 863 * 11, 2: 146 * 4}


def test_known_cells_2017() -> None:
    _, facts = real(H1_2017)
    # row 82: January - June 2017, United States, US, "2,111", 77%, "4,594"
    f = cell(facts, 82, "ACCOUNT INFORMATION REQUESTS")
    assert (f.value, f.raw_text, f.country_iso2, f.request_type, f.is_total) == (
        2111, "2,111", "US", RequestType.ALL, False)
    assert (f.period_start, f.period_end) == (dt.date(2017, 1, 1), dt.date(2017, 6, 30))
    assert cell(facts, 82, "PERCENTAGE WHERE SOME INFORMATION PRODUCED").value == 77
    assert cell(facts, 82, "ACCOUNTS SPECIFIED").value == 4594
    # row 5: Austria "1*": a footnote mark, the figure is 1
    f = cell(facts, 5, "ACCOUNT INFORMATION REQUESTS")
    assert (f.value, f.raw_text, f.status) == (1, "1*", Status.REPORTED) and "footnote" in f.note
    # row 2: Albania "-": not applicable, not zero
    f = cell(facts, 2, "ACCOUNTS SPECIFIED")
    assert (f.value, f.status, f.raw_text) == (None, Status.NOT_APPLICABLE, "-")


def test_known_cells_history() -> None:
    _, facts = real(HISTORY)
    # Table 1 line 71: 2020-07-01, United States, 2421 routine, 822 emergency, 3243 combined, 0.72, ...
    f = cell(facts, 71, "Routine requests")
    assert (f.value, f.request_type, f.locator.table, f.country_iso2) == (2421, RequestType.LEGAL_PROCESS, 1, "US")
    assert (f.period_start, f.period_end) == (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    f = cell(facts, 71, "Routine compliance rate")  # published as the fraction 0.72
    assert (f.value, f.unit, f.raw_text) == (72, Unit.PERCENT, "0.72")
    f = cell(facts, 71, "Combined requests")
    assert (f.value, f.is_total, f.request_type) == (3243, True, RequestType.ALL)
    assert cell(facts, 71, "Preservation requests").value == 1791
    # line 501: 2016-07-01, Bangladesh, 0 routine: the routine rate NULL is not applicable (nothing to rate)
    f = cell(facts, 501, "Routine compliance rate")
    assert (f.status, f.value, f.raw_text) == (Status.NOT_APPLICABLE, None, "NULL")
    # line 157: "China**" (footnote marks on the label) maps to CN, raw kept
    f = cell(facts, 157, "Combined requests")
    assert (f.country_raw, f.country_iso2) == ("China**", "CN")
    # line 865: 2012-01-01, United States: 679 combined; routine "0" is a placeholder (no split before 2016 H2)
    assert cell(facts, 865, "Combined requests").value == 679
    f = cell(facts, 865, "Routine requests")
    assert (f.status, f.value, f.raw_text) == (Status.NOT_REPORTED, None, "0") and "placeholder" in f.note
    # Table 2 (header on line 869), line 870: 2020-07-01, Australia, 1 non-government request
    f = cell(facts, 870, "Information requests")
    assert (f.value, f.request_type, f.locator.table, f.country_iso2) == (1, RequestType.CIVIL, 2, "AU")
    assert f.extra["table"] == "Table 2/2: Non-Government Information Requests"
    # line 1015: 2014-07-01, Worldwide: a company-wide figure, no country
    f = cell(facts, 1015, "Information requests")
    assert (f.value, f.country_iso2, f.country_raw) == (142, None, "Worldwide")


def test_locator_rows_are_real_line_numbers() -> None:
    for url in (H1_2017, HISTORY):
        doc, facts = real(url)
        lines = doc.data.decode("utf-8-sig").splitlines()
        for f in facts:
            cells = next(csv.reader([lines[(f.locator.row or 0) - 1]]))
            assert f.raw_text in cells, (url, f.locator)


def test_2017_total_row() -> None:
    """Countries add up to the printed TOTAL row 85 for requests; accounts are one short of it (as printed)."""
    _, facts = real(H1_2017)
    total = {f.metric: f for f in facts if f.is_total}
    assert {f.locator.row for f in total.values()} == {85}
    assert total["requests"].raw_text == "6,448" and total["requests"].country_iso2 is None
    parts = defaultdict(float)
    for f in facts:
        if not f.is_total and f.value is not None:
            parts[f.metric] += f.value
    assert parts["requests"] == total["requests"].value == 6448
    assert (parts["accounts_specified"], total["accounts_specified"].value) == (11114, 11115)


def test_history_combined_is_routine_plus_emergency() -> None:
    _, facts = real(HISTORY)
    rows: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.locator.table == 1:
            rows[f.locator.row or 0][f.locator.column or ""] = f
    split = 0
    for r in rows.values():
        for what in ("requests", "accounts specified"):
            combined = r[f"Combined {what}"]
            routine, emergency = r[f"Routine {what}"], r[f"Emergency {what}"]
            if combined.period_start >= dt.date(2016, 7, 1):
                assert combined.value == (routine.value or 0) + (emergency.value or 0), combined.locator
                split += 1
            else:  # before 2016 H2 the split was not published: placeholders, never zeros
                assert routine.status is emergency.status is Status.NOT_REPORTED
    assert split == 2 * 545  # 545 rows from 2016 H2 to 2020 H2
    for f in facts:
        if f.unit is Unit.PERCENT and f.value is not None:
            assert 0 <= f.value <= 100


def test_2017_file_against_its_restatement_in_the_history() -> None:
    """Requests for 2017 H1 agree across the two files; accounts were restated for 6 countries."""
    h1 = {(f.country_iso2, f.metric): f for f in real(H1_2017)[1] if not f.is_total}
    later = {(f.country_iso2, f.metric): f for f in real(HISTORY)[1]
             if f.period_start == dt.date(2017, 1, 1) and f.request_type is RequestType.ALL}
    differ = {k for k, f in h1.items() if f.value and (k not in later or later[k].value != f.value)}
    assert differ == {("PY", "requests"), ("PY", "accounts_specified")} | {
        (c, "accounts_specified") for c in ("DK", "EE", "HK", "IE", "PT", "RU", "UY")}


def test_cosmetic_rename_and_reordered_columns_give_same_numbers() -> None:
    doc, facts = real(HISTORY)
    header_lines = {1, 868}  # 0-based: the two header rows

    def rename(rows: list[list[str]]) -> list[list[str]]:
        return [[c.upper().replace(" ", "  ") for c in r] if i in header_lines else r for i, r in enumerate(rows)]

    assert numbers(x.parse(variant(doc, rename))) == numbers(facts)

    def reorder(rows: list[list[str]]) -> list[list[str]]:
        return [[r[1], r[0], *reversed(r[2:])] if len(r) > 2 else r for r in rows]

    assert numbers(x.parse(variant(doc, reorder))) == numbers(facts)
    doc17, facts17 = real(H1_2017)
    assert numbers(x.parse(variant(doc17, lambda rows: [[c.lower() for c in rows[0]], *rows[1:]]))) == numbers(
        facts17)


def test_unknown_column_is_refused_naming_it() -> None:
    doc, _ = real(HISTORY)
    grown = variant(doc, lambda rows: [r + ["Diplomatic requests"] if i == 1 else r + ["0"] if 1 < i < 865 else r
                                       for i, r in enumerate(rows)])
    with pytest.raises(UnknownLayout, match="Diplomatic requests"):
        x.parse(grown)


def test_a_missing_table_is_refused() -> None:
    doc, _ = real(HISTORY)
    with pytest.raises(ParseError, match="announce"):
        x.parse(variant(doc, lambda rows: rows[:866]))


def test_a_figure_under_a_blank_header_is_refused() -> None:
    doc, _ = real(HISTORY)
    with pytest.raises(UnknownLayout, match="without a header"):
        x.parse(variant(doc, lambda rows: [r[:6] + ["7"] + r[7:] if i == 869 else r for i, r in enumerate(rows)]))


@pytest.mark.parametrize("data", [b"", b"<html><head><title>404</title></head></html>"])
def test_empty_or_html_download_names_the_document(data: bytes) -> None:
    doc, _ = real(H1_2017)
    with pytest.raises(ParseError, match="information-requests-report-jan-jun-2017.csv"):
        x.parse(dataclasses.replace(doc, data=data))
