-- What country_figures (views_reporting.sql) is computed from, as one fingerprint: the current figures, the
-- documents (document_versions orders releases), the companies' roles and the text of every view (total_rules,
-- country_figures_live, ...). warehouse/disclosure.py rebuild re-materialises country_figures only when the
-- fingerprint differs from the one stored with the last materialisation (derived_inputs), so a no-op update does
-- not recompute it; any new fact, document, role or view definition does.
-- name: create
CREATE TABLE IF NOT EXISTS derived_inputs (
    name        VARCHAR PRIMARY KEY,     -- the derived table
    fingerprint VARCHAR NOT NULL         -- of its inputs when it was last rebuilt
);
-- name: fingerprint
SELECT concat_ws('/',
    (SELECT count(*) || ':' || coalesce(bit_xor(hash(fact_id, release, printings, release_published_at)), 0)
     FROM current_facts),
    (SELECT count(*) || ':' || coalesce(bit_xor(hash(sha256, parse_status, fact_count, first_fetched_at,
                                                     last_modified, url, company, series)), 0)
     FROM documents),
    (SELECT count(*) || ':' || coalesce(bit_xor(hash(company, name, role, disclosure)), 0) FROM company_roles),
    (SELECT count(*) || ':' || coalesce(bit_xor(hash(view_name, sql)), 0) FROM duckdb_views() WHERE NOT internal)
) AS fingerprint;
-- name: stored
SELECT fingerprint FROM derived_inputs WHERE name = 'country_figures';
-- name: store
INSERT OR REPLACE INTO derived_inputs VALUES ('country_figures', $fingerprint);
