-- The restatement ledger: every figure a publisher changed, withdrew or added between two releases of a series.
--
-- Releases: the loaded documents of one (company, series), whatever their URL, in publication order
-- (series_releases, views_core.sql). A figure is the same figure in two releases when it has the same identity
-- (schema.sql, macro fact_identity: period, country with aliases applied, request type, metric, unit, further
-- dimensions): so Turkey -> Türkiye is no change, a column rename is no change (the header stays in the
-- locator), and a report that reprints past half-years under a new URL (Verizon) or a cumulative file issued
-- under a new name (Twitter's full history beside its 2017 H1 file) is compared with the release before it.
--
-- Pairs: for every identity, each release that prints it is compared with the previous release that printed it.
-- A pair of releases is every (old, new) that is such a step for at least one identity; a series whose files
-- each print their own periods (Meta's one CSV per half-year) has no pairs and no restatements.
--
-- Kinds:
--   status_changed  the status differs (blank -> 0 is not_reported -> zero: a change of status, even when a
--                   reader would see the "same" number); the value may or may not differ too
--   value_changed   same status, different value or bounds
--   withdrawn       printed in the old release and in no later one; listed in the old release's first pair
--                   when the new release is the same file (same URL) or still prints that period (a report that
--                   just stops reprinting an old half-year withdraws nothing). The note says when the new
--                   release no longer prints the period at all. When every figure of a table (ZIP member, sheet,
--                   PDF page table) is withdrawn, the table is one row (scope 'table', figures = its count).
--   added           printed in the new release and in no earlier one, in its last pair, for a period the old
--                   release printed (or, same URL, ending on or before the old release's newest period end).
--                   Figures for periods after that are new periods, not restatements, and are not listed.
-- A change of printed text alone (1234 -> 1,234) with the same status and value is not listed.
--
-- $series_keys, when not NULL, keeps only the series listed as 'company|series' (warehouse/restatements.py
-- recomputes only the series that have a new release).
--
-- Only releases in a pair are read past the first step: those printing an identity that another release of the
-- series prints too. The rest (Meta's CSVs, each of its own half-year) share no figure with any release, so
-- leaving them out changes no chain of releases; on the corpus, 38 of 136 releases and 40 % of the facts remain
-- for the window sorts below, which cost most of the ledger's time.
WITH in_scope AS (
    SELECT r.*
    FROM series_releases r
    WHERE $series_keys IS NULL
       OR list_contains(CAST($series_keys AS VARCHAR[]), r.company || '|' || r.series)
), shared_identities AS (
    -- by the identity's 64-bit hash: a collision only keeps a release that is then compared for nothing
    SELECT f.company, f.series, hash(f.fact_identity) AS identity_hash
    FROM facts f
    JOIN in_scope r ON r.sha256 = f.document_sha256
    GROUP BY ALL
    HAVING count(DISTINCT f.document_sha256) > 1
), paired AS (
    SELECT DISTINCT f.document_sha256
    FROM facts f
    JOIN shared_identities s
      ON s.company = f.company AND s.series = f.series AND s.identity_hash = hash(f.fact_identity)
), releases AS (
    SELECT r.*, max_end.max_period_end
    FROM in_scope r
    JOIN (SELECT document_sha256, max(period_end) AS max_period_end
          FROM facts
          WHERE document_sha256 IN (SELECT document_sha256 FROM paired)
          GROUP BY document_sha256) max_end
      ON max_end.document_sha256 = r.sha256
), printed AS (
    -- one row per identity and release printing it (equal copies within a release are one figure)
    SELECT
        f.*,
        r.release,
        r.url,
        r.published_order_at,
        regexp_replace(f.locator, ';?(row|column|bbox)=[^;]*', '', 'g') AS table_scope
    FROM facts f
    JOIN releases r ON r.sha256 = f.document_sha256
    QUALIFY row_number() OVER (
        PARTITION BY f.document_sha256, f.fact_identity
        ORDER BY f.page NULLS FIRST, f.row_number NULLS FIRST, f.locator, f.fact_key) = 1
), chained AS (
    SELECT
        p.*,
        lag(p.release) OVER w AS previous_release,
        lead(p.release) OVER w AS next_release
    FROM printed p
    WINDOW w AS (PARTITION BY p.company, p.series, p.fact_identity ORDER BY p.release)
), pairs AS (
    SELECT DISTINCT company, series, previous_release AS old_release, release AS new_release
    FROM chained
    WHERE previous_release IS NOT NULL
), pair_info AS (
    SELECT
        p.*,
        o.sha256 AS old_sha256, n.sha256 AS new_sha256, o.url AS old_url, n.url AS new_url,
        o.max_period_end AS old_max_period_end,
        timezone('UTC', o.published_order_at) AS old_published_at,
        timezone('UTC', n.published_order_at) AS new_published_at,
        -- the old release's first pair (where its withdrawals are listed), the new release's last (additions)
        p.new_release = min(p.new_release) OVER (PARTITION BY p.company, p.series, p.old_release) AS first_of_old,
        p.old_release = max(p.old_release) OVER (PARTITION BY p.company, p.series, p.new_release) AS last_of_new
    FROM pairs p
    JOIN releases o ON o.company = p.company AND o.series = p.series AND o.release = p.old_release
    JOIN releases n ON n.company = p.company AND n.series = p.series AND n.release = p.new_release
), periods AS (
    SELECT DISTINCT document_sha256, period_start, period_end FROM facts
    WHERE document_sha256 IN (SELECT old_sha256 FROM pair_info UNION SELECT new_sha256 FROM pair_info)
), changed AS (
    SELECT
        pi.*, o.fact_identity, 'figure' AS scope, 1 AS figures,
        CASE WHEN o.status <> n.status THEN 'status_changed' ELSE 'value_changed' END AS kind,
        o.period_start, o.period_end, coalesce(n.country_iso2, o.country_iso2) AS country_iso2,
        n.request_type_raw, n.metric, n.unit, n.extra,
        o.country_raw AS old_country_raw, n.country_raw AS new_country_raw,
        o.status AS old_status, n.status AS new_status, o.value AS old_value, n.value AS new_value,
        o.value_low AS old_value_low, o.value_high AS old_value_high,
        n.value_low AS new_value_low, n.value_high AS new_value_high,
        o.raw_text AS old_raw_text, n.raw_text AS new_raw_text, o.locator AS old_locator, n.locator AS new_locator,
        o.source_url AS old_source_url, n.source_url AS new_source_url, '' AS note
    FROM chained n
    JOIN printed o
      ON o.company = n.company AND o.series = n.series AND o.fact_identity = n.fact_identity
     AND o.release = n.previous_release
    JOIN pair_info pi
      ON pi.company = n.company AND pi.series = n.series AND pi.old_release = o.release
     AND pi.new_release = n.release
    WHERE o.status <> n.status
       OR o.value IS DISTINCT FROM n.value
       OR o.value_low IS DISTINCT FROM n.value_low
       OR o.value_high IS DISTINCT FROM n.value_high
), withdrawn AS (
    SELECT
        pi.*, o.fact_identity, o.table_scope, o.period_start, o.period_end, o.country_iso2, o.request_type_raw,
        o.metric, o.unit, o.extra, o.country_raw, o.status, o.value, o.value_low, o.value_high, o.raw_text,
        o.locator, o.source_url,
        NOT EXISTS (
            SELECT 1 FROM periods q
            WHERE q.document_sha256 = pi.new_sha256
              AND q.period_start = o.period_start AND q.period_end = o.period_end
        ) AS period_gone
    FROM chained o
    JOIN pair_info pi
      ON pi.company = o.company AND pi.series = o.series AND pi.old_release = o.release AND pi.first_of_old
    WHERE o.next_release IS NULL
), withdrawn_listed AS (
    SELECT
        w.*,
        count(*) OVER (PARTITION BY w.old_sha256, w.new_sha256, w.table_scope) AS scope_withdrawn
    FROM withdrawn w
    WHERE w.old_url = w.new_url OR NOT w.period_gone
), table_sizes AS (
    SELECT document_sha256, table_scope, count(*) AS scope_figures
    FROM printed
    GROUP BY ALL
), withdrawn_rows AS (
    -- figures of a table the new release still partly prints: one row each
    SELECT
        w.company, w.series, w.old_release, w.new_release, w.old_sha256, w.new_sha256, w.old_url, w.new_url,
        w.old_max_period_end, w.old_published_at, w.new_published_at, w.first_of_old, w.last_of_new,
        w.fact_identity, 'figure' AS scope, 1 AS figures, 'withdrawn' AS kind,
        w.period_start, w.period_end, w.country_iso2, w.request_type_raw, w.metric, w.unit, w.extra,
        w.country_raw AS old_country_raw, NULL AS new_country_raw, w.status AS old_status, NULL AS new_status,
        w.value AS old_value, NULL AS new_value, w.value_low AS old_value_low, w.value_high AS old_value_high,
        NULL AS new_value_low, NULL AS new_value_high, w.raw_text AS old_raw_text, NULL AS new_raw_text,
        w.locator AS old_locator, NULL AS new_locator, w.source_url AS old_source_url, NULL AS new_source_url,
        CASE WHEN w.period_gone THEN 'the new release no longer prints this period at all' ELSE '' END AS note
    FROM withdrawn_listed w
    JOIN table_sizes t ON t.document_sha256 = w.old_sha256 AND t.table_scope = w.table_scope
    WHERE w.scope_withdrawn < t.scope_figures
    UNION ALL
    -- a table the new release no longer prints at all: one row for the whole table
    SELECT
        w.company, w.series, w.old_release, w.new_release, w.old_sha256, w.new_sha256, w.old_url, w.new_url,
        any_value(w.old_max_period_end), any_value(w.old_published_at), any_value(w.new_published_at),
        bool_and(w.first_of_old), bool_and(w.last_of_new),
        NULL AS fact_identity, 'table' AS scope, count(*) AS figures, 'withdrawn' AS kind,
        min(w.period_start), max(w.period_end), NULL, '', '(whole table)', NULL, '{}',
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        w.table_scope AS old_locator, NULL, any_value(w.source_url), NULL,
        'the new release no longer prints this table: ' || count(*) || ' figures, '
            || CASE WHEN w.table_scope = '' THEN 'the whole file' ELSE w.table_scope END AS note
    FROM withdrawn_listed w
    JOIN table_sizes t ON t.document_sha256 = w.old_sha256 AND t.table_scope = w.table_scope
    WHERE w.scope_withdrawn = t.scope_figures
    GROUP BY w.company, w.series, w.old_release, w.new_release, w.old_sha256, w.new_sha256, w.old_url, w.new_url,
             w.table_scope
), added AS (
    SELECT
        pi.*, n.fact_identity, 'figure' AS scope, 1 AS figures, 'added' AS kind,
        n.period_start, n.period_end, n.country_iso2, n.request_type_raw, n.metric, n.unit, n.extra,
        NULL AS old_country_raw, n.country_raw AS new_country_raw, NULL AS old_status, n.status AS new_status,
        NULL AS old_value, n.value AS new_value, NULL AS old_value_low, NULL AS old_value_high,
        n.value_low AS new_value_low, n.value_high AS new_value_high, NULL AS old_raw_text,
        n.raw_text AS new_raw_text, NULL AS old_locator, n.locator AS new_locator, NULL AS old_source_url,
        n.source_url AS new_source_url, '' AS note
    FROM chained n
    JOIN pair_info pi
      ON pi.company = n.company AND pi.series = n.series AND pi.new_release = n.release AND pi.last_of_new
    WHERE n.previous_release IS NULL
      AND CASE WHEN pi.old_url = pi.new_url THEN n.period_end <= pi.old_max_period_end
               ELSE EXISTS (SELECT 1 FROM periods q
                            WHERE q.document_sha256 = pi.old_sha256
                              AND q.period_start = n.period_start AND q.period_end = n.period_end) END
), ledger AS (
    SELECT * FROM changed
    UNION ALL BY NAME SELECT * FROM withdrawn_rows
    UNION ALL BY NAME SELECT * FROM added
)
SELECT
    company,
    series,
    period_start,
    period_end,
    country_iso2,
    request_type_raw,
    metric,
    kind,
    old_raw_text,
    new_raw_text,
    CAST(old_status AS VARCHAR) AS old_status,
    CAST(new_status AS VARCHAR) AS new_status,
    CAST(old_value AS DOUBLE) AS old_value,
    CAST(new_value AS DOUBLE) AS new_value,
    CAST(old_value_low AS DOUBLE) AS old_value_low,
    CAST(old_value_high AS DOUBLE) AS old_value_high,
    CAST(new_value_low AS DOUBLE) AS new_value_low,
    CAST(new_value_high AS DOUBLE) AS new_value_high,
    unit,
    CAST(old_country_raw AS VARCHAR) AS old_country_raw,
    CAST(new_country_raw AS VARCHAR) AS new_country_raw,
    extra,
    old_sha256 AS old_document_sha256,
    new_sha256 AS new_document_sha256,
    CAST(old_release AS BIGINT) AS old_release,
    CAST(new_release AS BIGINT) AS new_release,
    old_published_at,
    new_published_at,
    CAST(old_locator AS VARCHAR) AS old_locator,
    CAST(new_locator AS VARCHAR) AS new_locator,
    CAST(old_source_url AS VARCHAR) AS old_source_url,
    CAST(new_source_url AS VARCHAR) AS new_source_url,
    old_url,
    new_url,
    scope,
    CAST(figures AS BIGINT) AS figures,
    CAST(fact_identity AS VARCHAR) AS fact_identity,
    note
FROM ledger
ORDER BY company, series, new_release, old_release, period_start, period_end, country_iso2 NULLS LAST,
         request_type_raw, metric, extra, kind, old_locator
