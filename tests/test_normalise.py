"""The shared normalisers: printed cells, periods and country labels, with the pitfalls real reports show."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.facts import Status
from parsers.normalise.countries import country_iso2, is_pseudo_jurisdiction
from parsers.normalise.periods import half_year_ending, parse_date, parse_half, parse_month_range
from parsers.normalise.values import UnreadableCell, band, parse_number_cell


@pytest.mark.parametrize(
    ("raw", "value", "low", "high", "status"),
    [
        ("1,234", 1234, 1234, 1234, Status.REPORTED),
        ("0", 0, 0, 0, Status.ZERO),
        (0, 0, 0, 0, Status.ZERO),
        ("", None, None, None, Status.NOT_REPORTED),  # blank is not zero
        (None, None, None, None, Status.NOT_REPORTED),
        (float("nan"), None, None, None, Status.NOT_REPORTED),
        ("-", None, None, None, Status.NOT_APPLICABLE),  # "-" is not zero either
        (" -", None, None, None, Status.NOT_APPLICABLE),
        ("<10", None, 1, 9, Status.SUPPRESSED),  # an interval, never 5.5
        ("0-249", None, 0, 249, Status.BANDED),  # a band, never a midpoint
        ("13,254 - 13,499", None, 13254, 13499, Status.BANDED),
        ("1*", 1, 1, 1, Status.REPORTED),
        ("3,353 (2,440)", 3353, 3353, 3353, Status.REPORTED),
        ("Withheld", None, None, None, Status.WITHHELD),
    ],
)
def test_printed_cells(raw: object, value: float | None, low: float | None, high: float | None,
                       status: Status) -> None:
    cell = parse_number_cell(raw)
    assert (cell.value, cell.low, cell.high, cell.status) == (value, low, high, status)


def test_percentages_keep_the_published_scale() -> None:
    assert parse_number_cell("54%", percent=True).value == 54
    assert parse_number_cell("83.00", percent=True).value == 83
    assert parse_number_cell("<1%".rstrip("%"), percent=True).low == 0


def test_footnote_marks_are_noted() -> None:
    assert "footnote" in parse_number_cell("12†").note


@pytest.mark.parametrize("raw", ["about 40", "n/k", "12-3", "abc"])
def test_unreadable_cells_are_refused(raw: str) -> None:
    with pytest.raises(UnreadableCell):
        parse_number_cell(raw)


def test_two_column_bands() -> None:
    assert band("0", "499").status is Status.BANDED
    assert band("7", "7").value == 7
    with pytest.raises(UnreadableCell):
        band("500", "499")


def test_periods() -> None:
    assert parse_half("2013 H1") == (dt.date(2013, 1, 1), dt.date(2013, 6, 30))
    assert parse_half("H2 2020") == (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert half_year_ending("2009-12-31") == (dt.date(2009, 7, 1), dt.date(2009, 12, 31))
    assert half_year_ending("31/12/09") == (dt.date(2009, 7, 1), dt.date(2009, 12, 31))  # Google's re-saved form
    with pytest.raises(ValueError):
        half_year_ending("2019-03-31")  # a quarter end is not silently turned into a half-year
    assert parse_month_range("Jan-Jun 2017") == (dt.date(2017, 1, 1), dt.date(2017, 6, 30))
    assert parse_month_range("July - December 2020") == (dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert parse_date("2020-06-30") == dt.date(2020, 6, 30)


@pytest.mark.parametrize(
    ("label", "hint", "iso2"),
    [
        ("Turkey", None, "TR"),
        ("Türkiye", None, "TR"),  # a rename is not a different country
        ("UK", None, "GB"),
        ("Germany", None, "DE"),
        ("CÌ«te d'Ivoire", None, "CI"),  # mojibake seen in a publisher's file
        ("China mainland", None, "CN"),
        ("Kosovo", None, "XK"),
        ("Some Unknown Place", None, None),  # never guessed
        ("Argentina", "AR", "AR"),
        ("", "UK", "GB"),
    ],
)
def test_country_labels(label: str, hint: str | None, iso2: str | None) -> None:
    assert country_iso2(label, hint) == iso2


def test_pseudo_jurisdictions_have_no_code() -> None:
    for label in ("EU", "INTERPOL", "All Others"):
        assert country_iso2(label) is None
        assert is_pseudo_jurisdiction(label)
