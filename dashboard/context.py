"""What every page needs: the warehouse connection, the companies, the dataset's identity and the sources."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from dashboard.format import doc_anchor, file_stem

SQL_DIR = Path(__file__).resolve().parent / "sql"
TOP_COUNTRIES = 20
KIND_LABELS = {
    "user-data": "requests for user data",
    "content-removal": "requests to remove content",
    "national-security": "national-security requests",
    "other": "other requests",
}

Row = dict[str, Any]


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[Row]:
    """Run dashboard/sql/<name>.sql and return its rows as dicts (JSON-ready: the SQL formats dates)."""
    cursor = con.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def rule_on_rows(macro: str, rows: list[Row], defaults: dict[str, Any] | None = None) -> list[Row]:
    """A mart's rule (a table macro of warehouse/sql/views_site_1_rules.sql) applied to rows given here rather
    than read from the warehouse, so that a check on synthetic rows tests the very SQL the site uses."""
    import pyarrow as pa

    from warehouse.store import SQL

    con = duckdb.connect()
    try:
        con.execute(SQL("views_site_1_rules.sql"))
        con.register("given_rows", pa.Table.from_pylist([{**(defaults or {}), **r} for r in rows]))
        cursor = con.execute(f"SELECT * FROM {macro}('given_rows')")
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()


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
    """The connection, the companies, the dataset's identity and where each source URL's document is listed."""

    con: duckdb.DuckDBPyConnection
    out: Path
    companies: dict[str, Company]
    version: str
    built_on: str
    top_countries: int = TOP_COUNTRIES
    newest_sha: dict[str, str] = field(default_factory=dict)  # source URL -> sha256 of its newest loaded version
    published_order: dict[str, str] = field(default_factory=dict)  # source URL -> Last-Modified, else downloaded

    def company(self, slug: str) -> Company:
        if slug not in self.companies:
            self.companies[slug] = Company(slug=slug, name=slug)
        return self.companies[slug]

    def name(self, slug: str) -> str:
        return self.company(slug).name

    def document_href(self, url: str, root: str) -> str:
        """The documents page row of the file a figure comes from ('' when the URL is no loaded document)."""
        sha = self.newest_sha.get(url or "")
        return f"{root}documents.html#{doc_anchor(sha)}" if sha else ""


def load_registry() -> Any | None:
    try:
        from crawlers.registry import load_registry as load
    except ImportError:
        return None
    return load()  # a broken registry is an error to fix, not something to draw around


def companies_of(con: duckdb.DuckDBPyConnection, registry: Any | None) -> dict[str, Company]:
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
        for r in query(con, "company_roles"):
            company = companies.setdefault(r["company"], Company(slug=r["company"], name=r["name"] or r["company"]))
            company.role = company.role or r["role"]
            company.secondary = company.secondary or r["role"] != "company"
    return companies


def dataset_version(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    row = query(con, "dataset_version")[0]
    digest = hashlib.sha256("\n".join(row["current_documents"] or []).encode()).hexdigest()[:12]
    return f"govreq-{digest}", row["last_update"] or "unknown"
