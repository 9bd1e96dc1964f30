-- The fetch log read so far (fetch_log_read) and the downloads it names (archived_downloads): schema.sql.
-- name: position
SELECT bytes, lines, last_line_start, last_line_sha256 FROM fetch_log_read;
-- name: clear
DELETE FROM fetch_log_read;
-- name: store
INSERT INTO fetch_log_read VALUES ($bytes, $lines, $last_line_start, $last_line_sha256);
-- name: add_downloads
-- from the Arrow batch registered as `downloads_batch`; a file already listed keeps its first line
INSERT OR IGNORE INTO archived_downloads BY NAME SELECT * FROM downloads_batch;
-- name: pending
-- listed downloads whose facts are not stored (never parsed, refused, or without a parser yet), series by
-- series, and within a series in fetch-log order
SELECT sha256, company, series, url, fetched_at, last_modified, content_type, archive_path, bytes
FROM archived_downloads
WHERE sha256 NOT IN (SELECT sha256 FROM documents WHERE parse_status IN ('loaded', 'partial'))
ORDER BY company, series, log_line;
