"""The company registry: the real TOML files load, cover the corpus and RDR's companies, and bad files fail loudly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from datetime import date

import pytest

from crawlers.registry import COVERAGE_DOC, RegistryError, coverage_markdown, load_registry
from tests.corpus import captures, find, require_corpus

REGISTRY_DATE = date(2026, 11, 23)  # entries "recorded from research notes" carry this date
CAPTURE_COMPANY = {"twitter": "x"}  # captures.csv files Twitter's CSVs under "twitter"; the registry slug is x
CONFIDENCE = {"seen in code": "code", "seen in old code": "old", "guessed": "guess", "repository path": "repository-path"}
# Weakest first: a series holding URLs of mixed confidence must carry the weakest.
STRENGTH = ["guess", "old", "repository-path", "page", "code", "verified"]

# (company, series) -> format, as the brief fixes them for the corpus publishers.
CORPUS_SERIES = {
    ("google", "user-data-requests"): "zip-csv",
    ("google", "government-removals"): "zip-csv",
    ("apple", "government-requests"): "zip-csv",
    ("meta", "government-data-requests"): "csv",
    ("x", "information-requests"): "csv",
    ("x", "global-transparency-report"): "pdf",
    ("microsoft", "law-enforcement-requests"): "xlsx",
    ("tiktok", "law-enforcement-and-government-requests"): "xlsx",
    ("github", "requests-to-disclose-user-information"): "csv",
    ("github", "government-takedowns"): "csv",
    ("wikimedia", "transparency-report"): "ods",
    ("platformsh", "transparency-report"): "pdf",
    ("ranking-digital-rights", "corporate-accountability-index-2019"): "zip-csv",
    ("ranking-digital-rights", "corporate-accountability-index-2022"): "zip-csv",
    ("silk-transparency-db", "full-data-2009-2013"): "csv",
    # The corpus's second round: the US telecoms, Amazon and a long tail of formats.
    ("att", "transparency-report"): "pdf",
    ("verizon", "us-transparency-report"): "pdf",
    ("comcast", "transparency-report"): "pdf",
    ("t-mobile", "transparency-report"): "pdf",
    ("amazon", "information-request-report"): "pdf",
    ("lumen", "transparency-report"): "pdf",
    ("kaspersky", "law-enforcement-requests"): "pdf",
    ("cisco", "law-enforcement-requests"): "csv",
    ("snap", "transparency-report"): "csv",
    ("zoom", "government-requests"): "xlsx",
    ("automattic", "tumblr-transparency-report"): "zip-csv",
    ("uber", "us-law-enforcement"): "csv",
}
STORY_COMPANIES = [
    "alibaba", "ant-group", "baidu", "tencent", "bytedance", "huawei", "weibo", "google", "meta", "x", "apple",
    "microsoft", "amazon", "ibm", "att", "tiktok", "github", "wikimedia", "platformsh", "xiaomi", "jd-com",
    "linkedin", "verizon", "vodafone", "samsung", "vk", "yandex", "kakao", "comcast", "t-mobile", "lumen",
    "kaspersky", "cisco", "zoom", "uber", "snap", "automattic",
]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_registry_has_at_least_40_companies_plus_the_rater_and_the_compilation(registry):
    roles = Counter(c.role for c in registry.companies)
    assert roles["company"] >= 40
    assert [c.slug for c in registry.companies_by_role("outside-rating")] == ["ranking-digital-rights"]
    assert [c.slug for c in registry.companies_by_role("secondary-compilation")] == ["silk-transparency-db"]
    assert registry.get("silk-transparency-db").series[0].scope == "secondary"


def test_story_companies_are_present(registry):
    slugs = {c.slug for c in registry.companies}
    assert not set(STORY_COMPANIES) - slugs
    assert registry.get("x").name == "X (formerly Twitter)"
    assert "Douyin" in registry.get("bytedance").services
    assert registry.get("linkedin").parent == "Microsoft"
    with pytest.raises(KeyError, match="no company 'nope'"):
        registry.get("nope")


def test_every_capture_is_a_download_url_of_its_registry_series(registry):
    for capture in captures():
        company = registry.get(CAPTURE_COMPANY.get(capture.company, capture.company))
        series = {s.id: s for s in company.series}
        assert capture.series in series, (company.slug, capture.series)
        assert capture.url in series[capture.series].download_urls, capture.url


def test_corpus_series_have_the_agreed_ids_formats_and_url_counts(registry):
    items = {(c.slug, s.id): s for c, s in registry.series_items()}
    for key, fmt in CORPUS_SERIES.items():
        assert items[key].format == fmt, key
    # The whole captured history: 17 Meta half-years, 12 Microsoft workbooks, Twitter's 2 CSVs, GitHub's 4 + 2.
    counts = {key: len(items[key].download_urls) for key in CORPUS_SERIES}
    assert counts[("meta", "government-data-requests")] == 17
    assert counts[("microsoft", "law-enforcement-requests")] == 12
    assert counts[("x", "information-requests")] == 2
    assert counts[("github", "requests-to-disclose-user-information")] == 4
    assert counts[("github", "government-takedowns")] == 2
    assert counts[("wikimedia", "transparency-report")] == 11
    assert counts[("platformsh", "transparency-report")] == 2
    # One PDF per edition: AT&T's 15 plus the older aug2018 address, Verizon's and Comcast's 15, T-Mobile's 6,
    # Amazon's 13 plus its current overwritten address.
    assert counts[("att", "transparency-report")] == 16
    assert counts[("verizon", "us-transparency-report")] == 15
    assert counts[("comcast", "transparency-report")] == 15
    assert counts[("t-mobile", "transparency-report")] == 6
    assert counts[("amazon", "information-request-report")] == 14
    assert counts[("snap", "transparency-report")] == 3
    assert items[("x", "information-requests")].ended


def test_series_confidence_is_the_weakest_of_its_captured_urls(registry):
    with (require_corpus() / "captures.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_url: dict[str, set[str]] = {}
    for row in rows:
        by_url.setdefault(row["url"], set()).add(CONFIDENCE[row["url_confidence"]])
    checked = 0
    for company, series in registry.series_items():
        seen = [conf for url in series.download_urls for conf in by_url.get(url, ())]
        if seen:
            checked += 1
            weakest = min(seen, key=STRENGTH.index)
            assert series.url_confidence == weakest, (company.slug, series.id, series.url_confidence, weakest)
    assert checked == len(CORPUS_SERIES)


def _rdr_companies(zip_name: str, member: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(find(zip_name).path) as z:
        return list(csv.DictReader(io.TextIOWrapper(z.open(member), encoding="utf-8-sig")))


def test_rdr_names_are_exactly_the_companies_in_the_rdr_files(registry):
    names_2019 = {r["Company"] for r in _rdr_companies("RDRindex2019data_csv.zip", "RDR2019_01_Quick_Overview.csv")}
    names_2022 = {r["Company"] for r in _rdr_companies("2022RDRIndexCSV.zip", "2022-rdr-index-01-quick-overview.csv")}
    assert (len(names_2019), len(names_2022)) == (24, 14)
    lookup = registry.by_rdr_name()
    assert set(lookup) == names_2019 | names_2022  # every rated company mapped, no spelling invented
    assert lookup["Facebook"] == lookup["Meta"] == "meta"
    assert lookup["Mail.Ru"] == lookup["VK"] == "vk"
    assert lookup["Verizon Media"] == lookup["Yahoo"] == "yahoo"
    assert lookup["Twitter"] == "x" and lookup["Telefónica"] == "telefonica" and lookup["AT&T"] == "att"
    assert all(registry.get(slug).role == "company" for slug in lookup.values())


def test_rdr_2022_zero_scores_are_not_called_publishing(registry):
    # 2022-rdr-index-02-summary-scores.csv, Class = Total: P11a (government demands for user information) and
    # F6 (government demands to restrict content) both "0" for Alibaba, Baidu, Samsung, Tencent and VK.
    rows = _rdr_companies("2022RDRIndexCSV.zip", "2022-rdr-index-02-summary-scores.csv")
    zeros = {r["Company"] for r in rows
             if r["Class"] == "Total" and float(r["P11a"]) == 0 and float(r["F6"]) == 0}
    assert zeros == {"Alibaba", "Baidu", "Samsung", "Tencent", "VK"}
    lookup = registry.by_rdr_name()
    for name in zeros:
        company = registry.get(lookup[name])
        assert company.disclosure in ("none-found", "mandated-regional-only"), name
        assert "0 on P11a" in company.notes, name  # the zero is recorded where a reader sees the entry


def test_companies_without_a_voluntary_report_have_dated_checked_places(registry):
    quiet = [c for c in registry.companies if c.disclosure != "publishes"]
    assert {"alibaba", "ant-group", "baidu", "tencent", "bytedance", "huawei", "weibo", "xiaomi", "jd-com"} <= {
        c.slug for c in quiet}
    for company in quiet:
        assert company.checked, company.slug
        for place in company.checked:
            assert date(2015, 1, 1) <= place.checked_on <= REGISTRY_DATE, (company.slug, place.url)
            assert place.found.strip() and place.by.strip()
            if place.checked_on == REGISTRY_DATE:  # recorded today from notes: must not claim a live check
                assert "not yet" in place.by or "nobody" in place.by, (company.slug, place.url)


def test_mandated_regional_companies_list_their_eu_dsa_report(registry):
    for slug in ("alibaba", "tencent", "huawei", "xiaomi"):
        company = registry.get(slug)
        assert company.disclosure == "mandated-regional-only"
        assert company.series and all(s.scope == "mandated-regional" and s.region == "EU" for s in company.series)
        assert all(s.kind == "content-removal" for s in company.series)
    assert registry.get("alibaba").series[0].landing_url == (
        "https://www.aliexpress.com/p/transparencycenter/transparencyReport.html")


# The very large platforms that file the EU DSA's harmonised template (issue: EU government orders).
DSA_PLATFORMS = {
    ("alibaba", "aliexpress-eu-dsa-transparency-report"), ("tiktok", "eu-dsa-transparency-report"),
    ("pdd-holdings", "temu-eu-dsa-transparency-report"), ("shein", "eu-dsa-transparency-report"),
    ("amazon", "eu-dsa-transparency-report"), ("meta", "facebook-eu-dsa-transparency-report"),
    ("meta", "instagram-eu-dsa-transparency-report"), ("google", "eu-dsa-transparency-report"),
    ("linkedin", "eu-dsa-transparency-report"), ("microsoft", "bing-eu-dsa-transparency-report"),
    ("x", "eu-dsa-transparency-report"), ("snap", "eu-dsa-transparency-report"),
    ("pinterest", "eu-dsa-transparency-report"),
}


def test_dsa_platforms_have_mandated_regional_series_with_landing_pages_and_start_dates(registry):
    from parsers.catalogue import parser_for

    items = {(c.slug, s.id): s for c, s in registry.series_items()}
    for key in DSA_PLATFORMS:
        s = items[key]
        assert (s.scope, s.region, s.url_confidence) == ("mandated-regional", "EU", "guess"), key
        assert s.landing_url and s.link_pattern and s.obligation_began >= date(2023, 8, 25), key
        assert parser_for(*key) is not None, key
    assert items[("pdd-holdings", "temu-eu-dsa-transparency-report")].obligation_began == date(2024, 9, 30)
    # every mandated-regional series says when the law's duty began: no silence is claimed before it
    assert all(s.obligation_began for _, s in registry.series_items() if s.scope == "mandated-regional")


def test_link_patterns_match_the_known_downloads_of_their_series(registry):
    tried = 0
    for company, series in registry.series_items():
        if series.link_pattern and series.download_urls:
            tried += 1
            pattern = re.compile(series.link_pattern)
            for url in series.download_urls:
                assert pattern.search(url), (company.slug, series.id, url)
    assert tried >= 3  # Meta, Microsoft, X's global report
    assert not re.search(registry.get("meta").series[0].link_pattern,
                         "https://transparency.meta.com/reports/government-data-requests/")


def test_a_download_url_belongs_to_one_series_only(registry):
    urls = Counter(url for _, s in registry.series_items() for url in s.download_urls)
    assert [u for u, n in urls.items() if n > 1] == []


def test_coverage_doc_is_the_generated_table(registry):
    text = coverage_markdown(registry)
    assert "| Alibaba Group (`alibaba`) | company | mandated regional only | `aliexpress-eu-dsa-transparency-report` |" in text
    assert "| Baidu (`baidu`) | company | none found | — | | | | | 2 (latest 2026-11-23) |" in text
    assert COVERAGE_DOC.read_text(encoding="utf-8") == text, "run: python -m crawlers.registry --write"


# ---- invalid registry files (synthetic, written to tmp_path) ----

VALID = """\
slug = "acme"
name = "Acme (synthetic test entry)"
headquarters_country = "US"
sector = "internet"
wikidata_id = "Q1"
disclosure = "publishes"

[[series]]
id = "requests"
kind = "user-data"
title = "Requests"
landing_url = "https://acme.example/transparency"
link_pattern = '/downloads/[^/]+\\.csv$'
format = "csv"
cadence = "half-yearly"
url_confidence = "guess"
"""
SERIES_BLOCK = VALID[VALID.index("[[series]]"):]
NONE_FOUND = VALID[:VALID.index("[[series]]")].replace('"publishes"', '"none-found"')


def test_a_valid_synthetic_entry_loads(tmp_path):
    (tmp_path / "acme.toml").write_text(VALID, encoding="utf-8")
    registry = load_registry(tmp_path)
    assert registry.get("acme").series[0].link_pattern == r"/downloads/[^/]+\.csv$"


@pytest.mark.parametrize(("file_name", "text", "message"), [
    ("acme.toml", VALID.replace('slug = "acme"\n', ""), r"slug\s+Field required"),
    ("acme.toml", VALID.replace('kind = "user-data"', 'kind = "user-date"'), r"kind\s+Input should be"),
    ("other.toml", VALID, r"slug 'acme' differs from the file name 'other'\.toml"),
    ("acme.toml", VALID.replace("'/downloads/[^/]+\\.csv$'", "'/downloads/[^/+\\.csv$'"),
     r"link_pattern .* is not a valid regular expression"),
    ("acme.toml", VALID.replace('kind = "user-data"', 'kind = "user-data"\nscope = "mandated-regional"\nregion = "EU"\n'
                                'obligation_began = 2024-02-17'),
     r"'publishes' needs at least one voluntary-global series"),
    ("acme.toml", VALID.replace('kind = "user-data"', 'kind = "user-data"\nscope = "mandated-regional"\nregion = "EU"'),
     r"series requests: a mandated-regional series must say when the obligation began"),
    ("acme.toml", NONE_FOUND, r"'none-found' needs at least one dated `checked` place"),
    ("acme.toml", VALID + "\n" + SERIES_BLOCK, r"series ids listed twice: requests"),
    ("acme.toml", VALID.replace('sector = "internet"', 'sector = "internet"\nhomepage = "https://acme.example"'),
     r"homepage\s+Extra inputs are not permitted"),
    ("acme.toml", VALID.replace('"US"', '"XX"'), r"not an ISO 3166-1 alpha-2 code"),
    ("acme.toml", VALID.replace('slug = "acme"', 'slug = "acme'), r"cannot read registry file"),
    ("acme.toml", VALID.replace('url_confidence = "guess"', 'url_confidence = "guess"\nfirst_period = "2013-H3"'),
     r"period '2013-H3' is not"),
    ("acme.toml", VALID.replace("https://acme.example/transparency", "acme.example/transparency"),
     r"not an absolute http\(s\) URL"),
    ("acme.toml", VALID.replace('wikidata_id = "Q1"\n', ""), r"wikidata_id is missing and the notes do not say why"),
    ("acme.toml", VALID.replace('"publishes"', '"mandated-regional-only"') + (
        '\n[[checked]]\nurl = "https://acme.example/esg"\nchecked_on = 2026-11-23\nfound = "x"\nby = "test"\nhow = "research-notes"\n'),
     r"mandated-regional-only company's series must all be mandated-regional"),
], ids=["missing-slug", "bad-kind", "slug-not-file-name", "bad-regex", "publishes-without-voluntary-series",
        "none-found-without-checked", "duplicate-series-id", "unknown-key", "bad-country", "bad-toml",
        "bad-period", "relative-url", "no-wikidata-no-reason", "regional-only-with-voluntary-series",
        "mandated-without-obligation-date"])
def test_invalid_entries_raise_an_error_naming_the_file(tmp_path, file_name, text, message):
    path = tmp_path / file_name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(tmp_path)
    assert str(path) in str(caught.value)
    assert re.search(message, str(caught.value)), str(caught.value)


def test_an_empty_registry_folder_is_an_error(tmp_path):
    with pytest.raises(RegistryError, match="no registry files"):
        load_registry(tmp_path)


# ---- lifetimes and check kinds (issue 8) ----

def test_every_company_says_when_it_began_and_where_that_year_comes_from(registry):
    for company in registry.companies_by_role("company"):
        assert company.began is not None and 1800 <= company.began <= REGISTRY_DATE.year, company.slug
        assert "not re-checked live" in company.began_source, company.slug  # honest about its confidence
    assert registry.get("tiktok").began == 2017 and registry.get("ant-group").began == 2014


def test_every_checked_place_says_how_it_was_checked(registry):
    kinds = {p.how for c in registry.companies for p in c.checked}
    assert kinds <= {"live-crawl", "stored-copy", "outside-rating", "research-notes", "not-checked"}
    for c in registry.companies:
        for p in c.checked:
            assert (p.how == "not-checked") == ("not yet checked" in p.found), (c.slug, p.url)
            if p.how == "outside-rating":
                assert "Ranking Digital Rights" in p.by, (c.slug, p.url)
    unchecked = {c.slug for c in registry.companies if c.checked and all(p.how == "not-checked" for p in c.checked)}
    assert unchecked == {"ant-group", "ibm", "kt", "mts", "pdd-holdings", "shein"}


def test_a_place_called_unchecked_cannot_claim_a_kind_of_check(tmp_path):
    text = NONE_FOUND + ('\n[[checked]]\nurl = "https://acme.example/esg"\nchecked_on = 2026-11-23\n'
                         'found = "not yet checked"\nby = "nobody"\nhow = "research-notes"\n')
    (tmp_path / "acme.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match="found 'not yet checked' but how = 'research-notes'"):
        load_registry(tmp_path)


def test_a_year_without_its_source_is_refused(tmp_path):
    (tmp_path / "acme.toml").write_text(VALID.replace('disclosure = "publishes"', 'disclosure = "publishes"\nbegan = 2004'),
                                        encoding="utf-8")
    with pytest.raises(RegistryError, match="began and began_source go together"):
        load_registry(tmp_path)


def test_tiktok_removals_after_the_workbooks_are_a_known_series_not_crawled_twice(registry):
    s = next(s for s in registry.get("tiktok").series if s.id == "government-removal-requests")
    assert (s.kind, s.first_period, s.link_pattern, s.download_urls) == ("content-removal", "2022-H1", None, [])
