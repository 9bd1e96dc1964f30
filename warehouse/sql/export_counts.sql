-- Row counts (current figures, every printing, documents) and the inputs of the dataset version: the sorted hashes of the current documents (the ones
-- facts.csv comes from, hashed the same way as the dashboard's version, see site_dataset_version.sql) and the
-- newest first-fetch date among them.
SELECT
    (SELECT count(*) FROM current_facts) AS facts,
    (SELECT count(*) FROM facts f JOIN documents d ON d.sha256 = f.document_sha256 AND d.parse_status IN ('loaded', 'partial'))
        AS printings,
    (SELECT count(*) FROM export_documents) AS documents,
    (SELECT coalesce(string_agg(sha256, chr(10) ORDER BY sha256), '') FROM export_documents WHERE is_current)
        AS current_document_sha256s,
    (SELECT CAST(max(CAST(timezone('UTC', first_fetched_at) AS DATE)) AS VARCHAR)
     FROM export_documents WHERE is_current) AS newest_fetch_date;
