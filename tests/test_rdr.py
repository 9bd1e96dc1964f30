"""Ranking Digital Rights 2019 and 2022 index data: outside ratings kept as scores, never as request counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest

from parsers.catalogue import parser_for
from parsers.facts import Document, Fact, Kind, RequestType, Status, Unit, UnknownLayout
from parsers.series.rdr_index import parse
from tests.corpus import document, require_corpus

ZIP_2019 = "RDRindex2019data_csv.zip"
ZIP_2022 = "2022RDRIndexCSV.zip"


@pytest.fixture(scope="module")
def index() -> dict[int, list[Fact]]:
    require_corpus()
    return {2019: parse(document(ZIP_2019)), 2022: parse(document(ZIP_2022))}


def score(facts: list[Fact], company: str, ident: str, service: str | None = None) -> Fact:
    hits = [f for f in facts if f.extra["rated_company"] == company and f.request_type_raw == ident
            and f.extra.get("service") == service]
    assert len(hits) == 1, (company, ident, service, len(hits))
    return hits[0]


def test_catalogue_finds_the_parser() -> None:
    assert parser_for("ranking-digital-rights", "corporate-accountability-index-2019") is parse
    assert parser_for("ranking-digital-rights", "corporate-accountability-index-2022") is parse


def test_scores_are_outside_ratings(index: dict[int, list[Fact]]) -> None:
    for facts in index.values():
        assert all(f.company == "ranking-digital-rights" and f.unit is Unit.SCORE and f.kind is Kind.OTHER
                   and f.request_type is RequestType.OTHER and f.country_raw == "" and f.country_iso2 is None
                   for f in facts)
        assert all(0 <= f.value <= 100 for f in facts if f.value is not None)
        assert all("research window" in f.note for f in facts)
    assert {(f.period_start, f.period_end) for f in index[2022]} == {(dt.date(2020, 9, 16), dt.date(2021, 11, 1))}
    assert {(f.period_start, f.period_end) for f in index[2019]} == {(dt.date(2018, 1, 13), dt.date(2019, 2, 8))}


def test_counts(index: dict[int, list[Fact]]) -> None:
    # 2022: 980 indicator rows in 04-indicator-scores (14 companies x 70 indicators) + F06/P11a element rows.
    ind22 = [f for f in index[2022] if f.metric == "rdr_indicator_score"]
    assert len(ind22) == 980 and len({f.extra["rated_company"] for f in ind22}) == 14
    assert len(index[2022]) == 1840
    # 2019: 24 companies, 35 indicators each ("Indicator" rows of the 24 Outcome files), + F6/P11 elements.
    ind19 = [f for f in index[2019] if f.metric == "rdr_indicator_score"]
    assert len(ind19) == 840 and len({f.extra["rated_company"] for f in ind19}) == 24
    assert len(index[2019]) == 2373


def test_chinese_platforms_score_zero_in_2022(index: dict[int, list[Fact]]) -> None:
    # sources.md: Alibaba, Baidu, Tencent, Samsung and VK score 0 on P11a and F6 in 2022. The data agrees:
    # 2022-rdr-index-04-indicator-scores.csv, e.g. Alibaba F06 row 36, P11a row 63, both printed "0".
    for company in ("Alibaba", "Baidu", "Tencent", "Samsung", "VK"):
        for ident in ("P11a", "F06"):
            f = score(index[2022], company, ident)
            assert (f.value, f.status, f.raw_text) == (0, Status.ZERO, "0"), (company, ident)
    alibaba = score(index[2022], "Alibaba", "F06")
    assert (alibaba.locator.member, alibaba.locator.row) == ("2022-rdr-index-04-indicator-scores.csv", 36)
    # Their element answers say why: "no disclosure found" (kept as the result, the printed score is 0).
    el = score(index[2022], "Tencent", "P11a.01", "WeChat")
    assert (el.value, el.extra["result"]) == (0, "no disclosure found")


def test_google_p11a_2022(index: dict[int, list[Fact]]) -> None:
    # 2022-rdr-index-04-indicator-scores.csv row 413: 2022,Digital Platform,Google,Google,P,P11,P11a,TRUE,11,a,75
    f = score(index[2022], "Google", "P11a")
    assert (f.value, f.raw_text, f.locator.row, f.metric) == (75, "75", 413, "rdr_indicator_score")
    assert score(index[2022], "Google", "F06").value == 81.78
    # Element P11a.06 for Gmail: "partial", 50.
    el = score(index[2022], "Google", "P11a.06", "Gmail")
    assert (el.value, el.extra["result"], el.extra["indicator"], el.extra["element"]) == (50, "partial", "P11a",
                                                                                          "P11a.06")


def test_2019_equivalents(index: dict[int, list[Fact]]) -> None:
    # 2019 had no P11a: P11 covered government and private requests; F6 was government content demands.
    assert not [f for f in index[2019] if f.request_type_raw in ("P11a", "F06")]
    google_f6 = score(index[2019], "Google", "F6")  # RDR2019_Google_Outcome.csv, row 538
    assert (google_f6.raw_text, google_f6.locator.row) == ("82.2222222222222", 538)
    assert score(index[2019], "Google", "P11").raw_text == "68.181818181818187"
    # P11.7 is the private-requests element: Google disclosed nothing there.
    private = score(index[2019], "Google", "P11.7", "Gmail")
    assert (private.value, private.extra["result"]) == (0, "no disclosure found")
    for company in ("Baidu", "Tencent", "Samsung", "Yandex"):
        assert score(index[2019], company, "P11").status is Status.ZERO


def test_not_applicable_is_never_zero(index: dict[int, list[Fact]]) -> None:
    # Yahoo's 2022 F06 is printed "NA" (not scored); 2019 elements print "exclude" for N/A answers.
    yahoo = score(index[2022], "Yahoo", "F06")
    assert (yahoo.status, yahoo.value, yahoo.value_low, yahoo.raw_text) == (Status.NOT_APPLICABLE, None, None, "NA")
    excluded = [f for f in index[2019] if f.raw_text == "exclude"]
    assert excluded and all(f.status is Status.NOT_APPLICABLE and f.value is None for f in excluded)


def synthetic_zip(header: str) -> Document:
    """SYNTHETIC: a 2022-style ZIP whose indicator file has the given header."""
    buf = io.BytesIO()
    elements = ("Index,CompanyType,Company,CompanyLabel,Category,Indicator,IndicatorNr,IndicatorSuffix,Element,"
                "ElemNr,Branch,Composite,Class,Service,Result,Comment,Score\n")
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("2022-rdr-index-04-indicator-scores.csv",
                    header + "\n2022,Digital Platform,Acme,Acme,P,P11,P11a,TRUE,11,a,40\n")
        zf.writestr("2022-rdr-index-06-element-scores.csv", elements)
    data = buf.getvalue()
    return Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url="https://example.test/rdr.zip",
                    company="ranking-digital-rights", series="corporate-accountability-index-2022")


HEADER = "Index,CompanyType,Company,CompanyLabel,Category,IndicatorFam,Indicator,isSubindicator,IndicatorNr," \
         "IndicatorSuffix,Score"


def test_synthetic_cosmetic_rename_and_unknown_column() -> None:
    (f,) = parse(synthetic_zip(HEADER))
    (g,) = parse(synthetic_zip(HEADER.upper().replace(",", " , ")))
    assert (f.value, f.extra["rated_company"]) == (g.value, g.extra["rated_company"]) == (40, "Acme")
    with pytest.raises(UnknownLayout, match="Weight"):
        parse(synthetic_zip(HEADER + ",Weight"))
