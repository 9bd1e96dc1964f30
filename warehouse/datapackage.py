"""The Frictionless Data Package descriptor of an export: field descriptions, keys, sources and licences."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from parsers.facts import Kind, RequestType, Status, Unit

MISSING = (
    "An empty field means no value. Text that is an empty string in the warehouse (raw_text of a blank printed "
    'cell, a note with nothing to say, country_raw of a company-wide figure) is written as "" (two quote '
    "characters); readers such as Frictionless treat both as missing."
)

# What each exported fact column means: name -> (description, extra Table Schema properties). The columns, their
# order and their types are the export's own (warehouse/sql/export_views.sql, over the facts table of
# schema.sql): `table_schema` reads them from the query, so this is the one place that only describes.
FACT_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "company": ("Slug of the company whose report series printed the figure (govreq registry id).",
     {"constraints": {"required": True}}),
    "series": ("The report series within the company (govreq registry id), e.g. user-data-requests.",
     {"constraints": {"required": True}}),
    "period_start": ("First day of the period the figure covers, as the report states it (never split "
     "or merged from another period).", {"constraints": {"required": True}}),
    "period_end": ("Last day of the period the figure covers.", {"constraints": {"required": True}}),
    "country_iso2": ("ISO 3166-1 alpha-2 code of the requesting country (XK for Kosovo). Empty for "
     "company-wide figures and for requesters that are not a country (see country_raw).", {}),
    "country_raw": ("The country or requester label exactly as printed.", {}),
    "request_type": ("govreq's common request-type class; the printed label is in request_type_raw.",
     {"constraints": {"required": True, "enum": [m.value for m in RequestType]}}),
    "request_type_raw": ("The request type as the report labels it.", {}),
    "metric": ("What is counted, in snake_case (requests, accounts_specified, "
     "percent_some_data_produced, ...). Never add figures of different metrics or units.",
     {"constraints": {"required": True}}),
    "unit": ("The unit of the figure. percent is on the 0-100 scale as published.",
     {"constraints": {"required": True, "enum": [m.value for m in Unit]}}),
    "value": ("The figure, only when the report printed an exact number (status reported or zero, "
     "or a derived value that says so in note). Empty for bands, suppressed, not reported, not applicable and "
     "withheld figures: use value_low / value_high, never a midpoint.", {}),
    "value_low": ("Lower bound of the interval the figure is known to lie in (equal to value for "
     "exact figures; the band's low edge for bands; 1 for '<10'). Empty when nothing was published.", {}),
    "value_high": ("Upper bound of that interval (9 for '<10'). Empty when nothing was published.", {}),
    "status": ("How the figure was published: reported (exact), zero (0 printed), not_reported "
     "(blank cell: not zero), not_applicable ('-', 'N/A'), suppressed ('<10'), banded ('0-249'), withheld.",
     {"constraints": {"required": True, "enum": [m.value for m in Status]}}),
    "is_total": ("True when the row or column is a total printed next to its parts: do not add it "
     "to them.", {"constraints": {"required": True}}),
    "source_url": ("The URL the document was published at (the publisher's, even when fetched from "
     "a recorded mirror).", {"format": "uri", "constraints": {"required": True}}),
    "document_sha256": ("sha256 of the archived file the figure was read from (see documents.csv).",
     {"constraints": {"required": True, "pattern": "[0-9a-f]{64}"}}),
    "locator": ("Where in that file the figure was printed: member (ZIP entry), sheet, page, table, "
     "row (1-based, header row = 1, as a spreadsheet shows it), column (header as printed), bbox (PDF "
     "points).", {}),
    "raw_text": ("The cell exactly as printed, byte for byte (leading spaces, footnote marks, "
     "quotes, thousands separators kept).", {}),
    "kind": ("The kind of figure: user-data, content-removal, national-security, other.",
     {"constraints": {"required": True, "enum": [m.value for m in Kind]}}),
    "counts_toward_total": ("False for rows the report's own notes exclude from its totals (e.g. "
     "Google's preservation requests).", {"constraints": {"required": True}}),
    "fact_key": ("locator|metric (|extra dimensions): unique within a document.",
     {"constraints": {"required": True}}),
    "note": ("Anything lossy or uncertain about this figure, said plainly.", {}),
    "extra": ("JSON object of further published dimensions (product, requester type, ...), keys "
     "sorted; {} when none.", {}),
    "member": ("The file inside a ZIP the figure was read from.", {}),
    "sheet": ("The workbook sheet the figure was read from.", {}),
    "page": ("The 1-based PDF page the figure was printed on.", {}),
    "row_number": ("The 1-based row (header row = 1) the figure was printed in.", {}),
    "column_name": ("The column's header as printed.", {}),
    "archive_path": ("Where govreq's archive keeps the file, relative to its data directory.", {}),
    "fetched_at": ("When govreq first fetched the file (UTC, to the second).", {}),
    "fact_identity": ("The figure's cell in its series: company|series|period|country (ISO code, else the printed "
                      "label lower-cased after ~)|request type as printed, normalised (lower case, Requestor = "
                      "Requester)|metric|unit|extra. The same in every release that prints the figure; unique in "
                      "facts.csv. |#2 marks the second of two different figures one file prints under one cell.",
                      {"constraints": {"required": True}}),
    "release_published_at": ("When the release the row comes from was published: the server's Last-Modified "
                             "when it sent one, else when govreq first fetched it (UTC). Orders the releases.",
                             {"constraints": {"required": True}}),
    "printings": ("How many releases (loaded files) of the series print this figure; above 1, the older "
                  "printings are in facts_history and any difference between them is in the restatement ledger.",
                  {"constraints": {"required": True}}),
    "is_current": ("True for the printing facts.csv holds (the newest release that prints the figure).",
                   {"constraints": {"required": True}}),
}

DOCUMENT_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "sha256": ("sha256 of the archived file: its identity.",
     {"constraints": {"required": True, "unique": True, "pattern": "[0-9a-f]{64}"}}),
    "company": ("Company slug (govreq registry id).", {"constraints": {"required": True}}),
    "series": ("Report series (govreq registry id).", {"constraints": {"required": True}}),
    "url": ("The URL the file was published at.", {"format": "uri", "constraints": {"required": True}}),
    "first_fetched_at": ("When govreq first fetched these bytes (UTC, to the second).",
     {"constraints": {"required": True}}),
    "archive_path": ("Where govreq's archive keeps the file, relative to its data directory.",
     {"constraints": {"required": True}}),
    "fact_count": ("How many facts the file holds in the warehouse (all of them are in facts_history).",
     {"constraints": {"required": True}}),
    "last_modified": ("The server's Last-Modified for the file, when it sent one (UTC).", {}),
    "content_type": ("The Content-Type the file was served with.", {}),
    "bytes": ("The file's size in bytes.", {}),
    "parser": ("The govreq parser module that read it.", {}),
    "version": ("1 for the oldest version of this URL govreq holds, 2 for the next, ... ordered by "
     "Last-Modified when known, else by first fetch.", {"constraints": {"required": True}}),
    "is_current": ("True for the newest loaded version of its URL. Its figures are in facts.csv unless a "
     "newer release of the series (another file) prints them again: see current_figures.",
     {"constraints": {"required": True}}),
    "newer_unloaded": ("Newer downloads of the same URL that govreq could not parse. Above 0, the "
     "facts of this URL may be out of date.", {"constraints": {"required": True}}),
    "current_figures": ("How many of the file's figures are current (in facts.csv): the figures no newer release "
                        "of the series prints.", {"constraints": {"required": True}}),
}

# What govreq itself can license; the publishers' own licences (the registry's `licence`) are added for the
# sources present.
GOVREQ_LICENCES = [
    {"name": "ODC-By-1.0", "path": "https://opendatacommons.org/licenses/by/1-0/",
     "title": "Open Data Commons Attribution 1.0: govreq's compilation (selection, normalisation, locators). "
              "It does not license the published figures themselves: see the description."},
    {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/",
     "title": "CC0 1.0: this descriptor's own metadata (field descriptions and the like)."},
]


@functools.cache
def source_licences() -> dict[str, dict[str, str]]:
    """The licence each company's published data carries, by slug, as the registry records it (`licence` in
    crawlers/registry/<slug>.toml); companies without one are absent."""
    from crawlers.registry import load_registry

    return {c.slug: dict(c.licence) for c in load_registry().companies if c.licence}


def licences(companies: set[str]) -> list[dict[str, str]]:
    """govreq's own licences, then the licence of each source that states one and is in the export, its title
    saying which rows it covers."""
    known = source_licences()
    return GOVREQ_LICENCES + [{k: v for k, v in known[c].items() if k != "scope"}
                              | {"title": known[c].get("scope", known[c].get("title", ""))}
                              for c in sorted(companies) if c in known]


DESCRIPTION = """\
Figures that companies published in their transparency reports about government requests (requests for user \
data, content removals, national-security demands), one row per printed figure, with where it was printed and \
the cell exactly as printed.

Rights: the figures are the companies' own published statistics, copied as facts with citations; govreq grants \
no rights in them beyond what each publisher grants (see each source). GitHub's transparency data is CC BY 4.0 \
and Ranking Digital Rights' data is MIT-licensed, as their publishers state. govreq's compilation is offered \
under ODC-By 1.0 and this descriptor's metadata under CC0 1.0. Rows from a secondary source (a compilation by a \
third party, e.g. silk-transparency-db) are labelled by company/series and must be cited as secondary.

What is in it: each figure once. A figure's identity is its cell in its report series (fact_identity: \
company, series, period, country, request type, metric, unit, further dimensions), whichever file prints it; \
facts.csv holds, for every identity, the figure of the newest release that prints it (printings says how many \
releases did), so a company's countries for one period add up once even when later reports reprint them or a \
cumulative file is re-issued under a new name. facts_history.csv holds every printing, older ones included, \
each with its own citation. Never add figures of different metrics or units; never add rows flagged is_total \
to their parts; bands and suppressed figures are intervals (value_low..value_high), not numbers.

Files: facts.csv and facts_history.csv (described below), documents.csv (the files the facts came from, every \
version), facts.parquet and facts_history.parquet (the same rows as the CSVs, in the same order, with typed \
columns: value as DOUBLE, dates as DATE, fetched_at as TIMESTAMP WITH TIME ZONE), and the folder \
facts_history/ (the history again as Hive-partitioned Parquet, company=.../year=..., for DuckDB, Spark, Trino or \
polars). The Parquet files are listed as plain file resources: Frictionless does not read Parquet without an \
extra plugin.

Version: the newest first-fetch date of the files facts.csv comes from, then the first 12 hex digits of the \
sha256 of their sorted sha256 list (one per line); the same facts always give the same version.

""" + MISSING


@dataclass(frozen=True)
class SourceRow:
    source_url: str
    companies: list[str]
    series: list[str]
    document_sha256s: list[str]


# DuckDB types of the exported columns -> Table Schema types
_FIELD_TYPES = {"VARCHAR": "string", "DATE": "date", "DOUBLE": "number", "BOOLEAN": "boolean", "INTEGER": "integer",
                "BIGINT": "integer", "TIMESTAMP WITH TIME ZONE": "datetime", "TIMESTAMP": "datetime"}


def table_schema(descriptions: dict[str, tuple[str, dict[str, Any]]], columns: list[tuple[str, str]]
                 ) -> dict[str, Any]:
    """The Table Schema of an exported file: its columns and types as the export query has them (`columns`:
    name, DuckDB type), each with its description. A column nobody described is an error, not a silent gap."""
    missing = [name for name, _ in columns if name not in descriptions]
    if missing:
        raise KeyError(f"exported columns without a description in warehouse/datapackage.py: {missing}")
    return {
        "fields": [{"name": name, "type": _FIELD_TYPES[kind], "description": descriptions[name][0],
                    **descriptions[name][1]} for name, kind in columns],
        "missingValues": [""],
    }


def source_entry(row: SourceRow) -> dict[str, Any]:
    """One entry of `sources`: the URL, who published it, the versions the facts came from, its licence."""
    entry: dict[str, Any] = {
        "title": f"{', '.join(row.companies)} / {', '.join(row.series)}: {row.source_url}",
        "path": row.source_url,
        "document_sha256": row.document_sha256s,
    }
    known = source_licences()
    licences = [{k: v for k, v in known[c].items() if k != "scope"} for c in row.companies if c in known]
    if licences:
        entry["licenses"] = licences
    return entry


def descriptor(
    *,
    version: str,
    sources: list[SourceRow],
    files: dict[str, tuple[int, str]],
    columns: dict[str, list[tuple[str, str]]],
) -> dict[str, Any]:
    """The datapackage.json content. `files` maps each written file name to (bytes, sha256); `columns` maps
    facts, facts_history and documents to their exported (name, DuckDB type) columns."""

    def stats(name: str) -> dict[str, Any]:
        size, digest = files[name]
        return {"bytes": size, "hash": f"sha256:{digest}"}

    to_documents = [{"fields": ["document_sha256"], "reference": {"resource": "documents", "fields": ["sha256"]}}]
    facts_schema = table_schema(FACT_FIELDS, columns["facts"])
    facts_schema["primaryKey"] = ["fact_identity"]  # one row per figure: its cell in its series
    facts_schema["foreignKeys"] = to_documents
    history_schema = table_schema(FACT_FIELDS, columns["facts_history"])
    history_schema["primaryKey"] = ["document_sha256", "fact_key"]  # one row per printing
    history_schema["foreignKeys"] = to_documents
    documents_schema = table_schema(DOCUMENT_FIELDS, columns["documents"])
    documents_schema["primaryKey"] = ["sha256"]
    csv_resource = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
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
                "title": "Current figures: one row per figure, from the newest release that prints it",
                "description": "One published figure per row, each once (primary key fact_identity). " + MISSING,
                **csv_resource,
                **stats("facts.csv"),
                "schema": facts_schema,
            },
            {
                "name": "facts_history",
                "path": "facts_history.csv",
                "title": "Every printing of every figure, in every release govreq loaded",
                "description": "One row per figure per release that printed it; is_current marks the row facts.csv "
                               "holds. Compare the printings of one fact_identity to redo the restatement ledger. "
                               + MISSING,
                **csv_resource,
                **stats("facts_history.csv"),
                "schema": history_schema,
            },
            {
                "name": "documents",
                "path": "documents.csv",
                "title": "The archived files (every loaded version) the facts came from",
                **csv_resource,
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
            {
                "name": "facts-history-parquet",
                "path": "facts_history.parquet",
                "type": "file",
                "title": "facts_history.csv as Parquet",
                "description": "The same rows as facts_history.csv, in the same order, with typed columns. The "
                               "same rows again, Hive-partitioned (facts_history/company=.../year=.../*.parquet, "
                               "year of period_start), are in the folder facts_history/.",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                **stats("facts_history.parquet"),
            },
        ],
    }
