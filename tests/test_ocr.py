"""OCR of figures printed only as images (parsers.formats.ocr, parsers.formats.ring_charts).

One real chart is OCR'd (Amazon's 2021 H1 country-of-origin ring chart, page 1): the figures were read by hand
from the rendered page. Variants that must be refused are built from that real reading or image.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import ImageDraw, ImageFont

from parsers.formats import ocr
from parsers.formats.ring_charts import ChartRefused, RingChart, interpret, read_ring_chart
from parsers.normalise.countries import country_iso2
from tests.corpus import document
from tests.ocr_support import ocr_cache  # noqa: F401  (a fixture)

# Read by hand from page 1 of Information_Request_Report_June_2021.pdf: label -> (count, share %).
JUNE_2021_PAGE_1 = {"Other": (2816, 9.3), "France": (1053, 3.5), "United States": (3414, 11.3),
                    "United Kingdom": (1285, 4.3), "Germany": (15239, 50.6), "Spain": (3971, 13.2),
                    "Italy": (2340, 7.8)}


def country_label(label: str) -> bool:
    return label == "Other" or country_iso2(label, None) is not None


@pytest.fixture(scope="module")
def chart_image(ocr_cache: Path) -> ocr.PageImage:  # noqa: F811
    images = ocr.page_images(document("Information_Request_Report_June_2021"), 1)
    assert len(images) == 1
    return images[0]


@pytest.fixture(scope="module")
def chart(chart_image: ocr.PageImage) -> RingChart:
    return read_ring_chart(chart_image, country_label)


def test_the_chart_reads_to_the_figures_printed(chart: RingChart) -> None:
    assert chart.total_value == 30118 and chart.total.text == "30,118"
    assert {p.label.text: (p.count, p.share) for p in chart.parts} == JUNE_2021_PAGE_1
    # The chart's own arithmetic, which is why the reading was accepted.
    assert sum(p.count for p in chart.parts) == chart.total_value
    assert abs(sum(p.share for p in chart.parts) - 100) < 0.05 * len(chart.parts)
    assert chart.engine.startswith("tesseract ")
    assert "image 1 on page 1" in chart.method() and "--psm 11" in chart.method()


def test_boxes_map_to_the_page(chart: RingChart) -> None:
    germany = next(p for p in chart.parts if p.label.text == "Germany")
    x0, top, x1, bottom = chart.image.to_page(germany.figure.box)
    # The image sits at x 150.8-482.2, top 408.4-644.8 (points); Germany's label is right of the ring.
    assert 150 < x0 < x1 < 483 and 408 < top < bottom < 645 and x0 > 400


def test_a_second_read_comes_from_the_cache(chart: RingChart, monkeypatch: pytest.MonkeyPatch,
                                            ocr_cache: Path) -> None:  # noqa: F811
    assert list(ocr_cache.glob("*/*.json"))
    monkeypatch.setattr(ocr, "_run", lambda *a: pytest.fail("tesseract ran again for a cached image"))
    again = read_ring_chart(chart.image, country_label)
    assert again.parts == chart.parts and again.total == chart.total


def test_one_altered_count_is_refused(chart: RingChart) -> None:
    words = ocr.read_words(chart.image.image, chart.settings)
    total_words = ocr.read_words(chart.image.image, chart.total_settings)
    assert interpret(words, total_words, chart.image, chart.settings, chart.total_settings, "t", country_label)
    altered = [dataclasses.replace(w, text="15,289") if w.text == "15,239" else w for w in words]
    assert altered != words
    with pytest.raises(ChartRefused, match="the parts add up to 30,168, the chart prints 30,118"):
        interpret(altered, total_words, chart.image, chart.settings, chart.total_settings, "t", country_label)
    # A share that is not its count over the total is refused too, even when the counts add up.
    share = [dataclasses.replace(w, text="(56.6%)") if w.text == "(50.6%)" else w for w in words]
    with pytest.raises(ChartRefused, match="Germany: 15,239 is 50.60% of 30,118, printed 56.6%"):
        interpret(share, total_words, chart.image, chart.settings, chart.total_settings, "t", country_label)


def test_a_misread_label_is_refused(chart: RingChart) -> None:
    words = ocr.read_words(chart.image.image, chart.settings)
    total_words = ocr.read_words(chart.image.image, chart.total_settings)
    misread = [dataclasses.replace(w, text="pain") if w.text == "Spain" else w for w in words]
    with pytest.raises(ChartRefused, match="labels not expected on this chart: \\['pain'\\]"):
        interpret(misread, total_words, chart.image, chart.settings, chart.total_settings, "t", country_label)


def test_a_chart_whose_total_was_redrawn_is_refused(chart_image: ocr.PageImage) -> None:
    """Synthetic: the real image with its total painted over and 31,118 drawn in its place (Pillow)."""
    image = chart_image.image.copy()
    draw = ImageDraw.Draw(image)
    draw.rectangle((285, 228, 425, 272), fill="white")  # the printed total, 30,118
    draw.text((292, 230), "31,118", fill="black", font=ImageFont.load_default(size=34))
    doctored = dataclasses.replace(chart_image, image=image)
    with pytest.raises(ChartRefused) as refused:
        read_ring_chart(doctored, country_label)
    # Refused by the arithmetic (OCR read the new total), not merely because nothing was read.
    assert "the parts add up to 30,118, the chart prints 31,118" in str(refused.value)


def test_missing_tesseract_is_a_specific_error(monkeypatch: pytest.MonkeyPatch, chart_image: ocr.PageImage) -> None:
    monkeypatch.setenv("GOVREQ_TESSERACT", "/nonexistent/tesseract")
    assert not ocr.available()
    with pytest.raises(ocr.OcrUnavailable, match="tesseract not found"):
        ocr.read_words(chart_image.image)
    with pytest.raises(ocr.OcrUnavailable):
        read_ring_chart(chart_image, country_label)
    assert ocr.OCR_NOT_AVAILABLE == "figures published only as images; OCR not available"
