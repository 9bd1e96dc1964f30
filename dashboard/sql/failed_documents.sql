-- Downloads the parsers refused, per company: shown on company pages so a gap is explained.
SELECT company, series, url, sha256, parse_status, coalesce(parse_error, '') AS parse_error,
       strftime(first_fetched_at, '%Y-%m-%d') AS first_fetched
FROM documents
WHERE parse_status NOT IN ('loaded', 'partial')
ORDER BY company, series, url, first_fetched_at;
