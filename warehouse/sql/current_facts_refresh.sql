-- Recompute current_facts (views_core.sql) for one series ($company, $series), or for every series when both
-- are NULL. current_facts_clear.sql first removes the rows it replaces.
-- Run by store.load_document inside the document's transaction, and whole by store.refresh_current.
-- Per identity: the printing of the newest release (series_releases) that is the newest version of its URL (an
-- identity only old versions of a file print was withdrawn from it); printings counts every release, old
-- versions too, that prints it. Within one release that prints an identity twice with equal figures
-- (facts_insert.sql), the first printed (page, row, locator).
INSERT INTO current_facts BY NAME
WITH releases AS (
    SELECT sha256, release, published_order_at, is_newest_of_url
    FROM series_releases
    WHERE ($company IS NULL OR company = $company) AND ($series IS NULL OR series = $series)
), winners AS (
    SELECT
        arg_min(f.fact_id, (-r.release, coalesce(f.page, 0), coalesce(f.row_number, 0), f.locator, f.fact_key))
            FILTER (WHERE r.is_newest_of_url) AS fact_id,
        count(DISTINCT f.document_sha256) AS printings
    FROM facts f
    JOIN releases r ON r.sha256 = f.document_sha256
    WHERE ($company IS NULL OR f.company = $company) AND ($series IS NULL OR f.series = $series)
    GROUP BY f.fact_identity
    HAVING bool_or(r.is_newest_of_url)  -- printed only by superseded versions of a file: withdrawn
)
SELECT f.*, r.release, w.printings, r.published_order_at AS release_published_at
FROM winners w
JOIN facts f ON f.fact_id = w.fact_id
JOIN releases r ON r.sha256 = f.document_sha256
WHERE ($company IS NULL OR f.company = $company) AND ($series IS NULL OR f.series = $series);
