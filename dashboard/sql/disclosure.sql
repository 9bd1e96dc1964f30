-- The disclosure matrix: one row per company, year and kind of request, with the evidence behind the level.
SELECT
    CAST(company AS VARCHAR) AS company,
    CAST(year AS INTEGER) AS year,
    CAST(kind AS VARCHAR) AS kind,
    CAST(level AS VARCHAR) AS level,
    coalesce(CAST(evidence AS VARCHAR), '') AS evidence,
    coalesce(CAST(rdr_p11a AS VARCHAR), '') AS rdr_p11a,
    coalesce(CAST(rdr_f6 AS VARCHAR), '') AS rdr_f6,
    coalesce(CAST(scope AS VARCHAR), '') AS scope,
    coalesce(CAST(notes AS VARCHAR), '') AS notes,
    coalesce(CAST(checks AS VARCHAR), '') AS checks   -- the dated checks a claim of silence rests on, in words
FROM disclosure_levels
ORDER BY company, year, kind;
