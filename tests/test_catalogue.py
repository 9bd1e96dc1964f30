"""The catalogue of parsers against the registry: every parser reads a series the registry lists, and every
registry series with download URLs has a parser, except the known gaps listed here (their parsers arrive from
other branches; remove an entry when its parser lands, and the test says so)."""

from __future__ import annotations

from crawlers.registry import load_registry
from parsers.catalogue import modules, parser_for, reader_for

# Registry series with download URLs and no parser yet on this branch.
KNOWN_GAPS = {
    # telecoms' reports listed in the registry with no parser planned yet
    ("orange", "transparency-report"), ("telefonica", "transparency-in-communications"),
    ("telenor", "authority-requests-disclosure-report"), ("vodafone", "law-enforcement-disclosure-report"),
}


def registry_series() -> dict[tuple[str, str], bool]:
    """(company, series) -> whether the registry lists download URLs for it."""
    return {(c.slug, s.id): bool(s.download_urls) for c in load_registry().companies for s in c.series}


def test_every_parser_reads_a_registry_series() -> None:
    listed = registry_series()
    assert sorted(key for key in modules() if key not in listed) == []


def test_every_registry_series_with_downloads_has_a_parser_or_is_a_known_gap() -> None:
    with_downloads = {key for key, has in registry_series().items() if has}
    missing = {key for key in with_downloads if key not in modules()}
    assert sorted(missing - KNOWN_GAPS) == [], "a series with download URLs and no parser"
    assert sorted(KNOWN_GAPS - missing) == [], "a known gap that is no gap any more: remove it from KNOWN_GAPS"


def test_every_parser_has_a_reader() -> None:
    for (company, series), mod in modules().items():
        assert parser_for(company, series) is mod.parse
        assert reader_for(company, series) is not None
