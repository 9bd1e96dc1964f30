"""Benchmark: pages per second of PDF table extraction on the X and Platform.sh reports, and cells found right.

Compares (1) plain pdfplumber table extraction on every page, (2) govreq's way: a pypdfium2 text pass over
every page, then pdfplumber only on the pages picked by keywords, and optionally (3) camelot (lattice) on the
picked pages. "Cells right" counts our parsers' facts (row label + printed cell text) that the extractor's
tables also hold on the same page. Rerun: `.venv/bin/python bench/pdf_pages.py [--repeat 3]
[--camelot-python /path/to/python-with-camelot]` from the repository root; it needs ../shared/corpus.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402

from parsers.facts import Document, Fact  # noqa: E402
from parsers.formats.pdf_tables import clean_text, page_texts, read_tables  # noqa: E402
from parsers.series import platformsh_transparency, x_global_transparency_report  # noqa: E402
from tests.corpus import document  # noqa: E402

Tables = dict[int, list[list[list[str]]]]  # page -> tables -> rows -> cell texts
REPORTS = (("x-global-transparency-report-h1", x_global_transparency_report),
           ("2020_platformsh", platformsh_transparency), ("2021_platformsh", platformsh_transparency))

CAMELOT_SCRIPT = """
import json, sys, time, camelot
path, pages = sys.argv[1], sys.argv[2]
start = time.perf_counter()
tables = camelot.read_pdf(path, pages=pages, flavor="lattice")
out = {}
for t in tables:
    out.setdefault(str(t.page), []).append([[str(c) for c in row] for row in t.df.values.tolist()])
print(json.dumps({"seconds": time.perf_counter() - start, "tables": out}))
"""


def plumber_all_pages(doc: Document) -> Tables:
    out: Tables = {}
    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            out[number] = [[[clean_text(c) for c in row] for row in t] for t in page.extract_tables()]
    return out


def picked_tables(doc: Document, pages: list[int]) -> Tables:
    out: Tables = {}
    for t in read_tables(doc, pages):
        out.setdefault(t.page, []).append(t.texts())
    return out


def cells_right(facts: list[Fact], tables: Tables) -> int:
    """Facts whose (row label, printed text) appears in one row of a table on the fact's page."""
    right = 0
    for f in facts:
        label = f.extra.get("row_label") or f.extra.get("requester", "")
        rows = [[clean_text(c) for c in row] for t in tables.get(f.locator.page or 0, []) for row in t]
        right += any(row and row[0] == label and f.raw_text in row[1:] for row in rows)
    return right


def best_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--camelot-python", default=sys.executable if importlib.util.find_spec("camelot") else None,
                    help="a Python interpreter with camelot-py installed (default: this one, if it has camelot)")
    args = ap.parse_args()

    rows: list[tuple[str, int, float, int, int]] = []
    totals = {"pdfplumber, every page": [0, 0.0, 0], "pypdfium2 pass + pdfplumber on picked pages": [0, 0.0, 0],
              "camelot lattice, picked pages": [0, 0.0, 0]}
    n_facts = 0
    for url_part, module in REPORTS:
        doc = document(url_part)
        facts = module.parse(doc)  # type: ignore[attr-defined]
        n_facts += len(facts)
        n_pages = len(page_texts(doc))
        pages = sorted({f.locator.page for f in facts if f.locator.page})
        t_all = best_time(lambda d=doc: plumber_all_pages(d), args.repeat)  # type: ignore[misc]
        t_picked = best_time(lambda d=doc, m=module: m.parse(d), args.repeat)  # type: ignore[misc]
        for name, seconds, pages_done, tables in (
            ("pdfplumber, every page", t_all, n_pages, plumber_all_pages(doc)),
            ("pypdfium2 pass + pdfplumber on picked pages", t_picked, n_pages, picked_tables(doc, pages)),
        ):
            right = cells_right(facts, tables)
            rows.append((f"{url_part}: {name}", pages_done, seconds, right, len(facts)))
            totals[name][0] += pages_done
            totals[name][1] += seconds
            totals[name][2] += right
        if args.camelot_python:
            result = json.loads(subprocess.run(
                [args.camelot_python, "-c", CAMELOT_SCRIPT, str(document_path(url_part)), ",".join(map(str, pages))],
                check=True, capture_output=True, text=True).stdout)
            tables = {int(k): v for k, v in result["tables"].items()}
            right = cells_right(facts, tables)
            rows.append((f"{url_part}: camelot lattice, picked pages", len(pages), result["seconds"], right,
                         len(facts)))
            totals["camelot lattice, picked pages"][0] += len(pages)
            totals["camelot lattice, picked pages"][1] += result["seconds"]
            totals["camelot lattice, picked pages"][2] += right

    print(f"{'run':<78}{'pages':>6}{'seconds':>9}{'pages/s':>9}{'cells right':>13}")
    for name, pages_done, seconds, right, n in rows:
        print(f"{name:<78}{pages_done:>6}{seconds:>9.3f}{pages_done / seconds:>9.1f}{f'{right}/{n}':>13}")
    print()
    for name, (pages_done, seconds, right) in totals.items():
        if pages_done:
            print(f"{'TOTAL ' + name:<78}{pages_done:>6}{seconds:>9.3f}{pages_done / seconds:>9.1f}"
                  f"{f'{right}/{n_facts}':>13}")
    print("\npages/s for 'picked' counts every page of the PDF (all pass through the text pass); camelot's pages "
          "are only the picked ones (it reads them from disk and renders them).")


def document_path(url_part: str) -> Path:
    from tests.corpus import find
    return find(url_part).path


if __name__ == "__main__":
    main()
