-- Core views over the stored documents and facts. Applied after schema.sql on every read-write open, so they
-- are replaced (CREATE OR REPLACE) whenever their definition changes.
--
-- What "current" means: a report series publishes files at URLs, and companies republish at the same URL with
-- past figures changed. Each archived file is one document (keyed by sha256). The documents loaded for one
-- (company, series, url) are that URL's versions, numbered 1, 2, ... in the order they were published:
-- by the server's Last-Modified when it sent one, else by when we first fetched the bytes, then by first fetch
-- (then sha256, only so that ties are ordered the same way every time). The newest version of each URL is
-- "current". Current facts are therefore "what each file says now", never a blend of versions.
--
-- What "current" does NOT mean:
--   * Versions are per URL. If a company moves a report to a new URL, the old URL's newest version stays
--     current too; two URLs can both hold a period. Compare by period before adding across URLs.
--   * Only loaded documents count. If the newest download of a URL failed to parse, the newest one that did
--     parse stays current: `newer_unloaded` counts the newer downloads that were refused, so that stale
--     figures can be flagged instead of silently shown as the latest.

CREATE OR REPLACE VIEW document_versions AS
WITH loaded AS (
    SELECT
        d.*,
        coalesce(d.last_modified, d.first_fetched_at) AS published_order_at
    FROM documents d
    WHERE d.parse_status IN ('loaded', 'partial')
), numbered AS (
    SELECT
        l.*,
        row_number() OVER (
            PARTITION BY l.company, l.series, l.url
            ORDER BY l.published_order_at, l.first_fetched_at, l.sha256
        ) AS version,
        count(*) OVER (PARTITION BY l.company, l.series, l.url) AS versions
    FROM loaded l
)
SELECT
    n.sha256,
    n.company,
    n.series,
    n.url,
    n.first_fetched_at,
    n.last_modified,
    n.published_order_at,
    n.content_type,
    n.bytes,
    n.archive_path,
    n.parser,
    n.fact_count,
    n.loaded_at,
    n.version,
    n.versions,
    n.version = n.versions AS is_newest,
    (
        -- refused downloads of the same URL that are newer than this version (see the header comment)
        SELECT count(*)
        FROM documents r
        WHERE r.company = n.company AND r.series = n.series AND r.url = n.url
          AND r.parse_status NOT IN ('loaded', 'partial')
          AND coalesce(r.last_modified, r.first_fetched_at) > n.published_order_at
    ) AS newer_unloaded
FROM numbered n;

-- The facts of the newest loaded version of each (company, series, url): what the published files say now.
CREATE OR REPLACE VIEW current_facts AS
SELECT f.*
FROM facts f
JOIN document_versions v ON v.sha256 = f.document_sha256
WHERE v.is_newest;

-- Every stored fact with the version it belongs to: the input for comparing a figure across versions.
CREATE OR REPLACE VIEW fact_history AS
SELECT
    f.*,
    v.url,
    v.version,
    v.versions,
    v.is_newest,
    v.first_fetched_at,
    v.last_modified,
    v.published_order_at
FROM facts f
JOIN document_versions v ON v.sha256 = f.document_sha256;
