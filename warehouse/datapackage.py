"""The Frictionless Data Package descriptor of an export: field descriptions, keys, sources and licences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parsers.facts import Kind, RequestType, Status, Unit

MISSING = (
    "An empty field means no value. Text that is an empty string in the warehouse (raw_text of a blank printed "
    'cell, a note with nothing to say, country_raw of a company-wide figure) is written as "" (two quote '
    "characters); readers such as Frictionless treat both as missing."
)

# (name, type, description, extra Table Schema properties). The order is the CSV's column order.
FACT_FIELDS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("company", "string", "Slug of the company whose report series printed the figure (govreq registry id).",
     {"constraints": {"required": True}}),
    ("series", "string", "The report series within the company (govreq registry id), e.g. user-data-requests.",
     {"constraints": {"required": True}}),
    ("period_start", "date", "First day of the period the figure covers, as the report states it (never split "
     "or merged from another period).", {"constraints": {"required": True}}),
    ("period_end", "date", "Last day of the period the figure covers.", {"constraints": {"required": True}}),
    ("country_iso2", "string", "ISO 3166-1 alpha-2 code of the requesting country (XK for Kosovo). Empty for "
     "company-wide figures and for requesters that are not a country (see country_raw).", {}),
    ("country_raw", "string", "The country or requester label exactly as printed.", {}),
    ("request_type", "string", "govreq's common request-type class; the printed label is in request_type_raw.",
     {"constraints": {"required": True, "enum": [m.value for m in RequestType]}}),
    ("request_type_raw", "string", "The request type as the report labels it.", {}),
    ("metric", "string", "What is counted, in snake_case (requests, accounts_specified, "
     "percent_some_data_produced, ...). Never add figures of different metrics or units.",
     {"constraints": {"required": True}}),
    ("unit", "string", "The unit of the figure. percent is on the 0-100 scale as published.",
     {"constraints": {"required": True, "enum": [m.value for m in Unit]}}),
    ("value", "number", "The figure, only when the report printed an exact number (status reported or zero, "
     "or a derived value that says so in note). Empty for bands, suppressed, not reported, not applicable and "
     "withheld figures: use value_low / value_high, never a midpoint.", {}),
    ("value_low", "number", "Lower bound of the interval the figure is known to lie in (equal to value for "
     "exact figures; the band's low edge for bands; 1 for '<10'). Empty when nothing was published.", {}),
    ("value_high", "number", "Upper bound of that interval (9 for '<10'). Empty when nothing was published.", {}),
    ("status", "string", "How the figure was published: reported (exact), zero (0 printed), not_reported "
     "(blank cell: not zero), not_applicable ('-', 'N/A'), suppressed ('<10'), banded ('0-249'), withheld.",
     {"constraints": {"required": True, "enum": [m.value for m in Status]}}),
    ("is_total", "boolean", "True when the row or column is a total printed next to its parts: do not add it "
     "to them.", {"constraints": {"required": True}}),
    ("source_url", "string", "The URL the document was published at (the publisher's, even when fetched from "
     "a recorded mirror).", {"format": "uri", "constraints": {"required": True}}),
    ("document_sha256", "string", "sha256 of the archived file the figure was read from (see documents.csv).",
     {"constraints": {"required": True, "pattern": "[0-9a-f]{64}"}}),
    ("locator", "string", "Where in that file the figure was printed: member (ZIP entry), sheet, page, table, "
     "row (1-based, header row = 1, as a spreadsheet shows it), column (header as printed), bbox (PDF "
     "points).", {}),
    ("raw_text", "string", "The cell exactly as printed, byte for byte (leading spaces, footnote marks, "
     "quotes, thousands separators kept).", {}),
    ("kind", "string", "The kind of figure: user-data, content-removal, national-security, other.",
     {"constraints": {"required": True, "enum": [m.value for m in Kind]}}),
    ("counts_toward_total", "boolean", "False for rows the report's own notes exclude from its totals (e.g. "
     "Google's preservation requests).", {"constraints": {"required": True}}),
    ("fact_key", "string", "locator|metric (|extra dimensions): unique within a document.",
     {"constraints": {"required": True}}),
    ("note", "string", "Anything lossy or uncertain about this figure, said plainly.", {}),
    ("extra", "string", "JSON object of further published dimensions (product, requester type, ...), keys "
     "sorted; {} when none.", {}),
    ("member", "string", "The file inside a ZIP the figure was read from.", {}),
    ("sheet", "string", "The workbook sheet the figure was read from.", {}),
    ("page", "integer", "The 1-based PDF page the figure was printed on.", {}),
    ("row_number", "integer", "The 1-based row (header row = 1) the figure was printed in.", {}),
    ("column_name", "string", "The column's header as printed.", {}),
    ("archive_path", "string", "Where govreq's archive keeps the file, relative to its data directory.", {}),
    ("fetched_at", "datetime", "When govreq first fetched the file (UTC, to the second).", {}),
]

DOCUMENT_FIELDS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("sha256", "string", "sha256 of the archived file: its identity.",
     {"constraints": {"required": True, "unique": True, "pattern": "[0-9a-f]{64}"}}),
    ("company", "string", "Company slug (govreq registry id).", {"constraints": {"required": True}}),
    ("series", "string", "Report series (govreq registry id).", {"constraints": {"required": True}}),
    ("url", "string", "The URL the file was published at.", {"format": "uri", "constraints": {"required": True}}),
    ("first_fetched_at", "datetime", "When govreq first fetched these bytes (UTC, to the second).",
     {"constraints": {"required": True}}),
    ("archive_path", "string", "Where govreq's archive keeps the file, relative to its data directory.",
     {"constraints": {"required": True}}),
    ("fact_count", "integer", "How many facts the file holds in the warehouse (all of them are in facts.csv "
     "only when is_current is true).", {"constraints": {"required": True}}),
    ("last_modified", "datetime", "The server's Last-Modified for the file, when it sent one (UTC).", {}),
    ("content_type", "string", "The Content-Type the file was served with.", {}),
    ("bytes", "integer", "The file's size in bytes.", {}),
    ("parser", "string", "The govreq parser module that read it.", {}),
    ("version", "integer", "1 for the oldest version of this URL govreq holds, 2 for the next, ... ordered by "
     "Last-Modified when known, else by first fetch.", {"constraints": {"required": True}}),
    ("is_current", "boolean", "True for the newest loaded version of its URL: only these files' facts are in "
     "facts.csv.", {"constraints": {"required": True}}),
    ("newer_unloaded", "integer", "Newer downloads of the same URL that govreq could not parse. Above 0, the "
     "facts of this URL may be out of date.", {"constraints": {"required": True}}),
]

# Licences of specific sources, by company slug, as the publishers state them.
SOURCE_LICENCES: dict[str, dict[str, str]] = {
    "github": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
               "title": "Creative Commons Attribution 4.0: GitHub's transparency data (attribute GitHub)"},
    "ranking-digital-rights": {"name": "MIT", "path": "https://opensource.org/licenses/MIT",
                               "title": "MIT: Ranking Digital Rights' index data (keep their notice)"},
}

# What govreq itself can license; the publishers' own licences are added for the sources present.
GOVREQ_LICENCES = [
    {"name": "ODC-By-1.0", "path": "https://opendatacommons.org/licenses/by/1-0/",
     "title": "Open Data Commons Attribution 1.0: govreq's compilation (selection, normalisation, locators). "
              "It does not license the published figures themselves: see the description."},
    {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/",
     "title": "CC0 1.0: this descriptor's own metadata (field descriptions and the like)."},
]
SOURCE_LICENCE_SCOPE = {
    "github": "CC BY 4.0: the rows whose company is github come from GitHub's transparency data, which GitHub "
              "licenses CC BY 4.0 (attribute GitHub).",
    "ranking-digital-rights": "MIT: the rows from Ranking Digital Rights' index data, which RDR publishes under "
                              "the MIT licence.",
}


def licences(companies: set[str]) -> list[dict[str, str]]:
    """govreq's own licences, then the licence of each source that states one and is in the export."""
    return GOVREQ_LICENCES + [SOURCE_LICENCES[c] | {"title": SOURCE_LICENCE_SCOPE[c]}
                              for c in sorted(companies) if c in SOURCE_LICENCES]


DESCRIPTION = """\
Figures that companies published in their transparency reports about government requests (requests for user \
data, content removals, national-security demands), one row per printed figure, with where it was printed and \
the cell exactly as printed.

Rights: the figures are the companies' own published statistics, copied as facts with citations; govreq grants \
no rights in them beyond what each publisher grants (see each source). GitHub's transparency data is CC BY 4.0 \
and Ranking Digital Rights' data is MIT-licensed, as their publishers state. govreq's compilation is offered \
under ODC-By 1.0 and this descriptor's metadata under CC0 1.0. Rows from a secondary source (a compilation by a \
third party, e.g. silk-transparency-db) are labelled by company/series and must be cited as secondary.

What is in it: the current facts only, i.e. those of the newest loaded version of each published file (a \
company that republishes a file at the same URL replaces its figures here; earlier versions are listed in \
documents.csv). Never add figures of different metrics or units; never add rows flagged is_total to their \
parts; bands and suppressed figures are intervals (value_low..value_high), not numbers.

Files: facts.csv (described below), documents.csv (the files the facts came from, every version) and \
facts.parquet, the same rows as facts.csv in the same order with typed columns (value as DOUBLE, dates as \
DATE, fetched_at as TIMESTAMP WITH TIME ZONE). facts.parquet is listed as a plain file resource: Frictionless \
does not read Parquet without an extra plugin.

Version: the newest first-fetch date of the files facts.csv comes from, then the first 12 hex digits of the \
sha256 of their sorted sha256 list (one per line); the same facts always give the same version.

""" + MISSING


@dataclass(frozen=True)
class SourceRow:
    source_url: str
    companies: list[str]
    series: list[str]
    document_sha256s: list[str]


def table_schema(fields: list[tuple[str, str, str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        "fields": [{"name": n, "type": t, "description": d, **extra} for n, t, d, extra in fields],
        "missingValues": [""],
    }


def source_entry(row: SourceRow) -> dict[str, Any]:
    """One entry of `sources`: the URL, who published it, the versions the facts came from, its licence."""
    entry: dict[str, Any] = {
        "title": f"{', '.join(row.companies)} / {', '.join(row.series)}: {row.source_url}",
        "path": row.source_url,
        "document_sha256": row.document_sha256s,
    }
    licences = [SOURCE_LICENCES[c] for c in row.companies if c in SOURCE_LICENCES]
    if licences:
        entry["licenses"] = licences
    return entry


def descriptor(
    *,
    version: str,
    sources: list[SourceRow],
    files: dict[str, tuple[int, str]],
) -> dict[str, Any]:
    """The datapackage.json content. `files` maps each written file name to (bytes, sha256)."""

    def stats(name: str) -> dict[str, Any]:
        size, digest = files[name]
        return {"bytes": size, "hash": f"sha256:{digest}"}

    facts_schema = table_schema(FACT_FIELDS)
    facts_schema["primaryKey"] = ["document_sha256", "fact_key"]
    facts_schema["foreignKeys"] = [
        {"fields": ["document_sha256"], "reference": {"resource": "documents", "fields": ["sha256"]}}
    ]
    documents_schema = table_schema(DOCUMENT_FIELDS)
    documents_schema["primaryKey"] = ["sha256"]
    return {
        "name": "govreq-facts",
        "title": "Government requests to companies, as their transparency reports print them",
        "description": DESCRIPTION,
        "version": version,
        "licenses": licences({c for s in sources for c in s.companies}),
        "sources": [source_entry(s) for s in sources],
        "resources": [
            {
                "name": "facts",
                "path": "facts.csv",
                "title": "Current facts: one row per printed figure",
                "description": "One published figure per row. " + MISSING,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **stats("facts.csv"),
                "schema": facts_schema,
            },
            {
                "name": "documents",
                "path": "documents.csv",
                "title": "The archived files (every loaded version) the facts came from",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **stats("documents.csv"),
                "schema": documents_schema,
            },
            {
                "name": "facts-parquet",
                "path": "facts.parquet",
                "type": "file",
                "title": "facts.csv as Parquet",
                "description": "The same rows as facts.csv, in the same order, with typed columns.",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                **stats("facts.parquet"),
            },
        ],
    }
