-- One series' current figures are recomputed (store.refresh_stale_current, in the same transaction).
DELETE FROM current_stale WHERE company = $company AND series = $series;
