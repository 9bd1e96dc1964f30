-- Reporting periods covered by each company's series in the current facts, for the per-company timeline.
SELECT
    company,
    series,
    kind,
    strftime(period_start, '%Y-%m-%d') AS period_start,
    strftime(period_end, '%Y-%m-%d') AS period_end,
    count(*) AS figures,
    count(DISTINCT country_iso2) AS countries
FROM current_facts
GROUP BY ALL
ORDER BY company, series, kind, period_start, period_end;  -- a total order: the same warehouse draws the same chart
