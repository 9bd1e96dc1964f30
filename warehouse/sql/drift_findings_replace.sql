-- A document's drift findings are recorded with it: a re-recorded (previously refused) document replaces them.
-- Parameter: sha256. Run before inserting the document's new findings, in the same transaction.
DELETE FROM drift_findings WHERE document_sha256 = $sha256;
