-- The restatements page's release pairs (the mart site_restatement_pairs, warehouse/sql/views_site_2_marts.sql),
-- newest comparison first within each company.
SELECT
    company, series, coalesce(old_document_sha256, '') AS old_document_sha256,
    coalesce(new_document_sha256, '') AS new_document_sha256,
    coalesce(old_url, '') AS old_url, coalesce(new_url, '') AS new_url,
    coalesce(strftime(old_published_at, '%Y-%m-%d'), '') AS old_published,
    coalesce(strftime(new_published_at, '%Y-%m-%d'), '') AS new_published,
    changed, added, removed, other, figures, periods
FROM site_restatement_pairs
ORDER BY company, series, new_published DESC, old_published DESC, new_document_sha256, old_document_sha256;
