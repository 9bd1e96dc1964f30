-- request_totals.sql over this build's copy of site_request_lines (request_lines_materialise.sql).
SELECT * FROM site_request_lines_built
ORDER BY company, series, kind, line, period_start, period_end, basis, value_low, source_url;
