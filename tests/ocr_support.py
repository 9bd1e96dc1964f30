"""What the OCR tests share: tesseract must be there (a failure under CI, a skip elsewhere), and one OCR cache
per test session so no image is read twice in a run (and nothing is taken from the developer's own cache)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers.formats import ocr


def require_tesseract() -> None:
    if not ocr.available():
        if os.environ.get("CI"):
            pytest.fail("tesseract is missing (Debian's tesseract-ocr; `make test` installs it as root)")
        pytest.skip("tesseract is not installed")


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A session-wide OCR cache folder set in $GOVREQ_OCR_CACHE, with tesseract required."""
    require_tesseract()
    folder = tmp_path_factory.mktemp("ocr-cache")
    before = os.environ.get("GOVREQ_OCR_CACHE")
    os.environ["GOVREQ_OCR_CACHE"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("GOVREQ_OCR_CACHE", None)
        else:
            os.environ["GOVREQ_OCR_CACHE"] = before
