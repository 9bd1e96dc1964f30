"""The command line: help and docs in step, clear errors for bad input, read-only queries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govreq import cli_docs
from tests.test_update import run_govreq


def test_docs_match_help() -> None:
    assert cli_docs.DOC.read_text(encoding="utf-8") == cli_docs.render(), (
        "docs/cli.md is stale: run python -m govreq.cli_docs --write")


def test_every_command_has_help_with_an_example() -> None:
    for name in ("update", "export", "disclosure", "restatements", "crosscheck", "query", "site", "registry"):
        out = run_govreq(name, "--help").stdout
        assert "Example:" in out, name


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).parent / "govreq"
    assert exe.exists()
    assert subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True).stdout.startswith("usage")


def test_as_of_needs_a_mirror(tmp_path: Path) -> None:
    proc = run_govreq("update", "--as-of", "2020-01-01", "--data-dir", str(tmp_path / "d"), check=False)
    assert proc.returncode == 2 and "--as-of needs --mirror" in proc.stderr
    assert not (tmp_path / "d").exists()


def test_a_folder_that_is_not_a_mirror_is_refused(tmp_path: Path) -> None:
    proc = run_govreq("update", "--mirror", str(tmp_path), "--data-dir", str(tmp_path / "d"), check=False)
    assert proc.returncode == 2 and "not a recorded mirror" in proc.stderr


def test_bad_date_is_refused(tmp_path: Path) -> None:
    (tmp_path / "captures.csv").write_text("url,captured_at,path\n")  # synthetic: an empty mirror
    proc = run_govreq("update", "--mirror", str(tmp_path), "--as-of", "2020-13-01", check=False)
    assert proc.returncode == 2 and "not a date" in proc.stderr


def test_query_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    proc = run_govreq("query", "SELECT 1", "--data-dir", str(tmp_path), check=False)
    assert proc.returncode == 2 and "run 'govreq update' first" in proc.stderr


@pytest.fixture(scope="module")
def github_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.corpus import require_corpus

    data = tmp_path_factory.mktemp("gh")
    run_govreq("update", "--mirror", str(require_corpus()), "--only", "github", "--data-dir", str(data))
    return data


def test_query_is_read_only(github_data: Path) -> None:
    out = run_govreq("query", "SELECT count(*) AS n FROM facts WHERE company = 'github'", "--format", "csv",
                     "--data-dir", str(github_data)).stdout
    assert out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 0
    proc = run_govreq("query", "DELETE FROM facts", "--data-dir", str(github_data), check=False)
    assert proc.returncode == 2 and "read-only" in proc.stderr.lower()
    after = run_govreq("query", "SELECT count(*) AS n FROM facts", "--format", "csv",
                       "--data-dir", str(github_data)).stdout
    assert int(after.splitlines()[1]) > 0


def test_registry_lists_the_companies() -> None:
    out = run_govreq("registry", "--format", "csv").stdout
    slugs = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert {"alibaba", "baidu", "tencent", "bytedance", "huawei", "google", "x"} <= slugs
    assert len(slugs) >= 40


def test_export_of_real_data_passes_frictionless_validate(github_data: Path) -> None:
    out = github_data / "export"
    run_govreq("export", "--data-dir", str(github_data), "--out", str(out))
    frictionless = Path(sys.executable).parent / "frictionless"
    proc = subprocess.run([str(frictionless), "validate", str(out / "datapackage.json")], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (out / "facts.parquet").stat().st_size > 0


def test_disclosure_levels_offered_are_the_models_levels() -> None:
    from govreq import cli
    from warehouse import disclosure

    assert cli.LEVELS == disclosure.LEVELS and cli.KINDS == disclosure.KINDS


def test_commands_do_not_import_the_parser_module() -> None:
    """cli.py -> commands.py only: the old cycle (commands importing cli's _data_dir) is gone."""
    code = "import sys, govreq.commands; print('govreq.cli' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_year_ranges_and_bad_levels_are_parsed_at_start() -> None:
    from govreq import cli

    args = cli.build_parser().parse_args(["disclosure", "--year", "2019-2021,2024", "--kind", "user-data",
                                          "--company", "google,apple"])
    assert (args.year, args.kind, args.company) == ([2019, 2020, 2021, 2024], ["user-data"], ["google", "apple"])
    proc = run_govreq("disclosure", "--level", "silent", check=False)
    assert proc.returncode == 2 and "unknown silent; expected one of per-country" in proc.stderr
