-- The newest period each report series holds: the latest period_end among the facts of documents that loaded
-- (fully, or partly with drift findings). Read by govreq/sources.py.
SELECT f.company, f.series, max(f.period_end) AS newest_end
FROM facts f
JOIN documents d ON d.sha256 = f.document_sha256
WHERE d.parse_status IN ('loaded', 'partial')
GROUP BY f.company, f.series;
