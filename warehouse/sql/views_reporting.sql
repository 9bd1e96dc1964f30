-- Named views for reporters. Applied after views_core.sql on every read-write open (CREATE OR REPLACE).
-- docs/views.md shows an example query for each. Every view says what it answers and what it must not be
-- used for; the caveats travel with the numbers.
--
-- Sums: a figure is known to lie in [low, high]. Exact figures have low = high; "<10" is 1..9, a band is its
-- bounds. A blank ("not_reported") or "withheld" cell makes the upper bound of any sum unknown (NULL): the
-- company said nothing, which is not zero. "-" (not_applicable) adds nothing. Percentages and scores are never
-- summed. Figures are never added across units or metrics.

-- Derived tables, refreshed by `govreq update`: disclosure levels rebuilt whole (warehouse/disclosure.py), the
-- restatement ledger extended with only the new pairs of versions (warehouse/restatements.py).
-- Created empty here so that the views below and the dashboard work on a warehouse that was never updated.

-- The registry's companies and their roles, so that views can leave out outside ratings (Ranking Digital
-- Rights) and secondary compilations. While it is empty every company counts as a company.
CREATE TABLE IF NOT EXISTS company_roles (
    company     VARCHAR PRIMARY KEY,
    name        VARCHAR,
    role        VARCHAR NOT NULL,            -- company | outside-rating | secondary-compilation
    disclosure  VARCHAR                      -- publishes | mandated-regional-only | none-found (registry's summary)
);

-- disclosure_levels answers: "for company C, year Y and kind K, what did C publish: per-country figures,
-- totals only, a policy only, only a report a regulator mandates for one region, or nothing we could find?"
-- Caveat: the level rests on the figures govreq loaded and the places it checked (evidence); 'not-loaded' means
-- govreq knows of a report it has not read, 'not-checked' that nobody has looked, 'not-applicable' a year before
-- the company began: none of these says anything about the company. A claim of silence ('none-found') always
-- names its dated checks and their kind in `checks`.
CREATE TABLE IF NOT EXISTS disclosure_levels (
    company             VARCHAR NOT NULL,
    year                INTEGER NOT NULL,
    kind                VARCHAR NOT NULL,    -- user-data | content-removal | national-security
    level               VARCHAR NOT NULL,    -- per-country | totals-only | policy-only | mandated-regional-only |
                                             -- not-loaded | not-tracked | not-applicable | not-checked |
                                             -- none-found
    scope               VARCHAR NOT NULL,    -- voluntary-global | mandated-regional | '' (nothing found)
    evidence            VARCHAR NOT NULL,    -- citations (url, sha256, locator, printed text) or checked places
    countries           INTEGER NOT NULL,    -- distinct ISO countries with figures (pseudo-jurisdictions excluded)
    figures             INTEGER NOT NULL,    -- published figures behind the level
    documents           VARCHAR NOT NULL,    -- sha256 of the documents the level rests on, space-separated
    rdr_p11a            DOUBLE,              -- Ranking Digital Rights' score beside ours (see rdr_source)
    rdr_f6              DOUBLE,
    rdr_source          VARCHAR NOT NULL,
    rdr_disagreement    VARCHAR NOT NULL,    -- '' when RDR's score and our level agree
    notes               VARCHAR NOT NULL,    -- staleness, regressions, format downgrades, mandated reports
    checks              VARCHAR DEFAULT '',  -- the dated checks a claim of silence rests on, in words, by kind
    PRIMARY KEY (company, year, kind)
);
-- a warehouse built before checks were graded gets the column (empty until the next update)
ALTER TABLE disclosure_levels ADD COLUMN IF NOT EXISTS checks VARCHAR DEFAULT '';

-- One line per finding about a company's publishing: stale | regression | format_downgrade | rdr_disagreement.
CREATE TABLE IF NOT EXISTS disclosure_findings (
    company     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    year        INTEGER,
    finding     VARCHAR NOT NULL,
    series      VARCHAR NOT NULL,
    detail      VARCHAR NOT NULL
);

-- restatements answers: "which published figures did a company change, withdraw or add in a later release of
-- the same series (the same file republished, or a later report reprinting them), and where are both?" Built by
-- warehouse/sql/restatements.sql, which defines the kinds. Caveat: only loaded releases are compared; a release
-- we never downloaded hides its changes.
CREATE TABLE IF NOT EXISTS restatements (
    company VARCHAR, series VARCHAR, period_start DATE, period_end DATE, country_iso2 VARCHAR,
    request_type_raw VARCHAR, metric VARCHAR, kind VARCHAR, old_raw_text VARCHAR, new_raw_text VARCHAR,
    old_status VARCHAR, new_status VARCHAR, old_value DOUBLE, new_value DOUBLE, old_value_low DOUBLE,
    old_value_high DOUBLE, new_value_low DOUBLE, new_value_high DOUBLE, unit VARCHAR, old_country_raw VARCHAR,
    new_country_raw VARCHAR, extra VARCHAR, old_document_sha256 VARCHAR, new_document_sha256 VARCHAR,
    old_release BIGINT, new_release BIGINT, old_published_at TIMESTAMP, new_published_at TIMESTAMP,
    old_locator VARCHAR, new_locator VARCHAR, old_source_url VARCHAR, new_source_url VARCHAR, old_url VARCHAR,
    new_url VARCHAR, scope VARCHAR, figures BIGINT, fact_identity VARCHAR, note VARCHAR
);

-- total_rules: which table of a release a total is taken from, where one release prints the same requests (or
-- different request types) in several tables. Declared here, one row per company, series and kind, each with its
-- reason; a release with several such tables and no rule gets no total ("no comparable total"), never a sum of
-- the tables. table_pattern is a regular expression on the table's name (ZIP member, sheet, "table N" of a
-- stacked CSV or PDF page, "the file"); prefer_pattern, where two tables the rule admits print the same period
-- (an old file's last period repeated in the new one), names the one taken.
CREATE OR REPLACE VIEW total_rules AS
SELECT * FROM (VALUES
    ('google', 'government-removals', 'content-removal',
     '^google-government-removal-requests(-historical)?\.csv$',
     'requests by requester (the summary table)',
     'Google prints the same removal requests twice: by requester (the summary) and by product and reason (the '
     || 'detail, where one request can count under several products); totals come from the summary only, the '
     || 'current summary where the historical one repeats its first period (2019 H1)',
     '^google-government-removal-requests\.csv$'),
    ('x', 'information-requests', 'user-data',
     '^(table 1|the file)$',
     'government information requests (Table 1)',
     'Twitter''s files stack a second table of non-government information requests under the government one; '
     || 'only the government table counts',
     NULL),
    ('apple', 'government-requests', 'user-data',
     '^account_requests\.csv$',
     'account requests',
     'Apple prints device, financial-identifier, emergency, preservation and restriction requests in tables of '
     || 'their own; device requests are mostly lost or stolen phones. Adding them makes a number Apple never '
     || 'printed, so the comparable measure is its account requests alone',
     NULL),
    ('microsoft', 'law-enforcement-requests', 'user-data',
     '(?i)^(sheet1|total|total \(2\)|total - criminal|criminal|all microsoft services)$',
     'law enforcement requests (the criminal or whole-report sheet)',
     'Microsoft''s newer workbooks print emergency and civil requests on sheets of their own beside the criminal '
     || 'one; totals come from the criminal (older: the only) sheet, emergencies and civil requests are not added',
     NULL),
    ('att', 'transparency-report', 'user-data',
     '^table 2$',
     'total U.S. criminal and civil litigation demands (table 2)',
     'AT&T prints its U.S. criminal and civil demands with their "Total Demands" row in one table (table 2 of every '
     || 'report from 2014 to 2020), and location demands, emergency requests and international demands in tables of '
     || 'their own, with no grand total; the total comes from table 2 only (U.S. demands) and the others are never '
     || 'added to it (they stay in the facts, country by country). Table numbers count the report''s '
     || 'blocks of figures in print order: a report that moves them gets no comparable total until this rule is '
     || 'reviewed',
     NULL)
) AS t(company, series, kind, table_pattern, measure, reason, prefer_pattern);

-- country_figures_live (building block) answers: "what one figure did company C print for country X (or
-- company-wide), period P and metric M, and from which table of which release?" A company prints several rows per
-- country (request types, totals beside parts), sometimes in several tables, and sometimes the same period in
-- several files. The rules, in order:
--   1. one release: the newest loaded file that prints the period and metric (files re-issued under new names
--      repeat periods; they are never added);
--   2. one table of it: the table total_rules declares, else the only table printing that country, else, when
--      several tables print it, their common figure if they agree, and no figure at all if they differ (status
--      'no_comparable_total'): two tables are never added;
--   3. within the table: the outermost printed total row (largest upper bound) that counts toward totals, else the
--      sum of the printed parts that count toward totals. Rows excluded by the company's own notes
--      (counts_toward_total = false, e.g. Google's preservation requests) never count.
-- `basis` says which ('printed total' | 'sum of printed parts' | 'no comparable total'), `parts` names the table
-- and the rows behind it, `measure` is the column heading as printed.
-- Caveat: counts only (no percent, no score); companies' request types are not comparable one to one.
CREATE OR REPLACE VIEW country_figures_live AS
WITH counted AS (
    SELECT
        f.company, f.series, f.kind, f.period_start, f.period_end, f.metric, f.unit,
        f.country_iso2,
        CASE
            WHEN f.country_iso2 IS NOT NULL THEN f.country_iso2
            WHEN trim(f.country_raw) = '' OR upper(trim(f.country_raw)) IN ('TOTAL', 'WORLDWIDE', 'GLOBAL', 'ALL')
                THEN ''
            ELSE f.country_raw
        END AS country_key,          -- '' = company-wide as printed; else ISO code or the printed requester
        coalesce(f.member, f.sheet, CASE WHEN regexp_extract(f.locator, 'table=(\d+)', 1) <> ''
                 THEN 'table ' || regexp_extract(f.locator, 'table=(\d+)', 1) END, 'the file') AS table_name,
        regexp_replace(coalesce(f.column_name, f.metric), '^[A-Z]+:', '') AS printed_heading,
        f.request_type_raw, f.is_total, f.status, f.value_low, f.value_high, f.document_sha256
    FROM current_facts f
    WHERE f.counts_toward_total
      AND f.unit NOT IN ('percent', 'score')
      AND f.company NOT IN (SELECT company FROM company_roles WHERE role <> 'company')
), releases AS (
    -- rule 1: per company, series, kind, period and metric, the newest loaded file printing it
    SELECT c.company, c.series, c.kind, c.period_start, c.period_end, c.metric, c.unit,
           arg_max(c.document_sha256, v.published_order_at::VARCHAR || c.document_sha256) AS document_sha256,
           count(DISTINCT c.document_sha256) AS files
    FROM counted c
    JOIN document_versions v ON v.sha256 = c.document_sha256
    GROUP BY ALL
), ruled AS (
    SELECT c.*, r.measure AS rule_measure, r.reason AS rule_reason, r.prefer_pattern, rel.files
    FROM counted c
    JOIN releases rel USING (company, series, kind, period_start, period_end, metric, unit, document_sha256)
    LEFT JOIN total_rules r USING (company, series, kind)
    WHERE r.table_pattern IS NULL OR regexp_matches(c.table_name, r.table_pattern)
), per_table AS (
    -- rule 3: one figure per table
    SELECT
        company, series, kind, period_start, period_end, metric, unit, country_key, table_name,
        any_value(document_sha256) AS document_sha256,
        any_value(country_iso2) AS country_iso2,
        any_value(rule_measure) AS rule_measure,
        any_value(rule_reason) AS rule_reason,
        any_value(prefer_pattern) AS prefer_pattern,
        any_value(files) AS files,
        bool_or(is_total) AS has_printed_total,
        -- the largest total row, whole: its bounds, status and heading come from one row. Rows that tie on the
        -- value (Comcast's "0-999" bands) are told apart by low bound, then heading, so two builds of the same
        -- facts pick the same row (arg_max over a tie picked any, and each column could pick another)
        arg_max({'low': value_low, 'high': value_high, 'status': status, 'heading': printed_heading},
                (coalesce(value_high, value_low, -1), coalesce(value_low, -1), printed_heading))
            FILTER (WHERE is_total) AS total_row,
        sum(value_low) FILTER (WHERE NOT is_total) AS parts_low,
        CASE WHEN bool_or(status IN ('not_reported', 'withheld')) FILTER (WHERE NOT is_total) THEN NULL
             ELSE coalesce(sum(value_high) FILTER (WHERE NOT is_total), 0) END AS parts_high,
        count(*) FILTER (WHERE NOT is_total) AS parts,
        string_agg(DISTINCT nullif(request_type_raw, ''), ', ' ORDER BY nullif(request_type_raw, ''))
            FILTER (WHERE NOT is_total) AS part_types,
        string_agg(DISTINCT printed_heading, ' / ' ORDER BY printed_heading) FILTER (WHERE NOT is_total)
            AS parts_heading,
        bool_and(status IN ('reported', 'zero', 'not_applicable')) FILTER (WHERE NOT is_total) AS parts_exact,
        count(*) FILTER (WHERE status IN ('suppressed', 'banded')) AS interval_rows,
        count(*) FILTER (WHERE status IN ('not_reported', 'withheld')) AS unknown_rows
    FROM ruled
    GROUP BY company, series, kind, period_start, period_end, metric, unit, country_key, table_name
), figured AS (
    SELECT * EXCLUDE (total_row),
        total_row.low AS total_low, total_row.high AS total_high, total_row.status AS total_status,
        total_row.heading AS total_heading,
        CASE WHEN has_printed_total THEN total_low ELSE parts_low END AS value_low,
        CASE WHEN has_printed_total THEN total_high ELSE parts_high END AS value_high,
        CASE WHEN has_printed_total THEN total_status IN ('reported', 'zero') ELSE coalesce(parts_exact, false) END
            AS is_exact,
        CASE WHEN has_printed_total THEN total_status
             WHEN parts_exact THEN 'reported'
             WHEN parts_low IS NULL AND parts_high IS NULL THEN 'not_reported'
             ELSE 'interval' END AS status,
        CASE WHEN has_printed_total THEN 'printed total' ELSE 'sum of printed parts' END AS basis,
        table_name || ': ' || CASE WHEN has_printed_total THEN 'the total row as printed'
             ELSE 'sum of ' || parts || ' printed row' || CASE WHEN parts = 1 THEN '' ELSE 's' END
                  || coalesce(' (' || part_types || ')', '') END AS parts_text,
        coalesce(rule_measure, CASE WHEN has_printed_total THEN total_heading ELSE parts_heading END) AS measure
    FROM per_table
), tables AS (
    -- rule 2: how many tables of the release print this country, and whether they agree
    SELECT company, series, kind, period_start, period_end, metric, unit, country_key,
           count(*) AS tables,
           min(value_low) IS NOT DISTINCT FROM max(value_low) AND min(value_high) IS NOT DISTINCT FROM max(value_high)
               AND count(DISTINCT coalesce(value_low, -1)) = 1 AND count(DISTINCT coalesce(value_high, -1)) = 1
               AS agree,
           string_agg(table_name, ' | ' ORDER BY table_name) AS table_list,
           coalesce(min(table_name) FILTER (WHERE regexp_matches(table_name, coalesce(prefer_pattern, '^$'))),
                    min(table_name)) AS first_table,
           bool_or(regexp_matches(table_name, coalesce(prefer_pattern, '^$'))) AS preferred
    FROM figured
    GROUP BY company, series, kind, period_start, period_end, metric, unit, country_key
), decided AS (
    SELECT *, tables > 1 AND NOT agree AND NOT preferred AS blocked FROM tables
)
SELECT
    f.company, f.series, f.kind, f.period_start, f.period_end, f.metric, f.unit, f.country_key, f.country_iso2,
    CASE WHEN t.blocked THEN 'no comparable total' ELSE f.basis END AS basis,
    CASE WHEN t.blocked THEN NULL ELSE f.value_low END AS value_low,
    CASE WHEN t.blocked THEN NULL ELSE f.value_high END AS value_high,
    CASE WHEN t.blocked THEN false ELSE f.is_exact END AS is_exact,
    CASE WHEN t.blocked THEN 'no_comparable_total' ELSE f.status END AS status,
    f.interval_rows, f.unknown_rows, f.document_sha256,
    CASE WHEN t.blocked
         THEN 'no comparable total: ' || t.tables || ' tables of one release print different figures ('
              || t.table_list || ') and no rule declares which one counts; they are not added'
         ELSE f.parts_text
              || CASE WHEN t.tables > 1 AND t.agree THEN '; the same figure is printed in ' || t.table_list
                      WHEN t.tables > 1 THEN '; also printed, differently, in ' || t.table_list || ': the rule '
                           || 'takes ' || f.table_name
                      ELSE '' END
              || CASE WHEN f.rule_reason IS NOT NULL THEN '; rule: ' || f.rule_reason ELSE '' END
              || CASE WHEN f.files > 1 THEN '; newest of ' || f.files || ' files printing this period' ELSE '' END
    END AS parts,
    CASE WHEN t.blocked THEN NULL ELSE f.measure END AS measure,
    f.table_name AS source_table
FROM figured f
JOIN decided t USING (company, series, kind, period_start, period_end, metric, unit, country_key)
WHERE t.tables = 1 OR f.table_name = t.first_table;

-- country_figures: the same rows, materialised (10 million facts make the live view take seconds; the table
-- answers in milliseconds). Rebuilt by `govreq update` (warehouse/disclosure.py rebuild), so it shows the facts as of
-- the last update; query country_figures_live for figures loaded since.
CREATE TABLE IF NOT EXISTS country_figures AS SELECT * FROM country_figures_live LIMIT 0;
-- a warehouse materialised before parts, measure and source_table existed gets the columns (empty until the next
-- update rebuilds the table)
ALTER TABLE country_figures ADD COLUMN IF NOT EXISTS parts VARCHAR;
ALTER TABLE country_figures ADD COLUMN IF NOT EXISTS measure VARCHAR;
ALTER TABLE country_figures ADD COLUMN IF NOT EXISTS source_table VARCHAR;

-- requests_by_company_period answers: "how many requests (accounts, items...) did company C report for period
-- P?", per series, kind, metric and unit, as an interval [value_low, value_high].
-- basis says where the number comes from: the company-wide figure as printed, or the sum of its countries
-- (pseudo-jurisdictions such as EU or INTERPOL included as printed requesters) from one table of one release
-- (country_figures' rules); `parts` names the table and rows, `measure` the heading as printed. Where the release
-- prints the period in tables that disagree and no rule says which counts, basis is 'no comparable total' and
-- there is no value: two breakdowns of the same requests are never added.
-- Caveat: a sum over countries with suppressed ("<10") or omitted small countries is a lower bound; value_high
-- is NULL when a blank makes the upper bound unknown. Periods are as published: never split or merged.
CREATE OR REPLACE VIEW requests_by_company_period AS
WITH keyed AS (
    SELECT *, (country_key = '') AS company_wide
    FROM country_figures
), company_wide AS (
    SELECT company, series, kind, period_start, period_end, metric, unit,
           bool_or(basis <> 'no comparable total') AS usable
    FROM keyed WHERE company_wide
    GROUP BY ALL
), by_table AS (
    -- the countries of one table; if a release's countries come from several tables, the one naming most
    -- countries is used (the others are left out, never added)
    SELECT c.company, c.series, c.kind, c.period_start, c.period_end, c.metric, c.unit, c.source_table,
           count(*) AS rows_in_table,
           bool_or(c.basis = 'no comparable total') AS blocked,
           any_value(c.parts) FILTER (WHERE c.basis = 'no comparable total') AS blocked_parts
    FROM keyed c
    WHERE NOT c.company_wide
    GROUP BY ALL
), chosen_table AS (
    SELECT company, series, kind, period_start, period_end, metric, unit,
           arg_max(source_table, rows_in_table::VARCHAR || source_table) AS source_table,
           count(*) AS tables, bool_or(blocked) AS blocked, any_value(blocked_parts) AS blocked_parts
    FROM by_table
    GROUP BY ALL
), used AS (
    SELECT c.*, 'company-wide figure as printed' AS basis_used, 1 AS tables
    FROM keyed c JOIN company_wide w USING (company, series, kind, period_start, period_end, metric, unit)
    WHERE c.company_wide AND w.usable
    UNION ALL BY NAME
    SELECT c.*, CASE WHEN t.blocked THEN 'no comparable total' ELSE 'sum over countries' END AS basis_used,
           t.tables, t.blocked_parts
    FROM keyed c
    JOIN chosen_table t USING (company, series, kind, period_start, period_end, metric, unit, source_table)
    LEFT JOIN company_wide w USING (company, series, kind, period_start, period_end, metric, unit)
    WHERE NOT c.company_wide AND (w.company IS NULL OR NOT w.usable)
)
SELECT
    company, series, kind, period_start, period_end, metric, unit,
    any_value(basis_used) AS basis,
    CASE WHEN bool_or(basis_used = 'no comparable total') THEN NULL ELSE sum(value_low) END AS value_low,
    CASE WHEN bool_or(basis_used = 'no comparable total') OR bool_or(value_high IS NULL) THEN NULL
         ELSE sum(value_high) END AS value_high,
    CASE WHEN bool_or(basis_used = 'no comparable total') THEN false ELSE bool_and(is_exact) END AS is_exact,
    count(DISTINCT country_iso2) AS countries,
    sum(interval_rows) AS interval_rows,
    sum(unknown_rows) AS unknown_rows,
    any_value(measure) AS measure,
    CASE WHEN any_value(basis_used) = 'company-wide figure as printed' THEN any_value(parts)
         WHEN bool_or(basis_used = 'no comparable total')
              THEN coalesce(any_value(parts) FILTER (WHERE basis = 'no comparable total'),
                            any_value(blocked_parts))
         ELSE 'sum of ' || count(*) || ' country figures from ' || any_value(source_table)
              || ' (each: ' || string_agg(DISTINCT basis, ' or ') || ')'
              || CASE WHEN any_value(tables) > 1 THEN '; ' || (any_value(tables) - 1)
                      || ' other table(s) of the release also print countries for it and are not added' ELSE '' END
    END AS parts,
    any_value(source_table) AS source_table
FROM used
GROUP BY company, series, kind, period_start, period_end, metric, unit;

-- government_asks answers: "how many user-data requests did the government of country X send to each company,
-- period by period?" One row per requesting country, company and period for every company that publishes
-- per-country user-data figures (disclosure_levels: level per-country, voluntary-global) and every period it
-- published. A company that did not print that country gets a gap row with status 'not_reported_by_company' and
-- no value: silence is shown, not omitted and never zero.
-- `measure` and `parts` say what each company's figure counts (Apple: account requests; Google: user-data requests,
-- preservation requests left out as Google's notes say) and from which table.
-- Caveat: companies count requests differently (one request can name many accounts); compare within a company.
-- Needs `govreq update` to have filled disclosure_levels.
CREATE OR REPLACE VIEW government_asks AS
WITH publishers AS (
    SELECT DISTINCT company FROM disclosure_levels
    WHERE kind = 'user-data' AND level = 'per-country' AND scope = 'voluntary-global'
), figures AS (
    SELECT f.*
    FROM country_figures f
    WHERE f.kind = 'user-data' AND f.metric = 'requests' AND f.unit = 'requests' AND f.country_iso2 IS NOT NULL
      AND f.company IN (SELECT company FROM publishers)
), company_periods AS (
    SELECT DISTINCT company, period_start, period_end FROM figures
), countries AS (
    SELECT DISTINCT country_iso2 FROM figures
)
SELECT
    k.country_iso2,
    p.company,
    p.period_start,
    p.period_end,
    coalesce(f.status, 'not_reported_by_company') AS status,
    f.value_low,
    f.value_high,
    f.is_exact,
    f.basis,
    f.measure,                -- what the company counted, as its table heads it (or as a declared rule names it)
    f.parts,                  -- the table and rows behind the figure
    f.series,
    f.document_sha256
FROM countries k
CROSS JOIN company_periods p
LEFT JOIN figures f
  ON f.country_iso2 = k.country_iso2 AND f.company = p.company
 AND f.period_start = p.period_start AND f.period_end = p.period_end;

-- compliance_rates answers: "what share of requests did company C say it complied with (produced some data,
-- removed content...), by period and country?" Percentages exactly as published, with the printed text.
-- Caveat: precision differs per company (54%, 83.00%, 0.76 as a fraction re-scaled to 76); never average them
-- across countries or companies, and a count derived from a percentage would be an interval.
CREATE OR REPLACE VIEW compliance_rates AS
SELECT
    f.company, f.series, f.kind, f.period_start, f.period_end, f.country_iso2, f.country_raw,
    f.request_type, f.request_type_raw, f.metric,
    f.value AS percent, f.value_low AS percent_low, f.value_high AS percent_high,
    f.status, f.raw_text, f.source_url, f.document_sha256, f.locator
FROM current_facts f
WHERE f.unit = 'percent'
  AND f.company NOT IN (SELECT company FROM company_roles WHERE role <> 'company');

-- cross_company_totals answers: "what do all companies' figures add up to for one metric and unit in exactly the
-- same period?" Sums only within one kind, metric and unit, over companies that printed that exact period.
-- Caveat (also in the caveat column): companies define requests differently, a company missing from the list
-- reported nothing for that period (not zero), and bounds follow the rules at the top of this file.
CREATE OR REPLACE VIEW cross_company_totals AS
SELECT
    kind, period_start, period_end, metric, unit,
    count(DISTINCT company) AS companies,
    string_agg(DISTINCT company, ' ' ORDER BY company) AS company_list,
    sum(value_low) AS value_low,
    CASE WHEN bool_or(value_high IS NULL) THEN NULL ELSE sum(value_high) END AS value_high,
    bool_and(is_exact) AS is_exact,
    'sum of ' || count(DISTINCT company) || ' companies'' own figures for exactly this period, one metric and '
        || 'unit; companies count differently; companies not listed reported nothing for it (not zero)'
        || CASE WHEN bool_or(value_high IS NULL) THEN '; upper bound unknown: a company left a figure blank'
                ELSE '' END AS caveat,
    string_agg(company || ' ' || series || ': ' || coalesce(measure, metric) || ' (' || basis || ')', '; '
               ORDER BY company, series) AS parts
FROM requests_by_company_period
WHERE basis <> 'no comparable total'
GROUP BY kind, period_start, period_end, metric, unit;
