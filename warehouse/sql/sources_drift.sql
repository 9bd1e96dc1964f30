-- Drift findings per document (what a parser did not read: an unknown table, a new column...), when the
-- warehouse has the drift_findings table. Findings that leave nothing unread (outcome 'noted': a format change,
-- a printed total that is not the sum of its parts) are not drift.
SELECT document_sha256, count(*) AS findings, string_agg(DISTINCT kind, ', ' ORDER BY kind) AS kinds
FROM drift_findings
WHERE outcome <> 'noted'
GROUP BY document_sha256;
