"""Who discloses what: a level per company, year and kind of request, each with the evidence it rests on.

Levels (voluntary-global reports first; a report a regulator mandates for one region never lifts them):
  per-country             figures with an ISO country (pseudo-jurisdictions such as EU or INTERPOL excluded); for
                          national-security, two or more countries (a US-only FISA/NSL table is a total)
  totals-only             figures, but no country breakdown
  mandated-regional-only  no voluntary figures; only a mandated regional report (e.g. the EU's DSA)
  policy-only             the registry lists only a policy page of that kind (an HTML series whose title names a
                          policy or guidelines, not a report), no figures
  not-loaded              the registry lists a report of that kind for the year that govreq holds no figures
                          from: a gap in govreq, not in the company's disclosure
  not-tracked             the company publishes reports, but the registry lists none of this kind: govreq has
                          not looked, so this is a gap in govreq, never evidence of silence
  none-found              nothing: the evidence lists the places checked, with dates
Ranking Digital Rights' scores (P11a user information, F6 content restriction) stand beside the level, never in
place of it; disagreements are listed. The SQL is in warehouse/sql/disclosure.sql.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from warehouse.restatements import render_rows
from warehouse.store import SQL

KINDS = ("user-data", "content-removal", "national-security")
LEVELS = ("per-country", "totals-only", "mandated-regional-only", "policy-only", "not-loaded", "not-tracked",
          "none-found")
CSV_COLUMNS = ("company", "year", "kind", "level", "evidence", "rdr_p11a", "rdr_f6", "scope", "notes",
               "countries", "figures", "documents", "rdr_source", "rdr_disagreement")
CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "annual": 12, "biennial": 24}
DEFAULT_LAG_MONTHS = 6
MAX_LAG_MONTHS = 12  # a first copy made years after publication (a mirror) says nothing about the lag
MACHINE_READABLE = ("csv", "xlsx", "xls", "ods", "zip", "json", "spreadsheet", "excel")
# RDR indicator names by edition -> our column; 2019's P11 mixes government and private requests.
RDR_COLUMNS = {"P11a": "rdr_p11a", "P11": "rdr_p11a", "F06": "rdr_f6", "F6": "rdr_f6"}
RDR_KIND_COLUMN = {"user-data": "rdr_p11a", "content-removal": "rdr_f6"}


class Series(Protocol):
    id: str
    kind: str
    scope: str
    format: str
    cadence: str
    landing_url: str


class Company(Protocol):
    slug: str
    name: str
    role: str
    disclosure: str
    rdr_names: Sequence[str]
    series: Sequence[Series]
    checked: Sequence[Any]  # CheckedPlace: url, checked_on, found, by


class Registry(Protocol):
    companies: Sequence[Company]


@dataclass(frozen=True)
class Finding:
    company: str
    kind: str
    year: int | None
    finding: str  # stale | regression | format_downgrade | rdr_disagreement
    series: str
    detail: str


def named_queries(name: str) -> dict[str, str]:
    """The "-- name: x" blocks of a .sql file."""
    blocks = re.split(r"^-- name: *", SQL(name), flags=re.M)[1:]
    return {b.split("\n", 1)[0].strip(): b.split("\n", 1)[1] for b in blocks}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _year_of(value: object) -> int | None:
    """The year in a registry period ("2013-H1", "2019", a date); None when there is none."""
    if isinstance(value, dt.date):
        return value.year
    m = re.search(r"(19|20)\d\d", str(value or ""))
    return int(m.group(0)) if m else None


def _series_years(s: Series) -> tuple[int | None, int | None]:
    """First and last year a series covers; None where the registry does not say (open-ended, or unknown start).
    An ended series ends with its last period seen."""
    end = _year_of(getattr(s, "last_period_seen", None)) if _has_ended(s) else None
    return _year_of(getattr(s, "first_period", None)), end


def _has_ended(s: Series) -> bool:
    return bool(getattr(s, "ended", False)) or str(s.cadence) == "ended"


def _is_policy(s: Series) -> bool:
    title = str(getattr(s, "title", ""))
    return (s.format == "html" and re.search(r"\b(polic(y|ies)|guidelines)\b", title, re.I) is not None
            and re.search(r"\b(report|requests|data)\b", title, re.I) is None)


def _where(s: Series) -> str:
    urls = [getattr(s, "landing_url", None), *(getattr(s, "download_urls", None) or [])]
    return f"{s.id} ({next((u for u in urls if u), 'no URL in the registry')})"


def _is_mandated(s: Series | None) -> bool:
    return s is not None and str(s.scope).startswith("mandated")


def _format_class(text: str) -> str:
    t = text.lower()
    if "pdf" in t:
        return "pdf"
    if any(m in t for m in MACHINE_READABLE):
        return "machine-readable"
    return "html" if "html" in t else "other"


def _months_between(a: dt.date, b: dt.date) -> int:
    """Whole months from a to b, rounded (31 Dec -> 1 Feb is one month, not two)."""
    return round((b - a).days / 30.4375)


def _cite(cell: dict[str, Any]) -> str:
    return f"{cell['url']} [sha256 {cell['sha256'][:12]}] {cell['locator']} printed {cell['raw']!r}"


def _fetch_evidence(f: dict[str, Any]) -> str:
    """One fetch as evidence. An offline replay only shows what the recorded mirror holds, never the live page."""
    if f.get("via_mirror"):
        held = "not in the recorded mirror" if f["http_status"] == 404 else f"{f['outcome']} from the recorded mirror"
        return f"replayed {f['url']} offline on {f['fetched_on']}: {held} (says nothing about the live page)"
    return (f"fetched {f['url']} on {f['fetched_on']}: {f['outcome']}"
            + (f" (HTTP {f['http_status']})" if f["http_status"] else ""))


def _checked_evidence(company: Company, fetches: list[dict[str, Any]]) -> str:
    places = [f"checked {c.url} on {c.checked_on}: {'found ' + str(c.found) if c.found else 'nothing found'}"
              + (f" (by {c.by})" if getattr(c, "by", None) else "") for c in getattr(company, "checked", ()) or ()]
    places += [_fetch_evidence(f) for f in fetches]
    return "; ".join(places) if places else "no checked places recorded in the registry or the fetch log"


class _Model:
    """Everything the warehouse says about disclosure, fetched once, then asked per company, year and kind."""

    def __init__(self, con: duckdb.DuckDBPyConnection, registry: Registry, today: dt.date) -> None:
        q = named_queries("disclosure.sql")
        self.registry, self.today = registry, today
        self.coverage = defaultdict(list)
        for r in _rows(con, q["coverage"]):
            self.coverage[(r["company"], r["kind"], r["year"])].append(r)
        self.metric_spans = _rows(con, q["metric_spans"])
        self.document_spans = _rows(con, q["document_spans"])
        self.fetches = defaultdict(list)
        for r in _rows(con, q["fetches"]):
            self.fetches[r["company"]].append(r)
        self.rdr = self._rdr_scores(_rows(con, q["rdr_scores"]))
        self.series = {(c.slug, s.id): s for c in registry.companies for s in c.series}
        # a series can print several kinds (Google's user-data ZIP holds the US national-security tables)
        self.series_kinds = {(m["company"], m["series"], m["kind"]) for m in self.metric_spans}

    def _rdr_scores(self, rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
        by_name = {n.casefold(): c.slug for c in self.registry.companies for n in (c.rdr_names or ())}
        out: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
        for r in rows:
            slug = by_name.get(str(r["rated_company"]).casefold())
            if slug is None:
                continue
            edition = r["series"].rsplit("-", 1)[-1]
            for year in range(r["period_start"].year, r["period_end"].year + 1):
                entry = out[(slug, year)]
                entry[RDR_COLUMNS[r["indicator"]]] = r["value"]
                entry.setdefault("sources", set()).add(
                    f"RDR {edition} index {r['indicator']} (research window {r['period_start']}..{r['period_end']}"
                    + ("; P11 counts government and private requests together" if r["indicator"] == "P11" else "")
                    + ")")
        return out

    def years(self, year_range: tuple[int, int] | None, companies: Iterable[str]) -> range:
        if year_range:
            return range(year_range[0], year_range[1] + 1)
        years = [y for (c, _, y) in self.coverage if c in set(companies)]
        return range(min(years), max(years) + 1) if years else range(self.today.year, self.today.year + 1)

    def level(self, company: Company, year: int, kind: str) -> dict[str, Any]:
        cover = self.coverage.get((company.slug, kind, year), [])
        voluntary = [r for r in cover if not _is_mandated(self.series.get((company.slug, r["series"])))]
        mandated = [r for r in cover if r not in voluntary]
        notes: list[str] = []
        unknown = sorted({r["series"] for r in cover if (company.slug, r["series"]) not in self.series})
        if unknown:
            notes.append(f"series not in the registry, taken as voluntary-global: {', '.join(unknown)}")
        mandated_series = [s for s in company.series if _is_mandated(s) and s.kind == kind and self._covers(s, year)]
        if voluntary and (mandated or mandated_series):
            notes.append("also a mandated regional report: "
                         + ", ".join(sorted({r["series"] for r in mandated} | {s.id for s in mandated_series})))
        row: dict[str, Any] = {"company": company.slug, "year": year, "kind": kind, "countries": 0, "figures": 0,
                               "documents": "", "notes": notes}
        used = voluntary or mandated
        if used:
            per_country = sum(r["country_figures"] for r in used) > 0
            # US national-security figures (FISA, NSLs) exist for one country by law: a US-only table is that
            # country's total, not a breakdown by requesting country.
            if kind == "national-security" and per_country and max(r["countries"] for r in used) == 1:
                per_country = False
                notes.append("national-security figures for one country only (US law), not a breakdown by country")
            level = ("per-country" if per_country else "totals-only") if voluntary else "mandated-regional-only"
            if not voluntary:
                notes.append("the mandated report has " + ("per-country figures" if per_country else "totals only"))
            cells = [c for r in used for c in (r["country_examples"] if per_country else r["examples"])][:3]
            docs = sorted({d for r in used for d in r["documents"]})
            row.update(level=level, scope="voluntary-global" if voluntary else "mandated-regional",
                       countries=max(r["countries"] for r in used), figures=sum(r["figures"] for r in used),
                       documents=" ".join(docs),
                       evidence=f"{row_figures(used)} figures in {len(docs)} document(s); e.g. "
                       + "; ".join(_cite(c) for c in cells))
            return row
        fetches = self.fetches.get(company.slug, [])
        if mandated_series:
            if undated := [s.id for s in mandated_series if _series_years(s)[0] is None]:
                notes.append(f"the registry gives no first period for {', '.join(undated)}: the years it covers "
                             "are not known")
            return row | {"level": "mandated-regional-only", "scope": "mandated-regional",
                          "evidence": "registry: " + ", ".join(_where(s) for s in mandated_series)
                          + " (no figures loaded); " + _checked_evidence(company, fetches)}
        listed = [s for s in company.series if not _is_mandated(s) and self._covers(s, year)
                  and (s.kind == kind or (company.slug, s.id, kind) in self.series_kinds)]
        policy = [s for s in listed if _is_policy(s)]
        if policy:
            return row | {"level": "policy-only", "scope": "voluntary-global",
                          "evidence": "registry: " + ", ".join(_where(s) for s in policy)}
        if listed:
            return row | {"level": "not-loaded", "scope": "voluntary-global",
                          "evidence": "registry lists " + ", ".join(_where(s) for s in listed)
                          + f" for {year}, but no figures of this kind are loaded from it"}
        if company.disclosure == "publishes" and not any(
            s.kind == kind or (company.slug, s.id, kind) in self.series_kinds for s in company.series
        ):
            return row | {"level": "not-tracked", "scope": "",
                          "evidence": f"the registry lists no {kind} report series for {company.slug}; "
                          "govreq has not looked for one"}
        since = [f"{s.id} from {s.first_period}" for s in company.series if getattr(s, "first_period", None)]
        if since:
            notes.append("registry series start: " + ", ".join(since))
        return row | {"level": "none-found", "scope": "", "evidence": _checked_evidence(company, fetches)}

    @staticmethod
    def _covers(s: Series, year: int) -> bool:
        first, end = _series_years(s)
        return (first is None or first <= year) and (end is None or year <= end)


def row_figures(rows: Sequence[dict[str, Any]]) -> int:
    return sum(r["figures"] for r in rows)


def _staleness(model: _Model, company: Company) -> list[Finding]:
    out: list[Finding] = []
    for s in company.series:
        if _is_mandated(s) or _has_ended(s):
            continue
        months = CADENCE_MONTHS.get(str(s.cadence))
        docs = [d for d in model.document_spans if d["company"] == company.slug and d["series"] == s.id]
        if months is None or not docs:
            continue
        newest = max(d["last_period_end"] for d in docs)
        lags = [_months_between(d["last_period_end"], d["published_on"]) for d in docs]
        lag = min([x for x in lags if x >= 0] or [DEFAULT_LAG_MONTHS])
        lag = lag if lag <= MAX_LAG_MONTHS else DEFAULT_LAG_MONTHS
        overdue = _months_between(newest, model.today) - months - lag
        if overdue > 0:
            out.append(Finding(company.slug, s.kind, model.today.year, "stale", s.id,
                               f"overdue by {overdue} months: the newest period loaded ends {newest}; the series "
                               f"is {s.cadence} and the usual lag is {lag} months (as of {model.today})"))
    return out


def _regressions(model: _Model, company: Company) -> list[Finding]:
    out: list[Finding] = []
    spans = [m for m in model.metric_spans if m["company"] == company.slug
             and not _is_mandated(model.series.get((company.slug, m["series"])))]
    for kind in KINDS:
        mine = [m for m in spans if m["kind"] == kind]
        if not mine:
            continue
        newest = max(m["last_period_end"] for m in mine)
        for m in mine:
            if m["last_period_end"] < newest:
                out.append(Finding(company.slug, kind, newest.year, "regression", m["series"],
                                   f"{m['metric']} ({m['unit']}) last published for the period ending "
                                   f"{m['last_period_end']}; absent from the newest period ending {newest}"))
    for s in company.series:
        if _has_ended(s):
            last = getattr(s, "last_period_seen", None) or "unknown"
            out.append(Finding(company.slug, s.kind, _series_years(s)[1], "regression", s.id,
                               f"series ended (registry; last period seen: {last})"))
    return out


def _downgrades(model: _Model, company: Company) -> list[Finding]:
    out: list[Finding] = []
    docs = [d for d in model.document_spans if d["company"] == company.slug]
    for kind in KINDS:
        mine = [d for d in docs if d["kind"] == kind]
        if not mine:
            continue
        newest = max(d["last_period_end"] for d in mine)
        latest = [d for d in mine if d["last_period_end"] == newest]
        older = [d for d in mine if d["last_period_end"] < newest
                 and _format_class(d["content_type"] + " " + d["url"]) == "machine-readable"]
        if older and all(_format_class(d["content_type"] + " " + d["url"]) == "pdf" for d in latest):
            was = max(older, key=lambda d: d["last_period_end"])
            out.append(Finding(company.slug, kind, newest.year, "format_downgrade", latest[0]["series"],
                               f"periods up to {was['last_period_end']} were downloadable as {was['content_type']} "
                               f"({was['series']}); the newest period ending {newest} only as PDF"))
    by_kind = defaultdict(list)
    for s in company.series:
        by_kind[s.kind].append(s)
    for kind, series in by_kind.items():
        ended = [s for s in series if _has_ended(s) and _format_class(s.format) == "machine-readable"]
        live = [s for s in series if s not in ended and _format_class(s.format) == "pdf"]
        if ended and live and not any(f.kind == kind for f in out):
            out.append(Finding(company.slug, kind, None, "format_downgrade", live[0].id,
                               f"registry: {ended[0].id} ({ended[0].format}) ended; {live[0].id} is {live[0].format}"))
    return out


def _clamp(year: int | None, years: range) -> int:
    return years[-1] if year is None else min(max(year, years[0]), years[-1])


def _rdr_disagreement(row: dict[str, Any]) -> str:
    column = RDR_KIND_COLUMN.get(row["kind"])
    score = row.get(column) if column else None
    if score is None:
        return ""
    name = "P11a" if column == "rdr_p11a" else "F6"
    if score > 0 and row["level"] == "none-found":
        return f"RDR scores {name} {score:g} but govreq found no figures or report"
    if score == 0 and row["level"] in ("per-country", "totals-only"):
        return f"RDR scores {name} 0 but govreq holds {row['level']} figures ({row['figures']})"
    return ""


def disclosure_rows(con: duckdb.DuckDBPyConnection, registry: Registry, year_range: tuple[int, int] | None = None,
                    today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per company (role company), year and kind; works on a read-only connection."""
    model = _Model(con, registry, today or dt.date.today())
    companies = [c for c in registry.companies if c.role == "company"]
    years = model.years(year_range, [c.slug for c in companies])
    rows: list[dict[str, Any]] = []
    for company in companies:
        findings = _staleness(model, company) + _regressions(model, company) + _downgrades(model, company)
        for year in years:
            for kind in KINDS:
                row = model.level(company, year, kind)
                rdr = model.rdr.get((company.slug, year), {})
                row["rdr_p11a"], row["rdr_f6"] = rdr.get("rdr_p11a"), rdr.get("rdr_f6")
                row["rdr_source"] = "; ".join(sorted(rdr.get("sources", ())))
                row["rdr_disagreement"] = _rdr_disagreement(row)
                # a finding dated outside the years shown (e.g. staleness, dated today) goes on the nearest row
                row["notes"] += [f"{f.finding}: {f.detail}" for f in findings
                                 if f.kind == kind and _clamp(f.year, years) == year]
                if row["rdr_disagreement"]:
                    row["notes"].append("rdr_disagreement: " + row["rdr_disagreement"])
                row["notes"] = "; ".join(row["notes"])
                row["findings"] = [f for f in findings if f.kind == kind]
                rows.append(row)
    return rows


def findings_of(rows: Sequence[dict[str, Any]]) -> list[Finding]:
    seen: dict[Finding, None] = {}
    for r in rows:
        seen.update(dict.fromkeys(r["findings"]))
        if r["rdr_disagreement"]:
            seen[Finding(r["company"], r["kind"], r["year"], "rdr_disagreement", "", r["rdr_disagreement"])] = None
    return list(seen)


def format_disclosure(rows: Sequence[dict[str, Any]], fmt: str = "table") -> str:
    """CSV (contract columns first) or a terminal table of company, year, kind, level, scope, RDR and notes."""
    if fmt == "csv":
        return render_rows(rows, CSV_COLUMNS, "csv")
    return render_rows(rows, ("company", "year", "kind", "level", "scope", "countries", "rdr_p11a", "rdr_f6",
                              "notes"), fmt, widths={"notes": 90})


def rebuild(con: duckdb.DuckDBPyConnection, registry: Registry, today: dt.date | None = None) -> int:
    """Replace the derived tables disclosure_levels, disclosure_findings, company_roles and country_figures (the
    reporting views' building block); return the number of levels."""
    rows = disclosure_rows(con, registry, today=today)
    levels = pa.Table.from_pylist([{c: r[c] for c in (*CSV_COLUMNS,)} for r in rows]) if rows else None
    findings = [f.__dict__ for f in findings_of(rows)]
    roles = [{"company": c.slug, "name": c.name, "role": c.role, "disclosure": c.disclosure}
             for c in registry.companies]
    con.begin()
    try:
        for table, data in (("disclosure_levels", levels), ("disclosure_findings", findings),
                            ("company_roles", roles)):
            con.execute(f"DELETE FROM {table}")
            if data:
                batch = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data)
                con.register("derived_batch", batch)
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM derived_batch")
                con.unregister("derived_batch")
        # the materialised building block of the reporting views (views_reporting.sql); after company_roles,
        # which it reads to leave out outside ratings and secondary compilations
        con.execute("CREATE OR REPLACE TABLE country_figures AS SELECT * FROM country_figures_live")
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return len(rows)

