"""Access to the recorded mirror in ../shared/corpus (never copied into this repository)."""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from parsers.facts import Document

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("GOVREQ_CORPUS", REPO.parent / "shared" / "corpus"))


@dataclass(frozen=True)
class Capture:
    url: str
    captured_at: str
    path: Path
    sha256: str
    company: str
    series: str
    content_type: str


def corpus_available() -> bool:
    return (CORPUS / "captures.csv").is_file()


def require_corpus() -> Path:
    """The corpus folder; skipped locally when absent, a failure under CI (where it must be present)."""
    if not corpus_available():
        if os.environ.get("CI"):
            pytest.fail(f"the recorded corpus is missing at {CORPUS}")
        pytest.skip(f"recorded corpus not found at {CORPUS}")
    return CORPUS


def captures() -> list[Capture]:
    root = require_corpus()
    with (root / "captures.csv").open(encoding="utf-8") as f:
        return [
            Capture(r["url"], r["captured_at"], root / r["path"], r["sha256"], r["company"], r["series"],
                    r["content_type"])
            for r in csv.DictReader(f)
        ]


def find(url_part: str, captured_at: str | None = None) -> Capture:
    hits = [c for c in captures() if url_part in c.url and (captured_at is None or c.captured_at == captured_at)]
    if len(hits) != 1:
        raise AssertionError(f"{len(hits)} captures match {url_part!r} {captured_at or ''}")
    return hits[0]


def document(url_part: str, captured_at: str | None = None, *, series: str | None = None,
             company: str | None = None) -> Document:
    """A parser's input built from one recorded capture, as the archive would hand it over."""
    c = find(url_part, captured_at)
    data = c.path.read_bytes()
    return Document(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        url=c.url,
        company=company or c.company,
        series=series or c.series,
        fetched_at=c.captured_at,
        content_type=c.content_type,
    )
