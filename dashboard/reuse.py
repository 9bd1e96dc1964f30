"""A rebuild with nothing changed: the whole site copied from the last build's snapshot in the cache.

The site is a pure function of its inputs. When every one of them is the same as at the last build, the pages,
images and CSVs would come out byte for byte the same, so they are copied instead of computed again (the DuckDB
queries and the page rendering cost a few seconds even when every image is reused). The inputs, all hashed into
one fingerprint:

- the warehouse file itself: its path, size, modification time and inode (and its write-ahead log's), so any
  write to it (an update, views re-applied by a read-write open) means a full build;
- every file of the dashboard (code, SQL, templates) and of the company registry (crawlers/registry*);
- the versions of Python, DuckDB, Jinja2, MarkupSafe and vl-convert;
- today's date (company pages say how many months old each report is) and the build's options.

A build given its own registry object (tests) is never reused: its contents are not files to hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from datetime import date
from importlib.metadata import version
from pathlib import Path

import duckdb

DASHBOARD = Path(__file__).resolve().parent
ROOT = DASHBOARD.parent
SNAPSHOT_PREFIX = "site-"
MANIFEST = "manifest.json"


def _code_files() -> list[Path]:
    files = [p for p in DASHBOARD.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += sorted((ROOT / "warehouse" / "sql").glob("views_site_*.sql"))
    files += [ROOT / "crawlers" / "registry.py", *sorted((ROOT / "crawlers" / "registry").glob("*.toml"))]
    return sorted(p for p in files if p.exists())


def fingerprint(con: duckdb.DuckDBPyConnection, top_countries: int | None) -> str | None:
    """The hash of everything the site is built from, or None when the warehouse is no file (in memory)."""
    paths = [r[2] for r in con.execute("SELECT * FROM pragma_database_list").fetchall() if r[2]]
    if not paths:
        return None
    digest = hashlib.sha256()
    for path in sorted(paths):
        for p in (Path(path), Path(f"{path}.wal")):
            st = p.stat() if p.exists() else None
            digest.update(f"{p.resolve()}|{st and (st.st_size, st.st_mtime_ns, st.st_ino)}\n".encode())
    for p in _code_files():
        digest.update(f"{os.path.relpath(p, ROOT)}\n".encode())
        digest.update(hashlib.sha256(p.read_bytes()).digest())
    versions = [sys.version, *(version(n) for n in ("duckdb", "jinja2", "markupsafe", "vl-convert-python"))]
    digest.update(f"{versions}|{date.today().isoformat()}|{top_countries}".encode())
    return digest.hexdigest()


SITE_FILES = {".html", ".csv", ".png", ".svg", ".js", ".css"}  # what a build writes (nothing else in out is kept)


def _site_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SITE_FILES)


def restore(cache_dir: Path, key: str, out: Path) -> tuple[int, int] | None:
    """Copy the snapshot of the build with this fingerprint into out; (pages, images) of it, or None when there
    is no such snapshot. A file already in out with the snapshot copy's size and modification time (copies keep
    it) is left as it is; any other is copied over."""
    snapshot = Path(cache_dir) / f"{SNAPSHOT_PREFIX}{key}"
    manifest = snapshot / MANIFEST
    if not manifest.exists():
        return None
    files: dict[str, list[int]] = json.loads(manifest.read_text(encoding="utf-8"))
    site = snapshot / "site"
    for rel, (size, mtime_ns) in files.items():
        target = out / rel
        if target.exists() and (target.stat().st_size, target.stat().st_mtime_ns) == (size, mtime_ns):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site / rel, target)
    return (sum(rel.endswith(".html") for rel in files), sum(rel.endswith(".svg") for rel in files))


def save(cache_dir: Path, key: str, out: Path) -> None:
    """Keep a copy of the site just built as the snapshot of this fingerprint (the only one kept)."""
    cache = Path(cache_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{SNAPSHOT_PREFIX}", dir=cache))
    try:
        files = {}
        for p in _site_files(out):
            rel = p.relative_to(out).as_posix()
            (tmp / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, tmp / "site" / rel)
            files[rel] = [p.stat().st_size, p.stat().st_mtime_ns]
        (tmp / MANIFEST).write_text(json.dumps(files), encoding="utf-8")
        final = cache / f"{SNAPSHOT_PREFIX}{key}"
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)  # the manifest is inside: a half-copied snapshot is never restored
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in cache.glob(f"{SNAPSHOT_PREFIX}*"):
        if old.name != f"{SNAPSHOT_PREFIX}{key}" and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)

