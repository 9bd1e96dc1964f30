"""Benchmark: what the facts' key and identity cost at load, side by side on the same synthetic Parquet file
(bench/views_10m.py's generator). Run: .venv/bin/python bench/load_keys.py [--facts N] [--repeat R]

Variants, each into a new warehouse file, committed and checkpointed:
  old key      the schema before issue 12: PRIMARY KEY (document_sha256, fact_key), no identity
  no key       the same table without a primary key (uniqueness only by load_document's own checks)
  new          schema.sql as it is: fact_identity and fact_id computed by facts_insert.sql, PRIMARY KEY (fact_id)
The variants alternate, R rounds; the best of each is shown. On a machine shared with other work, compare the
variants of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.views_10m import generate  # noqa: E402
from warehouse import store  # noqa: E402


def old_schema(con: duckdb.DuckDBPyConnection, key: bool) -> None:
    """The facts table as it was: the columns of schema.sql less the two derived ones."""
    columns = ", ".join(f"{n} {t}" for n, t in store.fact_columns() if n not in store.COMPUTED_IN_SQL)
    con.execute(f"CREATE TABLE facts ({columns}{', PRIMARY KEY (document_sha256, fact_key)' if key else ''})")


def load(variant: str, path: Path, parquet: Path) -> float:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    con = store.open_warehouse(path) if variant == "new" else duckdb.connect(str(path))
    try:
        if variant != "new":
            old_schema(con, key=variant == "old key")
        quoted = "'" + str(parquet).replace("'", "''") + "'"
        con.execute(f"CREATE OR REPLACE TEMP VIEW fact_batch AS SELECT * FROM read_parquet({quoted})")
        started = time.perf_counter()
        con.begin()
        if variant == "new":
            con.execute(store.SQL("facts_insert.sql"))
        else:
            con.execute("INSERT INTO facts SELECT * FROM fact_batch")
        con.commit()
        con.execute("CHECKPOINT")
        return time.perf_counter() - started
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--facts", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govreq-bench-") as folder:
        parquet = Path(folder) / "facts.parquet"
        generate(parquet, 0, args.facts)
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            for variant in ("old key", "no key", "new"):
                seconds = load(variant, Path(folder) / "w.duckdb", parquet)
                best[variant] = min(best.get(variant, seconds), seconds)
    for variant, seconds in best.items():
        print(f"{variant:8} {args.facts:,} facts in {seconds:6.1f} s = {args.facts / seconds:,.0f} facts/s "
              f"({seconds / best['old key']:.2f} x old key)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
