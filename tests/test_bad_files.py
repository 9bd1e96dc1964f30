"""Bad files served in place of a report: a clear refusal naming the document, and nothing stored is lost.

The mirrors here are SYNTHETIC: a captures.csv written by the test, pointing at real corpus files for the good
versions and at bad bytes made by the test for a later "release" of the same URL.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import duckdb
import pytest

from parsers.catalogue import parse_document
from parsers.facts import Document, ParseError
from parsers.formats.tabular import zip_members
from tests.corpus import captures, document, require_corpus
from tests.test_update import run_govreq

GITHUB_URL = ("https://raw.githubusercontent.com/github/transparency/main/data/requests_to_disclose_user_information/"
              "requests_received_and_disclosed.csv")
APPLE_URL = "https://www.apple.com/legal/zip/transparency/Apple_Transparency_Report.zip"


def zip_bomb() -> bytes:
    """A small ZIP whose one member expands to 300 MB of zeros (synthetic)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("account_requests.csv", "w", force_zip64=True) as f:
            chunk = b"0" * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    return buf.getvalue()


BAD_BODIES = {
    "html-error-page": (GITHUB_URL, b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>",
                        "HTML page"),
    "empty": (GITHUB_URL, b"", "empty"),
    "truncated-zip": (APPLE_URL, None, "ZIP"),
    "zip-bomb": (APPLE_URL, None, "refused"),
}


def bad_body(name: str) -> bytes:
    url, body, _ = BAD_BODIES[name]
    if body is not None:
        return body
    if name == "zip-bomb":
        return zip_bomb()
    real = next(c for c in captures() if c.url == url).path.read_bytes()
    return real[: len(real) // 2]


def synthetic_mirror(tmp: Path, url: str, bad: bytes) -> Path:
    """The real capture of `url` dated 2022-01-01, and the bad bytes as a later capture dated 2023-01-01."""
    real = next(c for c in captures() if c.url == url)
    mirror = tmp / "mirror"
    (mirror / "files").mkdir(parents=True)
    (mirror / "files" / "good").symlink_to(real.path)
    (mirror / "files" / "bad").write_bytes(bad)
    with (mirror / "captures.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["url", "captured_at", "path", "sha256", "bytes", "content_type", "company", "series"])
        w.writerow([url, "2022-01-01", "files/good", real.sha256, real.path.stat().st_size, real.content_type,
                    real.company, real.series])
        w.writerow([url, "2023-01-01", "files/bad", "", len(bad), real.content_type, real.company, real.series])
    return mirror


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_parser_refuses_bad_bytes_naming_the_document(name: str) -> None:
    url, _, words = BAD_BODIES[name]
    good = document(url)
    bad = Document(data=bad_body(name), sha256="0" * 64, url=url, company=good.company, series=good.series)
    with pytest.raises(ParseError) as err:
        parse_document(bad)
    assert url.rsplit("/", 1)[1] in str(err.value)
    assert words.lower() in str(err.value).lower()


def test_zip_bomb_is_refused_before_it_expands() -> None:
    doc = Document(data=zip_bomb(), sha256="0" * 64, url=APPLE_URL, company="apple", series="government-requests")
    assert len(doc.data) < 1_000_000
    with pytest.raises(ParseError, match="refused"):
        zip_members(doc)


@pytest.mark.parametrize("name", ["html-error-page", "truncated-zip"])
def test_update_refuses_a_bad_release_and_keeps_the_good_one(tmp_path: Path, name: str) -> None:
    require_corpus()
    url = BAD_BODIES[name][0]
    mirror = synthetic_mirror(tmp_path, url, bad_body(name))
    data = tmp_path / "data"
    slug = "apple" if url == APPLE_URL else "github"
    run_govreq("update", "--mirror", str(mirror), "--as-of", "2022-06-01", "--only", slug, "--data-dir", str(data))
    db = data / "govreq.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    good_sha, good_count = con.execute(
        "SELECT sha256, fact_count FROM documents WHERE url = ? AND parse_status = 'loaded'", [url]).fetchall()[0]
    con.close()
    proc = run_govreq("update", "--mirror", str(mirror), "--only", slug, "--data-dir", str(data))
    assert "1 refused" in proc.stderr and url.rsplit("/", 1)[1] in proc.stderr, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = dict(con.execute("SELECT parse_status, count(*) FROM documents WHERE url = ? GROUP BY 1",
                                    [url]).fetchall())
        assert statuses == {"loaded": 1, "failed": 1}
        error = con.execute("SELECT parse_error FROM documents WHERE url = ? AND parse_status = 'failed'",
                            [url]).fetchall()[0][0]
        assert url.rsplit("/", 1)[1] in error
        kept = con.execute("SELECT count(*) FROM facts WHERE document_sha256 = ?", [good_sha]).fetchall()[0][0]
        assert kept == good_count > 0
        current = {s for (s,) in con.execute(
            "SELECT DISTINCT document_sha256 FROM current_facts WHERE source_url = ?", [url]).fetchall()}
        assert current == {good_sha}  # the refused release does not replace the good one
    finally:
        con.close()
    # the bad bytes are archived too (evidence of what was served), and the good blob is untouched
    blobs = {p.name for p in (data / "archive" / "blobs").rglob("*") if p.is_file()}
    assert good_sha in blobs and len(blobs) == 2
