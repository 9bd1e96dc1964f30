-- A series' current figures are out of date: a document of it was stored without recomputing them
-- (store.load_document with defer_current; current_stale in schema.sql).
INSERT OR IGNORE INTO current_stale VALUES ($company, $series);
