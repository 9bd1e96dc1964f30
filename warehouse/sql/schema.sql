-- govreq warehouse schema. Facts are stored per document version (sha256) and never updated or deleted:
-- a new version of a report is a new document, so two versions can always be compared.

CREATE TABLE IF NOT EXISTS fetches (
    -- one line of the archive's fetch log: every attempt, including unchanged (304) and failed ones
    fetch_id        VARCHAR PRIMARY KEY,     -- sha256 of the log line, so reloading the log is idempotent
    url             VARCHAR NOT NULL,        -- the URL asked for (the publisher's, even when replayed from a mirror)
    final_url       VARCHAR,                 -- after redirects
    fetched_at      TIMESTAMPTZ NOT NULL,
    http_status     INTEGER,
    outcome         VARCHAR NOT NULL,        -- new | unchanged | not_modified | failed
    sha256          VARCHAR,                 -- of the body, when one was stored
    company         VARCHAR NOT NULL,
    series          VARCHAR NOT NULL,
    etag            VARCHAR,
    last_modified   VARCHAR,
    content_type    VARCHAR,
    error           VARCHAR,
    via_mirror      VARCHAR                  -- the mirror folder when replayed offline, else NULL
);

CREATE TABLE IF NOT EXISTS documents (
    -- one archived file (one version of one report), parsed or refused
    sha256          VARCHAR PRIMARY KEY,
    company         VARCHAR NOT NULL,
    series          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    first_fetched_at TIMESTAMPTZ NOT NULL,
    last_modified   TIMESTAMPTZ,             -- as the server said; orders versions when present
    content_type    VARCHAR,
    bytes           BIGINT,
    archive_path    VARCHAR NOT NULL,        -- relative to the data directory
    parse_status    VARCHAR NOT NULL,        -- loaded | partial (facts, and drift findings) | failed | no_parser
    parse_error     VARCHAR,
    parser          VARCHAR,                 -- the parser module that read it
    fact_count      INTEGER NOT NULL DEFAULT 0,
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS archived_downloads (
    -- every report file the fetch log says was downloaded (its first such line): what an update parses while the
    -- warehouse has not loaded it, so an update reads only the fetch-log lines appended since the last one
    sha256          VARCHAR PRIMARY KEY,
    log_line        BIGINT NOT NULL,         -- where in the fetch log (the order documents are parsed in)
    company         VARCHAR NOT NULL,
    series          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    fetched_at      VARCHAR NOT NULL,        -- as logged
    last_modified   VARCHAR,
    content_type    VARCHAR,
    archive_path    VARCHAR NOT NULL,        -- relative to the data directory
    bytes           BIGINT
);

CREATE TABLE IF NOT EXISTS fetch_log_read (
    -- how much of the archive's fetch log is in fetches and archived_downloads: one row. The next update reads
    -- from byte `bytes` on if the line before it is still the one hashed here; otherwise the whole log again
    -- (storing a line twice is a no-op: fetch_id)
    bytes           BIGINT NOT NULL,
    lines           BIGINT NOT NULL,
    last_line_start BIGINT NOT NULL,
    last_line_sha256 VARCHAR NOT NULL
);

-- A figure's identity is its cell in the report series, whichever file of the series prints it: company,
-- series, period, country (ISO code when mapped, so Turkey and Türkiye are one; else the printed label, trimmed
-- and lower-cased), request type as printed (normalised, aliases applied: identity_request_type),
-- metric, unit and the further published dimensions (extra: Google's product and requester, ...). Two releases
-- of a series that print one identity print the same figure; the newest printing is current (views_core.sql).
-- Computed at load (facts_insert.sql); defined once, here.

-- The request type of an identity: the printed label, trimmed, lower-cased, spaces collapsed, Requestor =
-- Requester; and the aliases below, each with the reason two labels are one request type.
CREATE OR REPLACE MACRO identity_request_type(company, series, request_type_raw) AS
    CASE
        -- Twitter's 2017 H1 file prints one request type, "ACCOUNT INFORMATION REQUESTS"; its full-history file
        -- splits it into routine and emergency requests and prints their sum as "Combined requests": for 2017 H1
        -- both files print the same requests for every country both list (tests/test_full_corpus.py).
        WHEN company = 'x' AND series = 'information-requests'
             AND lower(trim(request_type_raw)) = 'account information requests' THEN 'combined requests'
        ELSE replace(regexp_replace(lower(trim(request_type_raw)), '\s+', ' ', 'g'), 'requestor', 'requester')
    END;

-- The further dimensions of an identity: extra, less keys that only say where a figure was printed. Twitter's
-- full-history file names its stacked table in extra (its request types already tell the tables apart); its
-- per-period files print no table name. Platform.sh's "table" is a real dimension (EU / non-EU / USA) and stays.
CREATE OR REPLACE MACRO identity_extra(company, series, extra) AS
    CASE WHEN company = 'x' AND series = 'information-requests' AND json_exists(extra, '$.table')
         THEN CAST(json_merge_patch(extra, '{"table": null}') AS VARCHAR) ELSE extra END;

CREATE OR REPLACE MACRO fact_identity(company, series, period_start, period_end, country_iso2, country_raw,
                                      request_type_raw, metric, unit, extra) AS
    concat_ws('|', company, series, strftime(period_start, '%Y-%m-%d') || '/' || strftime(period_end, '%Y-%m-%d'),
              coalesce(country_iso2, '~' || regexp_replace(lower(trim(country_raw)), '\s+', ' ', 'g')),
              identity_request_type(company, series, request_type_raw), metric, unit,
              identity_extra(company, series, extra));

-- The facts' key: (document_sha256, fact_key) is unique; indexed as its 128-bit md5, which an ART index
-- builds several times faster than the ~170 characters of the two strings (bench/views_10m.py). Equal keys
-- have equal hashes, so a duplicate is always refused; a false alarm would need an md5 collision.
CREATE OR REPLACE MACRO fact_id(document_sha256, fact_key) AS md5_number(document_sha256 || '|' || fact_key);

CREATE TABLE IF NOT EXISTS facts (
    document_sha256 VARCHAR NOT NULL,
    fact_key        VARCHAR NOT NULL,        -- locator + metric: unique within a document
    company         VARCHAR NOT NULL,
    series          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,        -- user-data | content-removal | national-security | other
    period_start    DATE NOT NULL,
    period_end      DATE NOT NULL,
    country_iso2    VARCHAR,
    country_raw     VARCHAR NOT NULL,
    request_type    VARCHAR NOT NULL,
    request_type_raw VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    value           DOUBLE,
    value_low       DOUBLE,
    value_high      DOUBLE,
    status          VARCHAR NOT NULL,
    is_total        BOOLEAN NOT NULL,
    counts_toward_total BOOLEAN NOT NULL,
    source_url      VARCHAR NOT NULL,
    locator         VARCHAR NOT NULL,
    member          VARCHAR,
    sheet           VARCHAR,
    page            INTEGER,
    row_number      INTEGER,
    column_name     VARCHAR,
    bbox            VARCHAR,
    raw_text        VARCHAR NOT NULL,
    note            VARCHAR NOT NULL,
    extra           VARCHAR NOT NULL,        -- JSON object of further published dimensions
    fact_identity   VARCHAR NOT NULL,        -- the figure's cell in its series (macro fact_identity below)
    fact_id         UHUGEINT NOT NULL,       -- md5 of document_sha256|fact_key: the key, 16 bytes to index
    PRIMARY KEY (fact_id)
);

-- Warehouses made before fact_identity existed: the two columns are added and filled (their facts keep the
-- primary key they were made with, (document_sha256, fact_key)). A no-op once every fact has them.
ALTER TABLE facts ADD COLUMN IF NOT EXISTS fact_identity VARCHAR;
ALTER TABLE facts ADD COLUMN IF NOT EXISTS fact_id UHUGEINT;
UPDATE facts
SET fact_identity = fact_identity(company, series, period_start, period_end, country_iso2, country_raw,
                                  request_type_raw, metric, unit, extra),
    fact_id = fact_id(document_sha256, fact_key)
WHERE fact_identity IS NULL;

CREATE TABLE IF NOT EXISTS loads (
    -- one row per `govreq update`, for the summary and for audit
    load_id         VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    documents_new   INTEGER,
    facts_new       INTEGER,
    mirror          VARCHAR,
    as_of           DATE
);

CREATE TABLE IF NOT EXISTS drift_findings (
    -- what a parser did not read in a document, at the grain of a table: a table it does not know, a new column,
    -- a changed key. A document with facts and findings has parse_status 'partial'; quarantined and refused parts
    -- load nothing.
    document_sha256 VARCHAR NOT NULL,
    finding_no      INTEGER NOT NULL,        -- 1-based, in the order the parser reported them
    table_locator   VARCHAR NOT NULL,        -- member/sheet/page/table of the table, as in fact locators
    header          VARCHAR NOT NULL,        -- the table's header cells as printed, a JSON list
    row_count       INTEGER NOT NULL,
    kind            VARCHAR NOT NULL,        -- unknown_table | new_measure_column | new_key_column | ...
    outcome         VARCHAR NOT NULL,        -- quarantined (that part only) | refused (the whole table) |
                                             -- noted (nothing left unread: a format change, failed arithmetic)
    column_header   VARCHAR,                 -- the column concerned, as printed, when there is one
    message         VARCHAR NOT NULL,
    PRIMARY KEY (document_sha256, finding_no)
);

CREATE TABLE IF NOT EXISTS current_stale (
    -- series whose documents were stored (store.load_document with defer_current) and whose current figures
    -- (current_facts) are not yet recomputed: marked in the document's own transaction, cleared in the
    -- transaction that recomputes them (store.refresh_stale_current). A kill in between leaves the mark, and the
    -- next update recomputes the series.
    company         VARCHAR NOT NULL,
    series          VARCHAR NOT NULL,
    PRIMARY KEY (company, series)
);
