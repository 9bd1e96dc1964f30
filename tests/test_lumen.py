"""Lumen's half-yearly U.S. transparency reports (PDF): exact cells read by hand, periods, bands, layout changes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, UnknownLayout
from parsers.series.lumen_transparency_report import parse
from tests.corpus import captures, document, require_corpus
from tests.fixtures.synthetic_pdf import Page, Table, build_pdf

REPORTS = {"transparency-report-2021-h1.pdf": (dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
           "transparency-report-2021-h2.pdf": (dt.date(2021, 7, 1), dt.date(2021, 12, 31)),
           "transparency-report-2022-h1.pdf": (dt.date(2022, 1, 1), dt.date(2022, 6, 30))}


@pytest.fixture(scope="module")
def reports() -> dict[str, list[Fact]]:
    require_corpus()
    return {name: parse(document(name)) for name in REPORTS}


def one(facts: list[Fact], raw: str) -> Fact:
    hits = [f for f in facts if f.request_type_raw == raw]
    assert len(hits) == 1, (raw, hits)
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("lumen", "transparency-report") is parse


def test_every_capture_parses_with_its_own_period(reports: dict[str, list[Fact]]) -> None:
    mine = [c for c in captures() if (c.company, c.series) == ("lumen", "transparency-report")]
    assert sorted(c.url.rsplit("/", 1)[-1] for c in mine) == sorted(REPORTS)
    for name, facts in reports.items():
        assert len(facts) == 7, name
        assert {(f.period_start, f.period_end) for f in facts} == {REPORTS[name]}
        assert {f.locator.page for f in facts} == {1}


def test_exact_cells(reports: dict[str, list[Fact]]) -> None:
    h1 = reports["transparency-report-2021-h1.pdf"]
    sub = one(h1, "Subpoenas")
    assert (sub.raw_text, sub.value, sub.request_type, sub.locator.row) == ("3304", 3304, RequestType.SUBPOENA, 1)
    assert sub.locator.bbox == pytest.approx((411.7, 316.5, 436.7, 327.5), abs=0.2)
    wiretaps = one(h1, "Court Orders/Warrants / Wiretaps")
    assert (wiretaps.raw_text, wiretaps.value, wiretaps.request_type) == ("3", 3, RequestType.COURT_ORDER)
    content = one(h1, "Court Orders/Warrants / Content Warrants")
    assert (content.raw_text, content.value, content.status) == ("0", 0, Status.ZERO)
    emergency = one(h1, "U.S. Emergency Requests: January 1, 2021 - June 30, 2021")
    assert (emergency.raw_text, emergency.value, emergency.request_type) == ("149", 149, RequestType.EMERGENCY)
    h2 = reports["transparency-report-2021-h2.pdf"]
    assert one(h2, "Court Orders/Warrants / Non-Content Warrants").value == 718
    assert one(h2, "U.S. Emergency Requests: July 1, 2021 - December 31, 2021").raw_text == "111"
    assert one(reports["transparency-report-2022-h1.pdf"], "Subpoenas").raw_text == "2752"


def test_national_security_stays_a_band(reports: dict[str, list[Fact]]) -> None:
    for name, facts in reports.items():
        band = one(facts, "U.S. National Security Letters & FISA Orders / Combined Number of Requests")
        assert (band.raw_text, band.value, band.value_low, band.value_high, band.status, band.kind) == (
            "0-249", None, 0, 249, Status.BANDED, Kind.NATIONAL_SECURITY), name


def test_no_total_is_printed_so_none_is_made(reports: dict[str, list[Fact]]) -> None:
    # Lumen prints no total of its rows: nothing to check them against, and no fact claims to be one.
    assert not [f for facts in reports.values() for f in facts if f.is_total]


def _synthetic(emergency: str = "U.S. Emergency Requests: January 1, 2021 - June 30, 2021",
               extra: list[list[str]] | None = None) -> Document:
    """SYNTHETIC: the H1 2021 table's shape, with figures made up."""
    rows = [["U.S. Criminal Demands: January 1, 2021 - June 30, 2021", ""], ["Subpoenas", "100"],
            ["Court Orders/Warrants", ""], ["Pen Register/Trap & Trace", "2"], *(extra or []), [emergency, "9"],
            ["U.S. National Security Letters & FISA Orders: January 1, 2021 - June 30, 2021", ""],
            ["Combined Number of Requests", "0-249"]]
    page = Page(lines=[(72, 40, "U.S. Transparency Report"), (72, 55, "January 1, 2021 - June 30, 2021")],
                tables=[Table(90, 100, [360, 80], rows)])
    data = build_pdf([page])
    return Document(data, hashlib.sha256(data).hexdigest(), "https://example.test/lumen-synthetic.pdf", "lumen",
                    "transparency-report")


def test_synthetic_known_layout_reads_and_changes_are_refused() -> None:
    facts = parse(_synthetic())
    assert [(f.request_type_raw, f.raw_text) for f in facts] == [
        ("Subpoenas", "100"), ("Court Orders/Warrants / Pen Register/Trap & Trace", "2"),
        ("U.S. Emergency Requests: January 1, 2021 - June 30, 2021", "9"),
        ("U.S. National Security Letters & FISA Orders / Combined Number of Requests", "0-249")]
    with pytest.raises(UnknownLayout, match="'Tower Dumps' is not a declared row"):
        parse(_synthetic(extra=[["Tower Dumps", "5"]]))
    with pytest.raises(UnknownLayout, match="not the report's period"):
        parse(_synthetic(emergency="U.S. Emergency Requests: July 1, 2020 - December 31, 2020"))
