-- Insert facts from the Arrow batch registered as `fact_batch` (store.load_document builds it with the facts
-- table's own columns, schema.sql), computing the two columns SQL derives (macros in schema.sql): the key's
-- hash and the figure's identity in its series.
--
-- One document printing one identity more than once: when every copy says the same (status and bounds), they
-- are one figure printed twice (Wikimedia's 2018 H2 page repeats five figures in two tables) and keep one
-- identity. When the copies differ, the identity does not tell them apart, so each copy after the first (in
-- the order printed: page, row, locator) gets its ordinal, "|#2", "|#3": no figure is hidden behind another,
-- and the n-th copy of one release is compared with the n-th copy of the next (restatements.sql).
INSERT INTO facts BY NAME
WITH batch AS (
    SELECT
        *,
        fact_identity(company, series, period_start, period_end, country_iso2, country_raw, request_type_raw,
                      metric, unit, extra) AS base_identity
    FROM fact_batch
), repeated AS (
    -- identities a document prints more than once (usually none), found by a 64-bit hash of the identity, which
    -- groups twice as fast as the string (bench/load_keys.py); a collision only makes a candidate that the
    -- exact partitions below then treat as two identities
    SELECT document_sha256, hash(base_identity) AS identity_hash
    FROM batch
    GROUP BY ALL
    HAVING count(*) > 1
), ordinals AS (
    SELECT
        b.document_sha256, b.fact_key,
        row_number() OVER (PARTITION BY b.document_sha256, b.base_identity
                           ORDER BY b.page NULLS FIRST, b.row_number NULLS FIRST, b.locator, b.fact_key) AS copy,
        count(DISTINCT (b.status, coalesce(b.value_low, -1), coalesce(b.value_high, -1)))
            OVER (PARTITION BY b.document_sha256, b.base_identity) AS variants
    FROM batch b
    JOIN repeated r ON r.document_sha256 = b.document_sha256 AND r.identity_hash = hash(b.base_identity)
)
SELECT
    b.* EXCLUDE (base_identity),
    CASE WHEN o.variants > 1 AND o.copy > 1 THEN b.base_identity || '|#' || o.copy ELSE b.base_identity END
        AS fact_identity,
    fact_id(b.document_sha256, b.fact_key) AS fact_id
FROM batch b
LEFT JOIN ordinals o USING (document_sha256, fact_key);
