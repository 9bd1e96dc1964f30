-- The sha256 of every document whose facts are stored: the update parses only the others.
SELECT sha256 FROM documents WHERE parse_status IN ('loaded', 'partial');
