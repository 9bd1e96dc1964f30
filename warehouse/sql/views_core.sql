-- Core views over the stored documents and facts. Applied after schema.sql on every read-write open, so they
-- are replaced (CREATE OR REPLACE) whenever their definition changes.
--
-- Versions of a file: a report series publishes files at URLs, and companies republish at the same URL with
-- past figures changed. Each archived file is one document (keyed by sha256). The documents loaded for one
-- (company, series, url) are that URL's versions, numbered 1, 2, ... in the order they were published:
-- by the server's Last-Modified when it sent one, else by when we first fetched the bytes, then by first fetch
-- (then sha256, only so that ties are ordered the same way every time). `document_versions` numbers them.
--
-- Releases of a series: every loaded document of a (company, series), whatever its URL, is one release, in the
-- same publication order (`series_releases`). A figure's identity is its cell in the series (schema.sql, macro
-- fact_identity), so a publisher that reprints past periods in its next report, or re-issues a cumulative file
-- under a new name, prints the same identity in two releases. The current figure of an identity is the one of
-- the newest release that prints it (`current_facts`), among the newest version of each URL: a file
-- republished at its URL replaces its old version whole, so a figure the new version dropped (withdrawn, see
-- the restatement ledger) is not current. Every older printing stays in `facts` (`fact_history`).
--
-- What "current" does NOT mean:
--   * A figure no newer release prints stays current from the last release that did: a series of one file
--     per half-year keeps every half-year current. Withdrawals are in the restatement ledger.
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

-- series_releases: every loaded document of a series as one release, 1 = the oldest (see the header).
CREATE OR REPLACE VIEW series_releases AS
SELECT
    d.sha256,
    d.company,
    d.series,
    d.url,
    coalesce(d.last_modified, d.first_fetched_at) AS published_order_at,
    d.first_fetched_at,
    row_number() OVER (
        PARTITION BY d.company, d.series
        ORDER BY coalesce(d.last_modified, d.first_fetched_at), d.first_fetched_at, d.sha256
    ) AS release,
    count(*) OVER (PARTITION BY d.company, d.series) AS releases,
    -- the newest version of its URL (document_versions' order): only these hold current figures
    row_number() OVER (
        PARTITION BY d.company, d.series, d.url
        ORDER BY coalesce(d.last_modified, d.first_fetched_at) DESC, d.first_fetched_at DESC, d.sha256 DESC
    ) = 1 AS is_newest_of_url
FROM documents d
WHERE d.parse_status IN ('loaded', 'partial');  -- a partial document's facts are read figures too

-- current_facts: one row per identity, the printing of the newest release that prints it, with how many
-- releases printed it (printings) and when that release was published. A table, kept by store.load_document
-- (warehouse/sql/current_facts_refresh.sql, per series, in the document's transaction): 10 million facts make
-- a live window over them take seconds. Its columns are the facts' columns plus the three below.
CREATE TABLE IF NOT EXISTS current_facts AS
SELECT
    f.*,
    CAST(NULL AS BIGINT) AS release,
    CAST(NULL AS BIGINT) AS printings,
    CAST(NULL AS TIMESTAMPTZ) AS release_published_at
FROM facts f
LIMIT 0;

-- Every stored fact (every printing) with the version of its URL and the release of its series it belongs to:
-- the input for comparing a figure across versions and releases.
CREATE OR REPLACE VIEW fact_history AS
SELECT
    f.*,
    v.url,
    v.version,
    v.versions,
    v.is_newest,
    v.first_fetched_at,
    v.last_modified,
    v.published_order_at,
    r.release,
    r.releases
FROM facts f
JOIN document_versions v ON v.sha256 = f.document_sha256
JOIN series_releases r ON r.sha256 = f.document_sha256;
