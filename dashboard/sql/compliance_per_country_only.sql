-- Companies that publish compliance percentages only per country (no worldwide rate): named on the page so
-- that their absence from the chart is explained, not silent.
SELECT DISTINCT company
FROM current_facts
WHERE unit = 'percent' AND kind IN ('user-data', 'content-removal') AND country_iso2 IS NOT NULL
  AND coalesce(json_extract_string(extra, '$.secondary'), '') <> 'true'
EXCEPT
SELECT DISTINCT company
FROM current_facts
WHERE unit = 'percent' AND kind IN ('user-data', 'content-removal') AND country_iso2 IS NULL
  AND (trim(country_raw) = '' OR lower(trim(country_raw)) IN ('total', 'worldwide', 'global', 'all countries'))
ORDER BY company;
