-- EU Digital Services Act filings (harmonised template, table 3 and table 10): Member States' orders per platform.
--
-- Figures are the filings' own all-EU totals (Scope TOTAL, category TOTAL), never a sum of Member State or
-- category rows: a filing may count one order under two categories, and the template prints its total. Orders
-- to act (DSA Art. 9, content removal) and orders to provide information (Art. 10, user data) are counted
-- apart. Platforms categorise orders differently, so compare totals, not categories. The per-million rate divides
-- by the filing's own average monthly active recipients (table 10, all-EU) for the same service and period.
-- These are EU-only figures a law requires: they are kept apart from the voluntary global reports everywhere.

CREATE OR REPLACE VIEW eu_dsa_orders AS
WITH cells AS (
    SELECT
        f.company, f.series, coalesce(json_extract_string(f.extra, '$.service'), '') AS service,
        f.period_start, f.period_end, f.metric, f.kind, f.value, f.status, f.raw_text, f.source_url,
        f.document_sha256, f.locator, f.country_raw, f.country_iso2,
        coalesce(json_extract_string(f.extra, '$.category'), '') AS category
    FROM current_facts f
    WHERE f.metric IN ('orders_to_act', 'orders_to_provide_information', 'average_monthly_active_recipients',
                       'median_hours_to_give_effect')
      AND f.series LIKE '%eu-dsa%'
), totals AS (
    SELECT
        company, series, service, period_start, period_end,
        any_value(value) FILTER (WHERE metric = 'orders_to_act') AS orders_to_act,
        any_value(status) FILTER (WHERE metric = 'orders_to_act') AS orders_to_act_status,
        any_value(value) FILTER (WHERE metric = 'orders_to_provide_information') AS orders_to_provide_information,
        any_value(status) FILTER (WHERE metric = 'orders_to_provide_information') AS orders_to_provide_information_status,
        any_value(value) FILTER (WHERE metric = 'median_hours_to_give_effect' AND kind = 'content-removal')
            AS median_hours_to_act,
        any_value(value) FILTER (WHERE metric = 'median_hours_to_give_effect' AND kind = 'user-data')
            AS median_hours_to_provide_information,
        any_value(source_url) AS source_url,
        any_value(document_sha256) AS document_sha256,
        count(*) FILTER (WHERE metric IN ('orders_to_act', 'orders_to_provide_information')) AS order_cells
    FROM cells
    WHERE country_raw = 'TOTAL' AND category = 'TOTAL' AND metric <> 'average_monthly_active_recipients'
    GROUP BY ALL
), recipients AS (
    SELECT company, series, service, period_start, period_end, any_value(value) AS recipients
    FROM cells
    WHERE metric = 'average_monthly_active_recipients' AND country_raw = 'TOTAL'
    GROUP BY ALL
)
SELECT
    t.company, t.series, t.service, t.period_start, t.period_end,
    t.orders_to_act, t.orders_to_act_status, t.orders_to_provide_information, t.orders_to_provide_information_status,
    t.median_hours_to_act, t.median_hours_to_provide_information,
    r.recipients AS average_monthly_active_recipients,
    round(t.orders_to_act / (r.recipients / 1e6), 3) AS orders_to_act_per_million_recipients,
    round(t.orders_to_provide_information / (r.recipients / 1e6), 3) AS orders_to_provide_information_per_million_recipients,
    'printed all-EU total (Scope TOTAL, category TOTAL) of the DSA template''s table 3' AS basis,
    t.source_url, t.document_sha256
FROM totals t
LEFT JOIN recipients r USING (company, series, service, period_start, period_end)
WHERE t.order_cells = 2;

-- Each platform's orders by issuing Member State (the filing's category TOTAL rows), as printed.
CREATE OR REPLACE VIEW eu_dsa_orders_by_member_state AS
SELECT
    f.company, f.series, coalesce(json_extract_string(f.extra, '$.service'), '') AS service,
    f.period_start, f.period_end, f.country_iso2, f.country_raw AS scope_raw,
    any_value(f.value) FILTER (WHERE f.metric = 'orders_to_act') AS orders_to_act,
    any_value(f.value) FILTER (WHERE f.metric = 'orders_to_provide_information') AS orders_to_provide_information,
    any_value(f.source_url) AS source_url, any_value(f.document_sha256) AS document_sha256
FROM current_facts f
WHERE f.series LIKE '%eu-dsa%' AND f.country_iso2 IS NOT NULL
  AND f.metric IN ('orders_to_act', 'orders_to_provide_information')
  AND coalesce(json_extract_string(f.extra, '$.category'), '') = 'TOTAL'
GROUP BY ALL;
