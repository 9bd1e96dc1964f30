-- What identifies this state of the dataset: the current documents (hashed in Python) and the last update.
SELECT
    (SELECT list(sha256 ORDER BY sha256) FROM document_versions WHERE is_newest) AS current_documents,
    (SELECT coalesce(strftime(max(finished_at), '%Y-%m-%d %H:%M UTC'), '') FROM loads) AS last_update,
    (SELECT count(*) FROM current_facts) AS current_facts;
