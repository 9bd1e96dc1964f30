"""`govreq sources`: per report series, what govreq holds against what should be out by now, how each URL
last answered, and how its last document parsed; `--check` asks each known URL with a HEAD request only.

Overdue: the series' cadence and usual delay say a newer period should be published than the newest govreq
holds. Broken: the last document was refused, or a URL's last fetch failed (a recorded mirror lacking a URL is
not news: it is said, not counted). The SQL is in warehouse/sql/sources_*.sql.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawlers.periods import STEP_MONTHS, due_period, parse_period, period_containing
from crawlers.registry import Registry

DOC_STATUS = {"loaded": "loaded", "partial": "partial", "failed": "refused", "no_parser": "no parser"}


@dataclass
class UrlFetch:
    url: str
    outcome: str
    http_status: int | None
    fetched_at: str
    via: str  # live | mirror
    error: str | None = None

    @property
    def broken(self) -> bool:
        if self.outcome != "failed":
            return False
        return not (self.via == "mirror" and self.http_status == 404)  # not recorded in the mirror: no news


@dataclass
class SourceRow:
    company: str
    series: str
    cadence: str
    newest_held: str | None
    due: str | None  # the newest period that should be out by today (None: the cadence has no schedule)
    overdue: bool
    broken: bool
    status: str
    last_fetch: str  # a one-line summary of the URLs' last fetches
    last_document: str | None  # loaded | partial | refused | no parser
    documents: str
    drift_findings: int | None  # of the last document; None when the warehouse has no drift_findings table
    urls: list[UrlFetch] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _query(con: Any, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    from warehouse.store import SQL

    cur = con.execute(SQL(name), params) if params else con.execute(SQL(name))
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def _has_table(con: Any, name: str) -> bool:
    return bool(_query(con, "sources_has_table", {"name": name})[0]["n"])


def _fetch_summary(fetches: Sequence[UrlFetch]) -> str:
    if not fetches:
        return "never fetched"
    counts: dict[str, int] = {}
    for f in fetches:
        label = {"new": "ok", "unchanged": "ok", "not_modified": "ok (304)",
                 "not_published": "not published (yet)"}.get(f.outcome)
        if label is None:
            label = "not in the mirror" if not f.broken else f"failed ({f.error or f.http_status})"
        counts[label] = counts.get(label, 0) + 1
    newest = max(fetches, key=lambda f: f.fetched_at)
    vias = sorted({f.via for f in fetches})
    parts = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
    return f"{parts}; last {newest.fetched_at[:10]} from the {'/'.join(vias)}"


def source_rows(con: Any, registry: Registry, today: dt.date) -> list[SourceRow]:
    """One row per report series in the registry, judged as of `today`."""
    newest = {(r["company"], r["series"]): r["newest_end"] for r in _query(con, "sources_newest_period")}
    fetches: dict[tuple[str, str], list[UrlFetch]] = {}
    for r in _query(con, "sources_last_fetch"):
        fetches.setdefault((r["company"], r["series"]), []).append(UrlFetch(
            r["url"], r["outcome"], r["http_status"], r["fetched_at"], "mirror" if r["via_mirror"] else "live",
            r["error"]))
    documents: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in _query(con, "sources_documents"):
        documents.setdefault((r["company"], r["series"]), []).append(r)
    drift = ({r["document_sha256"]: r["findings"] for r in _query(con, "sources_drift")}
             if _has_table(con, "drift_findings") else None)
    rows = []
    for company, series in registry.series_items():
        key = (company.slug, series.id)
        regular = series.cadence in STEP_MONTHS and not series.ended
        end = newest.get(key)
        held = period_containing(end, series.cadence) if end is not None and series.cadence in STEP_MONTHS else None
        due = due_period(series.cadence, series.usual_delay_days or 0, today) if regular else None
        if due is not None and series.first_period and parse_period(series.first_period).start > due.start:
            due = None  # the series' first period is not due yet
        overdue = due is not None and (held is None or held < due)
        docs = documents.get(key, [])
        last = docs[0] if docs else None
        status_counts: dict[str, int] = {}
        for d in docs:
            label = DOC_STATUS.get(d["parse_status"], d["parse_status"])
            status_counts[label] = status_counts.get(label, 0) + 1
        urls = fetches.get(key, [])
        last_status = DOC_STATUS.get(last["parse_status"], last["parse_status"]) if last else None
        broken = last_status == "refused" or any(u.broken for u in urls)
        if series.ended:
            state = "ended"
        elif not regular:
            state = f"no schedule ({series.cadence})"
        else:
            state = "ok"
        if overdue or broken:
            state = ", ".join(s for s, on in (("overdue", overdue), ("broken", broken)) if on)
        held_label = held.label if held else (end.isoformat() if end is not None else None)
        rows.append(SourceRow(
            company=company.slug, series=series.id, cadence=series.cadence, newest_held=held_label,
            due=due.label if due else None, overdue=overdue, broken=broken, status=state,
            last_fetch=_fetch_summary(urls), last_document=last_status,
            documents=", ".join(f"{n} {s}" for s, n in sorted(status_counts.items())) or "none",
            drift_findings=(drift.get(last["sha256"], 0) if last else 0) if drift is not None else None,
            urls=urls,
        ))
    return rows


def exit_status(rows: Iterable[SourceRow]) -> int:
    """0 when nothing is overdue or broken, 1 otherwise (so cron can say so)."""
    return 1 if any(r.overdue or r.broken for r in rows) else 0


COLUMNS = ["company", "series", "cadence", "newest_held", "due", "status", "last_document", "documents",
           "drift_findings", "last_fetch"]


def format_sources(rows: Sequence[SourceRow], fmt: str, today: dt.date) -> str:
    if fmt == "json":
        return json.dumps({"today": today.isoformat(), "sources": [r.as_dict() for r in rows]}, indent=2) + "\n"
    values = [[getattr(r, c) for c in COLUMNS] for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in values)
        return buf.getvalue()
    from rich.console import Console
    from rich.table import Table

    table = Table(*COLUMNS, title=f"report series as of {today.isoformat()}")
    for row in values:
        table.add_row(*("" if v is None else str(v) for v in row))
    console = Console(file=io.StringIO(), width=200, no_color=True)
    console.print(table)
    overdue = sum(r.overdue for r in rows)
    broken = sum(r.broken for r in rows)
    return console.file.getvalue() + f"{len(rows)} series: {overdue} overdue, {broken} broken\n"  # type: ignore[attr-defined]


# ---- --check: a cheap live canary ----

@dataclass
class CheckResult:
    company: str
    series: str
    url: str
    result: str  # ok | moved | vanished | refuses HEAD | HTTP n | unreachable
    detail: str = ""

    @property
    def bad(self) -> bool:
        return self.result in ("moved", "vanished", "unreachable") or self.result.startswith("HTTP 5")


def known_urls(registry: Registry, con: Any | None) -> list[tuple[str, str, str]]:
    """(company, series, url) for every URL the registry names or the archive has fetched with success."""
    seen: dict[tuple[str, str, str], None] = {}
    for company, series in registry.series_items():
        for url in [*series.download_urls, series.landing_url, series.sitemap_url]:
            if url:
                seen[(company.slug, series.id, url)] = None
    if con is not None:
        for r in _query(con, "sources_last_fetch"):
            if r["outcome"] in ("new", "unchanged", "not_modified"):
                seen[(r["company"], r["series"], r["url"])] = None
    return list(seen)


def head(url: str, *, user_agent: str, timeout: float = 20.0) -> tuple[int, str | None]:
    """One HEAD request, redirects not followed: (status, Location)."""
    parts = urlsplit(url)
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.netloc, timeout=timeout)
    try:
        connection.request("HEAD", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                           headers={"User-Agent": user_agent})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def check_urls(urls: Iterable[tuple[str, str, str]], *, delay: float, user_agent: str) -> list[CheckResult]:
    """HEAD each URL, one at a time, waiting `delay` seconds between two requests to the same host."""
    last_asked: dict[str, float] = {}
    results = []
    for company, series, url in urls:
        host = urlsplit(url).netloc
        wait = last_asked.get(host, -1e9) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            status, location = head(url, user_agent=user_agent)
        except (OSError, http.client.HTTPException) as e:
            results.append(CheckResult(company, series, url, "unreachable", f"{type(e).__name__}: {e}"))
            continue
        finally:
            last_asked[host] = time.monotonic()
        if status in (301, 302, 303, 307, 308):
            results.append(CheckResult(company, series, url, "moved", f"HTTP {status} to {location}"))
        elif status in (404, 410):
            results.append(CheckResult(company, series, url, "vanished", f"HTTP {status}"))
        elif status == 405:
            results.append(CheckResult(company, series, url, "refuses HEAD", "HTTP 405"))
        elif 200 <= status < 300:
            results.append(CheckResult(company, series, url, "ok", f"HTTP {status}"))
        else:
            results.append(CheckResult(company, series, url, f"HTTP {status}"))
    return results


def format_check(results: Sequence[CheckResult], fmt: str) -> str:
    columns = ["company", "series", "url", "result", "detail"]
    if fmt == "json":
        return json.dumps([asdict(r) for r in results], indent=2) + "\n"
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([getattr(r, c) for c in columns] for r in results)
        return buf.getvalue()
    for r in results:
        buf.write(f"{r.result:<12} {r.company}/{r.series} {r.url} {r.detail}\n")
    bad = sum(r.bad for r in results)
    buf.write(f"{len(results)} URLs asked with HEAD: {bad} moved, vanished or unreachable\n")
    return buf.getvalue()
