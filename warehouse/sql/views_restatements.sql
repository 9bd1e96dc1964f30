-- What the restatement ledger compares, and what it has compared. Applied on every read-write open, after
-- views_core.sql (series_releases). warehouse/restatements.py keeps the ledger current incrementally.

-- restatement_series: each series with its loaded releases in publication order. The ledger's rows of a series
-- (warehouse/sql/restatements.sql) depend only on this list (facts are never updated or deleted), so a series
-- compared once stays compared until a release arrives, anywhere in its order.
CREATE OR REPLACE VIEW restatement_series AS
SELECT company, series, string_agg(sha256, ' ' ORDER BY release) AS releases
FROM series_releases
GROUP BY company, series;

-- restatement_series_compared: the series whose changes the table `restatements` holds, as of its last
-- rebuild, with a fingerprint of the rules (the SQL) that compared them. Bookkeeping only.
CREATE TABLE IF NOT EXISTS restatement_series_compared (
    company             VARCHAR NOT NULL,
    series              VARCHAR NOT NULL,
    releases            VARCHAR NOT NULL,    -- the releases' sha256, oldest first, space-separated
    rules_sha256        VARCHAR NOT NULL,    -- sha256 of the SQL that compared the series
    PRIMARY KEY (company, series)
);
