"""Country labels to ISO 3166-1 alpha-2, with the raw label always kept by the caller.

Order: the alias table beside this file (`country_aliases.csv`, reviewed entries), then ISO's own names through
pycountry, then a two-letter code the publisher printed next to the name. An unknown label maps to None; it is
never guessed. `is_pseudo_jurisdiction` tells a requester that is not a country (EU, INTERPOL, "All Others").
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from pathlib import Path

import pycountry

_ALIASES_FILE = Path(__file__).with_name("country_aliases.csv")


def _key(label: str) -> str:
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("&", "and").replace(".", "").replace("’", "'").split())


@functools.cache
def _aliases() -> tuple[dict[str, str], set[str]]:
    codes: dict[str, str] = {}
    pseudo: set[str] = set()
    with _ALIASES_FILE.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            raw, iso2 = row["raw"], row["iso2"].strip()
            if iso2:
                codes[raw.strip()] = iso2
                codes[_key(raw)] = iso2
            else:
                pseudo.add(_key(raw))
    return codes, pseudo


@functools.cache
def _iso_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            n = getattr(c, attr, None)
            if n:
                names[_key(n)] = c.alpha_2
    return names


_VALID = {c.alpha_2 for c in pycountry.countries} | {"XK"}


def is_pseudo_jurisdiction(label: str) -> bool:
    return _key(label) in _aliases()[1]


@functools.lru_cache(maxsize=65536)  # reports repeat the same few hundred labels hundreds of thousands of times
def country_iso2(label: str | None, code_hint: str | None = None) -> str | None:
    """Map a printed country label (and an optional printed code) to an ISO alpha-2 code, or None."""
    codes, pseudo = _aliases()
    if label:
        text = label.strip()
        if text in codes:
            return codes[text]
        k = _key(text)
        if k in pseudo:
            return None
        if k in codes:
            return codes[k]
        if k in _iso_names():
            return _iso_names()[k]
    if code_hint:
        hint = code_hint.strip().upper()
        if hint == "UK":
            return "GB"
        if hint in _VALID:
            return hint
    if label and len(label.strip()) == 2 and label.strip().upper() in _VALID:
        return label.strip().upper()
    return None
