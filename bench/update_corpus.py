"""Benchmark: the full offline update on the recorded corpus (time and peak memory), then a no-op second run.

Run: .venv/bin/python bench/update_corpus.py [--corpus ../shared/corpus] [--only SLUGS]
Peak memory is the largest resident set of the update process and of its children (crawl, parse workers),
as the kernel reports it through getrusage.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "govreq.cli", *args], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--only", help="comma-separated company slugs (default: all)")
    args = ap.parse_args()
    only = ["--only", args.only] if args.only else []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        first = run(["update", "--mirror", args.corpus, "--data-dir", str(data), *only])
        second = run(["update", "--mirror", args.corpus, "--data-dir", str(data), *only])
        export = run(["export", "--data-dir", str(data), "--out", str(data / "export")])
    print(f"{'step':<28}{'seconds':>10}{'peak MB (so far)':>20}")
    for name, (s, mb) in (("first update (full)", first), ("second update (no-op)", second), ("export", export)):
        print(f"{name:<28}{s:>10.1f}{mb:>20.0f}")


if __name__ == "__main__":
    main()
