-- The one figure per company, kind and period that the requests page and each company's page draw (the mart
-- site_request_figures, warehouse/sql/views_site_2_marts.sql), in a total order.
SELECT * FROM site_request_figures
ORDER BY company, kind, period_start, period_end, series;
