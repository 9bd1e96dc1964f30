-- Every archived document of every series, newest first (by when it was first fetched, then by the server's date):
-- the first row per series is its last document.
SELECT company, series, sha256, url, parse_status, parse_error,
       strftime(first_fetched_at, '%Y-%m-%dT%H:%M:%SZ') AS first_fetched_at
FROM documents
ORDER BY company, series, first_fetched_at DESC, last_modified DESC NULLS LAST, url DESC;
