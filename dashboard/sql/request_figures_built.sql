-- request_figures.sql over this build's copy of site_request_lines: the very macro the view site_request_figures
-- is (site_figure_per_company_period, warehouse/sql/views_site_1_rules.sql), on the same lines.
SELECT * FROM site_figure_per_company_period('site_request_lines_built')
ORDER BY company, kind, period_start, period_end, series;
