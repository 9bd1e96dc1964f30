-- Queries behind the disclosure model (warehouse/disclosure.py), one per "-- name:" block.
-- All read the current facts (the newest loaded version of each file: views_core.sql).
-- A "figure" is a cell that printed a number, a zero, a suppressed value ("<10") or a band. Blanks
-- (not_reported), "-" (not_applicable) and "withheld" publish no figure, so they never lift a level.

-- name: coverage
-- Per company, series, kind and calendar year overlapped by a period: how many figures, how many of them per
-- country (ISO code set: pseudo-jurisdictions such as EU or INTERPOL map to no code), and example cells.
-- Aggregated per period first (one pass over the facts), then spread over the years each period overlaps.
-- The example cells are chosen in a total order (ties broken by document and locator), so two builds of the same
-- facts cite the same cells.
WITH per_period AS (
    SELECT
        company, series, kind, period_start, period_end,
        count(*) AS figures,
        count(country_iso2) AS country_figures,
        list(DISTINCT country_iso2) FILTER (WHERE country_iso2 IS NOT NULL) AS countries,
        list(DISTINCT document_sha256) AS documents,
        max_by({'url': source_url, 'sha256': document_sha256, 'locator': locator, 'raw': raw_text,
                'country': country_iso2, 'period_end': CAST(period_end AS VARCHAR), 'metric': metric},
               (locator, document_sha256), 2) FILTER (WHERE country_iso2 IS NOT NULL) AS country_examples,
        max_by({'url': source_url, 'sha256': document_sha256, 'locator': locator, 'raw': raw_text,
                'country': country_iso2, 'period_end': CAST(period_end AS VARCHAR), 'metric': metric},
               (is_total, locator, document_sha256), 2) AS examples
    FROM current_facts
    WHERE status IN ('reported', 'zero', 'suppressed', 'banded')
      AND unit NOT IN ('score', 'hours', 'recipients')  -- ratings, durations and user counts are no demands
    GROUP BY company, series, kind, period_start, period_end
), per_year AS (
    SELECT *, unnest(range(year(period_start), year(period_end) + 1)) AS year
    FROM per_period
)
SELECT
    company, series, kind, CAST(year AS INTEGER) AS year,
    sum(figures) AS figures,
    sum(country_figures) AS country_figures,
    length(list_distinct(flatten(list(coalesce(countries, []))))) AS countries,
    list_sort(list_distinct(flatten(list(documents)))) AS documents,
    flatten(list(coalesce(country_examples, []) ORDER BY period_end DESC, period_start DESC))[1:2]
        AS country_examples,
    flatten(list(examples ORDER BY period_end DESC, period_start DESC))[1:2] AS examples
FROM per_year
GROUP BY company, series, kind, year
ORDER BY company, series, kind, year;

-- name: metric_spans
-- Per company, kind, series, metric and unit: the newest period end with a figure, for regressions.
SELECT company, kind, series, metric, unit, max(period_end) AS last_period_end, min(period_start) AS first_period_start
FROM current_facts
WHERE status IN ('reported', 'zero', 'suppressed', 'banded') AND unit <> 'score'
GROUP BY company, kind, series, metric, unit
ORDER BY company, kind, series, metric;

-- name: document_spans
-- Per loaded document and kind of its facts: format, publication order and the periods it covers, for the
-- publication lag (staleness) and format downgrades. Every loaded version counts, not only the newest.
SELECT
    v.company, v.series, f.kind, v.sha256, v.url, coalesce(v.content_type, '') AS content_type,
    CAST(timezone('UTC', v.published_order_at) AS DATE) AS published_on,
    min(f.period_start) AS first_period_start,
    max(f.period_end) AS last_period_end
FROM document_versions v
JOIN facts f ON f.document_sha256 = v.sha256
WHERE f.unit <> 'score'
GROUP BY ALL
ORDER BY v.company, v.series, f.kind, last_period_end;

-- name: rdr_scores
-- Ranking Digital Rights' indicator scores (not element or service scores) on government demands, as loaded:
-- 2022 P11a (user information) and F06 (content restriction); 2019 P11 and F6.
SELECT
    json_extract_string(f.extra, '$.rated_company') AS rated_company,
    json_extract_string(f.extra, '$.indicator') AS indicator,
    f.series, f.value, f.status, f.raw_text, f.period_start, f.period_end, f.source_url, f.document_sha256, f.locator
FROM current_facts f
WHERE f.company = 'ranking-digital-rights' AND f.unit = 'score' AND f.metric = 'rdr_indicator_score'
  AND json_extract_string(f.extra, '$.indicator') IN ('P11a', 'P11', 'F06', 'F6')
ORDER BY rated_company, f.period_end, indicator;

-- name: fetches
-- The newest attempt at each URL per company: where we looked, when, and what came back.
SELECT
    company, series, url,
    CAST(timezone('UTC', max(fetched_at)) AS DATE) AS fetched_on,
    arg_max(outcome, fetched_at) AS outcome,
    arg_max(http_status, fetched_at) AS http_status,
    arg_max(via_mirror, fetched_at) AS via_mirror   -- replayed from a recorded mirror: says nothing of the live page
FROM fetches
GROUP BY company, series, url
ORDER BY company, url;

-- name: printed_region_totals
-- Totals printed for a whole report's region (no country: e.g. a DSA report's all-EU row), one per period and
-- measure, for the evidence of mandated-regional-only levels. Only cells printed as totals; nothing is summed.
SELECT
    company, series, kind, period_start, period_end, metric, unit,
    coalesce(nullif(trim(request_type_raw), ''), replace(metric, '_', ' '))
        || CASE WHEN unit IN ('requests', 'other') THEN '' ELSE ' (' || unit || ')' END AS label,
    max(value_low) AS value_low,
    max(value_high) AS value_high,
    count(*) AS cells
FROM current_facts
WHERE is_total AND country_iso2 IS NULL
  AND status IN ('reported', 'zero', 'suppressed', 'banded')
  AND unit NOT IN ('score', 'percent', 'hours', 'recipients')
  -- a DSA filing's all-EU rows per category are totals over Member States, not the filing's total
  AND coalesce(json_extract_string(extra, '$.category'), 'TOTAL') = 'TOTAL'
GROUP BY ALL
ORDER BY company, series, kind, period_start, label;
