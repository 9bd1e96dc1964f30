-- The current_facts rows that current_facts_refresh.sql recomputes: one series, or all when both are NULL.
DELETE FROM current_facts
WHERE ($company IS NULL OR company = $company) AND ($series IS NULL OR series = $series);
