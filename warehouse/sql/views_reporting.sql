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
-- govreq knows of a report it has not read, which says nothing about the company.
CREATE TABLE IF NOT EXISTS disclosure_levels (
    company             VARCHAR NOT NULL,
    year                INTEGER NOT NULL,
    kind                VARCHAR NOT NULL,    -- user-data | content-removal | national-security
    level               VARCHAR NOT NULL,    -- per-country | totals-only | policy-only | mandated-regional-only |
                                             -- not-loaded | not-tracked | none-found
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
    PRIMARY KEY (company, year, kind)
);

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

-- country_figures_live (building block) answers: "what one figure did company C print for country X (or company-wide),
-- period P and metric M?" A company prints several rows per country (request types, totals beside parts). When
-- it printed a total row (is_total) that counts toward totals, the outermost one (largest upper bound) is taken
-- as printed; otherwise its parts that count toward totals are summed. Rows excluded by the company's own
-- notes (counts_toward_total = false, e.g. Google's preservation requests) never count.
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
        f.is_total, f.status, f.value_low, f.value_high, f.document_sha256
    FROM current_facts f
    WHERE f.counts_toward_total
      AND f.unit NOT IN ('percent', 'score')
      AND f.company NOT IN (SELECT company FROM company_roles WHERE role <> 'company')
), grouped AS (
    SELECT
        company, series, kind, period_start, period_end, metric, unit, country_key,
        any_value(country_iso2) AS country_iso2,
        bool_or(is_total) AS has_printed_total,
        -- the outermost printed total: the total row with the largest upper bound (unknown bounds last)
        arg_max(value_low, coalesce(value_high, value_low, -1)) FILTER (WHERE is_total) AS total_low,
        arg_max(value_high, coalesce(value_high, value_low, -1)) FILTER (WHERE is_total) AS total_high,
        arg_max(status, coalesce(value_high, value_low, -1)) FILTER (WHERE is_total) AS total_status,
        sum(value_low) FILTER (WHERE NOT is_total) AS parts_low,
        CASE WHEN bool_or(status IN ('not_reported', 'withheld')) FILTER (WHERE NOT is_total) THEN NULL
             ELSE coalesce(sum(value_high) FILTER (WHERE NOT is_total), 0) END AS parts_high,
        count(*) FILTER (WHERE NOT is_total) AS parts,
        bool_and(status IN ('reported', 'zero', 'not_applicable')) FILTER (WHERE NOT is_total) AS parts_exact,
        count(*) FILTER (WHERE status IN ('suppressed', 'banded')) AS interval_rows,
        count(*) FILTER (WHERE status IN ('not_reported', 'withheld')) AS unknown_rows,
        min(document_sha256) AS document_sha256
    FROM counted
    GROUP BY company, series, kind, period_start, period_end, metric, unit, country_key
)
SELECT
    company, series, kind, period_start, period_end, metric, unit, country_key, country_iso2,
    CASE WHEN has_printed_total THEN 'printed total' ELSE 'sum of printed parts' END AS basis,
    CASE WHEN has_printed_total THEN total_low ELSE parts_low END AS value_low,
    CASE WHEN has_printed_total THEN total_high ELSE parts_high END AS value_high,
    CASE WHEN has_printed_total THEN total_status IN ('reported', 'zero') ELSE coalesce(parts_exact, false) END
        AS is_exact,
    CASE WHEN has_printed_total THEN total_status
         WHEN parts_exact THEN 'reported'
         WHEN parts_low IS NULL AND parts_high IS NULL THEN 'not_reported'
         ELSE 'interval' END AS status,
    interval_rows, unknown_rows, document_sha256
FROM grouped;

-- country_figures: the same rows, materialised (10 million facts make the live view take seconds; the table
-- answers in milliseconds). Rebuilt by `govreq update` (warehouse/disclosure.py rebuild), so it shows the facts as of
-- the last update; query country_figures_live for figures loaded since.
CREATE TABLE IF NOT EXISTS country_figures AS SELECT * FROM country_figures_live LIMIT 0;

-- requests_by_company_period answers: "how many requests (accounts, items...) did company C report for period
-- P?", per series, kind, metric and unit, as an interval [value_low, value_high].
-- basis says where the number comes from: the company-wide figure as printed, or the sum of its countries
-- (pseudo-jurisdictions such as EU or INTERPOL included as printed requesters).
-- Caveat: a sum over countries with suppressed ("<10") or omitted small countries is a lower bound; value_high
-- is NULL when a blank makes the upper bound unknown. Periods are as published: never split or merged.
CREATE OR REPLACE VIEW requests_by_company_period AS
WITH company_wide AS (
    SELECT company, series, kind, period_start, period_end, metric, unit
    FROM country_figures
    WHERE country_key = ''
)
SELECT
    c.company, c.series, c.kind, c.period_start, c.period_end, c.metric, c.unit,
    CASE WHEN w.company IS NOT NULL THEN 'company-wide figure as printed' ELSE 'sum over countries' END AS basis,
    sum(c.value_low) AS value_low,
    CASE WHEN bool_or(c.value_high IS NULL) THEN NULL ELSE sum(c.value_high) END AS value_high,
    bool_and(c.is_exact) AS is_exact,
    count(DISTINCT c.country_iso2) AS countries,
    sum(c.interval_rows) AS interval_rows,
    sum(c.unknown_rows) AS unknown_rows
FROM country_figures c
LEFT JOIN company_wide w USING (company, series, kind, period_start, period_end, metric, unit)
WHERE (w.company IS NULL) OR c.country_key = ''
GROUP BY ALL;

-- government_asks answers: "how many user-data requests did the government of country X send to each company,
-- period by period?" One row per requesting country, company and period for every company that publishes
-- per-country user-data figures (disclosure_levels: level per-country, voluntary-global) and every period it
-- published. A company that did not print that country gets a gap row with status 'not_reported_by_company' and
-- no value: silence is shown, not omitted and never zero.
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
                ELSE '' END AS caveat
FROM requests_by_company_period
GROUP BY kind, period_start, period_end, metric, unit;
