-- Published compliance rates (unit percent, 0-100 as printed) for the worldwide row of each report, by company
-- and period. A rate is never computed here: only percentages the company printed itself are drawn.
WITH rates AS (
    SELECT f.*
    FROM current_facts f
    WHERE f.unit = 'percent'
      AND f.kind IN ('user-data', 'content-removal')
      AND (f.metric LIKE '%produced%' OR f.metric LIKE '%complied%' OR f.metric LIKE '%actioned%'
           OR f.metric LIKE '%disclosed%')
      AND f.country_iso2 IS NULL
      AND (trim(f.country_raw) = '' OR lower(trim(f.country_raw)) IN ('total', 'worldwide', 'global', 'all countries'))
      AND f.value_low IS NOT NULL
      AND coalesce(json_extract_string(f.extra, '$.secondary'), '') <> 'true'
), preference AS (
    SELECT company, series, metric, bool_or(request_type = 'all') AS has_all FROM rates GROUP BY ALL
)
SELECT
    r.company,
    r.series,
    r.kind,
    r.metric,
    r.request_type_raw AS line,
    strftime(r.period_start, '%Y-%m-%d') AS period_start,
    strftime(r.period_end, '%Y-%m-%d') AS period_end,
    r.unit,
    r.value_low,
    r.value_high,
    r.status,
    r.raw_text,
    r.source_url
FROM rates r
JOIN preference p USING (company, series, metric)
WHERE NOT p.has_all OR r.request_type = 'all'
ORDER BY r.company, r.series, r.metric, line, r.period_start;
