-- Insert one document's facts from the Arrow batch registered as `fact_batch` (built by store.load_document).
INSERT INTO facts (
    document_sha256, fact_key, company, series, kind, period_start, period_end, country_iso2, country_raw,
    request_type, request_type_raw, metric, unit, value, value_low, value_high, status, is_total,
    counts_toward_total, source_url, locator, member, sheet, page, row_number, column_name, bbox, raw_text,
    note, extra
)
SELECT
    document_sha256, fact_key, company, series, kind, period_start, period_end, country_iso2, country_raw,
    request_type, request_type_raw, metric, unit, value, value_low, value_high, status, is_total,
    counts_toward_total, source_url, locator, member, sheet, page, row_number, column_name, bbox, raw_text,
    note, extra
FROM fact_batch;
