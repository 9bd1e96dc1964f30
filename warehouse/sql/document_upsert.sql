-- Record one document. Called only when the document is not yet loaded (store.load_document checks inside the
-- same transaction): a refused document may be replaced by a later attempt; a loaded one never is.
-- Timestamps arrive as ISO strings in UTC so that no Python timezone library is needed.
INSERT INTO documents (
    sha256, company, series, url, first_fetched_at, last_modified, content_type, bytes, archive_path,
    parse_status, parse_error, parser, fact_count, loaded_at
) VALUES (
    $sha256, $company, $series, $url, CAST($first_fetched_at AS TIMESTAMPTZ),
    CAST($last_modified AS TIMESTAMPTZ), $content_type, $bytes, $archive_path,
    $parse_status, $parse_error, $parser, $fact_count, CAST($loaded_at AS TIMESTAMPTZ)
)
ON CONFLICT (sha256) DO UPDATE SET
    -- the first fetch stays the first one we ever saw
    first_fetched_at = least(documents.first_fetched_at, excluded.first_fetched_at),
    last_modified = coalesce(excluded.last_modified, documents.last_modified),
    content_type = excluded.content_type,
    bytes = excluded.bytes,
    archive_path = excluded.archive_path,
    parse_status = excluded.parse_status,
    parse_error = excluded.parse_error,
    parser = excluded.parser,
    fact_count = excluded.fact_count,
    loaded_at = excluded.loaded_at;
