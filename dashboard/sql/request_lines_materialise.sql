-- The mart site_request_lines computed once per build into a temporary table (a read-only connection may hold
-- temporary tables): the lines and the one figure per period (request_figures_built.sql) then both read it,
-- instead of scanning the current facts twice.
CREATE OR REPLACE TEMP TABLE site_request_lines_built AS SELECT * FROM site_request_lines;
