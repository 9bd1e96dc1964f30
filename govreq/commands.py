"""What each `govreq` subcommand does; argument parsing lives in cli.py."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from govreq.cli import _data_dir


class UserError(Exception):
    """A problem the user can fix: printed without a traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _open_read_only(args: argparse.Namespace):  # -> duckdb connection
    from govreq.update import db_path
    from warehouse import store

    path = db_path(_data_dir(args.data_dir))
    if not path.exists():
        raise UserError(f"no warehouse at {path}: run 'govreq update' first")
    try:
        return store.open_warehouse(path, read_only=True)
    except Exception as e:  # duckdb.IOException while an update holds the file
        raise UserError(f"cannot open {path} read-only: {e}") from e


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    Console(width=max(120, Console().width)).print(table)


def cmd_update(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govreq.lock import UpdateAlreadyRunning
    from govreq.update import update

    if args.as_of and not args.mirror:
        raise UserError("--as-of needs --mirror: the live web has only its present state")
    console = Console(stderr=True)
    data_dir = _data_dir(args.data_dir)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    source = f"mirror {args.mirror}" + (f" as of {args.as_of}" if args.as_of else "") if args.mirror else "live sites"
    console.print(f"govreq update: {source} -> {data_dir}")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("parse + load", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, total=total, completed=done, description=f"parse + load {label}")

        if not args.no_crawl:
            console.print("crawling (Scrapy) ...")
        try:
            summary = update(data_dir, mirror=args.mirror, as_of=args.as_of, only=only,
                             crawl=not args.no_crawl, progress=progress)
        except UpdateAlreadyRunning as e:
            raise UserError(str(e), exit_code=3) from e
    c = summary.crawl
    if c is not None:
        console.print(f"sources: {c.fetched_new} fetched new, {c.unchanged} unchanged, {len(c.failed)} failed")
        _print_failures(console, c.failed, mirror=args.mirror is not None)
    console.print(
        f"documents: {len(summary.parsed)} parsed, {len(summary.failed)} refused; "
        f"facts loaded: {summary.facts_loaded}; {summary.seconds:.1f} s"
    )
    for d in summary.failed:
        console.print(f"  [red]refused[/] {d.company}/{d.series}: {d.error}", soft_wrap=True)
    if summary.derived:
        console.print("derived: " + ", ".join(f"{k} {v}" for k, v in summary.derived.items()))
    if args.site:
        cmd_site(argparse.Namespace(data_dir=args.data_dir, out=args.site))
    return 0


def _print_failures(console, failed: list[tuple[str, str, str, str]], *, mirror: bool) -> None:
    """Failed sources, grouped: a replayed mirror lacks most landing and checked pages, which is no news."""
    missing = [f for f in failed if mirror and f[3].startswith("HTTP 404")]
    others = [f for f in failed if f not in missing]
    if missing:
        checks = sum(1 for f in missing if f[1] == "disclosure-check")
        console.print(f"  {len(missing)} URLs are not in the mirror (HTTP 404), {checks} of them pages checked for "
                      "companies that publish nothing; the full list is in the warehouse's fetches table")
    for company, series, url, error in others[:50]:
        console.print(f"  [yellow]failed[/] {company}/{series} {url}: {error}", soft_wrap=True)
    if len(others) > 50:
        console.print(f"  ... and {len(others) - 50} more (see the fetches table)")


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.export import export

    con = _open_read_only(args)
    try:
        result = export(con, Path(args.out))
        print(result if isinstance(result, str) else f"exported to {args.out}: {result}")
        if args.sqlite:
            from warehouse.datasette_export import write_sqlite

            print(f"SQLite for Datasette: {write_sqlite(con, Path(args.out))}")
    finally:
        con.close()
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    con = _open_read_only(args)
    try:
        rel = con.execute(args.sql)
        columns = [d[0] for d in rel.description] if rel.description else []
        rows = rel.fetchall()
    except Exception as e:
        raise UserError(f"query failed: {e}") from e
    finally:
        con.close()
    _print_rows(columns, rows, args.format)
    return 0


def cmd_disclosure(args: argparse.Namespace) -> int:
    from crawlers.registry import load_registry
    from warehouse import disclosure

    con = _open_read_only(args)
    try:
        rows = disclosure.disclosure_rows(con, load_registry())
    finally:
        con.close()
    sys.stdout.write(disclosure.format_disclosure(rows, args.format))
    return 0


def cmd_restatements(args: argparse.Namespace) -> int:
    from warehouse import restatements

    con = _open_read_only(args)
    try:
        rows = restatements.restatement_rows(con)
    finally:
        con.close()
    sys.stdout.write(restatements.format_restatements(rows, args.format))
    return 0


def cmd_crosscheck(args: argparse.Namespace) -> int:
    from warehouse import crosscheck

    con = _open_read_only(args)
    try:
        rows = crosscheck.crosscheck_rows(con)
    finally:
        con.close()
    if args.format == "csv":
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(crosscheck.format_table(rows))
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from dashboard.build import build_site

    con = _open_read_only(args)
    try:
        # images whose chart spec (data included) did not change are reused from the data directory's cache
        out = build_site(con, Path(args.out), cache_dir=_data_dir(args.data_dir) / "cache" / "site-images")
    finally:
        con.close()
    print(f"site written to {out}")
    return 0


def cmd_registry(args: argparse.Namespace) -> int:
    from crawlers.registry import load_registry

    reg = load_registry()
    rows = [
        (c.slug, c.name, c.role, c.disclosure, s.id if s else "", s.format if s else "", s.cadence if s else "")
        for c in reg.companies
        for s in (c.series or [None])
    ]
    _print_rows(["slug", "name", "role", "disclosure", "series", "format", "cadence"], rows, args.format)
    return 0
