-- The dashboard's rules for which figure stands for a company-period, as macros over any table of lines, so
-- that the mart (views_site_2_marts.sql) and a check on synthetic lines (tests/test_charts.py) run the same SQL.
-- No table is read here: the file is applied before the views that call these macros.

-- a count as people read it: 12345 -> '12,345' (the site prints ranges as low–high, never a midpoint)
CREATE OR REPLACE MACRO site_count_text(x) AS
    CASE WHEN x = round(x) THEN format('{:,}', CAST(x AS BIGINT)) ELSE format('{:,.2f}', x) END;

-- a count as the site publishes it: to two decimals at most. Counts are whole numbers, except where a spreadsheet
-- stored a formula's float (Microsoft's 2015 H2 sheet: 572.113074204947 requests from Italy); the site never
-- prints such noise, and the warehouse's facts and `govreq export` keep every digit.
CREATE OR REPLACE MACRO site_count(x) AS round(x, 2);

-- One figure per company, series, kind and period, from that series' lines: the printed lines if any (a sum of
-- countries only where nothing was printed); one line, or exactly one "all requests" line, as printed; else the
-- sum of the request types (each counts toward the company's totals: the lines leave out rows a report
-- excludes, e.g. Google's preservation requests), lows and highs summed apart. Lines from two tables of one
-- release (two breakdowns, or unlike requests) are never added: such a period gets no figure.
CREATE OR REPLACE MACRO site_figure_per_series_period(lines) AS TABLE
WITH given AS (
    SELECT * FROM query_table(lines)
), printed AS (
    SELECT company, series, kind, period_start, period_end, bool_or(basis <> 'sum of countries') AS has_printed
    FROM given GROUP BY ALL
), used AS (
    SELECT g.* FROM given g JOIN printed p USING (company, series, kind, period_start, period_end)
    WHERE NOT p.has_printed OR g.basis <> 'sum of countries'
), groups AS (
    SELECT company, series, kind, period_start, period_end,
           count(*) AS n,
           count(DISTINCT coalesce(source_table, '')) AS tables,
           count(*) FILTER (WHERE choice = 'all requests line') AS alls
    FROM used GROUP BY ALL
), ranked AS (
    SELECT u.*, g.n, g.alls,
           row_number() OVER (PARTITION BY u.company, u.series, u.kind, u.period_start, u.period_end
                              ORDER BY u.line, u.basis, u.value_low, u.source_url) AS rank_in_group
    FROM used u JOIN groups g USING (company, series, kind, period_start, period_end)
    WHERE g.tables = 1
), as_printed AS (
    SELECT * EXCLUDE (n, alls, rank_in_group) REPLACE (series AS line)
    FROM ranked
    WHERE n = 1 OR (alls = 1 AND choice = 'all requests line')
), sums AS (
    SELECT company, series, kind, period_start, period_end,
           sum(value_low) AS value_low, sum(value_high) AS value_high,
           bool_or(value_low <> value_high) AS suppressed,
           string_agg(line || ': ' || CASE WHEN value_low = value_high THEN site_count_text(value_low)
                                           ELSE site_count_text(value_low) || '–' || site_count_text(value_high)
                                      END, ' + ' ORDER BY rank_in_group) AS raw_text,
           sum(rows_used) AS rows_used,
           count(*) AS lines_in_period
    FROM ranked
    WHERE NOT (n = 1 OR alls = 1)
    GROUP BY ALL
), summed AS (
    SELECT r.* EXCLUDE (n, alls, rank_in_group) REPLACE (
        r.series AS line, s.value_low AS value_low, s.value_high AS value_high,
        CASE WHEN s.suppressed THEN 'range' ELSE 'reported' END AS status,
        'sum of request types' || CASE WHEN r.basis = 'sum of countries' THEN ' (each a sum of countries)'
                                       ELSE '' END AS basis,
        s.raw_text AS raw_text,
        coalesce(r.source_table, '') || ': sum of ' || s.lines_in_period || ' request types as printed' AS parts,
        s.rows_used AS rows_used, s.lines_in_period AS lines_in_period)
    FROM ranked r JOIN sums s USING (company, series, kind, period_start, period_end)
    WHERE r.rank_in_group = 1
)
SELECT * FROM as_printed
UNION ALL BY NAME
SELECT * FROM summed;

-- Exactly one figure per company, kind and period (never added across series, units or metrics): where two
-- series of one company cover the same period, the one with a printed worldwide figure, else the first by name.
CREATE OR REPLACE MACRO site_figure_per_company_period(lines) AS TABLE
SELECT * FROM site_figure_per_series_period(lines)
QUALIFY row_number() OVER (PARTITION BY company, kind, period_start, period_end
                           ORDER BY basis <> 'printed worldwide figure', series) = 1;

-- A level claiming the company published nothing voluntarily, backed by at least one dated check.
CREATE OR REPLACE MACRO site_checked_silence(level, checks) AS
    level IN ('none-found', 'mandated-regional-only') AND coalesce(checks, '') <> ''
    AND NOT starts_with(checks, 'no dated check');

-- The index's headline: companies with no voluntary figures in any year assessed (every level none-found,
-- mandated-regional-only or not-checked) whose silence rests on at least one dated check. `not-loaded`,
-- `not-tracked` and `not-checked` are gaps in govreq and `not-applicable` a year before the company began:
-- none of them is silence. Per company: the user-data years where a dated check found nothing, the years
-- nobody checked (unknown, not silent), the years with only an EU-mandated report, and the checks' words.
CREATE OR REPLACE MACRO site_silent_companies_of(levels) AS TABLE
WITH given AS (
    SELECT * FROM query_table(levels)
)
SELECT
    company,
    list_sort(list_distinct(coalesce(list(year) FILTER (WHERE kind = 'user-data' AND level = 'none-found'
                                                    AND site_checked_silence(level, checks)), []))) AS nothing_years,
    list_sort(list_distinct(coalesce(list(year) FILTER (WHERE kind = 'user-data' AND level = 'not-checked'), [])))
        AS unchecked_years,
    list_sort(list_distinct(coalesce(list(year) FILTER (WHERE level = 'mandated-regional-only'), [])))
        AS regional_years,
    coalesce(list(checks ORDER BY year DESC, kind) FILTER (WHERE site_checked_silence(level, checks)), [])
        AS checks
FROM given
GROUP BY company
HAVING count(*) FILTER (WHERE level <> 'not-applicable') > 0
   AND bool_and(level IN ('none-found', 'mandated-regional-only', 'not-checked', 'not-applicable'))
   AND bool_or(level <> 'not-applicable' AND site_checked_silence(level, checks));
