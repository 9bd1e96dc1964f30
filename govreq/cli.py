"""The `govreq` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from govreq import commands
from govreq.commands import DEFAULT_DATA_DIR, UserError

LEVELS = ("per-country", "totals-only", "mandated-regional-only", "policy-only", "not-loaded", "not-tracked",
          "not-applicable", "not-checked", "none-found")  # as warehouse/disclosure.py LEVELS (test_cli checks)
KINDS = ("user-data", "content-removal", "national-security")


def _list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _choices(allowed: tuple[str, ...]):  # -> argparse type
    def parse(text: str) -> list[str]:
        values = _list(text)
        bad = [v for v in values if v not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(bad)}; expected one of {', '.join(allowed)}")
        return values
    return parse


def _years(text: str) -> list[int]:
    """2019, 2019,2021 or 2019-2021."""
    out: list[int] = []
    try:
        for part in _list(text):
            first, _, last = part.partition("-")
            out += list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year, list or range of years (2019, 2019,2021, 2019-2021): "
                                         f"{text!r}") from None
    return out


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _existing_dir(text: str) -> Path:
    p = Path(text)
    if not (p / "captures.csv").is_file():
        raise argparse.ArgumentTypeError(f"{text} is not a recorded mirror (no captures.csv in it)")
    return p


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", metavar="DIR",
        help=f"where the archive and the warehouse live (default: $GOVREQ_DATA_DIR or ./{DEFAULT_DATA_DIR})",
    )


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="govreq",
        formatter_class=fmt,
        description="Collect, cite and compare company transparency reports about government requests.",
        epilog="Example:\n  govreq update --mirror ../shared/corpus --data-dir data\n  govreq export --out export\n"
        "  govreq disclosure --format csv > disclosure.csv\n\nRun 'govreq COMMAND --help' for each command.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "update", formatter_class=fmt, help="crawl the reports, parse new versions, load the warehouse",
        description="Crawl every report series in the registry (politely, with conditional requests), archive each "
        "file by its sha256, parse the new versions and load them into the DuckDB warehouse.",
        epilog="Example:\n  govreq update --mirror ../shared/corpus             # offline, from the recorded mirror\n"
        "  govreq update --mirror ../shared/corpus --as-of 2020-01-01   # the mirror as it stood then\n"
        "  govreq update                                       # the live sites",
    )
    _add_data_dir(p)
    p.add_argument("--mirror", metavar="DIR", type=_existing_dir,
                   help="replay a recorded mirror (captures.csv + files/) through a local HTTP server")
    p.add_argument("--as-of", metavar="DATE", type=_date,
                   help="with --mirror: serve for each URL the newest capture on or before DATE")
    p.add_argument("--only", metavar="SLUGS", help="comma-separated company slugs to crawl (default: all)")
    p.add_argument("--no-crawl", action="store_true", help="parse and load what is already archived")
    p.add_argument("--site", metavar="DIR", help="also build the static site into DIR")

    p = sub.add_parser(
        "export", formatter_class=fmt, help="write the current facts as CSV + Parquet + datapackage.json",
        epilog="Example:\n  govreq export --out export && frictionless validate export/datapackage.json\n"
               "  govreq export --out export --sqlite && datasette export/govreq.db -m export/metadata.json",
    )
    _add_data_dir(p)
    p.add_argument("--out", metavar="DIR", required=True)
    p.add_argument("--sqlite", action="store_true",
                   help="also write DIR/govreq.db (SQLite) and DIR/metadata.json for Datasette")

    p = sub.add_parser(
        "disclosure", formatter_class=fmt, help="who discloses what, per company, year and kind of request",
        description="For every company, year and kind of request: how much it published (per-country, totals-only, "
        "mandated-regional-only, policy-only), or why govreq cannot say (not-loaded, not-tracked, not-checked, "
        "not-applicable), or none-found, which always names its dated checks. The table shows a short evidence "
        "line; --format csv gives the full evidence.",
        epilog="Example:\n  govreq disclosure --company tiktok --kind content-removal\n"
        "  govreq disclosure --level none-found --year 2025\n"
        "  govreq disclosure --format csv > disclosure.csv",
    )
    _add_data_dir(p)
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument("--company", metavar="SLUGS", type=_list, default=[],
                   help="comma-separated company slugs (see govreq registry)")
    p.add_argument("--year", metavar="YEARS", type=_years, default=[], help="a year, a list or a range: 2019-2021")
    p.add_argument("--kind", metavar="KINDS", type=_choices(KINDS), default=[], help=", ".join(KINDS))
    p.add_argument("--level", metavar="LEVELS", type=_choices(LEVELS), default=[], help=", ".join(LEVELS))

    for name, helptext in (
        ("restatements", "figures a company changed after publishing them"),
        ("crosscheck", "where the 2009-2013 secondary dataset disagrees with our parsed figures"),
    ):
        p = sub.add_parser(name, formatter_class=fmt, help=helptext,
                           epilog=f"Example:\n  govreq {name} --format csv > {name}.csv")
        _add_data_dir(p)
        p.add_argument("--format", choices=["table", "csv"], default="table")

    p = sub.add_parser(
        "query", formatter_class=fmt, help="run a read-only SQL query on the warehouse",
        description="Run one SQL query on the warehouse, read-only and with DuckDB's external access off (no "
        "other file can be read or written). Every format prints every column in full.",
        epilog="Example:\n  govreq query \"SELECT company, count(*) FROM current_facts GROUP BY 1\"\n"
        "  govreq query --format markdown \"SELECT * FROM requests_by_company_period LIMIT 5\"",
    )
    _add_data_dir(p)
    p.add_argument("sql")
    p.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")

    p = sub.add_parser("site", formatter_class=fmt, help="build the static dashboard from the warehouse",
                       epilog="Example:\n  govreq site --out site && open site/index.html")
    _add_data_dir(p)
    p.add_argument("--out", metavar="DIR", required=True)

    p = sub.add_parser(
        "sources", formatter_class=fmt, help="per report series: what is held, what is overdue, how each URL answered",
        description="One row per report series: the newest period held, the period that should be out by now (its "
        "cadence and usual delay), whether it is overdue, each URL's last fetch and the last document's status. "
        "Exit status 1 when anything is overdue or broken, 0 otherwise.",
        epilog="Example:\n  govreq update && govreq sources          # from cron: exit status 1 says look\n"
        "  govreq sources --format json > sources.json\n  govreq sources --check                   # HEAD each known URL",
    )
    _add_data_dir(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--today", metavar="DATE", type=_date, help="judge as of DATE instead of today")
    p.add_argument("--check", action="store_true",
                   help="ask each known URL with a HEAD request only and report what moved or vanished")

    p = sub.add_parser("registry", formatter_class=fmt, help="list the companies and report series govreq knows",
                       epilog="Example:\n  govreq registry")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(getattr(commands, f"cmd_{args.command}")(args) or 0)
    except UserError as e:
        print(f"govreq {args.command}: {e}", file=sys.stderr)
        return e.exit_code
    except OSError as e:  # a bad path (no such folder, no permission): one line, no traceback
        print(f"govreq {args.command}: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
