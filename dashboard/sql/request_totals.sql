-- The lines the requests charts draw (the mart site_request_lines, warehouse/sql/views_site_2_marts.sql), in a
-- total order so that the same warehouse draws the same charts and reuses their images.
SELECT * FROM site_request_lines
ORDER BY company, series, kind, line, period_start, period_end, basis, value_low, source_url;
