-- One requesting country's figures from every company, per reporting period, for a country page: the metric
-- `requests` in unit `requests` only, the "all requests" (or total) line where the report prints one for the period.
-- Parameter $countries: a list of ISO 3166-1 alpha-2 codes (one query for every country page).
WITH counted AS (
    SELECT
        f.*,
        coalesce(json_extract_string(f.extra, '$.product'), '') AS product
    FROM current_facts f
    WHERE f.kind IN ('user-data', 'content-removal')
      AND f.metric = 'requests' AND f.unit = 'requests'
      AND f.counts_toward_total
      AND f.country_iso2 IS NOT NULL
      AND coalesce(json_extract_string(f.extra, '$.secondary'), '') <> 'true'
), preference AS (
    SELECT company, series, kind, period_start, period_end,
           bool_or(request_type = 'all') AS has_all, bool_or(is_total) AS has_total
    FROM counted
    GROUP BY ALL
), chosen AS (
    SELECT c.*
    FROM counted c
    JOIN preference p USING (company, series, kind, period_start, period_end)
    WHERE c.product = ''
      AND CASE WHEN p.has_all THEN c.request_type = 'all' WHEN p.has_total THEN c.is_total ELSE TRUE END
), published_periods AS (
    -- the periods in which each line printed per-country figures at all (for any country)
    SELECT DISTINCT company, series, kind, request_type, request_type_raw, period_start, period_end FROM chosen
)
SELECT
    k.country,
    p.company,
    p.series,
    p.kind,
    p.request_type_raw AS line,
    p.request_type,
    strftime(p.period_start, '%Y-%m-%d') AS period_start,
    strftime(p.period_end, '%Y-%m-%d') AS period_end,
    c.country_raw,
    c.unit,                                   -- NULL on a gap: nothing was printed
    c.value_low,
    c.value_high,
    coalesce(c.status, 'not_listed') AS status,
    coalesce(c.raw_text, '') AS raw_text,
    coalesce(c.source_url, '') AS source_url,
    coalesce(c.locator, '') AS locator
FROM published_periods p
CROSS JOIN (SELECT unnest($countries::VARCHAR[]) AS country) k
LEFT JOIN chosen c
  ON c.company = p.company AND c.series = p.series AND c.kind = p.kind AND c.request_type_raw = p.request_type_raw
 AND c.period_start = p.period_start AND c.period_end = p.period_end AND c.country_iso2 = k.country
ORDER BY k.country, p.kind, p.company, p.series, line, p.period_start, p.period_end, p.request_type,
         c.country_raw, c.fact_key;  -- a total order: the same warehouse draws the same chart (and reuses its image)
