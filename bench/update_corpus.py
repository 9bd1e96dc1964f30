"""Benchmark: the full offline update on the recorded corpus (cold OCR cache, then warm), a no-op second run, and
the export: wall time, CPU time and the peak memory of the whole process tree.

Run: .venv/bin/python bench/update_corpus.py [--corpus ../shared/corpus] [--only SLUGS] [--no-warm]

Memory: getrusage's ru_maxrss of RUSAGE_CHILDREN is the largest single descendant, and a forked worker's
ru_maxrss counts the pages it shares with its parent, so neither is the tree's peak. Here a thread samples the
tree (the command and every descendant, found through /proc) and sums, per sample, each process's RSS (every
50 ms, from /proc/PID/statm) and PSS (proportional set size: a page shared by n processes counts 1/n in each,
so the sum is what the tree really holds; every 0.5 s, from /proc/PID/smaps_rollup). The peak of the sums is
reported; RSS over-counts shared pages, PSS does not. Sampling can miss a spike shorter than the interval.
smaps_rollup walks the whole address space: 24 ms for one 700 MB process here, so reading it for every process
every 50 ms kept most of a core busy and slowed the measured update itself by 10-20 % (this benchmark's
figures before 2026-12-02 are inflated so). CPU is user+sys of the command and its reaped descendants (getrusage).
Timings on a shared machine are inflated by the load: the load average is printed with each row.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.05
PSS_EVERY = 10  # samples
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    """ppid -> pids, from /proc/*/stat."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(tree.get(pid, []))
    return out


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _rss_pss_kb(pid: int) -> tuple[int, int]:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if line.endswith("kB")}
    return fields.get("Rss", 0), fields.get("Pss", 0)


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys seconds of the command and its descendants
    peak_rss_mb: float  # the largest sum of the tree's RSS (shared pages counted in each process)
    peak_pss_mb: float  # the largest sum of the tree's PSS (shared pages divided among their processes)
    peak_processes: int
    load: str  # the load average when the step ended


def run(args: list[str], env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "govreq.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"rss": 0, "pss": 0, "n": 0}
    done = threading.Event()

    def sample() -> None:
        n = 0
        while not done.is_set():
            pids = _descendants(proc.pid)
            peak["rss"] = max(peak["rss"], sum(_rss_kb(p) for p in pids))
            if n % PSS_EVERY == 0:
                peak["pss"] = max(peak["pss"], sum(_rss_pss_kb(p)[1] for p in pids))
            peak["n"] = max(peak["n"], len(pids))
            n += 1
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"govreq {' '.join(args)} exited {proc.returncode}:\n{stderr.decode()[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return Run(wall, cpu, peak["rss"] / 1024, peak["pss"] / 1024, peak["n"], load)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--only", help="comma-separated company slugs (default: all)")
    ap.add_argument("--no-warm", action="store_true", help="skip the second full update with the OCR cache warm")
    args = ap.parse_args()
    only = ["--only", args.only] if args.only else []
    steps: list[tuple[str, Run]] = []
    with tempfile.TemporaryDirectory() as tmp:
        # the OCR cache is the data dir's own (<data-dir>/cache/ocr): cold in a fresh data dir
        env = {k: v for k, v in os.environ.items() if k != "GOVREQ_OCR_CACHE"}
        cold, warm = Path(tmp) / "cold", Path(tmp) / "warm"
        steps.append(("full update, OCR cache cold",
                      run(["update", "--mirror", args.corpus, "--data-dir", str(cold), *only], env)))
        if not args.no_warm:
            # a fresh warehouse sharing the first run's OCR results: every document parsed again, no tesseract
            warm_env = env | {"GOVREQ_OCR_CACHE": str(cold / "cache" / "ocr")}
            steps.append(("full update, OCR cache warm",
                          run(["update", "--mirror", args.corpus, "--data-dir", str(warm), *only], warm_env)))
        steps.append(("no-op update (second run)",
                      run(["update", "--mirror", args.corpus, "--data-dir", str(cold), *only], env)))
        steps.append(("export", run(["export", "--data-dir", str(cold), "--out", str(cold / "export")], env)))
    print(f"{'step':<30}{'wall s':>8}{'cpu s':>8}{'peak RSS MB':>13}{'peak PSS MB':>13}{'procs':>7}  load avg")
    for name, r in steps:
        print(f"{name:<30}{r.wall:>8.1f}{r.cpu:>8.1f}{r.peak_rss_mb:>13.0f}{r.peak_pss_mb:>13.0f}"
              f"{r.peak_processes:>7}  {r.load}")
    print("peak RSS/PSS: largest per-sample sum over the process tree (PSS divides shared pages; see the docstring)")


if __name__ == "__main__":
    main()
