"""Times `govreq site` on a built warehouse: a cold build (empty image cache), a warm rebuild (nothing changed: the
last site's snapshot is copied, dashboard/reuse.py) and a rebuild that must query and render every page again but
finds every image in the cache (the snapshot removed, as after an update that changed no chart), each in its own
process, with its wall time, CPU time and peak memory.

    .venv/bin/python bench/site_build.py --data-dir /tmp/dash-data [--runs 1]

Without --data-dir it reads $GOVREQ_DATA_DIR, else ./data, and skips (saying so) when no warehouse is there.

The image cache of the run lives in a temporary directory, so the data directory's own cache is left alone. The
Vega bundle is kept with the installation (dashboard/render.py INSTALL_BUNDLE): a cold build here copies it; only
the first build after an install writes it (about 0.5 s more, measured 2026-12-02).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = """
import resource
import sys
from pathlib import Path
from govreq.update import db_path
from warehouse import store
from dashboard.build import build_site
con = store.open_warehouse(db_path(Path(sys.argv[1])), read_only=True)
try:
    build_site(con, Path(sys.argv[2]), cache_dir=Path(sys.argv[3]))
finally:
    con.close()
# this build's own peak: the main process and its largest image worker (ru_maxrss is in KB on Linux)
print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(data_dir: Path, out: Path, cache: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the build and its image workers, peak resident memory) of one build in a
    fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", BUILD, str(data_dir), str(out), str(cache)], check=True,
                          stdout=subprocess.PIPE, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    main_kb, worker_kb = (int(x) for x in done.stdout.split("peak-kb")[-1].split())
    peak = f"{main_kb // 1024} MB main process" + (f", {worker_kb // 1024} MB largest image worker" if worker_kb else "")
    return wall, cpu, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("GOVREQ_DATA_DIR") or "data"),
                        help="a data directory `govreq update` built (default $GOVREQ_DATA_DIR, else ./data)")
    parser.add_argument("--runs", type=int, default=1, help="cold and warm builds to time (each)")
    args = parser.parse_args()
    from govreq.update import db_path

    if not db_path(args.data_dir).exists():
        print(f"skipped: no warehouse in {args.data_dir} (run `govreq update` first, or pass --data-dir)")
        return 0
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (timings on a loaded machine are upper bounds)")
    for i in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
            cache = Path(tmp) / "cache"
            for label, out in (("cold", "site-cold"), ("warm", "site-warm"), ("images cached", "site-pages")):
                if label == "images cached":
                    for snapshot in cache.glob("site-*"):
                        shutil.rmtree(snapshot)
                wall, cpu, rss = run(args.data_dir, Path(tmp) / out, cache)
                print(f"run {i + 1} {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {rss} "
                      f"(load average {os.getloadavg()[0]:.1f} after)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
