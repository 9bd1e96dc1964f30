-- What `govreq export` publishes: the current facts (see views_core.sql for what "current" means), with the
-- document each came from. Temporary objects only, so that an export works on a read-only connection.
-- The rows are materialised once in their published order; both files are written from that one table.

CREATE OR REPLACE TEMP TABLE export_facts AS
SELECT
    -- the column contract of facts.csv: these first, in this order
    f.company,
    f.series,
    f.period_start,
    f.period_end,
    f.country_iso2,
    f.country_raw,
    f.request_type,
    f.request_type_raw,
    f.metric,
    f.unit,
    f.value,
    f.value_low,
    f.value_high,
    f.status,
    f.is_total,
    f.source_url,
    f.document_sha256,
    f.locator,
    f.raw_text,
    -- then the rest
    f.kind,
    f.counts_toward_total,
    f.fact_key,
    f.note,
    f.extra,
    f.member,
    f.sheet,
    f.page,
    f.row_number,
    f.column_name,
    d.archive_path,
    d.first_fetched_at AS fetched_at
FROM current_facts f
JOIN documents d ON d.sha256 = f.document_sha256
-- a total order (document_sha256, fact_key is the primary key): two exports of one warehouse are identical
ORDER BY
    f.company, f.series, f.period_start, f.period_end, f.country_iso2 NULLS FIRST, f.country_raw,
    f.request_type, f.metric, f.source_url, f.document_sha256, f.fact_key;

-- facts.csv: the same rows, numbers without a spurious ".0" and fetch times as ISO 8601 UTC
CREATE OR REPLACE TEMP VIEW export_facts_csv AS
SELECT
    * REPLACE (
        CASE WHEN value = trunc(value) AND abs(value) < 1e15
             THEN CAST(CAST(value AS BIGINT) AS VARCHAR) ELSE CAST(value AS VARCHAR) END AS value,
        CASE WHEN value_low = trunc(value_low) AND abs(value_low) < 1e15
             THEN CAST(CAST(value_low AS BIGINT) AS VARCHAR) ELSE CAST(value_low AS VARCHAR) END AS value_low,
        CASE WHEN value_high = trunc(value_high) AND abs(value_high) < 1e15
             THEN CAST(CAST(value_high AS BIGINT) AS VARCHAR) ELSE CAST(value_high AS VARCHAR) END AS value_high,
        strftime(timezone('UTC', fetched_at), '%Y-%m-%dT%H:%M:%SZ') AS fetched_at
    )
FROM export_facts;

-- documents.csv: every loaded document (every version, current or not), oldest version first
CREATE OR REPLACE TEMP TABLE export_documents AS
SELECT
    v.sha256,
    v.company,
    v.series,
    v.url,
    v.first_fetched_at,
    v.archive_path,
    v.fact_count,
    v.last_modified,
    v.content_type,
    v.bytes,
    v.parser,
    v.version,
    v.is_newest AS is_current,
    v.newer_unloaded
FROM document_versions v
ORDER BY v.company, v.series, v.url, v.version;

CREATE OR REPLACE TEMP VIEW export_documents_csv AS
SELECT
    * REPLACE (
        strftime(timezone('UTC', first_fetched_at), '%Y-%m-%dT%H:%M:%SZ') AS first_fetched_at,
        strftime(timezone('UTC', last_modified), '%Y-%m-%dT%H:%M:%SZ') AS last_modified
    )
FROM export_documents;
