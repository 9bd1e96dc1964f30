"""Ring (doughnut) charts read by OCR: the total printed in the middle, each part's label with "count (share%)".

A reading is accepted only when the chart's own arithmetic holds: the parts add up to the printed total exactly,
every share is its count over the total (to the printed precision), the shares add up to 100% within rounding,
and no other text with digits is left unexplained. Several OCR settings are tried in turn; the first reading that
passes every check is taken, and a chart no setting reads consistently is refused with each attempt's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from parsers.facts import Document, Locator, UnknownLayout
from parsers.formats import ocr
from parsers.formats.ocr import (
    FIGURES_ONLY_AS_IMAGES,
    OCR_NOT_AVAILABLE,
    Finding,
    OcrSettings,
    OcrUnavailable,
    OcrWord,
    PageImage,
    read_words,
    tesseract_version,
)
from parsers.formats.table import Table, TableCell

BBox = tuple[float, float, float, float]

# Tried in order: readings for the small labels (stack.md measured the first), and for the large total in the
# middle, which small-label settings often miss and which reads best at the image's own size with the ring
# (coloured) painted out.
LABEL_ATTEMPTS: tuple[OcrSettings, ...] = (OcrSettings(3.0, 11), OcrSettings(4.0, 11), OcrSettings(3.0, 11, 150),
                                           OcrSettings(2.0, 11, drop_colour=True), OcrSettings(3.0, 11, 110))
TOTAL_ATTEMPTS: tuple[OcrSettings, ...] = (OcrSettings(1.0, 11, drop_colour=True), OcrSettings(1.0, 11))
_COUNT = r"\d{1,3}(?:,\d{3})*"
_PART = re.compile(rf"^(?P<count>{_COUNT}) ?\((?P<share>\d{{1,3}}(?:\.\d+)?) ?%\)$")
_TOTAL = re.compile(rf"^{_COUNT}$")
_LABEL = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")
_LEADER_MARKS = "_-\u2014\u2013~|'\u2018\u2019 "  # a leader line's end read as a dash or bar beside a label
_TOTAL_HEIGHT = 1.5  # the total's digits are at least this many times taller than a part's


class ChartRefused(Exception):
    """The chart's OCR reading does not satisfy its own arithmetic (or was not understood)."""


@dataclass(frozen=True, slots=True)
class ChartText:
    """A run of OCR'd words on one line: the text as read, its box (image pixels), its lowest word confidence."""

    text: str
    box: BBox
    confidence: float


@dataclass(frozen=True, slots=True)
class ChartPart:
    label: ChartText
    figure: ChartText  # "11,735 (42.4%)" as read
    count: int
    share: float
    count_text: str  # "11,735"
    share_text: str  # "42.4%"


@dataclass(frozen=True, slots=True)
class RingChart:
    image: PageImage
    total: ChartText
    total_value: int
    parts: list[ChartPart]
    settings: OcrSettings
    total_settings: OcrSettings
    engine: str  # "tesseract 5.3.0"

    def method(self) -> str:
        """What a fact's note says about how it was read and checked."""
        return (f"read by OCR ({self.engine}; labels {self.settings.describe()}, total "
                f"{self.total_settings.describe()}) from {self.image.describe()}, a ring "
                f"chart; accepted because its parts add up to the printed total {self.total.text} and each share "
                "is its count over that total")


def _lines(words: Sequence[OcrWord]) -> list[ChartText]:
    """Words joined into runs: same baseline band, horizontally close."""
    runs: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: (w.box[0], w.box[1])):
        h = w.box[3] - w.box[1]
        mid = (w.box[1] + w.box[3]) / 2
        for run in runs:
            last = run[-1]
            lh = last.box[3] - last.box[1]
            if abs(mid - (last.box[1] + last.box[3]) / 2) < 0.5 * max(h, lh) and \
                    0 <= w.box[0] - last.box[2] < 1.2 * max(h, lh):
                run.append(w)
                break
        else:
            runs.append([w])
    out = [ChartText(" ".join(w.text for w in run).strip(_LEADER_MARKS), (min(w.box[0] for w in run), min(w.box[1] for w in run),
                                                      max(w.box[2] for w in run), max(w.box[3] for w in run)),
                     min(w.confidence for w in run)) for run in runs]
    return sorted(out, key=lambda t: (t.box[1], t.box[0]))


def _label_above(figure: ChartText, texts: Sequence[ChartText]) -> ChartText | None:
    h = figure.box[3] - figure.box[1]
    best: ChartText | None = None
    for t in texts:
        gap = figure.box[1] - t.box[3]
        overlaps = t.box[0] < figure.box[2] and figure.box[0] < t.box[2]
        if _LABEL.match(t.text) and overlaps and -0.3 * h <= gap <= 1.5 * h and (best is None or t.box[3] > best.box[3]):
            best = t
    return best


def _decimals(share: str) -> int:
    digits = share.rstrip("%")
    return len(digits.split(".")[1]) if "." in digits else 0


def _large(texts: Sequence[ChartText], part_height: float) -> list[ChartText]:
    return [t for t in texts if t.box[3] - t.box[1] >= _TOTAL_HEIGHT * part_height]


def interpret(words: Sequence[OcrWord], total_words: Sequence[OcrWord], image: PageImage, settings: OcrSettings,
              total_settings: OcrSettings, engine: str, label_ok: Callable[[str], bool]) -> RingChart:
    """One OCR reading as a ring chart, or ChartRefused saying which check failed.

    `words` is the reading the parts come from; `total_words` the one the total comes from (may be the same);
    `label_ok` says whether a label is one the chart may carry (a country, "Other"): labels are not checked by
    the arithmetic, so a misread label ("pain" for "Spain") must be caught here.
    """
    texts = _lines(words)
    figures = [(t, m) for t in texts if (m := _PART.match(t.text))]
    if len(figures) < 2:
        raise ChartRefused(f"found {len(figures)} 'count (share%)' labels, a ring chart has at least 2")
    part_height = max(t.box[3] - t.box[1] for t, _ in figures)
    totals = [t for t in _large(_lines(total_words), part_height) if _TOTAL.match(t.text)]
    if len(totals) != 1:
        raise ChartRefused(f"found {len(totals)} large numbers where the total should be one")
    total = totals[0]
    parts: list[ChartPart] = []
    used = set(_large(texts, part_height))
    for t, m in figures:
        label = _label_above(t, texts)
        if label is None:
            raise ChartRefused(f"no label above {t.text!r}")
        used |= {t, label}
        parts.append(ChartPart(label, t, int(m["count"].replace(",", "")), float(m["share"]), m["count"],
                               m["share"] + "%"))
    stray = [t.text for t in texts if t not in used and any(c.isdigit() for c in t.text)]
    if stray:
        raise ChartRefused(f"text with digits not understood: {stray}")
    labels = [p.label.text for p in parts]
    if unknown := [label for label in labels if not label_ok(label)]:
        raise ChartRefused(f"labels not expected on this chart: {unknown}")
    if len(set(labels)) != len(labels):
        raise ChartRefused(f"a label read twice: {labels}")
    value = int(total.text.replace(",", ""))
    added = sum(p.count for p in parts)
    if added != value:
        raise ChartRefused(f"the parts add up to {added:,}, the chart prints {total.text}")
    for p in parts:
        exact = 100 * p.count / value
        if abs(exact - p.share) > 0.5 * 10 ** -_decimals(p.share_text) + 1e-9:
            raise ChartRefused(f"{p.label.text}: {p.count_text} is {exact:.2f}% of {total.text}, printed {p.share_text}")
    slack = sum(0.5 * 10 ** -_decimals(p.share_text) for p in parts)
    if abs(sum(p.share for p in parts) - 100) > slack + 1e-9:
        raise ChartRefused(f"the shares add up to {sum(p.share for p in parts):g}%")
    return RingChart(image, total, value, parts, settings, total_settings, engine)


def read_ring_chart(image: PageImage, label_ok: Callable[[str], bool],
                    label_attempts: Sequence[OcrSettings] = LABEL_ATTEMPTS,
                    total_attempts: Sequence[OcrSettings] = TOTAL_ATTEMPTS) -> RingChart:
    """OCR the chart with each pair of settings in turn until a reading passes every check; else ChartRefused."""
    engine = tesseract_version()
    reasons: list[str] = []
    for settings in label_attempts:
        words = read_words(image.image, settings)
        for total_settings in (settings, *total_attempts):
            total_words = words if total_settings == settings else read_words(image.image, total_settings)
            try:
                return interpret(words, total_words, image, settings, total_settings, engine, label_ok)
            except ChartRefused as e:
                reasons.append(f"labels {settings.describe()}, total {total_settings.describe()}: {e}")
    raise ChartRefused(f"{image.describe()}: no OCR reading adds up ({'; '.join(reasons)})")


def chart_table(chart: RingChart, place: str) -> Table:
    """An accepted chart as a `Table` (header label, count, share; titled by its image): the total first (label
    'total': nothing is printed beside it), then each part. A figure cell's locator is its box on the page, its
    text what OCR read of it, its note how it was read and checked."""
    img = chart.image
    where = Locator(page=img.page)

    def cell(text: ChartText, raw: str, label: str) -> TableCell:
        return TableCell(raw, Locator(page=img.page, column=label, bbox=img.to_page(text.box)),
                         note=f"{chart.method()}; OCR read {text.text!r}")

    rows = [[TableCell("total", where), cell(chart.total, chart.total.text, "total")]]
    rows += [[TableCell(p.label.text, Locator(page=img.page, column="label", bbox=img.to_page(p.label.box))),
              cell(p.figure, p.count_text, p.label.text), cell(p.figure, p.share_text, p.label.text)]
             for p in chart.parts]
    return Table(where, ["label", "count", "share"], rows, list(range(len(rows))), img.describe(), place)


def read_charts(doc: Document, slots: Sequence[tuple[int, int, str, str]],
                label_ok: Mapping[str, Callable[[str], bool]]) -> tuple[list[Table], list[Finding]]:
    """The charts at declared slots (page, image index, kind, group) as Tables placed "<kind> chart, <group>". A
    chart OCR cannot read or check, or whose total is not the one another chart of its group prints, is a finding
    (figures only as images) and no table. A slot whose image is missing refuses the document: the layout changed."""
    tables: list[Table] = []
    findings: list[Finding] = []
    totals: dict[str, int] = {}
    for page, index, kind, group in slots:
        images = ocr.page_images(doc, page)  # through the module: tests doctor the images
        where = f"image {index} on page {page}"
        if len(images) < index:
            raise UnknownLayout(doc, f"page={page}: expected chart image {index}, the page has {len(images)}")
        try:
            chart = read_ring_chart(images[index - 1], label_ok[kind])
            if totals.setdefault(group, chart.total_value) != chart.total_value:
                raise ChartRefused(f"{where} totals {chart.total.text}, another chart of {group} {totals[group]:,}")
            tables.append(chart_table(chart, f"{kind} chart, {group}"))
        except (OcrUnavailable, ChartRefused) as e:
            why = OCR_NOT_AVAILABLE if isinstance(e, OcrUnavailable) else f"{FIGURES_ONLY_AS_IMAGES}; OCR refused: {e}"
            findings.append(Finding("figures-only-as-images", why, page, where))
    return tables, findings


__all__ = ["read_charts", "LABEL_ATTEMPTS", "TOTAL_ATTEMPTS", "ChartPart", "ChartRefused", "ChartText", "RingChart", "chart_table",
           "interpret", "read_ring_chart"]
