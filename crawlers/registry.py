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
# verified: confirmed live; code: hard-coded in a recent public download script; page: seen on a stored copy of
# the page; old: seen in an old script or an old source list (may be dead); guess: plausible, unverified;
# repository-path: the file lives in a public git repository.
UrlConfidence = Literal["verified", "code", "page", "old", "guess", "repository-path"]
Sector = Literal["internet", "telecom", "cloud", "hardware", "e-commerce", "social-media", "software", "other"]
Role = Literal["company", "outside-rating", "secondary-compilation"]
Disclosure = Literal["publishes", "mandated-regional-only", "none-found"]


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
    notes: str = ""

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
    def _consistent(self) -> ReportSeries:
        if len(set(self.download_urls)) != len(self.download_urls):
            raise ValueError(f"series {self.id}: a download URL is listed twice")
        if self.link_pattern and not self.landing_url:
            raise ValueError(f"series {self.id}: link_pattern needs a landing_url to search")
        if self.scope == "mandated-regional" and not self.region:
            raise ValueError(f"series {self.id}: a mandated-regional series must name its region")
        if self.cadence == "ended" and not self.ended:
            raise ValueError(f"series {self.id}: cadence 'ended' but ended = false")
        # A series the crawler could never fetch must say it is not located yet; only regional filings
        # known from notes (without an address) are allowed that.
        if not self.landing_url and not self.download_urls and self.scope != "mandated-regional":
            raise ValueError(f"series {self.id}: no landing_url and no download_urls")
        return self


class CheckedPlace(_Strict):
    """A page where a report would be expected, when it was looked at, what was there, and who says so."""

    url: HttpUrlStr
    checked_on: date
    found: str
    by: str

    @field_validator("found", "by")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


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
        scopes = {s.scope for s in self.series}
        if self.role == "company":
            if scopes & {"outside-rating", "secondary"}:
                raise ValueError("a company's own series cannot have scope outside-rating or secondary")
            if self.disclosure == "publishes" and "voluntary-global" not in scopes:
                raise ValueError("disclosure 'publishes' needs at least one voluntary-global series")
            if self.disclosure == "mandated-regional-only":
                if scopes - {"mandated-regional"} or not scopes:
                    raise ValueError("a mandated-regional-only company's series must all be mandated-regional")
            if self.disclosure == "none-found":
                live = [s.id for s in self.series if not s.ended]
                if live:
                    raise ValueError(f"disclosure 'none-found' but series {', '.join(live)} has not ended")
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
        f"{counts['none-found']} have no report found (see each file's dated `checked` places). "
        "URL confidence: verified (confirmed live), code (in a recent public download script), page (seen on a "
        "stored copy of the page), old (an old script or source list; may be dead), guess (unverified), "
        "repository-path (a public git repository).",
        "",
        "| company | role | disclosure | series | scope | format | cadence | URL confidence | places checked |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in registry.companies:
        label = f"{_cell(c.name)} (`{c.slug}`)"
        disclosure = _DISCLOSURE_LABEL[c.disclosure]
        checked = (f"{len(c.checked)} (latest {max(p.checked_on for p in c.checked).isoformat()})"
                   if c.checked else "")
        if not c.series:
            lines.append(f"| {label} | {c.role} | {disclosure} | — | | | | | {checked} |")
        for s in c.series:
            cadence = s.cadence + (" (ended)" if s.ended and s.cadence != "ended" else "")
            scope = s.scope + (f" ({s.region})" if s.region else "")
            lines.append(f"| {label} | {c.role} | {disclosure} | `{s.id}` | {scope} | {s.format} | {cadence} "
                         f"| {s.url_confidence} | {checked} |")
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
