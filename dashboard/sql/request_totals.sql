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
WITH counted AS (
    SELECT
        f.*,
        coalesce(json_extract_string(f.extra, '$.product'), '') AS product
    FROM current_facts f
    WHERE f.kind IN ('user-data', 'content-removal')
      AND f.metric = 'requests' AND f.unit = 'requests'
      AND f.counts_toward_total
      AND coalesce(json_extract_string(f.extra, '$.secondary'), '') <> 'true'
), worldwide AS (
    SELECT
        company, series, kind, period_start, period_end, request_type, request_type_raw, product, unit,
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
        company, series, kind, period_start, period_end, request_type, request_type_raw, product, unit,
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
    l.value_low,
    l.value_high,
    l.status,
    l.raw_text,
    l.rows_used,
    l.source_url
FROM lines l
JOIN preference p USING (company, series, kind, period_start, period_end)
WHERE l.value_low IS NOT NULL
  AND CASE
        WHEN p.has_all THEN l.request_type = 'all'
        WHEN p.has_total THEN l.any_total
        ELSE TRUE
      END
ORDER BY l.company, l.series, l.kind, line, l.period_start;
