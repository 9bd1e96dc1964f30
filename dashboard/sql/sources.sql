-- Every loaded version of every source file, newest first per URL: the sources and staleness of a company page.
SELECT
    v.company,
    v.series,
    v.url,
    v.sha256,
    v.version,
    v.versions,
    v.is_newest,
    v.newer_unloaded,
    v.fact_count,
    strftime(v.first_fetched_at, '%Y-%m-%d') AS first_fetched,
    coalesce(strftime(v.last_modified, '%Y-%m-%d'), '') AS last_modified,
    (SELECT strftime(max(f.period_end), '%Y-%m-%d') FROM facts f WHERE f.document_sha256 = v.sha256) AS newest_period_end
FROM document_versions v
ORDER BY v.company, v.series, v.url, v.version DESC;
