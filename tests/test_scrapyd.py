"""The same spider on Scrapyd: a daemon on 127.0.0.1 (own config, temporary folders, a free port), the project
deployed with `scrapyd-deploy` (which builds the egg), a crawl of the recorded mirror scheduled through its API,
and the archive it writes laid out exactly as `govreq update`'s crawl writes it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawlers.archive import Archive
from crawlers.crawl import run_crawl
from crawlers.mirror import MirrorServer
from tests.corpus import require_corpus

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ONLY = "google,meta"
TODAY = "2026-12-01"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, endpoint: str, data: dict[str, str] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path):
    """A Scrapyd daemon on a free loopback port, everything it keeps under tmp_path; stopped afterwards."""
    if not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists():
        pytest.fail("scrapyd and scrapyd-client are test dependencies (pip install -e '.[test]')")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\njobs_to_keep = 5\nmax_proc = 1\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    env = {**os.environ, "GOVREQ_CRAWL_MODE": "mirror", "GOVREQ_RENDER": "0"}
    with (home / "daemon.log").open("wb") as log:
        daemon = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not start:\n{(home / 'daemon.log').read_text()}")
            time.sleep(0.3)
        yield base, home
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()


def _deploy(base: str, project: Path) -> dict:
    """scrapyd-deploy from a copy of the project whose scrapy.cfg points at this daemon."""
    shutil.copytree(REPO / "crawlers", project / "crawlers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, project / name)
    cfg = (REPO / "scrapy.cfg").read_text(encoding="utf-8").replace("http://127.0.0.1:6800/", base + "/")
    (project / "scrapy.cfg").write_text(cfg, encoding="utf-8")
    proc = subprocess.run([str(BIN / "scrapyd-deploy"), "--version", "1"], cwd=project, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _layout(data: Path) -> tuple[set[str], list[tuple[str, str, str | None, int | None, str | None]]]:
    archive = Archive(data / "archive")
    blobs = {p.relative_to(data).as_posix() for p in (data / "archive" / "blobs").rglob("*") if p.is_file()}
    records = sorted((r.url, r.outcome, r.sha256, r.http_status, r.series) for r in archive.records())
    return blobs, records


def test_scrapyd_runs_the_spider_unmodified_against_the_mirror(scrapyd, tmp_path: Path) -> None:
    corpus = require_corpus()
    base, home = scrapyd
    deployed = _deploy(base, tmp_path / "project")
    assert deployed["status"] == "ok" and deployed["spiders"] == 1, deployed
    assert list((home / "eggs" / "govreq").glob("*.egg")), "scrapyd-deploy built and uploaded no egg"
    assert _api(base, "listspiders.json?project=govreq")["spiders"] == ["report_files"]

    data = tmp_path / "via-scrapyd"
    with MirrorServer(corpus) as mirror:
        job = _api(base, "schedule.json", {
            "project": "govreq", "spider": "report_files", "data_dir": str(data), "only": ONLY,
            "mirror_base": mirror.base_url, "mirror_dir": str(corpus.resolve()), "today": TODAY,
        })
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 240
        while not any(j["id"] == job["jobid"] for j in _api(base, "listjobs.json?project=govreq")["finished"]):
            assert time.monotonic() < deadline, "the Scrapyd job did not finish"
            time.sleep(0.5)
    log = next((home / "logs").rglob(f"{job['jobid']}.log")).read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-3000:]
    assert "probes meta/government-data-requests: 10 probes (cap 30 per run)" in log  # the cap is stated

    direct = tmp_path / "direct"
    run_crawl(direct, mirror=corpus, only=ONLY.split(","), today=dt.date.fromisoformat(TODAY))
    scrapyd_blobs, scrapyd_records = _layout(data)
    direct_blobs, direct_records = _layout(direct)
    assert scrapyd_blobs == direct_blobs and len(scrapyd_blobs) == 19  # Google's newest 2 files, Meta's 17
    assert scrapyd_records == direct_records
