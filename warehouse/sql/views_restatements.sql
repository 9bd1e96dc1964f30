-- What the restatement ledger compares, and what it has compared. Applied on every read-write open, after
-- views_core.sql (document_versions). warehouse/restatements.py keeps the ledger current incrementally.

-- restatement_pairs: each loaded version of a (company, series, url) beside the version just before it: the
-- comparisons the ledger (warehouse/sql/restatements.sql) is made of. A pair's facts never change (facts are
-- never updated or deleted), so a pair compared once stays compared until the pair itself changes: a version
-- that arrives between two known ones renumbers and re-pairs them.
CREATE OR REPLACE VIEW restatement_pairs AS
SELECT
    o.sha256 AS old_sha256,
    n.sha256 AS new_sha256,
    n.company,
    n.series,
    n.url,
    o.version AS old_version,
    n.version AS new_version,
    -- as UTC timestamps without a zone: readable by any client whatever its time zone settings
    timezone('UTC', o.published_order_at) AS old_published_at,
    timezone('UTC', n.published_order_at) AS new_published_at
FROM document_versions n
JOIN document_versions o
  ON o.company = n.company AND o.series = n.series AND o.url = n.url AND o.version = n.version - 1;

-- restatement_pairs_compared: the pairs whose changes the table `restatements` holds, as of its last rebuild,
-- with a fingerprint of the rules (the SQL) that compared them. Bookkeeping only: the ledger is `restatements`.
CREATE TABLE IF NOT EXISTS restatement_pairs_compared (
    old_sha256          VARCHAR NOT NULL,
    new_sha256          VARCHAR NOT NULL,
    company             VARCHAR NOT NULL,
    series              VARCHAR NOT NULL,
    url                 VARCHAR NOT NULL,
    old_version         BIGINT NOT NULL,
    new_version         BIGINT NOT NULL,
    old_published_at    TIMESTAMP NOT NULL,
    new_published_at    TIMESTAMP NOT NULL,
    rules_sha256        VARCHAR NOT NULL,    -- sha256 of the SQL that compared the pair
    PRIMARY KEY (old_sha256, new_sha256)
);
