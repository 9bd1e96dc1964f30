-- What `govreq export` publishes: the current facts (see views_core.sql for what "current" means) and every
-- printing of every figure, with the document each came from. Temporary objects only, so that an export works
-- on a read-only connection. Nothing is materialised: each file is one streamed, sorted COPY.

CREATE OR REPLACE TEMP VIEW export_fact_columns AS
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
    d.first_fetched_at AS fetched_at,
    f.fact_identity,
    timezone('UTC', coalesce(d.last_modified, d.first_fetched_at)) AS release_published_at,
    f.fact_id
FROM facts f
JOIN documents d ON d.sha256 = f.document_sha256
WHERE d.parse_status IN ('loaded', 'partial');

-- facts.csv / facts.parquet: the current figure of each identity, with how many releases printed it.
-- A total order (fact_identity is unique here): two exports of one warehouse are identical.
CREATE OR REPLACE TEMP VIEW export_facts_unordered AS
SELECT e.* EXCLUDE (fact_id), c.printings
FROM current_facts c
JOIN export_fact_columns e ON e.fact_id = c.fact_id;

CREATE OR REPLACE TEMP VIEW export_facts AS
SELECT * FROM export_facts_unordered
ORDER BY company, series, period_start, period_end, country_iso2 NULLS FIRST, country_raw, request_type, metric,
         fact_identity;

-- facts_history.*: every printing of every figure (every fact of every loaded release), is_current marking
-- the one facts.csv holds. (document_sha256, fact_key) is unique.
CREATE OR REPLACE TEMP VIEW export_history_unordered AS
SELECT e.* EXCLUDE (fact_id), c.fact_id IS NOT NULL AS is_current
FROM export_fact_columns e
LEFT JOIN current_facts c ON c.fact_id = e.fact_id;

CREATE OR REPLACE TEMP VIEW export_history AS
SELECT * FROM export_history_unordered
ORDER BY company, series, period_start, period_end, fact_identity, release_published_at, document_sha256, fact_key;

-- numbers without a spurious ".0" and times as ISO 8601 UTC, for the CSV files
CREATE OR REPLACE TEMP MACRO export_number(x) AS
    CASE WHEN x = trunc(x) AND abs(x) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR) ELSE CAST(x AS VARCHAR) END;
CREATE OR REPLACE TEMP MACRO export_time(t) AS strftime(timezone('UTC', t), '%Y-%m-%dT%H:%M:%SZ');

-- The CSV views format the unordered rows and sort them themselves, in the same order as export_facts and
-- export_history: a filter on top of them (export.py writes one chunk at a time) then reaches the scan.
CREATE OR REPLACE TEMP VIEW export_facts_csv AS
SELECT
    * REPLACE (
        export_number(value) AS value, export_number(value_low) AS value_low,
        export_number(value_high) AS value_high, export_time(fetched_at) AS fetched_at,
        strftime(release_published_at, '%Y-%m-%dT%H:%M:%SZ') AS release_published_at
    )
FROM export_facts_unordered
ORDER BY company, series, period_start, period_end, country_iso2 NULLS FIRST, country_raw, request_type, metric,
         fact_identity;

CREATE OR REPLACE TEMP VIEW export_history_csv AS
SELECT
    * REPLACE (
        export_number(value) AS value, export_number(value_low) AS value_low,
        export_number(value_high) AS value_high, export_time(fetched_at) AS fetched_at,
        strftime(release_published_at, '%Y-%m-%dT%H:%M:%SZ') AS release_published_at
    )
FROM export_history_unordered
ORDER BY company, series, period_start, period_end, fact_identity, release_published_at, document_sha256, fact_key;

-- documents.csv: every loaded document (every version, current or not), oldest version first
CREATE OR REPLACE TEMP VIEW export_documents AS
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
    v.newer_unloaded,
    coalesce(c.figures, 0) AS current_figures
FROM document_versions v
LEFT JOIN (SELECT document_sha256, count(*) AS figures FROM current_facts GROUP BY 1) c
  ON c.document_sha256 = v.sha256
ORDER BY v.company, v.series, v.url, v.version;

CREATE OR REPLACE TEMP VIEW export_documents_csv AS
SELECT
    * REPLACE (
        strftime(timezone('UTC', first_fetched_at), '%Y-%m-%dT%H:%M:%SZ') AS first_fetched_at,
        strftime(timezone('UTC', last_modified), '%Y-%m-%dT%H:%M:%SZ') AS last_modified
    )
FROM export_documents;
