"""`govreq export`: a valid Frictionless Data Package of the current facts, raw text kept byte for byte.

The warehouse here is filled with SYNTHETIC facts (tests.test_warehouse builds them with parsers.facts.Fact),
chosen for the cells real reports print that break naive CSV handling.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest

from parsers.facts import Locator, RequestType, Status, Unit
from tests.test_warehouse import fact, facts_for, meta, sha
from warehouse import datapackage, store
from warehouse.export import export

REPO = Path(__file__).resolve().parent.parent
FRICTIONLESS_CLI = REPO / ".venv" / "bin" / "frictionless"

CONTRACT = [
    "company", "series", "period_start", "period_end", "country_iso2", "country_raw", "request_type",
    "request_type_raw", "metric", "unit", "value", "value_low", "value_high", "status", "is_total", "source_url",
    "document_sha256", "locator", "raw_text", "kind", "counts_toward_total", "fact_key", "note", "extra", "member",
    "sheet", "page", "row_number", "column_name", "archive_path", "fetched_at", "fact_identity",
    "release_published_at", "printings",
]
HISTORY = [*CONTRACT[:-1], "is_current"]

# cells as real reports print them (see /work/shared/notes/pitfalls.md, items 1, 2 and 10), plus CSV hazards
TRICKY = [
    (" -", dict(value=None, value_low=None, value_high=None, status=Status.NOT_APPLICABLE)),
    ("-", dict(value=None, value_low=None, value_high=None, status=Status.NOT_APPLICABLE)),
    ("1*", dict(value=1.0, value_low=1.0, value_high=1.0, note="footnote mark dropped")),
    ("<10", dict(value=None, value_low=1.0, value_high=9.0, status=Status.SUPPRESSED)),
    ('"quoted"', dict(value=None, value_low=None, value_high=None, status=Status.WITHHELD)),
    ("Türkiye", dict(value=None, value_low=None, value_high=None, status=Status.NOT_REPORTED)),
    ("13,254 - 13,499", dict(value=None, value_low=13254.0, value_high=13499.0, status=Status.BANDED,
                             request_type=RequestType.NATIONAL_SECURITY)),
    ("", dict(value=None, value_low=None, value_high=None, status=Status.NOT_REPORTED)),
    ("0", dict(value=0.0, value_low=0.0, value_high=0.0, status=Status.ZERO)),
    ("83.00%", dict(value=83.0, value_low=83.0, value_high=83.0, unit=Unit.PERCENT,
                    metric="percent_some_data_produced")),
    ("0.76", dict(value=0.76, value_low=0.76, value_high=0.76, unit=Unit.PERCENT, metric="percent_fraction")),
    ("3,353 (2,440)", dict(value=3353.0, value_low=3353.0, value_high=3353.0)),
    ("two\nlines, with comma", dict(value=None, value_low=None, value_high=None, status=Status.WITHHELD)),
    ("trailing space ", dict(value=None, value_low=None, value_high=None, status=Status.WITHHELD)),
    ("CÌ«te d'Ivoire", dict(value=None, value_low=None, value_high=None, status=Status.NOT_REPORTED)),
]
FILES = ("datapackage.json", "facts.csv", "documents.csv", "facts.parquet", "facts_history.csv",
         "facts_history.parquet")
URL = "https://example.org/report.csv"
PDF_URL = "https://example.org/report.pdf"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("wh") / "govreq.duckdb"
    con = store.open_warehouse(db)
    try:
        # version 1 of URL: superseded, must not be exported
        store.load_document(con, meta(sha(1), URL, fetched="2021-01-01T00:00:00+00:00"), facts_for(sha(1), 30))
        tricky = [fact(sha(2), row, raw=raw, **changes) for row, (raw, changes) in enumerate(TRICKY, start=2)]
        store.load_document(con, meta(sha(2), URL, fetched="2022-02-25T10:00:00.123456+00:00"),
                            facts_for(sha(2), 40, offset=0.5)[len(TRICKY):] + tricky)
        # one figure printed in three rows of one PDF table: equal copies, so one figure (printings 1)
        pdf_facts = [fact(sha(3), None, url=PDF_URL, raw="1,234", value=1234.0, country_iso2=None, country_raw="",
                          locator=Locator(page=4, table=1, row=r, column="Requests", bbox=(1, 2, 3, 4.5)),
                          extra={"requester": "police"}, period_start=dt.date(2020, 7, 1),
                          period_end=dt.date(2020, 12, 31))
                     for r in range(1, 4)]
        store.load_document(con, meta(sha(3), PDF_URL, fetched="2022-03-01T00:00:00+00:00"), pdf_facts)
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    summary = export(warehouse, out)
    assert (summary.facts, summary.printings, summary.documents, summary.sources) == (41, 73, 3, 2)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_package_validates_with_the_python_api_and_the_cli(exported: Path) -> None:
    report = frictionless.validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    proc = subprocess.run([str(FRICTIONLESS_CLI), "validate", "datapackage.json"], cwd=exported,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_validation_catches_a_tampered_file(exported: Path, tmp_path: Path) -> None:
    """The descriptor pins each file's hash, so the validation above is not a formality."""
    for name in FILES:
        (tmp_path / name).write_bytes((exported / name).read_bytes())
    text = (tmp_path / "facts.csv").read_text(encoding="utf-8")
    (tmp_path / "facts.csv").write_text(text.replace("13499", "13500"), encoding="utf-8")
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_validation_checks_the_primary_and_foreign_keys(exported: Path, tmp_path: Path) -> None:
    """A duplicated fact and a fact from an unlisted document fail, even with the file hash updated."""
    for name in FILES:
        (tmp_path / name).write_bytes((exported / name).read_bytes())
    lines = (tmp_path / "facts.csv").read_bytes().splitlines(keepends=True)
    data = b"".join([*lines, lines[2], lines[1].replace(sha(3).encode(), sha(99).encode())])
    (tmp_path / "facts.csv").write_bytes(data)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    facts.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    errors = {e[0] for e in frictionless.validate(str(tmp_path / "datapackage.json")).flatten(["type"])}
    assert errors == {"primary-key", "foreign-key"}


def test_the_history_key_is_checked_too(exported: Path, tmp_path: Path) -> None:
    """facts_history: one row per printing; a printing listed twice fails its primary key."""
    for name in FILES:
        (tmp_path / name).write_bytes((exported / name).read_bytes())
    lines = (tmp_path / "facts_history.csv").read_bytes().splitlines(keepends=True)
    data = b"".join([*lines, lines[5]])
    (tmp_path / "facts_history.csv").write_bytes(data)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    history = next(r for r in descriptor["resources"] if r["name"] == "facts_history")
    assert history["schema"]["primaryKey"] == ["document_sha256", "fact_key"]
    history.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    errors = {e[0] for e in frictionless.validate(str(tmp_path / "datapackage.json")).flatten(["type"])}
    assert errors == {"primary-key"}


def test_history_holds_every_printing_and_marks_the_current_one(exported: Path) -> None:
    history = read_csv(exported / "facts_history.csv")
    assert list(history[0]) == HISTORY
    assert len(history) == 73 and {r["document_sha256"] for r in history} == {sha(1), sha(2), sha(3)}
    current = {(r["document_sha256"], r["fact_key"]) for r in history if r["is_current"] == "true"}
    assert current == {(r["document_sha256"], r["fact_key"]) for r in read_csv(exported / "facts.csv")}
    assert pq.read_table(exported / "facts_history.parquet").num_rows == 73


def test_the_partitioned_history_reads_back_with_hive_partitioning(exported: Path, warehouse: Path) -> None:
    folders = sorted(str(p.relative_to(exported / "facts_history").parent)
                     for p in (exported / "facts_history").rglob("*.parquet"))
    assert folders == ["company=examplecorp/year=2020", "company=examplecorp/year=2021"]
    con = duckdb.connect()
    try:
        got = con.execute(
            "SELECT company, year, document_sha256, fact_key, raw_text, value_low, fact_identity FROM read_parquet(?, "
            "hive_partitioning = true) ORDER BY document_sha256, fact_key",
            [str(exported / "facts_history" / "**" / "*.parquet")]).fetchall()
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(warehouse)])
        expected = con.execute(
            "SELECT company, year(period_start), document_sha256, fact_key, raw_text, value_low, fact_identity "
            "FROM wh.facts ORDER BY document_sha256, fact_key").fetchall()
    finally:
        con.close()
    assert got == expected and len(got) == 73


def test_facts_csv_header_follows_the_contract(exported: Path) -> None:
    with (exported / "facts.csv").open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == CONTRACT
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    assert [fl["name"] for fl in facts["schema"]["fields"]] == CONTRACT
    assert all(fl["description"] and fl["type"] for fl in facts["schema"]["fields"])
    assert facts["schema"]["primaryKey"] == ["fact_identity"]
    assert facts["schema"]["foreignKeys"][0]["reference"] == {"resource": "documents", "fields": ["sha256"]}


def test_raw_text_round_trips_byte_for_byte(exported: Path) -> None:
    rows = {r["raw_text"] for r in read_csv(exported / "facts.csv")}
    for raw, _ in TRICKY:
        assert raw in rows, raw
    # and frictionless reads the same strings back (the empty one is its missing value)
    resource = frictionless.Package(str(exported / "datapackage.json")).get_resource("facts")
    read = {row["raw_text"] for row in resource.read_rows()}
    assert {raw for raw, _ in TRICKY if raw} <= read
    assert None in read


def test_values_keep_intervals_and_never_invent_precision(exported: Path) -> None:
    by_raw = {r["raw_text"]: r for r in read_csv(exported / "facts.csv") if r["document_sha256"] == sha(2)}
    assert [by_raw["<10"][k] for k in ("value", "value_low", "value_high", "status")] == ["", "1", "9", "suppressed"]
    band = by_raw["13,254 - 13,499"]
    assert [band[k] for k in ("value", "value_low", "value_high", "status")] == ["", "13254", "13499", "banded"]
    assert [by_raw[" -"][k] for k in ("value", "value_low", "status")] == ["", "", "not_applicable"]
    assert by_raw["0"]["value"] == "0" and by_raw["0"]["status"] == "zero"
    assert by_raw["0.76"]["value"] == "0.76"
    assert by_raw[""]["value"] == "" and by_raw[""]["status"] == "not_reported"


def test_only_current_facts_are_exported_and_every_version_is_listed(exported: Path) -> None:
    facts = read_csv(exported / "facts.csv")
    assert {r["document_sha256"] for r in facts} == {sha(2), sha(3)}
    docs = {r["sha256"]: r for r in read_csv(exported / "documents.csv")}
    assert [docs[sha(n)]["is_current"] for n in (1, 2, 3)] == ["false", "true", "true"]
    assert [docs[sha(n)]["version"] for n in (1, 2, 3)] == ["1", "2", "1"]
    assert docs[sha(2)]["first_fetched_at"] == "2022-02-25T10:00:00Z"
    assert list(docs[sha(2)])[:7] == ["sha256", "company", "series", "url", "first_fetched_at", "archive_path",
                                      "fact_count"]
    pdf = [r for r in facts if r["document_sha256"] == sha(3)]
    assert [(r["page"], r["row_number"], r["printings"]) for r in pdf] == [("4", "1", "1")]
    assert pdf[0]["country_iso2"] == "" and pdf[0]["extra"] == '{"requester": "police"}'


def test_rows_are_in_the_documented_order(exported: Path) -> None:
    facts = read_csv(exported / "facts.csv")
    keys = [(r["company"], r["series"], r["period_start"], r["period_end"]) for r in facts]
    assert keys == sorted(keys)
    assert facts[0]["document_sha256"] == sha(3)  # its period (2020 H2) comes first


def test_parquet_holds_the_same_rows_with_types(exported: Path) -> None:
    table = pq.read_table(exported / "facts.parquet")
    csv_rows = read_csv(exported / "facts.csv")
    assert table.num_rows == len(csv_rows) == 41
    assert table.column_names == CONTRACT
    assert str(table.schema.field("value").type) == "double"
    assert str(table.schema.field("period_start").type) == "date32[day]"
    assert table.column("raw_text").to_pylist() == [r["raw_text"] for r in csv_rows]
    assert table.column("fact_key").to_pylist() == [r["fact_key"] for r in csv_rows]


def test_the_package_describes_sources_licences_and_version(exported: Path) -> None:
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "govreq-facts"
    current = "\n".join(sorted([sha(2), sha(3)]))  # the superseded version sha(1) does not count
    assert descriptor["version"] == "2022-03-01-" + hashlib.sha256(current.encode()).hexdigest()[:12]
    # every file a row cites, the superseded version too (facts_history cites it)
    assert {s["path"]: s["document_sha256"] for s in descriptor["sources"]} == {PDF_URL: [sha(3)],
                                                                               URL: [sha(1), sha(2)]}
    # no GitHub or RDR rows here, so no CC BY / MIT claim; a GitHub source brings GitHub's licence
    assert [lic["name"] for lic in descriptor["licenses"]] == ["ODC-By-1.0", "CC0-1.0"]
    assert [lic["name"] for lic in datapackage.licences({"github", "examplecorp"})] == [
        "ODC-By-1.0", "CC0-1.0", "CC-BY-4.0"]
    assert "companies' own published statistics" in descriptor["description"]


def test_two_exports_are_byte_identical_and_export_takes_a_connection(warehouse: Path, exported: Path,
                                                                       tmp_path: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        summary = export(con, tmp_path / "again")
    finally:
        con.close()
    assert summary.facts == 41 and "41 facts (73 printings)" in str(summary)
    for name in ("facts.csv", "facts.parquet", "documents.csv", "datapackage.json", "facts_history.csv",
                 "facts_history.parquet"):
        assert (tmp_path / "again" / name).read_bytes() == (exported / name).read_bytes(), name


def test_a_new_version_changes_the_dataset_version(warehouse: Path, exported: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(warehouse.read_bytes())
    con = store.open_warehouse(db)
    try:
        store.load_document(con, meta(sha(4), URL, fetched="2022-03-01T00:00:00+00:00"), facts_for(sha(4), 2))
        summary = export(con, tmp_path / "out")
    finally:
        con.close()
    old = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert summary.version != old and summary.version.startswith("2022-03-01-")
    assert summary.facts == 1 + 2  # the PDF's 1 plus the new version's 2: the old version's 40 are gone
