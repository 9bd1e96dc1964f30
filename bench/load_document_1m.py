"""Benchmark: 1,000,000 synthetic facts through store.load_document, 20 documents of 50,000 (building the rows,
inserting, computing identities, refreshing the series' current figures, committing). Run:
.venv/bin/python bench/load_document_1m.py. Moved here from the test suite (it took 17 s there and asserted only
a rate). Synthetic data only."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_warehouse import fact, meta, sha  # noqa: E402
from warehouse import store  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="govreq-bench-") as folder:
        con = store.open_warehouse(Path(folder) / "speed.duckdb")
        elapsed = 0.0
        try:
            for d in range(20):
                doc = sha(1000 + d)
                facts = [fact(doc, row, value=float(row), raw=f"{row:,}", extra={"product": "p"} if row % 3 else {})
                         for row in range(2, 50_002)]
                started = time.perf_counter()
                assert store.load_document(con, meta(doc, url=f"https://example.org/{d}.csv"), facts) == 50_000
                elapsed += time.perf_counter() - started
            assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == 1_000_000
        finally:
            con.close()
    print(f"load_document: 1,000,000 facts in {elapsed:.1f} s = {1_000_000 / elapsed:,.0f} facts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
