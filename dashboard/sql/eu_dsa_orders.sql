-- Each platform's printed all-EU totals of Member State orders (DSA table 3) per period, with recipients.
SELECT
    company, series, service,
    CAST(period_start AS VARCHAR) AS period_start, CAST(period_end AS VARCHAR) AS period_end,
    orders_to_act, orders_to_act_status, orders_to_provide_information, orders_to_provide_information_status,
    median_hours_to_act, median_hours_to_provide_information, average_monthly_active_recipients,
    orders_to_act_per_million_recipients, orders_to_provide_information_per_million_recipients,
    basis, source_url, document_sha256
FROM eu_dsa_orders
ORDER BY period_start DESC, company, series, service;
