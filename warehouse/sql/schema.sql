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
    PRIMARY KEY (document_sha256, fact_key)
);

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
