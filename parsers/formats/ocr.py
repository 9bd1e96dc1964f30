"""OCR of figures that a PDF prints only as pictures: the page's image objects (or the whole page) rendered with
pypdfium2 and read by Debian's `tesseract` binary, word by word with boxes.

OCR is slow (seconds per image), so results are memoised on disk, keyed by the sha256 of the image's pixels as
rendered (or extracted), tesseract's version and the settings. The cache is a memo only: a parse gives the same facts
with or without it. Its folder is `$GOVREQ_OCR_CACHE`, else `~/.cache/govreq/ocr`.

Nothing read here is a figure yet: a caller accepts OCR'd numbers only when the image's own arithmetic holds
(see `parsers.formats.ring_charts`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops

from parsers.facts import Document, Fact, ParseError
from parsers.formats import interpreter
from parsers.formats.interpreter import NOTED, QUARANTINED, Reading
from parsers.formats.interpreter import Finding as DriftFinding
from parsers.formats.pdf_tables import check_pdf_bytes

BBox = tuple[float, float, float, float]

# Why figures could not be read: the words a partial document's evidence must carry (issue 11).
FIGURES_ONLY_AS_IMAGES = "figures published only as images"
OCR_NOT_AVAILABLE = f"{FIGURES_ONLY_AS_IMAGES}; OCR not available"
_TIMEOUT_SECONDS = 120
_COLOURFUL = 40  # channel spread above which a pixel counts as coloured (grey text stays below ~15)
_CACHE_FORMAT = 3  # bump when the stored word records change shape


class OcrUnavailable(RuntimeError):
    """tesseract is not installed (or `$GOVREQ_TESSERACT` names a program that is not there)."""


class FiguresOnlyInImages(ParseError):
    """A document whose figures are printed only as images, none of which could be read and checked.

    Raised instead of returning no facts; `problem` starts with FIGURES_ONLY_AS_IMAGES so the update can
    record the document as partial with that reason.
    """


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a parser saw and did not turn into facts (or a change of format), for the document's evidence.

    `code` is one of: "figures-only-as-images" (OCR refused or unavailable: the document is partial),
    "format-downgrade" (a series moved its figures from text into images), "publisher-arithmetic" (a printed
    total that is not the sum of its printed parts; the figures are loaded as printed).
    """

    code: str
    message: str
    page: int | None = None
    image: str = ""  # "image 1 on page 2"

    @property
    def partial(self) -> bool:
        return self.code == "figures-only-as-images"


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How an image is prepared and read. `scale` enlarges the image (small chart labels read better)."""

    scale: float = 3.0
    psm: int = 11  # sparse text: finds the big total in a ring chart's middle, which the default mode misses
    threshold: int = 0  # 0 = keep greys; otherwise pixels darker than this become black, the rest white
    drop_colour: bool = False  # paint coloured pixels white: a chart's ring and leader lines, not its grey text

    def describe(self) -> str:
        thr = f", threshold {self.threshold}" if self.threshold else ""
        colour = ", colour dropped" if self.drop_colour else ""
        return f"--psm {self.psm}, {self.scale:g}x{thr}{colour}"


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word tesseract read: its text, confidence (0-100) and box in the source image's own pixels."""

    text: str
    confidence: float
    box: BBox  # x0, top, x1, bottom in pixels of the image before scaling
    line: tuple[int, int, int] = (0, 0, 0)  # tesseract's block, paragraph and line numbers


@dataclass(frozen=True, slots=True)
class PageImage:
    """An image drawn on a PDF page: 1-based page and index, its box on the page (points, top-left origin)."""

    page: int
    index: int
    bbox: BBox
    image: Image.Image

    def to_page(self, box: BBox) -> BBox:
        """A box in the image's pixels as a box on the page, in points (for a fact's locator)."""
        sx = (self.bbox[2] - self.bbox[0]) / self.image.width
        sy = (self.bbox[3] - self.bbox[1]) / self.image.height
        return (self.bbox[0] + box[0] * sx, self.bbox[1] + box[1] * sy,
                self.bbox[0] + box[2] * sx, self.bbox[1] + box[3] * sy)

    def describe(self) -> str:
        return f"image {self.index} on page {self.page}"


def _tesseract() -> str:
    name = os.environ.get("GOVREQ_TESSERACT", "tesseract")
    found = shutil.which(name)
    if found is None:
        raise OcrUnavailable(f"tesseract not found ({name!r}); install Debian's tesseract-ocr")
    return found


@functools.cache
def _version(program: str) -> str:
    out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=False)
    first = (out.stdout or out.stderr).splitlines()
    if out.returncode != 0 or not first:
        raise OcrUnavailable(f"{program} --version failed: {out.stderr.strip()[:200]}")
    return first[0].strip()


def tesseract_version() -> str:
    """E.g. "tesseract 5.3.0". Raises OcrUnavailable when tesseract is missing."""
    return _version(_tesseract())


def available() -> bool:
    try:
        tesseract_version()
    except OcrUnavailable:
        return False
    return True


def cache_dir() -> Path:
    configured = os.environ.get("GOVREQ_OCR_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "govreq" / "ocr"


def page_images(doc: Document, page: int) -> list[PageImage]:
    """The image objects drawn on a 1-based page, in drawing order, as their own pixels (not re-rendered)."""
    check_pdf_bytes(doc)
    pdf = pdfium.PdfDocument(doc.data)
    try:
        if not 1 <= page <= len(pdf):
            raise ParseError(doc, f"page {page} does not exist (the PDF has {len(pdf)})")
        p = pdf[page - 1]
        height = p.get_height()
        found: list[PageImage] = []
        for obj in p.get_objects():
            if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
                continue
            left, bottom, right, top = obj.get_bounds()
            image = obj.get_bitmap(render=False).to_pil().convert("RGB")
            found.append(PageImage(page, len(found) + 1, (left, height - top, right, height - bottom), image))
        return found
    finally:
        pdf.close()


def render_page(doc: Document, page: int, scale: float = 3.0) -> PageImage:
    """A whole page rendered as a picture (for scans), as a PageImage covering the page (index 0)."""
    check_pdf_bytes(doc)
    pdf = pdfium.PdfDocument(doc.data)
    try:
        if not 1 <= page <= len(pdf):
            raise ParseError(doc, f"page {page} does not exist (the PDF has {len(pdf)})")
        p = pdf[page - 1]
        image = p.render(scale=scale, grayscale=True).to_pil().convert("RGB")
        return PageImage(page, 0, (0.0, 0.0, p.get_width(), p.get_height()), image)
    finally:
        pdf.close()


def _without_colour(image: Image.Image) -> Image.Image:
    """Coloured pixels (spread between channels above _COLOURFUL) white, the rest as grey."""
    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                 ImageChops.darker(ImageChops.darker(r, g), b))
    mask = spread.point(lambda v: 255 if v > _COLOURFUL else 0)
    grey = rgb.convert("L")
    grey.paste(255, mask=mask)
    return grey


def _prepared(image: Image.Image, settings: OcrSettings) -> bytes:
    grey = _without_colour(image) if settings.drop_colour else image.convert("L")
    if settings.scale != 1:
        grey = grey.resize((round(grey.width * settings.scale), round(grey.height * settings.scale)),
                           Image.Resampling.LANCZOS)
    if settings.threshold:
        cut = settings.threshold
        grey = grey.point(lambda v: 0 if v < cut else 255)
    out = io.BytesIO()
    grey.save(out, "PNG", optimize=False)
    return out.getvalue()


def _run(program: str, png: bytes, settings: OcrSettings) -> list[dict[str, object]]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per OCR: the machine's cores are shared
    out = subprocess.run([program, "stdin", "stdout", "--psm", str(settings.psm), "tsv"], input=png,
                         capture_output=True, timeout=_TIMEOUT_SECONDS, env=env, check=False)
    if out.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {out.stderr.decode(errors='replace').strip()[:300]}")
    words: list[dict[str, object]] = []
    for line in out.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) != 12 or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append({"text": cols[11].strip(), "conf": float(cols[10]),
                      "box": [left, top, left + width, top + height], "line": [int(c) for c in cols[2:5]]})
    return words


def _image_hash(image: Image.Image) -> str:
    """sha256 of the image's pixels as rendered or extracted (mode, size, raw bytes)."""
    digest = hashlib.sha256(f"{image.mode}|{image.width}x{image.height}|".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def read_words(image: Image.Image, settings: OcrSettings = OcrSettings()) -> list[OcrWord]:
    """Every word tesseract reads in the image, with boxes in the image's own pixels. Memoised on disk, keyed
    by the image's pixels, tesseract's version and the settings (so a hit costs no image preparation)."""
    program = _tesseract()
    key_text = "|".join([_image_hash(image), _version(program), str(settings.psm), f"{settings.scale:g}",
                         str(settings.threshold), str(settings.drop_colour), "tsv", str(_CACHE_FORMAT)])
    key = hashlib.sha256(key_text.encode()).hexdigest()
    path = cache_dir() / key[:2] / f"{key}.json"
    records: list[dict[str, object]] | None = None
    with contextlib.suppress(OSError, ValueError):  # a missing or damaged memo is only a cache miss
        records = json.loads(path.read_text(encoding="utf-8"))["words"]
    if records is None:
        records = _run(program, _prepared(image, settings), settings)
        with contextlib.suppress(OSError):  # an unwritable cache folder costs time, never correctness
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp",
                                             encoding="utf-8") as tmp:
                json.dump({"key": key_text, "words": records}, tmp)
            os.replace(tmp.name, path)
    s = settings.scale
    return [OcrWord(str(r["text"]), float(r["conf"]),  # type: ignore[arg-type]
                    tuple(float(v) / s for v in r["box"]),  # type: ignore[attr-defined, misc]
                    tuple(r["line"]))  # type: ignore[call-overload]
            for r in records]


def scanned_page_texts(doc: Document, settings: OcrSettings = OcrSettings(1.0, 4), scale: float = 3.0) -> list[str]:
    """Each page of a scanned PDF (no text layer) rendered at `scale` and OCR'd: its lines joined by newlines.

    `--psm 4` (a single column of text of variable sizes) keeps a ruled table's label and figure on one line.
    """
    pdf = pdfium.PdfDocument(doc.data)
    pages = len(pdf)
    pdf.close()
    return ["\n".join(text_lines(read_words(render_page(doc, p, scale).image, settings))) for p in range(1, pages + 1)]


def text_lines(words: list[OcrWord]) -> list[str]:
    """The words as tesseract grouped them into lines, top to bottom, words joined by spaces."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: min(w.box[1] for w in ws))
    return [" ".join(w.text for w in sorted(ws, key=lambda w: w.box[0])) for ws in ordered]


__all__ = ["FIGURES_ONLY_AS_IMAGES", "Finding", "OCR_NOT_AVAILABLE", "FiguresOnlyInImages", "OcrSettings", "OcrUnavailable",
           "OcrWord", "PageImage", "available", "cache_dir", "page_images", "read_words", "render_page",
           "scanned_page_texts", "tesseract_version", "text_lines"]


def reading(doc: Document, read: Callable[[Document], tuple[list[Fact], list[Finding]]]) -> Reading:
    """A series' (facts, OCR findings) as the catalogue's `Reading`: unread images make the document partial
    (with no facts at all when nothing else is printed); a format change or a publisher's arithmetic is noted."""
    try:
        facts, found = read(doc)
    except FiguresOnlyInImages as e:
        return Reading([], [_drift(Finding("figures-only-as-images", e.problem))])
    return Reading(list(facts), [_drift(f) for f in found])


def _drift(f: Finding) -> DriftFinding:
    where = ";".join(p for p in (f"page={f.page}" if f.page else "", f"image={f.image}" if f.image else "") if p)
    unread = f.code == "figures-only-as-images"
    return DriftFinding(kind=interpreter.FIGURES_ONLY_AS_IMAGES if unread else f.code.replace("-", "_"), table=where or "document",
                        header=(), rows=0, message=f.message, outcome=QUARANTINED if unread else NOTED)
