-- Drift findings per document (what a parser did not read: an unknown table, a new column...), when the
-- warehouse has the drift_findings table.
SELECT document_sha256, count(*) AS findings, string_agg(DISTINCT kind, ', ' ORDER BY kind) AS kinds
FROM drift_findings
GROUP BY document_sha256;
