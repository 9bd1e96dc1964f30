-- The restatement ledger: every figure a company changed after publishing it, with both versions' sources.
SELECT
    CAST(company AS VARCHAR) AS company,
    CAST(series AS VARCHAR) AS series,
    strftime(CAST(period_start AS DATE), '%Y-%m-%d') AS period_start,
    strftime(CAST(period_end AS DATE), '%Y-%m-%d') AS period_end,
    coalesce(CAST(country_iso2 AS VARCHAR), '') AS country_iso2,
    coalesce(CAST(request_type_raw AS VARCHAR), '') AS request_type_raw,
    CAST(metric AS VARCHAR) AS metric,
    CAST(kind AS VARCHAR) AS kind,
    coalesce(CAST(old_raw_text AS VARCHAR), '') AS old_raw_text,
    coalesce(CAST(new_raw_text AS VARCHAR), '') AS new_raw_text,
    coalesce(CAST(old_document_sha256 AS VARCHAR), '') AS old_document_sha256,
    coalesce(CAST(new_document_sha256 AS VARCHAR), '') AS new_document_sha256,
    coalesce(CAST(old_source_url AS VARCHAR), '') AS old_source_url,
    coalesce(CAST(new_source_url AS VARCHAR), '') AS new_source_url
FROM restatements
ORDER BY company, series, period_start, country_iso2, metric;
