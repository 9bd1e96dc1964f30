-- One drift finding of a document (see schema.sql).
INSERT INTO drift_findings (document_sha256, finding_no, table_locator, header, row_count, kind, outcome,
                            column_header, message)
VALUES ($sha256, $finding_no, $table_locator, $header, $row_count, $kind, $outcome, $column_header, $message);
