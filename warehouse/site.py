"""Builds the static dashboard (`govreq site --out DIR`): plain HTML pages, charts drawn offline by a bundled Vega.

Pages: the disclosure headline (index.html), requests over time, one page per requesting country, compliance
rates, the restatement ledger, and one page per company. Every chart comes with its takeaway, unit, sources,
a citation line, PNG/SVG/CSV downloads and a data table. Every string from a scraped document is escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import vl_convert

from warehouse.charts import (
    compliance_rates,
    country_grid,
    coverage_timeline,
    disclosure_matrix,
    requests_over_time,
    restatement_counts,
)

SQL_DIR = Path(__file__).resolve().parent / "sql"
TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP_COUNTRIES = 20
PNG_SCALE = 1.5  # sharp enough for print at column width; 2 made the largest grids 11 MB each
KIND_LABELS = {
    "user-data": "requests for user data",
    "content-removal": "requests to remove content",
    "national-security": "national-security requests",
    "other": "other requests",
}
NAV = [
    ("index.html", "Who discloses nothing"),
    ("requests.html", "Requests over time"),
    ("countries/index.html", "By requesting country"),
    ("compliance.html", "Compliance rates"),
    ("restatements.html", "Restatements"),
    ("companies/index.html", "Companies"),
]

Row = dict[str, Any]


def e(value: object) -> str:
    """HTML-escape anything (quotes included): every label on the site may come from a scraped document."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: object) -> str:
    """JSON safe inside <script>: '<', '>' and '&' become \\u escapes so no label can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def link(url: str, text: str | None = None) -> str:
    """A link to a publisher's URL; anything that is not http(s) is shown as text, never as a link."""
    if urlparse(url).scheme in ("http", "https"):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(text or url)}</a>'
    return e(text or url)


def file_stem(text: str) -> str:
    """A file name for a slug or code: readable, and suffixed with a hash when anything had to be replaced."""
    stem = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"
    if stem != text.lower():
        stem += "-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return stem


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 company', '3 companies'; with a phrase: '1 figure is a range', '2 figures are ranges'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def fmt_range(low: float | None, high: float | None) -> str:
    """An exact figure as one number, a range as low–high: never a midpoint."""
    if low is None and high is None:
        return ""
    if low == high:
        return fmt_number(low)
    return f"{fmt_number(low)}–{fmt_number(high)}"


def period_label(start: str, end: str) -> str:
    """'2019 H1', '2019 H2', '2019', else the dates as printed in ISO form."""
    year = start[:4]
    if start[:4] == end[:4]:
        if start[5:] == "01-01" and end[5:] == "06-30":
            return f"{year} H1"
        if start[5:] == "07-01" and end[5:] == "12-31":
            return f"{year} H2"
        if start[5:] == "01-01" and end[5:] == "12-31":
            return year
    return f"{start} to {end}"


# ----------------------------------------------------------------------------------------------------------------
# Reading the warehouse


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[Row]:
    """Run warehouse/sql/<name>.sql and return its rows as dicts (JSON-ready: the SQL formats dates)."""
    cursor = con.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    tables = con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()
    views = con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = ?", [name]).fetchall()
    return bool(tables or views)


def optional_query(con: duckdb.DuckDBPyConnection, relation: str, name: str, *,
                   allow_empty: bool = False) -> tuple[list[Row] | None, str]:
    """Rows of a query over a relation another module builds; (None, why) when it is not there (or empty) yet."""
    if not relation_exists(con, relation):
        return None, f"the warehouse has no `{relation}` yet"
    try:
        rows = query(con, name)
    except duckdb.Error as error:  # built, but not in the shape this page reads: say so rather than crash
        return None, f"`{relation}` could not be read ({str(error).splitlines()[0]})"
    if not rows and not allow_empty:
        return None, f"`{relation}` is empty: `govreq update` has not built it yet"
    return rows, ""


@dataclass
class Company:
    slug: str
    name: str
    role: str = ""
    disclosure: str = ""
    series: list[Any] = field(default_factory=list)
    checked: list[Any] = field(default_factory=list)
    secondary: bool = False

    @property
    def page(self) -> str:
        return f"companies/{file_stem(self.slug)}.html"


@dataclass
class Site:
    """What every page needs: the connection, the output folder, the companies and the dataset's identity."""

    con: duckdb.DuckDBPyConnection
    out: Path
    companies: dict[str, Company]
    version: str
    built_on: str
    top_countries: int = TOP_COUNTRIES
    # PNG/SVG rendering runs beside the page building (vl-convert releases the GIL while it draws)
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=os.cpu_count() or 2))
    pending: list[Future[None]] = field(default_factory=list)

    def company(self, slug: str) -> Company:
        if slug not in self.companies:
            self.companies[slug] = Company(slug=slug, name=slug)
        return self.companies[slug]

    def name(self, slug: str) -> str:
        return self.company(slug).name


def _load_registry() -> Any | None:
    try:
        from crawlers.registry import load_registry
    except ImportError:
        return None
    return load_registry()  # a broken registry is an error to fix, not something to draw around


def _companies(con: duckdb.DuckDBPyConnection, registry: Any | None) -> dict[str, Company]:
    companies: dict[str, Company] = {}
    for c in getattr(registry, "companies", None) or []:
        companies[c.slug] = Company(
            slug=c.slug, name=getattr(c, "name", None) or c.slug, role=getattr(c, "role", "") or "",
            disclosure=str(getattr(c, "disclosure", "") or ""), series=list(getattr(c, "series", None) or []),
            checked=list(getattr(c, "checked", None) or []),
            # outside ratings and secondary compilations are not companies reporting their own requests
            secondary=(getattr(c, "role", "") or "company") != "company",
        )
    for (slug,) in con.execute("SELECT DISTINCT company FROM documents ORDER BY 1").fetchall():
        companies.setdefault(slug, Company(slug=slug, name=slug))
    secondary = con.execute(
        "SELECT DISTINCT company FROM facts WHERE json_extract_string(extra, '$.secondary') = 'true'"
    ).fetchall()
    for (slug,) in secondary:
        companies[slug].secondary = True
    if relation_exists(con, "company_roles"):  # outside ratings and secondary compilations are not companies
        for r in query(con, "site_company_roles"):
            company = companies.setdefault(r["company"], Company(slug=r["company"], name=r["name"] or r["company"]))
            company.role = company.role or r["role"]
            company.secondary = company.secondary or r["role"] != "company"
    return companies


def _dataset_version(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    row = query(con, "site_dataset_version")[0]
    digest = hashlib.sha256("\n".join(row["current_documents"] or []).encode()).hexdigest()[:12]
    return f"govreq-{digest}", row["last_update"] or "unknown"


# ----------------------------------------------------------------------------------------------------------------
# Writing pages and charts


@dataclass
class ChartBlock:
    """One chart as published: the chart, what it says, what it counts, and exactly the rows drawn."""

    slug: str
    title: str
    takeaway: str
    unit: str
    build: Callable[..., Any]
    rows: list[Row]
    table: list[tuple[str, str]]  # (row key, column header) for the data table under the chart
    sources: list[str]
    source_note: str = ""  # where the figures come from when they are not the companies' files


def _write_csv(path: Path, rows: list[Row]) -> None:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _sources_html(urls: list[str]) -> str:
    urls = sorted(set(u for u in urls if u))
    if not urls:
        return "no source files"
    links = ", ".join(link(u) for u in urls[:3])
    if len(urls) <= 3:
        return links
    rest = "".join(f"<li>{link(u)}</li>" for u in urls[3:])
    return f"{links} <details><summary>and {len(urls) - 3} more files</summary><ul>{rest}</ul></details>"


def _write_images(spec: dict[str, Any], stem: Path) -> None:
    """The SVG drawn once by Vega (in vl-convert), and the PNG rasterised from that same SVG."""
    svg = vl_convert.vegalite_to_svg(spec)
    stem.with_suffix(".svg").write_text(svg, encoding="utf-8")
    stem.with_suffix(".png").write_bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE))


def render_chart(site: Site, block: ChartBlock, page_dir: Path, page_path: str) -> str:
    """Write the chart's PNG, SVG and CSV next to its page and return its HTML section."""
    page_dir.mkdir(parents=True, exist_ok=True)
    # tests/test_charts.py validates every chart module against the schema; skipping it here halves the build
    spec = block.build(block.rows, title=block.title, description=block.takeaway).to_dict(validate=False)
    site.pending.append(site.pool.submit(_write_images, spec, page_dir / block.slug))
    _write_csv(page_dir / f"{block.slug}.csv", block.rows)
    urls = sorted(set(u for u in block.sources if u))
    cite_urls = "; ".join(urls[:3]) if urls else block.source_note + (f"; and {len(urls) - 3} more files listed under Source" if len(urls) > 3 else "")
    head = "".join(f"<th scope='col'>{e(h)}</th>" for _, h in block.table)
    body = "".join(
        "<tr>" + "".join(
            f"<td class='num'>{e(fmt_number(r.get(k)))}</td>" if isinstance(r.get(k), int | float)
            and not isinstance(r.get(k), bool) else f"<td>{e(r.get(k))}</td>"
            for k, _ in block.table
        ) + "</tr>"
        for r in block.rows
    )
    return f"""
<section class="chart" id="{e(block.slug)}" aria-labelledby="{e(block.slug)}-title">
<h2 id="{e(block.slug)}-title">{e(block.title)}</h2>
<p class="takeaway">{e(block.takeaway)}</p>
<p class="meta">Unit: {e(block.unit)}.</p>
<div class="vis" data-chart="{e(block.slug)}" role="img" aria-label="{e(block.title)}. {e(block.takeaway)}"></div>
<script type="application/json" id="{e(block.slug)}-spec">{script_json(spec)}</script>
<noscript><img src="{e(block.slug)}.png" alt="{e(block.title)}. {e(block.takeaway)}" width="700"></noscript>
<p class="source">Source: {e(block.source_note) if block.source_note else ""}{"; " if block.source_note and
    block.sources else ""}{"the companies' own published files: " + _sources_html(block.sources) if block.sources
    or not block.source_note else ""}</p>
<p class="cite">How to cite: govreq dataset {e(site.version)} (warehouse updated {e(site.built_on)}),
&ldquo;{e(block.title)}&rdquo;, {e(page_path)}; original sources: {e(cite_urls or 'none')}.</p>
<p class="downloads">Download this chart: <a href="{e(block.slug)}.png" download>PNG</a> ·
<a href="{e(block.slug)}.svg" download>SVG</a> · <a href="{e(block.slug)}.csv" download>the data drawn (CSV)</a></p>
<details><summary>The numbers drawn above, as a table ({len(block.rows)} rows)</summary>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>
</section>"""


def write_page(site: Site, path: str, title: str, body: str, *, charts: bool = False) -> Path:
    """Write one page at out/<path> from templates/page.html; links are relative so file:// works."""
    depth = path.count("/")
    root = "../" * depth
    nav = "".join(
        f'<a href="{root}{href}"{" aria-current=page" if href == path else ""}>{e(label)}</a>' for href, label in NAV
    )
    scripts = (
        f'<script src="{root}assets/vega-bundle.js"></script>\n<script src="{root}assets/site.js"></script>'
        if charts else f'<script src="{root}assets/site.js"></script>'
    )
    footer = (
        f"govreq dataset {e(site.version)} · warehouse updated {e(site.built_on)} · "
        "figures exactly as each company published them: a band stays a band, a blank is not a zero. "
        f'<a href="{root}companies/index.html">Every source file</a>.'
    )
    page = string.Template((TEMPLATES / "page.html").read_text(encoding="utf-8")).substitute(
        title=e(title), root=root, nav=nav, body=body, footer=footer, scripts=scripts,
    )
    target = site.out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def not_available(what: str, why: str) -> str:
    return f'<p class="notice"><strong>{e(what)}: not available yet.</strong> ({e(why)}.)</p>'


def html_table(rows: Iterable[Iterable[str]], headers: list[str]) -> str:
    """A table whose cells are already-escaped HTML."""
    head = "".join(f"<th scope='col'>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ----------------------------------------------------------------------------------------------------------------
# The pages


def year_ranges(years: Iterable[int]) -> str:
    """2009, 2010, 2011, 2013 -> '2009-2011, 2013': a list a reader can take in at a glance."""
    out: list[str] = []
    for y in sorted(set(years)):
        if out and out[-1].split("\u2013")[-1] == str(y - 1):
            out[-1] = out[-1].split("\u2013")[0] + f"\u2013{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


UNREAD_LEVELS = ("not-loaded", "not-tracked", "not-checked", "not-applicable")  # gaps in govreq, never silence


def _checked_silence(r: Row) -> bool:
    """A level claiming the company published nothing voluntarily, backed by at least one dated check."""
    return r["level"] in ("none-found", "mandated-regional-only") and bool(r.get("checks")) \
        and not str(r.get("checks")).startswith("no dated check")


def _grade_words(mine: list[Row]) -> str:
    """Every kind of check behind a company's silence, once each: research notes and crawls as the disclosure
    model words them, Ranking Digital Rights' visits and zero scores merged per edition."""
    seen: dict[str, None] = {}
    for r in sorted(mine, key=lambda r: -r["year"]):
        if _checked_silence(r):
            seen.update(dict.fromkeys(p for p in str(r["checks"]).split("; ") if p))
    visits: dict[str, set[str]] = defaultdict(set)
    zeros: dict[str, set[str]] = defaultdict(set)
    others = []
    for piece in seen:
        if m := re.fullmatch(r"(Ranking Digital Rights \d{4}) researchers looked (\S+)", piece):
            visits[m.group(1)].add(m.group(2))
        elif m := re.fullmatch(r"(Ranking Digital Rights \d{4}) scored (\S+) 0", piece):
            zeros[m.group(1)].add(m.group(2))
        else:
            others.append(piece)
    rdr = []
    for who in sorted(set(visits) | set(zeros), reverse=True):
        said = f"{who} researchers looked {', '.join(sorted(visits[who]))}" if who in visits else who
        if who in zeros:
            said += (", scoring" if who in visits else " scored") + f" 0 ({', '.join(sorted(zeros[who]))})"
        rdr.append(said)
    return "; ".join(others + rdr)


def _silent_companies(site: Site, rows: list[Row]) -> str:
    """The headline box: companies with no voluntary figures in any year assessed whose silence rests on at least
    one dated check, each with the kinds of check in words (research notes, an outside rating, a crawl).

    Only `none-found` and `mandated-regional-only` are silence; `not-loaded`, `not-tracked`, `not-checked` and
    `not-applicable` are gaps in govreq (or years before the company began) and are named as such.
    """
    by_company: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_company[r["company"]].append(r)
    silent: list[tuple[str, list[Row]]] = []
    for slug, mine in by_company.items():
        assessed = [r for r in mine if r["level"] != "not-applicable"]
        if (assessed and all(r["level"] in ("none-found", "mandated-regional-only", "not-checked") for r in assessed)
                and any(_checked_silence(r) for r in assessed)):
            silent.append((slug, mine))
    if not silent:
        return ('<p class="notice">No company in the warehouse has a dated check showing that it published '
                "nothing about government requests.</p>")
    items = []
    for slug, mine in sorted(silent, key=lambda t: site.name(t[0]).casefold()):
        company = site.company(slug)
        user_data = [r for r in mine if r["kind"] == "user-data"]
        nothing = [r["year"] for r in user_data if r["level"] == "none-found" and _checked_silence(r)]
        unchecked = [r["year"] for r in user_data if r["level"] == "not-checked"]
        regional = sorted({r["year"] for r in mine if r["level"] == "mandated-regional-only"})
        what = (f"no report on government requests found for {year_ranges(nothing)}" if nothing
                else "no voluntary report found")
        if regional:
            what += f"; only an EU-mandated report ({year_ranges(regional)})"
        what += f". Checked: {_grade_words(mine)}"
        if unchecked:
            what += f". Not checked for {year_ranges(unchecked)}: unknown, not silent"
        items.append(f'<li><strong><a href="{e(company.page)}#disclosure">{e(company.name)}</a></strong> '
                     f"&mdash; {e(what)}</li>")
    return ('<div class="alarm" role="region" aria-label="Companies that disclose nothing">'
            f"<h2>{len(silent)} compan{'y' if len(silent) == 1 else 'ies'}: no voluntary report on government "
            "demands found where we checked</h2><ul>" + "".join(items) +
            "</ul><p>A company is listed only when at least one dated check backs its silence, and each check is "
            "named by its kind: a live crawl of the page, a recorded copy, an outside rating (Ranking Digital "
            "Rights' researchers), or research notes not yet confirmed by a crawl. Years nobody has checked are "
            "said to be unchecked, never silent; years before a company began are left out. Companies whose "
            "reports govreq has not read yet are not in this list.</p></div>")


def page_index(site: Site) -> Path:
    rows, why = optional_query(site.con, "disclosure_levels", "site_disclosure")
    parts = [
        "<h1>Who tells the public what governments ask of them?</h1>",
        '<p class="lede">Each row is a company, each column a year. The colour says how much the company '
        "published about government requests that year: from nothing at all to figures for every country. "
        "Companies that disclose nothing come first. Click a cell for the evidence.</p>",
    ]
    if rows is None:
        parts.append(not_available("Disclosure levels", why))
        return write_page(site, "index.html", "Who discloses nothing", "\n".join(parts))
    parts.append(_silent_companies(site, rows))
    for kind in sorted({r["kind"] for r in rows}, key=lambda k: list(KIND_LABELS).index(k)
                       if k in KIND_LABELS else 99):
        drawn = [
            {
                "company_name": site.name(r["company"]),
                "year": r["year"],
                "level": r["level"],
                "level_label": disclosure_matrix.level_label(r["level"]),
                "level_short": disclosure_matrix.LEVEL_SHORT.get(r["level"], r["level"]),
                "href": f"{site.company(r['company']).page}#disclosure-{r['year']}-{file_stem(kind)}",
                "evidence": r["evidence"][:200],
            }
            for r in rows if r["kind"] == kind
        ]
        names = {d["company_name"] for d in drawn}
        none_count = len({d["company_name"] for d in drawn if d["level"] == "none-found"})
        latest = max(d["year"] for d in drawn)
        in_latest = [d for d in drawn if d["year"] == latest]
        full = sum(1 for d in in_latest if d["level"] == "per-country")
        # a report govreq has not read (or a company nobody checked) is no finding about that year
        assessed = [d for d in in_latest if d["level"] not in UNREAD_LEVELS]
        unread = sum(1 for d in in_latest if d["level"] in ("not-loaded", "not-tracked", "not-checked"))
        label = KIND_LABELS.get(kind, kind)
        block = ChartBlock(
            slug=f"disclosure-{file_stem(kind)}",
            title=f"How much each company disclosed about {label}, by year",
            takeaway=f"{plural(none_count, 'company', 'companies')} of {len(names)} published nothing we could "
                     f"find about {label} in at least one checked year. In {latest}, {full} of the "
                     f"{len(assessed)} companies govreq could assess published figures for each country; the "
                     f"other {unread} are gaps in govreq (a report not read yet, a kind not tracked, or nobody "
                     "has checked), which say nothing about those companies.",
            unit=disclosure_matrix.UNIT, build=disclosure_matrix.chart, rows=drawn,
            table=[("company_name", "Company"), ("year", "Year"), ("level_label", "Disclosure level"),
                   ("evidence", "Evidence")],
            sources=[],
            source_note="govreq's assessment of each company's publications (table disclosure_levels); the "
                        "evidence and the places checked are on each company's page",
        )
        parts.append(render_chart(site, block, site.out, "index.html"))
    parts.append(
        "<h2>How to read this site</h2><ul>"
        "<li>Every number is what a company printed. A range (&ldquo;0&ndash;499&rdquo;, &ldquo;&lt;10&rdquo;) is "
        "drawn as a bar from its low to its high end, never as a single point.</li>"
        "<li>A blank in a report is not a zero: it is shown as blank or &ldquo;not listed&rdquo;.</li>"
        "<li>Requests, accounts and items are different things and are never added together.</li>"
        "<li>Under every chart: where the numbers come from, how to cite them, and the numbers themselves.</li>"
        "</ul>"
    )
    return write_page(site, "index.html", "Who discloses nothing", "\n".join(parts), charts=True)


def _request_rows(site: Site) -> list[Row]:
    rows = []
    for r in query(site.con, "site_request_totals"):
        if site.company(r["company"]).secondary:
            continue
        rows.append({**r, "company_name": site.name(r["company"]),
                     "shown": fmt_range(r["value_low"], r["value_high"])})
    return rows


MAX_LINES = 8  # more request types than this in one panel cannot be told apart by colour


SUM_OF_TYPES = "sum of request types"


def _one_figure(group: list[Row]) -> Row | None:
    """One company's lines of one series and period reduced to one figure: the printed "all requests" (or
    total) line if there is exactly one, else the sum of the lines (each counts toward the company's totals:
    the SQL leaves out rows a report excludes, e.g. Google's preservation requests). Lows and highs are summed
    separately, so a range stays a range; printed worldwide lines are preferred to sums of countries."""
    printed = [r for r in group if r["basis"] != "sum of countries"]
    lines = printed or group
    if len({r.get("source_table") for r in lines}) > 1:
        return None  # lines from two tables of one release (two breakdowns, or unlike requests): never added
    if len(lines) == 1:
        return {**lines[0], "line": lines[0]["series"]}
    alls = [r for r in lines if r["choice"] == "all requests line"]
    if len(alls) == 1:
        return {**alls[0], "line": alls[0]["series"]}
    first = lines[0]
    suppressed = any(r["value_low"] != r["value_high"] for r in lines)
    return {
        **first, "line": first["series"],
        "value_low": sum(r["value_low"] for r in lines), "value_high": sum(r["value_high"] for r in lines),
        "status": "range" if suppressed else "reported",
        "basis": SUM_OF_TYPES + (" (each a sum of countries)" if lines[0]["basis"] == "sum of countries" else ""),
        "raw_text": " + ".join(f"{r['line']}: {r['shown']}" for r in lines),
        "parts": f"{first.get('source_table', '')}: sum of {len(lines)} request types as printed",
        "rows_used": sum(r["rows_used"] for r in lines),
        "lines_in_period": len(lines),
    }


def _headline(rows: list[Row]) -> list[Row]:
    """Exactly one figure per company and period for the overview (never added across units or metrics: the
    rows are all the metric `requests` in unit `requests`). Where two series of one company cover the same
    period, the one with a printed worldwide figure is kept, never both."""
    groups: dict[tuple[str, str, str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r["company"], r["series"], r["period_start"], r["period_end"])].append(r)
    by_period: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for (company, _, start, end), group in sorted(groups.items()):
        if (figure := _one_figure(group)) is not None:
            by_period[(company, start, end)].append(figure)
    kept = []
    for candidates in by_period.values():
        candidates.sort(key=lambda r: (r["basis"] != "printed worldwide figure", r["series"]))
        kept.append(candidates[0])
    for r in kept:
        r["shown"] = fmt_range(r["value_low"], r["value_high"])
    return sorted(kept, key=lambda r: (r["company_name"].casefold(), r["period_start"]))


def _busiest_lines(rows: list[Row]) -> tuple[list[Row], int]:
    """Per kind, the MAX_LINES request types with the most figures; returns the rows kept and how many types
    were left out (they remain in the warehouse and its export)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        counts[(r["kind"], r["line"])] += 1
    keep = set()
    for kind in {k for k, _ in counts}:
        ranked = sorted((n, line) for (k, line), n in counts.items() if k == kind)
        keep |= {(kind, line) for n, line in sorted(ranked, key=lambda t: (-t[0], t[1]))[:MAX_LINES]}
    return [r for r in rows if (r["kind"], r["line"]) in keep], len(counts) - len(keep)


def _requests_block(slug: str, title: str, rows: list[Row], *, panel_by_kind: bool, note: str = "") -> ChartBlock:
    drawn = [{**r, "panel": KIND_LABELS.get(r["kind"], r["kind"]).capitalize() if panel_by_kind
              else r["company_name"]} for r in rows]

    def who(test: Callable[[str], bool]) -> str:
        return ", ".join(sorted({r["company_name"] for r in rows if test(r["basis"])}))

    printed = who(lambda b: b == "printed worldwide figure")
    by_country = who(lambda b: b == "sum of countries")
    by_type = who(lambda b: b.startswith(SUM_OF_TYPES))
    ranges = sum(1 for r in rows if r["value_low"] != r["value_high"])
    takeaway = (
        f"{plural(len(rows), 'figure')} from {plural(len({r['company_name'] for r in rows}), 'company', 'companies')}"
        ". " + (f"Worldwide figures as printed: {printed}. " if printed else "")
        + (f"Sums of the per-country rows (the company printed no worldwide figure; a lower bound where small "
           f"countries are left out): {by_country}. " if by_country else "")
        + (f"Sums of the request types the company printed separately, counting only those its report counts "
           f"toward its totals (Google's preservation requests, for one, are left out, as Google's own totals "
           f"leave them out): {by_type}. " if by_type else "")
        + (f"{plural(ranges, 'figure is a range', 'figures are ranges')}, drawn from low to high (a lower bound "
           "where the report suppresses or bands small numbers)."
           if ranges else "All figures are exact.")
        + (f" {note}" if note else "")
    )
    return ChartBlock(
        slug=slug, title=title, takeaway=takeaway, unit=requests_over_time.UNIT,
        build=requests_over_time.chart if panel_by_kind else partial(
            requests_over_time.chart, colour_field="basis", legend_title="How the figure was obtained"),
        rows=drawn,
        table=[("company_name", "Company"), ("line", "Request type" if panel_by_kind else "Report series"),
               ("period_start", "From"), ("period_end", "To"), ("shown", "Requests"), ("basis", "Basis"),
               ("parts", "Parts"), ("raw_text", "As printed")],
        sources=[r["source_url"] for r in rows],
    )


def page_requests(site: Site, rows: list[Row]) -> Path:
    parts = [
        "<h1>Government requests over time</h1>",
        '<p class="lede">How many requests each company says it received per reporting period, in requests '
        "(not accounts or items): one figure per company and period. Every panel has the same time axis; each "
        "has its own vertical scale. The request types behind each figure are on the company's own page.</p>",
    ]
    any_chart = False
    for kind in ("user-data", "content-removal"):
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            parts.append(not_available(KIND_LABELS[kind].capitalize(), "no company's figures are loaded"))
            continue
        block = _requests_block(f"requests-{kind}", f"{KIND_LABELS[kind].capitalize()}, per company",
                                _headline(mine), panel_by_kind=False)
        parts.append(render_chart(site, block, site.out, "requests.html"))
        any_chart = True
    return write_page(site, "requests.html", "Requests over time", "\n".join(parts), charts=any_chart)


def _country_grid_rows(site: Site, figures: list[Row], kind: str) -> list[Row]:
    mine = [f for f in figures if f["kind"] == kind]
    periods = sorted({(f["period_start"], f["period_end"]) for f in mine})
    lines_by_company: dict[str, list[str]] = defaultdict(list)
    for f in mine:
        if f["line"] not in lines_by_company[f["company"]]:
            lines_by_company[f["company"]].append(f["line"])
    cells = {(f["company"], f["line"], f["period_start"], f["period_end"]): f for f in mine}
    all_lines = {(f["company"], f["line"]) for f in mine if f.get("request_type") == "all"}
    rows: list[Row] = []

    def add(label: str, period: tuple[str, str], f: Row | None) -> None:
        if f is None:
            text, cls = "none published", "none published"  # replaced by a note across the row
        elif f["status"] == "not_listed":
            text, cls = "not listed", "not listed"
        elif f["value_low"] is None:
            text, cls = "blank", "blank in the report"
        else:
            text = fmt_range(f["value_low"], f["value_high"])
            cls = "exact figure" if f["value_low"] == f["value_high"] else "range (band or suppressed)"
        rows.append({
            "row_label": label, "period_label": period_label(*period), "period_start": period[0],
            "period_end": period[1], "cell_text": text, "cell_class": cls,
            "value_low": None if f is None else f["value_low"], "value_high": None if f is None else f["value_high"],
            "raw_text": "" if f is None else f["raw_text"], "source_url": "" if f is None else f["source_url"],
            "line": "" if f is None else f["line"],
        })

    def has_figures(slug: str, line: str) -> bool:
        return any(f["value_low"] is not None for k, f in cells.items() if k[:2] == (slug, line))

    for slug in sorted(lines_by_company, key=lambda s: site.name(s).casefold()):
        # request types with no figure for this country are dropped when another type has figures; a company
        # with none at all keeps one row of gaps ("not listed" where it published other countries' figures)
        with_figures = [line for line in lines_by_company[slug] if has_figures(slug, line)]
        if not with_figures:
            for p in periods:
                listed = [cells[(slug, line, *p)] for line in lines_by_company[slug] if (slug, line, *p) in cells]
                if listed:
                    add(site.name(slug), p, listed[0])
            continue
        groups = [(line, [line]) for line in with_figures]
        # a company that renames its "all requests" line between reports (Microsoft: "LERR", "TOTAL", ...) gets
        # one row for it, as long as no period has two of them (else they stay apart: never added or hidden)
        alls = [line for line in with_figures if (slug, line) in all_lines]
        covered = [p for line in alls for p in periods if (slug, line, *p) in cells]
        if len(alls) > 1 and len(covered) == len(set(covered)):
            groups = [("all requests (label varies by report)", alls)] + [
                (line, [line]) for line in with_figures if line not in alls]
        for name, lines in groups:
            label = site.name(slug) + (f" · {name}" if len(groups) > 1 else "")
            for p in periods:
                found = [cells[(slug, line, *p)] for line in lines if (slug, line, *p) in cells]
                if found:  # periods the line has no per-country figures for stay empty
                    add(label, p, found[0])
    for row in rows:
        row["span"] = False
    # a company with no per-country figures at all gets one mark across its row: a gap, shown, not left out
    silent = [c for c in site.companies.values() if not c.secondary and c.slug not in lines_by_company]
    for company in sorted(silent, key=lambda c: c.name.casefold()):
        if periods:
            add(company.name, periods[0], None)
            rows[-1].update(span=True, cell_text="publishes no per-country figures")
    return rows


def page_countries(site: Site) -> list[Path]:
    ranked = query(site.con, "site_countries")[:site.top_countries]
    def dropdown(current: str = "") -> str:
        options = "".join(
            f'<option value="{e(file_stem(c["country_iso2"]))}.html"'
            f'{" selected" if c["country_iso2"] == current else ""}>{e(c["country_label"])} '
            f'({e(c["country_iso2"])})</option>' for c in ranked
        )
        return ('<p><label>Choose a requesting country: <select data-navigate aria-label="Requesting country">'
                f'<option value="">&mdash;</option>{options}</select></label></p>')

    intro = [
        "<h1>What one government asks of every company</h1>",
        f'<p class="lede">The {len(ranked)} requesting countries that the most companies report, each on its own '
        "page with every company's figures side by side. A company that does not report a country is shown as a "
        "gap, not left out.</p>", dropdown(),
    ]
    if not ranked:
        intro.append(not_available("Per-country figures", "no company's per-country figures are loaded"))
    listing = html_table(
        ([f'<a href="{e(file_stem(c["country_iso2"]))}.html">{e(c["country_label"])}</a>', e(c["country_iso2"]),
          e(c["companies"])] for c in ranked),
        ["Country", "Code", "Companies reporting it"],
    )
    written = [write_page(site, "countries/index.html", "By requesting country", "\n".join(intro) + listing)]
    for c in ranked:
        path = f"countries/{file_stem(c['country_iso2'])}.html"
        figures = [{**f, "company_name": site.name(f["company"])}
                   for f in query(site.con, "site_country_figures", {"country": c["country_iso2"]})
                   if not site.company(f["company"]).secondary]
        parts = [f"<h1>{e(c['country_label'])} ({e(c['country_iso2'])}): what it asks of each company</h1>",
                 dropdown(c["country_iso2"])]
        for kind in ("user-data", "content-removal"):
            grid = _country_grid_rows(site, figures, kind)
            if not grid:
                parts.append(not_available(KIND_LABELS[kind].capitalize(), "no company reports them per country"))
                continue
            reporting = sorted({r["row_label"] for r in grid if r["cell_class"] not in ("none published",
                                                                                        "not listed")})
            label = c["country_label"]
            block = ChartBlock(
                slug=f"{file_stem(c['country_iso2'])}-{kind}",
                title=f"{KIND_LABELS[kind].capitalize()} from {label}, per company and period",
                takeaway=f"{len(reporting)} of {plural(len({r['row_label'] for r in grid}), 'row')} report "
                         f"{label}. \"not listed\", an empty cell (no per-country figures that period) and a row noted "
                         "\"publishes no per-country figures\" are gaps, not zeros.",
                unit=country_grid.UNIT, build=country_grid.chart, rows=grid,
                table=[("row_label", "Company"), ("period_label", "Period"), ("line", "Request type as printed"),
                       ("cell_text", "Requests"),
                       ("raw_text", "As printed")],
                sources=[r["source_url"] for r in grid],
            )
            parts.append(render_chart(site, block, (site.out / path).parent, path))
        written.append(write_page(site, path, str(c["country_label"]), "\n".join(parts), charts=True))
    return written


def _measure_label(metric: str, kind: str) -> str:
    words = metric.removeprefix("percent_").replace("_", " ")
    return f"% of {KIND_LABELS.get(kind, kind)}: {words}"


def page_compliance(site: Site) -> Path:
    rows = [
        {**r, "company_name": site.name(r["company"]), "measure": _measure_label(r["metric"], r["kind"])}
        for r in query(site.con, "site_compliance") if not site.company(r["company"]).secondary
    ]
    per_country_only = [site.name(r["company"]) for r in query(site.con, "site_compliance_per_country_only")
                        if not site.company(r["company"]).secondary]
    parts = ["<h1>Compliance rates, as the companies published them</h1>",
             '<p class="lede">How often each company says it handed over some data, or removed content. '
             "Only percentages the companies printed for all countries together are drawn; none is computed "
             "here.</p>"]
    if per_country_only:
        parts.append(f'<p class="notice">Published only per country (see the country pages): '
                     f"{e(', '.join(per_country_only))}.</p>")
    if not rows:
        parts.append(not_available("Worldwide compliance rates", "no company printed one in the loaded files"))
        return write_page(site, "compliance.html", "Compliance rates", "\n".join(parts))
    block = ChartBlock(
        slug="compliance",
        title="Share of requests the companies say they complied with",
        takeaway=f"{plural(len({r['company_name'] for r in rows}), 'company prints', 'companies print')} a worldwide "
                 "rate"
                 + (f"; {len(per_country_only)} more print rates only per country" if per_country_only else "")
                 + ". Ranges show a rate printed as a band or rounded.",
        unit=compliance_rates.UNIT, build=compliance_rates.chart, rows=rows,
        table=[("company_name", "Company"), ("measure", "Measure"), ("period_start", "From"),
               ("period_end", "To"), ("raw_text", "As printed")],
        sources=[r["source_url"] for r in rows],
    )
    parts.append(render_chart(site, block, site.out, "compliance.html"))
    return write_page(site, "compliance.html", "Compliance rates", "\n".join(parts), charts=True)


def page_restatements(site: Site) -> Path:
    rows, why = optional_query(site.con, "restatements", "site_restatements", allow_empty=True)
    parts = ["<h1>What companies changed after publishing</h1>",
             '<p class="lede">Companies republish their reports at the same address with past figures changed. '
             "We keep every version we downloaded and list here every figure that differs between two versions, "
             "with links to both.</p>"]
    if rows is None:
        parts.append(not_available("The restatement ledger", why))
        return write_page(site, "restatements.html", "Restatements", "\n".join(parts))
    if not rows:
        parts.append('<p class="notice">No restated figure is recorded: either no figure changed between the '
                     "versions downloaded so far, or `govreq update` has not compared them yet.</p>")
        return write_page(site, "restatements.html", "Restatements", "\n".join(parts))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        counts[(site.name(r["company"]), r["kind"])] += 1
    drawn = [{"company_name": c, "kind": k, "figures": n} for (c, k), n in sorted(counts.items())]
    block = ChartBlock(
        slug="restatements", title="Figures changed after publication, per company",
        takeaway=f"{len(rows)} published figures changed in later versions of the same file, at "
                 f"{len({r['company'] for r in rows})} companies.",
        unit=restatement_counts.UNIT, build=restatement_counts.chart, rows=drawn,
        table=[("company_name", "Company"), ("kind", "Kind of change"), ("figures", "Figures")],
        sources=[u for r in rows for u in (r["old_source_url"], r["new_source_url"])],
    )
    parts.append(render_chart(site, block, site.out, "restatements.html"))
    ledger = html_table(
        [[f'<a href="{e(site.company(r["company"]).page)}">{e(site.name(r["company"]))}</a>', e(r["series"]),
          e(period_label(r["period_start"], r["period_end"])), e(r["country_iso2"] or "all"),
          e(r["request_type_raw"]), e(r["metric"]), e(r["kind"].replace("_", " ")),
          f"<code>{e(r['old_raw_text'] or '(none)')}</code> &rarr; <code>{e(r['new_raw_text'] or '(none)')}</code>",
          link(r["old_source_url"], "old version") + f" <span class=hash>{e(r['old_document_sha256'][:12])}</span>",
          link(r["new_source_url"], "new version") + f" <span class=hash>{e(r['new_document_sha256'][:12])}</span>"]
         for r in rows],
        ["Company", "Series", "Period", "Country", "Request type", "Metric", "Change", "Printed",
         "Old source (sha256)", "New source (sha256)"],
    )
    parts.append("<h2>The ledger</h2>" + ledger)
    return write_page(site, "restatements.html", "Restatements", "\n".join(parts), charts=True)


def _series_where(series: Any) -> str:
    urls = [str(u) for u in [getattr(series, "landing_url", None), *(getattr(series, "download_urls", None) or [])]
            if u]
    return "<br>".join(link(u) for u in dict.fromkeys(urls)) or "not known"


def _company_disclosure_html(site: Site, company: Company, levels: list[Row] | None, why: str) -> str:
    parts = ['<h2 id="disclosure">What it discloses, year by year</h2>']
    if company.disclosure:
        parts.append(f"<p>Registry summary: <strong>{e(company.disclosure)}</strong>.</p>")
    if levels is None:
        parts.append(not_available("Disclosure levels", why))
    else:
        mine = [r for r in levels if r["company"] == company.slug]
        if not mine:
            parts.append("<p>No disclosure assessment for this company yet.</p>")
        else:
            # Years in a row with the same level and the same evidence are one table row (a run of identical
            # evidence repeated for 17 years buries the years that differ); every year keeps its own anchor.
            runs: list[tuple[tuple[str, ...], list[Row]]] = []
            for r in sorted(mine, key=lambda r: (r["kind"], r["year"])):
                rdr = "; ".join(x for x in (f"P11a {r['rdr_p11a']}" if r["rdr_p11a"] else "",
                                            f"F6 {r['rdr_f6']}" if r["rdr_f6"] else "") if x)
                key = (r["kind"], r["level"], r["evidence"], r["scope"], rdr, r["notes"])
                if runs and runs[-1][0] == key and runs[-1][1][-1]["year"] == r["year"] - 1:
                    runs[-1][1].append(r)
                else:
                    runs.append((key, [r]))
            rows = []
            for (kind, lvl, evidence, scope, rdr, notes), group in runs:
                anchors = "".join(f'<span id="disclosure-{e(g["year"])}-{e(file_stem(kind))}"></span>' for g in group)
                level = f'<span class="level level-{e(lvl)}">{e(disclosure_matrix.level_label(lvl))}</span>'
                rows.append((anchors + e(year_ranges(g["year"] for g in group)), e(KIND_LABELS.get(kind, kind)),
                             level, e(evidence), e(scope), e(rdr), e(notes)))
            parts.append(html_table(rows, ["Years", "Kind", "Level", "Evidence", "Scope",
                                           "Ranking Digital Rights score", "Notes"]))
    if company.checked:
        rows = [(link(str(getattr(c, "url", ""))), e(getattr(c, "checked_on", "")), e(getattr(c, "found", "")),
                 e(getattr(c, "by", ""))) for c in company.checked]
        parts.append("<h3>Places checked</h3>" + html_table(rows, ["Address", "Checked on", "Found", "Checked by"]))
    return "\n".join(parts)


def _staleness(site: Site, sources: list[Row]) -> str:
    today = dt.date.today()
    rows = []
    for s in (s for s in sources if s["is_newest"]):
        newest = s["newest_period_end"] or ""
        age = (today - dt.date.fromisoformat(newest)).days // 30 if newest else None
        flag = f"; {s['newer_unloaded']} newer download(s) could not be read" if s["newer_unloaded"] else ""
        rows.append((e(s["series"]), link(s["url"]), e(newest), e("" if age is None else f"{age} months") + e(flag),
                     e(s["first_fetched"]), e(s["last_modified"])))
    if not rows:
        return ""
    return "<h2>How fresh the figures are</h2>" + html_table(
        rows, ["Series", "File", "Newest period covered", "Age of newest period", "First downloaded",
               "Last-Modified (server)"])


def page_company(site: Site, company: Company, requests: list[Row], levels: list[Row] | None, why: str,
                 coverage: list[Row], sources: list[Row], failed: list[Row]) -> Path:
    path = company.page
    page_dir = (site.out / path).parent
    stem = file_stem(company.slug)
    parts = [f"<h1>{e(company.name)}</h1>",
             f'<p class="lede">Company id <code>{e(company.slug)}</code>'
             + (f"; role: {e(company.role)}" if company.role else "")
             + ("; a secondary source, compiled by others from the companies' reports" if company.secondary else "")
             + ".</p>"]
    parts.append(_company_disclosure_html(site, company, levels, why))
    if company.series:
        rows = [(e(getattr(s, "id", "")), e(getattr(s, "kind", "")), e(getattr(s, "format", "")),
                 e(getattr(s, "cadence", "")), _series_where(s)) for s in company.series]
        parts.append("<h2>Report series</h2>" + html_table(rows, ["Series", "Kind", "Format", "Cadence",
                                                                   "Where it is published"]))
    mine = [c for c in coverage if c["company"] == company.slug]
    if mine:
        drawn = [{**c, "series_label": f"{c['series']} ({c['kind']})"} for c in mine]
        block = ChartBlock(
            slug=f"{stem}-coverage", title=f"{company.name}: reporting periods covered",
            takeaway=f"{len({(c['series'], c['kind']) for c in mine})} series from {min(c['period_start'] for c in mine)}"
                     f" to {max(c['period_end'] for c in mine)}; gaps are periods with no figures, not zeros.",
            unit=coverage_timeline.UNIT, build=coverage_timeline.chart, rows=drawn,
            table=[("series_label", "Series"), ("period_start", "From"), ("period_end", "To"),
                   ("figures", "Figures"), ("countries", "Countries")],
            sources=[s["url"] for s in sources if s["company"] == company.slug and s["is_newest"]],
        )
        parts.append(render_chart(site, block, page_dir, path))
    req, left_out = _busiest_lines([r for r in requests if r["company"] == company.slug])
    if req:
        note = (f"{plural(left_out, 'request type with few figures is', 'request types with few figures are')} "
                "left out of the chart (they are in the dataset export)." if left_out else "")
        parts.append(render_chart(site, _requests_block(f"{stem}-requests", f"{company.name}: requests over time",
                                                        req, panel_by_kind=True, note=note), page_dir, path))
    mine_sources = [s for s in sources if s["company"] == company.slug]
    parts.append(_staleness(site, mine_sources))
    if mine_sources:
        rows = [(e(s["series"]), link(s["url"]), f"{e(s['version'])} of {e(s['versions'])}",
                 f"<span class=hash>{e(s['sha256'][:16])}</span>", e(s["first_fetched"]), e(s["fact_count"]))
                for s in mine_sources]
        parts.append("<h2>Every source file</h2>" + html_table(
            rows, ["Series", "URL", "Version", "sha256", "First downloaded", "Figures"]))
    mine_failed = [f for f in failed if f["company"] == company.slug]
    if mine_failed:
        rows = [(e(f["series"]), link(f["url"]), e(f["parse_status"]), e(f["parse_error"][:300]),
                 e(f["first_fetched"])) for f in mine_failed]
        parts.append("<h2>Downloads we could not read</h2><p>Their figures are missing from this site.</p>"
                     + html_table(rows, ["Series", "URL", "Status", "Why", "Downloaded"]))
    if not mine and not mine_sources:
        parts.append('<p class="notice">No file from this company is in the warehouse.</p>')
    return write_page(site, path, company.name, "\n".join(p for p in parts if p), charts=bool(mine or req))


def page_companies(site: Site, levels: list[Row] | None) -> Path:
    latest: dict[str, str] = {}
    for r in sorted(levels or [], key=lambda r: r["year"]):
        latest[r["company"]] = f"{r['year']}: {disclosure_matrix.level_label(r['level'])}"
    rows = [(f'<a href="{e(file_stem(c.slug))}.html">{e(c.name)}</a>', f"<code>{e(c.slug)}</code>",
             e(c.role + (" (secondary source)" if c.secondary else "")), e(latest.get(c.slug, "")))
            for c in sorted(site.companies.values(), key=lambda c: c.name.casefold())]
    body = ("<h1>Companies</h1><p class='lede'>Every company in the registry or the warehouse, with its series, "
            "sources, disclosure level and how fresh its figures are.</p>"
            + html_table(rows, ["Company", "Id", "Role", "Latest disclosure level"]))
    return write_page(site, "companies/index.html", "Companies", body)


def build_site(con: duckdb.DuckDBPyConnection, out_dir: Path, *, registry: Any | None = None,
               top_countries: int | None = None) -> Path:
    """Build the whole site into out_dir from the warehouse; return the path of index.html.

    `registry` defaults to crawlers.registry.load_registry() when that module is present.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "vega-bundle.js").write_text(vl_convert.javascript_bundle(), encoding="utf-8")
    for name in ("site.css", "site.js"):
        shutil.copyfile(TEMPLATES / name, assets / name)
    con.execute("SET TimeZone = 'UTC'")  # dates in the pages do not depend on the machine's zone
    version, updated = _dataset_version(con)
    site = Site(con=con, out=out, companies=_companies(con, registry if registry is not None else _load_registry()),
                version=version, built_on=updated, top_countries=top_countries or TOP_COUNTRIES)
    index = page_index(site)
    requests = _request_rows(site)
    page_requests(site, requests)
    page_countries(site)
    page_compliance(site)
    page_restatements(site)
    levels, why = optional_query(con, "disclosure_levels", "site_disclosure")
    coverage, sources, failed = (query(con, n) for n in ("site_coverage", "site_sources", "site_failed_documents"))
    for company in list(site.companies.values()):
        page_company(site, company, requests, levels, why, coverage, sources, failed)
    page_companies(site, levels)
    try:
        for job in site.pending:
            job.result()  # re-raises the first failed rendering
    finally:
        site.pool.shutdown(cancel_futures=True)
    return index
