"""Who discloses what: a level per company, year and kind of request, each with the evidence it rests on.

Levels (voluntary-global reports first; a report a regulator mandates for one region never lifts them):
  per-country             figures with an ISO country (pseudo-jurisdictions such as EU or INTERPOL excluded); for
                          national-security, two or more countries (a US-only FISA/NSL table is a total), and never
                          from a report the registry says counts one country's demands only (`single_country`)
  totals-only             figures, but no country breakdown
  mandated-regional-only  no voluntary figures; only a mandated regional report (e.g. the EU's DSA), with its
                          printed all-region totals when they are loaded
  policy-only             the registry lists only a policy page of that kind (an HTML series whose title names a
                          policy or guidelines, not a report), no figures
  not-loaded              the registry lists a report of that kind for the year that govreq holds no figures
                          from: a gap in govreq, not in the company's disclosure
  not-tracked             the company publishes reports, but the registry lists none of this kind: govreq has
                          not looked, so this is a gap in govreq, never evidence of silence
  not-applicable          a year before the company (or the service it reports for) began (registry `began`)
  not-checked             nothing loaded and no dated check of any kind: a statement about govreq, never silence
  none-found              nothing, resting on at least one dated check (column `checks`, kinds below)
A claim of silence (none-found, policy-only, mandated-regional-only without figures) needs a dated check that can
speak for the year (made in or after it): a live crawl of a checked page (what it returned), a copy in a recorded
mirror, an outside rating (Ranking Digital Rights' researchers' visit, or their score 0 on P11a / F6 for that
year), or the research notes. A live `govreq update` fetches the checked pages, so its fetch log upgrades the
checks by itself.
Ranking Digital Rights' scores (P11a user information, F6 content restriction) stand beside the level, never in
place of it; disagreements are listed. The SQL is in warehouse/sql/disclosure.sql.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from warehouse.restatements import render_rows
from warehouse.store import in_transaction, named_queries

KINDS = ("user-data", "content-removal", "national-security")
LEVELS = ("per-country", "totals-only", "mandated-regional-only", "policy-only", "not-loaded", "not-tracked",
          "not-applicable", "not-checked", "none-found")
SILENCE = ("none-found", "policy-only", "mandated-regional-only")  # claims about the company that need a check
CSV_COLUMNS = ("company", "year", "kind", "level", "evidence", "rdr_p11a", "rdr_f6", "scope", "notes",
               "countries", "figures", "documents", "rdr_source", "rdr_disagreement", "checks")
CHECKED_SERIES = "disclosure-check"  # the series name the crawler logs checked pages under (report_files.py)
# What each kind of check is, in words, most convincing first.
CHECK_WORDS = {"live-crawl": "live crawl", "stored-copy": "recorded mirror", "outside-rating": "outside rating",
               "research-notes": "research notes"}
CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "annual": 12, "biennial": 24}
DEFAULT_LAG_MONTHS = 6
MAX_LAG_MONTHS = 12  # a first copy made years after publication (a mirror) says nothing about the lag
MACHINE_READABLE = ("csv", "xlsx", "xls", "ods", "zip", "json", "spreadsheet", "excel")
# RDR indicator names by edition -> our column; 2019's P11 mixes government and private requests.
RDR_COLUMNS = {"P11a": "rdr_p11a", "P11": "rdr_p11a", "F06": "rdr_f6", "F6": "rdr_f6"}
RDR_KIND_COLUMN = {"user-data": "rdr_p11a", "content-removal": "rdr_f6"}
# P11a covers every government demand for user information, national-security demands included
RDR_CHECK_COLUMN = RDR_KIND_COLUMN | {"national-security": "rdr_p11a"}


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


@dataclass(frozen=True)
class Check:
    """One dated look at a place where a report would be, and what it showed."""

    kind: str  # live-crawl | stored-copy | outside-rating | research-notes
    on: dt.date
    text: str  # what was looked at and what it showed, as evidence
    words: str  # the short form for the `checks` column and the dashboard headline
    last_year: int  # the newest year the check can speak for

    def speaks_for(self, year: int) -> bool:
        return year <= self.last_year


def _place_check(c: Any) -> Check | None:
    """A registry CheckedPlace as a check; None for a place recorded but never looked at."""
    how = getattr(c, "how", None) or ("research-notes" if "research notes" in str(c.by) else "outside-rating"
                                      if "Ranking Digital Rights" in str(c.by) else "not-checked")
    if how == "not-checked" or "not yet checked" in str(c.found).lower():
        return None
    words = {"research-notes": f"research notes {c.checked_on} (not yet confirmed by a crawl)",
             "outside-rating": f"{c.by.split(',')[0].split(' per ')[0].strip()} looked {c.checked_on}",
             "live-crawl": f"live crawl {c.checked_on}", "stored-copy": f"stored copy {c.checked_on}"}[how]
    return Check(how, c.checked_on, f"{CHECK_WORDS[how]}: checked {c.url} on {c.checked_on}: "
                 f"{'found ' + str(c.found) if c.found else 'nothing found'} (by {c.by})", words, c.checked_on.year)


def _fetch_check(f: dict[str, Any]) -> Check | None:
    """A fetch of a checked page as a check. A page the recorded mirror does not hold was not looked at."""
    on = f["fetched_on"]
    if f.get("via_mirror"):
        if f["outcome"] not in ("new", "unchanged", "not_modified"):
            return None
        return Check("stored-copy", on, _fetch_evidence(f), f"recorded mirror holds the page (replayed {on})",
                     on.year)
    got = f"HTTP {f['http_status']}" if f["http_status"] else f["outcome"]
    return Check("live-crawl", on, "live crawl: " + _fetch_evidence(f), f"live crawl {on} ({got})", on.year)


def _rdr_check(score: dict[str, Any], indicator_column: str, year: int) -> Check | None:
    if score.get(indicator_column) != 0:
        return None
    name = "P11a" if indicator_column == "rdr_p11a" else "F6"
    edition = score.get("editions", {}).get(indicator_column, "")
    on = score.get("window_end", {}).get(indicator_column) or dt.date(year, 12, 31)
    return Check("outside-rating", on, f"outside rating: Ranking Digital Rights {edition} scored {name} 0 for the "
                 f"research window covering {year}", f"Ranking Digital Rights {edition} scored {name} 0", year)


def checks_in_words(checks: Sequence[Check]) -> str:
    """The short evidence line: each kind of check once, newest first."""
    order = list(CHECK_WORDS)
    seen: dict[str, None] = {}
    for c in sorted(checks, key=lambda c: (order.index(c.kind), -c.on.toordinal())):
        seen.setdefault(c.words)
    return "; ".join(seen)


class _Model:
    """Everything the warehouse says about disclosure, fetched once, then asked per company, year and kind."""

    def __init__(self, con: duckdb.DuckDBPyConnection, registry: Registry, today: dt.date,
                 materialised: bool = False) -> None:
        q = named_queries("disclosure.sql")
        self.registry, self.today = registry, today
        # What comes from the facts alone is kept in tables by an update (`materialised`), recomputed only when
        # the facts or documents changed (0.7 s of a no-op update); the dated checks (fetches) are read each time.
        fingerprint = inputs_fingerprint(con) if materialised else None

        def facts_rows(name: str) -> list[dict[str, Any]]:
            if fingerprint is None:
                return _rows(con, q[name])
            materialise(con, f"disclosure_input_{name}", q[name], fingerprint)
            return _rows(con, f"SELECT * FROM disclosure_input_{name}")

        self.coverage = defaultdict(list)
        for r in facts_rows("coverage"):
            self.coverage[(r["company"], r["kind"], r["year"])].append(r)
        self.metric_spans = facts_rows("metric_spans")
        self.document_spans = facts_rows("document_spans")
        self.fetches = defaultdict(list)
        for r in _rows(con, q["fetches"]):
            self.fetches[r["company"]].append(r)
        self.rdr = self._rdr_scores(_rows(con, q["rdr_scores"]))
        self.mandated_totals: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in facts_rows("printed_region_totals"):
            self.mandated_totals[(r["company"], r["series"], r["kind"])].append(r)
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
                column = RDR_COLUMNS[r["indicator"]]
                entry[column] = r["value"]
                entry.setdefault("editions", {})[column] = edition
                entry.setdefault("window_end", {})[column] = r["period_end"]
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

    def checks(self, company: Company, year: int, kind: str) -> list[Check]:
        """Every dated check that can speak for this company, year and kind."""
        found = [c for c in (_place_check(p) for p in getattr(company, "checked", ()) or ()) if c]
        found += [c for c in (_fetch_check(f) for f in self.fetches.get(company.slug, [])
                              if f["series"] == CHECKED_SERIES) if c]
        column = RDR_CHECK_COLUMN.get(kind)
        if column and (rated := _rdr_check(self.rdr.get((company.slug, year), {}), column, year)):
            found.append(rated)
        return [c for c in found if c.speaks_for(year)]

    def _unchecked(self, company: Company) -> str:
        places = [f"{p.url} (recorded {p.checked_on}: {p.found}; {p.by})" for p in getattr(company, "checked", ())
                  or () if _place_check(p) is None]
        missing = [f"{f['url']} (not in the recorded mirror replayed {f['fetched_on']})"
                   for f in self.fetches.get(company.slug, [])
                   if f["series"] == CHECKED_SERIES and f.get("via_mirror") and _fetch_check(f) is None]
        return ("no dated check can speak for this year"
                + (": places recorded but not looked at: " + "; ".join(places) if places else "")
                + ("; " + "; ".join(missing) if missing else "")
                + ("" if places or missing else ": no checked place in the registry or the fetch log"))

    def _claim(self, row: dict[str, Any], company: Company, level: str, evidence: str) -> dict[str, Any]:
        """A level that says the company published nothing (of a kind): kept only if a dated check backs it."""
        checks = self.checks(company, row["year"], row["kind"])
        if not checks:
            return row | {"level": "not-checked", "scope": "", "checks": "",
                          "evidence": self._unchecked(company) + (f"; {evidence}" if evidence else ""),
                          "notes": row["notes"] + [f"would be {level}, but nothing has been checked for this year"]}
        texts = "; ".join(c.text for c in checks)
        return row | {"level": level, "checks": checks_in_words(checks),
                      "evidence": (f"{evidence}; " if evidence else "") + texts}

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
                               "documents": "", "notes": notes, "checks": ""}
        used = voluntary or mandated
        if used:
            per_country = sum(r["country_figures"] for r in used) > 0
            # US national-security figures (FISA, NSLs) exist for one country by law: a US-only table is that
            # country's total, not a breakdown by requesting country.
            if kind == "national-security" and per_country and max(r["countries"] for r in used) == 1:
                per_country = False
                notes.append("national-security figures for one country only (US law), not a breakdown by country")
            # A report the registry says counts only one country's demands (a US telecom's domestic report) is
            # that country's total, whatever country code its figures carry.
            national = {getattr(self.series.get((company.slug, r["series"])), "single_country", None) for r in used}
            if per_country and None not in national:
                per_country = False
                notes.append(f"the report counts only demands from {', '.join(sorted(national))}: that country's "
                             "total, not a breakdown by requesting country")
            level = ("per-country" if per_country else "totals-only") if voluntary else "mandated-regional-only"
            cells = [c for r in used for c in (r["country_examples"] if per_country else r["examples"])][:3]
            docs = sorted({d for r in used for d in r["documents"]})
            evidence = (f"{row_figures(used)} figures in {len(docs)} document(s); e.g. "
                        + "; ".join(_cite(c) for c in cells))
            if not voluntary:
                notes.append("the mandated report has " + ("per-country figures" if per_country else "totals only"))
                evidence = self._mandated_figures(company, kind, year) + "; " + evidence
            row.update(level=level, scope="voluntary-global" if voluntary else "mandated-regional",
                       countries=max(r["countries"] for r in used), figures=sum(r["figures"] for r in used),
                       documents=" ".join(docs), evidence=evidence)
            if not voluntary:  # the figures are the evidence of the regional report; the checks, of the silence
                row["checks"] = checks_in_words(self.checks(company, year, kind)) or "no dated check of "\
                    "a voluntary report"
            return row
        began = getattr(company, "began", None)
        if began is not None and year < began:
            return row | {"level": "not-applicable", "scope": "",
                          "evidence": f"{company.name} began in {began} ({getattr(company, 'began_source', '')})"}
        listed = [s for s in company.series if not _is_mandated(s) and self._covers(s, year)
                  and (s.kind == kind or (company.slug, s.id, kind) in self.series_kinds)]
        policy = [s for s in listed if _is_policy(s)]
        if reports := [s for s in listed if s not in policy]:
            # a voluntary report govreq has not read is a gap in govreq, whatever a regulator also mandates
            return row | {"level": "not-loaded", "scope": "voluntary-global",
                          "evidence": "registry lists " + ", ".join(_where(s) for s in reports)
                          + f" for {year}, but no figures of this kind are loaded from it"}
        if mandated_series:
            if undated := [s.id for s in mandated_series if _series_years(s)[0] is None]:
                notes.append(f"the registry gives no first period for {', '.join(undated)}: the years it covers "
                             "are not known")
            return self._claim(row | {"scope": "mandated-regional"}, company, "mandated-regional-only",
                               "registry: " + ", ".join(_where(s) for s in mandated_series) + " (no figures loaded)")
        if policy:
            return self._claim(row | {"scope": "voluntary-global"}, company, "policy-only",
                               "registry: " + ", ".join(_where(s) for s in policy))
        if company.disclosure == "publishes" and not any(
            s.kind == kind or (company.slug, s.id, kind) in self.series_kinds for s in company.series
        ):
            return row | {"level": "not-tracked", "scope": "",
                          "evidence": f"the registry lists no {kind} report series for {company.slug}; "
                          "govreq has not looked for one"}
        since = [f"{s.id} from {s.first_period}" for s in company.series if getattr(s, "first_period", None)]
        if since:
            notes.append("registry series start: " + ", ".join(since))
        return self._claim(row | {"scope": ""}, company, "none-found", "")

    def _mandated_figures(self, company: Company, kind: str, year: int) -> str:
        """The all-region totals a mandated report printed, per period: "EU only, under the DSA: 547 orders to
        act, 656 orders to provide information, H1 2026". Printed totals only; a series that printed none says so
        (its country figures are not added up here)."""
        out = []
        for s in company.series:
            if not (_is_mandated(s) and (company.slug, s.id, kind) in self.series_kinds):
                continue
            cells = [t for t in self.mandated_totals.get((company.slug, s.id, kind), [])
                     if t["period_start"].year <= year <= t["period_end"].year]
            region = getattr(s, "region", None) or "one region"
            law = ", under the DSA" if re.search(r"Digital Services Act|\bDSA\b", f"{s.title} {s.id}", re.I) else ""
            if not cells:
                out.append(f"{region} only{law} ({s.id}): no all-{region} total printed; per-country figures only")
                continue
            by_period: dict[tuple[dt.date, dt.date], list[str]] = defaultdict(list)
            for t in cells:
                by_period[(t["period_start"], t["period_end"])].append(f"{_shown(t)} {t['label']}")
            out += [f"{region} only{law}: " + ", ".join(parts) + f", {_period_words(*p)}"
                    for p, parts in sorted(by_period.items())]
        return "; ".join(out) or "mandated regional figures"

    @staticmethod
    def _covers(s: Series, year: int) -> bool:
        first, end = _series_years(s)
        return (first is None or first <= year) and (end is None or year <= end)


def _shown(t: dict[str, Any]) -> str:
    low, high = t["value_low"], t["value_high"]
    fmt = (lambda v: f"{v:,.0f}" if v == int(v) else f"{v:,}")  # noqa: E731
    if low is not None and low == high:
        return fmt(low)
    return f"{fmt(low) if low is not None else '?'}-{fmt(high) if high is not None else '?'}"


def _period_words(start: dt.date, end: dt.date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    if start.day == 1 and start.year == end.year and (start.month, end.month) in ((1, 6), (7, 12)):
        return f"H{1 if start.month == 1 else 2} {start.year}"
    return f"{start} to {end}"


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
    if score > 0 and row["level"] in ("none-found", "not-checked"):
        return f"RDR scores {name} {score:g} but govreq found no figures or report"
    if score == 0 and row["level"] in ("per-country", "totals-only"):
        return f"RDR scores {name} 0 but govreq holds {row['level']} figures ({row['figures']})"
    return ""


def disclosure_rows(con: duckdb.DuckDBPyConnection, registry: Registry, year_range: tuple[int, int] | None = None,
                    today: dt.date | None = None, materialised: bool = False) -> list[dict[str, Any]]:
    """One row per company (role company), year and kind; works on a read-only connection (`materialised`, for
    the update's writable one, keeps the model's inputs from the facts in tables between updates)."""
    model = _Model(con, registry, today or dt.date.today(), materialised)
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


def short_evidence(row: dict[str, Any]) -> str:
    """One line a reporter can read in a terminal: what the level rests on."""
    level = row["level"]
    if level in ("per-country", "totals-only") or (level == "mandated-regional-only" and row["figures"]):
        docs = len(str(row["documents"]).split())
        return (f"{row['figures']} figures in {docs} document(s)"
                + (f"; {row['countries']} countries" if row["countries"] else "")
                + (f"; voluntary report: {row['checks']}" if level == "mandated-regional-only" else ""))
    if level in SILENCE:
        return "checked: " + row["checks"]
    first = str(row["evidence"]).split("; ")[0]
    return first if len(first) <= 120 else first[:117] + "..."


def select_rows(rows: Sequence[dict[str, Any]], *, company: Sequence[str] = (), year: Sequence[int] = (),
                kind: Sequence[str] = (), level: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The rows matching every filter given (each a set of allowed values; empty = all)."""
    return [r for r in rows if (not company or r["company"] in company) and (not year or r["year"] in year)
            and (not kind or r["kind"] in kind) and (not level or r["level"] in level)]


def format_disclosure(rows: Sequence[dict[str, Any]], fmt: str = "table") -> str:
    """CSV (contract columns first) or a terminal table of company, year, kind, level, the short evidence line,
    RDR and notes."""
    if fmt == "csv":
        return render_rows(rows, CSV_COLUMNS, "csv")
    shown = [r | {"evidence_line": short_evidence(r)} for r in rows]
    return render_rows(shown, ("company", "year", "kind", "level", "evidence_line", "rdr_p11a", "rdr_f6",
                               "notes"), fmt, widths={"evidence_line": 70, "notes": 60})


def inputs_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The fingerprint of everything the facts-derived tables are computed from (country_figures_inputs.sql)."""
    q = named_queries("country_figures_inputs.sql")
    con.execute(q["create"])
    return str(con.execute(q["fingerprint"]).fetchall()[0][0])


def materialise(con: duckdb.DuckDBPyConnection, table: str, select_sql: str, fingerprint: str | None = None) -> bool:
    """(Re)create `table` from `select_sql` unless its inputs and the query's text are what they were at its last
    materialisation; return whether it was rebuilt."""
    q = named_queries("country_figures_inputs.sql")
    key = (fingerprint or inputs_fingerprint(con)) + "/" + hashlib.sha256(select_sql.encode()).hexdigest()[:16]
    exists = con.execute(q["exists"], {"name": table}).fetchall()
    if exists == [(1,)] and con.execute(q["stored"], {"name": table}).fetchall() == [(key,)]:
        return False
    con.execute(f"CREATE OR REPLACE TABLE {table} AS {select_sql}")
    con.execute(q["store"], {"name": table, "fingerprint": key})
    return True


def refresh_country_figures(con: duckdb.DuckDBPyConnection) -> bool:
    """Re-materialise country_figures from country_figures_live, unless its inputs (current figures, documents,
    roles, view definitions: country_figures_inputs.sql) are what they were at the last materialisation; return
    whether it was rebuilt. Most of a no-op update's time was this (3 s of CPU on the corpus)."""
    return materialise(con, "country_figures", "SELECT * FROM country_figures_live")


def _replace(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table | list[dict[str, Any]] | None) -> None:
    con.execute(f"DELETE FROM {table}")
    if data:
        batch = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data)
        con.register("derived_batch", batch)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM derived_batch")
        con.unregister("derived_batch")


def rebuild(con: duckdb.DuckDBPyConnection, registry: Registry, today: dt.date | None = None) -> int:
    """Replace the derived tables disclosure_levels, disclosure_findings, company_roles and country_figures (the
    reporting views' building block); return the number of levels.

    The levels are recomputed every time (a re-fetched checked page is a newer dated check, and staleness is
    counted to `today`: 0.5 s on the corpus); country_figures only when its inputs changed."""
    roles = [{"company": c.slug, "name": c.name, "role": c.role, "disclosure": c.disclosure}
             for c in registry.companies]
    # the roles first: the facts-derived inputs' fingerprint (country_figures_inputs.sql) includes them, so
    # written after the inputs were materialised, they made the next update materialise them all again (0.3 s)
    in_transaction(con, lambda: _replace(con, "company_roles", roles))
    rows = disclosure_rows(con, registry, today=today, materialised=True)
    levels = pa.Table.from_pylist([{c: r[c] for c in (*CSV_COLUMNS,)} for r in rows]) if rows else None
    findings = [f.__dict__ for f in findings_of(rows)]

    def write() -> None:
        _replace(con, "disclosure_levels", levels)
        _replace(con, "disclosure_findings", findings)
        # the materialised building block of the reporting views (views_reporting.sql); after company_roles,
        # which it reads to leave out outside ratings and secondary compilations
        refresh_country_figures(con)

    in_transaction(con, write)
    return len(rows)

