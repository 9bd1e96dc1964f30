"""The company registry: one TOML file per company in crawlers/registry/, validated into typed models.

A company that publishes nothing is an entry too, with the dated places where a report was looked for.
Run `python -m crawlers.registry --write` to regenerate docs/registry.md from the TOML files.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import HttpUrl as _HttpUrl

from crawlers.discovery import check_template

REGISTRY_DIR = Path(__file__).resolve().parent / "registry"
COVERAGE_DOC = Path(__file__).resolve().parent.parent / "docs" / "registry.md"

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "2013", "2013-H1", "2013-Q2", "2013-05": the granularities reports are published in.
PERIOD = re.compile(r"^\d{4}(?:-(?:H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")
_URL = TypeAdapter(_HttpUrl)


class RegistryError(ValueError):
    """A registry file that cannot be read or does not validate; the message names the file."""


def _http_url(value: str) -> str:
    # Validate as an http(s) URL but keep the string exactly as written: pydantic's HttpUrl normalises
    # (adds a trailing slash, re-quotes), and an offline mirror replay matches on the exact publisher URL.
    if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise ValueError(f"not an absolute http(s) URL: {value!r}")
    _URL.validate_python(value)
    return value


def _period(value: str | None) -> str | None:
    if value is not None and not PERIOD.match(value):
        raise ValueError(f"period {value!r} is not YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM")
    return value


HttpUrlStr = Annotated[str, AfterValidator(_http_url)]
Period = Annotated[str | None, AfterValidator(_period)]

Kind = Literal["user-data", "content-removal", "national-security", "other"]
Scope = Literal["voluntary-global", "mandated-regional", "outside-rating", "secondary"]
Format = Literal["csv", "zip-csv", "xlsx", "ods", "html", "pdf", "json"]
Cadence = Literal["half-yearly", "yearly", "quarterly", "monthly", "irregular", "one-off", "ended"]
# How new releases are found beyond the listed download_urls: listed (the listed URLs are all there is, e.g. one
# cumulative file replaced in place), pattern (url_template names every period's file), landing-page (link_pattern
# on the landing page or sitemap), manual (names follow no rule and no page lists them: someone adds each URL).
Discovery = Literal["listed", "pattern", "landing-page", "manual"]
# Days after a period's end by which a release is usually out, when a series does not say.
DEFAULT_DELAY_DAYS = {"half-yearly": 180, "yearly": 270, "quarterly": 120, "monthly": 60}
# verified: confirmed live; code: hard-coded in a recent public download script; page: seen on a stored copy of
# the page; old: seen in an old script or an old source list (may be dead); guess: plausible, unverified;
# repository-path: the file lives in a public git repository.
UrlConfidence = Literal["verified", "code", "page", "old", "guess", "repository-path"]
Sector = Literal["internet", "telecom", "cloud", "hardware", "e-commerce", "social-media", "software", "other"]
Role = Literal["company", "outside-rating", "secondary-compilation"]
# not-checked: no report known, but nobody has looked yet (only places to look are recorded): no claim of silence
Disclosure = Literal["publishes", "mandated-regional-only", "none-found", "not-checked"]
# How a place was checked. live-crawl: fetched from the live site; stored-copy: read in a recorded mirror or web
# archive; outside-rating: an outside rater's researchers (Ranking Digital Rights) looked on that date;
# research-notes: the project's research notes say so, not confirmed by a crawl; not-checked: recorded as the place
# to look, nobody has looked yet (no finding at all).
CheckKind = Literal["live-crawl", "stored-copy", "outside-rating", "research-notes", "not-checked"]
CHECK_KINDS: tuple[str, ...] = CheckKind.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    # A misspelt key in a TOML file is an error, never a silently ignored field.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportSeries(_Strict):
    """One report series a company publishes, and how the crawler finds its files."""

    id: str
    kind: Kind
    title: str
    scope: Scope = "voluntary-global"
    region: str | None = None
    landing_url: HttpUrlStr | None = None
    download_urls: list[HttpUrlStr] = []
    link_pattern: str | None = None
    format: Format
    cadence: Cadence
    url_confidence: UrlConfidence
    first_period: Period = None
    # The latest period covered by a file recorded so far (the corpus or the archive), not necessarily the
    # latest the company has published.
    last_period_seen: Period = None
    ended: bool = False
    # When a law's duty to report began for this service (mandated-regional series: the EU DSA); no silence is
    # claimed before it.
    obligation_began: date | None = None
    # The report counts only the demands of this one country (ISO code): its figures are that country's total,
    # never a breakdown by requesting country (a US telecom's domestic report).
    single_country: str | None = None
    notes: str = ""
    # ---- discovery of releases nobody has listed yet (crawlers/discovery.py) ----
    discovery: Discovery = "listed"
    discovery_reason: str = ""  # why not a pattern: required for landing-page and manual
    url_template: str | None = None
    publication_months: list[int] = []  # for {pub_...} placeholders: months after the period's end to try
    publication_delay_days: int | None = None  # usual days from a period's end to its release
    max_probes: int = 30  # template addresses not yet archived asked per run, newest first
    render_landing_page: bool = False  # the links are added by JavaScript: render in Chromium first
    sitemap_url: HttpUrlStr | None = None  # searched with link_pattern like the landing page
    max_landing_pages: int = 5  # a paginated landing page is followed through rel="next" this far

    @property
    def usual_delay_days(self) -> int | None:
        """Days after a period's end by which its release should be out (None: the cadence has no next)."""
        if self.publication_delay_days is not None:
            return self.publication_delay_days
        return DEFAULT_DELAY_DAYS.get(self.cadence)

    @field_validator("id")
    @classmethod
    def _kebab_id(cls, value: str) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"series id {value!r} is not kebab-case")
        return value

    @field_validator("link_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as e:
                raise ValueError(f"link_pattern {value!r} is not a valid regular expression: {e}") from e
        return value

    @model_validator(mode="after")
    def _discovery(self) -> ReportSeries:
        where = f"series {self.id}"
        if self.discovery == "pattern":
            if not self.url_template or not self.first_period:
                raise ValueError(f"{where}: discovery 'pattern' needs url_template and first_period")
            if self.cadence not in DEFAULT_DELAY_DAYS:
                raise ValueError(f"{where}: discovery 'pattern' needs a regular cadence, not {self.cadence!r}")
            try:
                check_template(self.url_template, self.cadence, self.publication_months)
            except ValueError as e:
                raise ValueError(f"{where}: {e}") from e
        elif self.url_template or self.publication_months:
            raise ValueError(f"{where}: url_template and publication_months need discovery = 'pattern'")
        if self.discovery in ("landing-page", "manual") and not self.discovery_reason.strip():
            raise ValueError(f"{where}: discovery {self.discovery!r} must say why in discovery_reason")
        if self.discovery == "landing-page" and not self.link_pattern:
            raise ValueError(f"{where}: discovery 'landing-page' needs a link_pattern")
        if self.render_landing_page and not (self.landing_url and self.link_pattern):
            raise ValueError(f"{where}: render_landing_page needs a landing_url and a link_pattern")
        if self.sitemap_url and not self.link_pattern:
            raise ValueError(f"{where}: sitemap_url needs a link_pattern to pick the links")
        if len(set(self.publication_months)) != len(self.publication_months) or not all(
            0 <= m <= 24 for m in self.publication_months
        ):
            raise ValueError(f"{where}: publication_months must be distinct months 0-24 after the period's end")
        if not 1 <= self.max_probes <= 200:
            raise ValueError(f"{where}: max_probes must be 1-200 per run")
        if not 1 <= self.max_landing_pages <= 50:
            raise ValueError(f"{where}: max_landing_pages must be 1-50")
        if self.publication_delay_days is not None and not 0 <= self.publication_delay_days <= 1000:
            raise ValueError(f"{where}: publication_delay_days must be 0-1000")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> ReportSeries:
        if len(set(self.download_urls)) != len(self.download_urls):
            raise ValueError(f"series {self.id}: a download URL is listed twice")
        if self.link_pattern and not (self.landing_url or self.sitemap_url):
            raise ValueError(f"series {self.id}: link_pattern needs a landing_url or sitemap_url to search")
        if self.scope == "mandated-regional" and not self.region:
            raise ValueError(f"series {self.id}: a mandated-regional series must name its region")
        if self.scope == "mandated-regional" and self.obligation_began is None:
            raise ValueError(f"series {self.id}: a mandated-regional series must say when the obligation began")
        if self.cadence == "ended" and not self.ended:
            raise ValueError(f"series {self.id}: cadence 'ended' but ended = false")
        # A series the crawler could never fetch must say it is not located yet; only regional filings
        # known from notes (without an address) are allowed that.
        fetchable = self.landing_url or self.download_urls or self.url_template or self.sitemap_url
        if not fetchable and self.scope != "mandated-regional":
            raise ValueError(f"series {self.id}: no landing_url, download_urls, url_template or sitemap_url")
        return self


class CheckedPlace(_Strict):
    """A page where a report would be expected, when it was looked at, what was there, and who says so."""

    url: HttpUrlStr
    checked_on: date
    found: str
    by: str
    how: CheckKind

    @field_validator("found", "by")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _honest(self) -> CheckedPlace:
        # a place nobody looked at is no check, whatever its date says
        unchecked = "not yet checked" in self.found.lower()
        if unchecked != (self.how == "not-checked"):
            raise ValueError(f"checked place {self.url}: found {self.found!r} but how = {self.how!r}")
        return self


class Company(_Strict):
    """One registry file: a company (or an outside rater / secondary compiler) and its report series."""

    slug: str
    name: str
    headquarters_country: str
    sector: Sector
    parent: str | None = None
    services: list[str] = []
    # None only where no id is known at all; the entry's notes must then say so.
    wikidata_id: str | None = None
    role: Role = "company"
    disclosure: Disclosure
    rdr_names: list[str] = []
    # The year the company (or, where it reports for one service, that service) began, and where that year comes
    # from. Years before it are not silence: nothing could have been published (level 'not-applicable').
    began: int | None = None
    began_source: str = ""
    series: list[ReportSeries] = []
    checked: list[CheckedPlace] = []
    # The licence the publisher states for its data (name, path, title, scope: which exported rows it covers).
    licence: dict[str, str] = {}
    notes: str = ""

    @field_validator("slug")
    @classmethod
    def _kebab_slug(cls, value: str, info: ValidationInfo) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"slug {value!r} is not kebab-case")
        stem = (info.context or {}).get("file_stem")
        if stem is not None and value != stem:
            raise ValueError(f"slug {value!r} differs from the file name {stem!r}.toml")
        return value

    @field_validator("headquarters_country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", value) or pycountry.countries.get(alpha_2=value) is None:
            raise ValueError(f"headquarters_country {value!r} is not an ISO 3166-1 alpha-2 code")
        return value

    @field_validator("wikidata_id")
    @classmethod
    def _qid(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"Q\d+", value):
            raise ValueError(f"wikidata_id {value!r} does not match Q<digits>")
        return value

    @model_validator(mode="after")
    def _rules(self) -> Company:
        ids = [s.id for s in self.series]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"series ids listed twice: {', '.join(duplicates)}")
        if self.wikidata_id is None and "wikidata" not in self.notes.lower():
            raise ValueError("wikidata_id is missing and the notes do not say why")
        if self.disclosure != "publishes" and not self.checked:
            raise ValueError(f"disclosure {self.disclosure!r} needs at least one dated `checked` place")
        if self.began is not None and not (1800 <= self.began <= date.today().year):
            raise ValueError(f"began {self.began} is not a plausible year")
        if (self.began is None) != (not self.began_source.strip()):
            raise ValueError("began and began_source go together: a year needs its source, a source its year")
        scopes = {s.scope for s in self.series}
        if self.role == "company":
            if scopes & {"outside-rating", "secondary"}:
                raise ValueError("a company's own series cannot have scope outside-rating or secondary")
            if self.disclosure == "publishes" and "voluntary-global" not in scopes:
                raise ValueError("disclosure 'publishes' needs at least one voluntary-global series")
            if self.disclosure == "mandated-regional-only":
                if scopes - {"mandated-regional"} or not scopes:
                    raise ValueError("a mandated-regional-only company's series must all be mandated-regional")
            if self.disclosure in ("none-found", "not-checked"):
                # a filing a law forces (the EU DSA) says nothing of a voluntary report: it may still run
                live = [s.id for s in self.series if not s.ended
                        and not (self.disclosure == "not-checked" and s.scope == "mandated-regional")]
                if live:
                    raise ValueError(f"disclosure {self.disclosure!r} but series {', '.join(live)} has not ended")
            looked = [p for p in self.checked if p.how != "not-checked"]
            if self.disclosure in ("none-found", "mandated-regional-only") and not looked:
                raise ValueError(f"disclosure {self.disclosure!r} claims silence but no `checked` place was looked "
                                 "at (all are not-checked): say disclosure = 'not-checked'")
            if self.disclosure == "not-checked" and looked:
                raise ValueError("disclosure 'not-checked' but a `checked` place was looked at")
        else:
            wanted = "outside-rating" if self.role == "outside-rating" else "secondary"
            if not self.series or scopes != {wanted}:
                raise ValueError(f"role {self.role!r} needs series, all with scope {wanted!r}")
            if self.rdr_names:
                raise ValueError("rdr_names belong to rated companies, not to a rater or compiler")
        return self


class Registry(BaseModel):
    """All registry entries, sorted by slug."""

    model_config = ConfigDict(frozen=True)

    companies: list[Company]

    @model_validator(mode="after")
    def _unique(self) -> Registry:
        seen: dict[str, str] = {}
        for company in self.companies:
            for name in company.rdr_names:
                if name in seen:
                    raise ValueError(f"RDR name {name!r} is claimed by both {seen[name]} and {company.slug}")
                seen[name] = company.slug
        return self

    def get(self, slug: str) -> Company:
        for company in self.companies:
            if company.slug == slug:
                return company
        raise KeyError(f"no company {slug!r} in the registry")

    def series_items(self) -> Iterator[tuple[Company, ReportSeries]]:
        for company in self.companies:
            for series in company.series:
                yield company, series

    def companies_by_role(self, role: Role) -> list[Company]:
        return [c for c in self.companies if c.role == role]

    def by_rdr_name(self) -> dict[str, str]:
        """Ranking Digital Rights' spelling of a company -> our slug."""
        return {name: c.slug for c in self.companies for name in c.rdr_names}


def load_company(file: Path) -> Company:
    """Read and validate one registry file; every error names the file."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RegistryError(f"{file}: cannot read registry file: {e}") from e
    try:
        return Company.model_validate(data, context={"file_stem": file.stem})
    except ValidationError as e:
        raise RegistryError(f"{file}: invalid registry entry:\n{e}") from e


def load_registry(path: Path | None = None) -> Registry:
    """Load every `*.toml` in `path` (default: crawlers/registry/ beside this module)."""
    folder = Path(path) if path is not None else REGISTRY_DIR
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise RegistryError(f"{folder}: no registry files (*.toml) found")
    companies = sorted((load_company(f) for f in files), key=lambda c: c.slug)
    try:
        return Registry(companies=companies)
    except ValidationError as e:
        raise RegistryError(f"{folder}: registry entries conflict:\n{e}") from e


# ---- the coverage table (docs/registry.md) ----

_DISCLOSURE_LABEL = {
    "publishes": "publishes",
    "mandated-regional-only": "mandated regional only",
    "none-found": "none found",
    "not-checked": "not checked yet",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_markdown(registry: Registry) -> str:
    """A Markdown table of every entry and series: what is published, in what form, and how sure the URL is."""
    companies = registry.companies_by_role("company")
    counts = {d: sum(1 for c in companies if c.disclosure == d) for d in _DISCLOSURE_LABEL}
    lines = [
        "# Registry coverage",
        "",
        "Generated from `crawlers/registry/*.toml` by `python -m crawlers.registry --write`; do not edit by hand.",
        "",
        f"{len(companies)} companies: {counts['publishes']} publish a voluntary report, "
        f"{counts['mandated-regional-only']} file only a legally mandated regional report, "
        f"{counts['none-found']} have no report found (see each file's dated `checked` places), "
        f"{counts['not-checked']} have no report known but nobody has checked yet. "
        "URL confidence: verified (confirmed live), code (in a recent public download script), page (seen on a "
        "stored copy of the page), old (an old script or source list; may be dead), guess (unverified), "
        "repository-path (a public git repository). began: the year the company (or the service it reports for) "
        "began, with its source in the entry's `began_source`; years before it are not silence. Checked how: "
        "research-notes, outside-rating, live-crawl, stored-copy, or not-checked (recorded as the place to look; "
        "nobody has looked).",
        "",
        "| company | role | disclosure | series | scope | format | cadence | URL confidence | places checked | began | checked how |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in registry.companies:
        label = f"{_cell(c.name)} (`{c.slug}`)"
        disclosure = _DISCLOSURE_LABEL[c.disclosure]
        kinds = ", ".join(sorted({p.how for p in c.checked}))
        checked = (f"{len(c.checked)} (latest {max(p.checked_on for p in c.checked).isoformat()})"
                   if c.checked else "")
        began = str(c.began) if c.began is not None else ""
        if not c.series:
            lines.append(f"| {label} | {c.role} | {disclosure} | — | | | | | {checked} | {began} | {kinds} |")
        for s in c.series:
            cadence = s.cadence + (" (ended)" if s.ended and s.cadence != "ended" else "")
            scope = s.scope + (f" ({s.region})" if s.region else "")
            lines.append(f"| {label} | {c.role} | {disclosure} | `{s.id}` | {scope} | {s.format} | {cadence} "
                         f"| {s.url_confidence} | {checked} | {began} | {kinds} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the registry and print or write docs/registry.md.")
    parser.add_argument("--write", action="store_true", help=f"write {COVERAGE_DOC} instead of printing")
    args = parser.parse_args(argv)
    text = coverage_markdown(load_registry())
    if args.write:
        COVERAGE_DOC.parent.mkdir(parents=True, exist_ok=True)
        COVERAGE_DOC.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
