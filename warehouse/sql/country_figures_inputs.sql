-- What the tables derived from the facts are computed from, as one fingerprint: the current figures, the
-- documents (document_versions orders releases; every loaded version of a figure comes with its document), the
-- companies' roles and the text of every view (total_rules, country_figures_live, ...). warehouse/disclosure.py
-- re-materialises such a table (country_figures, and the disclosure model's inputs from the facts) only when the
-- fingerprint differs from the one stored with its last materialisation (derived_inputs), so a no-op update does
-- not recompute them; any new fact, document, role or view definition does.
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
-- name: exists
SELECT count(*) FROM duckdb_tables() WHERE table_name = $name AND NOT temporary;
-- name: stored
SELECT fingerprint FROM derived_inputs WHERE name = $name;
-- name: store
INSERT OR REPLACE INTO derived_inputs VALUES ($name, $fingerprint);
