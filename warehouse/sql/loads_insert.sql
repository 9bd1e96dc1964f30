-- One row per `govreq update`. Re-recording the same load_id updates it (e.g. to set finished_at).
INSERT INTO loads (load_id, started_at, finished_at, documents_new, facts_new, mirror, as_of)
VALUES (
    $load_id, CAST($started_at AS TIMESTAMPTZ), CAST($finished_at AS TIMESTAMPTZ), $documents_new, $facts_new,
    $mirror, CAST($as_of AS DATE)
)
ON CONFLICT (load_id) DO UPDATE SET
    finished_at = excluded.finished_at,
    documents_new = excluded.documents_new,
    facts_new = excluded.facts_new,
    mirror = excluded.mirror,
    as_of = excluded.as_of;
