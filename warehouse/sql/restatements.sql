-- The restatement ledger: every figure that changed between two consecutive versions of one published file.
--
-- Versions: the loaded documents of one (company, series, url), in document_versions' order (views_core.sql).
-- Each version is compared with the one before it (restatement_pairs, views_restatements.sql). Versions are per
-- URL on purpose: a series can be several files printing the same periods (GitHub's "received" and "processed"
-- tables), so two files of one series are not versions of each other. Cumulative files (Google's and Apple's
-- ZIPs, Twitter's full history) are republished at one URL, which is where companies restate silently.
--
-- A figure is the same figure in both versions when it has the same period, country (country_iso2 when mapped,
-- else the printed label: "Turkey" -> "Türkiye" is one country), request type as printed, metric and further
-- dimensions (extra). Column renames do not matter: the metric is the canonical name, the header stays in the
-- locator. Should a version print one key twice, the copies are paired in locator order (key_ordinal).
--
-- Kinds:
--   status_changed  the status differs (blank -> 0 is not_reported -> zero: a change of status, even when a
--                   reader would see the "same" number); the value may or may not differ too
--   value_changed   same status, different value or bounds
--   withdrawn       printed in the old version, absent from the new one (note says when the new version no
--                   longer prints that period at all)
--   added           printed in the new version for a period ending on or before the old version's newest
--                   period end, absent from the old one. Figures for periods after that are new periods, not
--                   restatements, and are not listed.
-- A change of printed text alone (1234 -> 1,234) with the same status and value is not listed.
WITH pairs AS (
    -- consecutive versions (views_restatements.sql); $new_sha256s, when not NULL, keeps only the pairs whose
    -- newer version is listed: warehouse/restatements.py compares only the pairs it has not compared yet
    SELECT *
    FROM restatement_pairs
    WHERE $new_sha256s IS NULL OR list_contains(CAST($new_sha256s AS VARCHAR[]), new_sha256)
), versioned AS (
    -- only the facts of documents that take part in a comparison
    SELECT
        f.*,
        coalesce(f.country_iso2, f.country_raw) AS country_key,
        row_number() OVER (
            PARTITION BY f.document_sha256, f.period_start, f.period_end, coalesce(f.country_iso2, f.country_raw),
                         f.request_type_raw, f.metric, f.extra
            ORDER BY f.page NULLS FIRST, f.row_number NULLS FIRST, f.locator
        ) AS key_ordinal
    FROM facts f
    WHERE f.document_sha256 IN (SELECT old_sha256 FROM pairs UNION SELECT new_sha256 FROM pairs)
), spans AS (
    SELECT document_sha256, max(period_end) AS max_period_end
    FROM versioned
    GROUP BY document_sha256
), periods AS (
    SELECT DISTINCT document_sha256, period_start, period_end
    FROM versioned
), old_side AS (
    SELECT p.new_sha256, v.*
    FROM pairs p JOIN versioned v ON v.document_sha256 = p.old_sha256
), new_side AS (
    SELECT p.new_sha256 AS pair_new_sha256, v.*
    FROM pairs p JOIN versioned v ON v.document_sha256 = p.new_sha256
), compared AS (
    SELECT
        coalesce(o.new_sha256, n.pair_new_sha256) AS pair_key,
        o.document_sha256 AS o_sha, n.document_sha256 AS n_sha,
        coalesce(o.period_start, n.period_start) AS period_start,
        coalesce(o.period_end, n.period_end) AS period_end,
        coalesce(n.country_iso2, o.country_iso2) AS country_iso2,
        o.country_raw AS old_country_raw,
        n.country_raw AS new_country_raw,
        coalesce(o.request_type_raw, n.request_type_raw) AS request_type_raw,
        coalesce(o.metric, n.metric) AS metric,
        coalesce(o.unit, n.unit) AS unit,
        coalesce(o.extra, n.extra) AS extra,
        o.status AS old_status, n.status AS new_status,
        o.value AS old_value, n.value AS new_value,
        o.value_low AS old_value_low, n.value_low AS new_value_low,
        o.value_high AS old_value_high, n.value_high AS new_value_high,
        o.raw_text AS old_raw_text, n.raw_text AS new_raw_text,
        o.locator AS old_locator, n.locator AS new_locator,
        o.source_url AS old_source_url, n.source_url AS new_source_url
    FROM old_side o
    FULL OUTER JOIN new_side n
      ON n.pair_new_sha256 = o.new_sha256
     AND n.period_start = o.period_start AND n.period_end = o.period_end
     AND n.country_key = o.country_key
     AND n.request_type_raw = o.request_type_raw
     AND n.metric = o.metric
     AND n.extra = o.extra
     AND n.key_ordinal = o.key_ordinal
), classified AS (
    SELECT
        c.*,
        CASE
            WHEN c.o_sha IS NOT NULL AND c.n_sha IS NOT NULL AND c.old_status <> c.new_status THEN 'status_changed'
            WHEN c.o_sha IS NOT NULL AND c.n_sha IS NOT NULL
                 AND (c.old_value IS DISTINCT FROM c.new_value
                      OR c.old_value_low IS DISTINCT FROM c.new_value_low
                      OR c.old_value_high IS DISTINCT FROM c.new_value_high) THEN 'value_changed'
            WHEN c.n_sha IS NULL THEN 'withdrawn'
            WHEN c.o_sha IS NULL AND c.period_end <= s.max_period_end THEN 'added'
        END AS kind
    FROM compared c
    JOIN pairs p ON p.new_sha256 = c.pair_key
    JOIN spans s ON s.document_sha256 = p.old_sha256
)
SELECT
    p.company,
    p.series,
    c.period_start,
    c.period_end,
    c.country_iso2,
    c.request_type_raw,
    c.metric,
    c.kind,
    c.old_raw_text,
    c.new_raw_text,
    c.old_status,
    c.new_status,
    c.old_value,
    c.new_value,
    c.old_value_low,
    c.old_value_high,
    c.new_value_low,
    c.new_value_high,
    c.unit,
    c.old_country_raw,
    c.new_country_raw,
    c.extra,
    p.old_sha256 AS old_document_sha256,
    p.new_sha256 AS new_document_sha256,
    p.old_version,
    p.new_version,
    p.old_published_at,
    p.new_published_at,
    c.old_locator,
    c.new_locator,
    c.old_source_url,
    c.new_source_url,
    p.url,
    CASE
        WHEN c.kind = 'withdrawn' AND NOT EXISTS (
            SELECT 1 FROM periods q
            WHERE q.document_sha256 = p.new_sha256
              AND q.period_start = c.period_start AND q.period_end = c.period_end
        ) THEN 'the new version no longer prints this period at all'
        ELSE ''
    END AS note
FROM classified c
JOIN pairs p ON p.new_sha256 = c.pair_key
WHERE c.kind IS NOT NULL
ORDER BY p.company, p.series, p.url, p.new_version, c.period_start, c.period_end, c.country_iso2 NULLS LAST,
         c.request_type_raw, c.metric, c.extra, c.kind
