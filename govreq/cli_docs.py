"""Generate docs/cli.md from the command's own --help, so the documentation cannot drift from the code.

Run: python -m govreq.cli_docs --write   (tests/test_cli.py checks the committed file is current)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govreq.cli import build_parser

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    parser = build_parser()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    out = ["# The govreq command\n", "Generated from `govreq --help` by `python -m govreq.cli_docs --write`.\n"]
    out += ["```", _help(parser), "```\n"]
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subs.choices.items():
        out += [f"## govreq {name}\n", "```", _help(sub), "```\n"]
    return "\n".join(out)


def _help(p: argparse.ArgumentParser) -> str:
    import os

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # stable wrapping whatever the terminal
    try:
        return p.format_help().rstrip()
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


if __name__ == "__main__":
    if "--write" in sys.argv:
        DOC.write_text(render(), encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        sys.stdout.write(render())
