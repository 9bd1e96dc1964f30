-- Which text of schema.sql and the views (views*.sql) the warehouse was last brought up to, as one sha256
-- (warehouse/store.py _apply_schema): a writable open re-applies them only when that text changed.
-- name: create
CREATE TABLE IF NOT EXISTS schema_applied (
    fingerprint VARCHAR NOT NULL    -- sha256 of the DuckDB version and the SQL text applied
);
-- name: stored
SELECT fingerprint FROM schema_applied;
-- name: clear
DELETE FROM schema_applied;
-- name: store
INSERT INTO schema_applied VALUES ($fingerprint);
