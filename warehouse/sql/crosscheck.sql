-- Cross-check: each figure of a SECONDARY compilation (extra.secondary = 'true') against our own parsed facts
-- for the same company (extra.reported_company = facts.company), country, request type, metric and unit.
-- Own figures are taken over every archived version of their documents (a restatement widens the interval).
-- Counts: the own half-years inside the secondary period are added up (a secondary annual figure against the
-- company's two half-years). Percentages: only the very same period. Intervals (bands, "<10") compare by overlap.
-- Verdicts: agree | disagree | not_comparable (a side published nothing) | partial_period (own periods do not
-- cover the secondary period). One row per secondary figure that has an own counterpart.
WITH secondary AS (
    SELECT json_extract_string(extra, '$.reported_company') AS company,
           period_start, period_end, country_iso2, country_raw, request_type, metric, unit,
           value_low AS secondary_low, value_high AS secondary_high, status AS secondary_status,
           raw_text AS secondary_raw, locator AS secondary_locator, document_sha256 AS secondary_document
    FROM facts
    WHERE json_extract_string(extra, '$.secondary') = 'true'
),
own AS (
    SELECT company, period_start, period_end, country_iso2, request_type, metric, unit,
           min(value_low) AS low, max(value_high) AS high,
           bool_or(value_low IS NULL) AS blank,
           count(DISTINCT document_sha256) AS versions,
           string_agg(DISTINCT raw_text, ' / ') AS raw_text
    FROM facts
    WHERE coalesce(json_extract_string(extra, '$.secondary'), '') <> 'true' AND unit <> 'score'
    GROUP BY company, period_start, period_end, country_iso2, request_type, metric, unit
),
matched AS (
    SELECT s.company, s.period_start, s.period_end, s.country_iso2, s.country_raw, s.metric, s.unit,
           s.secondary_low, s.secondary_high, s.secondary_status, s.secondary_raw, s.secondary_locator,
           s.secondary_document,
           sum(o.low) AS own_low, sum(o.high) AS own_high, bool_or(o.blank) AS own_blank,
           count(*) AS own_periods, max(o.versions) AS own_versions,
           sum(datediff('day', o.period_start, o.period_end) + 1) AS own_days,
           string_agg(o.raw_text, ' + ' ORDER BY o.period_start) AS own_raw
    FROM secondary AS s
    JOIN own AS o
      ON o.company = s.company AND o.country_iso2 = s.country_iso2 AND o.request_type = s.request_type
     AND o.metric = s.metric AND o.unit = s.unit
     AND o.period_start >= s.period_start AND o.period_end <= s.period_end
     AND (s.unit <> 'percent' OR (o.period_start = s.period_start AND o.period_end = s.period_end))
    GROUP BY ALL
)
SELECT company, period_start, period_end, country_iso2, country_raw, metric, unit,
       secondary_raw, secondary_low, secondary_high, own_raw, own_low, own_high, own_periods, own_versions,
       CASE
           WHEN own_days <> datediff('day', period_start, period_end) + 1 THEN 'partial_period'
           WHEN secondary_low IS NULL OR own_blank THEN 'not_comparable'
           -- percentages: the compilation rounds to whole percents, so half a point either way agrees
           WHEN secondary_low <= own_high + (CASE WHEN unit = 'percent' THEN 0.5 ELSE 0 END)
            AND own_low <= secondary_high + (CASE WHEN unit = 'percent' THEN 0.5 ELSE 0 END) THEN 'agree'
           ELSE 'disagree'
       END AS verdict,
       secondary_locator, secondary_document
FROM matched
ORDER BY verdict, company, period_start, country_iso2, metric;
