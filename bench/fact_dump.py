"""Dump every fact of every corpus document (all fields, and the warehouse's Arrow batch) to one text file, and
the parse CPU seconds per document and per company: a speed change to the parsers must leave the dump
byte-identical (`cmp before.txt after.txt`).

Run: .venv/bin/python bench/fact_dump.py OUT.txt [--corpus ../shared/corpus] [--only SLUGS] [--times TIMES.tsv]

Documents run one after another in this process (OCR results come from the OCR cache, $GOVREQ_OCR_CACHE or
~/.cache/govreq/ocr, so a first run OCRs). Per document it writes the status, the findings, each fact's every
field in the parsers' own order, and each row of `store.facts_table` (what the warehouse inserts).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parsers.catalogue import read_document, reader_for  # noqa: E402
from parsers.facts import Document, ParseError  # noqa: E402
from warehouse import store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--only", help="comma-separated company slugs (default: all)")
    ap.add_argument("--times", help="write per-document parse CPU seconds here (TSV)")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    only = set(args.only.split(",")) if args.only else None
    with (corpus / "captures.csv").open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: (r["company"], r["series"], r["captured_at"], r["sha256"]))
    per_company: dict[str, float] = defaultdict(float)
    times: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    with open(args.out, "w", encoding="utf-8") as out:
        for r in rows:
            if (only and r["company"] not in only) or r["sha256"] in seen:
                continue
            seen.add(r["sha256"])
            if reader_for(r["company"], r["series"]) is None:
                out.write(f"## {r['company']}/{r['series']} {r['sha256']} no_parser\n")
                continue
            data = (corpus / r["path"]).read_bytes()
            doc = Document(data=data, sha256=hashlib.sha256(data).hexdigest(), url=r["url"], company=r["company"],
                           series=r["series"], fetched_at=r["captured_at"], content_type=r["content_type"],
                           archive_path=r["path"])
            meta = store.DocumentMeta(sha256=doc.sha256, company=doc.company, series=doc.series, url=doc.url,
                                      first_fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), last_modified=None,
                                      content_type=doc.content_type, bytes=len(data), archive_path=doc.archive_path)
            t = time.process_time()
            try:
                reading = read_document(doc)
                batch = store.facts_table(meta, reading.facts) if reading.facts else None
            except ParseError as e:
                spent = time.process_time() - t
                out.write(f"## {r['company']}/{r['series']} {doc.sha256} failed: {e}\n")
            else:
                spent = time.process_time() - t
                out.write(f"## {r['company']}/{r['series']} {doc.sha256} {reading.status} facts={len(reading.facts)}\n")
                for finding in reading.findings:
                    out.write(f"finding {dataclasses.astuple(finding)!r}\n")
                for fact in reading.facts:
                    out.write(f"fact {[(fl.name, getattr(fact, fl.name)) for fl in dataclasses.fields(fact)]!r}\n")
                if batch is not None:
                    for row in batch.to_pylist():
                        out.write(f"row {sorted(row.items())!r}\n")
            per_company[r["company"]] += spent
            times.append((r["company"], r["path"], spent))
    if args.times:
        with open(args.times, "w", encoding="utf-8") as f:
            for company, path, spent in times:
                f.write(f"{company}\t{spent:.3f}\t{path}\n")
    for company, spent in sorted(per_company.items(), key=lambda kv: -kv[1]):
        print(f"{company:<20}{spent:>8.2f} s")
    print(f"{'total':<20}{sum(per_company.values()):>8.2f} s")


if __name__ == "__main__":
    main()
