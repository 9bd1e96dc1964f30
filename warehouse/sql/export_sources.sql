-- One row per distinct source URL of the exported facts (current and every printing), with the documents they
-- came from and the newest fetch date among them.
SELECT
    f.source_url,
    list(DISTINCT f.company ORDER BY f.company) AS companies,
    list(DISTINCT f.series ORDER BY f.series) AS series,
    list(DISTINCT f.document_sha256 ORDER BY f.document_sha256) AS document_sha256s,
    CAST(max(CAST(timezone('UTC', f.fetched_at) AS DATE)) AS VARCHAR) AS newest_fetch_date
FROM export_fact_columns f
GROUP BY f.source_url
ORDER BY f.source_url;
