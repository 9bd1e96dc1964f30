"""Which parser reads which report series. Each module in `parsers.series` declares the series it reads.

A series module has `SERIES: tuple[tuple[str, str], ...]` of (company slug, series id) and
`parse(doc: Document) -> list[Fact]` (strict: anything it does not understand refuses the document). A module
built on the interpreter also has `read(doc: Document) -> Reading`: the facts it read plus drift findings about
the tables or columns it quarantined or refused, so a release with a new table still loads the rest. It may also
have `LAYOUTS` (the layouts it recognises, for the docs).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from types import ModuleType

import parsers.series
from parsers.facts import Document, Fact, ParseError
from parsers.formats.interpreter import FIGURES_ONLY_AS_IMAGES, NOTED, SET_ASIDE, Reading

Parser = Callable[[Document], list[Fact]]
Reader = Callable[[Document], Reading]


@cache
def modules() -> dict[tuple[str, str], ModuleType]:
    found: dict[tuple[str, str], ModuleType] = {}
    for info in pkgutil.iter_modules(parsers.series.__path__):
        mod = importlib.import_module(f"parsers.series.{info.name}")
        for key in getattr(mod, "SERIES", ()):
            if key in found:
                raise RuntimeError(f"series {key} claimed by {found[key].__name__} and {mod.__name__}")
            found[key] = mod
    return found


def parser_for(company: str, series: str) -> Parser | None:
    mod = modules().get((company, series))
    return None if mod is None else mod.parse


def reader_for(company: str, series: str) -> Reader | None:
    """The module's `read` when it has one; else its `parse`, whose facts come with no findings."""
    mod = modules().get((company, series))
    if mod is None:
        return None
    if hasattr(mod, "read"):
        return mod.read  # type: ignore[no-any-return]
    parse: Parser = mod.parse
    return lambda doc: Reading(parse(doc), [])


def read_document(doc: Document) -> Reading:
    """Read one archived document. No rows is an error: a parser that finds nothing did not recognise it."""
    read = reader_for(doc.company, doc.series)
    if read is None:
        raise ParseError(doc, f"no parser for series {doc.company}/{doc.series}")
    reading = read(doc)
    unread = [f for f in reading.findings if f.outcome != NOTED]
    if not reading.facts and unread and all(f.kind in (FIGURES_ONLY_AS_IMAGES, SET_ASIDE) for f in unread):
        # partial with no facts: the figures are there, printed only as images nobody could read, or in a table the
        # series recognises and does not read (a DSA template table not about government demands, filed alone)
        return reading
    if not reading.facts:
        what = "; ".join(f.message for f in reading.findings)
        raise ParseError(doc, "the parser recognised the file but found no figures" + (f" ({what})" if what else ""))
    return reading


def parse_document(doc: Document) -> list[Fact]:
    """Parse one archived document strictly (any drift finding refuses it)."""
    parse = parser_for(doc.company, doc.series)
    if parse is None:
        raise ParseError(doc, f"no parser for series {doc.company}/{doc.series}")
    facts = parse(doc)
    if not facts:
        raise ParseError(doc, "the parser recognised the file but found no figures")
    return facts
