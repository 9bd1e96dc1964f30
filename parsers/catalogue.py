"""Which parser reads which report series. Each module in `parsers.series` declares the series it reads.

A series module has `SERIES: tuple[tuple[str, str], ...]` of (company slug, series id) and
`parse(doc: Document) -> list[Fact]`. It may also have `LAYOUTS` (the layouts it recognises, for the docs).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from types import ModuleType

import parsers.series
from parsers.facts import Document, Fact, ParseError

Parser = Callable[[Document], list[Fact]]


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


def parse_document(doc: Document) -> list[Fact]:
    """Parse one archived document. No rows is an error: a parser that finds nothing did not recognise it."""
    parse = parser_for(doc.company, doc.series)
    if parse is None:
        raise ParseError(doc, f"no parser for series {doc.company}/{doc.series}")
    facts = parse(doc)
    if not facts:
        raise ParseError(doc, "the parser recognised the file but found no figures")
    return facts
