-- The parse status of one document (no row: never seen). Parameter: sha256.
SELECT parse_status FROM documents WHERE sha256 = $sha256;
