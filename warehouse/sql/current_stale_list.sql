-- The series whose current figures are out of date (schema.sql current_stale), in a stable order.
SELECT company, series FROM current_stale ORDER BY company, series;
