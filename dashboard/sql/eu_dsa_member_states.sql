-- Each platform's orders by issuing Member State (DSA table 3, category TOTAL rows), as printed.
SELECT
    company, series, service,
    CAST(period_start AS VARCHAR) AS period_start, CAST(period_end AS VARCHAR) AS period_end,
    country_iso2, scope_raw, orders_to_act, orders_to_provide_information, source_url, document_sha256
FROM eu_dsa_orders_by_member_state
ORDER BY period_start DESC, company, service, coalesce(orders_to_act, 0) + coalesce(orders_to_provide_information, 0) DESC,
         country_iso2;
