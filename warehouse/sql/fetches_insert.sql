-- Append fetch-log lines from the Arrow batch registered as `fetch_batch`. A line already stored (same
-- fetch_id, i.e. the same log line) is skipped, so reloading the whole log is idempotent.
INSERT OR IGNORE INTO fetches (
    fetch_id, url, final_url, fetched_at, http_status, outcome, sha256, company, series, etag, last_modified,
    content_type, error, via_mirror
)
SELECT
    fetch_id, url, final_url, CAST(fetched_at AS TIMESTAMPTZ), http_status, outcome, sha256, company, series,
    etag, last_modified, content_type, error, via_mirror
FROM fetch_batch;
