-- Requesting countries ranked for the country pages: by how many companies report them, then by requests.
SELECT
    country_iso2,
    mode(country_raw) AS country_label,
    count(DISTINCT company) AS companies,
    coalesce(sum(value_low), 0) AS requests_low
FROM current_facts
WHERE country_iso2 IS NOT NULL
  AND kind IN ('user-data', 'content-removal')
  AND metric = 'requests' AND unit = 'requests'
  AND coalesce(json_extract_string(extra, '$.secondary'), '') <> 'true'
GROUP BY country_iso2
ORDER BY companies DESC, requests_low DESC, country_iso2;
