-- Every archived document, loaded or refused, for the documents page: what a citation on the site points to.
-- Anchored on the page by sha256, so a figure's link names the exact bytes it was read from.
SELECT
    d.company,
    d.series,
    d.url,
    d.sha256,
    strftime(d.first_fetched_at, '%Y-%m-%d') AS first_fetched,
    coalesce(strftime(d.last_modified, '%Y-%m-%d'), '') AS last_modified,
    d.parse_status,
    coalesce(d.parse_error, '') AS parse_error,
    coalesce(d.content_type, '') AS content_type,
    d.bytes,
    d.archive_path,
    d.fact_count,
    v.version,
    v.versions,
    coalesce(v.is_newest, FALSE) AS is_newest
FROM documents d
LEFT JOIN document_versions v USING (sha256)
ORDER BY d.company, d.series, d.url, d.first_fetched_at, d.sha256;
