-- The index's headline (the mart site_silent_companies, warehouse/sql/views_site_2_marts.sql).
SELECT * FROM site_silent_companies ORDER BY company;
