"""The DuckDB warehouse: open it, and load documents, their facts and the fetch log, one transaction each.

Facts are stored per document version (sha256) and never updated or deleted. SQL lives in warehouse/sql/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from parsers.facts import Fact, Kind, ParseError, RequestType, Status, Unit

SQL_DIR = Path(__file__).resolve().parent / "sql"
CORE_VIEWS = "views_core.sql"
LOAD_STATUSES = ("loaded", "partial", "failed", "no_parser")
WITH_FACTS = ("loaded", "partial")  # statuses of documents whose facts are stored
T = TypeVar("T")


# DuckDB's cap in a writable (update) connection. bench/update_corpus.py, cold full update of the corpus: at 500 MB
# the process tree peaked at 1,043 MB PSS, at 400 MB at 911 MB, in the same 76 s (300 MB slowed the derived
# rebuild by half, spilling to disk).
UPDATE_MEMORY_LIMIT = "400MB"


def SQL(name: str) -> str:  # noqa: N802 - reads like the constant it returns
    """The text of warehouse/sql/<name> (".sql" may be left off)."""
    path = SQL_DIR / (name if name.endswith(".sql") else f"{name}.sql")
    return path.read_text(encoding="utf-8")


def named_queries(name: str) -> dict[str, str]:
    """The "-- name: x" blocks of a .sql file."""
    blocks = re.split(r"^-- name: *", SQL(name), flags=re.M)[1:]
    return {b.split("\n", 1)[0].strip(): b.split("\n", 1)[1] for b in blocks}


def view_files() -> list[Path]:
    """views_core.sql first (others build on current_facts), then every other views*.sql by name."""
    others = sorted(p for p in SQL_DIR.glob("views*.sql") if p.name != CORE_VIEWS)
    core = SQL_DIR / CORE_VIEWS
    return ([core] if core.exists() else []) + others


def open_warehouse(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect to the warehouse file. Read-write opens create it and (re)apply schema.sql and the views.

    Only one process may hold a file read-write; a second one fails at once with duckdb.IOException.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        # timestamps are stored as TIMESTAMPTZ; render them in UTC whatever the machine's zone
        con.execute("SET TimeZone = 'UTC'")
        if not read_only:
            # One document's facts write more WAL than DuckDB's 16 MiB default, so every per-document commit
            # would checkpoint (rewrite the facts' primary-key index) at once: 0.41 s vs 0.13 s per 50,000-fact
            # commit (bench/views_10m.py). The WAL is checkpointed when it reaches this, and on close.
            con.execute("SET checkpoint_threshold = '1GiB'")
            # DuckDB takes 80 % of RAM by default: the update's refreshes (current figures per series, the
            # ledger, disclosure) then grew the process to 1.66 GB on the corpus. Capped, they spill to disk.
            con.execute(f"SET memory_limit = '{UPDATE_MEMORY_LIMIT}'")
            _apply_schema(con)
    except Exception:
        con.close()
        raise
    return con


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply schema.sql and the views, unless this very text was applied last (schema_applied.sql): re-creating
    the views took a quarter of a second of every command that opens the warehouse for writing."""
    texts = [SQL("schema.sql"), *(f.read_text(encoding="utf-8") for f in view_files())]
    fingerprint = hashlib.sha256("\0".join([duckdb.__version__, *texts]).encode("utf-8")).hexdigest()
    q = named_queries("schema_applied.sql")
    con.execute(q["create"])
    if con.execute(q["stored"]).fetchall() == [(fingerprint,)]:
        return
    con.execute(texts[0])
    _drop_legacy_current_facts_view(con)
    for text in texts[1:]:
        con.execute(text)
    con.execute(q["clear"])
    con.execute(q["store"], {"fingerprint": fingerprint})


def _drop_legacy_current_facts_view(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses made before current figures were per identity had current_facts as a view (per URL): it
    becomes the table views_core.sql creates, filled by refresh_current."""
    legacy = con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = 'current_facts' AND NOT temporary").fetchall()
    if legacy:
        con.execute("DROP VIEW current_facts")
        for view_file in view_files():
            con.execute(view_file.read_text(encoding="utf-8"))
        refresh_current(con)


def refresh_current(con: duckdb.DuckDBPyConnection, company: str | None = None, series: str | None = None) -> None:
    """Recompute the current figure of every identity of one series (both given) or of every series (neither):
    current_facts_refresh.sql. load_document does it for the document's series; bulk loads call it once."""
    if (company is None) != (series is None):
        raise ValueError("refresh_current takes both company and series, or neither")
    params = {"company": company, "series": series}
    con.execute(SQL("current_facts_clear.sql"), params)
    con.execute(SQL("current_facts_refresh.sql"), params)


@dataclass(frozen=True)
class DocumentMeta:
    """What the archive knows about one stored file, as the documents table records it."""

    sha256: str
    company: str
    series: str
    url: str
    first_fetched_at: dt.datetime
    last_modified: dt.datetime | None
    content_type: str
    bytes: int
    archive_path: str
    parser: str | None = None

    @property
    def name(self) -> str:
        """A short name for error messages: the URL's last path segment and the hash prefix."""
        tail = self.url.rstrip("/").rsplit("/", 1)[-1] or self.url
        return f"{tail} ({self.sha256[:12]})"


class DuplicateFactKey(ParseError):
    """A parser emitted two facts with the same key for one document: one of them would be lost."""


def _utc_iso(value: dt.datetime | dt.date | str | None) -> str | None:
    """An ISO-8601 UTC string for DuckDB to cast. Naive datetimes are taken to be UTC already."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def fact_key(fact: Fact, rendered_locator: str | None = None) -> str:
    """Where the figure was printed and what it counts: unique within a document, readable in a CSV.

    locator | metric, then the extra dimensions (sorted) when there are any, e.g.
    "member=google.csv;row=12;column=User Data Requests|requests". `rendered_locator`, when given, is
    fact.locator.render() already computed.
    """
    locator = fact.locator.render() if rendered_locator is None else rendered_locator
    key = f"{locator}|{fact.metric}"
    if fact.extra:
        key += "|" + ";".join(f"{k}={fact.extra[k]}" for k in sorted(fact.extra))
    return key


def _enum_values(enum_type: type[Status] | type[Unit] | type[RequestType] | type[Kind]) -> dict[str, str]:
    # str-valued enum members hash and compare like their values, so one dict accepts members and strings
    return {m.value: m.value for m in enum_type}


_ENUMS = {
    "status": _enum_values(Status),
    "unit": _enum_values(Unit),
    "request_type": _enum_values(RequestType),
    "kind": _enum_values(Kind),
}

# DuckDB types of the facts table -> Arrow types of the batch load_document builds.
_ARROW_TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
                "INTEGER": pa.int32()}
# Columns facts_insert.sql computes in SQL: the batch does not carry them.
COMPUTED_IN_SQL = ("fact_identity", "fact_id")


@functools.cache
def fact_columns() -> tuple[tuple[str, str], ...]:
    """(name, DuckDB type) of every column of the facts table, in order, as schema.sql declares it: the one
    list of the fact columns (the load batch, the insert and the export all follow it)."""
    con = duckdb.connect()
    try:
        con.execute(SQL("schema.sql"))
        return tuple(con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'facts' ORDER BY column_index"
        ).fetchall())
    finally:
        con.close()


@functools.cache
def _fact_schema() -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in fact_columns() if name not in COMPUTED_IN_SQL])


def _enum_column(meta: DocumentMeta, facts: Sequence[Fact], name: str) -> list[str]:
    allowed = _ENUMS[name]
    try:
        return [allowed[getattr(f, name)] for f in facts]
    except KeyError as e:
        raise ParseError(meta.name, f"a fact has {name} {e.args[0]!r}, which is not one of {sorted(allowed)}") from e


def _bbox(box: tuple[float, float, float, float] | None) -> str | None:
    return None if box is None else ",".join(repr(float(v)) for v in box)


def _extra_json(facts: Sequence[Fact]) -> list[str]:
    """Each fact's extra as sorted JSON; a document repeats a few dimension sets over and over (Google's
    product and requester), so each distinct set is encoded once."""
    seen: dict[tuple[tuple[str, str], ...], str] = {}
    out: list[str] = []
    for f in facts:
        if not f.extra:
            out.append("{}")
            continue
        key = tuple(sorted(f.extra.items()))
        try:
            text = seen[key]
        except KeyError:
            text = seen[key] = json.dumps(f.extra, sort_keys=True, ensure_ascii=False)
        except TypeError:  # an unhashable value: encode it as it is
            text = json.dumps(f.extra, sort_keys=True, ensure_ascii=False)
        out.append(text)
    return out


def facts_table(meta: DocumentMeta, facts: Sequence[Fact]) -> pa.Table:
    """One document's facts as an Arrow table in the facts table's column order (built column by column)."""
    locators = [f.locator for f in facts]
    rendered = [loc.render() for loc in locators]  # once: the key and the locator column both print it
    keys = [fact_key(f, r) for f, r in zip(facts, rendered, strict=True)]
    if len(set(keys)) != len(keys):
        dupes = [(k, n) for k, n in Counter(keys).items() if n > 1]
        shown = "; ".join(f"{k!r} x{n}" for k, n in dupes[:5])
        raise DuplicateFactKey(
            meta.name, f"the parser emitted {len(dupes)} duplicate fact key(s) (locator|metric|extra): {shown}"
        )
    foreign = {f.document_sha256 for f in facts} - {meta.sha256}
    if foreign:
        raise ParseError(meta.name, f"facts name other documents: {sorted(foreign)[:3]}")
    # the columns that are not a Fact attribute of the same name; every other column is read by name
    derived: dict[str, list[Any]] = {
        "fact_key": keys,
        "kind": _enum_column(meta, facts, "kind"),
        "request_type": _enum_column(meta, facts, "request_type"),
        "unit": _enum_column(meta, facts, "unit"),
        "status": _enum_column(meta, facts, "status"),
        "locator": rendered,
        "member": [loc.member for loc in locators],
        "sheet": [loc.sheet for loc in locators],
        "page": [loc.page for loc in locators],
        "row_number": [loc.row for loc in locators],
        "column_name": [loc.column for loc in locators],
        "bbox": [_bbox(loc.bbox) for loc in locators],
        "extra": _extra_json(facts),
    }
    schema = _fact_schema()
    columns = {name: derived[name] if name in derived else [getattr(f, name) for f in facts]
               for name in schema.names}
    try:
        return pa.Table.from_pydict(columns, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise ParseError(meta.name, f"a fact has a value of the wrong type: {e}") from e


def _insert_facts(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    """INSERT ... SELECT from the Arrow batch: one statement for the whole document."""
    con.register("fact_batch", table)
    con.execute(SQL("facts_insert.sql"))


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T], batches: Sequence[str] = ()) -> T:
    """Run `work` between BEGIN and COMMIT; roll back on any error. `batches` are Arrow views that `work`
    registers: they are dropped after the transaction ends (DuckDB refuses inside an aborted one)."""
    con.begin()
    try:
        try:
            result = work()
        except BaseException:
            con.rollback()
            raise
        con.commit()
    finally:
        for name in batches:
            con.unregister(name)
    return result


def load_document(
    con: duckdb.DuckDBPyConnection,
    meta: DocumentMeta,
    facts: Sequence[Fact] | pa.Table | None,
    *,
    error: str | None = None,
    status: str = "loaded",
    findings: Sequence[Any] = (),
    defer_current: bool = False,
) -> int:
    """Store one document and its facts in one transaction; return the number of facts inserted.

    `facts` may be the facts, or facts_table(meta, facts) already built (the update builds it in its parse
    workers). A document already loaded is left alone (returns 0). A document refused before (failed /
    no_parser) may be recorded again, and replaced by a successful load. Any error rolls the whole document back.
    The series' current figures are recomputed in the same transaction, unless `defer_current`: then the series
    is marked stale in that transaction (current_stale) and refresh_stale_current recomputes it later, once for
    all the documents of the series an update loads.
    """
    if status not in LOAD_STATUSES:
        raise ValueError(f"{meta.name}: unknown status {status!r}; expected one of {LOAD_STATUSES}")
    if isinstance(facts, pa.Table):
        table: pa.Table | None = facts if facts.num_rows else None
        count = facts.num_rows
    else:
        facts = list(facts or [])
        count = len(facts)
        table = None
    if status == "loaded" and not count:
        raise ParseError(meta.name, "a loaded document needs facts: a parser that finds none must refuse it")
    if status == "partial" and not findings:
        raise ValueError(f"{meta.name}: a partial document needs the findings that say what was not read")
    if status not in WITH_FACTS and count:
        raise ValueError(f"{meta.name}: facts given for a document with status {status!r}")
    if count and table is None:
        table = facts_table(meta, facts)  # pure work first: nothing is written if it fails
    row = {
        "sha256": meta.sha256,
        "company": meta.company,
        "series": meta.series,
        "url": meta.url,
        "first_fetched_at": _utc_iso(meta.first_fetched_at),
        "last_modified": _utc_iso(meta.last_modified),
        "content_type": meta.content_type,
        "bytes": meta.bytes,
        "archive_path": meta.archive_path,
        "parse_status": status,
        "parse_error": error,
        "parser": meta.parser,
        "fact_count": count,
        "loaded_at": _utc_iso(dt.datetime.now(dt.UTC)),
    }

    def work() -> int:
        existing = con.execute(SQL("document_status.sql"), {"sha256": meta.sha256}).fetchall()
        if existing and existing[0][0] in WITH_FACTS:
            return 0  # facts of a loaded document are never replaced
        con.execute(SQL("document_upsert.sql"), row)
        _record_findings(con, meta.sha256, findings)
        if table is not None:
            _insert_facts(con, table)
            if defer_current:
                con.execute(SQL("current_stale_mark.sql"), {"company": meta.company, "series": meta.series})
            else:
                refresh_current(con, meta.company, meta.series)  # the series' current figures, same transaction
        return count

    return in_transaction(con, work, batches=("fact_batch",))


def refresh_stale_current(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Recompute the current figures of every series marked stale (load_document with defer_current, or an
    update killed before it recomputed them), one transaction per series that also clears its mark; return the
    series recomputed."""
    stale = [(c, s) for c, s in con.execute(SQL("current_stale_list.sql")).fetchall()]
    for company, series in stale:
        def work(company: str = company, series: str = series) -> int:
            refresh_current(con, company, series)
            con.execute(SQL("current_stale_clear.sql"), {"company": company, "series": series})
            return 0

        in_transaction(con, work)
    return stale


def _record_findings(con: duckdb.DuckDBPyConnection, sha256: str, findings: Sequence[Any]) -> None:
    """A document's drift findings (`parsers.formats.interpreter.Finding`), replacing any recorded before."""
    con.execute(SQL("drift_findings_replace.sql"), {"sha256": sha256})
    for i, f in enumerate(findings, start=1):
        con.execute(SQL("drift_finding_insert.sql"), {
            "sha256": sha256, "finding_no": i, "table_locator": f.table, "header": json.dumps(list(f.header)),
            "row_count": f.rows, "kind": f.kind, "outcome": f.outcome, "column_header": f.column or None,
            "message": f.message})


def loaded_documents(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The sha256 of every document whose facts are stored."""
    return {sha for (sha,) in con.execute(SQL("loaded_documents.sql")).fetchall()}


_FETCH_COLUMNS = (
    "url", "final_url", "fetched_at", "http_status", "outcome", "sha256", "company", "series", "etag",
    "last_modified", "content_type", "error", "via_mirror",
)
_FETCH_SCHEMA = pa.schema([
    ("fetch_id", pa.string()),
    *[(c, pa.int32() if c == "http_status" else pa.string()) for c in _FETCH_COLUMNS],
])


def fetch_id(record: dict[str, Any]) -> str:
    """sha256 of the record's canonical JSON: the same log line always gets the same id."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_fetch_log(con: duckdb.DuckDBPyConnection, records: Iterable[dict[str, Any]]) -> int:
    """Store fetch-log lines not stored yet; return how many were new. Fields the table lacks are ignored
    (they still count in fetch_id)."""
    batch = _fetch_batch(records)
    if batch is None:
        return 0
    return in_transaction(con, lambda: _insert_fetches(con, batch), batches=("fetch_batch",))


def _insert_fetches(con: duckdb.DuckDBPyConnection, batch: pa.Table) -> int:
    """Insert the fetch-log lines of `batch` (as `fetch_batch`, which the caller's transaction unregisters) not
    stored yet; return how many were new."""
    con.register("fetch_batch", batch)
    return int(con.execute(SQL("fetches_insert.sql")).fetchall()[0][0])


def _fetch_batch(records: Iterable[dict[str, Any]]) -> pa.Table | None:
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        rows.setdefault(fetch_id(record), record)
    if not rows:
        return None
    columns: dict[str, list[Any]] = {"fetch_id": list(rows)}
    for c in _FETCH_COLUMNS:
        values = [r.get(c) for r in rows.values()]
        if c == "fetched_at":
            values = [_utc_iso(v) for v in values]
        elif c == "via_mirror":
            values = [None if v in (None, False, "") else str(v) for v in values]
        elif c == "http_status":
            values = [None if v in (None, "") else int(v) for v in values]
        else:
            values = [None if v is None else str(v) for v in values]
        columns[c] = values
    return pa.Table.from_pydict(columns, schema=_FETCH_SCHEMA)


@dataclass(frozen=True)
class LogPosition:
    """How much of the fetch log the warehouse holds (fetch_log_read): bytes and whole lines read, and the last
    line read (where it starts, its sha256), which must still be there for the next update to read on from it."""

    bytes: int
    lines: int
    last_line_start: int
    last_line_sha256: str


def fetch_log_position(con: duckdb.DuckDBPyConnection) -> LogPosition | None:
    rows = con.execute(named_queries("fetch_log_read.sql")["position"]).fetchall()
    return LogPosition(*rows[0]) if rows else None


_DOWNLOAD_SCHEMA = pa.schema([
    ("sha256", pa.string()), ("log_line", pa.int64()), ("company", pa.string()), ("series", pa.string()),
    ("url", pa.string()), ("fetched_at", pa.string()), ("last_modified", pa.string()),
    ("content_type", pa.string()), ("archive_path", pa.string()), ("bytes", pa.int64()),
])


def store_fetch_log_lines(con: duckdb.DuckDBPyConnection, records: Iterable[dict[str, Any]],
                          downloads: list[dict[str, Any]], position: LogPosition) -> int:
    """In one transaction: the fetch-log lines read (fetches), the downloads they name (archived_downloads, rows
    as _DOWNLOAD_SCHEMA) and how far the log is read; return how many lines were new."""
    q = named_queries("fetch_log_read.sql")
    batch = _fetch_batch(records)
    downloads_batch = pa.Table.from_pylist(downloads, schema=_DOWNLOAD_SCHEMA) if downloads else None

    def work() -> int:
        new = _insert_fetches(con, batch) if batch is not None else 0
        if downloads_batch is not None:
            con.register("downloads_batch", downloads_batch)
            con.execute(q["add_downloads"])
        con.execute(q["clear"])
        con.execute(q["store"], dataclasses.asdict(position))
        return new

    registered = (("fetch_batch",) if batch is not None else ()) + (("downloads_batch",) if downloads else ())
    return in_transaction(con, work, batches=registered)


def pending_downloads(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Listed downloads whose facts are not stored, series by series, in fetch-log order within one."""
    cursor = con.execute(named_queries("fetch_log_read.sql")["pending"])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def record_load(
    con: duckdb.DuckDBPyConnection,
    *,
    started_at: dt.datetime,
    finished_at: dt.datetime | None = None,
    documents_new: int | None = None,
    facts_new: int | None = None,
    mirror: str | None = None,
    as_of: dt.date | None = None,
    load_id: str | None = None,
) -> str:
    """Record (or finish recording) one update in the loads table; return its load_id."""
    started_iso = _utc_iso(started_at)
    assert started_iso is not None
    load_id = load_id or "load-" + started_iso
    params = {
        "load_id": load_id,
        "started_at": started_iso,
        "finished_at": _utc_iso(finished_at),
        "documents_new": documents_new,
        "facts_new": facts_new,
        "mirror": mirror,
        "as_of": as_of.isoformat() if as_of else None,
    }
    con.execute(SQL("loads_insert.sql"), params).fetchall()
    return load_id
