"""What each `govreq` subcommand does; argument parsing lives in cli.py."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path

DEFAULT_DATA_DIR = "data"


def _data_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("GOVREQ_DATA_DIR") or DEFAULT_DATA_DIR)


class UserError(Exception):
    """A problem the user can fix: printed without a traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _open_read_only(args: argparse.Namespace):  # -> duckdb connection
    from govreq.paths import db_path
    from warehouse import store

    path = db_path(_data_dir(args.data_dir))
    if not path.exists():
        raise UserError(f"no warehouse at {path}: run 'govreq update' first")
    try:
        return store.open_warehouse(path, read_only=True)
    except Exception as e:  # duckdb.IOException while an update holds the file
        raise UserError(f"cannot open {path} read-only: {e}") from e


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    """Rows as CSV, JSON (a list of objects), Markdown or a plain table; no cell is ever cut short."""
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return
    if fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], sys.stdout, ensure_ascii=False, indent=1,
                  default=str)
        sys.stdout.write("\n")
        return
    cells = [[_text(v).replace("\n", " ") for v in r] for r in rows]
    if fmt == "markdown":
        def md(values: list[str]) -> str:
            return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"
        sys.stdout.write("\n".join([md(columns), md(["---"] * len(columns)), *(md(c) for c in cells)]) + "\n")
        return
    width = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(width[i]) for i, c in enumerate(columns)).rstrip(), "  ".join("-" * n for n in width)]
    lines += ["  ".join(v.ljust(width[i]) for i, v in enumerate(line)).rstrip() for line in cells]
    sys.stdout.write("\n".join(lines) + "\n")


def _known_slugs(slugs: list[str]) -> None:
    """An unknown company slug is a one-line error, never an empty answer."""
    from crawlers.registry import load_registry

    known = {c.slug for c in load_registry().companies}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise UserError(f"unknown company {', '.join(unknown)} (govreq registry lists the slugs)")


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
    if only:
        _known_slugs(only)
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
        missing, failed = _split_failures(c.failed, mirror=args.mirror is not None)
        console.print(f"sources: {c.fetched_new} fetched new, {c.unchanged} unchanged, {len(failed)} failed"
                      + (f", {len(missing)} not in the recorded mirror" if missing else ""))
        if c.probes:  # URL patterns: what the probes cost this run, against each series' cap
            console.print(f"discovery: {c.probes_sent} pattern probes, {c.not_published} not published (yet)")
            for line in c.probe_lines():
                console.print(f"  {line}", soft_wrap=True)
        for company, series, why in c.not_rendered:
            console.print(f"  [yellow]not rendered[/] {company}/{series}: {why}", soft_wrap=True)
        _print_failures(console, missing, failed)
    console.print(
        f"documents: {len(summary.parsed)} parsed ({len(summary.partial)} partial), {len(summary.failed)} refused; "
        f"facts loaded: {summary.facts_loaded}; {summary.seconds:.1f} s"
    )
    for d in summary.partial:  # loaded, but for the tables or columns the findings name
        console.print(f"  [yellow]partial[/] {d.company}/{d.series}: {'; '.join(d.findings)}", soft_wrap=True)
    for d in summary.failed:
        console.print(f"  [red]refused[/] {d.company}/{d.series}: {d.error}", soft_wrap=True)
    if summary.derived:
        console.print("derived: " + ", ".join(f"{k} {v}" for k, v in summary.derived.items()))
    if args.site:
        cmd_site(argparse.Namespace(data_dir=args.data_dir, out=args.site))
    return 0


def _split_failures(failed: list[tuple[str, str, str, str]], *, mirror: bool
                    ) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """(pages the replayed mirror does not hold, real failures): a mirror lacks most landing and checked pages,
    which is no news and no failure."""
    missing = [f for f in failed if mirror and f[3].startswith("HTTP 404")]
    return missing, [f for f in failed if f not in missing]


def _print_failures(console, missing: list[tuple[str, str, str, str]],
                    others: list[tuple[str, str, str, str]]) -> None:
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
        # no reading or writing of any other file (read_csv, COPY ... TO, ATTACH): only the warehouse
        con.execute("SET enable_external_access = false")
        rel = con.execute(args.sql)
        columns = [d[0] for d in rel.description] if rel.description else []
        rows = rel.fetchall()
    except Exception as e:
        raise UserError(f"query failed: {str(e).splitlines()[0]}") from e
    finally:
        con.close()
    _print_rows(columns, rows, args.format)
    return 0


def cmd_disclosure(args: argparse.Namespace) -> int:
    from crawlers.registry import load_registry
    from warehouse import disclosure

    if args.company:
        _known_slugs(args.company)
    con = _open_read_only(args)
    try:
        rows = disclosure.disclosure_rows(con, load_registry())
    finally:
        con.close()
    rows = disclosure.select_rows(rows, company=args.company, year=args.year, kind=args.kind, level=args.level)
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


def cmd_sources(args: argparse.Namespace) -> int:
    import datetime as dt

    from crawlers.registry import load_registry
    from crawlers.settings import USER_AGENT, live_delay
    from govreq import sources
    from govreq.paths import db_path

    registry = load_registry()
    has_warehouse = db_path(_data_dir(args.data_dir)).exists()
    if args.check:
        con = _open_read_only(args) if has_warehouse else None
        try:
            urls = sources.known_urls(registry, con)
        finally:
            if con is not None:
                con.close()
        results = sources.check_urls(urls, delay=live_delay(), user_agent=USER_AGENT)
        sys.stdout.write(sources.format_check(results, args.format))
        return 1 if any(r.bad for r in results) else 0
    today = args.today or dt.date.today()
    con = _open_read_only(args)
    try:
        rows = sources.source_rows(con, registry, today)
    finally:
        con.close()
    sys.stdout.write(sources.format_sources(rows, args.format, today))
    return sources.exit_status(rows)
