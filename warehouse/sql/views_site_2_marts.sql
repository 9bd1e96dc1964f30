-- Marts for the dashboard (`govreq site`): which figure stands for what is chosen here, in SQL, so that
-- `govreq query` reads exactly what the pages draw (dashboard/ only formats). Applied after
-- views_site_1_rules.sql (the macros) and views_reporting.sql (total_rules, company_roles).
-- Counts carry two decimals at most (site_count in views_site_1_rules.sql); the facts keep every digit.

-- site_request_lines answers: "which lines of its reports does the requests page draw for company C?"
-- Company-wide request counts per reporting period, for the "requests over time" charts.
-- One line per company, series, kind of request and published request type (and product, where a report
-- splits by product). Rules, stated on the page:
--   * A worldwide figure the report printed (no country, blank or "Total"/"Worldwide" label) is used as is.
--   * Where a report printed only per-country rows, their lows and highs are summed separately (basis
--     'sum of countries'): a range stays a range, and the sum is a lower bound when a report leaves out
--     countries under a threshold. Requesters that are not countries (Europol, Interpol) are left out.
--   * Where a report prints an "all requests" type (or a total row) for a period, only that line is drawn, so request types
--     are never added together. Only the metric `requests` in unit `requests` is used: never accounts.
--   * Rows a report's notes exclude from its totals (counts_toward_total = false) and secondary sources are
--     left out.
--   * One table per release: where a series declares which table its totals come from (total_rules in
--     views_reporting.sql: Google's removals by requester, not again by product and reason; Apple's account
--     requests), only that table is used. Every line carries its table (source_table) and what it is made of
--     (parts), so lines from two tables are never added.
--   * Outside ratings and secondary compilations (company_roles) are not companies reporting their requests.
CREATE OR REPLACE VIEW site_request_lines AS
WITH counted AS (
    SELECT
        f.*,
        coalesce(json_extract_string(f.extra, '$.product'), '') AS product,
        coalesce(f.member, f.sheet, CASE WHEN regexp_extract(f.locator, 'table=(\d+)', 1) <> ''
                 THEN 'table ' || regexp_extract(f.locator, 'table=(\d+)', 1) END, 'the file') AS source_table
    FROM current_facts f
    LEFT JOIN total_rules r USING (company, series, kind)
    WHERE f.kind IN ('user-data', 'content-removal')
      AND f.metric = 'requests' AND f.unit = 'requests'
      AND f.counts_toward_total
      AND coalesce(json_extract_string(f.extra, '$.secondary'), '') <> 'true'
      AND f.company NOT IN (SELECT company FROM company_roles WHERE role <> 'company')
      AND (r.table_pattern IS NULL OR regexp_matches(
          coalesce(f.member, f.sheet, CASE WHEN regexp_extract(f.locator, 'table=(\d+)', 1) <> ''
                   THEN 'table ' || regexp_extract(f.locator, 'table=(\d+)', 1) END, 'the file'), r.table_pattern))
), worldwide AS (
    SELECT
        company, series, kind, period_start, period_end, request_type, request_type_raw, product, unit, source_table,
        first(value_low ORDER BY is_total DESC, fact_key) AS value_low,
        first(value_high ORDER BY is_total DESC, fact_key) AS value_high,
        first(status ORDER BY is_total DESC, fact_key) AS status,
        first(raw_text ORDER BY is_total DESC, fact_key) AS raw_text,
        first(source_url ORDER BY is_total DESC, fact_key) AS source_url,
        bool_or(is_total) AS any_total,
        'printed worldwide figure' AS basis,
        1 AS rows_used
    FROM counted
    WHERE country_iso2 IS NULL
      AND (trim(country_raw) = '' OR lower(trim(country_raw)) IN ('total', 'worldwide', 'global', 'all countries'))
    GROUP BY ALL
), by_country AS (
    SELECT
        company, series, kind, period_start, period_end, request_type, request_type_raw, product, unit, source_table,
        sum(value_low) AS value_low,
        sum(value_high) AS value_high,
        CASE WHEN bool_or(status IN ('suppressed', 'banded')) THEN 'range' ELSE 'reported' END AS status,
        '' AS raw_text,
        min(source_url) AS source_url,
        bool_or(is_total) AS any_total,
        'sum of countries' AS basis,
        count(value_low) AS rows_used
    FROM counted
    WHERE country_iso2 IS NOT NULL
    GROUP BY ALL
    HAVING count(value_low) > 0
), lines AS (
    SELECT * FROM worldwide
    UNION ALL BY NAME
    SELECT b.* FROM by_country b
    WHERE NOT EXISTS (
        SELECT 1 FROM worldwide w
        WHERE w.company = b.company AND w.series = b.series AND w.kind = b.kind
          AND w.period_start = b.period_start AND w.period_end = b.period_end
          AND w.request_type_raw = b.request_type_raw AND w.product = b.product AND w.unit = b.unit
          AND w.source_table = b.source_table
    )
), preference AS (
    -- per company, series, kind and period: draw only the "all" line if there is one, else only total lines,
    -- else each request type (reports add request types over time, so this is decided per period)
    SELECT
        company, series, kind, period_start, period_end,
        bool_or(request_type = 'all') AS has_all,
        bool_or(any_total) AS has_total
    FROM lines
    GROUP BY ALL
), tables AS (
    -- per company, series, kind and period: the tables its lines come from, and the table the rule prefers
    SELECT l.company, l.series, l.kind, l.period_start, l.period_end,
           count(DISTINCT l.source_table) AS tables,
           min(l.source_table) FILTER (WHERE regexp_matches(l.source_table, coalesce(r.prefer_pattern, '^$')))
               AS preferred
    FROM lines l
    LEFT JOIN total_rules r USING (company, series, kind)
    GROUP BY ALL
)
SELECT
    l.company,
    l.series,
    l.kind,
    strftime(l.period_start, '%Y-%m-%d') AS period_start,
    strftime(l.period_end, '%Y-%m-%d') AS period_end,
    l.request_type_raw || CASE WHEN l.product <> '' THEN ' (' || l.product || ')' ELSE '' END AS line,
    l.basis,
    CASE WHEN p.has_all THEN 'all requests line' WHEN p.has_total THEN 'total line' ELSE 'each request type' END
        AS choice,
    count(*) OVER (PARTITION BY l.company, l.series, l.kind, l.period_start, l.period_end) AS lines_in_period,
    l.unit,
    site_count(l.value_low) AS value_low,
    site_count(l.value_high) AS value_high,
    l.status,
    l.raw_text,
    l.rows_used,
    l.source_url,
    l.source_table,
    t.tables AS tables_in_period,
    l.source_table || ': ' || CASE WHEN l.basis = 'printed worldwide figure' THEN 'the worldwide row as printed'
                              ELSE 'sum of ' || l.rows_used || ' countries' END AS parts
FROM lines l
JOIN preference p USING (company, series, kind, period_start, period_end)
JOIN tables t USING (company, series, kind, period_start, period_end)
WHERE l.value_low IS NOT NULL
  AND (t.preferred IS NULL OR l.source_table = t.preferred)
  AND CASE
        WHEN p.has_all THEN l.request_type = 'all'
        WHEN p.has_total THEN l.any_total
        ELSE TRUE
      END;

-- site_request_figures answers: "which one figure stands for company C's requests of kind K in period P?"
-- (the requests page and each company's page draw exactly these rows). The rules, in views_site_1_rules.sql:
-- a printed line is preferred to a sum of countries; one line (or one "all requests" line) is used as printed;
-- otherwise the request types are summed (lows and highs apart, so a range stays a range), never across two
-- tables of one release; where two series cover the period, the one with a printed worldwide figure is kept.
CREATE OR REPLACE VIEW site_request_figures AS
SELECT * FROM site_figure_per_company_period('site_request_lines');

-- site_restatement_pairs answers: "between which two releases did company C change, add or withdraw figures it
-- had published, and how many of each?" One row per company, series and pair of releases (older -> newer), with
-- both archived copies (sha256, address, publication date). changed: a value or a status (blank, "<10") changed;
-- added: a figure for a past period the older release did not print; removed: a figure the newer one withdrew.
-- Counts are of figures (the ledger's `figures`: one ledger row may stand for a whole dropped table; a row
-- without that count is one figure).
CREATE OR REPLACE VIEW site_restatement_pairs AS
SELECT
    company, series, old_document_sha256, new_document_sha256,
    any_value(coalesce(old_url, old_source_url)) AS old_url, any_value(coalesce(new_url, new_source_url)) AS new_url,
    min(old_published_at) AS old_published_at, min(new_published_at) AS new_published_at,
    coalesce(sum(coalesce(figures, 1)) FILTER (WHERE kind IN ('value_changed', 'status_changed')), 0) AS changed,
    coalesce(sum(coalesce(figures, 1)) FILTER (WHERE kind = 'added'), 0) AS added,
    coalesce(sum(coalesce(figures, 1)) FILTER (WHERE kind = 'withdrawn'), 0) AS removed,
    coalesce(sum(coalesce(figures, 1)) FILTER (WHERE kind NOT IN ('value_changed', 'status_changed', 'added', 'withdrawn')), 0)
        AS other,
    sum(coalesce(figures, 1)) AS figures,
    count(DISTINCT (period_start, period_end)) AS periods
FROM restatements
GROUP BY company, series, old_document_sha256, new_document_sha256;

-- site_silent_companies answers: "which companies publish nothing voluntarily about government requests, on
-- the strength of a dated check?" (the index's headline; rules in views_site_1_rules.sql). Needs `govreq update`
-- to have filled disclosure_levels.
CREATE OR REPLACE VIEW site_silent_companies AS
SELECT * FROM site_silent_companies_of('disclosure_levels');
