-- The last fetch of every URL of every report series (pages checked for firms that publish nothing are not a
-- series): status, when, and whether it came from the live web or a recorded mirror.
SELECT company, series, url, outcome, http_status, error, via_mirror,
       strftime(fetched_at, '%Y-%m-%dT%H:%M:%SZ') AS fetched_at
FROM fetches
WHERE series <> 'disclosure-check'
QUALIFY row_number() OVER (PARTITION BY company, series, url ORDER BY fetched_at DESC, fetch_id DESC) = 1
ORDER BY company, series, url;
