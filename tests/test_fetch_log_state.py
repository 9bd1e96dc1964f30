"""A crawl reads of the fetch log only what the last crawl appended (archive/fetch-log-state.json: the newest
outcome and the newest archived 200 per URL, as of a byte offset), and the answers are those of the whole log; a
state file the log no longer matches, or a damaged one, is ignored and the whole log read.

Synthetic archives: made-up responses recorded through the Archive's own API.
"""

from __future__ import annotations

from pathlib import Path

from crawlers.archive import STATE_NAME, Archive

WHERE = {"company": "synthetic-co", "series": "synthetic-series"}
A, B, C = (f"https://example.org/{name}.csv" for name in ("a", "b", "c"))


def _whole_log(root: Path) -> tuple[dict[str, str], dict[str, str | None]]:
    """The answers from every line of the log, as the crawl computed them before the state file."""
    records = Archive(root).records()
    outcomes = {r.url: r.outcome for r in records}
    fresh = Archive(root)
    (root / STATE_NAME).unlink(missing_ok=True)
    return outcomes, {url: (r.sha256 if (r := fresh.latest(url)) else None) for url in outcomes}


def _answers(archive: Archive) -> tuple[dict[str, str], dict[str, str | None]]:
    outcomes = archive.newest_outcomes()
    return outcomes, {url: (r.sha256 if (r := archive.latest(url)) else None) for url in outcomes}


def _first_crawl(root: Path) -> None:
    archive = Archive(root)
    archive.store_response(A, b"a, first version\n", headers={"ETag": '"a1"'}, **WHERE)
    archive.store_response(B, b"b\n", **WHERE)
    archive.record_failure(C, "connection refused", **WHERE)
    archive.sync()
    archive.save_state()


def _reading_from(archive: Archive) -> list[int]:
    """The byte offsets the archive reads its log from (a spy on records_from)."""
    offsets: list[int] = []
    read = archive.records_from

    def spy(offset: int):  # noqa: ANN202 - the wrapped method's own type
        offsets.append(offset)
        return read(offset)

    archive.records_from = spy  # type: ignore[method-assign]
    return offsets


def test_the_next_crawl_reads_only_what_was_appended(tmp_path: Path) -> None:
    _first_crawl(tmp_path)
    log = tmp_path / "fetch-log.jsonl"
    first_end = log.stat().st_size
    second = Archive(tmp_path)
    offsets = _reading_from(second)
    assert second.validators(A) == ('"a1"', None)  # from the state file
    assert offsets == [first_end]  # not from the log's start
    second.store_response(A, b"a, second version\n", headers={"ETag": '"a2"'}, **WHERE)
    second.record_not_modified(B, **WHERE)
    second.store_response(C, b"c at last\n", **WHERE)
    second.sync()
    second.save_state()
    third = Archive(tmp_path)
    offsets = _reading_from(third)
    answers = _answers(third)
    assert offsets and set(offsets) == {log.stat().st_size}
    assert answers[0] == {A: "new", B: "not_modified", C: "new"}
    assert third.validators(A) == ('"a2"', None)
    assert answers == _whole_log(tmp_path)


def test_a_state_file_the_log_does_not_match_is_ignored(tmp_path: Path) -> None:
    _first_crawl(tmp_path)
    log = tmp_path / "fetch-log.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(lines[0])  # the log replaced by one line of itself: the state's last line is not there
    archive = Archive(tmp_path)
    assert archive.newest_outcomes() == {A: "new"}
    assert archive.latest(B) is None


def test_a_damaged_state_file_is_ignored(tmp_path: Path) -> None:
    _first_crawl(tmp_path)
    expected = _answers(Archive(tmp_path))
    (tmp_path / STATE_NAME).write_text('{"version": 1, "end": "not a number"', encoding="utf-8")
    assert _answers(Archive(tmp_path)) == expected
    (tmp_path / STATE_NAME).write_text('{"version": 1, "end": 10, "last_line_start": 0, "last_line_sha256": "x"}',
                                       encoding="utf-8")
    assert _answers(Archive(tmp_path)) == expected
